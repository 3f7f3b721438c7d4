"""Check-ins: mood ratings and questionnaires, scored by their definitions."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime

from journal.core.checkins.instruments import check_difficulty
from journal.core.errors import InvalidInput, NotFound
from journal.core.model import Checkin, CheckinKind
from journal.core.text import checked_text, stamp, unstamp
from journal.core.vault.db import Database, Row
from journal.core.vault.repositories.base import Repository
from journal.core.vault.repositories.instruments import InstrumentRepository

_COLUMNS = "id, kind, taken_at, answers, total, band, note, session_id, flagged, difficulty"


def _from_row(row: Row) -> Checkin:
    return Checkin(
        id=row["id"],
        kind=CheckinKind.of(row["kind"]),
        taken_at=unstamp(row["taken_at"]),  # type: ignore[arg-type]
        answers=list(json.loads(row["answers"])),
        total=row["total"],
        band=row["band"],
        note=row["note"],
        session_id=row["session_id"],
        flagged=bool(row["flagged"]),
        difficulty=row["difficulty"],
    )


class CheckinRepository(Repository):
    def __init__(
        self, db: Database, *, clock: Callable[[], datetime], instruments: InstrumentRepository
    ) -> None:
        super().__init__(db, clock=clock)
        self._instruments = instruments

    def add(
        self,
        kind: str,
        answers: Sequence[int],
        *,
        note: str = "",
        session_id: int | None = None,
        taken_at: datetime | None = None,
        difficulty: int | None = None,
    ) -> Checkin:
        """Score and store a check-in by its instrument's definition (a mood is
        one answer, 0–10; an instrument with a follow-up question, such as PHQ-9
        and GAD-7, may carry its unscored ``difficulty`` answer, 0–3).

        Raises `InvalidInput` and stores nothing when the answers are wrong,
        `NotFound` for an instrument the journal does not have.
        """
        instrument = self._instruments.get(kind)
        result = instrument.score(list(answers))
        difficulty = check_difficulty(difficulty)
        if difficulty is not None and instrument.followup is None:
            raise InvalidInput(
                f"A {instrument.title} check-in has no difficulty answer; nothing was saved."
                if kind != CheckinKind.MOOD
                else "A mood check-in has no difficulty answer; nothing was saved."
            )
        note = checked_text(note, what="note")
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO checkins (kind, taken_at, answers, total, band, note, session_id, "
                "flagged, difficulty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    str(kind),
                    stamp(taken_at or self._clock()),
                    json.dumps(list(answers)),
                    result.total,
                    result.band,
                    note,
                    session_id,
                    int(result.flagged),
                    difficulty,
                ),
            )
            checkin_id = int(cursor.lastrowid)
        return self.get(checkin_id)

    def set_difficulty(self, checkin_id: int, difficulty: int | None) -> Checkin:
        """Add the unscored difficulty answer to a stored questionnaire."""
        checkin = self.get(checkin_id)
        if self._instruments.get(checkin.kind).followup is None:
            raise InvalidInput("A mood check-in has no difficulty answer; nothing was saved.")
        with self._db.transaction():
            self._db.execute(
                "UPDATE checkins SET difficulty = ? WHERE id = ?",
                (check_difficulty(difficulty), checkin_id),
            )
        return self.get(checkin_id)

    def get(self, checkin_id: int) -> Checkin:
        row = self._db.query_one(f"SELECT {_COLUMNS} FROM checkins WHERE id = ?", (checkin_id,))
        if row is None:
            raise NotFound("That check-in no longer exists in the journal.")
        return _from_row(row)

    def all(self, kind: str | None = None) -> list[Checkin]:
        """Check-ins oldest first (the order of a trend)."""
        if kind is None:
            rows = self._db.query(f"SELECT {_COLUMNS} FROM checkins ORDER BY taken_at, id")
        else:
            rows = self._db.query(
                f"SELECT {_COLUMNS} FROM checkins WHERE kind = ? ORDER BY taken_at, id",
                (str(kind),),
            )
        return [_from_row(r) for r in rows]

    def latest(self, kind: str) -> Checkin | None:
        return self._one_end(kind, "DESC")

    def first(self, kind: str) -> Checkin | None:
        """The first of its kind: the baseline that change is measured from."""
        return self._one_end(kind, "ASC")

    def _one_end(self, kind: str, order: str) -> Checkin | None:
        row = self._db.query_one(
            f"SELECT {_COLUMNS} FROM checkins WHERE kind = ? "
            f"ORDER BY taken_at {order}, id {order} LIMIT 1",
            (str(kind),),
        )
        return None if row is None else _from_row(row)

    def delete(self, checkin_id: int) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM checkins WHERE id = ?", (checkin_id,))
