"""The demo's folder: removed when the demo ends, whatever ended it, and
left-over ones swept at the next start; its journal's cheap key derivation."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from journal.core.journal import demo_vault
from journal.core.oslock import OsLock
from journal.core.vault import keyfile as kf
from journal.core.vault import vault as vaults


def _old(folder: Path) -> Path:
    past = time.time() - 2 * demo_vault.SWEEP_AFTER_S
    os.utime(folder, (past, past))
    return folder


def test_sweep_removes_only_folders_nobody_holds(tmp_path: Path) -> None:
    left_over = tmp_path / "afterglow-demo-left"
    left_over.mkdir()
    (left_over / "demo.vault").write_bytes(b"x")
    _old(left_over)
    running = tmp_path / "afterglow-demo-running"
    running.mkdir()
    held = OsLock.try_acquire(running / demo_vault.IN_USE)
    _old(running)
    starting = tmp_path / "afterglow-demo-starting"  # made a moment ago, not yet locked
    starting.mkdir()
    other = tmp_path / "not-a-demo"
    other.mkdir()
    _old(other)
    target = tmp_path / "elsewhere"
    target.mkdir()
    (tmp_path / "afterglow-demo-link").symlink_to(target)
    try:
        removed = demo_vault.sweep_left_over(tmp_path)
    finally:
        assert held is not None
        held.release()
    assert removed == [left_over]
    assert not left_over.exists()
    assert running.exists() and starting.exists() and other.exists() and target.exists()


def test_the_folder_goes_when_the_demo_ends_even_by_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with pytest.raises(KeyboardInterrupt), demo_vault.demo_folder() as folder:
        assert folder.parent == tmp_path and folder.name.startswith(demo_vault.PREFIX)
        assert OsLock.try_acquire(folder / demo_vault.IN_USE) is None  # held while it runs
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_the_demo_journal_has_a_cheap_key_derivation_and_real_ones_keep_theirs(
    tmp_path: Path,
) -> None:
    vault = demo_vault.open_demo_vault(tmp_path)
    try:
        assert vault.entries.summaries()
    finally:
        vault.close()
    path = tmp_path / demo_vault.VAULT_NAME
    slot = kf.read(vaults.VaultPaths(path).keyfile).slots[kf.PASSPHRASE_SLOT]
    assert slot.params.memory_kib <= 1024 and slot.params.time_cost == 1
    assert kf.DEFAULT_KDF.memory_kib >= 64 * 1024 and kf.DEFAULT_KDF.time_cost >= 3
    assert not vaults.VaultPaths(path).creating.exists()  # confirmed: nothing to resume
    with vaults.unlock(path, demo_vault.DEMO_PASSPHRASE) as reopened:
        assert len(reopened.entries.summaries()) == 10
