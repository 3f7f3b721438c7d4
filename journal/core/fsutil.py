"""Small, careful file-system helpers: atomic writes and private permissions."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path

from journal.core.errors import DiskFull, StorageError

_NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def storage_error(error: OSError) -> DiskFull | StorageError:
    """Translate an OSError from a write into the typed error to show."""
    if error.errno in _NO_SPACE:
        return DiskFull()
    return StorageError()


def fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file.

    The data goes to a temporary file in the same folder, is flushed to disk,
    then renamed over ``path``; the folder is synced so the rename survives a
    power cut. On failure the temporary file is removed and ``path`` is
    untouched. Raises `DiskFull` or `StorageError`.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        tmp.replace(path)
        fsync_dir(path.parent)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise storage_error(error) from None


def make_private_dir(directory: Path) -> None:
    """Create ``directory`` (and parents) readable by the owner only."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
