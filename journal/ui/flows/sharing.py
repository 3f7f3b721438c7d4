"""Sharing with the therapist: preparing a bundle (choose, preview, protect,
save), opening bundles in the therapist's reader — which, opened from an
unlocked workspace, keeps them there — and the sharing key."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from journal.core.sharing import report, share
from journal.core.vault.vault import Vault
from journal.export import export_for_therapy
from journal.ui import dialogs
from journal.ui.clipboard import copy_secret
from journal.ui.pages.prepare import PreparePage, SendChoice
from journal.ui.runner import VaultRunner
from journal.ui.shell import Shell

if TYPE_CHECKING:
    from journal.ui.reader import Keep


class SharingFlow(QObject):
    """Owns the prepare page and the reader windows it opened. ``keep``: how
    a reader keeps its bundle in the open workspace (the workspace flow's)."""

    def __init__(self, shell: Shell, *, keep: Keep | None = None) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.keep = keep
        self.page = page = PreparePage()
        self.readers: list[QWidget] = []
        page.period_changed.connect(self._on_prepare_period)
        page.preview_requested.connect(self._on_prepare_preview)
        page.save_requested.connect(self._on_prepare_save)
        page.cancelled.connect(shell.go_home)
        page.add_key_from_file.connect(self._on_key_from_file)
        page.copy_button.clicked.connect(
            lambda: copy_secret(QGuiApplication.clipboard(), page.secret_label.text())
        )

    def pages(self) -> dict[str, QWidget]:
        return {"prepare": self.page}

    def clear(self) -> None:
        self.page.clear()

    def close_readers(self) -> None:
        for reader in list(self.readers):
            reader.close()

    def go_prepare(self) -> None:
        if not self.shell.unlocked:
            return

        def show(result: tuple[Any, list[Any]]) -> None:
            self.page.start(*result)
            self.shell.show_page("prepare")

        self.shell.submit(lambda vault: (share.last_export(vault), vault.keys.contacts()), show)

    def _on_prepare_period(self, since: datetime | None) -> None:
        """Offer what may be shared from ``since`` (None: everything)."""
        now = datetime.now().astimezone()

        def load(vault: Vault) -> share.BundleContent:
            selection = share.offer(vault, since=since, everything=since is None)
            return share.collect(vault, selection, now=now, attachment_bytes=False)

        self.shell.submit(load, self.page.show_offer)

    def _on_prepare_preview(self, selection: share.Selection) -> None:
        now = datetime.now().astimezone()
        self.shell.submit(
            lambda vault: report.report_html(share.collect(vault, selection, now=now)),
            self.page.show_preview,
        )

    def _on_prepare_save(self, selection: share.Selection, choice: SendChoice) -> None:
        today = f"{datetime.now():%Y-%m-%d}"
        suffix, kind = (
            (".pdf", "PDF files (*.pdf)")
            if choice.method == "pdf"
            else (".agb", "Afterglow bundles (*.agb)")
        )
        path = dialogs.save_file_name(
            self.shell.widget, "Save for your therapist", f"afterglow-{today}{suffix}", kind
        )
        if path is None:
            return
        self.page.save_button.setEnabled(False)

        def export(vault: Vault) -> tuple[str, str]:
            """On the vault thread: remember a new therapist key, then export."""
            therapist, recipient = "", None
            if choice.method == "key":
                contact = choice.contact or vault.keys.add_contact(
                    choice.new_key_name, choice.new_key
                )
                therapist, recipient = contact.name, contact.recipient
            result = export_for_therapy(
                vault,
                selection,
                bundle_path=None if choice.method == "pdf" else path,
                share_code=choice.method == "code",
                recipient=recipient,
                pdf_in_bundle=choice.include_pdf,
                protected_pdf_path=path if choice.method == "pdf" else None,
                recipient_name=choice.recipient_name if choice.method == "code" else "",
            )
            return result.share_code or result.pdf_password or "", therapist

        def done(result: tuple[str, str]) -> None:
            self.page.save_button.setEnabled(True)
            secret, therapist = result
            self.page.show_done(choice.method, secret, therapist=therapist)

        def failed(error: BaseException) -> None:
            self.page.save_button.setEnabled(True)
            self.shell.show_failure(error, self.page.show_error)

        self.shell.submit(export, done, failed)

    def _on_key_from_file(self) -> None:
        path = dialogs.open_file_name(
            self.shell.widget, "Your therapist's key", "Text files (*.txt);;All (*)"
        )
        if path is None:
            return
        try:
            with path.open("rb") as stream:  # a key file is one short line
                text = stream.read(4096).decode("utf-8", errors="replace")
        except OSError:
            self.page.show_error("That file could not be read.")
            return
        key = next((w for w in text.split() if w.startswith("age1")), "")
        if not key:
            self.page.show_error("No therapist key (starting with “age1”) in that file.")
            return
        self.page.new_key.setText(key)

    def open_bundle(self) -> None:
        path = dialogs.open_file_name(
            self.shell.widget, "Open a bundle", "Afterglow bundles (*.agb);;All (*)"
        )
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> None:
        """The reader for the bundle at ``path`` (chosen, forwarded by a second
        start, or double-clicked), with the journal's keys when it is open."""
        if self.shell.unlocked:
            self.shell.submit(
                lambda vault: vault.keys.identity_secrets(),
                lambda ids: self._show_reader(path, ids),
            )
        else:
            self._show_reader(path, None)

    def _show_reader(self, path: Path, identities: list[str] | None) -> None:
        from journal.ui.reader import ReaderWindow

        vault_path = None if self.shell.unlocked else self.shell.vault_path
        in_workspace = self.shell.unlocked and self.shell.workspace
        reader = ReaderWindow(
            bundle_path=path,
            vault_path=vault_path,
            runner=VaultRunner(),
            identities=identities,
            keep=self.keep if in_workspace else None,
        )
        reader.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        reader.destroyed.connect(
            lambda: self.readers.remove(reader) if reader in self.readers else None
        )
        self.readers.append(reader)
        reader.show()

    def show_sharing_key(self) -> None:
        from journal.ui.sharing_key import SharingKeyDialog

        def load(vault: Vault) -> Any:
            keys = vault.keys.sharing_keys()
            return keys[0] if keys else vault.keys.create_identity()

        def show(key: Any) -> None:
            dialog = SharingKeyDialog(key, self.shell.widget)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

        self.shell.submit(load, show)
