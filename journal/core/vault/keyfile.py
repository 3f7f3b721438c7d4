"""The key file: the vault key wrapped under the passphrase and the recovery code.

The vault database is opened with a random 256-bit key. That key never
touches the disk in the clear: the key file beside the vault holds it twice,
in two *slots*, each encrypted with AES-256-GCM under a key derived by
Argon2id from a secret (the passphrase, or the recovery code). Changing the
passphrase rewrites one slot; the database is not re-encrypted.

The file is JSON with a SHA-256 checksum over its content, so a damaged key
file is told apart from a wrong passphrase (both would otherwise surface as
a failed GCM tag).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from _argon2_cffi_bindings import ffi, lib

from journal.core.errors import KeyFileCorrupt, KeyFileMissing, WeakPassphrase
from journal.core.fsutil import atomic_write_bytes
from journal.core.vault.passphrase import judge

if TYPE_CHECKING:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT = "afterglow-keyfile"
VERSION = 1
KEY_BYTES = 32
PASSPHRASE_SLOT = "passphrase"  # noqa: S105 (a slot name, not a secret)
RECOVERY_SLOT = "recovery"

# Every random byte here (keys, salts, nonces, the recovery code) comes from
# os.urandom, the kernel's CSPRNG (getrandom(2)): `secrets.token_bytes` is that
# same call, and importing `secrets` (hmac, random) costs every command ~2 ms.

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand
# survives; 26 characters carry 130 bits, of which 128 are random.
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECOVERY_RANDOM_BYTES = 16


class KdfParams(NamedTuple):
    """Argon2id cost. 64 MiB and 3 passes take ~0.3 s on a modest laptop."""

    memory_kib: int = 64 * 1024
    time_cost: int = 3
    parallelism: int = 2

    def derive(self, secret: bytes, salt: bytes) -> bytes:
        """The Argon2id (version 1.3) key for ``secret`` and ``salt``.

        It calls the reference implementation through argon2-cffi-bindings,
        the same C call argon2-cffi's `hash_secret_raw` makes: importing
        argon2-cffi itself builds its password-hash profiles with
        `dataclasses` and `inspect`, ~7 ms of every command that unlocks."""
        out = ffi.new("uint8_t[]", KEY_BYTES)
        status = lib.argon2_hash(
            self.time_cost,
            self.memory_kib,
            self.parallelism,
            ffi.from_buffer(secret),
            len(secret),
            ffi.from_buffer(salt),
            len(salt),
            out,
            KEY_BYTES,
            ffi.NULL,
            0,
            lib.Argon2_id,
            lib.ARGON2_VERSION_13,
        )
        if status == lib.ARGON2_MEMORY_ALLOCATION_ERROR:
            raise MemoryError("Argon2id could not have the memory it asks for")
        if status != lib.ARGON2_OK:
            # Parameters `read` let through but Argon2 refuses (under 8 KiB a lane).
            raise KeyFileCorrupt()
        return bytes(ffi.buffer(out, KEY_BYTES))


DEFAULT_KDF = KdfParams()


class KeySlot(NamedTuple):
    params: KdfParams
    salt: bytes
    nonce: bytes
    ciphertext: bytes


class KeyFile(NamedTuple):
    vault_id: str
    slots: Mapping[str, KeySlot] = MappingProxyType({})  # read-only; with_slot makes a new one

    def with_slot(self, name: str, slot: KeySlot) -> KeyFile:
        return self._replace(slots={**self.slots, name: slot})


def normalize_passphrase(passphrase: str) -> bytes:
    """The bytes a passphrase stands for, whatever keyboard or input method typed it."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def check_passphrase_strength(passphrase: str, *, context: Iterable[str] = ()) -> None:
    """Refuse a passphrase that is too short or among the first guesses
    (`journal.core.vault.passphrase.judge`). Raises `WeakPassphrase` with the
    sentence saying why."""
    verdict = judge(passphrase, context=context)
    if not verdict.accepted:
        raise WeakPassphrase(verdict.message)


