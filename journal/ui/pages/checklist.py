"""The treatment day's checklist: ticked by keyboard (Tab, Space), never
required; the list is the patient's own to change, or their clinic's."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from journal.core.practice.checklist import MAX_ITEMS, Checklist
from journal.ui.widgets import button, button_row, centered_column, fill_with_actions, label


class ChecklistPage(QWidget):
    """``proceed(ticked)``, ``back``; ``edit_requested``, ``clinic_requested``."""

    proceed = Signal(list)
    back = Signal()
    edit_requested = Signal()
    clinic_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.heading = label("Treatment day", name="title")
        self.items: list[QCheckBox] = []
        self.rows = QVBoxLayout()
        self.rows.setContentsMargins(0, 0, 0, 0)
        holder = QWidget()
        holder.setLayout(self.rows)
        self.edit = button("Change the list…")
        self.edit.clicked.connect(self.edit_requested)
        self.clinic = button("Use my clinic's list…")
        self.clinic.clicked.connect(self.clinic_requested)
        self.go_on = button("Continue", primary=True)
        self.go_on.clicked.connect(lambda: self.proceed.emit(self.ticked()))
        self.go_back = button("Back")
        self.go_back.clicked.connect(self.back)
        changes = QWidget()
        row = QVBoxLayout(changes)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(button_row(self.edit, self.clinic))
        column = centered_column(
            self.heading,
            label(
                "As your clinic told you. Tick what is done — nothing here is required.",
                name="hint",
            ),
            holder,
            changes,
            max_width=900,
        )
        fill_with_actions(self, column, button_row(self.go_back, self.go_on))

    def show_list(self, checklist: Checklist, ticked: list[str]) -> None:
        while self.rows.count():
            taken = self.rows.takeAt(0)
            if taken is not None and taken.widget() is not None:
                taken.widget().deleteLater()  # type: ignore[union-attr]
        self.heading.setText(checklist.title)
        self.items = []
        for text in checklist.items:
            box = QCheckBox(text)
            box.setAccessibleName(text)
            box.setChecked(text in ticked)
            self.items.append(box)
            self.rows.addWidget(box)
        if not checklist.items:
            self.rows.addWidget(
                label("The list is empty. “Change the list…” adds to it.", name="hint")
            )

    def ticked(self) -> list[str]:
        return [box.text() for box in self.items if box.isChecked()]

    def clear(self) -> None:
        self.show_list(Checklist("Treatment day", ()), [])

    def focus_first(self) -> None:
        (self.items[0] if self.items else self.go_on).setFocus()

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.focus_first()


class ChecklistEditor(QDialog):
    """The list as text, one item a line."""

    def __init__(self, parent: QWidget | None, checklist: Checklist) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change the list")
        self.text = QPlainTextEdit("\n".join(checklist.items))
        self.text.setAccessibleName("Checklist items, one a line")
        self.text.setTabChangesFocus(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label(f"One item a line, up to {MAX_ITEMS}.", name="hint"))
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(760, 460)
        self.text.setFocus()

    def items(self) -> list[str]:
        return self.text.toPlainText().splitlines()
