"""The benchmark suite's regression check: what counts as a regression
against the committed baseline, and what the suite does about it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import baseline
from benchmarks.__main__ import check, result
from benchmarks.figures import Figure


def run(
    mode: str = "full", **medians: tuple[float, str] | tuple[float, str, str]
) -> dict[str, Any]:
    figures = [
        Figure(name, spec[1], [spec[0]], better=spec[2] if len(spec) > 2 else "lower")
        for name, spec in medians.items()
    ]
    return json.loads(json.dumps(result(mode, "a run", figures)))


def test_a_figure_more_than_half_again_worse_is_a_regression() -> None:
    before = run(search=(10.0, "ms"), memory=(150.0, "MB"), ratio=(1.1, "×"))
    now = run(search=(15.5, "ms"), memory=(230.0, "MB"), ratio=(1.2, "×"))
    found = baseline.compare(now, before)
    assert [c.name for c in found.regressions] == ["search", "memory"]
    assert found.failed and not found.improvements
    assert found.regressions[0].ratio == pytest.approx(1.55)


def test_exactly_one_and_a_half_times_is_not_yet_a_regression() -> None:
    assert not baseline.compare(run(a=(15.0, "ms")), run(a=(10.0, "ms"))).failed


def test_improvements_are_fine_and_listed() -> None:
    found = baseline.compare(run(search=(4.0, "ms")), run(search=(10.0, "ms")))
    assert not found.failed
    assert [c.name for c in found.improvements] == ["search"]


def test_the_direction_of_a_figure_is_respected() -> None:
    """For a figure where higher is better, falling to a third is the regression."""
    before = run(throughput=(300.0, "MB", "higher"))
    assert baseline.compare(run(throughput=(100.0, "MB", "higher")), before).failed
    assert not baseline.compare(run(throughput=(900.0, "MB", "higher")), before).failed


def test_tiny_figures_do_not_flap_under_the_noise_floor() -> None:
    """0.4 ms → 1.9 ms is almost 5×, but under 2 ms of difference: noise."""
    assert not baseline.compare(run(key=(1.9, "ms")), run(key=(0.4, "ms"))).failed
    assert not baseline.compare(run(peak=(3.0, "MB")), run(peak=(1.5, "MB"))).failed
    assert baseline.compare(run(key=(2.5, "ms")), run(key=(0.4, "ms"))).failed


def test_a_baseline_of_another_mode_is_not_compared() -> None:
    found = baseline.compare(run("quick", a=(100.0, "ms")), run("full", a=(1.0, "ms")))
    assert not found.failed and "full" in found.skipped
    assert "Not compared" in baseline.report(found, Path("baseline.json"))


def test_missing_and_new_figures_are_named_not_failed() -> None:
    found = baseline.compare(run(new=(5.0, "ms")), run(gone=(5.0, "ms")))
    assert (found.missing, found.new, found.failed) == (["gone"], ["new"], False)
    text = baseline.report(found, Path("baseline.json"))
    assert "gone" in text and "new" in text


def test_a_figure_without_a_number_is_left_out() -> None:
    assert not baseline.compare(run(a=(float("nan"), "MB")), run(a=(100.0, "MB"))).failed


def test_the_suite_prints_a_loud_block_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "baseline.json"
    assert check(run(a=(10.0, "ms")), save=True, compare=False, path=path) == 0
    assert check(run(a=(40.0, "ms")), save=False, compare=True, path=path) == 1
    out = capsys.readouterr().out
    assert "REGRESSION" in out and "a: 10.0 ms → 40.0 ms (4.00× the baseline)" in out
    assert check(run(a=(40.0, "ms")), save=False, compare=False, path=path) == 0
    assert check(run(a=(11.0, "ms")), save=False, compare=True, path=path) == 0


def test_no_baseline_is_said_not_failed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(run(a=(1.0, "ms")), save=False, compare=True, path=tmp_path / "none.json") == 0
    assert "No baseline" in capsys.readouterr().out
