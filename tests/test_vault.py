from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from journal.core.errors import (
    KeyFileCorrupt,
    KeyFileMissing,
    VaultCorrupt,
    VaultExists,
    VaultInUse,
    VaultLocked,
    VaultNotFound,
    VaultTooNew,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryCode,
)
from journal.core.model import Answer, Entry
from journal.core.vault import keyfile as kf
from journal.core.vault import vault as vaults
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import flip_bytes, snapshot


def _add_text(vault: vaults.Vault, text: str) -> int:
    entry = vault.entries.add(Entry(answers=[Answer("text", "", text=text)]))
    assert entry.id is not None
    return entry.id


def test_create_then_unlock_round_trip(vault_path: Path) -> None:
    vault, code = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    entry_id = _add_text(vault, "first light")
    vault.close()
    assert not vault.is_open
    with vaults.unlock(vault_path, PASSPHRASE) as again:
        assert again.entries.get(entry_id).text == "first light"
    assert code.count("-") == 6


def test_connection_settings(vault: vaults.Vault) -> None:
    db = vault.db
    assert db.pragma("journal_mode") == "wal"
    assert db.pragma("synchronous") == 2  # FULL
    assert db.pragma("temp_store") == 2  # MEMORY
    assert db.pragma("secure_delete") == 1
    assert db.pragma("cache_size") == -32000  # 32 MB of decrypted pages
    assert db.pragma("foreign_keys") == 1
    assert db.pragma("cipher_log_level") == "NONE"
    assert db.pragma("cipher_version").startswith("4.")


def test_files_are_private_and_show_no_sqlite_header(vault: vaults.Vault) -> None:
    _add_text(vault, "x" * 5000)
    paths = vault.paths
    for path in (paths.database, paths.keyfile, paths.lockfile):
        assert path.stat().st_mode & 0o077 == 0
    assert not paths.database.read_bytes().startswith(b"SQLite format 3")
    assert paths.database.parent.stat().st_mode & 0o077 == 0


def test_wrong_passphrase_is_refused_and_changes_nothing(
    new_vault: tuple[vaults.Vault, str], capfd: pytest.CaptureFixture[str]
) -> None:
    vault, _ = new_vault
    _add_text(vault, "kept")
    vault.close()
    before = snapshot(vault.paths.database.parent)
    with pytest.raises(WrongPassphrase) as caught:
        vaults.unlock(vault.paths.database, "not the passphrase")
    assert str(caught.value) == "That passphrase doesn't open this journal. Check it and try again."
    assert snapshot(vault.paths.database.parent) == before
    assert capfd.readouterr().err == ""


