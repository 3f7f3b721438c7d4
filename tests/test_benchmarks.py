"""The benchmark suite still runs: every measurement once, on a tiny journal
(figures are not checked against targets here — see docs/performance.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import measures
from benchmarks.__main__ import main, table
from benchmarks.data import PASSPHRASE, populate, search_queries
from journal.core.vault import vault as vaults
from tests.conftest import FAST_KDF


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "journal.vault"
    vault, _ = vaults.create(path, PASSPHRASE, kdf=FAST_KDF)
    with vault:
        populate(vault, entries=40, sessions=24, motifs=10, attachment_bytes=1_000_000)
        assert len(vault.attachments.all()) == 2 and len(vault.sessions.all()) == 24
    return path


def test_the_data_is_reproducible(tmp_path: Path) -> None:
    titles = []
    for name in ("a", "b"):
        vault, _ = vaults.create(tmp_path / name / "j.vault", PASSPHRASE, kdf=FAST_KDF)
        with vault:
            populate(vault, entries=5, sessions=2, motifs=3, attachment_bytes=0)
            titles.append([s.title for s in vault.entries.summaries()])
    assert titles[0] == titles[1] and len(titles[0]) == 5
    assert search_queries() == search_queries() and len(search_queries()) > 200


@pytest.mark.slow
def test_every_measurement_runs(tiny: Path, tmp_path: Path) -> None:
    small = tmp_path / "small" / "journal.vault"
    small.parent.mkdir()
    vaults.create(small, PASSPHRASE, kdf=FAST_KDF)[0].close()
    figures = [
        measures.cold_start(tiny, 1),
        measures.unlock_to_home(tiny, tmp_path, 1),
        *measures.search_and_overhead(tiny, tmp_path / "plain.db"),
        measures.keystrokes(tiny, tmp_path, 5),
        *measures.export_and_open(tiny, tmp_path, 1),
        measures.peak_memory(tiny),
        *measures.cli_process(tiny, small, 1),
    ]
    assert all(f.values and all(v > 0 for v in f.values) for f in figures)
    assert "| figure | median |" in table(figures)
    data = {f.name: f.as_json() for f in figures}
    assert json.loads(json.dumps(data))["peak memory: unlock, home, searches, trends, prepare"]


def test_the_runner_refuses_unknown_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--no-such-option"])
    assert "usage: python -m benchmarks" in capsys.readouterr().err
