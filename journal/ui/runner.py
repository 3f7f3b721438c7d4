"""Runs vault operations on the one thread that owns the database.

Following Anki's task manager: the UI submits *operations* — plain functions
taking the open `Vault` — and gets the result (or the error) back on the GUI
thread through a callback. The GUI thread never blocks on key derivation,
search, saving or loading.

The worker thread keeps the `Vault`; `open_with` installs one (create,
unlock, recover run there too, since Argon2id takes a noticeable moment),
`close` locks it. Operations submitted while no vault is open fail with
`VaultLocked`.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QThread, QTimer, Signal, Slot

from journal.core.errors import VaultLocked

if TYPE_CHECKING:
    from journal.core.vault.vault import Vault

T = TypeVar("T")
Operation = Callable[["Vault"], Any]
Opener = Callable[[], "Vault"]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Worker(QObject):
    """Lives on the worker thread; only it touches the `Vault`."""

    finished = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self.vault: Vault | None = None

    @Slot(int, object)
    def on_submitted(self, ticket: int, job: Callable[[], Any]) -> None:
        try:
            result = job()
        except BaseException as error:  # every failure goes back to the GUI thread
            self.failed.emit(ticket, error)
        else:
            self.finished.emit(ticket, result)


class VaultRunner(QObject):
    """The GUI side: submit work, get callbacks on the GUI thread.

    Signals: ``busy_changed(bool)`` while operations are pending;
    ``error(BaseException)`` for failures that had no ``on_error`` callback.
    """

    busy_changed = Signal(bool)
    error = Signal(object)
    _submit = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("vault")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.on_submitted)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._pending: dict[int, tuple[Done | None, Failed | None]] = {}
        self._tickets = itertools.count(1)
        self._thread.start()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def _queue(self, job: Callable[[], Any], on_done: Done | None, on_error: Failed | None) -> None:
        ticket = next(self._tickets)
        was_busy = self.busy
        self._pending[ticket] = (on_done, on_error)
        if not was_busy:
            self.busy_changed.emit(True)
        self._submit.emit(ticket, job)

    def submit(
        self, operation: Operation, on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        """Run ``operation(vault)`` on the vault thread."""
        worker = self._worker

        def job() -> Any:
            if worker.vault is None or not worker.vault.is_open:
                raise VaultLocked()
            return operation(worker.vault)

        self._queue(job, on_done, on_error)

    def run(
        self, job: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        """Run work that needs no vault (decrypting a bundle) off the GUI thread."""
        self._queue(job, on_done, on_error)

    def open_with(
        self, opener: Opener, on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        """Run ``opener()`` (create, unlock or recover) on the vault thread and
        keep the vault it returns."""
        worker = self._worker

        def job() -> Vault:
            vault = opener()
            worker.vault = vault
            return vault

        self._queue(job, on_done, on_error)

    def close(self, on_done: Done | None = None) -> None:
        """Lock: close the vault on its thread, after every pending operation."""
        worker = self._worker

        def job() -> None:
            if worker.vault is not None:
                vault, worker.vault = worker.vault, None
                vault.close()

        self._queue(job, on_done, None)

    def shutdown(self, timeout_ms: int = 120_000) -> None:
        """Close the vault after every pending operation (a last draft, the
        daily backup) and stop the thread. The GUI's event loop keeps turning
        while it waits."""
        if not self._thread.isRunning():
            return
        self.close()
        deadline = time.monotonic() + timeout_ms / 1000
        use_loop = True
        while self._pending and time.monotonic() < deadline:
            if use_loop:
                loop = QEventLoop()
                QTimer.singleShot(20, loop.quit)
                # exec() refuses to run once the application is quitting (or its
                # display is gone): then deliver the results without a loop.
                use_loop = loop.exec() == 0
            else:
                QCoreApplication.sendPostedEvents(self)
                time.sleep(0.01)
        self._thread.quit()
        self._thread.wait()
        self._pending.clear()

    @Slot(int, object)
    def _on_finished(self, ticket: int, result: object) -> None:
        on_done, _ = self._pending.pop(ticket, (None, None))
        self._settle()
        if on_done is not None:
            on_done(result)

    @Slot(int, object)
    def _on_failed(self, ticket: int, error: BaseException) -> None:
        _, on_error = self._pending.pop(ticket, (None, None))
        self._settle()
        if on_error is not None:
            on_error(error)
        else:
            self.error.emit(error)

    def _settle(self) -> None:
        if not self._pending:
            self.busy_changed.emit(False)
