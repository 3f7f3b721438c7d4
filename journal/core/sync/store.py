"""The vault's sync state: the changes it holds, per record, and the clock.

Everything here lives inside the encrypted vault (schema 13), written in the
transaction of the work that produced it, so a crash leaves the state of
before or of after.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from journal.core.sync.changes import Change, Clock, prunable
from journal.core.vault.db import Database, Row
from journal.core.vault.synced import BY_NAME

JOURNAL_KEY = "sync:journal"
DEVICE_KEY = "sync:device"
CLOCK_KEY = "sync:clock"


def _row_change(row: Row) -> Change:
    return Change(
        str(row[0]),
        str(row[1]),
        str(row[2]),
        int(row[3]),
        json.loads(row[5]),
        json.loads(row[6]),
        bool(row[4]),
    )


def load(db: Database, table: str, gid: str) -> list[Change]:
    rows = db.query(
        "SELECT tbl, gid, device, hlc, deleted, fields, seen FROM sync_changes "
        "WHERE tbl = ? AND gid = ?",
        (table, gid),
    )
    return [_row_change(row) for row in rows]


def add(db: Database, changes: Iterable[Change], *, sent: bool) -> set[tuple[str, str]]:
    """Store changes (one already held is ignored); the records touched."""
    touched: set[tuple[str, str]] = set()
    for change in changes:
        db.execute(
            "INSERT OR IGNORE INTO sync_changes "
            "(tbl, gid, device, hlc, deleted, fields, seen, sent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                change.table,
                change.gid,
                change.device,
                change.hlc,
                int(change.deleted),
                json.dumps(dict(change.fields), ensure_ascii=False, sort_keys=True),
                json.dumps(dict(change.seen), sort_keys=True),
                int(sent),
            ),
        )
        touched.add((change.table, change.gid))
    return touched


def prune(db: Database, changes: list[Change]) -> list[Change]:
    """Forget what `prunable` names; the changes that remain."""
    gone = prunable(changes)
    for change in gone:
        db.execute(
            "DELETE FROM sync_changes WHERE tbl = ? AND gid = ? AND device = ? AND hlc = ?",
            (change.table, change.gid, change.device, change.hlc),
        )
    return [c for c in changes if c not in gone]


def all_changes(db: Database) -> list[Change]:
    rows = db.query(
        "SELECT tbl, gid, device, hlc, deleted, fields, seen FROM sync_changes ORDER BY tbl, gid"
    )
    return [_row_change(row) for row in rows]


def unsent(db: Database) -> list[Change]:
    rows = db.query(
        "SELECT tbl, gid, device, hlc, deleted, fields, seen FROM sync_changes WHERE sent = 0"
    )
    return [_row_change(row) for row in rows]


def meta(db: Database, key: str) -> str | None:
    value = db.scalar("SELECT value FROM meta WHERE key = ?", (key,))
    return None if value is None else str(value)


def set_meta(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def clock(db: Database) -> Clock:
    return Clock(int(meta(db, CLOCK_KEY) or 0))


def save_clock(db: Database, value: Clock) -> None:
    set_meta(db, CLOCK_KEY, str(value.last))


def known_table(name: str) -> bool:
    return name in BY_NAME
