"""Asking for what syncing needs: the folder (`FolderChoice`), and on the
first computer "Use a synced folder" (`SetupSyncDialog`). Joining from the
next computer is a page before the journal opens
(`journal.ui.pages.join_page`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal.ui import dialogs
from journal.ui.widgets import (
    ResponsiveRow,
    announce,
    button,
    button_row,
    fit_dialog,
    label,
    passphrase_field,
)


def _finish(
    dialog: Any,
    content: QWidget,
    layout: QVBoxLayout,
    passphrase_label: str,
    code_label: str,
    *,
    size: tuple[int, int],
) -> None:
    """The secrets both sync dialogs ask for, their busy and error lines, and
    the buttons; the dialog's own action is the default, so Enter in a field
    does it (set once the button is in the dialog, so not Cancel)."""
    layout.addWidget(label(passphrase_label))
    layout.addWidget(dialog.passphrase)
    layout.addWidget(label(code_label))
    layout.addWidget(dialog.code)
    layout.addWidget(dialog.busy)
    layout.addWidget(dialog.error)
    layout.addStretch(1)
    width, height = size
    fit_dialog(dialog, content, button_row(dialog.cancel, dialog.go), width=width, height=height)
    dialog.go.setDefault(True)


def computer_name_field() -> QLineEdit:
    from journal.core.sync.config import this_computer

    field = QLineEdit(this_computer())
    field.setAccessibleName("A name for this computer")
    field.setPlaceholderText("A name for this computer, such as Laptop")
    field.setMaxLength(80)
    return field


class FolderChoice(QWidget):
    """The folder chosen (shown as its path) and "Choose the folder…"; ``changed``."""

    changed = Signal()

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.caption = caption
        self.folder: Path | None = None
        self.shown = label("No folder chosen yet.", name="hint")
        self.shown.setAccessibleName("The sync folder")
        self.choose = button("Choose the folder…", accessible="Choose the sync folder")
        self.choose.clicked.connect(self._on_choose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(ResponsiveRow(self.choose, self.shown, stretches=(0, 1)))

    def _on_choose(self) -> None:
        chosen = dialogs.existing_directory(self, self.caption)
        if chosen is not None:
            self.set_folder(chosen)

    def set_folder(self, folder: Path | None) -> None:
        self.folder = folder
        self.shown.setText(str(folder) if folder else "No folder chosen yet.")
        self.shown.setObjectName("" if folder else "hint")
        self.shown.style().polish(self.shown)
        self.changed.emit()


class SetupSyncDialog(QDialog):
    """The folder, this computer's name, the passphrase (what the other
    computers join with) and, if the person wants, the recovery code.
    ``setup_requested(Path folder, str name, str passphrase, str code)``."""

    setup_requested = Signal(object, str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Use a synced folder")
        self.folder = FolderChoice("Choose the folder your sync app shares")
        self.name = computer_name_field()
        self.passphrase = passphrase_field("Your passphrase")
        self.code = QLineEdit()
        self.code.setAccessibleName("Recovery code (optional)")
        self.code.setPlaceholderText("Recovery code (optional)")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName("Setting up sync")
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.hide()
        self.error = label("", name="error")
        self.error.setAccessibleName("Problem")
        self.go = button("Start syncing", primary=True)
        self.go.clicked.connect(self._on_go)
        self.cancel = button("Cancel")
        self.cancel.clicked.connect(self.reject)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(28, 24, 28, 12)
        layout.setSpacing(12)
        layout.addWidget(label("Use a synced folder", name="title"))
        layout.addWidget(
            label(
                "Choose a folder that Syncthing, Nextcloud, Dropbox — or a USB stick you "
                "carry — moves between your computers. Afterglow writes only encrypted "
                "files there, never your journal's file itself.",
                name="hint",
            )
        )
        layout.addWidget(self.folder)
        layout.addWidget(label("A name for this computer, so you can tell them apart:"))
        layout.addWidget(self.name)
        _finish(
            self,
            content,
            layout,
            "Your passphrase, so your other computers can join with it:",
            "Your recovery code, if you want another computer to be able to join "
            "with it too (you can leave this empty):",
            size=(860, 760),
        )
        self.folder.changed.connect(self.error.clear)

    def _on_go(self) -> None:
        if self.folder.folder is None:
            self.show_error("Choose the folder your sync app shares first.")
            self.folder.choose.setFocus()
            return
        if not self.passphrase.text():
            self.show_error("Type your passphrase: your other computers join with it.")
            self.passphrase.setFocus()
            return
        self.set_busy(True)
        self.setup_requested.emit(
            self.folder.folder, self.name.text(), self.passphrase.text(), self.code.text().strip()
        )

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.error.setText("Setting up sync… this takes a moment." if busy else "")
        self.error.setObjectName("hint" if busy else "error")
        self.error.style().polish(self.error)
        for widget in (self.go, self.folder, self.name, self.passphrase, self.code):
            widget.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        announce(self.error)
        if self.passphrase.text():
            self.passphrase.selectAll()

    def done(self, result: int) -> None:
        self.passphrase.clear()
        self.code.clear()
        super().done(result)

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.folder.choose.setFocus(Qt.FocusReason.OtherFocusReason)


class RemoveComputerDialog(QDialog):
    """ "Remove this computer…": what removing does, the passphrase (the new
    key is kept under it) and, if the person wants, the recovery code.
    ``remove_requested(str passphrase, str code)``."""

    remove_requested = Signal(str, str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Remove “{name}”")
        self.passphrase = passphrase_field("Your passphrase")
        self.code = QLineEdit()
        self.code.setAccessibleName("Recovery code (optional)")
        self.code.setPlaceholderText("Recovery code (optional)")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName("Removing the computer")
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.hide()
        self.error = label("", name="error")
        self.error.setAccessibleName("Problem")
        self.go = button("Remove this computer", primary=True, accessible=f"Remove “{name}”")
        self.go.clicked.connect(self._on_go)
        self.cancel = button("Cancel", accessible="Cancel, keep this computer")
        self.cancel.clicked.connect(self.reject)
        explained = label(
            f"“{name}” will read nothing written from now on, and what it sends is no "
            "longer used. What it already has stays on it: if whoever has it may know "
            "your passphrase, change your passphrase too.",
            name="hint",
        )
        explained.setAccessibleName("What removing does")
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(28, 24, 28, 12)
        layout.setSpacing(12)
        layout.addWidget(label(f"Remove “{name}”", name="title"))
        layout.addWidget(explained)
        _finish(
            self,
            content,
            layout,
            "Your passphrase, so your other computers keep syncing:",
            "Your recovery code, if a new computer should still be able to join "
            "with it (you can leave this empty):",
            size=(820, 600),
        )

    def _on_go(self) -> None:
        if not self.passphrase.text():
            self.show_error("Type your passphrase first.")
            self.passphrase.setFocus()
            return
        self.set_busy(True)
        self.remove_requested.emit(self.passphrase.text(), self.code.text().strip())

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.error.setText("Removing the computer… this takes a moment." if busy else "")
        self.error.setObjectName("hint" if busy else "error")
        self.error.style().polish(self.error)
        for widget in (self.go, self.passphrase, self.code):
            widget.setEnabled(not busy)
        self._in_view(self.error)

    def _in_view(self, widget: QWidget) -> None:
        """On a small screen the content scrolls: what it says now in view."""
        scroll = self.findChild(QScrollArea)
        if scroll is not None:
            scroll.ensureWidgetVisible(widget)

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        self._in_view(self.error)
        announce(self.error)
        if self.passphrase.text():
            self.passphrase.selectAll()
            self.passphrase.setFocus()

    def done(self, result: int) -> None:
        self.passphrase.clear()
        self.code.clear()
        super().done(result)

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)
