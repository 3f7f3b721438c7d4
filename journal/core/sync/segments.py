"""This device's segments: sealed and committed to the vault first, then placed.

The vault commits a segment's exact bytes (``sync_outbox``) with the chain's
new head in one transaction, and only then is the file placed in the folder
(atomically). A crash in between leaves bytes that `place_outbox` writes again
next time: the same file, so the chain other devices read never forks.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from journal.core.sync import envelope, folder, store
from journal.core.sync.config import SyncConfig
from journal.core.vault.db import Database


def place_outbox(db: Database, config: SyncConfig) -> None:
    """Place every segment the vault committed but whose file may be missing."""
    for row in db.query("SELECT seq, name, data FROM sync_outbox ORDER BY seq"):
        folder.place_segment(config.root, config.journal, config.device, str(row[1]), row[2])
        with db.transaction():
            db.execute("DELETE FROM sync_outbox WHERE seq = ?", (row[0],))


def commit_segment(
    db: Database, config: SyncConfig, payload: dict[str, Any], *, mark_sent: bool
) -> int:
    """Seal the next segment and commit it to the outbox (with the chain's
    head, and the unsent changes marked sent); `place_outbox` writes it."""
    with db.transaction():
        seq = int(store.meta(db, "sync:seq") or 0) + 1
        prev = store.meta(db, "sync:digest") or ""
        sealed = envelope.seal_segment(
            journal_id=config.journal, device_id=config.device, key=config.key,
            epoch=config.epoch, seq=seq, prev=prev, payload=payload,
        )  # fmt: skip
        digest = hashlib.sha256(sealed).hexdigest()
        name = secrets.token_hex(16)
        db.execute(
            "INSERT INTO sync_outbox (seq, name, data, digest) VALUES (?, ?, ?, ?)",
            (seq, name, sealed, digest),
        )
        db.execute(
            "INSERT INTO sync_files (device, name, seq, digest) VALUES (?, ?, ?, ?)",
            (config.device, name, seq, digest),
        )
        store.set_meta(db, "sync:seq", str(seq))
        store.set_meta(db, "sync:digest", digest)
        if mark_sent:
            db.execute("UPDATE sync_changes SET sent = 1 WHERE sent = 0")
    return seq
