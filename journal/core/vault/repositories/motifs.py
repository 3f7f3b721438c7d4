"""Motifs: images and metaphors the patient names, linked to entries."""

from __future__ import annotations

from journal.core.errors import InvalidInput, NotFound
from journal.core.model import Motif, MotifKind, MotifUsage
from journal.core.text import MAX_SHORT_CHARS, checked_text, unstamp
from journal.core.vault.db import Row
from journal.core.vault.repositories.base import Repository

_COLUMNS = "id, name, kind, feeling, meaning, created_at"


class MotifRepository(Repository):
    def _from_row(self, row: Row) -> Motif:
        entry_ids = [
            int(r[0])
            for r in self._db.query(
                "SELECT entry_id FROM motif_links WHERE motif_id = ? ORDER BY entry_id",
                (row["id"],),
            )
        ]
        return Motif(
            id=row["id"],
            name=row["name"],
            kind=MotifKind(row["kind"]),
            feeling=row["feeling"],
            meaning=row["meaning"],
            created_at=unstamp(row["created_at"]),
            entry_ids=entry_ids,
        )

    @staticmethod
    def _clean_name(name: str) -> str:
        name = checked_text(name, what="motif name", max_chars=MAX_SHORT_CHARS).strip()
        if not name:
            raise InvalidInput("Give the image or metaphor a few words.")
        return name

    def add(self, motif: Motif) -> Motif:
        name = self._clean_name(motif.name)
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO motifs (name, kind, feeling, meaning, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    name,
                    MotifKind(motif.kind).value,
                    checked_text(motif.feeling, what="feeling"),
                    checked_text(motif.meaning, what="meaning"),
                    self._now(),
                ),
            )
            motif_id = int(cursor.lastrowid)
            for entry_id in motif.entry_ids:
                self.link(motif_id, entry_id)
        return self.get(motif_id)

    def find_by_name(self, name: str) -> Motif | None:
        """The motif with this name, ignoring case and outer spaces."""
        row = self._db.query_one(
            f"SELECT {_COLUMNS} FROM motifs WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 1",
            (name.strip(),),
        )
        return None if row is None else self._from_row(row)

    def find_or_add(
        self, name: str, *, kind: MotifKind = MotifKind.IMAGE, feeling: str = "", meaning: str = ""
    ) -> Motif:
        """The existing motif of that name, or a new one: a motif that comes
        back in a later session is the same motif."""
        existing = self.find_by_name(self._clean_name(name))
        if existing is not None:
            return existing
        return self.add(Motif(name=name, kind=kind, feeling=feeling, meaning=meaning))

    def update(self, motif: Motif) -> Motif:
        if motif.id is None:
            raise NotFound()
        with self._db.transaction():
            cursor = self._db.execute(
                "UPDATE motifs SET name = ?, kind = ?, feeling = ?, meaning = ? WHERE id = ?",
                (
                    self._clean_name(motif.name),
                    MotifKind(motif.kind).value,
                    checked_text(motif.feeling, what="feeling"),
                    checked_text(motif.meaning, what="meaning"),
                    motif.id,
                ),
            )
            if cursor.rowcount == 0:
                raise NotFound()
        return self.get(motif.id)

    def get(self, motif_id: int) -> Motif:
        row = self._db.query_one(f"SELECT {_COLUMNS} FROM motifs WHERE id = ?", (motif_id,))
        if row is None:
            raise NotFound("That motif no longer exists in the journal.")
        return self._from_row(row)

    def link(self, motif_id: int, entry_id: int) -> None:
        with self._db.transaction():
            self._db.execute(
                "INSERT OR IGNORE INTO motif_links (motif_id, entry_id) VALUES (?, ?)",
                (motif_id, entry_id),
            )

    def unlink(self, motif_id: int, entry_id: int) -> None:
        with self._db.transaction():
            self._db.execute(
                "DELETE FROM motif_links WHERE motif_id = ? AND entry_id = ?", (motif_id, entry_id)
            )

    def for_entry(self, entry_id: int) -> list[Motif]:
        rows = self._db.query(
            f"SELECT {', '.join('m.' + c.strip() for c in _COLUMNS.split(','))} FROM motifs m "
            "JOIN motif_links l ON l.motif_id = m.id WHERE l.entry_id = ? ORDER BY m.name",
            (entry_id,),
        )
        return [self._from_row(r) for r in rows]

    def usage(self) -> list[MotifUsage]:
        """Every motif, recurring ones first: by the number of sessions it
        appeared in, then entries, then name."""
        rows = self._db.query(
            "SELECT m.id, group_concat(DISTINCT e.session_id) AS sessions, "
            "count(DISTINCT l.entry_id) AS entries FROM motifs m "
            "LEFT JOIN motif_links l ON l.motif_id = m.id "
            "LEFT JOIN entries e ON e.id = l.entry_id GROUP BY m.id"
        )
        usages = []
        for row in rows:
            sessions = row["sessions"]
            session_ids = tuple(sorted(int(s) for s in sessions.split(","))) if sessions else ()
            usages.append(MotifUsage(self.get(row["id"]), session_ids, int(row["entries"])))
        usages.sort(key=lambda u: (-len(u.session_ids), -u.entry_count, u.motif.name.casefold()))
        return usages

    def merge(self, keep_id: int, other_id: int) -> Motif:
        """Fold ``other`` into ``keep`` ("the sea" into "ocean"): every link and
        attachment moves over, then ``other`` is deleted."""
        if keep_id == other_id:
            return self.get(keep_id)
        with self._db.transaction():
            self.get(keep_id)
            self.get(other_id)
            self._db.execute(
                "INSERT OR IGNORE INTO motif_links (motif_id, entry_id) "
                "SELECT ?, entry_id FROM motif_links WHERE motif_id = ?",
                (keep_id, other_id),
            )
            self._db.execute(
                "UPDATE attachments SET motif_id = ? WHERE motif_id = ?", (keep_id, other_id)
            )
            self._db.execute("DELETE FROM motifs WHERE id = ?", (other_id,))
        return self.get(keep_id)

    def delete(self, motif_id: int) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM motifs WHERE id = ?", (motif_id,))

    def count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM motifs"))