def test_a_key_file_of_another_vault_is_refused_quietly(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """SQLCipher prints decryption errors unless its log is silenced."""
    a, _ = vaults.create(tmp_path / "a" / "j.vault", PASSPHRASE, kdf=FAST_KDF)
    b, _ = vaults.create(tmp_path / "b" / "j.vault", PASSPHRASE, kdf=FAST_KDF)
    a.close()
    b.close()
    shutil.copy(b.paths.keyfile, a.paths.keyfile)
    with pytest.raises(VaultCorrupt):
        vaults.unlock(a.paths.database, PASSPHRASE)
    assert capfd.readouterr().err == ""


def test_change_passphrase_rewraps_the_key_only(new_vault: tuple[vaults.Vault, str]) -> None:
    vault, code = new_vault
    entry_id = _add_text(vault, "still here")
    vault.close()
    database_before = vault.paths.database.read_bytes()
    vaults.change_passphrase(
        vault.paths.database, PASSPHRASE, "a brand new passphrase", kdf=FAST_KDF
    )
    assert vault.paths.database.read_bytes() == database_before
    with pytest.raises(WrongPassphrase):
        vaults.unlock(vault.paths.database, PASSPHRASE)
    with vaults.unlock(vault.paths.database, "a brand new passphrase") as again:
        assert again.entries.get(entry_id).text == "still here"
    # The recovery slot was not touched.
    vaults.recover(vault.paths.database, code, "third passphrase!", kdf=FAST_KDF).close()


def _early(path: Path, passphrase: str) -> kf.Derivation:
    keyfile = kf.read(vaults.VaultPaths(path).keyfile)
    early = kf.start_derivation(keyfile, kf.PASSPHRASE_SLOT, kf.normalize_passphrase(passphrase))
    assert early is not None
    return early


def test_an_early_derivation_opens_the_vault_it_was_started_for(vault: vaults.Vault) -> None:
    entry_id = _add_text(vault, "opened early")
    vault.close()
    early = _early(vault.paths.database, PASSPHRASE)
    with vaults.unlock(vault.paths.database, PASSPHRASE, early=early) as again:
        assert again.entries.get(entry_id).text == "opened early"
    with pytest.raises(WrongPassphrase):
        vaults.unlock(
            vault.paths.database, "wrong one!", early=_early(vault.paths.database, "wrong one!")
        )


def test_an_early_derivation_is_not_trusted_once_the_key_file_changed(vault: vaults.Vault) -> None:
    """`afterglow passwd` may rewrap the slot between the early read of the key
    file and the read under the vault's lock: the key is derived again."""
    entry_id = _add_text(vault, "still mine")
    vault.close()
    path = vault.paths.database
    early_old = _early(path, PASSPHRASE)
    vaults.change_passphrase(path, PASSPHRASE, "a brand new passphrase", kdf=FAST_KDF)
    with pytest.raises(WrongPassphrase):
        vaults.unlock(path, PASSPHRASE, early=early_old)
    # A derivation for another secret than the one given is not used either.
    with vaults.unlock(path, "a brand new passphrase", early=_early(path, PASSPHRASE)) as again:
        assert again.entries.get(entry_id).text == "still mine"


def test_change_passphrase_with_wrong_old_or_weak_new_changes_nothing(
    new_vault: tuple[vaults.Vault, str],
) -> None:
    vault, _ = new_vault
    vault.close()
    before = snapshot(vault.paths.database.parent)
    with pytest.raises(WrongPassphrase):
        vaults.change_passphrase(vault.paths.database, "wrong one!", "another lantern orchard")
    with pytest.raises(WeakPassphrase):
        vaults.change_passphrase(vault.paths.database, PASSPHRASE, "short")
    assert snapshot(vault.paths.database.parent) == before


def test_recover_with_code_sets_a_new_passphrase(new_vault: tuple[vaults.Vault, str]) -> None:
    vault, code = new_vault
    entry_id = _add_text(vault, "recovered")
    vault.close()
    typed = code.lower().replace("-", " ")
    with vaults.recover(vault.paths.database, typed, "my new passphrase", kdf=FAST_KDF) as again:
        assert again.entries.get(entry_id).text == "recovered"
    vaults.unlock(vault.paths.database, "my new passphrase").close()


def test_wrong_recovery_code_changes_nothing(new_vault: tuple[vaults.Vault, str]) -> None:
    vault, _ = new_vault
    vault.close()
    before = snapshot(vault.paths.database.parent)
    with pytest.raises(WrongRecoveryCode):
        vaults.recover(vault.paths.database, kf.new_recovery_code(), "my new passphrase")
    assert snapshot(vault.paths.database.parent) == before


def test_missing_and_damaged_key_file(new_vault: tuple[vaults.Vault, str]) -> None:
    vault, _ = new_vault
    vault.close()
    keyfile = vault.paths.keyfile
    saved = keyfile.read_bytes()
    keyfile.unlink()
    with pytest.raises(KeyFileMissing):
        vaults.unlock(vault.paths.database, PASSPHRASE)
    keyfile.write_bytes(saved)
    flip_bytes(keyfile, len(saved) // 2, 3)
    with pytest.raises(KeyFileCorrupt):
        vaults.unlock(vault.paths.database, PASSPHRASE)
    keyfile.write_bytes(saved[: len(saved) // 3])
    with pytest.raises(KeyFileCorrupt):
        vaults.unlock(vault.paths.database, PASSPHRASE)


def test_missing_vault(tmp_path: Path) -> None:
    with pytest.raises(VaultNotFound):
        vaults.unlock(tmp_path / "nothing.vault", PASSPHRASE)


def test_damaged_first_page_is_refused_and_left_alone(
    new_vault: tuple[vaults.Vault, str],
) -> None:
    vault, _ = new_vault
    _add_text(vault, "page one")
    vault.close()
    flip_bytes(vault.paths.database, 200, 32)
    before = snapshot(vault.paths.database.parent)
    with pytest.raises(VaultCorrupt):
        vaults.unlock(vault.paths.database, PASSPHRASE)
    assert snapshot(vault.paths.database.parent) == before


def test_damaged_later_page_is_found_by_check_and_reads_fail_clearly(
    new_vault: tuple[vaults.Vault, str],
) -> None:
    vault, _ = new_vault
    ids = [_add_text(vault, f"{i} " + "long text " * 2000) for i in range(6)]
    vault.close()
    size = vault.paths.database.stat().st_size
    page = 4096
    # Damage every page of the file's last 40 %: the schema and the first
    # tables come first, the answers' long text and its search index after.
    pages = size // page
    for number in range(pages - pages * 2 // 5, pages):
        flip_bytes(vault.paths.database, number * page + 100, 64)
    with vaults.unlock(vault.paths.database, PASSPHRASE) as again:
        problems = again.check()
        assert problems
        failures = 0
        for entry_id in ids:
            try:
                again.entries.get(entry_id)
            except VaultCorrupt:
                failures += 1
        assert failures >= 1


def test_healthy_vault_checks_clean(vault: vaults.Vault) -> None:
    _add_text(vault, "fine")
    assert vault.check() == []


def test_second_open_in_this_process_is_refused(vault: vaults.Vault) -> None:
    with pytest.raises(VaultInUse):
        vaults.unlock(vault.paths.database, PASSPHRASE)


_HOLDER = textwrap.dedent(
    """
    import sys, time
    from journal.core.vault import vault
    v = vault.unlock(sys.argv[1], sys.stdin.readline().rstrip("\\n"))
    print("open", flush=True)
    time.sleep(60)
    """
)


@pytest.mark.slow
def test_vault_open_in_another_process_then_crash_leaves_no_stale_lock(
    new_vault: tuple[vaults.Vault, str],
) -> None:
    vault, _ = new_vault
    vault.close()
    with subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(vault.paths.database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        try:
            assert holder.stdin is not None and holder.stdout is not None
            holder.stdin.write(PASSPHRASE + "\n")
            holder.stdin.flush()
            assert holder.stdout.readline().strip() == "open"
            with pytest.raises(VaultInUse):
                vaults.unlock(vault.paths.database, PASSPHRASE)
        finally:
            os.kill(holder.pid, signal.SIGKILL)
            holder.wait()
    vaults.unlock(vault.paths.database, PASSPHRASE).close()


def test_newer_schema_is_refused_and_left_alone(new_vault: tuple[vaults.Vault, str]) -> None:
    vault, _ = new_vault
    vault.db.execute("PRAGMA user_version = 99")
    vault.close()
    before = snapshot(vault.paths.database.parent)
    with pytest.raises(VaultTooNew):
        vaults.unlock(vault.paths.database, PASSPHRASE)
    assert snapshot(vault.paths.database.parent) == before


def test_create_refuses_existing_vault_and_weak_passphrase(
    vault: vaults.Vault, tmp_path: Path
) -> None:
    with pytest.raises(VaultExists):
        vaults.create(vault.paths.database, PASSPHRASE, kdf=FAST_KDF)
    target = tmp_path / "other" / "j.vault"
    with pytest.raises(WeakPassphrase):
        vaults.create(target, "weak", kdf=FAST_KDF)
    assert not target.exists()
    assert not vaults.VaultPaths(target).keyfile.exists()


def test_a_closed_vault_refuses_use(vault: vaults.Vault) -> None:
    vault.close()
    with pytest.raises(VaultLocked):
        vault.entries.count()


def test_default_location(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    default = vaults.default_vault_path()
    assert default.name == "journal.vault"
    assert str(home) in str(default)
    monkeypatch.setenv(vaults.VAULT_ENV, "~/elsewhere/my.vault")
    assert vaults.default_vault_path() == home / "elsewhere" / "my.vault"
