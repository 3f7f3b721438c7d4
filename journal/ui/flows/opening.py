"""Opening the journal: the first run (welcome, choosing a passphrase, the
recovery code shown once — or joining a journal from a synced folder),
unlocking, and recovering with the recovery code.

Creating, unlocking and recovering run on the vault thread: Argon2id takes a
noticeable moment and the window must stay responsive meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from journal.ui.pages.first_run import CreateVaultPage, RecoveryCodePage, WelcomePage
from journal.ui.pages.unlock import RecoverPage, UnlockPage
from journal.ui.shell import Shell

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from journal.core.sync.engine import SyncReport
    from journal.core.vault.keyfile import KdfParams
    from journal.core.vault.vault import Vault
    from journal.ui.pages.join_page import JoinPage


class OpeningFlow(QObject):
    """The pages before the journal is open. ``kdf``: the key-derivation
    cost for a new passphrase (tests use a cheap one)."""

    def __init__(
        self,
        shell: Shell,
        *,
        vault_name: str,
        kdf: KdfParams | None = None,
        add_pages: Callable[[dict[str, QWidget]], None] | None = None,
    ) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.kdf = kdf
        self._add_pages = add_pages
        self._join_page: JoinPage | None = None
        self.welcome = WelcomePage()
        self.create_page = CreateVaultPage(vault_name)
        self.recovery_code = RecoveryCodePage()
        self._warned_on_close = False  # closing once more leaves without the code
        self.unlock_page = UnlockPage(vault_name)
        self.recover_page = RecoverPage()
        self.welcome.start.connect(lambda: shell.show_page("create"))
        self.create_page.create_requested.connect(self.create)
        self.recovery_code.done.connect(self._after_recovery_code)
        self.unlock_page.unlock_requested.connect(self.unlock)
        self.unlock_page.forgot.connect(lambda: shell.show_page("recover"))
        self.recover_page.back.connect(lambda: shell.show_page("unlock"))
        self.recover_page.recover_requested.connect(self.recover)
        self.welcome.join.connect(self._go_join)

    @property
    def join_page(self) -> JoinPage:
        """Made when first wanted: a start that unlocks never builds it."""
        if self._join_page is None:
            from journal.ui.pages.join_page import JoinPage

            self._join_page = JoinPage()
            self._join_page.back.connect(lambda: self.shell.show_page("welcome"))
            self._join_page.join_requested.connect(self.join)
            if self._add_pages is not None:
                self._add_pages({"join": self._join_page})
        return self._join_page

    def _go_join(self) -> None:
        self.join_page  # noqa: B018 (made and added to the window's pages)
        self.shell.show_page("join")

    def pages(self) -> dict[str, QWidget]:
        pages: dict[str, QWidget] = {
            "welcome": self.welcome,
            "create": self.create_page,
            "recovery_code": self.recovery_code,
            "unlock": self.unlock_page,
            "recover": self.recover_page,
        }
        if self._add_pages is None:  # no way to add it later: it is one of them now
            pages["join"] = self.join_page
        return pages

    def clear(self) -> None:
        """Once the journal is open: no passphrase or code stays in a field."""
        self.unlock_page.clear()
        self.recover_page.clear()
        if self._join_page is not None:
            self._join_page.clear()

    def create(self, passphrase: str, therapist: bool = False) -> None:
        """A new journal — or, ``therapist``, a workspace for patients' bundles."""
        from journal.core.vault import vault as vaults

        path, kdf = self.shell.vault_path, self.kdf
        box: dict[str, str] = {}

        def opener() -> Vault:
            # Kept once the person has seen the code (`_confirm`); a crash
            # before then removes the new, empty vault at the next start.
            vault, code = vaults.create(
                path, passphrase, kdf=kdf, pending=True, therapist=therapist
            )
            box["code"] = code
            return vault

        def done(_vault: object) -> None:
            self.create_page.clear()
            self.recovery_code.set_code(box.pop("code"))
            self.shell.show_page("recovery_code")

        self.shell.open_with(opener, done, lambda e: self._failed(e, self.create_page))

    def _after_recovery_code(self) -> None:
        self.recovery_code.clear()
        self._confirm()
        self.shell.opened()

    def _confirm(self) -> None:
        self.shell.submit(lambda vault: vault.confirm_created(), None)

    def unlock(self, passphrase: str) -> None:
        from journal.core.vault import vault as vaults

        path = self.shell.vault_path
        self.shell.open_with(
            lambda: vaults.unlock(path, passphrase),
            lambda vault: self.shell.opened(read_only=vault.read_only),
            lambda e: self._failed(e, self.unlock_page),
        )

    def join(self, folder: Path, name: str, secret: str, recovery: bool) -> None:
        """Make this computer's vault from the journal synced in ``folder``
        (key derivation and reading the folder run on the vault thread),
        then open it as an unlock does."""
        from journal.core.sync import joining

        path = self.shell.vault_path
        box: dict[str, SyncReport] = {}

        def opener() -> Vault:
            vault, box["report"] = joining.join(
                folder, path, secret, device_name=name, recovery=recovery
            )
            return vault

        def done(_vault: Vault) -> None:
            self.shell.opened(return_home=True)
            waiting = box.pop("report").pending
            more = " Some of it is still on its way and is added as it arrives." if waiting else ""
            self.shell.status(f"Joined: your journal is on this computer now.{more}", 15000)

        self.shell.open_with(opener, done, lambda e: self._failed(e, self.join_page))

    def open_demo(self, folder: Path) -> None:
        """Make the sample journal in ``folder`` on the vault thread and open
        it (`demo_vault`: its passphrase is public, its key derivation cheap)."""
        from journal.core.journal.demo_vault import open_demo_vault

        self.shell.open_with(
            lambda: open_demo_vault(folder),
            lambda _vault: self.shell.opened(),
            lambda e: self._failed(e, self.unlock_page),
        )

    def recover(self, code: str, passphrase: str) -> None:
        from journal.core.sync.joining import renew_passphrase
        from journal.core.vault import vault as vaults

        path, kdf = self.shell.vault_path, self.kdf

        def recovered() -> vaults.Vault:
            vault = vaults.recover(path, code, passphrase, kdf=kdf)
            try:  # a synced journal's folder learns the new passphrase
                renew_passphrase(vault, passphrase, kdf=kdf)
            except BaseException:
                vault.close()
                raise
            return vault

        self.shell.open_with(
            recovered,
            lambda _v: self.shell.opened(),
            lambda e: self._failed(e, self.recover_page),
        )

    def _failed(self, error: BaseException, page: Any) -> None:
        self.shell.show_failure(
            error,
            page.show_error,
            bug_text="Afterglow hit a bug while opening the journal. Please try again.",
        )

    def may_close(self, current_page: str) -> bool:
        """False when the person wants to go back to a recovery code not yet stored."""
        if current_page != "recovery_code" or not self.recovery_code.code_label.text():
            return True
        if self.recovery_code.stored.isChecked() or self._warned_on_close:
            self._confirm()
            return True
        self._warned_on_close = True
        self.recovery_code.warn_before_closing()
        return False
