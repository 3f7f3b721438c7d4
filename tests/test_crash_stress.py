"""A small run of the crash stress script (tools/crash_stress.py): a writer
killed with SIGKILL at random moments; the vault must stay whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import crash_stress


@pytest.mark.slow
def test_random_kills_lose_nothing_acknowledged(tmp_path: Path) -> None:
    outcome = crash_stress.stress(tmp_path, runs=12, seed=7)
    assert outcome.problems == []
    assert outcome.runs == 12 and outcome.entries > 0
