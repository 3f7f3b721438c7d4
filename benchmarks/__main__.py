"""The benchmark suite.

    python -m benchmarks                  # full: 10,000 entries (about 10 minutes)
    python -m benchmarks --quick          # 1,000 entries, fewer runs (under 2 minutes)
    python -m benchmarks --large          # 1,000, 10,000 and 100,000 entries with 2 GB
                                          # of attachments (under 15 minutes)
    python -m benchmarks --save-baseline  # … and make this run the baseline
    python -m benchmarks --no-check       # … without comparing with the baseline

Builds reproducible journals (fixed seed; see `benchmarks.data`; generated,
never stored), compiles the app's bytecode so measured children do not,
runs each measurement several times, prints a Markdown table (median, min,
max, runs, target, met) — with `--large` also how each figure grows from
one size to the next — and writes the figures as JSON to
``benchmarks/results/latest.json`` (or ``--json PATH``). Baselines run beside
what they are compared with, in the same run: the app's queries on a plain
SQLite copy, a bare PySide6 window, the Argon2id derivation alone. Quote
ratios and medians from one run; this kind of machine varies by up to 1.7×
between runs. How long each step took goes to standard error.

Then the regression check: each figure against
``benchmarks/results/baseline.json`` when that was made in the same mode.
A figure more than 1.5× worse (beyond a small noise floor, see
`benchmarks.baseline`) is listed in a loud block and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks import baseline, exports, in_app, large, processes, queries, sync
from benchmarks.children import bytecode
from benchmarks.data import build
from benchmarks.figures import Figure, step, table
from journal import __version__

RESULTS = Path(__file__).parent / "results"
BASELINE = RESULTS / "baseline.json"


def standard(scratch: Path, *, quick: bool) -> list[Figure]:
    """The full suite (``quick``: a tenth the journal, fewer runs)."""
    entries = 1_000 if quick else 10_000
    images = 5_000_000 if quick else 50_000_000
    repeat = 3 if quick else 7
    path, small = scratch / "journal.vault", scratch / "small" / "journal.vault"
    small.parent.mkdir()
    print(f"Building a journal of {entries:,} entries…", file=sys.stderr)
    step("built", lambda: build(path, entries=entries, attachment_bytes=images))
    step(
        f"built {entries // 10:,} entries",
        lambda: build(small, entries=entries // 10, attachment_bytes=images // 10),
    )
    sizes = {small: large.label(entries // 10), path: large.label(entries)}
    figures = step(
        "cold start and the demo", lambda: processes.window_starts(path, scratch, repeat)
    )
    unlock = step("unlock to home", lambda: in_app.unlock_times([small, path], scratch, repeat))
    figures += in_app.unlock_figures(unlock, sizes, flat_from=small)
    figures += step("search", lambda: queries.search_and_overhead(path, scratch / "plain.db"))
    figures += step("keystrokes", lambda: [in_app.keystrokes(path, scratch, 60 if quick else 200)])
    figures += step("export", lambda: exports.export_and_open(path, scratch, repeat))
    figures += step("peak memory", lambda: [processes.peak_memory(path)])
    figures += step("command line", lambda: processes.cli_process(path, small, repeat))
    figures += step(
        "sync",
        lambda: sync.sync_figures(scratch, changes=entries, repeat=3 if quick else 5),
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n\n")[0]
    )
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument("--quick", action="store_true", help="1,000 entries, fewer runs")
    modes.add_argument(
        "--large", action="store_true", help="1,000, 10,000 and 100,000 entries; 2 GB attached"
    )
    parser.add_argument("--json", type=Path, default=RESULTS / "latest.json")
    parser.add_argument(
        "--save-baseline", action="store_true", help=f"write this run to {BASELINE.name}"
    )
    parser.add_argument("--no-check", action="store_true", help="do not compare with the baseline")
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "large" if args.large else "full"
    started = time.perf_counter()
    step("compiled the bytecode", bytecode)
    with tempfile.TemporaryDirectory(prefix="afterglow-bench-") as scratch_name:
        scratch = Path(scratch_name)
        if args.large:
            figures = large.run(scratch, repeat=3)
        else:
            figures = standard(scratch, quick=args.quick)
    sizes = ", ".join(f"{n:,}" for n in large.SIZES) if args.large else None
    header = (
        f"Afterglow {__version__} · {mode} · "
        f"{sizes or ('1,000' if args.quick else '10,000')} entries · "
        f"Python {platform.python_version()} · {os.cpu_count()} cores · "
        f"{platform.platform(terse=True)}"
    )
    print(header + "\n")
    print(table(figures))
    if args.large:
        print("\nGrowth from one size to the next (medians):\n")
        print(large.growth_table(figures))
        print("\n" + large.elapsed_note(started))
    run = result(mode, header, figures)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    return check(run, save=args.save_baseline, compare=not args.no_check)


def result(mode: str, header: str, figures: list[Figure]) -> dict[str, Any]:
    return {"mode": mode, "run": header, "figures": {f.name: f.as_json() for f in figures}}


def check(run: dict[str, Any], *, save: bool, compare: bool, path: Path = BASELINE) -> int:
    """Compare with the baseline (unless not ``compare``), then save this run
    as the baseline when asked. 1 when a figure regressed."""
    status = 0
    before = baseline.load(path) if compare else None
    if compare and before is None:
        print(f"\nNo baseline at {path}; `--save-baseline` makes one.")
    elif before is not None:
        comparison = baseline.compare(run, before)
        print("\n" + baseline.report(comparison, path))
        status = 1 if comparison.failed else 0
    if save:
        baseline.save(path, run)
        print(f"Saved this {run['mode']} run as the baseline: {path}")
    return status


if __name__ == "__main__":
    sys.exit(main())
