"""Setting sync up on the first computer, and joining from the next ones.

Setting up writes this device's key file (the sync key wrapped under the
passphrase, and the recovery code if the person gives it) and a first
segment holding the journal's *box*: the vault key and the vault's own key
file, encrypted under the sync key. A joining computer unwraps the sync key
with the passphrase or the recovery code, reads the box, and makes its vault
with that key and key file: the same passphrase and recovery code open the
journal on every computer. Then it applies every device's segments.
"""

from __future__ import annotations

import base64
import contextlib
import secrets
from pathlib import Path
from typing import Any

from journal.core.errors import (
    InvalidInput,
    KeyFileCorrupt,
    SyncAlreadySetUp,
    SyncFolderUnavailable,
    SyncNothingToJoin,
    WrongPassphrase,
    WrongRecoveryCode,
)
from journal.core.sync import compaction, engine, folder, merge, segments, store
from journal.core.sync.config import (
    SyncConfig,
    box,
    check_secrets,
    folder_key_file,
    identity,
    is_set_up,
    key_file_id,
    load_config,
    new_config,
    save_config,
)
from journal.core.text import checked_text
from journal.core.vault import keyfile as kf
from journal.core.vault import vault as vaults
from journal.core.vault.vault import Vault

BOX_KIND = "hello"


def _device_name(name: str) -> str:
    name = checked_text(name.strip(), what="device name", max_chars=80)
    if not name:
        raise InvalidInput("Give this computer a name, such as “Laptop” or “Home”.")
    return name


def setup(
    vault: Vault,
    root: Path,
    *,
    device_name: str,
    passphrase: str,
    recovery_code: str | None = None,
    kdf: kf.KdfParams | None = None,
) -> engine.SyncReport:
    """Start syncing this journal through ``root`` (a folder an engine moves).
    The passphrase (and the recovery code, if given) must open this vault:
    they are what another computer joins with. Slow (key derivation): call it
    off the GUI thread."""
    name = _device_name(device_name)
    if vault.is_workspace:
        raise InvalidInput(
            "A therapist's workspace stays on this computer and does not sync; nothing was changed."
        )
    if is_set_up(vault.db):
        raise SyncAlreadySetUp()
    if not root.is_dir():
        raise SyncFolderUnavailable(
            "That folder does not exist or is not a folder, so sync was not set up. "
            "Choose the folder your sync app shares."
        )
    check_secrets(vault, passphrase, recovery_code)
    config = new_config(root.resolve(), name)
    folder.write_key_file(
        root,
        config.journal,
        config.device,
        folder_key_file(config, passphrase, recovery_code, kdf or kf.DEFAULT_KDF),
    )
    db = vault.db
    with db.transaction():
        save_config(db, config)
        merge.mark_everything(db)
        segments.commit_segment(db, config, _hello(vault, config, with_box=True), mark_sent=False)
    return engine.sync_now(vault)


def _hello(vault: Vault, config: SyncConfig, *, with_box: bool) -> dict[str, Any]:
    """A device's first segment: who it is (so the others list it and can send
    it a new key), and on the first computer the journal's box."""
    device = {"name": config.device_name, "recipient": str(identity(vault.db).to_public())}
    hello: dict[str, Any] = {"kind": BOX_KIND, "device": device, "changes": [], "acks": {}}
    if with_box:
        hello["box"] = box(vault, config)
    return hello


def _only_journal(root: Path) -> str:
    if not root.is_dir():
        raise SyncFolderUnavailable()
    journals = folder.find_journals(root)
    if not journals:
        raise SyncNothingToJoin()
    if len(journals) > 1:
        raise SyncNothingToJoin(
            "This folder holds more than one Afterglow journal; choose the folder of one "
            "journal (each is in a folder named “afterglow-…”), then try again."
        )
    return journals[0]


def _sync_key(root: Path, journal: str, secret: str, *, recovery: bool) -> tuple[int, bytes, bytes]:
    """(epoch, sync key, the key file that opened) from any device's key file."""
    slot = kf.RECOVERY_SLOT if recovery else kf.PASSPHRASE_SLOT
    normalized = kf.normalize_recovery_code(secret) if recovery else kf.normalize_passphrase(secret)
    found: list[tuple[int, bytes, bytes]] = []
    readable = 0
    for data in folder.read_key_files(root, journal).values():
        try:
            keyfile = kf.loads(data)
        except KeyFileCorrupt:
            continue
        readable += 1
        prefix = key_file_id(journal, 0).rsplit(":", 1)[0] + ":"
        epoch_text = keyfile.vault_id.removeprefix(prefix)
        if not keyfile.vault_id.startswith(prefix) or not epoch_text.isdigit():
            continue
        if slot not in keyfile.slots:
            continue
        key = kf.unwrap_key(keyfile, slot, normalized)
        if key is not None:
            found.append((int(epoch_text), key, data))
    if not readable:
        raise SyncNothingToJoin(
            "The key files in this sync folder are damaged or missing, so nothing was made. "
            "Sync once more on a computer that already syncs, then try again."
        )
    if not found:
        raise WrongRecoveryCode() if recovery else WrongPassphrase()
    return max(found, key=lambda item: item[0])


