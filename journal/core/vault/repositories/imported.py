"""What imports brought in, by each item's identity in its source (a Day One
entry's uuid; otherwise a hash of source, date and text), so that importing
the same file again adds only what is new."""

from __future__ import annotations

from typing import Literal

from journal.core.vault.repositories.base import Repository

Kind = Literal["entry", "session", "checkin", "meditation", "attachment"]
_TABLES = {
    "entry": "entries",
    "session": "sessions",
    "checkin": "checkins",
    "meditation": "meditations",
    "attachment": "attachments",
}


class ImportedRepository(Repository):
    def find(self, key: str) -> int | None:
        """The record an earlier import made of the item of this identity, if
        it is still in the journal (one deleted since may come back)."""
        row = self._db.query_one("SELECT kind, record_id FROM imported WHERE key = ?", (key,))
        if row is None:
            return None
        table = _TABLES[row["kind"]]
        found = self._db.scalar(f"SELECT id FROM {table} WHERE id = ?", (row["record_id"],))
        return None if found is None else int(found)

    def remember(self, key: str, kind: Kind, record_id: int) -> None:
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO imported (key, kind, record_id, imported_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET kind = excluded.kind, "
                "record_id = excluded.record_id, imported_at = excluded.imported_at",
                (key, kind, record_id, self._now()),
            )

    def count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM imported"))
