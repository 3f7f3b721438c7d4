"""`afterglow init --therapist`, `key`, `patients …` end to end through the CLI,
with bundles exported by a patient's journal through the CLI too."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal.core.vault import keyfile as kf
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.test_cli import _recovery_code, cli

P = PASSPHRASE + "\n"


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kf, "DEFAULT_KDF", FAST_KDF)


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "w" / "workspace.vault"
    made = cli(path, "init", "--therapist", stdin=P)
    assert made.code == 0, made.err
    assert "therapist's workspace" in made.out and _recovery_code(made.out)
    key = cli(path, "key", stdin=P)
    assert key.code == 0 and key.out.strip().startswith("age1")
    assert key.out.strip() in made.out  # the key made with the workspace
    return path, key.out.strip()


def _journal(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name / "journal.vault"
    assert cli(path, "init", stdin=P).code == 0
    assert cli(path, "add", "--title", "Right after", stdin=P + text).code == 0
    return path


def _export(journal: Path, out: Path, *args: str) -> str:
    result = cli(journal, "export", "--out", str(out), "--since", "2000-01-01", *args, stdin=P)
    assert result.code == 0, result.err
    return result.out.strip()


def test_a_therapist_keeps_reads_renames_and_removes(
    workspace: tuple[Path, str], tmp_path: Path
) -> None:
    path, key = workspace
    ana = _journal(tmp_path, "ana", "the lantern on the water")
    _export(ana, tmp_path / "1.agb", "--to", key)
    kept = cli(path, "patients", "keep", str(tmp_path / "1.agb"), stdin=P)
    assert kept.code == 0, kept.err
    assert "new patient, Patient 1" in kept.out and "you can delete 1.agb" in kept.err
    again = cli(path, "patients", "keep", str(tmp_path / "1.agb"), stdin=P)
    assert "kept already" in again.out
    # A second, overlapping bundle; then one made with a share code.
    assert cli(ana, "add", "--title", "Next day", stdin=P + "an owl at the window").code == 0
    _export(ana, tmp_path / "2.agb", "--to", key)
    assert (
        "under Patient 1 (2 bundles now)"
        in cli(path, "patients", "keep", str(tmp_path / "2.agb"), stdin=P).out
    )
    code = _export(ana, tmp_path / "3.agb", "--share-code", "--for", "Dr Rivera")
    by_code = cli(path, "patients", "keep", str(tmp_path / "3.agb"), stdin=P + code + "\n")
    assert by_code.code == 0, by_code.err
    assert "new patient, Patient 2" in by_code.out  # another recipient: another id
    assert cli(path, "patients", "rename", "Patient 1", "Ana M.", stdin=P).code == 0
    listed = cli(path, "patients", "list", stdin=P).out
    assert "Ana M.: 2 bundles" in listed and "Patient 2: 1 bundle" in listed
    shown = cli(path, "patients", "show", "ana m.", stdin=P)
    assert shown.code == 0, shown.err
    assert "New since the bundle made" in shown.out and "entry: Next day" in shown.out
    assert "entry: Right after" not in shown.out.split("New since")[1]
    # Remove: asked first; "no" keeps everything.
    refused = cli(path, "patients", "remove", "Ana M.", stdin=P + "no\n")
    assert refused.code != 0 and "Nothing was removed" in refused.err
    gone = cli(path, "patients", "remove", "Ana M.", stdin=P + "yes\n")
    assert gone.code == 0 and "Removed 2 bundles and 0 appointment notes" in gone.out
    assert "Ana" not in cli(path, "patients", "list", stdin=P).out


def test_sentences_for_what_cannot_be_kept(workspace: tuple[Path, str], tmp_path: Path) -> None:
    path, _key = workspace
    ana = _journal(tmp_path, "ana", "words")
    other = tmp_path / "o" / "workspace.vault"
    assert cli(other, "init", "--therapist", stdin=P).code == 0
    other_key = cli(other, "key", stdin=P).out.strip()
    _export(ana, tmp_path / "x.agb", "--to", other_key)
    wrong = cli(path, "patients", "keep", str(tmp_path / "x.agb"), stdin=P)
    assert wrong.code != 0 and "not made for your key" in wrong.err
    missing = cli(path, "patients", "keep", str(tmp_path / "none.agb"), stdin=P)
    assert missing.code != 0 and "There is no file none.agb" in missing.err
    unknown = cli(path, "patients", "show", "Nobody", stdin=P)
    assert unknown.code != 0 and "no patient called" in unknown.err
    # A journal is not a workspace.
    in_journal = cli(ana, "patients", "list", stdin=P)
    assert in_journal.code != 0 and "not a therapist's workspace" in in_journal.err
    assert "No patients yet" in cli(path, "patients", "list", stdin=P).out
    # Writing a journal's records into a workspace: refused, nothing stored.
    for args, stdin in (
        (("add", "--title", "mine"), P + "words"),
        (("checkin", "mood", "5"), P),
        (("export", "--out", str(tmp_path / "w.agb"), "--share-code"), P),
    ):
        refused = cli(path, *args, stdin=stdin)
        assert refused.code != 0 and "therapist's workspace, not a journal" in refused.err
    assert not (tmp_path / "w.agb").exists()
