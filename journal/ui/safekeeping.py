"""The dialogs of keeping the journal safe: restore from a backup, and export
everything (encrypted, or — after a warning — as a plain folder). The flow
behind them is `journal.ui.flows.safekeeping`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from journal.core.errors import JournalError
from journal.core.vault import backup
from journal.ui import dialogs
from journal.ui.widgets import button, button_row, fit_dialog, label, passphrase_field

if TYPE_CHECKING:
    pass

UNENCRYPTED_WARNING = (
    "An unencrypted folder can be read by anyone with access to this computer, its "
    "backups or the drive you save it to — private entries included. Use it only to "
    "move your journal somewhere you trust."
)


def _dialog_layout(content: QWidget, title: str, hint: str) -> QVBoxLayout:
    """A dialog's column: its title, then a sentence saying what it does."""
    layout = QVBoxLayout(content)
    layout.setContentsMargins(28, 24, 28, 12)
    layout.setSpacing(12)
    layout.addWidget(label(title, name="title"))
    layout.addWidget(label(hint, name="hint"))
    return layout


class RestoreDialog(QDialog):
    """Choose a backup and type its passphrase. ``restore_requested(Path, str)``."""

    restore_requested = Signal(object, str)

    def __init__(self, found: list[backup.BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.backups = QListWidget()
        self.backups.setAccessibleName("Backups")
        for info in found:
            self._add(info)
        if self.backups.count():
            self.backups.setCurrentRow(0)
        self.choose = button("Choose a backup folder…")
        self.choose.clicked.connect(self._choose_folder)
        self.passphrase = passphrase_field("Passphrase of the backup")
        self.passphrase.returnPressed.connect(self._on_restore)
        self.error = label("", name="error")
        self.restore = button("Restore", primary=True)
        self.restore.clicked.connect(self._on_restore)
        self.cancel = button("Cancel")
        self.cancel.clicked.connect(self.reject)
        content = QWidget()
        layout = _dialog_layout(
            content,
            "Restore from a backup",
            "The backup replaces the journal on this computer. The journal it replaces "
            "is kept as a backup too, so nothing is lost.",
        )
        layout.addWidget(label("No backups here yet." if not found else "Backups of this journal:"))
        self.backups.setMinimumHeight(120)
        layout.addWidget(self.backups)
        layout.addWidget(self.choose, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(
            label(
                "Its passphrase: usually your passphrase of today — or the one you had when "
                "the backup was made."
            )
        )
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error)
        layout.addStretch(1)
        fit_dialog(self, content, button_row(self.cancel, self.restore), width=860, height=800)

    def _add(self, info: backup.BackupInfo) -> QListWidgetItem:
        item = QListWidgetItem(backup.describe(info))
        item.setData(Qt.ItemDataRole.UserRole, str(info.path))
        self.backups.addItem(item)
        return item

    def _choose_folder(self) -> None:
        folder = dialogs.existing_directory(self, "Choose a backup folder")
        if folder is None:
            return
        try:
            info = backup.read_info(folder)
        except JournalError as error:
            self.show_error(error.message)
            return
        self.backups.setCurrentItem(self._add(info))
        self.error.clear()
        self.passphrase.setFocus()

    def chosen(self) -> Path | None:
        item = self.backups.currentItem()
        return None if item is None else Path(str(item.data(Qt.ItemDataRole.UserRole)))

    def _on_restore(self) -> None:
        folder = self.chosen()
        if folder is None:
            self.show_error("Choose a backup first.")
            return
        self.error.setText("Checking the backup…")
        self.restore.setEnabled(False)
        self.restore_requested.emit(folder, self.passphrase.text())

    def show_error(self, text: str) -> None:
        self.restore.setEnabled(True)
        self.error.setText(text)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def done(self, result: int) -> None:
        self.passphrase.clear()
        super().done(result)


class ExportEverythingDialog(QDialog):
    """Encrypted (with a passphrase) or, after a warning, a plain folder.
    ``export_requested(bool encrypted, str passphrase)``."""

    export_requested = Signal(bool, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export everything")
        self.encrypted = QRadioButton("Encrypted file (recommended)")
        self.encrypted.setChecked(True)
        self.plain = QRadioButton("Unencrypted folder")
        group = QButtonGroup(self)
        group.addButton(self.encrypted)
        group.addButton(self.plain)
        self.passphrase = passphrase_field("Passphrase for the export")
        self.repeat = passphrase_field("Repeat the passphrase")
        self.warning = label(UNENCRYPTED_WARNING, name="error")
        self.warning.hide()
        self.error = label("", name="error")
        self.go = button("Export…", primary=True)
        self.go.clicked.connect(self._on_export)
        cancel = button("Cancel")
        cancel.clicked.connect(self.reject)
        self.plain.toggled.connect(self._on_kind)
        content = QWidget()
        layout = _dialog_layout(
            content,
            "Export everything",
            "Your whole journal — private entries too — as Markdown files, data and "
            "attachments, to keep or to move. It opens without Afterglow: age -d, then unzip.",
        )
        for widget in (self.encrypted, self.passphrase, self.repeat, self.plain, self.warning):
            layout.addWidget(widget)
        layout.addWidget(self.error)
        layout.addStretch(1)
        fit_dialog(self, content, button_row(cancel, self.go), width=820, height=620)

    def _on_kind(self) -> None:
        plain = self.plain.isChecked()
        self.passphrase.setEnabled(not plain)
        self.repeat.setEnabled(not plain)
        self.warning.setVisible(plain)

    def _on_export(self) -> None:
        if self.encrypted.isChecked() and self.passphrase.text() != self.repeat.text():
            self.error.setText("The two passphrases are not the same.")
            return
        self.error.clear()
        self.export_requested.emit(self.encrypted.isChecked(), self.passphrase.text())

    def done(self, result: int) -> None:
        self.passphrase.clear()
        self.repeat.clear()
        super().done(result)
