"""The benchmark suite still runs: every measurement once, on a tiny journal
(figures are not checked against targets here — see docs/performance.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pyrage
import pytest

from benchmarks import exports, in_app, large, processes, queries, safekeeping
from benchmarks.__main__ import main
from benchmarks.data import PASSPHRASE, populate, search_queries
from benchmarks.figures import Figure, table
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
    vault, _ = vaults.create(small, PASSPHRASE, kdf=FAST_KDF)
    with vault:
        populate(vault, entries=4, sessions=2, motifs=2, attachment_bytes=0)
    figures = [
        *processes.window_starts(tiny, tmp_path, 1),
        *in_app.unlock_figures(
            in_app.unlock_times([tiny, small], tmp_path, 1),
            {tiny: "tiny", small: "smaller"},
            flat_from=small,
        ),
        *queries.search_and_overhead(tiny, tmp_path / "plain.db", rounds=1),
        in_app.keystrokes(tiny, tmp_path, 5),
        *exports.export_and_open(tiny, tmp_path, 1),
        processes.peak_memory(tiny),
        *processes.cli_process(tiny, small, 1),
    ]
    assert all(f.values for f in figures)
    names = " ".join(f.name for f in figures)
    for measured in (
        "cold start",
        "--demo",
        "beyond the Argon2id unwrap",
        "growth",
        "opening an entry",
    ):
        assert measured in names
    assert "| figure | median |" in table(figures)
    data = {f.name: f.as_json() for f in figures}
    assert json.loads(json.dumps(data))["peak memory: unlock, home, searches, trends, prepare"]


def test_the_search_index_written_in_bulk_is_the_triggers_own(tiny: Path) -> None:
    """`populate` fills the index once at the end: the same rows the triggers
    would have written, and the triggers back in place."""
    with vaults.unlock(tiny, PASSPHRASE) as vault:
        rows = {
            tuple(r)
            for r in vault.db.query("SELECT rowid, entry_id, title, body FROM search_index")
        }
        answers = vault.db.query("SELECT id, entry_id, body FROM answers")
        entries = vault.db.query("SELECT id, title, preview FROM entries")
        assert {(a["id"] * 8 + 2, a["entry_id"], "", a["body"]) for a in answers} <= rows
        assert {(e["id"] * 8 + 1, e["id"], e["title"], "") for e in entries} <= rows
        assert all(e["preview"] for e in entries)
        triggers = {
            r[0] for r in vault.db.query("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        assert {"answers_fts_insert", "entries_fts_insert", "answers_preview_insert"} <= triggers
        assert vault.check() == []
        assert vault.search("door")


def test_the_scrypt_work_factor_is_read_from_the_file_head() -> None:
    head = bytes(pyrage.passphrase.encrypt(b"x" * 100, "probe"))[:256]
    assert head.startswith(b"age-encryption.org/v1\n-> scrypt ")
    log_n = int(head.split(b"\n")[1].split()[3])
    assert safekeeping.scrypt_megabytes(head) == 2**log_n / 1024
    assert safekeeping.scrypt_megabytes(b"age-encryption.org/v1\n-> X25519 abc\n") == 0.0


def test_the_growth_table_has_a_column_per_size() -> None:
    figures = [
        Figure(f"search · {large.label(n)}", "ms", [value])
        for n, value in zip(large.SIZES, (2, 4, 40), strict=True)
    ] + [Figure("cold start", "×", [1.2])]
    lines = large.growth_table(figures).splitlines()
    assert lines[0] == "| figure | 1,000 | 10,000 | 100,000 | 10k / 1k | 100k / 10k |"
    assert lines[2] == "| search | 2.00 ms | 4.00 ms | 40.0 ms | 2.00× | 10.00× |"
    assert len(lines) == 3


@pytest.mark.slow
def test_the_large_steps_run(tiny: Path, tmp_path: Path) -> None:
    """Keeping safe and the big bundle, on a tiny journal: every child reports
    its peak memory (also when the CLI leaves through os._exit)."""
    figures = exports.big_bundle(tiny, tmp_path) + safekeeping.safekeeping(tiny, tmp_path)
    peaks = [f.median for f in figures if f.unit == "MB"]
    assert len(peaks) == 6 and all(20 < p < 1000 for p in peaks[:5])
    # export-all encrypts with age's scrypt, whose memory age tunes to this
    # machine's speed at that moment: allow it twice what it takes now.
    scrypt = safekeeping.scrypt_megabytes(bytes(pyrage.passphrase.encrypt(b"", "probe")))
    assert scrypt >= 1 and 20 < peaks[5] < 1000 + 2 * scrypt
    assert "age's scrypt held" in figures[-2].note  # the time figure carries the note
    with vaults.unlock(tiny, PASSPHRASE) as vault:  # restored from its own backup
        assert len(vault.entries.ids()) == 40 and vault.check() == []


def test_the_runner_refuses_unknown_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--no-such-option"])
    assert "usage: python -m benchmarks" in capsys.readouterr().err
