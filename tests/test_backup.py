"""Backups and restore: real vaults, real copies, damage and refusals."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from journal.core.errors import VaultInUse, WrongPassphrase
from journal.core.model import Answer, Entry
from journal.core.vault import backup
from journal.core.vault import vault as vaults
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import flip_bytes, snapshot
from tests.test_cli import cli

CANARY = "Backupcanary7731"


def _entry(vault: vaults.Vault, title: str) -> int:
    entry = vault.entries.add(Entry(title=title, answers=[Answer("t", "", text=title)]))
    assert entry.id is not None
    return entry.id


def _titles(path: Path, passphrase: str = PASSPHRASE) -> set[str]:
    with vaults.unlock(path, passphrase) as vault:
        return {s.title for s in vault.entries.summaries()}


@pytest.fixture
def journal(vault_path: Path) -> Path:
    vault, _ = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    _entry(vault, f"first {CANARY}")
    vault.close()
    return vault_path


def test_backup_is_an_encrypted_consistent_copy(journal: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    with vaults.unlock(journal, PASSPHRASE) as vault:
        info = backup.make_backup(vault, usb)
        _entry(vault, "written after the backup")
    assert info.kind == backup.MANUAL and info.path.parent == usb
    assert sorted(p.name for p in info.path.iterdir()) == [
        "backup.json",
        "journal.vault",
        "journal.vault.keys",
    ]
    for file in info.path.iterdir():
        assert CANARY.encode() not in file.read_bytes()
    assert backup.list_backups(usb) == [info]
    verified, _key = backup.verify(info.path, PASSPHRASE)
    assert verified.schema_version > 0


def test_restore_brings_the_backup_back_and_keeps_the_replaced_vault(
    journal: Path, tmp_path: Path
) -> None:
    with vaults.unlock(journal, PASSPHRASE) as vault:
        info = backup.make_backup(vault, tmp_path / "usb")
        _entry(vault, "newer entry")
    kept = backup.restore(journal, info.path, PASSPHRASE)
    assert _titles(journal) == {f"first {CANARY}"}
    assert kept is not None and kept.kind == backup.BEFORE_RESTORE
    assert kept.path.parent == backup.backups_folder(journal)
    # Nothing is lost: restoring the kept vault brings the newer entry back.
    backup.restore(journal, kept.path, PASSPHRASE)
    assert _titles(journal) == {f"first {CANARY}", "newer entry"}


def test_restore_onto_a_new_machine(journal: Path, tmp_path: Path) -> None:
    with vaults.unlock(journal, PASSPHRASE) as vault:
        info = backup.make_backup(vault, tmp_path / "usb")
    elsewhere = tmp_path / "new-machine" / "journal.vault"
    assert backup.restore(elsewhere, info.path, PASSPHRASE) is None
    assert _titles(elsewhere) == {f"first {CANARY}"}


def test_backup_keeps_the_passphrase_of_its_day(journal: Path, tmp_path: Path) -> None:
    with vaults.unlock(journal, PASSPHRASE) as vault:
        info = backup.make_backup(vault, tmp_path / "usb")
    vaults.change_passphrase(journal, PASSPHRASE, "a brand new passphrase here", kdf=FAST_KDF)
    with pytest.raises(WrongPassphrase, match="when the backup was made"):
        backup.verify(info.path, "a brand new passphrase here")
    backup.restore(journal, info.path, PASSPHRASE)
    assert _titles(journal, PASSPHRASE) == {f"first {CANARY}"}


def test_wrong_passphrase_changes_nothing(journal: Path, tmp_path: Path) -> None:
    with vaults.unlock(journal, PASSPHRASE) as vault:
        info = backup.make_backup(vault, tmp_path / "usb")
    before = snapshot(tmp_path)
    with pytest.raises(WrongPassphrase):
        backup.restore(journal, info.path, "not the passphrase at all")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: flip_bytes(b / "journal.vault", 5000),
        lambda b: flip_bytes(b / "journal.vault.keys", 40),
        lambda b: (b / "journal.vault").write_bytes(b"short"),
        lambda b: (b / "backup.json").write_text("{not json"),
        lambda b: (b / "journal.vault.keys").unlink(),
    ],
)
def test_damaged_backups_are_refused_and_nothing_changes(
    journal: Path, tmp_path: Path, damage: object
) -> None:
    with vaults.unlock(journal, PASSPHRASE) as vault:
        info = backup.make_backup(vault, tmp_path / "usb")
    damage(info.path)  # type: ignore[operator]
    before = snapshot(tmp_path)
    with pytest.raises(backup.BackupInvalid):
        backup.restore(journal, info.path, PASSPHRASE)
    assert snapshot(tmp_path) == before
    assert _titles(journal) == {f"first {CANARY}"}


def test_a_damaged_page_with_a_matching_checksum_is_still_caught(
    journal: Path, tmp_path: Path
) -> None:
    """Damage that happened before the checksums were written: the page check finds it."""
    with vaults.unlock(journal, PASSPHRASE) as vault:
        info = backup.make_backup(vault, tmp_path / "usb")
    flip_bytes(info.path / "journal.vault", 4096 + 100)
    manifest = json.loads((info.path / "backup.json").read_text())
    manifest["files"]["journal.vault"] = hashlib.sha256(
        (info.path / "journal.vault").read_bytes()
    ).hexdigest()
    (info.path / "backup.json").write_text(json.dumps(manifest))
    with pytest.raises(backup.BackupInvalid):
        backup.verify(info.path, PASSPHRASE)


def test_restore_refuses_an_open_vault(journal: Path, tmp_path: Path) -> None:
    with vaults.unlock(journal, PASSPHRASE) as vault:
        info = backup.make_backup(vault, tmp_path / "usb")
        before = snapshot(journal.parent)
        with pytest.raises(VaultInUse):
            backup.restore(journal, info.path, PASSPHRASE)
        assert snapshot(journal.parent) == before


def test_automatic_backups_are_daily_and_rotate(journal: Path) -> None:
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    with vaults.unlock(journal, PASSPHRASE) as vault:
        assert backup.auto_backup(vault, start) is not None
        assert backup.auto_backup(vault, start + timedelta(hours=3)) is None  # same day
        for day in range(1, 60):
            backup.auto_backup(vault, start + timedelta(days=day))
    now = start + timedelta(days=59)
    kept = backup.list_backups(backup.backups_folder(journal))
    days = sorted({(now.date() - b.created.date()).days for b in kept})
    assert days[:7] == list(range(7))  # the last seven days
    assert max(days) < 28 and len(kept) <= 7 + 4
    assert len({b.created.isocalendar()[:2] for b in kept}) >= 4


def test_rotation_rule() -> None:
    now = datetime(2026, 3, 31, 20, tzinfo=UTC)
    times = [now - timedelta(hours=6 * i) for i in range(4 * 60)]  # four a day, 60 days
    keep = backup.to_keep(times, now)
    assert max(times) in keep
    by_day: dict[object, list[datetime]] = {}
    for t in times:
        by_day.setdefault(t.astimezone().date(), []).append(t)
    for day, moments in by_day.items():
        newest = max(moments)
        if (now.astimezone().date() - day).days < 7:  # type: ignore[operator]
            assert newest in keep
    assert len(keep) <= 1 + 7 + 4


def test_interrupted_backups_are_ignored_and_cleaned(journal: Path) -> None:
    folder = backup.backups_folder(journal)
    (folder / ".2026-01-01T00-00-00Z.partial").mkdir(parents=True)
    (folder / ".2026-01-01T00-00-00Z.partial" / "journal.vault").write_bytes(b"half")
    assert backup.list_backups(folder) == []
    with vaults.unlock(journal, PASSPHRASE) as vault:
        backup.auto_backup(vault)
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_cli_backup_list_and_restore(journal: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    assert cli(journal, "backup", "list").out.startswith("No backups yet")
    made = cli(journal, "backup", "--to", str(usb), stdin=f"{PASSPHRASE}\n")
    assert made.code == 0 and made.out.startswith(f"Backed up to {usb}")
    assert cli(journal, "backup", stdin=f"{PASSPHRASE}\n").code == 0
    listed = cli(journal, "backup", "list").out.splitlines()
    assert len(listed) == 1 and "made by you" in listed[0]
    with vaults.unlock(journal, PASSPHRASE) as vault:
        _entry(vault, "after the backups")
    (name,) = [p.name for p in usb.iterdir()]
    wrong = cli(journal, "restore", str(usb / name), stdin="nope\n")
    assert wrong.code == 1 and "doesn't open this backup" in wrong.err
    done = cli(journal, "restore", str(usb / name), stdin=f"{PASSPHRASE}\n")
    assert done.code == 0 and "kept as backup" in done.out
    assert _titles(journal) == {f"first {CANARY}"}
    assert cli(journal, "restore", "no-such-backup").err.startswith("There is no backup")
