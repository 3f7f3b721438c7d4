"""Keeping the journal safe from the main window: the daily automatic
backup on lock and quit, "Back up now…", "Restore from backup…" and
"Export everything…". Every file operation runs on the vault thread.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
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
from journal.core.sharing import archive
from journal.core.vault import backup
from journal.core.vault import vault as vaults
from journal.core.vault.vault import Vault
from journal.ui import dialogs
from journal.ui.widgets import button, button_row, label, passphrase_field

if TYPE_CHECKING:
    from journal.ui.main_window import MainWindow

UNENCRYPTED_WARNING = (
    "An unencrypted folder can be read by anyone with access to this computer, its "
    "backups or the drive you save it to — private entries included. Use it only to "
    "move your journal somewhere you trust."
)


def _dialog_layout(dialog: QDialog, title: str, hint: str) -> QVBoxLayout:
    """A dialog's column: its title, then a sentence saying what it does."""
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(28, 24, 28, 20)
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
        layout = _dialog_layout(
            self,
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
        layout.addWidget(button_row(self.cancel, self.restore))
        self.resize(860, 800)

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
        layout = _dialog_layout(
            self,
            "Export everything",
            "Your whole journal — private entries too — as Markdown files, data and "
            "attachments, to keep or to move. It opens without Afterglow: age -d, then unzip.",
        )
        for widget in (self.encrypted, self.passphrase, self.repeat, self.plain, self.warning):
            layout.addWidget(widget)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(button_row(cancel, self.go))
        self.resize(820, 620)

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


class SafekeepingFlow(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: QDialog | None = None  # the open restore or export dialog

    # -- automatic ---------------------------------------------------------------

    def backup_if_due(self) -> None:
        """Queue the daily backup; runs on the vault thread before it closes."""

        def failed(error: BaseException) -> None:
            text = error.message if isinstance(error, JournalError) else type(error).__name__
            self.window.statusBar().showMessage(
                f"The daily backup could not be made: {text}", 15000
            )

        self.window.runner.submit(lambda vault: backup.auto_backup(vault), None, failed)

    # -- back up now ---------------------------------------------------------------

    def back_up_now(self) -> None:
        if not self.window.unlocked:
            return
        folder = dialogs.existing_directory(self.window, "Back up to which folder?")
        if folder is None:
            return

        def done(info: backup.BackupInfo) -> None:
            dialogs.show_message(
                self.window,
                "Backed up",
                f"Your journal was backed up to {info.path}.\n\nThe backup is encrypted; "
                "restoring it needs the passphrase you have today.",
            )

        self.window.submit(lambda vault: backup.make_backup(vault, folder), done)

    # -- restore -------------------------------------------------------------------

    def open_restore(self) -> None:
        """Reads the backups' manifests off the GUI thread, then asks."""
        folder = backup.backups_folder(self.window.vault_path)
        self.window.runner.run(lambda: backup.list_backups(folder), self._show_restore)

    def _show_restore(self, found: list[backup.BackupInfo]) -> None:
        dialog = RestoreDialog(found, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restore_requested.connect(
            lambda folder, secret: self._restore(dialog, folder, secret)
        )
        dialog.open()
        self.dialog = dialog

    def _restore(self, dialog: RestoreDialog, folder: Path, passphrase: str) -> None:
        window = self.window
        if window.unlocked:
            window.lock(keep=dialog)  # saves the draft, makes the daily backup, closes
        path = window.vault_path
        box: dict[str, Any] = {}

        def opener() -> Vault:
            box["kept"] = backup.restore(path, folder, passphrase)
            return vaults.unlock(path, passphrase)

        def done(_vault: Vault) -> None:
            dialog.accept()
            window.opened_after_restore()
            kept = box.get("kept")
            note = f" The journal it replaced is kept as backup {kept.name}." if kept else ""
            window.statusBar().showMessage(f"Restored the backup.{note}", 20000)

        def failed(error: BaseException) -> None:
            window.show_failure(
                error,
                dialog.show_error,
                bug_text="Afterglow hit a bug while restoring; nothing was changed.",
            )

        window.runner.open_with(opener, done, failed)

    # -- export everything ------------------------------------------------------------

    def open_export(self) -> None:
        if not self.window.unlocked:
            return
        dialog = ExportEverythingDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.export_requested.connect(
            lambda encrypted, secret: self._export(dialog, encrypted, secret)
        )
        dialog.open()
        self.dialog = dialog

    def _export(self, dialog: ExportEverythingDialog, encrypted: bool, passphrase: str) -> None:
        now = datetime.now().astimezone()
        if encrypted:
            target = dialogs.save_file_name(
                dialog, "Save the encrypted export", "afterglow-journal.age", "age files (*.age)"
            )
            if target is None:
                return

            def operation(vault: Vault) -> archive.ArchiveResult:
                return archive.export_encrypted(vault, target, passphrase, now=now)

        else:
            if not dialogs.confirm(
                dialog,
                "Write unencrypted files?",
                UNENCRYPTED_WARNING,
                yes="Write unencrypted files",
                no="Cancel",
            ):
                return
            folder = dialogs.existing_directory(dialog, "Choose a new or empty folder")
            if folder is None:
                return

            def operation(vault: Vault) -> archive.ArchiveResult:
                return archive.export_plain(vault, folder, now=now)

        def done(result: archive.ArchiveResult) -> None:
            dialog.accept()
            dialogs.show_message(
                self.window,
                "Exported",
                f"{result.entries} entries were written to {result.path}"
                + ("" if result.encrypted else " — unencrypted.")
                + ("." if result.encrypted else ""),
            )

        self.window.runner.submit(
            operation, done, lambda error: self.window.show_failure(error, dialog.error.setText)
        )
