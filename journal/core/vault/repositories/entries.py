"""Entries and their answers.

Rules kept here, once:
- an answer keeps the prompt text it answered;
- editing a stored entry records ``edited_at``, so the raw capture is told
  apart from later edits; a *reflection* is a new entry linked to the earlier
  one, which stays as written;
- motifs named in a motif-list answer are created (or found by name) and
  linked to the entry.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from journal.core.errors import InvalidInput, NotFound
from journal.core.model import (
    Answer,
    AnswerValue,
    Entry,
    EntrySummary,
    MotifKind,
    Phase,
    PromptKind,
)
from journal.core.text import MAX_SHORT_CHARS, checked_text, stamp, unstamp
from journal.core.vault.db import Row
from journal.core.vault.repositories.base import Position, Repository, keyset

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from journal.core.vault.db import Database
    from journal.core.vault.repositories.motifs import MotifRepository

_ENTRY_COLUMNS = (
    "id, session_id, phase, template_id, title, private, reflection_of, "
    "created_at, updated_at, edited_at, source"
)

_MOTIF_KINDS = {k.value for k in MotifKind}


def _entry_from_row(row: Row, answers: list[Answer]) -> Entry:
    return Entry(
        id=row["id"],
        session_id=row["session_id"],
        phase=Phase(row["phase"]),
        template_id=row["template_id"],
        title=row["title"],
        private=bool(row["private"]),
        reflection_of=row["reflection_of"],
        created_at=unstamp(row["created_at"]),
        updated_at=unstamp(row["updated_at"]),
        edited_at=unstamp(row["edited_at"]),
        source=row["source"],
        answers=answers,
    )


def _answer_from_row(row: Row) -> Answer:
    value = row["value"]
    return Answer(
        id=row["id"],
        prompt_key=row["prompt_key"],
        prompt_text=row["prompt_text"],
        kind=PromptKind(row["kind"]),
        text=row["body"],
        value=None if value is None else json.loads(value),
        private=bool(row["private"]),
    )


def _checked_value(answer: Answer) -> AnswerValue:
    value = answer.value
    if value is None:
        return None
    if answer.kind is PromptKind.SCALE:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise InvalidInput("A rating must be a whole number from 0 to 10.")
        return value
    if isinstance(value, str):
        return checked_text(value, what="choice", max_chars=MAX_SHORT_CHARS)
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                checked_text(item, what="list item", max_chars=MAX_SHORT_CHARS)
            elif isinstance(item, dict):
                for text in item.values():
                    checked_text(text, what="motif")
            else:
                raise InvalidInput("A list answer must hold text items.")
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise InvalidInput("That answer can't be saved.")


def _motif_items(answer: Answer) -> list[dict[str, str]]:
    """The motifs a motif-list answer names: dicts with name, kind, feeling."""
    if answer.kind is not PromptKind.MOTIFS or not isinstance(answer.value, list):
        return []
    items: list[dict[str, str]] = []
    for item in answer.value:
        if isinstance(item, str):
            item = {"name": item}
        if isinstance(item, dict) and str(item.get("name", "")).strip():
            items.append({k: str(v) for k, v in item.items()})
    return items


class EntryRepository(Repository):
    def __init__(
        self, db: Database, *, clock: Callable[[], datetime], motifs: MotifRepository
    ) -> None:
        super().__init__(db, clock=clock)
        self._motifs = motifs

    def _check(self, entry: Entry) -> None:
        checked_text(entry.title, what="title", max_chars=MAX_SHORT_CHARS)
        try:
            Phase(entry.phase)
        except ValueError:
            raise InvalidInput("Unknown phase.") from None
        for answer in entry.answers:
            checked_text(answer.prompt_text, what="prompt", max_chars=MAX_SHORT_CHARS)
            checked_text(answer.prompt_key, what="prompt key", max_chars=MAX_SHORT_CHARS)
            checked_text(answer.text, what="answer")
            try:
                PromptKind(answer.kind)
            except ValueError:
                raise InvalidInput("Unknown kind of prompt.") from None
            _checked_value(answer)

    def _write_answers(self, entry_id: int, answers: Sequence[Answer]) -> None:
        """Write an entry's answers in place: an answer keeps its row (by its
        id, else by its prompt), so another device syncing sees the answer
        edited, not removed and written anew; rows no longer answered go."""
        kept = [
            (int(r[0]), str(r[1]))
            for r in self._db.query(
                "SELECT id, prompt_key FROM answers WHERE entry_id = ? ORDER BY position",
                (entry_id,),
            )
        ]
        free = {answer_id for answer_id, _key in kept}
        for position, answer in enumerate(answers):
            value = _checked_value(answer)
            row = answer.id if answer.id in free else None
            if row is None:
                row = next((i for i, key in kept if i in free and key == answer.prompt_key), None)
            values = (
                position,
                answer.prompt_key,
                answer.prompt_text,
                PromptKind(answer.kind).value,
                answer.text,
                None if value is None else json.dumps(value, ensure_ascii=False),
                int(answer.private),
            )
            if row is None:
                self._db.execute(
                    "INSERT INTO answers (position, prompt_key, prompt_text, kind, body, "
                    "value, private, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (*values, entry_id),
                )
            else:
                free.discard(row)
                self._db.execute(
                    "UPDATE answers SET position = ?, prompt_key = ?, prompt_text = ?, kind = ?, "
                    "body = ?, value = ?, private = ? WHERE id = ? AND ("
                    "position, prompt_key, prompt_text, kind, body, value, private) IS NOT "
                    "(?, ?, ?, ?, ?, ?, ?)",
                    (*values, row, *values),
                )
            for item in _motif_items(answer):
                kind = item.get("kind", MotifKind.IMAGE.value)
                motif = self._motifs.find_or_add(
                    item["name"],
                    kind=MotifKind(kind) if kind in _MOTIF_KINDS else MotifKind.OTHER,
                    feeling=item.get("feeling", ""),
                    meaning=item.get("meaning", ""),
                )
                assert motif.id is not None
                self._motifs.link(motif.id, entry_id)
        for row in free:
            self._db.execute("DELETE FROM answers WHERE id = ?", (row,))

    def add(self, entry: Entry, *, keep_times: bool = False) -> Entry:
        """Store a new entry with its answers; returns it with ids and times.
        The entry is written now, unless ``keep_times`` keeps the entry's own
        ``created_at`` and ``edited_at`` (an import: written in another journal)."""
        self._check(entry)
        checked_text(entry.source, what="source", max_chars=MAX_SHORT_CHARS)
        now = self._now()
        written = stamp(entry.created_at) if keep_times and entry.created_at else now
        edited = stamp(entry.edited_at) if keep_times and entry.edited_at else None
        with self._db.transaction():
            if entry.reflection_of is not None:
                self.get(entry.reflection_of)  # the earlier entry must exist
            cursor = self._db.execute(
                "INSERT INTO entries (session_id, phase, template_id, title, private, "
                "reflection_of, created_at, updated_at, edited_at, source) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.session_id,
                    Phase(entry.phase).value,
                    entry.template_id,
                    entry.title,
                    int(entry.private),
                    entry.reflection_of,
                    written,
                    now,
                    edited,
                    entry.source,
                ),
            )
            entry_id = int(cursor.lastrowid)
            self._write_answers(entry_id, entry.answers)
        return self.get(entry_id)

    def add_reflection(self, earlier_id: int, reflection: Entry) -> Entry:
        """A new entry linked to ``earlier_id``; the earlier entry is not touched."""
        earlier = self.get(earlier_id)
        session_id = earlier.session_id if reflection.session_id is None else reflection.session_id
        return self.add(replace(reflection, reflection_of=earlier_id, session_id=session_id))

    def update(self, entry: Entry) -> Entry:
        """Replace title, flags and answers of a stored entry and record when."""
        if entry.id is None:
            raise NotFound()
        self._check(entry)
        now = self._now()
        with self._db.transaction():
            cursor = self._db.execute(
                "UPDATE entries SET session_id = ?, phase = ?, title = ?, private = ?, "
                "updated_at = ?, edited_at = ? WHERE id = ?",
                (
                    entry.session_id,
                    Phase(entry.phase).value,
                    entry.title,
                    int(entry.private),
                    now,
                    now,
                    entry.id,
                ),
            )
            if cursor.rowcount == 0:
                raise NotFound()
            self._write_answers(entry.id, entry.answers)
        return self.get(entry.id)

    def get(self, entry_id: int) -> Entry:
        row = self._db.query_one(f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE id = ?", (entry_id,))
        if row is None:
            raise NotFound("That entry no longer exists in the journal.")
        answers = [
            _answer_from_row(r)
            for r in self._db.query(
                "SELECT id, prompt_key, prompt_text, kind, body, value, private FROM answers "
                "WHERE entry_id = ? ORDER BY position",
                (entry_id,),
            )
        ]
        return _entry_from_row(row, answers)

    def ids(self, *, session_id: int | None = None, newest_first: bool = True) -> list[int]:
        """Entry ids in display order (for lazy list models)."""
        order = "DESC" if newest_first else "ASC"
        if session_id is None:
            rows = self._db.query(f"SELECT id FROM entries ORDER BY created_at {order}, id {order}")
        else:
            rows = self._db.query(
                f"SELECT id FROM entries WHERE session_id = ? ORDER BY created_at {order}, "
                f"id {order}",
                (session_id,),
            )
        return [int(r[0]) for r in rows]

    def all(self, *, session_id: int | None = None, newest_first: bool = True) -> list[Entry]:
        return [self.get(i) for i in self.ids(session_id=session_id, newest_first=newest_first)]

    def summaries(self) -> list[EntrySummary]:
        """Every entry, newest first, with a short preview: one query."""
        return self._summaries("1", "ORDER BY e.created_at DESC, e.id DESC", [])

    def summaries_page(
        self,
        *,
        session_id: int | None,
        newest_first: bool,
        after: Position | None = None,
        limit: int,
    ) -> list[EntrySummary]:
        """The ``limit`` entries of a session (``session_id`` None: those
        outside any session) after ``after``, an entry's time and id, in the
        order of their time, then id: a page of the timeline, read through the
        index on (session_id, created_at) whatever the journal's size."""
        where, tail, params = keyset(
            "e.created_at",
            after,
            newest_first=newest_first,
            ids_descending=newest_first,
            limit=limit,
        )
        if session_id is None:
            return self._summaries(f"e.session_id IS NULL AND {where}", tail, params)
        return self._summaries(f"e.session_id = ? AND {where}", tail, [session_id, *params])

    def _summaries(self, where: str, tail: str, params: list[object]) -> list[EntrySummary]:
        rows = self._db.query(
            "SELECT e.id, e.session_id, e.phase, e.title, e.created_at, e.edited_at, "
            f"e.reflection_of, e.preview FROM entries e WHERE {where} {tail}",
            params,
        )
        # Positional access and one dict lookup per phase: this runs for every
        # row of the timeline.
        phases = {phase.value: phase for phase in Phase}
        return [
            EntrySummary(
                id=r[0],
                session_id=r[1],
                phase=phases[r[2]],
                title=r[3],
                created_at=unstamp(r[4]),  # type: ignore[arg-type]
                edited_at=None if r[5] is None else unstamp(r[5]),
                reflection_of=r[6],
                preview=r[7],
            )
            for r in rows
        ]

    def phases(self, session_id: int) -> set[Phase]:
        """The phases of the entries written for a session (an indexed lookup)."""
        rows = self._db.query(
            "SELECT DISTINCT phase FROM entries WHERE session_id = ?", (session_id,)
        )
        return {Phase(r[0]) for r in rows}

    def reflections_of(self, entry_id: int) -> list[Entry]:
        rows = self._db.query(
            "SELECT id FROM entries WHERE reflection_of = ? ORDER BY created_at, id", (entry_id,)
        )
        return [self.get(int(r[0])) for r in rows]

    def delete(self, entry_id: int) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM entries WHERE id = ?", (entry_id,))

    def count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM entries"))
