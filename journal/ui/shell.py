"""What a flow may ask of the window that holds it.

A flow (opening the journal, home, recall, reading, search, imagery,
check-ins, sharing, safekeeping, the therapist's workspace) owns its pages and
their wiring, and gets a `Shell` in its constructor. It never imports the main window: `MainWindow`
implements this protocol and composes the flows, and a test can give a flow a
small fake shell that runs operations on a real vault at once
(`tests/gui/fake_shell.py`).

Operations are plain functions taking the open `Vault`; they run on the one
thread that owns the database (`journal.ui.runner`), and their results come
back on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QWidget

    from journal.core.vault.vault import Vault
    from journal.ui.settings import Settings

Operation = Callable[["Vault"], Any]
Opener = Callable[[], "Vault"]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]

P = TypeVar("P", bound="QWidget")


class NamedPage(Generic[P]):
    """A page by its name, made when first wanted: on a window or a flow with
    ``page(name)``, ``owner.home`` is ``owner.page("home")``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, owner: Any, owner_type: Any = None) -> P:
        return cast(P, owner.page(self.name))


class Shell(Protocol):
    """The window, as the flows see it."""

    settings: Settings
    vault_path: Path

    @property
    def unlocked(self) -> bool:
        """Whether the journal is open (operations fail with `VaultLocked` if not)."""
        ...

    @property
    def workspace(self) -> bool:
        """Whether the open vault is a therapist's workspace (not a journal)."""
        ...

    @property
    def widget(self) -> QWidget:
        """The window, as the parent of a flow's dialogs."""
        ...

    def submit(
        self, operation: Operation, on_done: Done | None, on_error: Failed | None = None
    ) -> None:
        """Run ``operation(vault)`` on the vault thread; ``on_done(result)`` on
        the GUI thread. A failure goes to ``on_error``; without one it is shown
        to the person (their error as its sentence, a bug as a bug)."""
        ...

    def run(self, job: Callable[[], Any], on_done: Done, on_error: Failed | None = None) -> None:
        """Run work that needs no open vault (reading backups) off the GUI thread."""
        ...

    def open_with(self, opener: Opener, on_done: Done, on_error: Failed) -> None:
        """Run ``opener()`` (create, unlock, recover, restore) on the vault
        thread and keep the vault it returns."""
        ...

    def show_page(self, name: str) -> None:
        """Bring one of the window's pages to the front, by its name."""
        ...

    def status(self, text: str, msecs: int = 8000) -> None:
        """A short sentence in the status bar (never journal content)."""
        ...

    def show_failure(
        self, error: BaseException, show: Callable[[str], object], *, bug_text: str = ""
    ) -> None:
        """Where a screen shows its own errors: a person's error as its
        sentence through ``show``; a bug reported as a bug (and ``bug_text``,
        if given, through ``show``)."""
        ...

    # -- moving between flows -------------------------------------------------

    def go_home(self) -> None: ...

    def open_entry(self, entry_id: int, highlight: Sequence[str] = ()) -> None:
        """The entry, with ``highlight`` (words searched for) marked in it."""
        ...

    def go_motifs(self) -> None: ...

    def lock(self, *, keep: QDialog | None = None, return_home: bool = False) -> None:
        """Save the draft, close dialogs (but ``keep``), clear every page, close
        the vault. Unlocking returns to the same place, or home."""
        ...

    def opened(self, *, return_home: bool = False, read_only: bool = False) -> None:
        """The vault is open (after creating, unlocking, recovering or a
        restore): show the journal where the person was, or home; say so if
        it can only be read here."""
        ...


class Flow(Protocol):
    """A flow the window holds: its pages by name, and what it forgets on lock."""

    def pages(self) -> dict[str, QWidget]: ...

    def clear(self) -> None:
        """On lock: drop decrypted content from its pages and memory."""
        ...
