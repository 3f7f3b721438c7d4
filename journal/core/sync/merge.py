"""Capture this device's changes and merge other devices' into the vault.

`merge` is one transaction: first what this device changed since the last
time becomes changes (so nothing a person wrote is overwritten unseen), then
the received changes join the state and every record they touch is written
again from `changes.resolve`. Records that cannot be written yet (an answer
whose entry has not arrived, an attachment whose bytes have not) wait in
``sync_pending`` and are tried after each merge.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import sqlcipher3

from journal.core.sync import rows, store
from journal.core.sync.changes import Change, Clock, Value, resolve, version_vector
from journal.core.sync.rows import BlobSink, BlobSource, NotYet
from journal.core.vault.db import Database
from journal.core.vault.synced import BY_NAME, ID_TABLES, SyncedTable, children


@dataclass
class Merged:
    captured: int = 0
    applied: int = 0
    records: int = 0
    pending: int = 0
    conflicts: int = 0
    problems: list[str] = field(default_factory=list)


def _equal(db: Database, table: SyncedTable, name: str, held: Value, here: Value) -> bool:
    if held == here:
        return True
    # A reference to a record that has not arrived is written as "none" until
    # it does; that is not this device's edit.
    if name in table.refs and here is None and held is not None:
        return rows.local_for(db, table.refs[name], held) is None
    return False


def capture(db: Database, device: str, clock: Clock, blobs: BlobSink | None) -> list[Change]:
    """Turn the records marked changed into this device's changes (unsent)."""
    made: list[Change] = []
    for mark in db.query("SELECT tbl, gid FROM sync_dirty"):
        table = BY_NAME.get(str(mark[0]))
        gid = str(mark[1])
        if table is None:
            continue
        held = store.load(db, table.name, gid)
        state = resolve(held)
        values = rows.read(db, table, gid, blobs)
        seen = version_vector(held)
        if values is None:
            if table in ID_TABLES:
                db.execute(
                    f"DELETE FROM sync_ids WHERE tbl = ? AND gid = ? AND local_id NOT IN "
                    f"(SELECT id FROM {table.name})",
                    (table.name, gid),
                )
            if state.alive:
                made.append(Change(table.name, gid, device, clock.tick(), {}, seen, True))
            continue
        if state.alive:
            changed = {
                name: value
                for name, value in values.items()
                if not _equal(db, table, name, state.values.get(name), value)
            }
        else:
            changed = values
        if changed:
            made.append(Change(table.name, gid, device, clock.tick(), changed, seen))
    db.execute("DELETE FROM sync_dirty")
    for record in store.add(db, made, sent=False):
        store.prune(db, store.load(db, *record))
    return made


def mark_everything(db: Database) -> None:
    """Mark every record changed: sync was just set up, so all of the journal
    is news to the folder."""
    for table in BY_NAME.values():
        for gid in rows.gids(db, table):
            db.execute(
                "INSERT OR IGNORE INTO sync_dirty (tbl, gid) VALUES (?, ?)", (table.name, gid)
            )


def _needed(db: Database, table: SyncedTable, gid: str) -> bool:
    """Is a deleted record still needed by a live one that cannot exist
    without it (an answer edited on a device that had not seen its entry
    deleted)? Then it stays, so that edit is not lost."""
    for child, column in children(table.name):
        found = db.query(
            f"SELECT DISTINCT gid FROM sync_changes WHERE tbl = ? AND "
            f"json_extract(fields, '$.{column}') = ?",
            (child.name, gid),
        )
        if any(resolve(store.load(db, child.name, str(row[0]))).alive for row in found):
            return True
    return False


def _parents(table: SyncedTable, values: dict[str, Value]) -> set[tuple[str, str]]:
    return {
        (table.refs[column], str(values[column]))
        for column in table.required | table.owners
        if values.get(column) is not None
    }


def _materialize(db: Database, record: tuple[str, str], blobs: BlobSource) -> bool:
    """Write one record from its state; False if it must wait."""
    table = BY_NAME[record[0]]
    held = store.prune(db, store.load(db, *record))
    state = resolve(held, table.texts)
    if not state.alive and state.values and _needed(db, table, record[1]):
        state = replace(state, alive=True)
    for name in table.texts:
        if name in state.conflicts:
            db.execute(
                "INSERT OR IGNORE INTO sync_conflicts (tbl, gid, field) VALUES (?, ?, ?)",
                (*record, name),
            )
        else:
            db.execute(
                "DELETE FROM sync_conflicts WHERE tbl = ? AND gid = ? AND field = ?",
                (*record, name),
            )
    if not state.alive:
        rows.remove(db, table, record[1])
        return True
    try:
        return rows.write(db, table, record[1], state.values, blobs)
    except NotYet:
        return False
    except sqlcipher3.IntegrityError:
        return False


