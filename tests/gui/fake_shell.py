"""A `Shell` for testing one flow alone: operations run at once, on a real
vault, on the test's thread; pages go into a real stacked widget; moves to
other flows and status sentences are recorded for the test to read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QStackedWidget, QWidget

from journal.core.errors import JournalError, VaultLocked
from journal.core.vault.vault import Vault
from journal.ui.settings import Settings
from journal.ui.shell import Done, Failed, Flow, Opener, Operation


class FakeShell:
    """Holds one flow's pages; ``vault`` is None until something opens it."""

    def __init__(self, *, settings: Settings, vault_path: Path, vault: Vault | None) -> None:
        self.settings = settings
        self.vault_path = vault_path
        self.vault = vault
        self.stack = QStackedWidget()
        self.stack.resize(1200, 860)
        self.pages: dict[str, QWidget] = {}
        self.statuses: list[str] = []
        self.failures: list[str] = []  # sentences shown for failures
        self.moves: list[tuple[str, object]] = []  # ("open_entry", 3), ("go_home", None) …

    def add(self, flow: Flow) -> None:
        for name, page in flow.pages().items():
            self.pages[name] = page
            self.stack.addWidget(page)

    @property
    def unlocked(self) -> bool:
        return self.vault is not None and self.vault.is_open

    @property
    def workspace(self) -> bool:
        return self.unlocked and self.vault is not None and self.vault.is_workspace

    @property
    def widget(self) -> QWidget:
        return self.stack

    @property
    def current(self) -> str:
        widget = self.stack.currentWidget()
        return next((name for name, page in self.pages.items() if page is widget), "")

    def submit(
        self, operation: Operation, on_done: Done | None, on_error: Failed | None = None
    ) -> None:
        def job() -> Any:
            if not self.unlocked:
                raise VaultLocked()
            return operation(self.vault)  # type: ignore[arg-type]

        self._settle(job, on_done, on_error)

    def run(self, job: Callable[[], Any], on_done: Done, on_error: Failed | None = None) -> None:
        self._settle(job, on_done, on_error)

    def open_with(self, opener: Opener, on_done: Done, on_error: Failed) -> None:
        def job() -> Vault:
            self.vault = opener()
            return self.vault

        self._settle(job, on_done, on_error)

    def _settle(
        self, job: Callable[[], Any], on_done: Done | None, on_error: Failed | None
    ) -> None:
        try:
            result = job()
        except Exception as error:
            if on_error is None:
                self.show_failure(error, self.failures.append)
            else:
                on_error(error)
            return
        if on_done is not None:
            on_done(result)

    def show_page(self, name: str) -> None:
        self.stack.setCurrentWidget(self.pages[name])

    def status(self, text: str, msecs: int = 8000) -> None:
        self.statuses.append(text)

    def show_failure(
        self, error: BaseException, show: Callable[[str], object], *, bug_text: str = ""
    ) -> None:
        if not isinstance(error, JournalError):
            raise error  # a bug fails the test
        show(error.message)

    def go_home(self) -> None:
        self.moves.append(("go_home", None))

    def open_entry(self, entry_id: int, highlight: object = ()) -> None:
        self.moves.append(("open_entry", entry_id))

    def go_motifs(self) -> None:
        self.moves.append(("go_motifs", None))

    def lock(self, *, keep: QDialog | None = None, return_home: bool = False) -> None:
        self.moves.append(("lock", return_home))

    def opened(self, *, return_home: bool = False, read_only: bool = False) -> None:
        self.moves.append(("opened", return_home))
