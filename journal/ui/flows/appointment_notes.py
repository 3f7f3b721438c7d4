"""The appointment notes of the patient's page — the note being written,
autosaved (a moment after typing, and on leaving, locking or closing), new
and deleted notes — and *Export for the clinical record*: the summary with
the notes chosen, as a password-protected PDF whose password is shown once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer

from journal.ui import dialogs
from journal.ui.pages.patient import PatientPage
from journal.ui.shell import Shell

if TYPE_CHECKING:
    from journal.core.vault.repositories.workspace import AppointmentNote
    from journal.core.vault.vault import Vault
    from journal.ui.clinical_record import PasswordDialog

AUTOSAVE_MS = 800


@dataclass
class _Draft:
    """The note in the editor. ``note_id`` is set on the vault thread by its
    first save, so saves queued before that one returns update the same note."""

    patient_id: int
    note_id: int | None


def _save_note(vault: Vault, draft: _Draft, day: date, body: str) -> AppointmentNote:
    note = vault.workspace.save_note(draft.patient_id, day, body, draft.note_id)
    draft.note_id = note.id
    return note


class AppointmentNotes(QObject):
    """The notes tab's work, for the workspace flow. ``failed``: where an
    error goes (the flow shows its sentence)."""

    def __init__(
        self, shell: Shell, page: PatientPage, *, failed: Callable[[BaseException], None]
    ) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.patient = page
        self._failed = failed
        self.read_only = False
        self._draft: _Draft | None = None
        self._dirty = False
        self.password_dialog: PasswordDialog | None = None  # the last one shown
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.flush)
        notes = page.notes
        notes.chosen.connect(self._on_note_chosen)
        notes.new_note.connect(self.new_note)
        notes.delete_note.connect(self.delete_note)
        notes.edited.connect(self._on_note_edited)
        notes.export_record.connect(self.export_record)

    @property
    def patient_id(self) -> int | None:
        return self.patient.patient_id

    def show(self, patient_id: int, notes: list[AppointmentNote], *, again: bool) -> None:
        """The patient's notes, and in the editor today's (or a new one for
        today). Shown ``again`` (the same patient): the note being written stays."""
        tab = self.patient.notes
        if again and self._draft is not None:
            tab.show_notes(notes, current=self._draft.note_id)
            return
        today = date.today()
        note = next((n for n in notes if n.day == today), None)
        self._draft = _Draft(patient_id, note.id if note else None)
        tab.show_notes(notes, current=self._draft.note_id)
        tab.edit(note, today)

    def forget(self) -> None:
        """The patient is no longer shown (call `flush` first)."""
        self._draft = None

    def _on_note_edited(self) -> None:
        if self._draft is None or self.read_only:
            return
        self._dirty = True
        self.patient.notes.saved.setText("")
        # Started by the first unsaved change, not restarted by later ones: a
        # therapist typing without pause is saved every AUTOSAVE_MS all the same.
        if not self.autosave.isActive():
            self.autosave.start()

    def flush(self) -> None:
        """Save the note being written now (the timer, leaving, locking, closing)."""
        self.autosave.stop()
        draft = self._draft
        if not self._dirty or draft is None or not self.shell.unlocked:
            self._dirty = False
            return
        self._dirty = False
        notes = self.patient.notes
        day, body = notes.day_chosen(), notes.body()

        def saved(note: AppointmentNote) -> None:
            if self._draft is draft and self.patient_id == note.patient_id:
                self.patient.notes.saved_note(note)

        self.shell.submit(lambda vault: _save_note(vault, draft, day, body), saved, self._failed)

    def _on_note_chosen(self, note_id: int) -> None:
        if self._draft is not None and self._draft.note_id == note_id:
            return
        self.flush()
        patient_id = self.patient_id
        note = next((n for n in self.patient.notes.notes if n.id == note_id), None)
        if patient_id is None or note is None:
            return
        self._draft = _Draft(patient_id, note_id)
        self.patient.notes.edit(note, date.today())

    def new_note(self) -> None:
        self.flush()
        patient_id = self.patient_id
        if patient_id is None:
            return
        self._draft = _Draft(patient_id, None)
        notes = self.patient.notes
        notes.show_notes(notes.notes, current=None)
        notes.edit(None, date.today())
        notes.editor.setFocus()

    def delete_note(self) -> None:
        draft = self._draft
        notes = self.patient.notes
        self.flush()
        if draft is None or draft.patient_id != self.patient_id:
            return
        shown = notes.day_chosen()
        if not dialogs.confirm(
            self.shell.widget,
            "Delete the note",
            f"Delete your note of {shown.day} {shown:%B %Y}? It cannot be undone.",
            yes="Delete",
            no="Keep",
        ):
            return

        def delete(vault: Vault) -> list[AppointmentNote]:
            if draft.note_id is not None:
                vault.workspace.delete_note(draft.note_id)
            return vault.workspace.notes(draft.patient_id)

        def deleted(remaining: list[AppointmentNote]) -> None:
            if self.patient_id != draft.patient_id:
                return
            self._draft = _Draft(draft.patient_id, None)
            notes.show_notes(remaining, current=None)
            notes.edit(None, date.today())
            self.shell.status("The note was deleted.")

        self.shell.submit(delete, deleted, self._failed)

    # -- the clinical record ------------------------------------------------------------

    def export_record(self) -> None:
        from journal.ui.clinical_record import PasswordDialog, choose_notes

        view = self.patient.view
        if view is None:
            return
        self.flush()
        patient_id = view.patient.id
        chosen = choose_notes(self.shell.widget, view.patient.name, self.patient.notes.notes)
        if chosen is None:
            return
        path = dialogs.save_file_name(
            self.shell.widget,
            "Save the clinical record",
            f"clinical-record-{datetime.now():%Y-%m-%d}.pdf",
            "PDF files (*.pdf)",
        )
        if path is None:
            return
        self.shell.status("Writing the clinical record…")

        def export(vault: Vault) -> str:
            from journal.export import export_clinical_record

            return export_clinical_record(vault, patient_id, chosen, path)

        def done(password: str) -> None:
            if not self.shell.unlocked:
                # Locked meanwhile: the password is not shown over the lock, and
                # a PDF nobody can open is not left behind.
                path.unlink(missing_ok=True)
                self.shell.status("The workspace locked; the clinical record was not kept.")
                return
            self.shell.status(f"Saved {path.name}.")
            dialog = PasswordDialog(path.name, password, self.shell.widget)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.password_dialog = dialog
            dialog.open()

        self.shell.submit(export, done, self._failed)
