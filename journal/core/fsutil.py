"""Small, careful file-system helpers: atomic writes and private permissions."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from journal.core.errors import DiskFull, OutputUnwritable, StorageError

_NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def storage_error(error: OSError) -> DiskFull | StorageError:
    """Translate an OSError from a write into the vault's folder into the typed error."""
    if error.errno in _NO_SPACE:
        return DiskFull()
    return StorageError()


def output_error(error: OSError, path: Path) -> DiskFull | OutputUnwritable:
    """Translate an OSError from writing ``path`` — a file the person chose, not
    the vault — into a sentence about that place."""
    if error.errno in _NO_SPACE:
        return DiskFull(
            f"There is not enough space for {path.name} in {path.parent}; nothing was written. "
            "Free some space or choose another drive."
        )
    if error.errno == errno.ENOENT:
        return OutputUnwritable(
            f"The folder {path.parent} does not exist; nothing was written. Choose another folder."
        )
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputUnwritable(
            f"The folder {path.parent} can't be written to; nothing was written. "
            "Choose another folder."
        )
    if error.errno == errno.EISDIR:
        return OutputUnwritable(f"{path} is a folder; choose a file name. Nothing was written.")
    return OutputUnwritable()


def fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temporary_name(path: Path) -> Path:
    """Where `atomic_write_bytes` writes before renaming (`leftover_temporaries` finds them)."""
    return path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")


def leftover_temporaries(path: Path) -> list[Path]:
    """Temporary files of `atomic_write_bytes` for ``path`` that a crash left behind."""
    return sorted(path.parent.glob(f".{path.name}.*.tmp"))


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = 0o600, output: bool = False) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file.

    The data goes to a temporary file in the same folder, is flushed to disk,
    then renamed over ``path``; the folder is synced so the rename survives a
    power cut. On failure the temporary file is removed and ``path`` is
    untouched. Raises `DiskFull` or `StorageError` — or, for a file the person
    chose (``output``), `OutputUnwritable` with a sentence about that place.
    """
    tmp = temporary_name(path)
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
        raise (output_error(error, path) if output else storage_error(error)) from None


def make_private_dir(directory: Path) -> None:
    """Create ``directory`` (and parents) readable by the owner only."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
