"""Joining a journal from a synced folder, on the next computer: the folder,
a name for this computer, and the passphrase or the recovery code. Shown
before any journal exists here (from the welcome page)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QProgressBar, QRadioButton, QVBoxLayout, QWidget

from journal.ui.sync_dialogs import FolderChoice, computer_name_field
from journal.ui.widgets import (
    announce,
    button,
    button_row,
    centered_column,
    fill_with_actions,
    label,
    passphrase_field,
    show_typing,
)


class JoinPage(QWidget):
    """``join_requested(Path folder, str name, str secret, bool recovery)``; ``back``."""

    join_requested = Signal(object, str, str, bool)
    back = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.folder = FolderChoice("Choose the folder your sync app shares")
        self.name = computer_name_field()
        self.with_passphrase = QRadioButton("With my passphrase")
        self.with_code = QRadioButton("With my recovery code")
        self.way = QButtonGroup(self)
        for radio in (self.with_passphrase, self.with_code):
            self.way.addButton(radio)
        self.with_passphrase.setChecked(True)
        self.secret = passphrase_field("Passphrase")
        self.secret.returnPressed.connect(self._on_join)
        self.show_typed = show_typing(self.secret)
        self.with_code.toggled.connect(self._on_way)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName("Joining")
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.hide()
        self.error = label("", name="error")
        self.error.setAccessibleName("Problem")
        self.submit = button("Join my journal", primary=True)
        self.submit.clicked.connect(self._on_join)
        self.back_button = button("Back")
        self.back_button.clicked.connect(self.back)
        ways = QWidget()
        column = QVBoxLayout(ways)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(label("Open it:", name="hint"))
        column.addWidget(self.with_passphrase)
        column.addWidget(self.with_code)
        content = centered_column(
            label("Join my journal from a synced folder", name="title"),
            label(
                "On your first computer, choose “Use a synced folder…” in the File menu. "
                "Once your sync app has brought that folder here, choose it below.",
                name="hint",
            ),
            self.folder,
            label("A name for this computer:"),
            self.name,
            ways,
            self.secret,
            self.show_typed,
            self.busy,
            self.error,
        )
        fill_with_actions(self, content, button_row(self.back_button, self.submit))
        self.folder.changed.connect(self.error.clear)

    def _on_way(self) -> None:
        text = "Recovery code" if self.with_code.isChecked() else "Passphrase"
        self.secret.setAccessibleName(text)
        self.secret.setPlaceholderText(text)
        self.secret.clear()
        self.error.clear()

    def _on_join(self) -> None:
        if self.folder.folder is None:
            self.show_error("Choose the synced folder first.")
            self.folder.choose.setFocus()
            return
        if not self.secret.text():
            what = "recovery code" if self.with_code.isChecked() else "passphrase"
            self.show_error(f"Type your {what}: it opens the journal here.")
            self.secret.setFocus()
            return
        self.set_busy(True)
        self.join_requested.emit(
            self.folder.folder, self.name.text(), self.secret.text(), self.with_code.isChecked()
        )

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.submit.setText("Joining…" if busy else "Join my journal")
        self.submit.setAccessibleName(self.submit.text())
        for widget in (self.submit, self.back_button, self.folder, self.name, self.secret):
            widget.setEnabled(not busy)
        for radio in (self.with_passphrase, self.with_code):
            radio.setEnabled(not busy)

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error.setText(message)
        announce(self.error)
        if self.secret.text():
            self.secret.selectAll()
            self.secret.setFocus()

    def clear(self) -> None:
        self.secret.clear()
        self.error.clear()
        self.folder.set_folder(None)
        self.with_passphrase.setChecked(True)
        self.set_busy(False)

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.folder.choose.setFocus()