def _opened_box(
    boxes: list[Any], secret: str, *, recovery: bool
) -> tuple[dict[str, Any], bytes, kf.KeyFile]:
    """The newest box whose vault key file the secret opens: after a
    passphrase change a newer box holds the new key file, and the joined
    vault opens with the secret that was typed."""
    slot = kf.RECOVERY_SLOT if recovery else kf.PASSPHRASE_SLOT
    normalized = kf.normalize_recovery_code(secret) if recovery else kf.normalize_passphrase(secret)
    for found in reversed(boxes):
        try:
            vault_key = bytes.fromhex(str(found["vault_key"]))
            vault_keyfile = kf.loads(base64.b64decode(str(found["keyfile"]), validate=True))
        except (KeyError, ValueError, KeyFileCorrupt):
            continue
        if kf.unwrap_key(vault_keyfile, slot, normalized) == vault_key:
            return found, vault_key, vault_keyfile
    raise SyncNothingToJoin(
        "The journal's files in this folder do not open with that secret yet (was the "
        "passphrase changed on another computer?). Sync there once more, then try again."
    )


def renew_passphrase(vault: Vault, passphrase: str, *, kdf: kf.KdfParams | None = None) -> None:
    """After the passphrase changed here: the sync key in this device's key
    file is wrapped under the new one (the recovery code's slot kept while
    it wraps the current key), and a snapshot carries the vault's new key
    file, so a computer joins with the new passphrase. Nothing if the
    journal does not sync."""
    if not is_set_up(vault.db):
        return
    config = load_config(vault.db)
    vault_id = key_file_id(config.journal, config.epoch)
    old = folder.read_key_files(config.root, config.journal).get(config.device)
    keyfile = kf.KeyFile(vault_id=vault_id)
    with contextlib.suppress(KeyFileCorrupt, TypeError):
        held = kf.loads(old) if old is not None else None
        if held is not None and held.vault_id == vault_id and kf.RECOVERY_SLOT in held.slots:
            keyfile = keyfile.with_slot(kf.RECOVERY_SLOT, held.slots[kf.RECOVERY_SLOT])
    slot = kf.wrap_key(
        config.key,
        kf.normalize_passphrase(passphrase),
        vault_id=vault_id,
        slot_name=kf.PASSPHRASE_SLOT,
        params=kdf or kf.DEFAULT_KDF,
    )
    keyfile = keyfile.with_slot(kf.PASSPHRASE_SLOT, slot)
    folder.write_key_file(config.root, config.journal, config.device, kf.dumps(keyfile))
    compaction.compact(vault, config)


def join(
    root: Path, vault_path: Path, secret: str, *, device_name: str, recovery: bool = False
) -> tuple[Vault, engine.SyncReport]:
    """Make a vault at ``vault_path`` holding the journal synced in ``root``,
    opened with ``secret`` (the passphrase, or with ``recovery`` the recovery
    code). Nothing is written anywhere if the secret does not open it."""
    name = _device_name(device_name)
    journal = _only_journal(root)
    epoch, key, key_file = _sync_key(root, journal, secret, recovery=recovery)
    scan = folder.scan(root, journal, {epoch: key}, known={}, own_device="")
    boxes = [
        segment.payload["box"]
        for segments in scan.segments.values()
        for segment in segments
        if isinstance(segment.payload.get("box"), dict)
    ]
    if not boxes:
        raise SyncNothingToJoin(
            "The first computer's files have not all arrived in this folder yet. Wait until "
            "your sync app shows it up to date, then try again."
        )
    found, vault_key, vault_keyfile = _opened_box(boxes, secret, recovery=recovery)
    keys = {epoch: key}
    with contextlib.suppress(AttributeError, TypeError, ValueError):
        keys |= {int(e): bytes.fromhex(str(k)) for e, k in found.get("keys", {}).items()}
    # Kept only once it is set up to sync: a crash before then leaves a
    # half-made vault that the next start removes, so joining again works.
    vault = vaults.adopt(vault_path, vault_key, vault_keyfile, pending=True)
    try:
        config = SyncConfig(root.resolve(), journal, secrets.token_hex(16), name, max(keys), keys)
        with vault.db.transaction():
            save_config(vault.db, config)
            store.set_meta(vault.db, "sync:joined", "1")
            hello = _hello(vault, config, with_box=False)
            segments.commit_segment(vault.db, config, hello, mark_sent=False)
        vault.confirm_created()
        folder.write_key_file(root, journal, config.device, key_file)
        report = engine.sync_now(vault)
    except BaseException:
        # Not joined: the new vault goes, so trying again starts clean.
        vault.close()
        for made in vault.paths.made_by_create:
            made.unlink(missing_ok=True)
        raise
    return vault, report
