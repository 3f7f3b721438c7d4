"""Encrypted backups and restore.

A backup is a folder named by its UTC time holding the database copied with
SQLite's backup API (a consistent snapshot, still encrypted with the vault's
key), a copy of the key file and a manifest (`journal.core.vault.backup_folders`).

Automatic backups live beside the vault in ``PATH.backups/`` (for the
default vault that is the user data folder): at most one a day, made on lock
and quit, pruned to the newest of each of the last 7 days and of each of
the last 4 weeks. "Back up now" writes to any folder (a USB stick).

Restoring verifies the backup first (checksums, the passphrase, SQLCipher's
page check, SQLite's integrity check, the schema version) and only then
replaces the vault — crash-safe by design (`journal.core.vault.intents`): the
current vault stays where it is until the restored one is in place, and it
is first copied into a complete, listed ``before-restore`` backup, so a
restore never loses anything, even when the power goes off half-way.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3

from journal.core.errors import (
    OutputUnwritable,
    StorageError,
    VaultCorrupt,
    VaultTooNew,
    WrongPassphrase,
)
from journal.core.fsutil import atomic_write_bytes, fsync_dir, make_private_dir, output_error
from journal.core.fsutil import storage_error as vault_error
from journal.core.vault import intents, schema
from journal.core.vault import keyfile as kf
from journal.core.vault.backup_folders import (
    AUTO,
    BEFORE_RESTORE,
    DATABASE,
    KEYS,
    MANUAL,
    RECOVERED,
    STALE_INCOMPLETE_S,
    WAL,
    BackupInfo,
    BackupInvalid,
    backups_folder,
    describe,
    fsync_file,
    list_backups,
    new_incomplete,
    read_info,
    remove_incomplete,
    seal,
    sha256,
)
from journal.core.vault.paths import VaultPaths
from journal.core.vault.vault import Vault, acquire_lock

__all__ = [
    "AUTO",
    "BEFORE_RESTORE",
    "MANUAL",
    "RECOVERED",
    "BackupInfo",
    "BackupInvalid",
    "auto_backup",
    "backups_folder",
    "describe",
    "is_due",
    "list_backups",
    "make_backup",
    "prune",
    "read_info",
    "restore",
    "to_keep",
    "verify",
]

KEEP_DAILY, KEEP_WEEKLY = 7, 4


def make_backup(
    vault: Vault, folder: Path, *, kind: str = MANUAL, now: datetime | None = None
) -> BackupInfo:
    """Back up an open vault into a new folder inside ``folder``.

    Raises `VaultDamaged` (a damaged page: the vault needs a restore, and no
    backup is made of it), `DiskFull` or `OutputUnwritable` (the folder);
    on failure nothing partial is left.
    """
    created = now or datetime.now(UTC)
    # The vault's own backups folder is ours under the vault's lock; a folder
    # on a stick may be shared, so only an old leftover there is removed.
    own = folder == backups_folder(vault.paths.database)
    remove_incomplete(folder, older_than_s=0 if own else STALE_INCOMPLETE_S)
    target = folder / DATABASE
    try:
        make_private_dir(folder)
        incomplete, final = new_incomplete(folder, created)
    except OSError as error:
        raise output_error(error, target) from None
    try:
        try:
            vault.backup_database(incomplete / DATABASE)
        except StorageError:
            raise OutputUnwritable(
                f"The backup could not be written in {folder}; nothing was written. "
                "Check the drive or choose another folder."
            ) from None
        atomic_write_bytes(incomplete / KEYS, vault.paths.keyfile.read_bytes(), output=True)
        version = int(vault.db.pragma("user_version"))
        return seal(incomplete, final, kind=kind, created=created, schema_version=version)
    except OSError as error:
        shutil.rmtree(incomplete, ignore_errors=True)
        raise output_error(error, target) from None
    except BaseException:
        shutil.rmtree(incomplete, ignore_errors=True)
        raise


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
        if any(sha256(folder / name) != digest for name, digest in info.checksums.items()):
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


def _merge_log(database: Path, key: bytes) -> None:
    """Fold a copied log (WAL) into its database, leaving one self-contained file."""
    conn = sqlcipher3.connect(str(database), isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        conn.execute("PRAGMA journal_mode = DELETE").fetchone()
    except sqlcipher3.Error:
        raise BackupInvalid() from None
    finally:
        conn.close()


def _stage(paths: VaultPaths, folder: Path, info: BackupInfo, key: bytes) -> None:
    """Copy the backup beside the vault (``PATH.restoring``, ``PATH.keys.restoring``)
    and check the copy as it landed on this disk."""
    staged_log = paths.staged_database.with_name(paths.staged_database.name + "-wal")
    _copy_synced(folder / DATABASE, paths.staged_database)
    if WAL in info.checksums:
        _copy_synced(folder / WAL, staged_log)
        _merge_log(paths.staged_database, key)
        staged_log.unlink(missing_ok=True)
        fsync_file(paths.staged_database)
    _copy_synced(folder / KEYS, paths.staged_keyfile)
    fsync_dir(paths.database.parent)
    _check_database(paths.staged_database, key)


def _keep_current(paths: VaultPaths, now: datetime) -> BackupInfo | None:
    """Copy the current vault — its database, any log a crash left, its key
    file — into a complete, listed ``before-restore`` backup. The vault itself
    is not touched. None when there is no vault yet."""
    if not paths.database.exists():
        return None
    folder = backups_folder(paths.database)
    make_private_dir(folder)
    incomplete, final = new_incomplete(folder, now)
    try:
        _copy_synced(paths.database, incomplete / DATABASE)
        if paths.wal.exists() and paths.wal.stat().st_size > 0:
            _copy_synced(paths.wal, incomplete / WAL)
        if paths.keyfile.exists():
            _copy_synced(paths.keyfile, incomplete / KEYS)
        else:
            (incomplete / KEYS).write_bytes(b"")
        return seal(incomplete, final, kind=BEFORE_RESTORE, created=now, schema_version=None)
    except BaseException:
        shutil.rmtree(incomplete, ignore_errors=True)
        raise


def restore(
    vault_path: Path, folder: Path, passphrase: str, *, now: datetime | None = None
) -> BackupInfo | None:
    """Replace the vault at ``vault_path`` with the backup in ``folder``.

    The backup is verified first; the vault must not be open anywhere. The
    replaced vault (if any) is kept as a ``before-restore`` backup, whose info
    is returned. Raises the errors of `verify`, `VaultInUse`, `DiskFull`,
    `StorageError`; on any failure — a crash included — the vault is as it
    was, or restored with the old one kept as a listed backup.
    """
    now = now or datetime.now(UTC)
    info, key = verify(folder, passphrase)
    paths = VaultPaths(Path(vault_path))
    try:
        make_private_dir(paths.database.parent)
        lock = acquire_lock(paths)
    except OSError as error:
        raise vault_error(error) from None
    try:
        try:
            intents.finish_interrupted(paths, now)
            _stage(paths, folder, info, key)
            kept = _keep_current(paths, now)
            atomic_write_bytes(
                paths.restore_intent,
                json.dumps({"kept": kept.name if kept else None}).encode(),
            )
            intents.complete_restore(paths)
        except OSError as error:
            raise vault_error(error) from None
        return kept
    finally:
        if not paths.restore_intent.exists():  # rolled back: the vault is as it was
            for staged in (paths.staged_database, paths.staged_keyfile):
                staged.unlink(missing_ok=True)
        lock.release()
