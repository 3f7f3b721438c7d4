"""One running app per vault.

The first app to open a vault holds ``PATH.instance`` locked (an OS lock,
released by the kernel when the process ends, so a crash leaves no stale
lock). A second app on the same vault cannot take it: it touches
``PATH.raise`` — an empty file — and says so; the first app, watching its
folder, sees the file, removes it and brings its window forward.

A bundle opened while the app runs (``afterglow FILE.agb``, a double-click)
is handed over the same way: ``PATH.open-<random>`` holds the bundle's path
(readable only by the person) for the moment it takes the running app to
read and remove it; the app opens its reader for it. The path is never
logged or kept. Local files only: no socket, nothing leaves the machine.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from journal.core.fsutil import atomic_write_bytes, make_private_dir
from journal.core.oslock import OsLock


class InstanceGuard(QObject):
    raise_requested = Signal()
    open_requested = Signal(object)  # the Path of a bundle to read

    def __init__(self, vault_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        vault_path = Path(vault_path)
        self._folder = vault_path.parent
        self._lock_path = Path(str(vault_path) + ".instance")
        self._lock: OsLock | None = None
        self._signal = vault_path.with_name(vault_path.name + ".raise")
        self._watcher: QFileSystemWatcher | None = None

    def acquire(self) -> bool:
        """True when this is the only app on the vault (then keep it until exit)."""
        try:
            make_private_dir(self._folder)
            self._lock = OsLock.try_acquire(self._lock_path)
        except BlockingIOError:
            return False
        except OSError:
            return True  # a read-only folder: the vault lock still guards the data
        if self._lock is None:
            return False
        with contextlib.suppress(OSError):
            self._signal.unlink(missing_ok=True)  # left by a request nobody answered
            for stale in self._folder.glob(self._signal.name.replace(".raise", ".open-*")):
                stale.unlink(missing_ok=True)
        self._watcher = QFileSystemWatcher([str(self._folder)], self)
        self._watcher.directoryChanged.connect(self._on_folder_changed)
        return True

    def request_raise(self) -> None:
        """Ask the app that holds the vault to bring its window forward."""
        with contextlib.suppress(Exception):
            atomic_write_bytes(self._signal, b"")

    def request_open(self, bundle: Path) -> None:
        """Ask the app that holds the vault to open ``bundle`` in its reader."""
        target = self._folder / self._signal.name.replace(".raise", f".open-{os.urandom(8).hex()}")
        atomic_write_bytes(target, str(Path(bundle).absolute()).encode("utf-8"))

    def release(self) -> None:
        if self._watcher is not None:
            self._watcher.deleteLater()
            self._watcher = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _on_folder_changed(self, _folder: str) -> None:
        if self._signal.exists():
            with contextlib.suppress(OSError):
                self._signal.unlink()
            self.raise_requested.emit()
        for request in sorted(self._folder.glob(self._signal.name.replace(".raise", ".open-*"))):
            try:
                text = request.read_bytes()[:8192].decode("utf-8")
                request.unlink()
            except (OSError, UnicodeDecodeError):
                continue
            if text:
                self.open_requested.emit(Path(text))


def bring_forward(window: QWidget) -> None:
    window.setWindowState(
        (window.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
    )
    window.show()
    window.raise_()
    window.activateWindow()
