"""Sync through a folder: set it up, join from it, and sync now.

One cycle (`sync_now`), on the vault's thread:

1. finish a segment a crash left half-placed (its exact bytes wait in
   ``sync_outbox``, so the file written again is the same file);
2. capture what changed here and seal it as this device's next segment: the
   vault commits the segment's bytes, the chain's new head and the changes
   marked sent in one transaction, then the file is placed (atomic rename);
3. read what other devices wrote since last time (`folder.scan`: only new
   names, each verified) and merge it in one transaction with the cursors,
   so a crash re-reads it and applying twice changes nothing;
4. now and then, a snapshot of everything, after which this device's old
   segments every device has applied are removed (`compaction`).

The app never opens a socket: the folder is moved by an engine the person
already runs (Syncthing, Nextcloud, Dropbox) or by hand (a USB stick).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from journal.core.errors import SyncBlobMissing, SyncDeviceRemoved, SyncFileUnreadable
from journal.core.sync import compaction, devices, envelope, folder, merge, segments, store
from journal.core.sync.changes import Change
from journal.core.sync.config import SyncConfig, identity, load_config
from journal.core.vault.db import Database
from journal.core.vault.vault import Vault

# Changes per segment: a segment stays far below folder.MAX_SEGMENT_BYTES.
CHUNK = 2000
MAX_BLOB_BYTES = 80 * 1024 * 1024
Cancelled = Callable[[], bool]
ACK_DUE = "sync:ack_due"
RENEWED = (
    "This copy of the journal was restored from a backup or copied from another computer, "
    "so it now syncs as a computer of its own; nothing either copy wrote was lost."
)


@dataclass
class SyncReport:
    """What one `sync_now` did. ``problems``: one sentence per file refused."""

    sent: int = 0
    received: int = 0
    conflicts: int = 0
    pending: int = 0
    devices: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    waiting: int = 0
    compacted: bool = False


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _blob_sink(config: SyncConfig) -> Callable[[str, bytes], None]:
    def put(_content_hash: str, data: bytes) -> None:
        folder.write_blob(
            config.root, config.journal, config.device, config.key, config.epoch,
            config.name_key, data,
        )  # fmt: skip

    return put


def _blob_source(config: SyncConfig, problems: list[str]) -> Callable[[str], bytes | None]:
    def get(content_hash: str) -> bytes | None:
        try:
            return folder.read_blob(
                config.root, config.journal, config.keys, config.name_key, content_hash,
                MAX_BLOB_BYTES,
            )  # fmt: skip
        except SyncBlobMissing:
            return None  # not arrived yet: the attachment waits
        except SyncFileUnreadable as error:
            problems.append(error.message)
            return None

    return get


def recipient(db: Database) -> str:
    return str(identity(db).to_public())


def _acks(db: Database) -> dict[str, int]:
    return {str(r[0]): int(r[1]) for r in db.query("SELECT device, seq FROM sync_devices")}


def _payload(config: SyncConfig, db: Database, kind: str, changes: list[Change]) -> dict[str, Any]:
    return {
        "kind": kind,
        "device": {"name": config.device_name, "recipient": recipient(db)},
        "changes": merge.encode(changes),
        "acks": _acks(db),
    }


def _forked(db: Database, config: SyncConfig) -> bool:
    """Does this device's folder hold a segment sealed for this device that
    this vault did not write? Then the vault was restored from a backup or
    copied to another computer, and writing on would fork the chain other
    devices read. Files that do not open as this device's (garbage, another
    journal's) and copies of its own segments prove nothing."""
    place = folder.device_dir(config.root, config.journal, config.device)
    own = db.query("SELECT name, digest FROM sync_files WHERE device = ?", (config.device,))
    names = {str(row[0]) for row in own}
    digests = {str(row[1]) for row in own}
    try:
        candidates = [p for p in place.iterdir() if envelope.is_sealed_name(p.name)]
    except OSError:
        return False
    for path in candidates:
        if path.name in names:
            continue
        try:
            data = envelope.read_capped(path, folder.MAX_SEGMENT_BYTES)
            envelope.open_segment(
                data, journal_id=config.journal, device_id=config.device, keys=config.keys
            )
        except (OSError, envelope.Refused, SyncFileUnreadable):
            continue
        if hashlib.sha256(data).hexdigest() not in digests:
            return True
    return False


