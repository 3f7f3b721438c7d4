from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from journal.core.errors import KeyFileCorrupt, WeakPassphrase
from journal.core.vault import keyfile as kf
from tests.conftest import FAST_KDF


def test_recovery_codes_are_grouped_random_and_forgiving() -> None:
    codes = {kf.new_recovery_code() for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{2}", code)
    code = "0WQ7-15SZ-CV7S-ARBQ-Z2M9-W9FS-0Q"
    typed = " owq7 i5sz cv7s arbq z2m9 w9fs oq "
    assert kf.normalize_recovery_code(typed) == kf.normalize_recovery_code(code)


def test_passphrase_normalisation_makes_composed_and_decomposed_equal() -> None:
    assert kf.normalize_passphrase("caf\u00e9 au lait") == kf.normalize_passphrase(
        "cafe\u0301 au lait"
    )


@pytest.mark.parametrize("weak", ["", "short", "       x", "1234567"])
def test_weak_passphrases_are_refused(weak: str) -> None:
    with pytest.raises(WeakPassphrase):
        kf.check_passphrase_strength(weak)


def test_slots_open_with_their_own_secret_only() -> None:
    key = bytes(range(32))
    keyfile = kf.new_keyfile(key, "a long passphrase", "AAAA-BBBB", params=FAST_KDF)
    parsed = kf.loads(kf.dumps(keyfile))
    assert (
        kf.unwrap_key(parsed, kf.PASSPHRASE_SLOT, kf.normalize_passphrase("a long passphrase"))
        == key
    )
    assert kf.unwrap_key(parsed, kf.RECOVERY_SLOT, kf.normalize_recovery_code("aaaa bbbb")) == key
    assert (
        kf.unwrap_key(parsed, kf.PASSPHRASE_SLOT, kf.normalize_recovery_code("AAAA-BBBB")) is None
    )
    assert (
        kf.unwrap_key(parsed, kf.RECOVERY_SLOT, kf.normalize_passphrase("a long passphrase"))
        is None
    )


def test_slots_are_bound_to_their_vault_and_name() -> None:
    key = bytes(32)
    keyfile = kf.new_keyfile(key, "a long passphrase", "AAAA", params=FAST_KDF)
    # Swapping the two slots must not let one secret open the other slot.
    swapped = kf.KeyFile(
        vault_id=keyfile.vault_id,
        slots={
            kf.PASSPHRASE_SLOT: keyfile.slots[kf.RECOVERY_SLOT],
            kf.RECOVERY_SLOT: keyfile.slots[kf.PASSPHRASE_SLOT],
        },
    )
    assert kf.unwrap_key(swapped, kf.PASSPHRASE_SLOT, kf.normalize_recovery_code("AAAA")) is None
    other_vault = kf.KeyFile(vault_id="0" * 32, slots=keyfile.slots)
    secret = kf.normalize_passphrase("a long passphrase")
    assert kf.unwrap_key(other_vault, kf.PASSPHRASE_SLOT, secret) is None


def test_the_file_holds_no_key_material_in_the_clear() -> None:
    key = b"\x42" * 32
    data = kf.dumps(kf.new_keyfile(key, "a long passphrase", "AAAA", params=FAST_KDF))
    assert key not in data
    assert key.hex().encode() not in data
    assert b"a long passphrase" not in data


def _other_first_char(text: str) -> str:
    return ("A" if text[0] != "A" else "B") + text[1:]


def _damage_field(slot: str, field: str) -> object:
    def damage(doc: dict) -> None:  # type: ignore[type-arg]
        doc["slots"][slot][field] = _other_first_char(doc["slots"][slot][field])

    return damage


@pytest.mark.parametrize(
    "damage",
    [
        _damage_field("passphrase", "salt"),
        _damage_field("recovery", "ciphertext"),
        _damage_field("passphrase", "nonce"),
        lambda doc: doc.update(vault_id="0" * 32),
        lambda doc: doc.update(version=99),
        lambda doc: doc.pop("checksum"),
        lambda doc: doc["slots"].pop("passphrase"),
    ],
)
def test_any_change_is_detected_as_damage(damage: object) -> None:
    data = kf.dumps(kf.new_keyfile(bytes(32), "a long passphrase", "AAAA", params=FAST_KDF))
    doc = json.loads(data)
    damage(doc)  # type: ignore[operator]
    with pytest.raises(KeyFileCorrupt):
        kf.loads(json.dumps(doc).encode())


@pytest.mark.parametrize("data", [b"", b"\xff\xfe", b"{}", b"[]", b"not json", b'{"checksum": 1}'])
def test_garbage_is_corrupt_not_a_crash(data: bytes) -> None:
    with pytest.raises(KeyFileCorrupt):
        kf.loads(data)


def test_implausible_kdf_costs_are_refused() -> None:
    """A hostile key file must not make unlock allocate terabytes."""
    keyfile = kf.new_keyfile(bytes(32), "a long passphrase", "AAAA", params=FAST_KDF)
    slot = keyfile.slots[kf.PASSPHRASE_SLOT]
    huge = kf.KeySlot(
        kf.KdfParams(memory_kib=2**40, time_cost=1, parallelism=1),
        slot.salt,
        slot.nonce,
        slot.ciphertext,
    )
    with pytest.raises(KeyFileCorrupt):
        kf.loads(kf.dumps(keyfile.with_slot(kf.PASSPHRASE_SLOT, huge)))


def test_wrong_field_sizes_are_corrupt_even_with_a_fixed_checksum() -> None:
    keyfile = kf.new_keyfile(bytes(32), "a long passphrase", "AAAA", params=FAST_KDF)
    slot = keyfile.slots[kf.PASSPHRASE_SLOT]
    short_salt = kf.KeySlot(slot.params, b"1234", slot.nonce, slot.ciphertext)
    with pytest.raises(KeyFileCorrupt):
        kf.loads(kf.dumps(keyfile.with_slot(kf.PASSPHRASE_SLOT, short_salt)))


# Computed with argon2-cffi 25.1's `hash_secret_raw(..., type=Type.ID)` before
# the key file called the bindings directly: every key file made since the
# first release was wrapped under these keys, so they must never change.
KNOWN_KEYS = (
    (
        kf.DEFAULT_KDF,
        b"correct horse battery staple",
        b"afterglow-salt-16",
        "c195718166c83b32245f9aedf224c12fb6c518724a81c7ff9069d2af7b649dec",
    ),
    (
        kf.KdfParams(memory_kib=8, time_cost=1, parallelism=1),
        "pässwörd ☀".encode(),
        bytes(range(16)),
        "5ed715e4ed379d93b00c08c91994bc774129aecba1367f049bfc2beef5314e95",
    ),
)


@pytest.mark.parametrize(("params", "secret", "salt", "expected"), KNOWN_KEYS)
def test_argon2id_derives_the_keys_existing_key_files_were_wrapped_under(
    params: kf.KdfParams, secret: bytes, salt: bytes, expected: str
) -> None:
    assert params.derive(secret, salt).hex() == expected


def test_argon2id_agrees_with_an_independent_implementation() -> None:
    """OpenSSL's Argon2id (through cryptography) is separate code from the
    reference implementation the key file calls."""
    argon2 = pytest.importorskip("cryptography.hazmat.primitives.kdf.argon2")
    params = kf.KdfParams(memory_kib=256, time_cost=2, parallelism=2)
    salt = bytes(range(100, 116))
    for secret in (b"", b"a long passphrase", "ω ≠ w\u0301".encode()):
        theirs = argon2.Argon2id(
            salt=salt, length=kf.KEY_BYTES, iterations=2, lanes=2, memory_cost=256
        ).derive(secret)
        assert params.derive(secret, salt) == theirs


def test_costs_argon2_refuses_are_a_damaged_key_file_not_a_crash() -> None:
    # 8 KiB passes `read`'s bounds, but Argon2 needs 8 KiB for each of 4 lanes.
    with pytest.raises(KeyFileCorrupt):
        kf.KdfParams(memory_kib=8, time_cost=1, parallelism=4).derive(b"secret", bytes(16))


def test_an_early_derivation_is_the_derivation_and_raises_what_it_raised() -> None:
    keyfile = kf.new_keyfile(bytes(range(32)), "a long passphrase", "AAAA", params=FAST_KDF)
    secret = kf.normalize_passphrase("a long passphrase")
    early = kf.start_derivation(keyfile, kf.PASSPHRASE_SLOT, secret)
    assert early is not None
    assert kf.unwrap_key(keyfile, kf.PASSPHRASE_SLOT, secret, early=early) == bytes(range(32))
    assert kf.start_derivation(keyfile, "no such slot", secret) is None
    slot = keyfile.slots[kf.PASSPHRASE_SLOT]
    refused = slot._replace(params=kf.KdfParams(memory_kib=8, time_cost=1, parallelism=4))
    with pytest.raises(KeyFileCorrupt):
        kf.Derivation(refused, secret).kek(refused, secret)


def test_a_huge_key_file_is_damage_found_without_reading_it_all(tmp_path: Path) -> None:
    keyfile = kf.new_keyfile(bytes(32), "a long passphrase", "AAAA", params=FAST_KDF)
    path = tmp_path / "journal.vault.keys"
    kf.write(path, keyfile)
    assert kf.read(path) == keyfile
    # A valid key file padded past the limit with JSON's own whitespace.
    path.write_bytes(kf.dumps(keyfile) + b" " * kf.MAX_KEYFILE_BYTES)
    with pytest.raises(KeyFileCorrupt):
        kf.read(path)
