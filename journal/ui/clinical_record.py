"""*Export for the clinical record*: choosing which appointment notes go
with the patient's summary, then the PDF's password, shown once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QListWidgetItem, QVBoxLayout, QWidget

from journal.core.vault.repositories.workspace import AppointmentNote
from journal.core.workspace.record import day_text
from journal.ui.clipboard import copy_secret
from journal.ui.item_views import wrapping_list
from journal.ui.widgets import ResponsiveRow, button, fit_dialog, label

ID_ROLE = Qt.ItemDataRole.UserRole + 1
STRENGTH = (
    "The PDF's protection is only as strong as this password. Keep it apart from the "
    "file — in your password manager, not in the same folder or message."
)


class RecordDialog(QDialog):
    """Tick the notes to include (none are ticked at first); ``chosen()``."""

    def __init__(self, patient: str, notes: list[AppointmentNote], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export for the clinical record")
        self.list = wrapping_list("Appointment notes to include")
        self.list.setMinimumHeight(120)
        for note in sorted(notes, key=lambda n: n.day):
            first = " ".join(note.body.split())
            item = QListWidgetItem(f"{day_text(note)} — {first[:70] or '(empty)'}")
            item.setData(ID_ROLE, note.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        if notes:
            self.list.setCurrentRow(0)
        self.list.setVisible(bool(notes))
        self.export = button("Export…", accessible="Export the clinical record", primary=True)
        cancel = button("Cancel")
        self.export.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(28, 20, 28, 12)
        layout.setSpacing(12)
        layout.addWidget(
            label(
                f"A PDF protected by a password: the summary of {patient}'s journal across "
                "every bundle kept, and the appointment notes you tick below — no others."
            )
        )
        layout.addWidget(
            label("Space ticks the highlighted note.", name="hint")
            if notes
            else label("There are no appointment notes yet; the PDF holds the summary.")
        )
        layout.addWidget(self.list, 1)
        actions = ResponsiveRow(cancel, self.export, stretches=(0, 0))
        actions.row.insertStretch(1, 1)
        fit_dialog(self, content, actions, width=900, height=620)
        (self.list if notes else self.export).setFocus()

    def chosen(self) -> set[int]:
        return {
            int(item.data(ID_ROLE))
            for item in (self.list.item(row) for row in range(self.list.count()))
            if item.checkState() == Qt.CheckState.Checked
        }


def choose_notes(parent: QWidget, patient: str, notes: list[AppointmentNote]) -> set[int] | None:
    """The ids of the notes ticked, or None when cancelled (tests answer this)."""
    dialog = RecordDialog(patient, notes, parent)
    try:
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


class PasswordDialog(QDialog):
    """The new PDF's password, shown only now, with a copy button."""

    def __init__(self, file_name: str, password: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("The clinical record's password")
        self.password = label(password, name="code")
        self.password.setAccessibleName("PDF password")
        self.password.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = label("", name="hint")
        self.copy = button("Copy", accessible="Copy the password")
        self.copy.clicked.connect(self._copy)
        close = button("Close", primary=True)
        close.clicked.connect(self.accept)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(28, 20, 28, 12)
        layout.setSpacing(14)
        layout.addWidget(label(f"Saved {file_name}. Its password, shown only now:"))
        layout.addWidget(self.password)
        layout.addWidget(label(STRENGTH))
        layout.addWidget(self.status)
        actions = ResponsiveRow(self.copy, close, stretches=(0, 0))
        actions.row.insertStretch(1, 1)
        fit_dialog(self, content, actions, width=860, height=520)
        close.setFocus()

    def _copy(self) -> None:
        copy_secret(QGuiApplication.clipboard(), self.password.text())
        self.status.setText("Copied. The clipboard is cleared in 30 seconds.")

    def close_for_lock(self) -> None:
        """Locking: the password goes from the screen (it was shown once)."""
        self.password.clear()
        self.reject()