def new_recovery_code() -> str:
    """A fresh recovery code such as ``7F3K-Q9MZ-...`` (7 groups, 128 random bits)."""
    number = int.from_bytes(os.urandom(_RECOVERY_RANDOM_BYTES), "big")
    chars = []
    for _ in range(26):
        number, digit = divmod(number, 32)
        chars.append(_CROCKFORD[digit])
    code = "".join(reversed(chars))
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize_recovery_code(code: str) -> bytes:
    """Canonical form of a typed recovery code: case, spaces, dashes and the
    look-alikes O/I/L are forgiven."""
    cleaned = code.upper().translate(str.maketrans("OIL", "011", " -\t\n\r"))
    return cleaned.encode("ascii", errors="replace")


def _aad(vault_id: str, slot_name: str) -> bytes:
    return f"{FORMAT}/v{VERSION}/{vault_id}/{slot_name}".encode()


def _aes_gcm() -> tuple[type[AESGCM], type[InvalidTag]]:
    # cryptography (~4 ms) loads when a key is first wrapped or unwrapped, not
    # with this module: the command line starts Argon2id before it is needed.
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM, InvalidTag


def wrap_key(
    vault_key: bytes, secret: bytes, *, vault_id: str, slot_name: str, params: KdfParams
) -> KeySlot:
    salt = os.urandom(16)
    nonce = os.urandom(12)
    kek = params.derive(secret, salt)
    aes_gcm, _invalid_tag = _aes_gcm()
    ciphertext = aes_gcm(kek).encrypt(nonce, vault_key, _aad(vault_id, slot_name))
    return KeySlot(params=params, salt=salt, nonce=nonce, ciphertext=ciphertext)


class Derivation:
    """One Argon2id derivation on its own thread, started as soon as the
    secret and the slot's salt are known, so the caller does other work while
    it runs (it releases the GIL): the command line imports the database's
    modules meanwhile. `unwrap_key` takes its result only for the same
    secret, salt and costs, and derives again otherwise."""

    def __init__(self, slot: KeySlot, secret: bytes) -> None:
        self._asked = (slot.params, slot.salt, secret)
        self._kek = b""
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._run, name="argon2id", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        params, salt, secret = self._asked
        try:
            self._kek = params.derive(secret, salt)
        except Exception as error:  # raised again by `kek`, in the caller's thread
            self._error = error

    def kek(self, slot: KeySlot, secret: bytes) -> bytes | None:
        """The derived key if it was asked for this slot and secret (waiting
        for it), else None; raises what the derivation raised."""
        if self._asked != (slot.params, slot.salt, secret):
            return None
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._kek


def start_derivation(keyfile: KeyFile, slot_name: str, secret: bytes) -> Derivation | None:
    """`Derivation` of one slot's key, or None if the key file has no such slot."""
    slot = keyfile.slots.get(slot_name)
    return None if slot is None else Derivation(slot, secret)


def unwrap_key(
    keyfile: KeyFile, slot_name: str, secret: bytes, *, early: Derivation | None = None
) -> bytes | None:
    """The vault key from one slot, or None if ``secret`` does not open it.
    ``early`` is the slot's derivation already under way, if any."""
    slot = keyfile.slots.get(slot_name)
    if slot is None:
        raise KeyFileCorrupt()
    aes_gcm, invalid_tag = _aes_gcm()  # loaded while an early derivation runs
    kek = early.kek(slot, secret) if early is not None else None
    if kek is None:
        kek = slot.params.derive(secret, slot.salt)
    try:
        key = aes_gcm(kek).decrypt(slot.nonce, slot.ciphertext, _aad(keyfile.vault_id, slot_name))
    except invalid_tag:
        return None
    if len(key) != KEY_BYTES:
        raise KeyFileCorrupt()
    return key


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text, validate=True)


def _body(keyfile: KeyFile) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "vault_id": keyfile.vault_id,
        "slots": {
            name: {
                "kdf": "argon2id",
                "memory_kib": slot.params.memory_kib,
                "time_cost": slot.params.time_cost,
                "parallelism": slot.params.parallelism,
                "salt": _b64(slot.salt),
                "nonce": _b64(slot.nonce),
                "ciphertext": _b64(slot.ciphertext),
            }
            for name, slot in sorted(keyfile.slots.items())
        },
    }


