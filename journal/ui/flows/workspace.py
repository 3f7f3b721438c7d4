"""The therapist's workspace: the patients, one patient read across every
bundle kept, the agenda's "discussed" marks, search, the appointment notes
(autosaved), the clinical record — and keeping a bundle from the reader.

Everything that reads or writes the workspace runs on the vault thread; the
pages only show what comes back. Locking clears both pages and forgets the
patient shown (`clear`), after the note being written is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDialog, QWidget

from journal.core.text import count
from journal.ui import dialogs
from journal.ui.pages.patient import PatientPage
from journal.ui.pages.patients import PatientsPage
from journal.ui.shell import Shell

if TYPE_CHECKING:
    from journal.core.sharing.bundle import OpenedBundle
    from journal.core.vault.repositories.workspace import AppointmentNote, Patient
    from journal.core.vault.vault import Vault
    from journal.core.workspace.keeping import Kept
    from journal.core.workspace.view import Hit, PatientView

AUTOSAVE_MS = 800
NEW_PATIENT = 0  # the chooser's id for "A new patient"
Report = Callable[[str, bool], None]  # a sentence for the reader; whether it was kept


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


def _view(vault: Vault, patient_id: int) -> tuple[PatientView, str]:
    from journal.core.sharing.report import report_html
    from journal.core.workspace.view import patient_view

    view = patient_view(vault, patient_id)
    return view, report_html(view.content)


class WorkspaceFlow(QObject):
    """Owns the patients page and the patient's page."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.patients = PatientsPage()
        self.patient = PatientPage()
        self.read_only = False
        self._draft: _Draft | None = None
        self._dirty = False
        self.password_dialog: QDialog | None = None
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.flush_note)
        self.patients.open_patient.connect(self.open_patient)
        self.patients.rename_patient.connect(self.rename)
        self.patients.remove_patient.connect(self.remove)
        self.patient.back.connect(lambda: self.go_patients())
        self.patient.discussed.connect(self._on_discussed)
        self.patient.query_changed.connect(self._on_query)
        self.patient.tabs.currentChanged.connect(lambda _index: self.flush_note())
        notes = self.patient.notes
        notes.chosen.connect(self._on_note_chosen)
        notes.new_note.connect(self.new_note)
        notes.delete_note.connect(self.delete_note)
        notes.edited.connect(self._on_note_edited)
        notes.export_record.connect(self.export_record)

    def pages(self) -> dict[str, QWidget]:
        return {"patients": self.patients, "patient": self.patient}

    @property
    def patient_id(self) -> int | None:
        """The patient shown (unlocking returns to them)."""
        return self.patient.patient_id

    def clear(self) -> None:
        self.flush_note()
        self._draft = None
        self.patients.clear()
        self.patient.clear()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.patients.set_read_only(read_only)
        self.patient.set_read_only(read_only)

    # -- the patients ----------------------------------------------------------------

    def go_patients(self, *, select: int | None = None) -> None:
        if not self.shell.unlocked:
            return
        self.flush_note()

        def show(patients: list[Patient]) -> None:
            self.patients.show_patients(patients, select=select)
            self.shell.show_page("patients")
            self._forget_patient()

        self.shell.submit(lambda vault: vault.workspace.patients(), show)

    def refresh(self) -> None:
        """After a bundle was kept: the list (and the patient shown) anew."""
        if not self.shell.unlocked:
            return
        self.shell.submit(lambda vault: vault.workspace.patients(), self.patients.show_patients)
        shown = self.patient_id
        if shown is not None:
            self.flush_note()
            self.shell.submit(lambda vault: _view(vault, shown), self._show_view)

    def _forget_patient(self) -> None:
        """Back on the list: no patient's content stays in the other page."""
        self._draft = None
        self.patient.clear()

    def open_patient(self, patient_id: int) -> None:
        if not self.shell.unlocked:
            return
        self.flush_note()

        def show(result: tuple[PatientView, str]) -> None:
            self._show_view(result)
            self.shell.show_page("patient")

        self.shell.submit(lambda vault: _view(vault, patient_id), show, self._failed)

    def _show_view(self, result: tuple[PatientView, str]) -> None:
        view, html = result
        draft = self._draft
        same = draft is not None and self.patient_id == view.patient.id
        self.patient.show_view(view, html)
        notes = self.patient.notes
        if same and draft is not None:  # shown anew: the note being written stays
            notes.show_notes(view.notes, current=draft.note_id)
            return
        today = date.today()
        note = next((n for n in view.notes if n.day == today), None)
        self._draft = _Draft(view.patient.id, note.id if note else None)
        notes.show_notes(view.notes, current=self._draft.note_id)
        notes.edit(note, today)

    def rename(self, patient_id: int) -> None:
        known = self.patients.patient(patient_id)
        if known is None:
            return
        name = dialogs.ask_text(
            self.shell.widget,
            "Rename the patient",
            "A name you will recognise. It stays in this workspace; the patient's journal "
            "never sees it.",
            known.name,
            ok="Rename",
        )
        if name is None or name == known.name:
            return
        self.shell.submit(
            lambda vault: vault.workspace.rename(patient_id, name),
            lambda renamed: self.go_patients(select=renamed.id),
            self._failed,
        )

    def remove(self, patient_id: int) -> None:
        known = self.patients.patient(patient_id)
        if known is None:
            return

        def ask(notes: int) -> None:
            question = (
                f"Remove {known.name}? This deletes {count(known.bundles, 'bundle')} and "
                f"{count(notes, 'appointment note')} from this workspace. It cannot be undone."
            )
            if not dialogs.confirm(
                self.shell.widget, "Remove the patient", question, yes="Remove", no="Keep"
            ):
                return
            self.shell.submit(
                lambda vault: vault.workspace.remove(patient_id),
                lambda _none: removed(),
                self._failed,
            )

        def removed() -> None:
            self.go_patients()
            self.patients.say(f"{known.name} was removed, with every bundle and note.")

        self.shell.submit(lambda vault: len(vault.workspace.notes(patient_id)), ask)

    def _failed(self, error: BaseException) -> None:
        self.shell.show_failure(error, self._say)

    def _say(self, text: str) -> None:
        if self.patient.isVisible():
            self.shell.status(text)
        else:
            self.patients.say(text)

    # -- keeping a bundle from the reader ----------------------------------------------

    def keep(self, opened: OpenedBundle, parent: QWidget, report: Report) -> None:
        """Keep a bundle the reader verified. One without a patient id (an older
        Afterglow) goes where the therapist chooses: a patient, or a new one."""
        if opened.content.patient_id:
            self._keep(opened, None, report)
            return

        def choose(patients: list[Patient]) -> None:
            if not patients:
                self._keep(opened, None, report)
                return
            chosen = dialogs.choose(
                parent,
                "Whose bundle is it?",
                "This bundle was made by an older Afterglow and does not say which journal "
                "it comes from. Keep it with:",
                [(NEW_PATIENT, "A new patient"), *((p.id, p.name) for p in patients)],
                choose="Keep it here",
            )
            if chosen is not None:
                self._keep(opened, None if chosen == NEW_PATIENT else chosen, report)

        self.shell.submit(
            lambda vault: vault.workspace.patients(),
            choose,
            lambda error: self.shell.show_failure(error, lambda text: report(text, False)),
        )

    def _keep(self, opened: OpenedBundle, patient_id: int | None, report: Report) -> None:
        from journal.core.workspace import keeping

        def done(kept: Kept) -> None:
            if kept.already:
                report("This bundle was kept already; nothing changed.", True)
            else:
                new = " You can rename them on the patients page." if kept.new_patient else ""
                report(f"Kept in your workspace under {kept.patient.name}.{new}", True)
            self.refresh()

        self.shell.submit(
            lambda vault: keeping.keep(vault, opened, patient_id=patient_id),
            done,
            lambda error: self.shell.show_failure(
                error,
                lambda text: report(text, False),
                bug_text="Afterglow hit a bug while keeping this bundle; nothing was kept.",
            ),
        )

    # -- the patient's page -------------------------------------------------------------

    def _on_discussed(self, key: str, discussed: bool) -> None:
        patient_id = self.patient_id
        if patient_id is None or self.read_only:
            return
        self.shell.submit(
            lambda vault: vault.workspace.mark_discussed(patient_id, key, discussed),
            None,
            self._failed,
        )

    def _on_query(self, query: str) -> None:
        from journal.core.workspace.view import Hit, search

        view = self.patient.view
        if view is None:
            return
        content = view.content

        def find() -> list[Hit]:
            if query.strip():
                return search(content, query)
            entries = reversed(content.entries)
            return [Hit(e, " ".join(e.text.split())[:200]) for e in entries]

        def show(hits: list[Hit]) -> None:
            if self.patient.view is view and self.patient.field.text() == query:
                self.patient.show_hits(hits, query)

        self.shell.run(find, show)

    # -- appointment notes ---------------------------------------------------------------

    def _on_note_edited(self) -> None:
        if self._draft is None or self.read_only:
            return
        self._dirty = True
        self.patient.notes.saved.setText("")
        # Started by the first unsaved change, not restarted by later ones: a
        # therapist typing without pause is saved every AUTOSAVE_MS all the same.
        if not self.autosave.isActive():
            self.autosave.start()

    def flush_note(self) -> None:
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
        self.flush_note()
        patient_id = self.patient_id
        note = next((n for n in self.patient.notes.notes if n.id == note_id), None)
        if patient_id is None or note is None:
            return
        self._draft = _Draft(patient_id, note_id)
        self.patient.notes.edit(note, date.today())

    def new_note(self) -> None:
        self.flush_note()
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
        self.flush_note()
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
        self.flush_note()
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
            self.shell.status(f"Saved {Path(path).name}.")
            dialog = PasswordDialog(path.name, password, self.shell.widget)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.password_dialog = dialog
            dialog.open()

        self.shell.submit(export, done, self._failed)
