"""Keeping the sync folder about the size of the journal, not of its history.

Every `DUE` segments this device writes a *snapshot*: every change the vault
holds (already pruned to what still matters, `changes.prunable`), what it
covers of each device's chain, and the journal's box for computers that join
later. Then it removes its own segments older than the snapshot that every
device it knows has applied (their acks say so): a device that was offline
still finds each segment it has not read, and a computer joining later
starts from the snapshot.
"""

from __future__ import annotations

import json

from journal.core.sync import folder, merge, segments, store
from journal.core.sync.config import SyncConfig, box
from journal.core.vault.vault import Vault

DUE = 32


def _own_segments(vault: Vault, config: SyncConfig) -> list[tuple[int, str]]:
    rows = vault.db.query(
        "SELECT seq, name FROM sync_files WHERE device = ? AND seq > 0 ORDER BY seq",
        (config.device,),
    )
    return [(int(r[0]), str(r[1])) for r in rows]


def _acked_by_all(vault: Vault, config: SyncConfig) -> int:
    """The newest of this device's segments every other known device applied."""
    acked = []
    for row in vault.db.query("SELECT acks FROM sync_devices WHERE removed = 0"):
        acks = json.loads(str(row[0]) or "{}")
        value = acks.get(config.device, 0) if isinstance(acks, dict) else 0
        acked.append(value if isinstance(value, int) else 0)
    return min(acked) if acked else 0


def compact_if_due(vault: Vault, config: SyncConfig, *, due: int = DUE) -> bool:
    segments = _own_segments(vault, config)
    snapshots = int(store.meta(vault.db, "sync:snapshot_seq") or 0)
    if len([s for s in segments if s[0] > snapshots]) < due:
        return False
    return compact(vault, config)


def compact(vault: Vault, config: SyncConfig) -> bool:
    """Write a snapshot and remove what it makes unneeded; False if the
    journal is too big for one snapshot segment (the segments then stay)."""
    db = vault.db
    covers = {str(r[0]): int(r[1]) for r in db.query("SELECT device, seq FROM sync_devices")}
    covers[config.device] = int(store.meta(db, "sync:seq") or 0)
    payload = {
        "kind": "snapshot",
        "device": {"name": config.device_name},
        "changes": merge.encode(store.all_changes(db)),
        "acks": {device: seq for device, seq in covers.items() if device != config.device},
        "covers": covers,
        "box": box(vault, config),
    }
    try:
        seq = segments.commit_segment(db, config, payload, mark_sent=True)
    except ValueError:
        return False
    segments.place_outbox(db, config)
    with db.transaction():
        store.set_meta(db, "sync:snapshot_seq", str(seq))
    keep_from = min(seq, _acked_by_all(vault, config) + 1)
    old = [(s, name) for s, name in _own_segments(vault, config) if s < keep_from]
    if old:
        folder.remove_own_segments(config.root, config.journal, config.device, [n for _s, n in old])
        with db.transaction():
            for _seq, name in old:
                db.execute(
                    "DELETE FROM sync_files WHERE device = ? AND name = ?", (config.device, name)
                )
    return True
