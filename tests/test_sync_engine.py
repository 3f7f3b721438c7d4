"""Sync through a real folder: set up, join, write on both, converge."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from journal.core.errors import SyncNothingToJoin, WrongPassphrase, WrongRecoveryCode
from journal.core.model import Attachment, AttachmentKind
from journal.core.sync import compaction, engine, joining, merge, rows
from journal.core.sync.config import load_config
from journal.core.vault import vault as vaults
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import snapshot
from tests.sync_devices import entry

CANARY = "canary-7f3a-ocean-whale"


def _two(tmp_path: Path, vault):  # type: ignore[no-untyped-def]
    shared = tmp_path / "Sync"
    shared.mkdir()
    joining.setup(vault, shared, device_name="Laptop", passphrase=PASSPHRASE, kdf=FAST_KDF)
    other, _report = joining.join(
        shared, tmp_path / "home" / "j.vault", PASSPHRASE, device_name="Home"
    )
    return shared, other


def test_a_second_computer_joins_and_both_converge(tmp_path: Path, vault) -> None:  # type: ignore[no-untyped-def]
    made = vault.entries.add(entry(f"The sea {CANARY}", f"waves {CANARY}"))
    vault.attachments.add(
        Attachment(kind=AttachmentKind.IMAGE, mime="image/png", entry_id=made.id),
        f"png {CANARY}".encode(),
    )
    shared, other = _two(tmp_path, vault)
    try:
        (got,) = other.entries.all()
        assert got.title == f"The sea {CANARY}"
        assert (
            other.attachments.data(other.attachments.for_entry(got.id)[0].id)
            == f"png {CANARY}".encode()
        )
        # the same passphrase opens the joined vault
        other.close()
        other = vaults.unlock(tmp_path / "home" / "j.vault", PASSPHRASE)
        other.entries.add(entry("Written at home", "quiet"))
        vault.entries.update(replace(vault.entries.get(made.id), title="Renamed on the laptop"))
        engine.sync_now(other)
        engine.sync_now(vault)
        engine.sync_now(other)
        assert rows.journal_content(vault.db) == rows.journal_content(other.db)
        assert {e.title for e in vault.entries.all()} == {
            "Renamed on the laptop",
            "Written at home",
        }
        for name, data in snapshot(shared).items():
            assert CANARY not in data, name
        for path in shared.rglob("*"):
            if path.is_file():
                assert CANARY.encode() not in path.read_bytes()
                assert "sea" not in path.name
    finally:
        other.close()


def test_join_with_the_recovery_code_when_it_was_given(tmp_path: Path, new_vault) -> None:  # type: ignore[no-untyped-def]
    vault, code = new_vault
    shared = tmp_path / "Sync"
    shared.mkdir()
    joining.setup(
        vault, shared, device_name="Laptop", passphrase=PASSPHRASE, recovery_code=code, kdf=FAST_KDF
    )
    with pytest.raises(WrongRecoveryCode):
        joining.join(shared, tmp_path / "x" / "j.vault", "0" * 26, device_name="X", recovery=True)
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").iterdir())
    other, _ = joining.join(
        shared, tmp_path / "home" / "j.vault", code, device_name="Home", recovery=True
    )
    other.close()


def test_a_wrong_passphrase_or_an_empty_folder_changes_nothing(tmp_path: Path, vault) -> None:  # type: ignore[no-untyped-def]
    shared = tmp_path / "Sync"
    shared.mkdir()
    with pytest.raises(SyncNothingToJoin):
        joining.join(shared, tmp_path / "home" / "j.vault", PASSPHRASE, device_name="Home")
    with pytest.raises(WrongPassphrase):
        joining.setup(vault, shared, device_name="Laptop", passphrase="not it at all", kdf=FAST_KDF)
    assert list(shared.iterdir()) == []
    joining.setup(vault, shared, device_name="Laptop", passphrase=PASSPHRASE, kdf=FAST_KDF)
    before = snapshot(shared)
    with pytest.raises(WrongPassphrase):
        joining.join(shared, tmp_path / "home" / "j.vault", "not it at all", device_name="Home")
    assert snapshot(shared) == before
    assert not (tmp_path / "home" / "j.vault").exists()


def test_compaction_keeps_the_folder_near_the_journal_size(tmp_path: Path, vault) -> None:  # type: ignore[no-untyped-def]
    shared, other = _two(tmp_path, vault)
    try:
        made = vault.entries.add(entry("Draft", "one"))
        for round_ in range(12):
            vault.entries.update(replace(vault.entries.get(made.id), title=f"Draft {round_}"))
            engine.sync_now(vault)
            engine.sync_now(other)
        config = load_config(vault.db)
        before = len(list((shared / f"afterglow-{config.journal}" / config.device).iterdir()))
        assert compaction.compact(vault, config)
        after = len(list((shared / f"afterglow-{config.journal}" / config.device).iterdir()))
        assert after < before
        late, _ = joining.join(
            shared, tmp_path / "late" / "j.vault", PASSPHRASE, device_name="Late"
        )
        try:
            assert rows.journal_content(late.db) == rows.journal_content(vault.db)
            assert merge.conflicts(late.db) == []
        finally:
            late.close()
    finally:
        other.close()


def test_a_copy_restored_from_before_goes_on_as_a_new_computer(tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "laptop" / "j.vault"
    laptop, _code = vaults.create(path, PASSPHRASE, kdf=FAST_KDF)
    _shared, home = _two(tmp_path, laptop)
    try:
        laptop.entries.add(entry("Before the copy", "one"))
        engine.sync_now(laptop)
        laptop.close()
        saved = tmp_path / "saved"
        shutil.copytree(path.parent, saved)
        laptop = vaults.unlock(path, PASSPHRASE)
        laptop.entries.add(entry("After the copy", "two"))
        engine.sync_now(laptop)
        laptop.close()
        shutil.rmtree(path.parent)
        shutil.copytree(saved, path.parent)  # the old copy is back
        laptop = vaults.unlock(path, PASSPHRASE)
        laptop.entries.add(entry("Written on the old copy", "three"))
        report = engine.sync_now(laptop)
        assert engine.RENEWED in report.problems
        engine.sync_now(home)
        engine.sync_now(laptop)
        titles = {e.title for e in laptop.entries.all()}
        assert titles == {"Before the copy", "After the copy", "Written on the old copy"}
        assert rows.journal_content(laptop.db) == rows.journal_content(home.db)
    finally:
        laptop.close()
        home.close()


def test_a_removed_computer_reads_nothing_new_and_is_not_applied(tmp_path: Path, vault) -> None:  # type: ignore[no-untyped-def]
    from journal.core.errors import SyncDeviceRemoved
    from journal.core.sync import devices

    shared, home = _two(tmp_path, vault)
    lost, _ = joining.join(shared, tmp_path / "lost" / "j.vault", PASSPHRASE, device_name="Lost")
    try:
        for each in (vault, home, lost, vault, home):
            engine.sync_now(each)
        lost_id = load_config(lost.db).device
        devices.remove_device(vault, lost_id, passphrase=PASSPHRASE, kdf=FAST_KDF)
        vault.entries.add(entry("After the laptop was stolen", "secret"))
        engine.sync_now(vault)
        engine.sync_now(home)
        assert "After the laptop was stolen" in {e.title for e in home.entries.all()}
        assert load_config(home.db).epoch == 1
        lost.entries.add(entry("Written by the thief", "x"))
        with pytest.raises(SyncDeviceRemoved):
            engine.sync_now(lost)
            engine.sync_now(lost)
        assert "After the laptop was stolen" not in {e.title for e in lost.entries.all()}
        engine.sync_now(vault)
        engine.sync_now(home)
        assert "Written by the thief" not in {e.title for e in vault.entries.all()}
        newcomer, _ = joining.join(
            shared, tmp_path / "new" / "j.vault", PASSPHRASE, device_name="New"
        )
        try:
            assert rows.journal_content(newcomer.db) == rows.journal_content(vault.db)
        finally:
            newcomer.close()
    finally:
        lost.close()
        home.close()


def test_a_removed_computer_cannot_remove_the_others(tmp_path: Path, vault) -> None:  # type: ignore[no-untyped-def]
    from journal.core.sync import devices

    shared, home = _two(tmp_path, vault)
    lost, _ = joining.join(shared, tmp_path / "lost" / "j.vault", PASSPHRASE, device_name="Lost")
    try:
        for each in (vault, home, lost, vault, home, lost):
            engine.sync_now(each)
        devices.remove_device(
            vault, load_config(lost.db).device, passphrase=PASSPHRASE, kdf=FAST_KDF
        )
        engine.sync_now(vault)
        engine.sync_now(home)
        # The thief answers by "removing" the home computer with the old key.
        devices.remove_device(
            lost, load_config(home.db).device, passphrase=PASSPHRASE, kdf=FAST_KDF
        )
        engine.sync_now(home)
        vault.entries.add(entry("Still shared", "x"))
        engine.sync_now(vault)
        engine.sync_now(home)
        assert "Still shared" in {e.title for e in home.entries.all()}
        assert load_config(home.db).epoch == 1
    finally:
        lost.close()
        home.close()


def test_a_snapshot_saying_nothing_usable_about_a_chain_covers_none_of_it() -> None:
    assert engine._covers({"covers": {"d": 7}}, "d") == 7
    for odd in ({"covers": [1, 2]}, {"covers": {"d": "7"}}, {"covers": {"d": True}}, {}):
        assert engine._covers(odd, "d") == 0
    assert engine._covers({"covers": {"d": -3}}, "d") == 0