def _become_new_device(db: Database, config: SyncConfig) -> SyncConfig:
    """Go on as a new device; what the old identity wrote is read like any
    other device's, so nothing either copy wrote is lost."""
    key_file = folder.read_key_files(config.root, config.journal).get(config.device)
    renewed = replace(config, device=secrets.token_hex(16))
    with db.transaction():
        db.execute("DELETE FROM sync_files WHERE device = ?", (config.device,))
        store.set_meta(db, store.DEVICE_KEY, renewed.device)
        store.set_meta(db, "sync:seq", "0")
        store.set_meta(db, "sync:digest", "")
    if key_file is not None:
        folder.write_key_file(config.root, config.journal, renewed.device, key_file)
    return renewed


_OWN_TEMPORARY = re.compile(r"\.(?:[0-9a-f]{32}|key)\.[0-9a-f]{12}\.tmp")


def _sweep_own_temporaries(config: SyncConfig) -> None:
    """This device is the only writer of its folder and is not writing now:
    a temporary file there is what a crash left mid-write. (The same in
    ``blobs/``.) Other devices' folders are never touched."""
    place = folder.device_dir(config.root, config.journal, config.device)
    for where in (place, place / folder.BLOBS):
        with contextlib.suppress(OSError):
            for path in where.iterdir():
                if _OWN_TEMPORARY.fullmatch(path.name) and path.is_file():
                    path.unlink()


def send(db: Database, config: SyncConfig, cancelled: Cancelled | None = None) -> int:
    """Capture and write what changed here; the number of changes sent."""
    _sweep_own_temporaries(config)
    segments.place_outbox(db, config)
    merge.merge(db, config.device, [], blob_sink=_blob_sink(config), blob_source=lambda _h: None)
    changes = store.unsent(db)
    sent = 0
    for start in range(0, len(changes), CHUNK):
        if cancelled is not None and cancelled():
            break
        chunk = changes[start : start + CHUNK]
        sent += len(chunk)
        with db.transaction():
            segments.commit_segment(
                db, config, _payload(config, db, "changes", chunk), mark_sent=False
            )
            for change in chunk:
                db.execute(
                    "UPDATE sync_changes SET sent = 1 WHERE tbl = ? AND gid = ? AND device = ? "
                    "AND hlc = ?",
                    (change.table, change.gid, change.device, change.hlc),
                )
        segments.place_outbox(db, config)
    if not changes and store.meta(db, ACK_DUE) == "1":
        # Others wrote changes: say they were applied (acks let them prune),
        # in a segment of no changes, which nobody acknowledges in turn.
        with db.transaction():
            segments.commit_segment(db, config, _payload(config, db, "acks", []), mark_sent=False)
            store.set_meta(db, ACK_DUE, "0")
        segments.place_outbox(db, config)
    return sent


def _cursors(db: Database) -> dict[str, folder.DeviceCursor]:
    names: dict[str, set[str]] = {}
    for row in db.query("SELECT device, name FROM sync_files"):
        names.setdefault(str(row[0]), set()).add(str(row[1]))
    cursors = {}
    for row in db.query("SELECT device, seq, digest FROM sync_devices"):
        device = str(row[0])
        cursors[device] = folder.DeviceCursor(
            int(row[1]), str(row[2]), frozenset(names.pop(device, set()))
        )
    for device, seen in names.items():
        cursors[device] = folder.DeviceCursor(0, "", frozenset(seen))
    return cursors


def _covered(db: Database, device: str) -> int:
    """The newest seq of ``device`` a snapshot applied here already held."""
    return int(store.meta(db, f"sync:covers:{device}") or 0)


def _covers(payload: dict[str, Any], device: str) -> int:
    """What a snapshot says it holds of ``device``'s chain (0 if it says nothing usable)."""
    covers = payload.get("covers")
    seq = covers.get(device, 0) if isinstance(covers, dict) else 0
    return seq if isinstance(seq, int) and not isinstance(seq, bool) and seq >= 0 else 0


