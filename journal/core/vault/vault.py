"""The vault: one SQLCipher database plus its key file, opened and locked.

A vault lives at ``PATH`` with its key file at ``PATH.keys`` and an OS lock
at ``PATH.lock`` (held while open, released by the kernel if the process
dies, so a crash leaves no stale lock).

Opening is all-or-nothing: a wrong passphrase is detected when unwrapping
the key, before the database file is touched, so no byte of any file changes.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import sqlcipher3
from filelock import FileLock, Timeout

from journal.core.errors import (
    JournalError,
    StorageError,
    VaultCorrupt,
    VaultExists,
    VaultInUse,
    VaultNotFound,
    WrongPassphrase,
    WrongRecoveryCode,
)
from journal.core.fsutil import make_private_dir, storage_error
from journal.core.vault import keyfile as kf
from journal.core.vault import schema
from journal.core.vault.db import Database, translate, translated_errors
from journal.core.vault.paths import (  # noqa: F401 (re-exported: vaults.VaultPaths and friends)
    APP_NAME,
    VAULT_ENV,
    VAULT_FILENAME,
    VaultPaths,
    default_vault_path,
)
from journal.core.vault.repositories import Repositories

Clock = Callable[[], datetime]


def local_now() -> datetime:
    return datetime.now().astimezone()


def acquire_lock(paths: VaultPaths) -> FileLock:
    """The vault's OS lock, or `VaultInUse` when another process holds it."""
    lock = FileLock(paths.lockfile, timeout=0, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise VaultInUse() from None
    except OSError as error:
        raise storage_error(error) from None
    return lock


def _connect(paths: VaultPaths, key: bytes) -> Database:
    """Open the database with the raw key and apply the connection settings."""
    try:
        conn = sqlcipher3.connect(str(paths.database), isolation_level=None)
    except sqlcipher3.Error as error:
        raise (translate(error) or VaultCorrupt()) from None
    db = Database(conn)
    try:
        # Before the key: SQLCipher would otherwise print decryption errors.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        # The first read decrypts page 1: a damaged file, or a key file that
        # belongs to another vault, fails here.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA temp_store = MEMORY")
        # 32 MB of decrypted pages (the default is 2 MB): the search index of a
        # years-long journal is read again and again while typing a query, and
        # a page kept is a page not decrypted and verified again.
        conn.execute("PRAGMA cache_size = -32000")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlcipher3.Error as error:
        conn.close()
        typed = translate(error)
        raise (
            typed if typed is not None and not isinstance(typed, VaultInUse) else VaultCorrupt()
        ) from None
    return db


class Vault:
    """An unlocked vault. Use from the thread that opened it; `close` locks it.

    Repositories are reached as attributes: ``vault.sessions``,
    ``vault.entries``, ``vault.motifs``, ``vault.attachments``,
    ``vault.checkins``, ``vault.templates``, ``vault.drafts``, ``vault.keys``,
    ``vault.search``.
    """

    def __init__(
        self,
        paths: VaultPaths,
        db: Database,
        lock: FileLock,
        key: bytes,
        *,
        clock: Clock = local_now,
    ) -> None:
        self.paths = paths
        self.db = db
        self._lock = lock
        # Kept for backups (a backup is keyed like its vault); SQLCipher holds it anyway.
        self._key = key
        self.repos = Repositories(db, clock=clock)
        self.sessions = self.repos.sessions
        self.entries = self.repos.entries
        self.motifs = self.repos.motifs
        self.attachments = self.repos.attachments
        self.checkins = self.repos.checkins
        self.templates = self.repos.templates
        self.drafts = self.repos.drafts
        self.keys = self.repos.keys
        self.search = self.repos.search

    @property
    def is_open(self) -> bool:
        return self.db.is_open

    def backup_database(self, target: Path) -> None:
        """Copy the database to ``target`` (a new file) with SQLite's backup
        API — a consistent snapshot, never a copy of the live file — encrypted
        with the same key, as a self-contained file (no WAL beside it)."""
        try:
            copy = sqlcipher3.connect(str(target), isolation_level=None)
        except sqlcipher3.Error as error:
            raise (translate(error) or StorageError()) from None
        try:
            copy.execute("PRAGMA cipher_log_level = NONE")
            copy.execute(f"PRAGMA key = \"x'{self._key.hex()}'\"")
            with translated_errors():
                self.db.connection.backup(copy, pages=256)
            copy.execute("PRAGMA journal_mode = DELETE").fetchone()
        except sqlcipher3.Error as error:
            raise (translate(error) or StorageError()) from None
        finally:
            copy.close()

    def close(self) -> None:
        """Lock: close the database (checkpointing the WAL) and release the lock."""
        self._key = b""
        try:
            self.db.close()
        finally:
            if self._lock.is_locked:
                self._lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check(self) -> list[str]:
        """Integrity problems found (empty when healthy): SQLite's own check,
        SQLCipher's per-page HMAC check and foreign keys."""
        problems: list[str] = []
        try:
            problems += [
                f"page check: {row[0]}" for row in self.db.query("PRAGMA cipher_integrity_check")
            ]
            problems += [
                f"structure: {row[0]}"
                for row in self.db.query("PRAGMA integrity_check")
                if row[0] != "ok"
            ]
            problems += [
                f"broken link in table {row[0]}"
                for row in self.db.query("PRAGMA foreign_key_check")
            ]
        except JournalError as error:
            problems.append(error.message)
        return problems


def create(
    path: Path,
    passphrase: str,
    *,
    kdf: kf.KdfParams | None = None,
    clock: Clock = local_now,
) -> tuple[Vault, str]:
    """Create a new vault at ``path``; return it (open) and its recovery code.

    The recovery code is returned once and stored nowhere in the clear.
    Raises `WeakPassphrase`, `VaultExists`, `DiskFull`, `StorageError`.
    """
    kf.check_passphrase_strength(passphrase)
    paths = VaultPaths(Path(path))
    if paths.exists():
        raise VaultExists()
    try:
        make_private_dir(paths.database.parent)
    except OSError as error:
        raise storage_error(error) from None
    lock = acquire_lock(paths)
    try:
        vault_key = secrets.token_bytes(kf.KEY_BYTES)
        recovery_code = kf.new_recovery_code()
        kf.write(
            paths.keyfile,
            kf.new_keyfile(vault_key, passphrase, recovery_code, params=kdf or kf.DEFAULT_KDF),
        )
        try:
            fd = os.open(paths.database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
            db = _connect(paths, vault_key)
            schema.migrate(db)
        except BaseException:
            for leftover in (paths.database, paths.wal, paths.shm, paths.keyfile):
                leftover.unlink(missing_ok=True)
            raise
    except BaseException:
        lock.release()
        raise
    return Vault(paths, db, lock, vault_key, clock=clock), recovery_code


def _open_with_key(paths: VaultPaths, vault_key: bytes, clock: Clock) -> Vault:
    lock = acquire_lock(paths)
    try:
        db = _connect(paths, vault_key)
        try:
            schema.migrate(db)
        except BaseException:
            db.close()
            raise
    except BaseException:
        lock.release()
        raise
    return Vault(paths, db, lock, vault_key, clock=clock)


def _require(paths: VaultPaths) -> kf.KeyFile:
    if not paths.database.exists():
        if not paths.keyfile.exists():
            raise VaultNotFound()
        raise VaultCorrupt(
            "The vault file is missing (only its key file is here). Restore the "
            "vault from a backup."
        )
    return kf.read(paths.keyfile)


def unlock(path: Path, passphrase: str, *, clock: Clock = local_now) -> Vault:
    """Open the vault with the passphrase.

    Raises `WrongPassphrase` (nothing on disk changes), `VaultNotFound`,
    `KeyFileMissing`, `KeyFileCorrupt`, `VaultCorrupt`, `VaultInUse`,
    `VaultTooNew`.
    """
    paths = VaultPaths(Path(path))
    keyfile = _require(paths)
    key = kf.unwrap_key(keyfile, kf.PASSPHRASE_SLOT, kf.normalize_passphrase(passphrase))
    if key is None:
        raise WrongPassphrase()
    return _open_with_key(paths, key, clock)


def change_passphrase(path: Path, old: str, new: str, *, kdf: kf.KdfParams | None = None) -> None:
    """Rewrap the vault key under a new passphrase (atomic; the database is
    not re-encrypted). Raises `WrongPassphrase`, `WeakPassphrase`."""
    kf.check_passphrase_strength(new)
    paths = VaultPaths(Path(path))
    keyfile = _require(paths)
    key = kf.unwrap_key(keyfile, kf.PASSPHRASE_SLOT, kf.normalize_passphrase(old))
    if key is None:
        raise WrongPassphrase()
    kf.write(paths.keyfile, kf.rewrap_passphrase(keyfile, key, new, params=kdf or kf.DEFAULT_KDF))


def recover(
    path: Path,
    recovery_code: str,
    new_passphrase: str,
    *,
    kdf: kf.KdfParams | None = None,
    clock: Clock = local_now,
) -> Vault:
    """Open the vault with its recovery code and set a new passphrase.

    The recovery code stays valid. Raises `WrongRecoveryCode`, `WeakPassphrase`
    and the errors of `unlock`.
    """
    kf.check_passphrase_strength(new_passphrase)
    paths = VaultPaths(Path(path))
    keyfile = _require(paths)
    key = kf.unwrap_key(keyfile, kf.RECOVERY_SLOT, kf.normalize_recovery_code(recovery_code))
    if key is None:
        raise WrongRecoveryCode()
    vault = _open_with_key(paths, key, clock)
    try:
        kf.write(
            paths.keyfile,
            kf.rewrap_passphrase(keyfile, key, new_passphrase, params=kdf or kf.DEFAULT_KDF),
        )
    except BaseException:
        vault.close()
        raise
    return vault