def _checksum(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(canonical).hexdigest()


def dumps(keyfile: KeyFile) -> bytes:
    body = _body(keyfile)
    return (json.dumps({**body, "checksum": _checksum(body)}, indent=2) + "\n").encode()


def loads(data: bytes) -> KeyFile:
    """Parse a key file. Raises `KeyFileCorrupt` for anything malformed or altered."""
    try:
        doc = json.loads(data.decode("utf-8"))
        checksum = doc.pop("checksum")
        if doc.get("format") != FORMAT or doc.get("version") != VERSION:
            raise ValueError("unknown format")
        if checksum != _checksum(doc):
            raise ValueError("checksum mismatch")
        slots = {}
        for name, raw in doc["slots"].items():
            if raw["kdf"] != "argon2id":
                raise ValueError("unknown kdf")
            params = KdfParams(
                memory_kib=int(raw["memory_kib"]),
                time_cost=int(raw["time_cost"]),
                parallelism=int(raw["parallelism"]),
            )
            if not (8 <= params.memory_kib <= 1024 * 1024 and 1 <= params.time_cost <= 64):
                raise ValueError("implausible kdf cost")
            if not 1 <= params.parallelism <= 64:
                raise ValueError("implausible kdf cost")
            slot = KeySlot(
                params=params,
                salt=_unb64(raw["salt"]),
                nonce=_unb64(raw["nonce"]),
                ciphertext=_unb64(raw["ciphertext"]),
            )
            if (len(slot.salt), len(slot.nonce), len(slot.ciphertext)) != (16, 12, KEY_BYTES + 16):
                raise ValueError("wrong field sizes")
            slots[str(name)] = slot
        vault_id = doc["vault_id"]
        if not isinstance(vault_id, str):
            raise ValueError("bad vault id")
        return KeyFile(vault_id=vault_id, slots=slots)
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise KeyFileCorrupt() from None


# A key file is under 1 KB; one replaced by something huge is damage, found
# without reading it all (the command line reads it twice: early, and under the lock).
MAX_KEYFILE_BYTES = 64 * 1024


def read(path: Path) -> KeyFile:
    try:
        with path.open("rb") as file:
            data = file.read(MAX_KEYFILE_BYTES + 1)
    except FileNotFoundError:
        raise KeyFileMissing() from None
    except OSError:
        raise KeyFileCorrupt() from None
    if len(data) > MAX_KEYFILE_BYTES:
        raise KeyFileCorrupt()
    return loads(data)


def write(path: Path, keyfile: KeyFile) -> None:
    """Write atomically: a crash leaves the old key file or the new one."""
    atomic_write_bytes(path, dumps(keyfile))


def new_keyfile(
    vault_key: bytes, passphrase: str, recovery_code: str, *, params: KdfParams = DEFAULT_KDF
) -> KeyFile:
    vault_id = os.urandom(16).hex()
    keyfile = KeyFile(vault_id=vault_id)
    keyfile = keyfile.with_slot(
        PASSPHRASE_SLOT,
        wrap_key(
            vault_key,
            normalize_passphrase(passphrase),
            vault_id=vault_id,
            slot_name=PASSPHRASE_SLOT,
            params=params,
        ),
    )
    return keyfile.with_slot(
        RECOVERY_SLOT,
        wrap_key(
            vault_key,
            normalize_recovery_code(recovery_code),
            vault_id=vault_id,
            slot_name=RECOVERY_SLOT,
            params=params,
        ),
    )


def rewrap_passphrase(
    keyfile: KeyFile, vault_key: bytes, new_passphrase: str, *, params: KdfParams = DEFAULT_KDF
) -> KeyFile:
    slot = wrap_key(
        vault_key,
        normalize_passphrase(new_passphrase),
        vault_id=keyfile.vault_id,
        slot_name=PASSPHRASE_SLOT,
        params=params,
    )
    return keyfile.with_slot(PASSPHRASE_SLOT, slot)
