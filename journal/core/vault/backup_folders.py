"""A backup on disk: a folder named by its UTC time (``2026-11-23T22-15-03Z``)
holding the database (encrypted with the vault's key), a copy of the key
file, and ``backup.json`` — format, kind, time, schema version and the SHA-256
of each file, no content.

A backup being made is a hidden ``.NAME.incomplete`` folder, renamed when it
is complete, so a crash never leaves a half backup that looks whole; such a
folder is always a *copy*, and is removed by the next start or backup. Older
versions named it ``.NAME.partial`` and could leave the only copy of a journal
in one (a restore interrupted at the wrong moment): those are never deleted;
`recover_old_partials` turns each into a listed backup.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from journal import __version__
from journal.core.errors import JournalError
from journal.core.fsutil import atomic_write_bytes, fsync_dir

FORMAT = "afterglow-backup"
VERSION = 1
MANIFEST = "backup.json"
DATABASE = "journal.vault"
KEYS = "journal.vault.keys"
WAL = DATABASE + "-wal"  # only in a copy of a vault that a crash left with its log
AUTO, MANUAL, BEFORE_RESTORE, RECOVERED = "auto", "manual", "before-restore", "recovered"
INCOMPLETE = ".incomplete"
_OLD_PARTIAL = ".partial"
_NAME_FORMAT = "%Y-%m-%dT%H-%M-%SZ"
# In a folder other vaults may share (a USB stick), an incomplete backup this
# old is a crash's leftover, not another process's backup in progress.
STALE_INCOMPLETE_S = 15 * 60


class BackupInvalid(JournalError):
    default_message = (
        "This folder is not a complete Afterglow backup, or it was damaged. Nothing was "
        "changed; choose another backup."
    )


class BackupInfo(NamedTuple):
    path: Path
    created: datetime
    kind: str
    schema_version: int
    size: int
    checksums: dict[str, str]  # SHA-256 of each file, as written

    @property
    def name(self) -> str:
        return self.path.name


def backups_folder(vault_path: Path) -> Path:
    """Where the automatic backups of the vault at ``vault_path`` live."""
    return vault_path.with_name(vault_path.name + ".backups")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_incomplete(folder: Path, moment: datetime) -> tuple[Path, Path]:
    """A new, empty ``.NAME.incomplete`` folder in ``folder`` and the name it
    will have when complete. Raises OSError."""
    name = moment.astimezone(UTC).strftime(_NAME_FORMAT)
    suffix, candidate = 1, name
    while any(
        (folder / n).exists()
        for n in (candidate, f".{candidate}{INCOMPLETE}", f".{candidate}{_OLD_PARTIAL}")
    ):
        suffix += 1
        candidate = f"{name}-{suffix}"
    incomplete = folder / f".{candidate}{INCOMPLETE}"
    incomplete.mkdir(mode=0o700)
    return incomplete, folder / candidate


def seal(
    filled: Path, final: Path, *, kind: str, created: datetime, schema_version: int | None
) -> BackupInfo:
    """Sync the files of a filled folder, write its manifest and rename it to
    ``final`` (the moment it becomes a listed backup). Raises OSError."""
    names = [n for n in (DATABASE, KEYS, WAL) if (filled / n).exists()]
    for name in names:
        fsync_file(filled / name)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "created": created.astimezone(UTC).isoformat(),
        "app_version": __version__,
        "schema_version": schema_version,
        "files": {name: sha256(filled / name) for name in names},
    }
    atomic_write_bytes(filled / MANIFEST, json.dumps(manifest, indent=2).encode())
    filled.replace(final)
    fsync_dir(final.parent)
    return read_info(final)


def read_info(folder: Path) -> BackupInfo:
    """The manifest of a backup folder, checked for shape (not checksums).
    Raises `BackupInvalid`."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise BackupInvalid()
        created = datetime.fromisoformat(str(manifest["created"]))
        kind = str(manifest["kind"])
        version = manifest.get("schema_version")
        files = manifest["files"]
        names = [DATABASE, KEYS] + ([WAL] if WAL in files else [])
        size = sum((folder / name).stat().st_size for name in names)
        checksums = {name: str(files[name]) for name in names}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise BackupInvalid() from None
    schema_version = int(version) if isinstance(version, int) else 0
    return BackupInfo(folder, created, kind, schema_version, size, checksums)


def list_backups(folder: Path) -> list[BackupInfo]:
    """Complete backups in ``folder``, newest first (incomplete or damaged
    folders are left out)."""
    if not folder.is_dir():
        return []
    found = []
    for child in folder.iterdir():
        if child.is_dir() and not child.name.startswith("."):
            with contextlib.suppress(BackupInvalid):
                found.append(read_info(child))
    return sorted(found, key=lambda b: b.created, reverse=True)


def remove_incomplete(folder: Path, *, older_than_s: float = 0) -> None:
    """Remove the copies that interrupted backups left in ``folder``."""
    if not folder.is_dir():
        return
    now = time.time()
    for child in folder.glob(f".*{INCOMPLETE}"):
        with contextlib.suppress(OSError):
            if now - child.stat().st_mtime >= older_than_s:
                import shutil  # only with something to remove: every open of a vault comes here

                shutil.rmtree(child)


def recover_old_partials(folder: Path, now: datetime) -> None:
    """Turn each ``.NAME.partial`` folder an older version left (it may hold the
    only copy of a journal) into a listed backup; remove those with no database."""
    if not folder.is_dir():
        return
    for child in sorted(folder.glob(f".*{_OLD_PARTIAL}")):
        if not (child / DATABASE).is_file():
            import shutil

            shutil.rmtree(child, ignore_errors=True)
            continue
        if not (child / KEYS).exists():
            (child / KEYS).write_bytes(b"")
        with contextlib.suppress(OSError, BackupInvalid):
            _incomplete, final = new_incomplete(folder, now)
            _incomplete.rmdir()
            seal(child, final, kind=RECOVERED, created=now, schema_version=None)


def describe(info: BackupInfo) -> str:
    """One line for lists: local time, kind and size."""
    when = info.created.astimezone()
    kinds = {
        AUTO: "automatic",
        MANUAL: "made by you",
        BEFORE_RESTORE: "before a restore",
        RECOVERED: "recovered after an interruption",
    }
    megabytes = info.size / 1_000_000
    return (
        f"{when:%d %B %Y, %H:%M}".lstrip("0")
        + f" · {kinds.get(info.kind, info.kind)} · {megabytes:.1f} MB"
    )
