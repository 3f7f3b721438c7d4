"""Removing a lost or retired computer: a new sync key it never learns.

The remaining devices receive the new key in a *rekey* segment, sealed
under the old key (they can all read it), holding the new key encrypted
to each remaining device's own X25519 key (`config.identity`): the removed
computer reads the segment but cannot open any of the keys in it. Every file
written after is sealed under the new key, and the remaining devices ignore
whatever the removed one writes. The new key is also wrapped under the
passphrase (and the recovery code, if given) in this device's key file, so a
computer can still join; the other devices' key files hold only old keys.

What was written before the removal stays readable to the removed computer:
a key cannot be taken back. If whoever has it may know the passphrase,
change the passphrase too.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import replace
from typing import Any

import pyrage

from journal.core.errors import InvalidInput
from journal.core.sync import compaction, folder, segments, store
from journal.core.sync.config import (
    check_secrets,
    folder_key_file,
    identity,
    load_config,
    save_config,
)
from journal.core.vault import keyfile as kf
from journal.core.vault.db import Database
from journal.core.vault.vault import Vault

REKEY = "rekey"
REMOVED_KEY = "sync:removed"


def removed(db: Database) -> set[str]:
    return {str(r[0]) for r in db.query("SELECT device FROM sync_devices WHERE removed = 1")}


def remove_device(
    vault: Vault,
    device: str,
    *,
    passphrase: str,
    recovery_code: str | None = None,
    kdf: kf.KdfParams | None = None,
) -> None:
    """Remove ``device`` and move every other device to a new key. The
    passphrase must open this vault (it wraps the new key for joining)."""
    db = vault.db
    config = load_config(db)
    known = {str(r[0]): str(r[1]) for r in db.query("SELECT device, recipient FROM sync_devices")}
    if device == config.device or device not in known:
        raise InvalidInput("That is not another computer of this journal; nothing was changed.")
    check_secrets(vault, passphrase, recovery_code)
    epoch = max(config.keys) + 1
    new_key = secrets.token_bytes(32)
    wrapped = {}
    for other, public in known.items():
        if other == device or other in removed(db) or not public:
            continue
        recipient = pyrage.x25519.Recipient.from_str(public)
        wrapped[other] = base64.b64encode(pyrage.encrypt(new_key, [recipient])).decode("ascii")
    payload: dict[str, Any] = {
        "kind": REKEY,
        "device": {"name": config.device_name},
        "changes": [],
        "acks": {},
        "epoch": epoch,
        "keys": wrapped,
        "removed": [device],
    }
    with db.transaction():
        segments.commit_segment(db, config, payload, mark_sent=False)
    segments.place_outbox(db, config)
    renewed = replace(config, epoch=epoch, keys={**config.keys, epoch: new_key})
    folder.write_key_file(
        config.root,
        config.journal,
        config.device,
        folder_key_file(renewed, passphrase, recovery_code, kdf or kf.DEFAULT_KDF),
    )
    with db.transaction():
        save_config(db, renewed)
        db.execute("UPDATE sync_devices SET removed = 1 WHERE device = ?", (device,))
    # Everything again under the new key, for computers that join from now on.
    compaction.compact(vault, renewed)


def apply_rekey(db: Database, sender: str, payload: dict[str, Any]) -> None:
    """A rekey segment from ``sender`` (in the caller's transaction)."""
    config = load_config(db)
    gone = [str(d) for d in payload.get("removed", []) if isinstance(d, str)]
    if config.device in gone:
        store.set_meta(db, REMOVED_KEY, sender)
        return
    for device in gone:
        db.execute(
            "INSERT INTO sync_devices (device, removed) VALUES (?, 1) "
            "ON CONFLICT(device) DO UPDATE SET removed = 1",
            (device,),
        )
    epoch = payload.get("epoch")
    sealed = payload.get("keys", {})
    if not isinstance(epoch, int) or not isinstance(sealed, dict) or epoch in config.keys:
        return
    mine = sealed.get(config.device)
    if not isinstance(mine, str):
        return
    try:
        key = bytes(pyrage.decrypt(base64.b64decode(mine, validate=True), [identity(db)]))
    except (pyrage.DecryptError, ValueError):
        return
    if len(key) == 32:
        keys = {**config.keys, epoch: key}
        save_config(db, replace(config, keys=keys, epoch=max(keys)))
