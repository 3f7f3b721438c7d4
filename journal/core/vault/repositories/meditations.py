"""Meditations: the guided minutes before a session, or on their own."""

from __future__ import annotations

from datetime import datetime

from journal.core.errors import InvalidInput, NotFound
from journal.core.model import Meditation, MeditationKind
from journal.core.text import stamp, unstamp
from journal.core.vault.db import Row
from journal.core.vault.repositories.base import Position, Repository, keyset

_COLUMNS = "id, kind, started_at, seconds, breaths_per_minute, session_id"
MAX_SECONDS = 7200


def _from_row(row: Row) -> Meditation:
    return Meditation(
        id=row["id"],
        kind=MeditationKind(row["kind"]),
        started_at=unstamp(row["started_at"]),  # type: ignore[arg-type]
        seconds=row["seconds"],
        breaths_per_minute=row["breaths_per_minute"],
        session_id=row["session_id"],
    )


def checked_meditation(meditation: Meditation) -> Meditation:
    """The meditation if it can be kept, else `InvalidInput`."""
    try:
        kind = MeditationKind(meditation.kind)
    except ValueError:
        raise InvalidInput("That kind of meditation is not known.") from None
    seconds = meditation.seconds
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 1 <= seconds <= MAX_SECONDS:
        raise InvalidInput("A meditation lasts from one second to two hours.")
    pace = meditation.breaths_per_minute
    if pace is not None and (
        isinstance(pace, bool) or not isinstance(pace, int) or not 1 <= pace <= 30
    ):
        raise InvalidInput("A breathing rhythm is from 1 to 30 breaths a minute.")
    meditation.kind = kind
    return meditation


class MeditationRepository(Repository):
    def add(self, meditation: Meditation) -> Meditation:
        checked = checked_meditation(meditation)
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO meditations (kind, started_at, seconds, breaths_per_minute, "
                "session_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    checked.kind.value,
                    stamp(checked.started_at),
                    checked.seconds,
                    checked.breaths_per_minute,
                    checked.session_id,
                    self._now(),
                ),
            )
            new_id = int(cursor.lastrowid)
        return self.get(new_id)

    def get(self, meditation_id: int) -> Meditation:
        row = self._db.query_one(
            f"SELECT {_COLUMNS} FROM meditations WHERE id = ?", (meditation_id,)
        )
        if row is None:
            raise NotFound()
        return _from_row(row)

    def all(self) -> list[Meditation]:
        """Oldest first."""
        rows = self._db.query(f"SELECT {_COLUMNS} FROM meditations ORDER BY started_at, id")
        return [_from_row(r) for r in rows]

    def for_session(self, session_id: int) -> list[Meditation]:
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM meditations WHERE session_id = ? ORDER BY started_at, id",
            (session_id,),
        )
        return [_from_row(r) for r in rows]

    def page(
        self,
        *,
        session_id: int | None,
        newest_first: bool,
        after: Position | None = None,
        limit: int,
    ) -> list[Meditation]:
        """The ``limit`` meditations of a session (``session_id`` None: those
        on their own) after ``after``, a meditation's start and id: by start,
        and those of one moment in the order they were done. Read through the
        index on (session_id, started_at), or on the start of those on their
        own, whatever the journal's size."""
        where, tail, params = keyset(
            "started_at", after, newest_first=newest_first, ids_descending=False, limit=limit
        )
        if session_id is None:
            # Named: the planner would take the session index and sort that
            # index's rows of no session (a full sort of them).
            source, condition = "meditations INDEXED BY meditations_alone", "session_id IS NULL"
        else:
            source, condition, params = "meditations", "session_id = ?", [session_id, *params]
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM {source} WHERE {condition} AND {where} {tail}", params
        )
        return [_from_row(r) for r in rows]

    def since(self, moment: datetime | None) -> list[Meditation]:
        if moment is None:
            return self.all()
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM meditations WHERE started_at > ? ORDER BY started_at, id",
            (stamp(moment),),
        )
        return [_from_row(r) for r in rows]
