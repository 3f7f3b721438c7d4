"""Attachments: sketches, images and audio notes stored as blobs in the vault."""

from __future__ import annotations

from journal.core.db import Row
from journal.core.errors import InvalidInput, NotFound
from journal.core.model import Attachment, AttachmentKind
from journal.core.repositories.base import Repository
from journal.core.text import MAX_SHORT_CHARS, checked_text, unstamp

# One attachment may be a long voice note or a large photo, not a film.
MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024

_COLUMNS = "id, entry_id, motif_id, kind, mime, name, size, private, created_at"


def _from_row(row: Row) -> Attachment:
    return Attachment(
        id=row["id"],
        entry_id=row["entry_id"],
        motif_id=row["motif_id"],
        kind=AttachmentKind(row["kind"]),
        mime=row["mime"],
        name=row["name"],
        size=row["size"],
        private=bool(row["private"]),
        created_at=unstamp(row["created_at"]),
    )


class AttachmentRepository(Repository):
    def add(self, attachment: Attachment, data: bytes) -> Attachment:
        """Store ``data`` inside the vault. Raises `InvalidInput` when too large."""
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise InvalidInput(
                f"That file is too large to keep in the journal ({len(data) // 2**20} MB; "
                f"the limit is {MAX_ATTACHMENT_BYTES // 2**20} MB)."
            )
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO attachments (entry_id, motif_id, kind, mime, name, size, private, "
                "data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    attachment.entry_id,
                    attachment.motif_id,
                    AttachmentKind(attachment.kind).value,
                    checked_text(attachment.mime, what="file type", max_chars=200),
                    checked_text(attachment.name, what="file name", max_chars=MAX_SHORT_CHARS),
                    len(data),
                    int(attachment.private),
                    data,
                    self._now(),
                ),
            )
            attachment_id = int(cursor.lastrowid)
        return self.get(attachment_id)

    def get(self, attachment_id: int) -> Attachment:
        row = self._db.query_one(
            f"SELECT {_COLUMNS} FROM attachments WHERE id = ?", (attachment_id,)
        )
        if row is None:
            raise NotFound("That attachment no longer exists in the vault.")
        return _from_row(row)

    def data(self, attachment_id: int) -> bytes:
        blob = self._db.scalar("SELECT data FROM attachments WHERE id = ?", (attachment_id,))
        if blob is None:
            raise NotFound("That attachment no longer exists in the vault.")
        return bytes(blob)

    def all(self) -> list[Attachment]:
        """Every attachment's metadata (not its bytes), oldest first."""
        return [
            _from_row(r) for r in self._db.query(f"SELECT {_COLUMNS} FROM attachments ORDER BY id")
        ]

    def for_entry(self, entry_id: int) -> list[Attachment]:
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM attachments WHERE entry_id = ? ORDER BY id", (entry_id,)
        )
        return [_from_row(r) for r in rows]

    def exists(self, attachment_id: int) -> bool:
        return self._db.scalar("SELECT 1 FROM attachments WHERE id = ?", (attachment_id,)) == 1

    def delete(self, attachment_id: int) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))
