"""The command line from the instrument definitions: the EBI about the latest
session, the PCL-5, and a questionnaire a clinician handed over — no code."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal.core.model import Session
from journal.core.vault import keyfile as kf
from journal.core.vault import vault as vaults
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import snapshot
from tests.test_cli import cli
from tests.test_measures import GOOD


@pytest.fixture
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(kf, "DEFAULT_KDF", FAST_KDF)
    path = tmp_path / "v" / "journal.vault"
    assert cli(path, "init", stdin=f"{PASSPHRASE}\n").code == 0
    return path


def _checkin(path: Path, *args: str) -> tuple[int, str, str]:
    result = cli(path, "checkin", *args, stdin=f"{PASSPHRASE}\n")
    return result.code, result.out, result.err


def test_the_ebi_is_a_mean_about_the_latest_session(journal: Path) -> None:
    with vaults.unlock(journal, PASSPHRASE) as vault:
        session = vault.sessions.add(Session(started_at=vault.sessions._clock()))
    code, out, err = _checkin(journal, "ebi", "50,60,70,80,90,100")
    assert code == 0, err
    assert out == "EBI mean 75 of 100. Saved.\n"
    with vaults.unlock(journal, PASSPHRASE) as vault:
        (saved,) = vault.checkins.all("ebi")
    assert saved.session_id == session.id and saved.total == 75.0


def test_the_pcl5_and_its_screening_line(journal: Path) -> None:
    assert _checkin(journal, "pcl5", *["2"] * 20)[1] == "PCL-5 total 40 of 80. Saved.\n"
    code, out, _ = _checkin(journal, "pcl5", *["1"] * 20)
    lines = out.splitlines()
    assert code == 0 and lines[1].startswith("Change from your first PCL-5 (")
    assert lines[1].endswith(": -20 points (-50%).")
    assert "below the screening line" in lines[2] and "not a diagnosis" in lines[2]
    code, _, err = _checkin(journal, "pcl5", *["5"] * 20)
    assert code == 1 and "from 0 to 4" in err


def test_a_questionnaire_from_the_clinician_needs_no_code(journal: Path, tmp_path: Path) -> None:
    file = tmp_path / "calm.toml"
    file.write_text(GOOD)
    assert cli(journal, "instruments", "validate", str(file)).out.startswith(
        "calm.toml is a valid questionnaire: Calm (2 items)."
    )
    imported = cli(journal, "instruments", "import", str(file), stdin=f"{PASSPHRASE}\n")
    assert imported.code == 0 and "as calm-scale" in imported.out
    listed = cli(journal, "instruments", "list", stdin=f"{PASSPHRASE}\n").out
    assert "calm-scale" in listed and "Calm (from your clinician)" in listed
    assert "phq9" in listed and "ebi" in listed and "pcl5" in listed
    shown = cli(journal, "instruments", "show", "calm-scale", stdin=f"{PASSPHRASE}\n").out
    assert "1. I felt calm" in shown and "0–1: low" in shown
    assert _checkin(journal, "calm-scale", "2", "1")[1] == "Calm total 3 of 4: high. Saved.\n"
    assert "Calm    3 / 4   high" in _checkin(journal, "list")[1]


def test_a_wrong_questionnaire_file_says_where_and_changes_nothing(
    journal: Path, tmp_path: Path
) -> None:
    file = tmp_path / "calm.toml"
    file.write_text(GOOD.replace("from = 2\n", "from = 3\n"))
    before = snapshot(journal.parent)
    result = cli(journal, "instruments", "import", str(file), stdin=f"{PASSPHRASE}\n")
    assert result.code == 1 and result.err.startswith("calm.toml, line 12: band 2 starts at 3")
    assert snapshot(journal.parent) == before
    unknown = _checkin(journal, "no-such-thing", "1")
    assert unknown[0] == 1 and 'no questionnaire called "no-such-thing"' in unknown[2]
