"""`afterglow sync …`: real vaults and a real shared folder in tmp_path, the
commands run in-process as a script would (secrets on standard input)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pytest

from journal.cli import Console, run
from journal.core.sync import rows
from journal.core.vault import keyfile as kf
from journal.core.vault import vault as vaults
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import snapshot
from tests.sync_devices import entry

CANARY = "canary-5d1e-lantern-heron"


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kf, "DEFAULT_KDF", FAST_KDF)


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    @property
    def text(self) -> str:
        return self.out + self.err


def cli(vault: Path, *args: str, stdin: str = PASSPHRASE + "\n") -> Result:
    out, err = io.StringIO(), io.StringIO()
    console = Console(io.StringIO(stdin), out, err, stdin_is_tty=False)
    code = run(["--vault", str(vault), *args], console)
    return Result(code, out.getvalue(), err.getvalue())


def _init(path: Path) -> str:
    """A new journal at ``path``; its recovery code."""
    made = cli(path, "init")
    assert made.code == 0, made.err
    match = re.search(r"^\s+([0-9A-Z]{4}(?:-[0-9A-Z]{2,4}){6})$", made.out, re.MULTILINE)
    assert match, made.out
    return match.group(1)


def _write(path: Path, title: str, body: str = "") -> int:
    with vaults.unlock(path, PASSPHRASE) as vault:
        return vault.entries.add(entry(title, body or title)).id


def _retitle(path: Path, entry_id: int, title: str) -> None:
    with vaults.unlock(path, PASSPHRASE) as vault:
        vault.entries.update(replace(vault.entries.get(entry_id), title=title))


def _content(path: Path) -> dict:  # type: ignore[type-arg]
    with vaults.unlock(path, PASSPHRASE) as vault:
        return rows.journal_content(vault.db)


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "Sync"
    folder.mkdir()
    return folder


@pytest.fixture
def laptop(tmp_path: Path) -> Path:
    path = tmp_path / "laptop" / "journal.vault"
    _init(path)
    return path


def _set_up_two(laptop: Path, shared: Path, home: Path) -> None:
    made = cli(laptop, "sync", "setup", str(shared), "--name", "Laptop")
    assert made.code == 0, made.err
    joined = cli(home, "sync", "join", str(shared), "--name", "Home")
    assert joined.code == 0, joined.err


def test_setup_join_write_on_both_and_converge(laptop: Path, shared: Path, tmp_path: Path) -> None:
    first = _write(laptop, f"Before sync {CANARY}")
    made = cli(laptop, "sync", "setup", str(shared), "--name", "Laptop")
    assert made.code == 0, made.err
    assert made.out.startswith(f"This journal now syncs through {shared} as “Laptop”.")
    assert "afterglow sync join FOLDER` with its passphrase." in made.out

    home = tmp_path / "home" / "journal.vault"
    joined = cli(home, "sync", "join", str(shared), "--name", "Home")
    assert joined.code == 0, joined.err
    assert joined.out.startswith(f"Joined the journal synced in {shared} as “Home”.")
    assert _content(home) == _content(laptop)

    _retitle(laptop, first, f"Renamed on the laptop {CANARY}")
    _write(home, f"Written at home {CANARY}")
    outputs = [cli(home, "sync", "now"), cli(laptop, "sync", "now"), cli(home, "sync", "now")]
    for result in outputs:
        assert result.code == 0, result.err
        assert result.out.startswith("Synced: sent ")
    assert "1 other computer in the folder" in outputs[1].out
    assert _content(home) == _content(laptop)
    with vaults.unlock(home, PASSPHRASE) as vault:
        assert {e.title for e in vault.entries.all()} == {
            f"Renamed on the laptop {CANARY}",
            f"Written at home {CANARY}",
        }

    status = cli(laptop, "sync", "status")
    assert status.code == 0, status.err
    assert f"This journal syncs through {shared} as “Laptop”." in status.out
    assert "Last synced " in status.out and "1 other computer seen: “Home”." in status.out
    assert "0 conflicts to decide." in status.out
    devices = cli(home, "sync", "devices")
    assert devices.code == 0, devices.err
    assert devices.out.splitlines()[0] == "“Home”: this computer."
    assert re.search(r"^“Laptop”: last read from .+, \d+ files? applied\.$", devices.out, re.M)

    for result in [made, joined, *outputs, status, devices]:
        assert CANARY not in result.text and "Renamed" not in result.text
    for path in shared.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes()


def test_join_with_the_recovery_code_when_setup_added_it(tmp_path: Path, shared: Path) -> None:
    laptop = tmp_path / "laptop" / "journal.vault"
    code = _init(laptop)
    _write(laptop, "One")
    wrong = cli(
        laptop,
        "sync",
        "setup",
        str(shared),
        "--with-recovery-code",
        stdin=f"{PASSPHRASE}\n{'A' * 26}\n",
    )
    assert wrong.code == 1 and "recovery code" in wrong.err
    assert list(shared.iterdir()) == []
    made = cli(
        laptop,
        "sync",
        "setup",
        str(shared),
        "--with-recovery-code",
        stdin=f"{PASSPHRASE}\n{code}\n",
    )
    assert made.code == 0, made.err
    assert "with its passphrase or recovery code." in made.out

    home = tmp_path / "home" / "journal.vault"
    joined = cli(
        home, "sync", "join", str(shared), "--recovery-code", "--name", "Home", stdin=code + "\n"
    )
    assert joined.code == 0, joined.err
    assert _content(home) == _content(laptop)
    # the joined vault opens with the first computer's passphrase
    assert cli(home, "check").code == 0


def test_a_wrong_secret_makes_nothing_and_changes_nothing(
    laptop: Path, shared: Path, tmp_path: Path
) -> None:
    assert cli(laptop, "sync", "setup", str(shared), "--name", "Laptop").code == 0
    before = snapshot(shared)
    home = tmp_path / "home" / "journal.vault"
    wrong = cli(home, "sync", "join", str(shared), stdin="not the passphrase at all\n")
    assert wrong.code == 1
    assert wrong.err == "That passphrase doesn't open this journal. Check it and try again.\n"
    no_code = cli(home, "sync", "join", str(shared), "--recovery-code", stdin="A" * 26 + "\n")
    assert no_code.code == 1 and "recovery code" in no_code.err
    assert snapshot(shared) == before
    assert not home.exists()


def test_join_refuses_an_existing_vault_and_an_empty_folder(
    laptop: Path, shared: Path, tmp_path: Path
) -> None:
    empty = cli(tmp_path / "home" / "journal.vault", "sync", "join", str(shared))
    assert empty.code == 1 and "There is no Afterglow journal in this folder yet." in empty.err
    assert not (tmp_path / "home" / "journal.vault").exists()
    assert cli(laptop, "sync", "setup", str(shared)).code == 0
    before = snapshot(laptop.parent)
    taken = cli(laptop, "sync", "join", str(shared))
    assert taken.code == 1 and f"A vault already exists at {laptop}" in taken.err
    assert snapshot(laptop.parent) == before


def test_setup_refuses_twice_a_missing_folder_and_a_wrong_passphrase(
    laptop: Path, shared: Path, tmp_path: Path
) -> None:
    missing = cli(laptop, "sync", "setup", str(tmp_path / "nowhere"))
    assert missing.code == 1 and "That folder does not exist" in missing.err
    wrong = cli(laptop, "sync", "setup", str(shared), stdin="not the passphrase\n")
    assert wrong.code == 1 and "passphrase doesn't open" in wrong.err
    assert list(shared.iterdir()) == []
    assert cli(laptop, "sync", "setup", str(shared)).code == 0
    again = cli(laptop, "sync", "setup", str(shared))
    assert again.code == 1 and "already syncs through a folder" in again.err


def test_commands_on_a_journal_that_does_not_sync(laptop: Path) -> None:
    status = cli(laptop, "sync", "status")
    assert status.code == 0
    assert status.out.startswith("This journal does not sync through a folder.")
    assert cli(laptop, "sync", "devices").out.startswith("This journal does not sync")
    for words in (("now",), ("conflicts",)):
        result = cli(laptop, "sync", *words)
        assert result.code == 1
        assert "does not sync through a folder yet" in result.err


def test_no_vault_is_said_before_any_secret_is_asked(tmp_path: Path, shared: Path) -> None:
    result = cli(tmp_path / "none.vault", "sync", "setup", str(shared), stdin="")
    assert result.code == 1 and result.err.startswith("There is no vault here yet.")


def test_a_conflict_is_listed_without_content_and_chosen(
    laptop: Path, shared: Path, tmp_path: Path
) -> None:
    made = _write(laptop, "Original")
    home = tmp_path / "home" / "journal.vault"
    _set_up_two(laptop, shared, home)
    assert cli(laptop, "sync", "conflicts").out == "No conflicts to decide.\n"
    with vaults.unlock(home, PASSPHRASE) as vault:
        (there,) = vault.entries.all()
    _retitle(laptop, made, f"Laptop {CANARY}")
    _retitle(home, there.id, f"Home version {CANARY}")
    for path in (laptop, home, laptop):
        assert cli(path, "sync", "now").code == 0
    told = cli(laptop, "sync", "status")
    assert "1 conflict to decide (`afterglow sync conflicts`)." in told.out

    listed = cli(laptop, "sync", "conflicts")
    assert listed.code == 0, listed.err
    assert f"1. the title of entry {made} — version 1: " in listed.out
    assert "version 2: " in listed.out
    assert CANARY not in listed.text and "Laptop" not in listed.text
    with vaults.unlock(laptop, PASSPHRASE) as vault:
        shown = vault.entries.get(made).title
    other = ({f"Laptop {CANARY}", f"Home version {CANARY}"} - {shown}).pop()

    bad = cli(laptop, "sync", "conflicts", "2", "--keep", "1")
    assert bad.code == 1 and "There is no conflict 2" in bad.err
    too_far = cli(laptop, "sync", "conflicts", "1", "--keep", "3")
    assert too_far.code == 1 and "has 2 versions" in too_far.err
    assert cli(laptop, "sync", "conflicts", "--keep", "1").code == 1

    kept = cli(laptop, "sync", "conflicts", "1", "--keep", "2")
    assert kept.code == 0, kept.err
    assert kept.out.startswith("Kept version 2 of conflict 1")
    assert cli(laptop, "sync", "conflicts").out == "No conflicts to decide.\n"
    for path in (laptop, home):
        assert cli(path, "sync", "now").code == 0
    assert _content(home) == _content(laptop)
    for path in (laptop, home):
        with vaults.unlock(path, PASSPHRASE) as vault:
            assert [e.title for e in vault.entries.all()] == [other]
        assert cli(path, "sync", "conflicts").out == "No conflicts to decide.\n"


def test_a_therapists_workspace_does_not_sync(tmp_path: Path, shared: Path) -> None:
    workspace = tmp_path / "w" / "workspace.vault"
    assert cli(workspace, "init", "--therapist").code == 0
    result = cli(workspace, "sync", "setup", str(shared))
    assert result.code == 1 and "therapist's workspace" in result.err
    assert list(shared.iterdir()) == []


def test_after_passwd_or_recover_a_computer_joins_with_the_new_passphrase(
    tmp_path: Path, shared: Path
) -> None:
    laptop = tmp_path / "laptop" / "journal.vault"
    code = _init(laptop)
    _write(laptop, "Written before the change")
    assert cli(laptop, "sync", "setup", str(shared), "--name", "Laptop").code == 0
    new = "a completely different passphrase"
    changed = cli(laptop, "passwd", stdin=f"{PASSPHRASE}\n{new}\n{new}\n")
    assert changed.code == 0, changed.err
    home = tmp_path / "home" / "journal.vault"
    refused = cli(home, "sync", "join", str(shared), "--name", "Home", stdin=PASSPHRASE + "\n")
    assert refused.code != 0 and not home.exists()
    joined = cli(home, "sync", "join", str(shared), "--name", "Home", stdin=new + "\n")
    assert joined.code == 0, joined.err
    with vaults.unlock(home, new) as vault:
        assert [e.title for e in vault.entries.all()] == ["Written before the change"]
    third = "yet another passphrase, after recovery"
    recovered = cli(laptop, "recover", stdin=f"{code}\n{third}\n{third}\n")
    assert recovered.code == 0, recovered.err
    later = tmp_path / "later" / "journal.vault"
    assert cli(later, "sync", "join", str(shared), "--name", "Later", stdin=third + "\n").code == 0
    vaults.unlock(later, third).close()


def test_a_lost_computer_is_removed_by_its_name(laptop: Path, shared: Path, tmp_path: Path) -> None:
    from journal.core.errors import SyncDeviceRemoved
    from journal.core.sync import engine

    home = tmp_path / "home" / "journal.vault"
    _set_up_two(laptop, shared, home)
    assert cli(laptop, "sync", "now").code == 0
    unknown = cli(laptop, "sync", "remove", "Nobody")
    assert unknown.code != 0 and "called “Nobody”" in unknown.err
    removed = cli(laptop, "sync", "remove", "home")
    assert removed.code == 0, removed.err
    assert removed.out.startswith("Removed “Home”: it reads nothing written from now on.")
    assert "“Home”" not in cli(laptop, "sync", "devices").out
    _write(laptop, "Written after the removal")
    assert cli(laptop, "sync", "now").code == 0
    with vaults.unlock(home, PASSPHRASE) as vault, pytest.raises(SyncDeviceRemoved):
        engine.sync_now(vault)
        engine.sync_now(vault)
    with vaults.unlock(home, PASSPHRASE) as vault:
        assert "Written after the removal" not in {e.title for e in vault.entries.all()}