def receive(db: Database, config: SyncConfig, report: SyncReport) -> None:
    """Read and merge what other devices wrote since last time."""
    scan = folder.scan(
        config.root, config.journal, config.keys, known=_cursors(db), own_device=config.device
    )
    report.devices = [d for d in scan.devices if d != config.device]
    report.problems += [p.sentence for p in scan.problems]
    report.waiting += len(scan.waiting)
    incoming: list[Change] = []
    accepted: dict[str, list[folder.Segment]] = {}
    snapshots = {
        device: segment
        for device, found in scan.segments.items()
        for segment in found
        if segment.payload.get("kind") == "snapshot"
    }
    gone = devices.removed(db)
    rekeys = [
        (device, segment.payload)
        for device, found in scan.segments.items()
        if device not in gone  # a removed computer cannot remove others
        for segment in found
        if segment.payload.get("kind") == devices.REKEY
    ]
    if rekeys:  # first, so nothing a removed computer wrote is applied in this pass
        with db.transaction():
            for device, payload in rekeys:
                devices.apply_rekey(db, device, payload)
    removed = devices.removed(db)
    for device, found in sorted(scan.segments.items()):
        if device in removed:
            continue  # a lost computer: nothing it writes is applied
        cursor = _cursors(db).get(device, folder.DeviceCursor())
        start = found[0].seq
        covers = max(
            [_covered(db, device)] + [_covers(s.payload, device) for s in snapshots.values()]
        )
        first = found[0].payload.get("kind") == "snapshot"
        if cursor.seq == 0 and start != 1 and not first and covers < start - 1:
            report.waiting += len(found)  # its older segments are still on their way
            continue
        good = []
        for segment in found:
            try:
                incoming += merge.decode(segment.payload.get("changes", []))
            except ValueError:
                report.problems.append(
                    "A file from another computer held changes this version of Afterglow "
                    "cannot read; nothing from it was applied. Update Afterglow on every computer."
                )
                break
            good.append(segment)
        accepted[device] = good
    problems: list[str] = []
    with db.transaction():
        merged = merge.merge(
            db, config.device, incoming,
            blob_sink=_blob_sink(config), blob_source=_blob_source(config, problems),
        )  # fmt: skip
        for device, applied in accepted.items():
            _advance(db, device, applied, scan.settled(device))
        if any(s.payload.get("changes") for found in accepted.values() for s in found):
            store.set_meta(db, ACK_DUE, "1")
        for device in scan.devices:
            if device not in accepted and scan.settled(device):
                _advance(db, device, [], scan.settled(device))
    report.problems += problems
    report.received += merged.applied
    report.conflicts = merged.conflicts
    report.pending = merged.pending


def _advance(
    db: Database, device: str, applied: list[folder.Segment], settled: frozenset[str]
) -> None:
    for segment in applied:
        db.execute(
            "INSERT OR IGNORE INTO sync_files (device, name, seq, digest) VALUES (?, ?, ?, ?)",
            (device, segment.name, segment.seq, segment.digest),
        )
        if segment.payload.get("kind") == "snapshot":
            covers = segment.payload.get("covers")
            for covered in covers if isinstance(covers, dict) else {}:
                seq = _covers(segment.payload, covered)
                if seq > _covered(db, str(covered)):
                    store.set_meta(db, f"sync:covers:{covered}", str(seq))
    for name in settled:
        db.execute(
            "INSERT OR IGNORE INTO sync_files (device, name, seq, digest) VALUES (?, ?, 0, '')",
            (device, name),
        )
    if not applied:
        return
    last = applied[-1]
    device_info = last.payload.get("device", {})
    if not isinstance(device_info, dict):
        device_info = {}
    name = str(device_info.get("name", ""))[:80]
    public = str(device_info.get("recipient", ""))[:128]
    acks = last.payload.get("acks", {})
    db.execute(
        "INSERT INTO sync_devices (device, name, seq, digest, acks, last_seen, recipient) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(device) DO UPDATE SET name = excluded.name, "
        "seq = excluded.seq, digest = excluded.digest, acks = excluded.acks, "
        "last_seen = excluded.last_seen, recipient = excluded.recipient",
        (
            device,
            name,
            last.seq,
            last.digest,
            json.dumps(acks if isinstance(acks, dict) else {}),
            _now(),
            public,
        ),
    )


def sync_now(vault: Vault, cancelled: Cancelled | None = None) -> SyncReport:
    """One whole cycle; raises `SyncNotSetUp`, `SyncFolderUnavailable`, `DiskFull`…"""
    db = vault.db
    config = load_config(db)
    if store.meta(db, devices.REMOVED_KEY):
        raise SyncDeviceRemoved()
    report = SyncReport()
    if _forked(db, config):
        config = _become_new_device(db, config)
        report.problems.append(RENEWED)
    report.sent = send(db, config, cancelled)
    if cancelled is None or not cancelled():
        epoch = config.epoch
        receive(db, config, report)
        config = load_config(db)
        if config.epoch != epoch:  # a new key arrived: what it seals can be read now
            receive(db, config, report)
        report.sent += send(db, config, cancelled)  # the acks, and what merging resolved
    if cancelled is None or not cancelled():
        report.compacted = compaction.compact_if_due(vault, config)
    with db.transaction():
        if cancelled is None or not cancelled():  # a stopped sync is not "synced"
            store.set_meta(db, "sync:last", _now())
        store.set_meta(db, "sync:problems", json.dumps(report.problems[-20:]))
    return report
