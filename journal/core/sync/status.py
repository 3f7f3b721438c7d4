"""What the window and `afterglow sync status` show about sync."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from journal.core.sync import store
from journal.core.sync.config import is_set_up, load_config
from journal.core.vault.db import Database


@dataclass(frozen=True)
class DeviceSeen:
    """Another computer of this journal, as its own files describe it."""

    device: str
    name: str
    last_seen: str  # when this computer last read something new from it (UTC, ISO)
    applied: int  # how many of its segments were applied here


@dataclass(frozen=True)
class SyncStatus:
    set_up: bool
    folder: str = ""
    device_name: str = ""
    last_synced: str = ""
    devices: list[DeviceSeen] = field(default_factory=list)
    to_send: int = 0  # changes made here not yet in the folder
    pending: int = 0  # received records waiting for what they need
    conflicts: int = 0  # texts changed on two computers, for the person to choose
    problems: list[str] = field(default_factory=list)


def devices(db: Database) -> list[DeviceSeen]:
    rows = db.query(
        "SELECT device, name, last_seen, seq FROM sync_devices WHERE removed = 0 ORDER BY name"
    )
    return [DeviceSeen(str(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]


def status(db: Database) -> SyncStatus:
    if not is_set_up(db):
        return SyncStatus(set_up=False)
    config = load_config(db)
    problems = json.loads(store.meta(db, "sync:problems") or "[]")
    return SyncStatus(
        set_up=True,
        folder=str(config.root),
        device_name=config.device_name,
        last_synced=store.meta(db, "sync:last") or "",
        devices=devices(db),
        to_send=int(db.scalar("SELECT count(*) FROM sync_changes WHERE sent = 0") or 0)
        + int(db.scalar("SELECT count(*) FROM sync_dirty") or 0),
        pending=int(db.scalar("SELECT count(*) FROM sync_pending") or 0),
        conflicts=int(db.scalar("SELECT count(*) FROM sync_conflicts") or 0),
        problems=[str(p) for p in problems if isinstance(p, str)],
    )
