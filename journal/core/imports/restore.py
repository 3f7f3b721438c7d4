"""Afterglow's own export of everything stored again: the whole journal with
new ids and every link between its records kept."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from journal.core.errors import InstrumentInvalid, NotFound, TemplateInvalid
from journal.core.imports.plan import AfterglowJournal
from journal.core.imports.storing import ImportResult, Stored, once
from journal.core.journal import before
from journal.core.model import Entry
from journal.core.practice.checklist import default_checklist, parse_checklist
from journal.core.sharing import records
from journal.core.vault.repositories.imported import Kind
from journal.core.vault.vault import Vault


def _digest(kind: str, record: dict[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    return f"afterglow:{kind}:{hashlib.sha256(text.encode('utf-8')).hexdigest()}"


def journal_keys(journal: AfterglowJournal) -> list[str]:
    content = journal.content
    return [
        *(_digest("session", records.session_record(s, personal=True)) for s in content.sessions),
        *(_digest("entry", records.entry_record(e)) for e in content.entries),
    ]


class Restore:
    """The whole journal of an export, with new ids and its links kept:
    sessions, entries (reflections after what they reflect on), motifs and
    their links, attachments, questionnaires and check-ins, meditations, the
    patient's templates and checklist."""

    def __init__(
        self,
        vault: Vault,
        journal: AfterglowJournal,
        result: ImportResult,
        tick: Callable[[int], None],
    ) -> None:
        self.vault, self.journal, self.result, self.tick = vault, journal, result, tick
        self.sessions: dict[int, int] = {}
        self.entries: dict[int, int] = {}
        self.motifs: dict[int, int] = {}

    def run(self) -> None:
        content = self.journal.content
        vault = self.vault
        self._questionnaires()
        for session in content.sessions:
            self.tick(1)
            found = self._keep(
                "session",
                records.session_record(session, personal=True),
                partial(vault.sessions.add, replace(session, id=None)),
            )
            if found is not None and session.id is not None:
                self.sessions[session.id] = found
        self._entries(content.entries)
        self._motifs()
        self._attachments()
        for checkin in content.checkins:
            self._keep(
                "checkin",
                records.checkin_record(checkin),
                partial(
                    vault.checkins.add,
                    checkin.kind,
                    checkin.answers,
                    note=checkin.note,
                    session_id=self._session(checkin.session_id),
                    taken_at=checkin.taken_at,
                    difficulty=checkin.difficulty,
                ),
            )
        for meditation in content.meditations:
            moved = replace(meditation, id=None, session_id=self._session(meditation.session_id))
            self._keep(
                "meditation",
                records.meditation_record(meditation),
                partial(vault.meditations.add, moved),
            )
        self._templates_and_checklist()

    def _keep(self, kind: Kind, record: dict[str, Any], store: Callable[[], Stored]) -> int | None:
        """Store a record once; the id of the one kept now or by an earlier import."""
        key = _digest(kind, record)
        new = once(self.vault, self.result, key, kind, store)
        return new if new is not None else self.vault.imported.find(key)

    def _session(self, old: int | None) -> int | None:
        return None if old is None else self.sessions.get(old)

    def _questionnaires(self) -> None:
        for kind, instrument in self.journal.content.instruments.items():
            if instrument.builtin or not instrument.source:
                continue
            try:
                self.vault.instruments.get(kind)
            except NotFound:
                try:
                    self.vault.instruments.add_source(instrument.source, name=f"{kind}.toml")
                except InstrumentInvalid:
                    self.result.refused.add(
                        "1 questionnaire could not be kept (its check-ins are left out)",
                        "{n} questionnaires could not be kept (their check-ins are left out)",
                    )

    def _entries(self, entries: list[Entry]) -> None:
        ids = {e.id for e in entries}
        processed: set[int | None] = set()
        pending = list(entries)
        while pending:
            waiting = []
            for entry in pending:
                target = entry.reflection_of
                if target is not None and target in ids and target not in processed:
                    waiting.append(entry)  # after the entry it reflects on
                    continue
                self.tick(1)
                processed.add(entry.id)
                fresh = replace(
                    entry,
                    id=None,
                    session_id=self._session(entry.session_id),
                    reflection_of=self.entries.get(target) if target is not None else None,
                    answers=[replace(a, id=None) for a in entry.answers],
                )
                found = self._keep(
                    "entry",
                    records.entry_record(entry),
                    partial(self.vault.entries.add, fresh, keep_times=True),
                )
                if found is not None and entry.id is not None:
                    self.entries[entry.id] = found
            if len(waiting) == len(pending):  # reflections in a circle: kept without the link
                ids -= {e.reflection_of for e in waiting}
            pending = waiting

    def _motifs(self) -> None:
        for motif in self.journal.content.motifs:
            existing = self.vault.motifs.find_by_name(motif.name)
            if existing is None:
                stored = self.vault.motifs.add(replace(motif, id=None, entry_ids=[]))
            elif not (existing.feeling or existing.meaning):
                stored = self.vault.motifs.update(
                    replace(existing, kind=motif.kind, feeling=motif.feeling, meaning=motif.meaning)
                )
            else:
                stored = existing
            assert stored.id is not None
            if motif.id is not None:
                self.motifs[motif.id] = stored.id
            for old in motif.entry_ids:
                if old in self.entries:
                    self.vault.motifs.link(stored.id, self.entries[old])

    def _attachments(self) -> None:
        for meta, data in self.journal.content.attachments:
            self.tick(1)
            entry_id = self.entries.get(meta.entry_id) if meta.entry_id is not None else None
            motif_id = self.motifs.get(meta.motif_id) if meta.motif_id is not None else None
            if entry_id is None and motif_id is None:
                continue  # its entry was not kept (an earlier import has it)
            record = records.attachment_record(
                meta, hashlib.sha256(data).hexdigest(), personal=True
            )
            key = _digest("attachment", record)
            if self.vault.imported.find(key) is not None:
                continue
            stored = self.vault.attachments.add(
                replace(meta, id=None, entry_id=entry_id, motif_id=motif_id), data
            )
            assert stored.id is not None
            self.vault.imported.remember(key, "attachment", stored.id)
            self.result.attachments += 1

    def _templates_and_checklist(self) -> None:
        for source in self.journal.templates:
            try:
                self.vault.templates.add_source(source)
            except TemplateInvalid as error:
                self.result.refused.add(
                    f"1 template could not be kept ({str(error).rstrip('.')})",
                    f"{{n}} templates could not be kept ({str(error).rstrip('.')})",
                )
        if self.journal.checklist and before.checklist(self.vault) == default_checklist():
            try:
                made = parse_checklist(self.journal.checklist, name="checklist.toml")
            except TemplateInvalid:
                return
            if made != default_checklist():
                before.set_checklist(self.vault, list(made.items), made.title)
