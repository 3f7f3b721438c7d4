"""Keeping the journal safe: the daily automatic backup on lock and quit,
"Back up now…", "Restore from backup…" and "Export everything…". Every file
operation runs off the GUI thread (on the vault thread, or as work that
needs no vault).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog

from journal.core.errors import JournalError
from journal.core.sharing import archive
from journal.core.vault import backup
from journal.core.vault import vault as vaults
from journal.core.vault.vault import Vault
from journal.ui import dialogs
from journal.ui.safekeeping import UNENCRYPTED_WARNING, ExportEverythingDialog, RestoreDialog
from journal.ui.shell import Shell


class SafekeepingFlow(QObject):
    """Backups, restore and export of everything; no pages of its own."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.dialog: QDialog | None = None  # the open restore or export dialog

    # -- automatic ---------------------------------------------------------------

    def backup_if_due(self) -> None:
        """Queue the daily backup; runs on the vault thread before it closes."""

        def failed(error: BaseException) -> None:
            text = error.message if isinstance(error, JournalError) else type(error).__name__
            self.shell.status(f"The daily backup could not be made: {text}", 15000)

        self.shell.submit(lambda vault: backup.auto_backup(vault), None, failed)

    # -- back up now ---------------------------------------------------------------

    def back_up_now(self) -> None:
        if not self.shell.unlocked:
            return
        folder = dialogs.existing_directory(self.shell.widget, "Back up to which folder?")
        if folder is None:
            return

        def done(info: backup.BackupInfo) -> None:
            dialogs.show_message(
                self.shell.widget,
                "Backed up",
                f"Your journal was backed up to {info.path}.\n\nThe backup is encrypted; "
                "restoring it needs the passphrase you have today.",
            )

        self.shell.submit(lambda vault: backup.make_backup(vault, folder), done)

    # -- restore -------------------------------------------------------------------

    def open_restore(self) -> None:
        """Reads the backups' manifests off the GUI thread, then asks."""
        folder = backup.backups_folder(self.shell.vault_path)
        self.shell.run(lambda: backup.list_backups(folder), self._show_restore)

    def _show_restore(self, found: list[backup.BackupInfo]) -> None:
        dialog = RestoreDialog(found, self.shell.widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restore_requested.connect(
            lambda folder, secret: self._restore(dialog, folder, secret)
        )
        dialog.open()
        self.dialog = dialog

    def _restore(self, dialog: RestoreDialog, folder: Path, passphrase: str) -> None:
        shell = self.shell
        if shell.unlocked:
            shell.lock(keep=dialog)  # saves the draft, makes the daily backup, closes
        path = shell.vault_path
        box: dict[str, Any] = {}

        def opener() -> Vault:
            box["kept"] = backup.restore(path, folder, passphrase)
            return vaults.unlock(path, passphrase)

        def done(_vault: Vault) -> None:
            dialog.accept()
            shell.opened(return_home=True)
            kept = box.get("kept")
            note = f" The journal it replaced is kept as backup {kept.name}." if kept else ""
            shell.status(f"Restored the backup.{note}", 20000)

        def failed(error: BaseException) -> None:
            shell.show_failure(
                error,
                dialog.show_error,
                bug_text="Afterglow hit a bug while restoring; nothing was changed.",
            )

        shell.open_with(opener, done, failed)

    # -- export everything ------------------------------------------------------------

    def open_export(self) -> None:
        if not self.shell.unlocked:
            return
        dialog = ExportEverythingDialog(self.shell.widget)
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
                self.shell.widget,
                "Exported",
                f"{result.entries} entries were written to {result.path}"
                + ("" if result.encrypted else " — unencrypted.")
                + ("." if result.encrypted else ""),
            )

        self.shell.submit(
            operation, done, lambda error: self.shell.show_failure(error, dialog.error.setText)
        )
