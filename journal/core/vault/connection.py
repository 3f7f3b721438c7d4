"""Opening the vault's files: its OS lock (or read-only, where the folder or
file can't be written), the checks that tell a vault file from an empty or
foreign one, and the SQLCipher connection with its settings."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from datetime import datetime
from urllib.parse import quote

import sqlcipher3

from journal.core.errors import VaultCorrupt, VaultInUse, VaultReadOnly
from journal.core.fsutil import storage_error
from journal.core.oslock import OsLock
from journal.core.vault.db import Database, translate
from journal.core.vault.paths import VaultPaths

Clock = Callable[[], datetime]
PAGE_SIZE = 4096  # SQLCipher 4's default: a vault file is a whole number of pages


def local_now() -> datetime:
    return datetime.now().astimezone()


def acquire_lock(paths: VaultPaths) -> OsLock:
    """The vault's OS lock, or `VaultInUse` when another process holds it.
    Raises OSError when the lock file can't be created (a read-only folder)."""
    lock = OsLock.try_acquire(paths.lockfile)
    if lock is None:
        raise VaultInUse()
    return lock


_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


def lock_or_read_only(paths: VaultPaths) -> OsLock | None:
    """The vault's lock; None when the vault can only be read here (a read-only
    drive or folder, or a file that isn't writable): nothing can write it then."""
    if paths.database.exists() and not os.access(paths.database, os.W_OK):
        return None
    try:
        return acquire_lock(paths)
    except OSError as error:
        if error.errno in _READ_ONLY_ERRNOS:
            return None
        raise storage_error(error) from None


def check_size(paths: VaultPaths) -> None:
    """An empty, truncated or foreign-sized vault file is damage, never a new
    journal (only `create` makes one). A new vault's pages may all still be in
    its log (WAL), so an empty file with a log is fine."""
    size = paths.database.stat().st_size
    has_log = paths.wal.exists() and paths.wal.stat().st_size > 0
    if size % PAGE_SIZE or (size == 0 and not has_log):
        raise VaultCorrupt(
            "The vault file is empty or cut short, so it can't be opened; nothing was "
            "changed. Restore it from a backup (File → Restore from backup…, or "
            "`afterglow restore`)."
        )


def connect(paths: VaultPaths, key: bytes, *, read_only: bool = False) -> Database:
    """Open the database with the raw key and apply the connection settings.
    Read-only: the file is opened as immutable (nothing can change it here,
    and SQLite may not create its lock files beside it)."""
    try:
        if read_only:
            mode = "ro" if paths.wal.exists() else "ro&immutable=1"
            conn = sqlcipher3.connect(
                f"file:{quote(str(paths.database))}?mode={mode}", uri=True, isolation_level=None
            )
        else:
            conn = sqlcipher3.connect(str(paths.database), isolation_level=None)
    except sqlcipher3.Error as error:
        raise (translate(error) or VaultCorrupt()) from None
    db = Database(conn, read_only=read_only)
    try:
        # Before the key: SQLCipher would otherwise print decryption errors.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        # The first read decrypts page 1: a damaged file, or a key file that
        # belongs to another vault, fails here.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if not read_only:
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
        if read_only and typed is not None and not isinstance(typed, VaultCorrupt):
            raise VaultReadOnly(
                "This journal was not closed properly and is on a drive that can't be "
                "written, so it can't be opened here. Copy it to a writable folder first."
            ) from None
        raise (
            typed if typed is not None and not isinstance(typed, VaultInUse) else VaultCorrupt()
        ) from None
    return db
