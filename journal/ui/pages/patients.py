"""The therapist's workspace at a glance: each patient with how many bundles
were kept and when the newest was made; Enter opens one. An empty workspace
says what to do first."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from journal.core.text import count, day
from journal.core.vault.repositories.workspace import Patient
from journal.ui.item_views import wrapping_list
from journal.ui.widgets import ResponsiveRow, button, label, scrolled

ID_ROLE = Qt.ItemDataRole.UserRole + 1

EMPTY_TEXT = (
    "No patients yet. Give each patient your sharing key (My sharing key…): their "
    "Afterglow then encrypts bundles that only this workspace opens. When a patient "
    "sends you a bundle (an .agb file), open it here (Open a bundle…) and press "
    "“Keep in my workspace” — they appear in this list."
)


def patient_line(patient: Patient) -> str:
    """ "3 bundles · the newest made 2 December 2026"."""
    newest = f" · the newest made {day(patient.last_made_at)}" if patient.last_made_at else ""
    return f"{count(patient.bundles, 'bundle')}{newest}"


class PatientsPage(QWidget):
    """Emits ``open_patient(int)``, ``rename_patient(int)``,
    ``remove_patient(int)``, ``open_bundle`` and ``sharing_key``."""

    open_patient = Signal(int)
    rename_patient = Signal(int)
    remove_patient = Signal(int)
    open_bundle = Signal()
    sharing_key = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.patients: list[Patient] = []
        self.list = wrapping_list("Patients")
        self.list.setSpacing(2)
        # As tall as there is room for (its own preferred height never makes
        # the page scroll), and a few rows at least.
        self.list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.list.setMinimumHeight(160)
        self.list.itemActivated.connect(self._on_activated)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.empty = label(EMPTY_TEXT, name="hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.open_button = button("Open", accessible="Open the patient", primary=True)
        self.rename_button = button("Rename…")
        self.remove_button = button("Remove…")
        self.bundle_button = button("Open a bundle…")
        self.key_button = button("My sharing key…")
        self.open_button.clicked.connect(lambda: self._emit(self.open_patient))
        self.rename_button.clicked.connect(lambda: self._emit(self.rename_patient))
        self.remove_button.clicked.connect(lambda: self._emit(self.remove_patient))
        self.bundle_button.clicked.connect(self.open_bundle)
        self.key_button.clicked.connect(self.sharing_key)
        self.for_patient = ResponsiveRow(self.open_button, self.rename_button, self.remove_button)
        self.for_workspace = ResponsiveRow(self.bundle_button, self.key_button)
        self.status = label("", name="hint")
        self.status.setAccessibleName("Workspace status")
        self.status.hide()
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.setSpacing(14)
        layout.addWidget(label("Your patients", name="title"))
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.for_patient)
        layout.addWidget(self.status)
        layout.addWidget(self.for_workspace)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolled(inner))
        self.show_patients([])

    def show_patients(self, patients: list[Patient], *, select: int | None = None) -> None:
        """The list, with ``select`` (a patient's id) or the first one current."""
        chosen = self.current_id() if select is None else select
        self.patients = patients
        self.list.clear()
        for patient in patients:
            item = QListWidgetItem(f"{patient.name}\n{patient_line(patient)}")
            item.setData(ID_ROLE, patient.id)
            spoken = f"{patient.name}, {patient_line(patient)}"
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
            self.list.addItem(item)
        rows = [i for i, p in enumerate(patients) if p.id == chosen]
        if patients:
            self.list.setCurrentRow(rows[0] if rows else 0)
        self.empty.setVisible(not patients)
        self.list.setVisible(bool(patients))
        self.for_patient.setVisible(bool(patients))
        self._update_buttons()

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(ID_ROLE))

    def patient(self, patient_id: int) -> Patient | None:
        return next((p for p in self.patients if p.id == patient_id), None)

    def say(self, text: str) -> None:
        """A sentence under the list (a refusal, what was removed)."""
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def set_read_only(self, read_only: bool) -> None:
        self.rename_button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only)

    def clear(self) -> None:
        self.say("")
        self.show_patients([])

    def _update_buttons(self) -> None:
        chosen = self.current_id() is not None
        for widget in (self.open_button, self.rename_button, self.remove_button):
            widget.setEnabled(chosen)

    def _emit(self, signal: SignalInstance) -> None:
        chosen = self.current_id()
        if chosen is not None:
            signal.emit(chosen)

    def _on_activated(self, item: QListWidgetItem) -> None:
        self.open_patient.emit(int(item.data(ID_ROLE)))

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        (self.list if self.patients else self.bundle_button).setFocus()
