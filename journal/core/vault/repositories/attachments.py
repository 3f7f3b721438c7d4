"""Attachments: sketches, images and audio notes stored as blobs in the vault."""

from __future__ import annotations

from journal.core.errors import NotFound
from journal.core.imagery import media
from journal.core.model import Attachment, AttachmentKind
from journal.core.text import MAX_SHORT_CHARS, checked_text, unstamp
from journal.core.vault.db import Row
from journal.core.vault.repositories.base import Repository

_COLUMNS = (
    "id, entry_id, motif_id, kind, mime, name, size, private, created_at, prompt_key, seconds"
)


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
        prompt_key=row["prompt_key"],
        seconds=row["seconds"],
    )


class AttachmentRepository(Repository):
    def add(self, attachment: Attachment, data: bytes) -> Attachment:
        """Store ``data`` inside the vault. Raises `InvalidInput` when too large."""
        media.check_size(len(data))
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO attachments (entry_id, motif_id, kind, mime, name, size, private, "
                "data, created_at, prompt_key, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    checked_text(attachment.prompt_key, what="prompt", max_chars=200),
                    attachment.seconds,
                ),
            )
            attachment_id = int(cursor.lastrowid)
        return self.get(attachment_id)

    def get(self, attachment_id: int) -> Attachment:
        row = self._db.query_one(
            f"SELECT {_COLUMNS} FROM attachments WHERE id = ?", (attachment_id,)
        )
        if row is None:
            raise NotFound("That attachment no longer exists in the journal.")
        return _from_row(row)

    def data(self, attachment_id: int) -> bytes:
        blob = self._db.scalar("SELECT data FROM attachments WHERE id = ?", (attachment_id,))
        if blob is None:
            raise NotFound("That attachment no longer exists in the journal.")
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

    def for_motif(self, motif_id: int) -> list[Attachment]:
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM attachments WHERE motif_id = ? ORDER BY id", (motif_id,)
        )
        return [_from_row(r) for r in rows]

    def place(self, attachment_id: int, entry_id: int, prompt_key: str = "") -> Attachment:
        """Put an attachment under an entry (and one of its prompts)."""
        with self._db.transaction():
            cursor = self._db.execute(
                "UPDATE attachments SET entry_id = ?, prompt_key = ? WHERE id = ?",
                (entry_id, checked_text(prompt_key, what="prompt", max_chars=200), attachment_id),
            )
            if cursor.rowcount == 0:
                raise NotFound("That attachment no longer exists in the journal.")
        return self.get(attachment_id)

    def set_motif(self, attachment_id: int, motif_id: int | None) -> Attachment:
        """Link an attachment to a motif (None: unlink). One motif each."""
        with self._db.transaction():
            if (
                motif_id is not None
                and self._db.scalar("SELECT 1 FROM motifs WHERE id = ?", (motif_id,)) is None
            ):
                raise NotFound("That motif no longer exists in the journal.")
            cursor = self._db.execute(
                "UPDATE attachments SET motif_id = ? WHERE id = ?", (motif_id, attachment_id)
            )
            if cursor.rowcount == 0:
                raise NotFound("That attachment no longer exists in the journal.")
        return self.get(attachment_id)

    def set_private(self, attachment_id: int, private: bool) -> Attachment:
        with self._db.transaction():
            cursor = self._db.execute(
                "UPDATE attachments SET private = ? WHERE id = ?", (int(private), attachment_id)
            )
            if cursor.rowcount == 0:
                raise NotFound("That attachment no longer exists in the journal.")
        return self.get(attachment_id)

    def delete_unplaced(self, keep: set[int] | frozenset[int] = frozenset()) -> int:
        """Delete attachments made for a prompt of a recall that never became
        an entry (its draft was replaced), except ``keep``. Only those: a
        picture kept for a motif alone is never touched."""
        rows = self._db.query(
            "SELECT id FROM attachments WHERE entry_id IS NULL AND motif_id IS NULL "
            "AND prompt_key != ''"
        )
        doomed = [int(r[0]) for r in rows if int(r[0]) not in keep]
        with self._db.transaction():
            for attachment_id in doomed:
                self._db.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))
        return len(doomed)

    def exists(self, attachment_id: int) -> bool:
        return self._db.scalar("SELECT 1 FROM attachments WHERE id = ?", (attachment_id,)) == 1

    def delete(self, attachment_id: int) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))
