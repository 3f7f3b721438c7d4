"""Encrypted backups and restore.

A backup is a folder named by its UTC time (``2026-11-23T22-15-03Z``) holding
the database copied with SQLite's backup API (a consistent snapshot, still
encrypted with the vault's key), a copy of the key file, and ``backup.json``
(format, kind, time, schema version, SHA-256 of both files — no content).
It is written as ``.NAME.partial`` and renamed when complete, so a crash
never leaves a half backup that looks whole.

Automatic backups live beside the vault in ``PATH.backups/`` (for the
default vault that is the user data folder): at most one a day, made on lock
and quit, pruned to the newest of each of the last 7 days and of each of
the last 4 weeks. "Back up now" writes to any folder (a USB stick).

Restoring verifies the backup first (checksums, the passphrase, SQLCipher's
page check, SQLite's integrity check, the schema version) and only then
replaces the vault; the replaced vault is kept as a ``before-restore``
backup, so a restore never loses anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3

from journal import __version__
from journal.core.errors import (
    JournalError,
    StorageError,
    VaultCorrupt,
    VaultTooNew,
    WrongPassphrase,
)
from journal.core.fsutil import atomic_write_bytes, fsync_dir, make_private_dir, storage_error
from journal.core.vault import keyfile as kf
from journal.core.vault import schema
from journal.core.vault.vault import Vault, VaultPaths, acquire_lock

FORMAT = "afterglow-backup"
VERSION = 1
MANIFEST = "backup.json"
DATABASE = "journal.vault"
KEYS = "journal.vault.keys"
AUTO, MANUAL, BEFORE_RESTORE = "auto", "manual", "before-restore"
KEEP_DAILY, KEEP_WEEKLY = 7, 4
_NAME_FORMAT = "%Y-%m-%dT%H-%M-%SZ"


class BackupInvalid(JournalError):
    default_message = (
        "This folder is not a complete Afterglow backup, or it was damaged. Nothing was "
        "changed; choose another backup."
    )


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    kind: str
    schema_version: int
    size: int
    checksums: dict[str, str]  # SHA-256 of the database and key file, as written

    @property
    def name(self) -> str:
        return self.path.name


def backups_folder(vault_path: Path) -> Path:
    """Where the automatic backups of the vault at ``vault_path`` live."""
    return vault_path.with_name(vault_path.name + ".backups")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unique_name(folder: Path, moment: datetime) -> str:
    name = moment.astimezone(UTC).strftime(_NAME_FORMAT)
    suffix = 1
    candidate = name
    while (folder / candidate).exists() or (folder / f".{candidate}.partial").exists():
        suffix += 1
        candidate = f"{name}-{suffix}"
    return candidate


def _seal(
    partial: Path, final: Path, *, kind: str, created: datetime, schema_version: int | None
) -> BackupInfo:
    """Write the manifest into a filled ``partial`` folder and rename it."""
    database, keys = partial / DATABASE, partial / KEYS
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "created": created.astimezone(UTC).isoformat(),
        "app_version": __version__,
        "schema_version": schema_version,
        "files": {DATABASE: _sha256(database), KEYS: _sha256(keys)},
    }
    for path in (database, keys):
        _fsync_file(path)
    atomic_write_bytes(partial / MANIFEST, json.dumps(manifest, indent=2).encode())
    partial.replace(final)
    fsync_dir(final.parent)
    return read_info(final)


def make_backup(
    vault: Vault, folder: Path, *, kind: str = MANUAL, now: datetime | None = None
) -> BackupInfo:
    """Back up an open vault into a new folder inside ``folder``.

    Raises `DiskFull` or `StorageError`; on failure nothing partial is left.
    """
    created = now or datetime.now(UTC)
    try:
        make_private_dir(folder)
        name = _unique_name(folder, created)
        partial, final = folder / f".{name}.partial", folder / name
        partial.mkdir(mode=0o700)
    except OSError as error:
        raise storage_error(error) from None
    try:
        vault.backup_database(partial / DATABASE)
        atomic_write_bytes(partial / KEYS, vault.paths.keyfile.read_bytes())
        version = int(vault.db.pragma("user_version"))
        return _seal(partial, final, kind=kind, created=created, schema_version=version)
    except OSError as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise storage_error(error) from None
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


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
        size = sum((folder / name).stat().st_size for name in (DATABASE, KEYS))
        checksums = {name: str(manifest["files"][name]) for name in (DATABASE, KEYS)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise BackupInvalid() from None
    schema_version = int(version) if isinstance(version, int) else 0
    return BackupInfo(folder, created, kind, schema_version, size, checksums)


def list_backups(folder: Path) -> list[BackupInfo]:
    """Complete backups in ``folder``, newest first (partial or damaged
    folders are left out)."""
    if not folder.is_dir():
        return []
    found = []
    for child in folder.iterdir():
        if child.is_dir() and not child.name.startswith("."):
            with contextlib.suppress(BackupInvalid):
                found.append(read_info(child))
    return sorted(found, key=lambda b: b.created, reverse=True)


def to_keep(created: Iterable[datetime], now: datetime) -> set[datetime]:
    """Which automatic backups rotation keeps: the newest of each of the last
    7 days and of each of the last 4 ISO weeks (local time), and always the
    newest of all."""
    times = sorted(created, reverse=True)
    if not times:
        return set()
    keep = {times[0]}
    today = now.astimezone().date()
    days: dict[object, datetime] = {}
    weeks: dict[object, datetime] = {}
    for moment in times:
        local = moment.astimezone().date()
        if (today - local).days < KEEP_DAILY:
            days.setdefault(local, moment)
        week = local.isocalendar()[:2]
        if (today - local).days < KEEP_WEEKLY * 7:
            weeks.setdefault(week, moment)
    return keep | set(days.values()) | set(weeks.values())


def prune(folder: Path, now: datetime) -> list[Path]:
    """Delete automatic backups that rotation no longer keeps; returns them."""
    automatic = [b for b in list_backups(folder) if b.kind == AUTO]
    keep = to_keep((b.created for b in automatic), now)
    removed = []
    for info in automatic:
        if info.created not in keep:
            shutil.rmtree(info.path, ignore_errors=True)
            removed.append(info.path)
    # Leftovers of a backup interrupted by a crash.
    for child in folder.glob(".*.partial"):
        shutil.rmtree(child, ignore_errors=True)
    return removed


def is_due(folder: Path, now: datetime) -> bool:
    """True when no automatic backup was made today (local time)."""
    automatic = [b for b in list_backups(folder) if b.kind == AUTO]
    return not automatic or automatic[0].created.astimezone().date() != now.astimezone().date()


def auto_backup(vault: Vault, now: datetime | None = None) -> BackupInfo | None:
    """The daily automatic backup, on lock and quit: made when due, then pruned."""
    now = now or datetime.now(UTC)
    folder = backups_folder(vault.paths.database)
    if not is_due(folder, now):
        return None
    info = make_backup(vault, folder, kind=AUTO, now=now)
    prune(folder, now)
    return info


# --- verifying and restoring ------------------------------------------------------


def _check_database(database: Path, key: bytes) -> int:
    """Open a database file read-only and check every page; returns its schema
    version. Raises `VaultCorrupt` or `VaultTooNew`."""
    try:
        conn = sqlcipher3.connect(f"file:{database}?mode=ro", uri=True, isolation_level=None)
    except sqlcipher3.Error:
        raise VaultCorrupt() from None
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if conn.execute("PRAGMA cipher_integrity_check").fetchall():
            raise VaultCorrupt()
        if [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()] != ["ok"]:
            raise VaultCorrupt()
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlcipher3.Error:
        raise VaultCorrupt() from None
    finally:
        conn.close()
    if version > schema.LATEST:
        raise VaultTooNew()
    return version


def verify(folder: Path, passphrase: str) -> tuple[BackupInfo, bytes]:
    """Check a backup completely without changing anything: manifest,
    checksums, the passphrase, every page. Returns its info and key.

    Raises `BackupInvalid`, `WrongPassphrase`, `KeyFileCorrupt`,
    `VaultCorrupt` (damaged copy), `VaultTooNew`.
    """
    info = read_info(folder)
    try:
        if any(_sha256(folder / name) != digest for name, digest in info.checksums.items()):
            raise BackupInvalid()
    except OSError:
        raise BackupInvalid() from None
    keyfile = kf.read(folder / KEYS)
    key = kf.unwrap_key(keyfile, kf.PASSPHRASE_SLOT, kf.normalize_passphrase(passphrase))
    if key is None:
        raise WrongPassphrase(
            "That passphrase doesn't open this backup. Use the passphrase you had when the "
            "backup was made; nothing was changed."
        )
    try:
        _check_database(folder / DATABASE, key)
    except VaultCorrupt:
        raise BackupInvalid() from None
    return info, key


def _copy_synced(source: Path, target: Path) -> None:
    with source.open("rb") as reader, target.open("xb") as writer:
        shutil.copyfileobj(reader, writer, 1 << 20)
        writer.flush()
        os.fsync(writer.fileno())
    target.chmod(0o600)


def restore(
    vault_path: Path, folder: Path, passphrase: str, *, now: datetime | None = None
) -> BackupInfo | None:
    """Replace the vault at ``vault_path`` with the backup in ``folder``.

    The backup is verified first; the vault must not be open anywhere. The
    replaced vault (if any) becomes a ``before-restore`` backup, whose info is
    returned. Raises the errors of `verify`, `VaultInUse`, `DiskFull`,
    `StorageError`; on any failure the vault is as it was.
    """
    now = now or datetime.now(UTC)
    _info, key = verify(folder, passphrase)
    paths = VaultPaths(Path(vault_path))
    try:
        make_private_dir(paths.database.parent)
    except OSError as error:
        raise storage_error(error) from None
    lock = acquire_lock(paths)
    staged_db = paths.database.with_name(paths.database.name + ".restoring")
    staged_keys = paths.keyfile.with_name(paths.keyfile.name + ".restoring")
    try:
        for leftover in (staged_db, staged_keys):
            leftover.unlink(missing_ok=True)
        try:
            _copy_synced(folder / DATABASE, staged_db)
            _copy_synced(folder / KEYS, staged_keys)
        except OSError as error:
            raise storage_error(error) from None
        _check_database(staged_db, key)  # the copy, as it landed on this disk
        kept = _set_aside(paths, now)
        try:
            staged_db.replace(paths.database)
            staged_keys.replace(paths.keyfile)
            fsync_dir(paths.database.parent)
        except OSError as error:
            if kept is not None:
                _put_back(kept, paths)
            raise storage_error(error) from None
        if kept is not None:
            return _seal_aside(kept, now)
        return None
    finally:
        for leftover in (staged_db, staged_keys):
            leftover.unlink(missing_ok=True)
        lock.release()


def _set_aside(paths: VaultPaths, now: datetime) -> Path | None:
    """Move the current vault's files (with any WAL) into a new folder in its
    backups folder. None when there is no vault yet."""
    if not paths.database.exists():
        paths.keyfile.unlink(missing_ok=True)
        return None
    folder = backups_folder(paths.database)
    try:
        make_private_dir(folder)
        name = _unique_name(folder, now)
        partial = folder / f".{name}.partial"
        partial.mkdir(mode=0o700)
        for source, target in (
            (paths.database, DATABASE),
            (paths.keyfile, KEYS),
            (paths.wal, DATABASE + "-wal"),
            (paths.shm, DATABASE + "-shm"),
        ):
            if source.exists():
                source.replace(partial / target)
        fsync_dir(paths.database.parent)
    except OSError as error:
        raise storage_error(error) from None
    return partial


def _put_back(partial: Path, paths: VaultPaths) -> None:
    for target, source in (
        (paths.database, DATABASE),
        (paths.keyfile, KEYS),
        (paths.wal, DATABASE + "-wal"),
        (paths.shm, DATABASE + "-shm"),
    ):
        with contextlib.suppress(OSError):
            if (partial / source).exists():
                (partial / source).replace(target)
    shutil.rmtree(partial, ignore_errors=True)


def _seal_aside(partial: Path, now: datetime) -> BackupInfo | None:
    """Make the set-aside vault a complete ``before-restore`` backup. Its WAL
    (left by a crash) stays beside it, so nothing written is lost."""
    if not (partial / KEYS).exists():
        (partial / KEYS).write_bytes(b"")
    final = partial.with_name(partial.name[1:].removesuffix(".partial"))
    try:
        return _seal(partial, final, kind=BEFORE_RESTORE, created=now, schema_version=None)
    except (OSError, BackupInvalid):
        raise StorageError() from None


def describe(info: BackupInfo) -> str:
    """One line for lists: local time, kind and size."""
    when = info.created.astimezone()
    kinds = {AUTO: "automatic", MANUAL: "made by you", BEFORE_RESTORE: "before a restore"}
    megabytes = info.size / 1_000_000
    return (
        f"{when:%d %B %Y, %H:%M}".lstrip("0")
        + f" · {kinds.get(info.kind, info.kind)} · {megabytes:.1f} MB"
    )
