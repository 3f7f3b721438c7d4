"""Check-ins: mood ratings and PHQ-9 / GAD-7 questionnaires."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from journal.core.checkins.instruments import check_difficulty, score
from journal.core.errors import InvalidInput, NotFound
from journal.core.model import Checkin, CheckinKind
from journal.core.text import checked_text, stamp, unstamp
from journal.core.vault.db import Row
from journal.core.vault.repositories.base import Repository

_COLUMNS = "id, kind, taken_at, answers, total, band, note, session_id, flagged, difficulty"


def _from_row(row: Row) -> Checkin:
    return Checkin(
        id=row["id"],
        kind=CheckinKind(row["kind"]),
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
    def add(
        self,
        kind: CheckinKind,
        answers: Sequence[int],
        *,
        note: str = "",
        session_id: int | None = None,
        taken_at: datetime | None = None,
        difficulty: int | None = None,
    ) -> Checkin:
        """Score and store a check-in (a mood is one answer, 0–10; PHQ-9 and
        GAD-7 may carry the unscored ``difficulty`` answer, 0–3).

        Raises `InvalidInput` and stores nothing when the answers are wrong.
        """
        result = score(kind, list(answers))
        difficulty = check_difficulty(difficulty)
        if difficulty is not None and kind is CheckinKind.MOOD:
            raise InvalidInput("A mood check-in has no difficulty answer; nothing was saved.")
        note = checked_text(note, what="note")
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO checkins (kind, taken_at, answers, total, band, note, session_id, "
                "flagged, difficulty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    kind.value,
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
        if checkin.kind is CheckinKind.MOOD:
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
            raise NotFound("That check-in no longer exists in the vault.")
        return _from_row(row)

    def all(self, kind: CheckinKind | None = None) -> list[Checkin]:
        """Check-ins oldest first (the order of a trend)."""
        if kind is None:
            rows = self._db.query(f"SELECT {_COLUMNS} FROM checkins ORDER BY taken_at, id")
        else:
            rows = self._db.query(
                f"SELECT {_COLUMNS} FROM checkins WHERE kind = ? ORDER BY taken_at, id",
                (kind.value,),
            )
        return [_from_row(r) for r in rows]

    def latest(self, kind: CheckinKind) -> Checkin | None:
        return self._one_end(kind, "DESC")

    def first(self, kind: CheckinKind) -> Checkin | None:
        """The first of its kind: the baseline that change is measured from."""
        return self._one_end(kind, "ASC")

    def _one_end(self, kind: CheckinKind, order: str) -> Checkin | None:
        row = self._db.query_one(
            f"SELECT {_COLUMNS} FROM checkins WHERE kind = ? "
            f"ORDER BY taken_at {order}, id {order} LIMIT 1",
            (kind.value,),
        )
        return None if row is None else _from_row(row)

    def delete(self, checkin_id: int) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM checkins WHERE id = ?", (checkin_id,))
