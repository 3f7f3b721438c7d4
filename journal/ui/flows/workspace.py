"""The therapist's workspace: the patients, one patient read across every
bundle kept, the agenda's "discussed" marks, search, the appointment notes
and the clinical record (`journal.ui.flows.appointment_notes`) — and keeping
a bundle from the reader.

Everything that reads or writes the workspace runs on the vault thread; the
pages only show what comes back. Locking clears both pages and forgets the
patient shown (`clear`), after the note being written is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from journal.core.text import count
from journal.ui import dialogs
from journal.ui.flows.appointment_notes import AppointmentNotes
from journal.ui.pages.patient import PatientPage
from journal.ui.pages.patients import PatientsPage
from journal.ui.shell import Shell

if TYPE_CHECKING:
    from journal.core.sharing.bundle import OpenedBundle
    from journal.core.vault.repositories.workspace import Patient
    from journal.core.vault.vault import Vault
    from journal.core.workspace.keeping import Kept
    from journal.core.workspace.view import Hit, PatientView

NEW_PATIENT = 0  # the chooser's id for "A new patient"
Report = Callable[[str, bool], None]  # a sentence for the reader; whether it was kept


def _opening(text: str) -> str:
    """An entry's first words, as a list shows them (Markdown marks aside)."""
    lines = (line.strip().lstrip("#*->0123456789. ").strip() for line in text.splitlines())
    return " · ".join(line for line in lines if line)[:200]


def _view(vault: Vault, patient_id: int) -> tuple[PatientView, str]:
    from journal.core.sharing.report import report_html
    from journal.core.workspace.view import patient_view

    view = patient_view(vault, patient_id)
    across = f"Across {count(len(view.bundles), 'bundle')} kept" if view.bundles else "No bundles"
    return view, report_html(view.content, title=across)


class WorkspaceFlow(QObject):
    """Owns the patients page and the patient's page."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.patients = PatientsPage()
        self.patient = PatientPage()
        self.read_only = False
        self.notes = AppointmentNotes(shell, self.patient, failed=self._failed)
        self.patients.open_patient.connect(self.open_patient)
        self.patients.rename_patient.connect(self.rename)
        self.patients.remove_patient.connect(self.remove)
        self.patient.back.connect(lambda: self.go_patients())
        self.patient.discussed.connect(self._on_discussed)
        self.patient.query_changed.connect(self._on_query)
        self.patient.tabs.currentChanged.connect(lambda _index: self.flush_note())

    def pages(self) -> dict[str, QWidget]:
        return {"patients": self.patients, "patient": self.patient}

    @property
    def patient_id(self) -> int | None:
        """The patient shown (unlocking returns to them)."""
        return self.patient.patient_id

    def clear(self) -> None:
        self.flush_note()
        self.notes.forget()
        self.patients.clear()
        self.patient.clear()

    def flush_note(self) -> None:
        """Save the appointment note being written now (leaving, locking, closing)."""
        self.notes.flush()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = self.notes.read_only = read_only
        self.patients.set_read_only(read_only)
        self.patient.set_read_only(read_only)

    # -- the patients ----------------------------------------------------------------

    def go_patients(self, *, select: int | None = None) -> None:
        if not self.shell.unlocked:
            return
        self.flush_note()

        def show(patients: list[Patient]) -> None:
            if not self.shell.unlocked:
                return  # locked meanwhile: nothing comes back on screen
            self.patients.show_patients(patients, select=select)
            self.shell.show_page("patients")
            self._forget_patient()

        self.shell.submit(lambda vault: vault.workspace.patients(), show)

    def refresh(self) -> None:
        """After a bundle was kept: the list (and the patient shown) anew."""
        if not self.shell.unlocked:
            return
        self.shell.submit(lambda vault: vault.workspace.patients(), self._show_patients)
        shown = self.patient_id
        if shown is not None:
            self.flush_note()
            self.shell.submit(lambda vault: _view(vault, shown), self._show_view)

    def _show_patients(self, patients: list[Patient]) -> None:
        if self.shell.unlocked:
            self.patients.show_patients(patients)

    def _forget_patient(self) -> None:
        """Back on the list: no patient's content stays in the other page."""
        self.notes.forget()
        self.patient.clear()

    def open_patient(self, patient_id: int) -> None:
        if not self.shell.unlocked:
            return
        self.flush_note()

        def show(result: tuple[PatientView, str]) -> None:
            if self.shell.unlocked:
                self._show_view(result)
                self.shell.show_page("patient")

        self.shell.submit(lambda vault: _view(vault, patient_id), show, self._failed)

    def _show_view(self, result: tuple[PatientView, str]) -> None:
        if not self.shell.unlocked:
            return
        view, html = result
        same = self.patient_id == view.patient.id
        self.patient.show_view(view, html)
        self.notes.show(view.patient.id, view.notes, again=same)

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
        given = report

        def told(text: str, kept: bool) -> None:
            if shiboken6.isValid(parent):  # the reader may have been closed meanwhile
                given(text, kept)

        report = told
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
            report(kept.sentence, True)
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
            return [Hit(e, _opening(e.text)) for e in reversed(content.entries)]

        def show(hits: list[Hit]) -> None:
            if (
                self.shell.unlocked
                and self.patient.view is view
                and self.patient.field.text() == query
            ):
                self.patient.show_hits(hits, query)

        self.shell.run(find, show)
