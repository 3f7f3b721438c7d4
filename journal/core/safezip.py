"""Reading a ZIP archive that came from outside, in memory, as hostile input.

One reader for every archive Afterglow opens (a bundle, an import): names
checked against the caller's rule (never a path outside the archive), the
number of files, each file's size and compression ratio, and the total
capped *while* reading, so a compression bomb stops at the cap. Nothing is
extracted to disk. A refusal says why in `ZipRefused.reason`; the caller
turns that into its own sentence.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Refusal(StrEnum):
    DAMAGED = "damaged"  # not a ZIP, or damaged inside
    TOO_MANY = "too-many"  # more files than the limit
    NAME = "name"  # a name the caller does not accept (traversal, absolute, …)
    ENCRYPTED = "encrypted"  # a password-protected member
    TOO_LARGE = "too-large"  # one file too large, or too compressed to be genuine
    TOTAL = "total"  # all files together over the limit


class ZipRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    files: int
    file_bytes: int
    total_bytes: int
    ratio: int = 200


_ENCRYPTED_FLAG = 0x1
_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,  # damaged deflate data
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,  # a damaged header claiming an unknown method or version
)


def plain_name(name: str) -> bool:
    """A relative path inside the archive: no ``..``, no absolute path, no
    drive letter or backslash, no control characters."""
    if not name or len(name) > 400 or name.startswith("/") or "\\" in name:
        return False
    if any(ord(c) < 32 or c == "\x7f" for c in name) or ":" in name:
        return False
    return all(part not in ("", ".", "..") for part in name.rstrip("/").split("/"))


def read_zip(
    data: bytes,
    *,
    limits: Limits,
    accept: Callable[[str], bool] = plain_name,
    wanted: Callable[[str], bool] = lambda _name: True,
) -> dict[str, bytes]:
    """The archive's files by name (folders left out). Every name must pass
    ``accept``; only the files ``wanted`` are read (the others still count
    and are still checked). Raises `ZipRefused`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _READ_ERRORS:
        raise ZipRefused(Refusal.DAMAGED) from None
    if len(infos) > limits.files:
        raise ZipRefused(Refusal.TOO_MANY)
    files: dict[str, bytes] = {}
    total = 0
    for info in infos:
        name = info.filename
        if not accept(name) or name in files:
            raise ZipRefused(Refusal.NAME)
        if info.is_dir() or not wanted(name):
            continue
        if info.flag_bits & _ENCRYPTED_FLAG:  # zipfile would ask for a ZIP password
            raise ZipRefused(Refusal.ENCRYPTED)
        if info.file_size > limits.file_bytes or (
            info.file_size > 1024 * 1024
            and info.file_size > limits.ratio * max(info.compress_size, 1)
        ):
            raise ZipRefused(Refusal.TOO_LARGE)
        try:
            with archive.open(info) as stream:
                content = stream.read(limits.file_bytes + 1)
        except _READ_ERRORS:
            raise ZipRefused(Refusal.DAMAGED) from None
        if len(content) != info.file_size:
            raise ZipRefused(Refusal.DAMAGED)
        total += len(content)
        if total > limits.total_bytes:
            raise ZipRefused(Refusal.TOTAL)
        files[name] = content
    return files
