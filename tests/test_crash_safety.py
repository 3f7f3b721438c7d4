"""What an interrupted command leaves, and what the next start makes of it;
damaged, empty and read-only vaults; and the smaller faults a careful tester
found (each with the sentence a person sees). The kill-at-every-write harness
is tests/test_crash_points.py."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from journal.core.errors import (
    VaultCorrupt,
    VaultDamaged,
    VaultNotFound,
)
from journal.core.model import Answer, Entry
from journal.core.vault import backup
from journal.core.vault import keyfile as kf
from journal.core.vault import vault as vaults
from journal.core.vault.paths import VaultPaths
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import flip_bytes, snapshot
from tests.test_cli import cli


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kf, "DEFAULT_KDF", FAST_KDF)


def _journal(path: Path, *titles: str) -> Path:
    vault, _ = vaults.create(path, PASSPHRASE, kdf=FAST_KDF)
    for title in titles:
        vault.entries.add(Entry(title=title, answers=[Answer("t", "", text=title)]))
    vault.close()
    return path


def _titles(path: Path) -> set[str]:
    with vaults.unlock(path, PASSPHRASE) as vault:
        return {s.title for s in vault.entries.summaries()}


# --- a restore interrupted at any point ------------------------------------------------


def _staged_restore(path: Path, folder: Path, *, committed: bool) -> VaultPaths:
    """A restore stopped just before (or just after) its commit point, as a kill
    there leaves it: the backup staged beside the vault, the current vault
    copied into a listed backup, the intent written or not."""
    paths = VaultPaths(path)
    info, key = backup.verify(folder, PASSPHRASE)
    backup._stage(paths, folder, info, key)
    kept = backup._keep_current(paths, backup.datetime.now(backup.UTC))
    assert kept is not None
    if committed:
        paths.restore_intent.write_text(json.dumps({"kept": kept.name}))
    return paths


def test_a_restore_killed_after_its_commit_finishes_at_the_next_start(tmp_path: Path) -> None:
    path = _journal(tmp_path / "v" / "journal.vault", "in the backup")
    with vaults.unlock(path, PASSPHRASE) as vault:
        made = backup.make_backup(vault, tmp_path / "usb")
        vault.entries.add(Entry(title="since the backup", answers=[]))
    paths = _staged_restore(path, made.path, committed=True)
    assert _titles(path) == {"in the backup"}  # rolled forward by the next start
    assert not paths.restore_intent.exists() and not paths.staged_database.exists()
    kept = [b for b in backup.list_backups(backup.backups_folder(path))]
    assert [b.kind for b in kept] == [backup.BEFORE_RESTORE]
    restored_old = tmp_path / "old" / "journal.vault"
    backup.restore(restored_old, kept[0].path, PASSPHRASE)
    assert _titles(restored_old) == {"in the backup", "since the backup"}


def test_a_restore_killed_before_its_commit_leaves_the_journal_as_it_was(
    tmp_path: Path,
) -> None:
    path = _journal(tmp_path / "v" / "journal.vault", "in the backup")
    with vaults.unlock(path, PASSPHRASE) as vault:
        made = backup.make_backup(vault, tmp_path / "usb")
        vault.entries.add(Entry(title="since the backup", answers=[]))
    paths = _staged_restore(path, made.path, committed=False)
    assert _titles(path) == {"in the backup", "since the backup"}
    assert not paths.staged_database.exists() and not paths.staged_keyfile.exists()


def test_a_folder_an_older_version_left_half_way_is_kept_as_a_listed_backup(
    tmp_path: Path,
) -> None:
    """Older versions moved the journal into a hidden .partial folder during a
    restore and deleted such folders at the next backup: never again."""
    path = _journal(tmp_path / "v" / "journal.vault", "only here")
    folder = backup.backups_folder(path)
    hidden = folder / ".2026-11-30T10-00-00Z.partial"
    hidden.mkdir(parents=True)
    for name in ("journal.vault", "journal.vault.keys"):
        (hidden / name).write_bytes((path.parent / name).read_bytes())
    (folder / ".2026-11-30T11-00-00Z.incomplete").mkdir()  # a copy: removed
    with vaults.unlock(path, PASSPHRASE) as vault:
        backup.auto_backup(vault)
    listed = {b.kind: b for b in backup.list_backups(folder)}
    assert set(listed) == {backup.RECOVERED, backup.AUTO}
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
    elsewhere = tmp_path / "elsewhere" / "journal.vault"
    backup.restore(elsewhere, listed[backup.RECOVERED].path, PASSPHRASE)
    assert _titles(elsewhere) == {"only here"}


def test_leftovers_of_killed_commands_are_removed_at_the_next_start(tmp_path: Path) -> None:
    path = _journal(tmp_path / "v" / "journal.vault", "kept")
    paths = VaultPaths(path)
    # A killed passwd: a complete key file under a new passphrase, never renamed.
    new_keys = kf.rewrap_passphrase(
        kf.read(paths.keyfile),
        bytes(32),
        "a passphrase replaced later",
        params=FAST_KDF,
    )
    temporary = paths.keyfile.with_name(f".{paths.keyfile.name}.abc123.tmp")
    temporary.write_bytes(kf.dumps(new_keys))
    paths.staged_database.write_bytes(b"x" * 4096)  # a killed restore's copy
    before_names = {p.name for p in path.parent.iterdir()}
    assert _titles(path) == {"kept"}
    after = {p.name for p in path.parent.iterdir()}
    assert temporary.name not in after and paths.staged_database.name not in after
    assert after == before_names - {temporary.name, paths.staged_database.name}


def test_an_unconfirmed_new_vault_is_removed_and_can_be_made_again(tmp_path: Path) -> None:
    path = tmp_path / "v" / "journal.vault"
    vault, _code = vaults.create(path, PASSPHRASE, kdf=FAST_KDF, pending=True)
    vault.close()  # killed before the recovery code was shown
    assert not VaultPaths(path).exists()
    with pytest.raises(VaultNotFound):
        vaults.unlock(path, PASSPHRASE)
    assert sorted(p.name for p in path.parent.iterdir()) == ["journal.vault.lock"]
    vault, _code = vaults.create(path, PASSPHRASE, kdf=FAST_KDF, pending=True)
    vault.confirm_created()
    vault.close()
    assert _titles(path) == set()


# --- empty, truncated, foreign and damaged vaults ----------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b""),  # `: > journal.vault`
        lambda p: p.write_bytes(p.read_bytes()[:5000]),  # cut mid-page
        lambda p: p.write_bytes(p.read_bytes() + b"\0" * 100),  # a foreign size
    ],
    ids=["empty", "truncated", "foreign-size"],
)
def test_an_empty_or_cut_vault_is_damage_never_a_new_journal(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    path = _journal(tmp_path / "v" / "journal.vault", "precious")
    damage(path)
    before = snapshot(path.parent)
    for command in (("check",), ("add", "overwrite me"), ("search", "x")):
        result = cli(path, *command, stdin=PASSPHRASE + "\n")
        assert result.code == 1 and "restore it from a backup" in result.err.lower(), result.err
    with pytest.raises(VaultCorrupt):
        vaults.unlock(path, PASSPHRASE)
    assert snapshot(path.parent) == before


def test_a_vault_holding_no_journal_is_refused(tmp_path: Path) -> None:
    """A valid SQLCipher file under this key but with no schema (replaced)."""
    path = _journal(tmp_path / "v" / "journal.vault")
    other = _journal(tmp_path / "o" / "journal.vault")
    key_of_other = (other.parent / "journal.vault.keys").read_bytes()
    (path.parent / "journal.vault.keys").write_bytes(key_of_other)
    import sqlcipher3

    key = kf.unwrap_key(
        kf.loads(key_of_other), kf.PASSPHRASE_SLOT, kf.normalize_passphrase(PASSPHRASE)
    )
    assert key is not None
    path.unlink()
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(VaultCorrupt, match="holds no journal"):
        vaults.unlock(path, PASSPHRASE)


def test_after_a_damaged_page_is_met_nothing_more_is_written(tmp_path: Path) -> None:
    path = _journal(tmp_path / "v" / "journal.vault", *(f"entry {i}" for i in range(300)))
    size = path.stat().st_size
    flip_bytes(path, size - 3 * 4096 + 100)  # a page of the tables, not page 1
    with vaults.unlock(path, PASSPHRASE) as vault:
        assert vault.check()  # the damage is found
        with pytest.raises(VaultDamaged) as refused:
            vault.entries.add(Entry(title="more", answers=[]))
        assert "afterglow check" in refused.value.message


def test_passwd_with_another_vaults_key_file_changes_nothing(tmp_path: Path) -> None:
    path = _journal(tmp_path / "v" / "journal.vault", "mine")
    other = _journal(tmp_path / "o" / "journal.vault")
    (path.parent / "journal.vault.keys").write_bytes(
        (other.parent / "journal.vault.keys").read_bytes()
    )
    before = snapshot(path.parent)
    with pytest.raises(VaultCorrupt):
        vaults.change_passphrase(path, PASSPHRASE, "a new good passphrase", kdf=FAST_KDF)
    result = cli(path, "passwd", stdin=f"{PASSPHRASE}\na new good passphrase\n")
    assert result.code == 1 and "Passphrase changed" not in result.out
    assert snapshot(path.parent) == before


# --- read-only storage ----------------------------------------------------------------


def _read_only(folder: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``afterglow ARGS`` with ``folder`` mounted read-only (a private mount
    namespace: a real read-only file system, as a DVD or a locked stick)."""
    script = (
        f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}" && '
        f'exec "{sys.executable}" -m journal "$@"'
    )
    return subprocess.run(
        ["/usr/bin/unshare", "-m", "/bin/sh", "-c", script, "sh", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_a_journal_on_read_only_storage_can_be_read_but_not_changed(tmp_path: Path) -> None:
    folder = tmp_path / "dvd"
    path = _journal(folder / "journal.vault", "the lighthouse")
    (folder / "journal.vault.lock").unlink()  # burnt onto a disc without it
    out = tmp_path / "out"
    out.mkdir()
    before = snapshot(folder)
    vault = ["--vault", str(path)]
    checked = _read_only(folder, *vault, "check", stdin=PASSPHRASE + "\n")
    assert checked.returncode == 0 and "healthy" in checked.stdout, checked.stderr
    found = _read_only(folder, *vault, "search", "lighthouse", stdin=PASSPHRASE + "\n")
    assert found.returncode == 0 and "lighthouse" in found.stdout, found.stderr
    bundle = out / "for-thursday.agb"
    shared = _read_only(
        folder, *vault, "export", "--out", str(bundle), "--share-code", stdin=PASSPHRASE + "\n"
    )
    assert shared.returncode == 0 and bundle.stat().st_size > 0, shared.stderr
    everything = out / "everything.age"
    exported = _read_only(
        folder,
        *vault,
        "export-all",
        "--out",
        str(everything),
        stdin=f"{PASSPHRASE}\nanother fine passphrase\n",
    )
    assert exported.returncode == 0 and everything.exists(), exported.stderr
    added = _read_only(folder, *vault, "add", "new words", stdin=PASSPHRASE + "\n")
    assert added.returncode == 1 and "can't be saved" in added.stderr
    assert "Traceback" not in added.stderr
    assert snapshot(folder) == before


# --- smaller faults ------------------------------------------------------------------------


def test_invalid_utf8_on_standard_input_is_a_sentence_not_a_bug(tmp_path: Path) -> None:
    path = _journal(tmp_path / "v" / "journal.vault", "kept")
    before = snapshot(path.parent)
    result = subprocess.run(
        [sys.executable, "-m", "journal", "--vault", str(path), "add", "x"],
        input=b"\xff\xfe not utf-8\n",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert b"not UTF-8 text" in result.stderr and b"Traceback" not in result.stderr
    assert snapshot(path.parent) == before


def test_exporting_into_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    path = _journal(tmp_path / "v" / "journal.vault", "kept")
    target = tmp_path / "no" / "such" / "folder" / "x.agb"
    result = cli(path, "export", "--out", str(target), "--share-code", stdin=PASSPHRASE + "\n")
    assert result.code == 1
    assert f"The folder {target.parent} does not exist" in result.err
    assert "vault could not be written" not in result.err


def test_export_refuses_to_replace_a_file_without_force(tmp_path: Path) -> None:
    path = _journal(tmp_path / "v" / "journal.vault", "kept")
    target = tmp_path / "x.agb"
    target.write_bytes(b"earlier bundle")
    refused = cli(path, "export", "--out", str(target), "--share-code", stdin=PASSPHRASE + "\n")
    assert refused.code == 1 and "--force" in refused.err
    assert target.read_bytes() == b"earlier bundle"
    forced = cli(
        path, "export", "--out", str(target), "--share-code", "--force", stdin=PASSPHRASE + "\n"
    )
    assert forced.code == 0 and target.read_bytes() != b"earlier bundle"
    assert "1 session" not in forced.err and "1 entry," in forced.err  # no "1 entries"


def test_the_vault_copy_in_a_backup_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = _journal(tmp_path / "v" / "journal.vault", "kept")
    with vaults.unlock(path, PASSPHRASE) as vault:
        made = backup.make_backup(vault, tmp_path / "usb")
    for name in ("journal.vault", "journal.vault.keys"):
        assert stat.S_IMODE((made.path / name).stat().st_mode) == 0o600


def test_search_output_carries_no_escape_sequences(tmp_path: Path) -> None:
    path = _journal(tmp_path / "v" / "journal.vault")
    with vaults.unlock(path, PASSPHRASE) as vault:
        vault.entries.add(
            Entry(title="\x1b]0;owned\x07", answers=[Answer("t", "", text="a \x1b[2J door")])
        )
    result = cli(path, "search", "door", stdin=PASSPHRASE + "\n")
    assert result.code == 0 and "door" in result.out
    assert "\x1b" not in result.out and "\x07" not in result.out


def test_restoring_a_folder_that_is_no_backup_says_so_before_asking(tmp_path: Path) -> None:
    path = _journal(tmp_path / "v" / "journal.vault", "kept")
    folder = tmp_path / "holiday photos"
    folder.mkdir()
    result = cli(path, "restore", str(folder), stdin="")  # no passphrase given at all
    assert result.code == 1 and "not a complete Afterglow backup" in result.err


def test_counts_are_singular_for_one(tmp_path: Path) -> None:
    template = tmp_path / "one.toml"
    template.write_text(
        'id = "one"\ntitle = "One"\nphase = "free"\n[[prompts]]\nkey = "a"\ntext = "A?"\n'
    )
    result = cli(tmp_path / "none.vault", "templates", "validate", str(template))
    assert result.code == 0 and "(1 prompt)" in result.out
