"""The date of the next session, if the patient wants to enter it: on that
day the home suggests "Before my session" first."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QDateEdit, QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from journal.ui.widgets import label

SESSION = (
    "My next session",
    "I know the date of my next session",
    "Date of the next session",
    "On that day the home screen offers “Before my session” first. "
    "The date stays inside your encrypted journal.",
)
APPOINTMENT = (
    "My next therapy appointment",
    "I know the date of my next therapy appointment",
    "Date of the next therapy appointment",
    "Two days before it, the home screen suggests preparing what to share with your "
    "therapist. The date stays inside your encrypted journal.",
)


class NextSessionDialog(QDialog):
    """The date of the next session — or, with ``texts=APPOINTMENT``, of the
    next talk-therapy appointment."""

    def __init__(
        self,
        parent: QWidget | None,
        current: date | None,
        today: date,
        texts: tuple[str, str, str, str] = SESSION,
    ) -> None:
        super().__init__(parent)
        title, known, field, hint = texts
        self.setWindowTitle(title)
        self.known = QCheckBox(known)
        self.known.setAccessibleName(known)
        self.known.setChecked(current is not None)
        self.day = QDateEdit()
        self.day.setAccessibleName(field)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("d MMMM yyyy")
        self.day.setMinimumDate(QDate(today.year, today.month, today.day))
        shown = current or today
        self.day.setDate(QDate(shown.year, shown.month, shown.day))
        self.day.setEnabled(current is not None)
        self.known.toggled.connect(self.day.setEnabled)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.addWidget(label(hint, name="hint"))
        layout.addWidget(self.known)
        layout.addWidget(self.day)
        layout.addWidget(buttons)
        self.resize(640, 300)

    def chosen(self) -> date | None:
        if not self.known.isChecked():
            return None
        picked = self.day.date().toPython()
        assert isinstance(picked, date)
        return picked
