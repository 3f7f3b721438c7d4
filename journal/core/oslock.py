"""An exclusive OS lock on a file: held while a vault (or the app's window
for it) is open, released by the kernel when the process dies, so a crash
leaves no stale lock.

On POSIX a plain ``flock`` on a descriptor of its own — the lock belongs to
that open file, so a second lock on the same path fails in this process
too. Importing the `filelock` package instead cost 15–20 ms (66 modules,
`logging` among them) before every command and before the window; it serves
the platforms without ``fcntl``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


class OsLock:
    """A held lock; `release` gives it back (twice is harmless)."""

    def __init__(self, held: Any) -> None:
        self._held: Any = held  # a descriptor (POSIX) or a filelock lock

    @classmethod
    def try_acquire(cls, path: Path) -> OsLock | None:
        """The lock on ``path`` (created readable by the owner only), or None
        when another holder has it. Raises OSError when the file can't be
        opened or created (a read-only folder)."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover (Windows)
            return cls._try_filelock(path)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        return cls(fd)

    @classmethod
    def _try_filelock(cls, path: Path) -> OsLock | None:  # pragma: no cover (Windows)
        from filelock import FileLock, Timeout

        lock = FileLock(str(path), timeout=0, mode=0o600)
        try:
            lock.acquire()
        except Timeout:
            return None
        return cls(lock)

    @property
    def is_locked(self) -> bool:
        return self._held is not None

    def release(self) -> None:
        held, self._held = self._held, None
        if held is None:
            return
        if isinstance(held, int):
            os.close(held)  # closing the descriptor releases the flock
        else:  # pragma: no cover (Windows)
            held.release()
