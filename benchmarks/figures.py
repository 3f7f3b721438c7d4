"""A measured figure, the helpers every measurement uses, and the Markdown
table the suite prints."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class Figure:
    """Values from repeated runs, a target, and whether the target was met.

    ``better`` is the direction the regression check respects: ``"lower"``
    (every figure so far: times, ratios, memory) or ``"higher"``.
    """

    name: str
    unit: str
    values: list[float]
    target: str = ""
    ok: bool | None = None
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)
    better: str = "lower"

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "median": self.median,
            "min": min(self.values),
            "max": max(self.values),
            "runs": len(self.values),
            "target": self.target,
            "met": self.ok,
            "note": self.note,
            "better": self.better,
            **self.extra,
        }


def timed(action: Callable[[], object]) -> float:
    """Milliseconds ``action`` takes."""
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def step(name: str, action: Callable[[], T]) -> T:
    """Run one step of the suite, saying on standard error how long it took."""
    start = time.perf_counter()
    result = action()
    print(f"  {name}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    return result


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def value_text(value: float, unit: str) -> str:
    """``1.08×``, ``291 ms``, ``11.6 ms``, ``158 MB``: digits that mean something."""
    if unit == "×":
        return f"{value:.2f}×"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:,.{digits}f} {unit}"


def table(figures: Sequence[Figure]) -> str:
    """The figures as a Markdown table (median, min, max, runs, target, met),
    then a note per figure that has one."""
    lines = [
        "| figure | median | min | max | runs | target | met |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for f in figures:
        met = {True: "yes", False: "**no**", None: ""}[f.ok]
        lines.append(
            f"| {f.name} | {value_text(f.median, f.unit)} | {min(f.values):.2f} "
            f"| {max(f.values):.2f} | {len(f.values)} | {f.target} | {met} |"
        )
    notes = [f"- {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join(lines + (["", *notes] if notes else []))
