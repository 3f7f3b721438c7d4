"""Reading an import's file or folder as untrusted input, within limits.

Files are read whole into memory (never extracted or copied anywhere), after
their size is checked on disk; archives go through `journal.core.safezip`;
text must be UTF-8; JSON may not nest without end. Every refusal is one
`ImportInvalid` sentence naming the file, what is wrong and what to do.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journal.core import safezip
from journal.core.errors import ImportInvalid

# The same ceilings as a bundle's: an import is read into memory whole.
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_TEXT_BYTES = 256 * 1024 * 1024  # one JSON, CSV or Markdown file
MAX_FOLDER_FILES = 20_000
ZIP_LIMITS = safezip.Limits(files=20_000, file_bytes=128 * 1024 * 1024, total_bytes=768 * 1024**2)


def refuse(name: str, problem: str, action: str) -> ImportInvalid:
    """ "NAME PROBLEM. ACTION; nothing in your journal was changed." """
    return ImportInvalid(f"{name} {problem}. {action}; nothing in your journal was changed.")


def _megabytes(size: int) -> str:
    return f"{size // 2**20:,} MB"


def read_bytes(path: Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """A file's bytes, refusing one over ``limit`` before reading it."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise refuse(
                path.name,
                f"is too large to import ({_megabytes(size)}; the limit is {_megabytes(limit)})",
                "Export a smaller part of the journal (for example one year) and import each",
            )
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError:
        raise refuse(
            path.name, "could not be read", "Check that the file is still there and try again"
        ) from None
    if len(data) > limit:  # grew while it was read
        raise refuse(path.name, "is too large to import", "Export a smaller part and try again")
    return data


class FolderTooLarge(ImportInvalid):
    """A folder's files together are more than an import reads (it stops the import)."""


class Budget:
    """How much a folder's files may add up to (the same ceiling as one file):
    a folder of many large files is refused, not read into memory whole."""

    def __init__(self, root: str, limit: int | None = None) -> None:
        self.root, self.limit, self.spent = root, limit or MAX_FILE_BYTES, 0

    def spend(self, data: bytes) -> bytes:
        self.spent += len(data)
        if self.spent > self.limit:
            raise FolderTooLarge(
                str(
                    refuse(
                        f"The folder {self.root}",
                        f"holds more than Afterglow imports at once ({_megabytes(self.limit)})",
                        "Import it a part at a time (one year's folder, for example)",
                    )
                )
            )
        return data


def decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refuse(
            name,
            "is not text in UTF-8 (it may be a different kind of file with the wrong name)",
            "Choose the file the other app exported",
        ) from None


def load_json(data: bytes, name: str) -> Any:
    if len(data) > MAX_TEXT_BYTES:
        raise refuse(name, "is too large to import", "Export a smaller part and try again")
    text = decode(data, name)
    try:
        return json.loads(text)
    except RecursionError:
        raise refuse(
            name, "is nested too deeply to be a journal export", "Export it again"
        ) from None
    except json.JSONDecodeError as error:
        raise refuse(
            name,
            f"is not valid JSON (line {error.lineno}: {error.msg.lower()})",
            "Export it again from the other app",
        ) from None


_ZIP_PROBLEMS = {
    safezip.Refusal.DAMAGED: ("is a damaged or incomplete ZIP archive", "Export it again"),
    safezip.Refusal.TOO_MANY: (
        f"holds more files than Afterglow imports ({ZIP_LIMITS.files:,})",
        "Export a smaller part of the journal",
    ),
    safezip.Refusal.NAME: (
        "contains a file name that points outside the archive, so it was refused",
        "Export it again from the other app",
    ),
    safezip.Refusal.ENCRYPTED: (
        "is protected by a ZIP password, which Afterglow can't open",
        "Export it again without a password",
    ),
    safezip.Refusal.TOO_LARGE: (
        "contains a file that is too large or too compressed to be genuine",
        "Export it again from the other app",
    ),
    safezip.Refusal.TOTAL: (
        f"unpacks to more than Afterglow imports ({_megabytes(ZIP_LIMITS.total_bytes)})",
        "Export a smaller part of the journal",
    ),
}


def open_zip(data: bytes, name: str, *, wanted: Any = None) -> dict[str, bytes]:
    """A ZIP archive's files, read in memory (``wanted``: which names to read)."""
    try:
        return safezip.read_zip(data, limits=ZIP_LIMITS, wanted=wanted or (lambda _n: True))
    except safezip.ZipRefused as refused:
        problem, action = _ZIP_PROBLEMS[refused.reason]
        raise refuse(name, problem, action) from None


def folder_files(root: Path) -> list[Path]:
    """Every file under ``root`` (hidden folders such as ``.obsidian`` and
    ``.trash`` left out; links not followed), refusing a folder too large to
    be one journal."""
    found: list[Path] = []
    pending = [root]
    try:
        while pending:
            with os.scandir(pending.pop()) as listing:
                for item in listing:
                    if item.name.startswith("."):
                        continue
                    if item.is_dir(follow_symlinks=False):
                        pending.append(Path(item.path))
                    elif item.is_file(follow_symlinks=False):
                        found.append(Path(item.path))
                        if len(found) > MAX_FOLDER_FILES:
                            raise refuse(
                                f"The folder {root.name}",
                                f"holds more than {MAX_FOLDER_FILES:,} files, more than one "
                                "journal would",
                                "Choose the folder that holds just the diary's files",
                            )
    except OSError:
        raise refuse(
            f"The folder {root.name}", "could not be read", "Check that it is still there"
        ) from None
    return sorted(found)


def local_wall_time(moment: datetime, zone: str | None) -> datetime:
    """``moment`` as the clock read where it was written (``zone``, an IANA
    name), kept as that wall time: an entry written at 23:30 in Berlin stays
    on its day at 23:30 wherever the journal is read. Without a known zone,
    the moment as it is."""
    if zone:
        try:
            moment = moment.astimezone(ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError, OSError):
            return moment.astimezone()
        return moment.replace(tzinfo=None).astimezone()
    return moment.astimezone()


def text_of(record: dict[str, Any], key: str) -> str:
    """A text field that may be absent; anything but text counts as none."""
    value = record.get(key)
    return value if isinstance(value, str) else ""
