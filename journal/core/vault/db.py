"""A thin wrapper over the SQLCipher connection: queries, transactions, errors.

Only the thread that opened the vault may use it (sqlcipher3 checks this), so
the desktop app runs every vault operation on one worker thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import sqlcipher3

from journal.core.errors import (
    DiskFull,
    JournalError,
    StorageError,
    VaultCorrupt,
    VaultDamaged,
    VaultInUse,
    VaultLocked,
    VaultReadOnly,
)


class Row(Protocol):
    """A result row, indexable by column name or position."""

    def __getitem__(self, key: int | str) -> Any: ...

    def keys(self) -> list[str]: ...


Params = Sequence[Any] | dict[str, Any]

_CORRUPT = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
_FULL = {"SQLITE_FULL"}
_BUSY = {"SQLITE_BUSY", "SQLITE_LOCKED"}
_IO = {"SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM"}


def translate(error: sqlcipher3.Error) -> JournalError | None:
    """The typed error for a database failure that is not our bug, else None."""
    name = str(getattr(error, "sqlite_errorname", "") or "")
    base = "_".join(name.split("_")[:2])  # SQLITE_IOERR_WRITE -> SQLITE_IOERR
    text = str(error).lower()
    if base in _CORRUPT or "malformed" in text or "not a database" in text:
        return VaultCorrupt()
    if base in _FULL or "disk is full" in text:
        return DiskFull()
    if base in _BUSY:
        return VaultInUse()
    if base in _IO or "disk i/o error" in text:
        return StorageError()
    return None


class Database:
    """Owns one open connection. Methods raise typed `JournalError`s for the
    environment's failures (damaged file, full disk) and let bugs through.

    Once a damaged page has been met (`damaged`), every transaction refuses
    with `VaultDamaged`: nothing more is written into a vault whose check
    fails. A ``read_only`` database refuses every transaction with
    `VaultReadOnly`.
    """

    def __init__(self, connection: sqlcipher3.Connection, *, read_only: bool = False) -> None:
        self._conn: sqlcipher3.Connection | None = connection
        self._depth = 0
        self.read_only = read_only
        self.damaged = False
        connection.row_factory = sqlcipher3.Row

    @contextlib.contextmanager
    def translated_errors(self) -> Iterator[None]:
        """Database failures as typed errors; a damaged page is remembered."""
        try:
            yield
        except sqlcipher3.Error as error:
            typed = translate(error)
            if typed is None:
                raise
            if isinstance(typed, VaultCorrupt):
                self.damaged = True
                raise VaultDamaged() from None
            if self.read_only and isinstance(typed, StorageError):
                raise VaultReadOnly() from None
            raise typed from None

    @property
    def connection(self) -> sqlcipher3.Connection:
        if self._conn is None:
            raise VaultLocked()
        return self._conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def execute(self, sql: str, params: Params = ()) -> sqlcipher3.Cursor:
        with self.translated_errors():
            return self.connection.execute(sql, params)

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        with self.translated_errors():
            return list(self.connection.execute(sql, params).fetchall())

    def query_one(self, sql: str, params: Params = ()) -> Row | None:
        with self.translated_errors():
            row: Row | None = self.connection.execute(sql, params).fetchone()
            return row

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.query_one(sql, params)
        return None if row is None else row[0]

    def pragma(self, name: str) -> Any:
        return self.scalar(f"PRAGMA {name}")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: commit at the end, roll back on any exception.

        A nested use is a savepoint: if it fails, only its own writes are
        undone and the outer transaction may go on.
        """
        conn = self.connection
        if self.read_only:
            raise VaultReadOnly()
        if self.damaged:
            raise VaultDamaged()
        depth = self._depth
        begin, commit, rollback = (
            ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
            if depth == 0
            else (
                f"SAVEPOINT sp{depth}",
                f"RELEASE sp{depth}",
                f"ROLLBACK TO sp{depth}; RELEASE sp{depth}",
            )
        )
        with self.translated_errors():
            conn.execute(begin)
        self._depth = depth + 1
        try:
            yield
            with self.translated_errors():
                conn.execute(commit)
        except BaseException:
            with contextlib.suppress(sqlcipher3.Error):
                for statement in rollback.split("; "):
                    conn.execute(statement)
            raise
        finally:
            self._depth = depth

    def close(self) -> None:
        """Close the connection; further use raises `VaultLocked`."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            if not self.read_only:
                with contextlib.suppress(sqlcipher3.Error):
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