def apply(db: Database, changes: Iterable[Change], clock: Clock, blobs: BlobSource) -> Merged:
    """Add received changes and write the records they touch."""
    merged = Merged()
    incoming = list(changes)
    for change in incoming:
        clock.observe(change.hlc)
    touched = store.add(db, incoming, sent=True)
    merged.applied = len(incoming)
    pending = {(str(r[0]), str(r[1])) for r in db.query("SELECT tbl, gid FROM sync_pending")}
    # Parents before children, so an entry exists before its answers; then
    # again for what waited, as long as that writes more.
    order = {name: index for index, name in enumerate(BY_NAME)}
    # A record's parents too: one may come back for it, or go with it.
    parents = set()
    for table_name, gid in touched:
        table = BY_NAME[table_name]
        if table.required or table.owners:
            parents |= _parents(table, resolve(store.load(db, table_name, gid)).values)
    queue = sorted(touched | pending | parents, key=lambda r: (order[r[0]], r[1]))
    while True:
        waiting = {record for record in queue if not _materialize(db, record, blobs)}
        if not waiting or len(waiting) == len(queue):
            break
        queue = sorted(waiting, key=lambda r: (order[r[0]], r[1]))
    _cascaded(db, waiting)
    db.execute("DELETE FROM sync_pending")
    for record in waiting:
        db.execute("INSERT OR IGNORE INTO sync_pending (tbl, gid) VALUES (?, ?)", record)
    merged.records = len(touched)
    merged.pending = len(waiting)
    merged.conflicts = int(db.scalar("SELECT count(*) FROM sync_conflicts") or 0)
    return merged


def _cascaded(db: Database, waiting: set[tuple[str, str]]) -> None:
    """Rows the database removed with a deleted parent (an entry's answers)
    are alive in the state: they wait for the parent to come back. The marks
    writing the records made are not this device's edits."""
    for mark in db.query("SELECT tbl, gid FROM sync_dirty"):
        record = (str(mark[0]), str(mark[1]))
        table = BY_NAME.get(record[0])
        if table is None or rows.locate(db, table, record[1]) is not None:
            continue
        if resolve(store.load(db, *record)).alive:
            waiting.add(record)
    db.execute("DELETE FROM sync_dirty")


def merge(
    db: Database,
    device: str,
    incoming: Iterable[Change],
    *,
    blob_sink: BlobSink | None,
    blob_source: BlobSource,
) -> Merged:
    """Capture, then apply, in one transaction; the clock is kept in the vault."""
    with db.transaction():
        clock = store.clock(db)
        captured = capture(db, device, clock, blob_sink)
        merged = apply(db, incoming, clock, blob_source)
        merged.captured = len(captured)
        store.save_clock(db, clock)
    return merged


def choose(db: Database, device: str, table: str, gid: str, name: str, value: Value) -> None:
    """The person's choice between a field's versions: a change that has
    seen them all, so every device shows this one and the conflict ends."""
    spec = BY_NAME[table]
    with db.transaction():
        clock = store.clock(db)
        capture(db, device, clock, None)
        held = store.load(db, table, gid)
        change = Change(table, gid, device, clock.tick(), {name: value}, version_vector(held))
        store.add(db, [change], sent=False)
        if spec.texts:
            _materialize(db, (table, gid), lambda _hash: None)
        db.execute("DELETE FROM sync_dirty")
        store.save_clock(db, clock)


def conflicts(db: Database) -> list[tuple[str, str, str, list[Value]]]:
    """(table, gid, field, [the value shown, then the others]) for each conflict."""
    found = []
    for row in db.query("SELECT tbl, gid, field FROM sync_conflicts ORDER BY tbl, gid, field"):
        table, gid, name = str(row[0]), str(row[1]), str(row[2])
        state = resolve(store.load(db, table, gid), BY_NAME[table].texts)
        others = [c.fields[name] for c in state.conflicts.get(name, [])]
        found.append((table, gid, name, [state.values.get(name), *others]))
    return found


def encode(changes: Iterable[Change]) -> list[list[object]]:
    return [change.to_json() for change in changes]


def decode(raw: object) -> list[Change]:
    """Changes from a segment's payload; ValueError if any is malformed."""
    if not isinstance(raw, list):
        raise ValueError("not a list of changes")
    return [Change.from_json(item, tables=BY_NAME) for item in raw]


def dumps(changes: Iterable[Change]) -> str:
    return json.dumps(encode(changes), ensure_ascii=False)
