"""The regression check: this run's figures against the baseline committed in
``benchmarks/results/baseline.json``, made in the same mode (quick, full or
large; figures of different modes are different journals).

A figure regressed when it is more than 1.5× worse than its baseline, in its
own direction (``better``: lower or higher), and worse by more than a small
absolute noise floor for its unit: a 0.4 ms figure that becomes 0.9 ms is
noise on this kind of machine, not a regression.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.figures import value_text

FACTOR = 1.5
# Differences under these never count, whatever the ratio.
NOISE_FLOOR = {"ms": 2.0, "s": 0.002, "MB": 2.0, "×": 0.05}


@dataclass(frozen=True)
class Change:
    name: str
    unit: str
    before: float
    now: float

    @property
    def ratio(self) -> float:
        return self.now / self.before if self.before else math.inf

    def line(self) -> str:
        return (
            f"  {self.name}: {value_text(self.before, self.unit)} → "
            f"{value_text(self.now, self.unit)} ({self.ratio:.2f}× the baseline)"
        )


@dataclass
class Comparison:
    """What the check found. ``skipped`` says why nothing was compared."""

    regressions: list[Change] = field(default_factory=list)
    improvements: list[Change] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # in the baseline, not in this run
    new: list[str] = field(default_factory=list)  # in this run, not in the baseline
    skipped: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.regressions)


def worse(before: float, now: float, *, unit: str, better: str = "lower") -> bool:
    """True when ``now`` is more than `FACTOR` times worse than ``before``
    and worse by more than the unit's noise floor."""
    floor = NOISE_FLOOR.get(unit, 0.0)
    by = now - before if better == "lower" else before - now
    if by <= floor:
        return False
    if better == "lower":
        return before <= 0 or now > before * FACTOR
    return now <= 0 or before > now * FACTOR


def compare(run: Mapping[str, Any], baseline: Mapping[str, Any]) -> Comparison:
    """This run's figures (the JSON the suite writes) against the baseline's.
    Figures without a number (NaN) are left out; so is everything when the
    modes differ."""
    if run.get("mode") != baseline.get("mode"):
        return Comparison(
            skipped=f"the baseline was made in {baseline.get('mode', 'an unknown')} mode, "
            f"this run is {run.get('mode')}"
        )
    now_figures, before_figures = run.get("figures", {}), baseline.get("figures", {})
    result = Comparison(
        missing=sorted(set(before_figures) - set(now_figures)),
        new=sorted(set(now_figures) - set(before_figures)),
    )
    for name, figure in now_figures.items():
        if name not in before_figures:
            continue
        before, now = float(before_figures[name]["median"]), float(figure["median"])
        if math.isnan(before) or math.isnan(now):
            continue
        unit, better = figure.get("unit", ""), figure.get("better", "lower")
        change = Change(name, unit, before, now)
        if worse(before, now, unit=unit, better=better):
            result.regressions.append(change)
        elif worse(now, before, unit=unit, better=better):
            result.improvements.append(change)
    return result


def report(comparison: Comparison, baseline_path: Path) -> str:
    """What the check prints: a loud block when a figure regressed."""
    if comparison.skipped:
        return f"Not compared with {baseline_path.name}: {comparison.skipped}."
    lines: list[str] = []
    if comparison.regressions:
        bar = "!" * 78
        lines += [
            bar,
            f"REGRESSION: {len(comparison.regressions)} figure(s) more than {FACTOR}× worse "
            f"than {baseline_path}:",
            *(c.line() for c in comparison.regressions),
            bar,
        ]
    else:
        lines.append(f"No figure is more than {FACTOR}× worse than {baseline_path.name}.")
    if comparison.improvements:
        lines += [f"Better than {FACTOR}× the baseline (update it?):"]
        lines += [c.line() for c in comparison.improvements]
    if comparison.missing:
        lines.append("In the baseline but not measured now: " + "; ".join(comparison.missing))
    if comparison.new:
        lines.append("New, not in the baseline: " + "; ".join(comparison.new))
    return "\n".join(lines)


def load(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def save(path: Path, run: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
