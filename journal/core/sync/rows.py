"""A record's local row read as sync values, and written back from them.

Sync values name other records by global id (never by this vault's row ids)
and an attachment's bytes by their SHA-256, so the same record reads the same
on every device.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from journal.core.sync.changes import Value
from journal.core.vault.db import Database
from journal.core.vault.synced import BY_NAME, SyncedTable

BlobSink = Callable[[str, bytes], None]
BlobSource = Callable[[str], bytes | None]


def gid_for(db: Database, table: str, local_id: Any) -> str | None:
    if local_id is None:
        return None
    value = db.scalar("SELECT gid FROM sync_ids WHERE tbl = ? AND local_id = ?", (table, local_id))
    return None if value is None else str(value)


def local_for(db: Database, table: str, gid: Any) -> int | None:
    if gid is None:
        return None
    value = db.scalar("SELECT local_id FROM sync_ids WHERE tbl = ? AND gid = ?", (table, gid))
    return None if value is None else int(value)


def _where(table: SyncedTable) -> str:
    return f" AND {table.where}" if table.where else ""


def _pair_ids(db: Database, gid: str) -> tuple[int | None, int | None]:
    motif, _, entry = gid.partition(":")
    return local_for(db, "motifs", motif), local_for(db, "entries", entry)


def locate(db: Database, table: SyncedTable, gid: str) -> Any:
    """The row's local key (id, name or the pair), or None if it is not here."""
    if table.pair:
        motif, entry = _pair_ids(db, gid)
        if motif is None or entry is None:
            return None
        found = db.scalar(
            "SELECT 1 FROM motif_links WHERE motif_id = ? AND entry_id = ?", (motif, entry)
        )
        return (motif, entry) if found else None
    if table.natural:
        found = db.scalar(
            f"SELECT 1 FROM {table.name} WHERE {table.key} = ?{_where(table)}",
            (gid,),
        )
        return gid if found else None
    local = local_for(db, table.name, gid)
    if local is None:
        return None
    found = db.scalar(f"SELECT 1 FROM {table.name} WHERE id = ?", (local,))
    return local if found else None


def read(
    db: Database, table: SyncedTable, gid: str, blobs: BlobSink | None
) -> dict[str, Value] | None:
    """The record's values as this vault holds them, or None if it has no row.
    An attachment's bytes go to ``blobs`` under their hash."""
    key = locate(db, table, gid)
    if key is None:
        return None
    if table.pair:
        motif, _, entry = gid.partition(":")
        return {"motif_id": motif, "entry_id": entry}
    column = table.key if table.natural else "id"
    row = db.query_one(
        f"SELECT {', '.join(table.columns)} FROM {table.name} WHERE {column} = ?",
        (key,),
    )
    if row is None:
        return None
    values: dict[str, Value] = {}
    for name in table.columns:
        value = row[name]
        if name in table.refs:
            value = gid_for(db, table.refs[name], value)
        elif name == table.blob:
            data = bytes(value)
            value = hashlib.sha256(data).hexdigest()
            if blobs is not None:
                blobs(value, data)
        values[name] = value
    return values


class NotYet(Exception):
    """The record cannot be written yet: what it needs has not arrived."""


def write(
    db: Database, table: SyncedTable, gid: str, values: dict[str, Value], blobs: BlobSource
) -> bool:
    """Make the local row hold ``values``; False if a reference it may do
    without could not be resolved yet (the row is written, the record stays
    pending). Raises `NotYet` when the row cannot exist yet."""
    complete = True
    local: dict[str, Any] = {}
    for name in table.columns:
        value: Any = values.get(name)
        if name in table.refs and value is not None:
            resolved = local_for(db, table.refs[name], value)
            if resolved is None:
                if name in table.required or name in table.owners:
                    raise NotYet()
                complete = False
            value = resolved
        elif name == table.blob:
            data = blobs(str(value)) if value is not None else None
            if data is None:
                raise NotYet()
            value = data
        elif name in table.required and value is None:
            raise NotYet()
        local[name] = value
    key = locate(db, table, gid)
    if table.pair:
        db.execute(
            "INSERT OR IGNORE INTO motif_links (motif_id, entry_id) VALUES (?, ?)",
            (local["motif_id"], local["entry_id"]),
        )
        return complete
    names = list(table.columns)
    if key is not None:
        column = table.key if table.natural else "id"
        assignments = ", ".join(f"{name} = ?" for name in names)
        db.execute(
            f"UPDATE {table.name} SET {assignments} WHERE {column} = ?",
            [*(local[n] for n in names), key],
        )
        return complete
    if table.natural:
        columns = [table.key, *names]
        db.execute(
            f"INSERT OR REPLACE INTO {table.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            [gid, *(local[n] for n in names)],
        )
        return complete
    cursor = db.execute(
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
        [local[n] for n in names],
    )
    db.execute(
        "DELETE FROM sync_ids WHERE tbl = ? AND gid = ? AND local_id != ?",
        (table.name, gid, cursor.lastrowid),
    )
    db.execute(
        "UPDATE sync_ids SET gid = ? WHERE tbl = ? AND local_id = ?",
        (gid, table.name, cursor.lastrowid),
    )
    return complete


def remove(db: Database, table: SyncedTable, gid: str) -> None:
    key = locate(db, table, gid)
    if key is None:
        return
    if table.pair:
        db.execute("DELETE FROM motif_links WHERE motif_id = ? AND entry_id = ?", key)
    elif table.natural:
        db.execute(f"DELETE FROM {table.name} WHERE {table.key} = ?", (key,))
    else:
        db.execute(f"DELETE FROM {table.name} WHERE id = ?", (key,))
        db.execute("DELETE FROM sync_ids WHERE tbl = ? AND gid = ?", (table.name, gid))


def journal_content(db: Database) -> dict[tuple[str, str], dict[str, Value]]:
    """Every synced record this vault holds, by table and global id: what two
    devices must agree on (tests, `afterglow sync status`'s fingerprint)."""
    content: dict[tuple[str, str], dict[str, Value]] = {}
    for table in BY_NAME.values():
        for gid in gids(db, table):
            values = read(db, table, gid, None)
            if values is not None:
                content[(table.name, gid)] = values
    return content


def gids(db: Database, table: SyncedTable) -> list[str]:
    if table.pair:
        rows = db.query(
            "SELECT m.gid || ':' || e.gid FROM motif_links l "
            "JOIN sync_ids m ON m.tbl = 'motifs' AND m.local_id = l.motif_id "
            "JOIN sync_ids e ON e.tbl = 'entries' AND e.local_id = l.entry_id"
        )
    elif table.natural:
        where = f" WHERE {table.where}" if table.where else ""
        rows = db.query(f"SELECT {table.key} FROM {table.name}{where}")
    else:
        rows = db.query(
            f"SELECT s.gid FROM {table.name} t JOIN sync_ids s "
            f"ON s.tbl = '{table.name}' AND s.local_id = t.id"
        )
    return [str(row[0]) for row in rows]
