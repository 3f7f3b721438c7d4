"""A journal's sync set-up: where the folder is, who this device is, the keys.

All of it is kept in the encrypted vault's meta. The sync key (random, one
per key epoch) encrypts every file in the folder; in the folder it exists
only wrapped, like the vault key, under the passphrase and (if given) the
recovery code, in each device's ``key`` file: a second computer joins with
either (`journal.core.sync.joining`).
"""

from __future__ import annotations

import base64
import hmac
import json
import platform
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal.core.errors import SyncNotSetUp, WrongPassphrase, WrongRecoveryCode
from journal.core.sync import store
from journal.core.vault import keyfile as kf
from journal.core.vault.db import Database
from journal.core.vault.vault import Vault

FOLDER_KEY = "sync:folder"
NAME_KEY = "sync:name"
KEYS_KEY = "sync:keys"
EPOCH_KEY = "sync:epoch"
IDENTITY_KEY = "sync:identity"


@dataclass(frozen=True)
class SyncConfig:
    root: Path
    journal: str
    device: str
    device_name: str
    epoch: int
    keys: dict[int, bytes]

    @property
    def key(self) -> bytes:
        return self.keys[self.epoch]

    @property
    def name_key(self) -> bytes:
        """Keys the attachments' file names (a name says only "same bytes")."""
        return HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"afterglow-sync/blob-names"
        ).derive(self.keys[min(self.keys)])


def this_computer() -> str:
    """The host's name, as a first guess at what the person calls this
    computer (read from the system, no network lookup)."""
    return (platform.node().split(".")[0].strip() or "This computer")[:80]


def identity(db: Database) -> pyrage.x25519.Identity:
    """This device's own X25519 key: a new sync key after a device is removed
    reaches the remaining devices encrypted to each one's public half."""
    text = store.meta(db, IDENTITY_KEY)
    if text is None:
        made = pyrage.x25519.Identity.generate()
        store.set_meta(db, IDENTITY_KEY, str(made))
        return made
    return pyrage.x25519.Identity.from_str(text)


def is_set_up(db: Database) -> bool:
    return store.meta(db, store.JOURNAL_KEY) is not None


def load_config(db: Database) -> SyncConfig:
    journal = store.meta(db, store.JOURNAL_KEY)
    if journal is None:
        raise SyncNotSetUp()
    keys = {
        int(k): bytes.fromhex(v) for k, v in json.loads(store.meta(db, KEYS_KEY) or "{}").items()
    }
    return SyncConfig(
        root=Path(store.meta(db, FOLDER_KEY) or ""),
        journal=journal,
        device=store.meta(db, store.DEVICE_KEY) or "",
        device_name=store.meta(db, NAME_KEY) or "",
        epoch=int(store.meta(db, EPOCH_KEY) or 0),
        keys=keys,
    )


def save_config(db: Database, config: SyncConfig) -> None:
    store.set_meta(db, FOLDER_KEY, str(config.root))
    store.set_meta(db, store.DEVICE_KEY, config.device)
    store.set_meta(db, NAME_KEY, config.device_name)
    store.set_meta(db, KEYS_KEY, json.dumps({str(k): v.hex() for k, v in config.keys.items()}))
    store.set_meta(db, EPOCH_KEY, str(config.epoch))
    store.set_meta(db, store.JOURNAL_KEY, config.journal)


def new_config(root: Path, device_name: str) -> SyncConfig:
    return SyncConfig(
        root=root,
        journal=secrets.token_hex(16),
        device=secrets.token_hex(16),
        device_name=device_name,
        epoch=0,
        keys={0: secrets.token_bytes(32)},
    )


def key_file_id(journal: str, epoch: int) -> str:
    return f"afterglow-sync:{journal}:{epoch}"


def folder_key_file(
    config: SyncConfig, passphrase: str, recovery_code: str | None, params: kf.KdfParams
) -> bytes:
    """The sync key wrapped under the passphrase and, if given, the recovery code."""
    vault_id = key_file_id(config.journal, config.epoch)
    keyfile = kf.KeyFile(vault_id=vault_id).with_slot(
        kf.PASSPHRASE_SLOT,
        kf.wrap_key(
            config.key, kf.normalize_passphrase(passphrase), vault_id=vault_id,
            slot_name=kf.PASSPHRASE_SLOT, params=params,
        ),
    )  # fmt: skip
    if recovery_code:
        keyfile = keyfile.with_slot(
            kf.RECOVERY_SLOT,
            kf.wrap_key(
                config.key, kf.normalize_recovery_code(recovery_code), vault_id=vault_id,
                slot_name=kf.RECOVERY_SLOT, params=params,
            ),
        )  # fmt: skip
    return kf.dumps(keyfile)


def box(vault: Vault, config: SyncConfig) -> dict[str, Any]:
    """What a joining computer needs to make its vault and read every file
    (sealed in a segment under the current key: a removed device can't read it)."""
    return {
        "keys": {str(epoch): key.hex() for epoch, key in config.keys.items()},
        "vault_key": vault._key.hex(),
        "keyfile": base64.b64encode(vault.paths.keyfile.read_bytes()).decode("ascii"),
    }


def check_secrets(vault: Vault, passphrase: str, recovery_code: str | None) -> None:
    keyfile = kf.read(vault.paths.keyfile)
    opened = kf.unwrap_key(keyfile, kf.PASSPHRASE_SLOT, kf.normalize_passphrase(passphrase))
    if opened is None or not hmac.compare_digest(opened, vault._key):
        raise WrongPassphrase()
    if recovery_code:
        code = kf.normalize_recovery_code(recovery_code)
        opened = kf.unwrap_key(keyfile, kf.RECOVERY_SLOT, code)
        if opened is None or not hmac.compare_digest(opened, vault._key):
            raise WrongRecoveryCode()
