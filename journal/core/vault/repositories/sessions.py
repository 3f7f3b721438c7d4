"""Sessions: one ketamine treatment each."""

from __future__ import annotations

import json

from journal.core.errors import InvalidInput, NotFound
from journal.core.model import Route, Session
from journal.core.text import MAX_SHORT_CHARS, checked_scale, checked_text, stamp, unstamp
from journal.core.vault.db import Row
from journal.core.vault.repositories.base import Position, Repository, keyset

_COLUMNS = (
    "id, started_at, route, dose, setting, intention, music, mood_before, mood_after, "
    "after_effects, notes, created_at, updated_at, checklist"
)


def _from_row(row: Row) -> Session:
    return Session(
        id=row["id"],
        started_at=unstamp(row["started_at"]),  # type: ignore[arg-type]
        route=Route(row["route"]),
        dose=row["dose"],
        setting=row["setting"],
        intention=row["intention"],
        music=row["music"],
        mood_before=row["mood_before"],
        mood_after=row["mood_after"],
        after_effects=list(json.loads(row["after_effects"])),
        notes=row["notes"],
        created_at=unstamp(row["created_at"]),
        updated_at=unstamp(row["updated_at"]),
        checklist=list(json.loads(row["checklist"])),
    )


def _values(session: Session) -> dict[str, object]:
    try:
        route = Route(session.route)
    except ValueError:
        raise InvalidInput("Choose how the ketamine was given from the list.") from None
    effects = [
        checked_text(e, what="after-effect", max_chars=MAX_SHORT_CHARS)
        for e in session.after_effects
    ]
    return {
        "started_at": stamp(session.started_at),
        "route": route.value,
        "dose": checked_text(session.dose, what="dose", max_chars=MAX_SHORT_CHARS),
        "setting": checked_text(session.setting, what="setting"),
        "intention": checked_text(session.intention, what="intention"),
        "music": checked_text(session.music, what="music"),
        "mood_before": checked_scale(session.mood_before, what="mood before"),
        "mood_after": checked_scale(session.mood_after, what="mood after"),
        "after_effects": json.dumps(effects, ensure_ascii=False),
        "notes": checked_text(session.notes, what="session notes"),
        "checklist": json.dumps(
            [
                checked_text(i, what="checklist item", max_chars=MAX_SHORT_CHARS)
                for i in session.checklist
            ],
            ensure_ascii=False,
        ),
    }


class SessionRepository(Repository):
    def add(self, session: Session) -> Session:
        values = _values(session)
        now = self._now()
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO sessions (started_at, route, dose, setting, intention, music, "
                "mood_before, mood_after, after_effects, notes, checklist, created_at, updated_at) "
                "VALUES (:started_at, :route, :dose, :setting, :intention, :music, "
                ":mood_before, :mood_after, :after_effects, :notes, :checklist, :now, :now)",
                {**values, "now": now},
            )
            new_id = int(cursor.lastrowid)
        return self.get(new_id)

    def update(self, session: Session) -> Session:
        if session.id is None:
            raise NotFound()
        values = _values(session)
        with self._db.transaction():
            cursor = self._db.execute(
                "UPDATE sessions SET started_at = :started_at, route = :route, dose = :dose, "
                "setting = :setting, intention = :intention, music = :music, "
                "mood_before = :mood_before, mood_after = :mood_after, "
                "after_effects = :after_effects, notes = :notes, checklist = :checklist, "
                "updated_at = :now "
                "WHERE id = :id",
                {**values, "now": self._now(), "id": session.id},
            )
            if cursor.rowcount == 0:
                raise NotFound()
        return self.get(session.id)

    def get(self, session_id: int) -> Session:
        row = self._db.query_one(f"SELECT {_COLUMNS} FROM sessions WHERE id = ?", (session_id,))
        if row is None:
            raise NotFound("That session no longer exists in the journal.")
        return _from_row(row)

    def all(self, *, newest_first: bool = True) -> list[Session]:
        order = "DESC" if newest_first else "ASC"
        rows = self._db.query(f"SELECT {_COLUMNS} FROM sessions ORDER BY started_at {order}, id")
        return [_from_row(r) for r in rows]

    def page(self, *, after: Position | None = None, limit: int) -> list[Session]:
        """The ``limit`` sessions after ``after`` (a session's start and id) in
        the order of `all`: newest first, those of one moment in the order
        they were added. A range of the index sessions_timeline, whatever the
        journal's size."""
        where, tail, params = keyset(
            "started_at", after, newest_first=True, ids_descending=False, limit=limit
        )
        rows = self._db.query(f"SELECT {_COLUMNS} FROM sessions WHERE {where} {tail}", params)
        return [_from_row(r) for r in rows]

    def latest(self) -> Session | None:
        row = self._db.query_one(
            f"SELECT {_COLUMNS} FROM sessions ORDER BY started_at DESC, id DESC LIMIT 1"
        )
        return None if row is None else _from_row(row)

    def delete(self, session_id: int) -> None:
        """Delete the session; its entries stay, no longer tied to a session."""
        with self._db.transaction():
            self._db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM sessions"))
