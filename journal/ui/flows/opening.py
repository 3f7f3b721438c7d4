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

from journal.ui.shell import NamedPage, Shell

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from journal.core.sync.engine import SyncReport
    from journal.core.vault.keyfile import KdfParams
    from journal.core.vault.vault import Vault
    from journal.ui.pages.first_run import CreateVaultPage, RecoveryCodePage, WelcomePage
    from journal.ui.pages.join_page import JoinPage
    from journal.ui.pages.unlock import RecoverPage, UnlockPage


class OpeningFlow(QObject):
    """The pages before the journal is open. ``kdf``: the key-derivation
    cost for a new passphrase (tests use a cheap one).

    Each page is made when first wanted (`page`) and handed to ``add_pages``:
    a start shows one of them, and its first paint should not wait for the
    others."""

    # Made right after the first paint; joining a synced folder only when wanted.
    EVERY_START = ("welcome", "create", "recovery_code", "unlock", "recover")
    PAGES = (*EVERY_START, "join")

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
        self._vault_name = vault_name
        self._add_pages = add_pages
        self._made: dict[str, QWidget] = {}
        self._warned_on_close = False  # closing once more leaves without the code

    def page(self, name: str) -> QWidget:
        """The page called ``name``, made (and added to the window) if it was not yet."""
        if name not in self._made:
            page = self._make(name)
            self._made[name] = page
            if self._add_pages is not None:
                self._add_pages({name: page})
        return self._made[name]

    def _make(self, name: str) -> QWidget:
        # Each page's module is loaded with it: the unlock window needs only its own.
        if name in ("unlock", "recover"):
            return self._make_unlocking(name)
        if name == "join":  # a start that unlocks never builds it
            from journal.ui.pages.join_page import JoinPage

            join = JoinPage()
            join.back.connect(lambda: self.shell.show_page("welcome"))
            join.join_requested.connect(self.join)
            return join
        from journal.ui.pages import first_run

        if name == "welcome":
            welcome = first_run.WelcomePage()
            welcome.start.connect(lambda: self.shell.show_page("create"))
            welcome.join.connect(lambda: self.shell.show_page("join"))
            return welcome
        if name == "create":
            create = first_run.CreateVaultPage(self._vault_name)
            create.create_requested.connect(self.create)
            return create
        if name == "recovery_code":
            code = first_run.RecoveryCodePage()
            code.done.connect(self._after_recovery_code)
            return code
        raise KeyError(name)

    def _make_unlocking(self, name: str) -> QWidget:
        from journal.ui.pages.unlock import RecoverPage, UnlockPage

        if name == "unlock":
            unlock = UnlockPage(self._vault_name)
            unlock.unlock_requested.connect(self.unlock)
            unlock.forgot.connect(lambda: self.shell.show_page("recover"))
            return unlock
        recover = RecoverPage()
        recover.back.connect(lambda: self.shell.show_page("unlock"))
        recover.recover_requested.connect(self.recover)
        return recover

    welcome: NamedPage[WelcomePage] = NamedPage("welcome")
    create_page: NamedPage[CreateVaultPage] = NamedPage("create")
    recovery_code: NamedPage[RecoveryCodePage] = NamedPage("recovery_code")
    unlock_page: NamedPage[UnlockPage] = NamedPage("unlock")
    recover_page: NamedPage[RecoverPage] = NamedPage("recover")
    join_page: NamedPage[JoinPage] = NamedPage("join")

    def pages(self) -> dict[str, QWidget]:
        """Every page, made now (for a shell that shows them all at once)."""
        return {name: self.page(name) for name in self.PAGES}

    def clear(self) -> None:
        """Once the journal is open: no passphrase or code stays in a field."""
        if "unlock" in self._made:
            self.unlock_page.clear()
        if "recover" in self._made:
            self.recover_page.clear()
        if "join" in self._made:
            self.join_page.clear()

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
        if current_page != "recovery_code" or "recovery_code" not in self._made:
            return True
        if not self.recovery_code.code_label.text():
            return True
        if self.recovery_code.stored.isChecked() or self._warned_on_close:
            self._confirm()
            return True
        self._warned_on_close = True
        self.recovery_code.warn_before_closing()
        return False
