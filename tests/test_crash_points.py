"""The crash-point harness's quick run (tools/crash_points.py --quick): every
writing command killed at its renames and fsyncs and at every second write,
and the journal checked after each kill. The thorough run (every point) is in
docs/security.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.timeout(1260)  # the harness's own bound below, and a minute to report
def test_every_writer_holds_at_its_crash_points() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "crash_points.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    tried = sum(
        int(line.split(": ")[1].split()[0])
        for line in run.stdout.splitlines()
        if " crash points, " in line
    )
    assert tried >= 300, report  # the quick run is still a few hundred kills
    for scenario in (
        "init",
        "add",
        "passwd",
        "recover",
        "backup",
        "restore",
        "export",
        "export-all",
        "templates-import",
        "import",
        "patients-keep",
        "patients-remove",
        "sync",
        "app",
        "app-before",
    ):
        assert f"{scenario}: " in run.stdout, report
