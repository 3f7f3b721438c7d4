"""The therapist's workspace: its role, the patients (by the display name
the therapist gives them), the bundles kept for each (the verified archive,
inside the encrypted vault), agenda items marked discussed, and the
therapist's own appointment notes — which nothing ever exports."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from journal.core.errors import InvalidInput, NotFound
from journal.core.text import MAX_SHORT_CHARS, MAX_TEXT_CHARS, checked_text, stamp
from journal.core.vault.repositories.base import Repository

ROLE_KEY = "role"
JOURNAL = "journal"
THERAPIST = "therapist"


class Patient(NamedTuple):
    id: int
    name: str
    pseudonym: str | None
    bundles: int
    last_made_at: datetime | None


class KeptBundle(NamedTuple):
    id: int
    patient_id: int
    digest: str
    made_at: datetime
    kept_at: datetime


class AppointmentNote(NamedTuple):
    id: int
    patient_id: int
    day: date
    body: str
    updated_at: datetime


def _time(text: object) -> datetime:
    return datetime.fromisoformat(str(text)).astimezone()


def checked_name(name: str) -> str:
    name = " ".join(checked_text(name, what="name", max_chars=MAX_SHORT_CHARS).split())
    if not name:
        raise InvalidInput("Give the patient a name (any name you will recognise).")
    return name


class WorkspaceRepository(Repository):
    # --- the role -------------------------------------------------------------

    def role(self) -> str:
        value = self._db.scalar("SELECT value FROM meta WHERE key = ?", (ROLE_KEY,))
        return THERAPIST if value == THERAPIST else JOURNAL

    def set_role(self, role: str) -> None:
        if role not in (JOURNAL, THERAPIST):
            raise ValueError(role)
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (ROLE_KEY, role),
            )

    # --- patients ---------------------------------------------------------------

    def patients(self) -> list[Patient]:
        rows = self._db.query(
            "SELECT p.id, p.name, p.pseudonym, count(b.id) AS bundles, max(b.made_at) AS last "
            "FROM patients p LEFT JOIN kept_bundles b ON b.patient_id = p.id "
            "GROUP BY p.id ORDER BY p.name COLLATE NOCASE"
        )
        return [self._patient(r) for r in rows]

    def patient(self, patient_id: int) -> Patient:
        found = [p for p in self.patients() if p.id == patient_id]
        if not found:
            raise NotFound("That patient is no longer in this workspace.")
        return found[0]

    def by_name(self, name: str) -> Patient | None:
        row = self._db.scalar(
            "SELECT id FROM patients WHERE name = ? COLLATE NOCASE", (" ".join(name.split()),)
        )
        return None if row is None else self.patient(int(row))

    def by_pseudonym(self, pseudonym: str) -> Patient | None:
        row = self._db.scalar("SELECT id FROM patients WHERE pseudonym = ?", (pseudonym,))
        return None if row is None else self.patient(int(row))

    @staticmethod
    def _patient(row: object) -> Patient:
        r = row  # a sqlite Row
        last = r["last"]  # type: ignore[index]
        return Patient(
            int(r["id"]),  # type: ignore[index]
            str(r["name"]),  # type: ignore[index]
            r["pseudonym"],  # type: ignore[index]
            int(r["bundles"]),  # type: ignore[index]
            _time(last) if last else None,
        )

    def add_patient(self, name: str, pseudonym: str | None) -> int:
        name = checked_name(name)
        if self.by_name(name) is not None:
            raise InvalidInput(f"There is already a patient called “{name}”. Choose another name.")
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO patients (pseudonym, name, created_at) VALUES (?, ?, ?)",
                (pseudonym, name, self._now()),
            )
        return int(cursor.lastrowid)

    def set_pseudonym(self, patient_id: int, pseudonym: str) -> None:
        """A patient grouped by hand, whose journal now sends bundles with an id."""
        with self._db.transaction():
            self._db.execute(
                "UPDATE patients SET pseudonym = ? WHERE id = ? AND pseudonym IS NULL",
                (pseudonym, patient_id),
            )

    def free_name(self) -> str:
        """“Patient 1”, “Patient 2”, … the first not taken."""
        number = 1
        while self.by_name(f"Patient {number}") is not None:
            number += 1
        return f"Patient {number}"

    def rename(self, patient_id: int, name: str) -> Patient:
        name = checked_name(name)
        other = self.by_name(name)
        if other is not None and other.id != patient_id:
            raise InvalidInput(f"There is already a patient called “{name}”. Choose another name.")
        with self._db.transaction():
            cursor = self._db.execute(
                "UPDATE patients SET name = ? WHERE id = ?", (name, patient_id)
            )
            if cursor.rowcount == 0:
                raise NotFound("That patient is no longer in this workspace.")
        return self.patient(patient_id)

    def remove(self, patient_id: int) -> None:
        """Every bundle, note and mark of the patient, in one transaction
        (secure_delete overwrites the freed pages)."""
        with self._db.transaction():
            for table in ("kept_bundles", "appointment_notes", "discussed"):
                self._db.execute(f"DELETE FROM {table} WHERE patient_id = ?", (patient_id,))
            self._db.execute("DELETE FROM patients WHERE id = ?", (patient_id,))

    # --- bundles ---------------------------------------------------------------

    def bundle_with_digest(self, digest: str) -> KeptBundle | None:
        row = self._db.query_one(
            "SELECT id, patient_id, digest, made_at, kept_at FROM kept_bundles WHERE digest = ?",
            (digest,),
        )
        return None if row is None else self._bundle(row)

    def bundles(self, patient_id: int) -> list[KeptBundle]:
        rows = self._db.query(
            "SELECT id, patient_id, digest, made_at, kept_at FROM kept_bundles "
            "WHERE patient_id = ? ORDER BY made_at, id",
            (patient_id,),
        )
        return [self._bundle(r) for r in rows]

    def archive(self, bundle_id: int) -> bytes:
        data = self._db.scalar("SELECT archive FROM kept_bundles WHERE id = ?", (bundle_id,))
        if data is None:
            raise NotFound("That bundle is no longer in this workspace.")
        return bytes(data)

    def add_bundle(self, patient_id: int, digest: str, made_at: datetime, archive: bytes) -> int:
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO kept_bundles (patient_id, digest, made_at, kept_at, archive) "
                "VALUES (?, ?, ?, ?, ?)",
                (patient_id, digest, stamp(made_at), self._now(), archive),
            )
        return int(cursor.lastrowid)

    @staticmethod
    def _bundle(r: object) -> KeptBundle:
        return KeptBundle(
            int(r["id"]),  # type: ignore[index]
            int(r["patient_id"]),  # type: ignore[index]
            str(r["digest"]),  # type: ignore[index]
            _time(r["made_at"]),  # type: ignore[index]
            _time(r["kept_at"]),  # type: ignore[index]
        )

    # --- agenda marks ----------------------------------------------------------

    def discussed(self, patient_id: int) -> set[str]:
        rows = self._db.query("SELECT item FROM discussed WHERE patient_id = ?", (patient_id,))
        return {str(r["item"]) for r in rows}

    def mark_discussed(self, patient_id: int, item: str, discussed: bool) -> None:
        with self._db.transaction():
            if discussed:
                self._db.execute(
                    "INSERT OR IGNORE INTO discussed (patient_id, item, discussed_at) "
                    "VALUES (?, ?, ?)",
                    (patient_id, item, self._now()),
                )
            else:
                self._db.execute(
                    "DELETE FROM discussed WHERE patient_id = ? AND item = ?", (patient_id, item)
                )

    # --- appointment notes -----------------------------------------------------

    def notes(self, patient_id: int) -> list[AppointmentNote]:
        rows = self._db.query(
            "SELECT id, patient_id, day, body, updated_at FROM appointment_notes "
            "WHERE patient_id = ? ORDER BY day DESC, id DESC",
            (patient_id,),
        )
        return [
            AppointmentNote(
                int(r["id"]),
                int(r["patient_id"]),
                date.fromisoformat(str(r["day"])),
                str(r["body"]),
                _time(r["updated_at"]),
            )
            for r in rows
        ]

    def save_note(
        self, patient_id: int, day: date, body: str, note_id: int | None = None
    ) -> AppointmentNote:
        """A new note (``note_id`` None) or the note's new text and date (autosave)."""
        body = checked_text(body, what="note", max_chars=MAX_TEXT_CHARS)
        now = self._now()
        with self._db.transaction():
            if note_id is None:
                self.patient(patient_id)
                cursor = self._db.execute(
                    "INSERT INTO appointment_notes (patient_id, day, body, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (patient_id, day.isoformat(), body, now, now),
                )
                note_id = int(cursor.lastrowid)
            else:
                cursor = self._db.execute(
                    "UPDATE appointment_notes SET day = ?, body = ?, updated_at = ? "
                    "WHERE id = ? AND patient_id = ?",
                    (day.isoformat(), body, now, note_id, patient_id),
                )
                if cursor.rowcount == 0:
                    raise NotFound("That note is no longer in this workspace.")
        return next(n for n in self.notes(patient_id) if n.id == note_id)

    def delete_note(self, note_id: int) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM appointment_notes WHERE id = ?", (note_id,))
