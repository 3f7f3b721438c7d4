"""Syncing through a folder an engine moves: "Use a synced folder…", the
sync page (status, the conflicts to decide, "Remove this computer…") and
"Sync now" — and syncing
by itself: on unlock, a few seconds after the last change, and when files
arrive in the folder.

Every sync runs on the vault thread (`Shell.submit`), one at a time: asked
again while one runs, one more follows it. While one runs, the page offers
"Stop syncing": a thread-safe flag `engine.sync_now` checks between the
files it writes (each file sent stays sent; what is left waits for the next
sync). When the journal does not sync, nothing happens and nothing is said.
Joining from the next computer is part of opening the journal
(`journal.ui.flows.opening`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from journal.core.errors import JournalError
from journal.ui.pages.sync_page import SyncPage
from journal.ui.shell import Shell

if TYPE_CHECKING:
    from journal.core.sync.conflicts import Conflict
    from journal.core.sync.engine import SyncReport
    from journal.core.sync.status import SyncStatus
    from journal.core.vault.keyfile import KdfParams
    from journal.core.vault.vault import Vault
    from journal.ui.sync_dialogs import RemoveComputerDialog, SetupSyncDialog

AFTER_CHANGE_MS = 5000  # sync this long after the last change (debounced)
AFTER_ARRIVAL_MS = 1500  # and this long after files last arrived in the folder
STOPPED = "Sync stopped: what was already sent stays sent, and the rest goes with the next sync."
STOPPED_SHORT = "Sync stopped: the rest goes with the next sync."  # the status bar


@dataclass
class Outcome:
    """What the vault thread hands back: the sync's report (None when none
    ran), the status after it, the conflicts and the folders to watch;
    ``stopped``: Stop was asked and the sync ended early."""

    status: SyncStatus
    report: SyncReport | None = None
    conflicts: list[Conflict] = field(default_factory=list)
    watch: list[str] = field(default_factory=list)
    stopped: bool = False


def _watched(vault: Vault) -> list[str]:
    """The journal's folder and every other device's folder in it (not this
    device's own: what it writes there itself is no news)."""
    from journal.core.sync import folder
    from journal.core.sync.config import load_config

    config = load_config(vault.db)
    top = folder.journal_dir(config.root, config.journal)
    try:
        others = [str(p) for p in top.iterdir() if p.is_dir() and p.name != config.device]
    except OSError:
        return []
    return [str(top), *others]


def _look(vault: Vault, report: SyncReport | None = None) -> Outcome:
    from journal.core.sync import conflicts, status

    found = status.status(vault.db)
    if not found.set_up:
        return Outcome(found)
    return Outcome(found, report, conflicts.pending(vault.db), _watched(vault))


def _sync(
    vault: Vault, *, only_if_changed: bool, cancelled: Callable[[], bool] = lambda: False
) -> Outcome:
    """One sync (`engine.sync_now`, stopping once ``cancelled()``), or —
    ``only_if_changed`` and nothing waits to be sent — just a look. Nothing
    at all when sync is not set up."""
    from journal.core.sync import engine, status
    from journal.core.sync.config import is_set_up

    if not is_set_up(vault.db):
        return Outcome(status.SyncStatus(set_up=False))
    if only_if_changed and status.status(vault.db).to_send == 0:
        return _look(vault)
    report = engine.sync_now(vault, cancelled=cancelled)
    outcome = _look(vault, report)
    outcome.stopped = cancelled()  # asked before it ended: it may have ended early
    return outcome


class SyncFlow(QObject):
    """Owns the sync page. ``received``: a sync brought changes from another
    computer (the window reloads what shows the journal). ``kdf``: the key
    derivation cost of the folder's key file (tests use a cheap one)."""

    received = Signal()

    def __init__(self, shell: Shell, *, kdf: KdfParams | None = None) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.kdf = kdf
        self.page = SyncPage()
        self.page.sync_now.connect(self.sync_now)
        self.page.set_up.connect(self.open_setup)
        self.page.back.connect(shell.go_home)
        self.page.keep.connect(self.keep)
        self.page.remove.connect(self.open_remove)
        self.page.stop.connect(self.stop)
        self.set_up = False
        self.running = False  # a sync is on the vault thread
        self.again = False  # asked meanwhile: one more after it
        self.cancel = threading.Event()  # "Stop syncing": set here, read on the vault thread
        self.own = 0  # this flow's operations in flight (their end is no change)
        self.dialog: SetupSyncDialog | RemoveComputerDialog | None = None
        self.after_change = self._timer(AFTER_CHANGE_MS, lambda: self.sync(only_if_changed=True))
        self.after_arrival = self._timer(AFTER_ARRIVAL_MS, self.sync)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda _path: self.after_arrival.start())

    def _timer(self, msecs: int, slot: Any) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(msecs)
        timer.timeout.connect(slot)
        return timer

    def pages(self) -> dict[str, QWidget]:
        return {"sync": self.page}

    def clear(self) -> None:
        """On lock: no status, no timers, no watching; a sync under way stops
        after the file it is writing (the vault closes after it)."""
        self.cancel.set()
        self.after_change.stop()
        self.after_arrival.stop()
        self._watch([])
        self.set_up = False
        self.again = False
        self.page.clear()

    # -- when -----------------------------------------------------------------------

    def opened(self) -> None:
        """The journal was unlocked: sync once, if it syncs."""
        self.sync()

    def vault_idle(self) -> None:
        """Every operation on the vault thread has ended: something may have
        been saved, so sync a little after the last one (not after this
        flow's own)."""
        if self.own or not self.set_up or not self.shell.unlocked:
            return
        self.after_change.start()

    def sync_now(self) -> None:
        """ "Sync now": a sync, whatever changed; its problems said on the page."""
        if not self.shell.unlocked or self.shell.workspace:
            return
        self.sync(manual=True)

    def sync(self, *, only_if_changed: bool = False, manual: bool = False) -> None:
        if not self.shell.unlocked or self.shell.workspace:
            return
        if self.running:
            self.again = True
            return
        self.running = True
        self.cancel = threading.Event()
        cancelled = self.cancel.is_set  # this sync's own flag
        self.page.set_busy(True, stoppable=True)
        if manual:
            self.shell.status("Syncing…", 3000)
        self._submit(
            lambda vault: _sync(vault, only_if_changed=only_if_changed, cancelled=cancelled),
            lambda outcome: self._synced(outcome, manual=manual),
            self._sync_failed,
        )

    def stop(self) -> None:
        """ "Stop syncing": the sync under way stops after the file it is
        writing, and no sync asked meanwhile follows it."""
        if not self.running or self.cancel.is_set() or self.page.stop_button.isHidden():
            return  # none under way (setting up is not stopped: it offers no Stop)
        self.cancel.set()
        self.again = False
        self.page.show_stopping()
        self.shell.status("Stopping the sync…", 3000)

    def _submit(self, operation: Any, on_done: Any, on_error: Any) -> None:
        """On the vault thread, counted as this flow's own."""
        self.own += 1

        def done(result: Any) -> None:
            self.own -= 1
            on_done(result)

        def failed(error: BaseException) -> None:
            self.own -= 1
            on_error(error)

        self.shell.submit(operation, done, failed)

    def _finished(self) -> None:
        self.running = False
        self.page.set_busy(False)
        if self.again and self.shell.unlocked:
            self.again = False
            self.sync()

    def _synced(self, outcome: Outcome, *, manual: bool) -> None:
        if not self.shell.unlocked:
            self.running = False
            return
        self._show(outcome)
        report = outcome.report
        if report is not None and report.received:
            self.received.emit()
        if outcome.stopped:
            self.page.show_said(STOPPED)
            self.shell.status(STOPPED_SHORT, 15000)
        elif manual or (report is not None and report.conflicts):
            self.shell.status(self._said(report))
        elif report is not None and report.received:
            self.shell.status("Synced: changes from your other computers arrived.")
        self._finished()

    @staticmethod
    def _said(report: SyncReport | None) -> str:
        if report is None:
            return "This journal does not sync yet."
        if report.conflicts:
            return "Synced. Some texts were changed on two computers: see Sync to decide."
        return "Synced." if not report.problems else "Synced, with problems: see Sync."

    def _sync_failed(self, error: BaseException) -> None:
        """Said on the page and in the status bar (a bug as a bug)."""
        self.running = False
        self.page.set_busy(False)
        if not self.shell.unlocked:
            return
        if isinstance(error, JournalError):
            self.page.show_error(error.message)
            self.shell.status(error.message, 15000)
        else:
            self.shell.show_failure(error, self.page.show_error)
        self.again = False  # a failing folder is not asked again at once

    def _show(self, outcome: Outcome) -> None:
        self.set_up = outcome.status.set_up
        self.page.show_status(outcome.status, outcome.conflicts)
        self._watch(outcome.watch)

    def _watch(self, folders: list[str]) -> None:
        now = set(self.watcher.directories())
        wanted = set(folders)  # folders that exist (`_watched`, on the vault thread)
        if now - wanted:
            self.watcher.removePaths(sorted(now - wanted))
        if wanted - now:
            self.watcher.addPaths(sorted(wanted - now))

    # -- the page -----------------------------------------------------------------------

    def go_sync(self) -> None:
        """The sync page, with the status as it is now."""
        if not self.shell.unlocked or self.shell.workspace:
            return
        self.shell.show_page("sync")
        self._submit(_look, self._show, lambda e: self.shell.show_failure(e, self.page.show_error))

    def keep(self, conflict: Conflict, value: object) -> None:
        """ "Keep this one": the person's choice ends the conflict; then a sync
        tells the other computers."""
        from journal.core.sync import conflicts

        def decide(vault: Vault) -> Outcome:
            conflicts.decide(vault.db, conflict, value)  # type: ignore[arg-type]
            return _look(vault)

        def done(outcome: Outcome) -> None:
            self._show(outcome)
            self.shell.status("Kept. Your other computers will show it once they sync.")
            self.received.emit()
            self.sync()

        self._submit(decide, done, lambda e: self.shell.show_failure(e, self.page.show_error))

    # -- setting up ---------------------------------------------------------------------

    def open_setup(self) -> None:
        """ "Use a synced folder…" — or, when it syncs already, the sync page."""
        if not self.shell.unlocked or self.shell.workspace:
            return
        if self.set_up:
            self.go_sync()
            return
        from journal.ui.sync_dialogs import SetupSyncDialog

        dialog = SetupSyncDialog(self.shell.widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setup_requested.connect(
            lambda folder, name, secret, code: self._setup(dialog, folder, name, secret, code)
        )
        dialog.open()
        self.dialog = dialog

    def _setup(
        self, dialog: SetupSyncDialog, folder: Path, name: str, passphrase: str, code: str
    ) -> None:
        from journal.core.sync import joining
        from journal.core.vault.keyfile import DEFAULT_KDF

        kdf = self.kdf or DEFAULT_KDF
        self.running = True  # no other sync until it is set up

        def setup(vault: Vault) -> Outcome:
            report = joining.setup(
                vault, folder, device_name=name, passphrase=passphrase,
                recovery_code=code or None, kdf=kdf,
            )  # fmt: skip
            return _look(vault, report)

        def done(outcome: Outcome) -> None:
            if shiboken6.isValid(dialog):
                dialog.accept()
            self.dialog = None
            self._show(outcome)
            self.shell.show_page("sync")
            self.shell.status(f"Sync is set up: this journal now syncs through {folder}.", 15000)
            self._finished()

        def failed(error: BaseException) -> None:
            self.running = False
            if not shiboken6.isValid(dialog):
                return
            self.shell.show_failure(
                error, dialog.show_error, bug_text="Afterglow hit a bug; sync was not set up."
            )

        self._submit(setup, done, failed)

    # -- removing a computer ------------------------------------------------------------

    def open_remove(self, device: str, name: str) -> None:
        """ "Remove this computer…": the dialog that asks for the passphrase."""
        if not self.shell.unlocked or self.shell.workspace or not self.set_up:
            return
        from journal.ui.sync_dialogs import RemoveComputerDialog

        dialog = RemoveComputerDialog(name, self.shell.widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.remove_requested.connect(
            lambda secret, code: self._remove(dialog, device, name, secret, code)
        )
        dialog.open()
        self.dialog = dialog

    def _remove(
        self, dialog: RemoveComputerDialog, device: str, name: str, passphrase: str, code: str
    ) -> None:
        """`devices.remove_device` on the vault thread (a new key, wrapped
        under the passphrase: slow), then the page without it."""
        from journal.core.sync import devices
        from journal.core.vault.keyfile import DEFAULT_KDF

        kdf = self.kdf or DEFAULT_KDF
        self.page.set_busy(True)

        def remove(vault: Vault) -> Outcome:
            devices.remove_device(
                vault, device, passphrase=passphrase, recovery_code=code or None, kdf=kdf
            )
            return _look(vault)

        def done(outcome: Outcome) -> None:
            if shiboken6.isValid(dialog):
                dialog.accept()
            self.dialog = None
            self.page.set_busy(self.running, stoppable=self.running)
            if not self.shell.unlocked:
                return
            self._show(outcome)
            self.page.now.setFocus()  # its row is gone
            self.shell.status(f"“{name}” was removed: it reads nothing written from now on.", 15000)
            self.sync()  # the other computers learn the new key

        def failed(error: BaseException) -> None:
            self.page.set_busy(self.running, stoppable=self.running)
            if not shiboken6.isValid(dialog):
                return
            self.shell.show_failure(
                error, dialog.show_error, bug_text="Afterglow hit a bug; nothing was removed."
            )

        self._submit(remove, done, failed)
