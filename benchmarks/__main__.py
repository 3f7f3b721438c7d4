"""The benchmark suite.

    python -m benchmarks            # the full suite: 10,000 entries (about 10 minutes)
    python -m benchmarks --quick    # 1,000 entries, fewer runs (under a minute)

Builds a reproducible journal (fixed seed; see `benchmarks.data`), runs each
measurement several times, prints a Markdown table (median, min, max, target)
and writes the figures as JSON to ``benchmarks/results/latest.json`` (or
``--json PATH``). Baselines run beside what they are compared with, in the
same run: the app's queries on a plain SQLite copy, a bare PySide6 window.
Quote ratios and medians from one run; this kind of machine varies by up to
1.7× between runs.
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks import measures
from benchmarks.data import PASSPHRASE, populate
from journal import __version__
from journal.core.vault import vault as vaults
from journal.core.vault.keyfile import DEFAULT_KDF

RESULTS = Path(__file__).parent / "results"


def build(path: Path, entries: int, attachment_bytes: int) -> float:
    started = time.perf_counter()
    vault, _ = vaults.create(path, PASSPHRASE, kdf=DEFAULT_KDF)
    with vault:
        populate(vault, entries=entries, attachment_bytes=attachment_bytes)
    return time.perf_counter() - started


def table(figures: list[measures.Figure]) -> str:
    lines = [
        "| figure | median | min | max | runs | target | met |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for f in figures:
        unit = f" {f.unit}" if f.unit != "×" else "×"
        met = {True: "yes", False: "**no**", None: ""}[f.ok]
        lines.append(
            f"| {f.name} | {f.median:.2f}{unit} | {min(f.values):.2f} | {max(f.values):.2f} "
            f"| {len(f.values)} | {f.target} | {met} |"
        )
    notes = [f"- {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join(lines + (["", *notes] if notes else []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="1,000 entries, fewer runs")
    parser.add_argument("--json", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    entries = 1_000 if args.quick else 10_000
    attachment_bytes = 5_000_000 if args.quick else 50_000_000
    repeat = 3 if args.quick else 7
    with tempfile.TemporaryDirectory(prefix="afterglow-bench-") as scratch_name:
        scratch = Path(scratch_name)
        path, small = scratch / "journal.vault", scratch / "small" / "journal.vault"
        print(f"Building a journal of {entries:,} entries…", file=sys.stderr)
        seconds = build(path, entries, attachment_bytes)
        build(small, entries // 10, attachment_bytes // 10)
        print(f"  built in {seconds:.0f} s; measuring…", file=sys.stderr)
        figures: list[measures.Figure] = []
        steps = [
            ("cold start", lambda: [measures.cold_start(path, repeat)]),
            ("unlock to home", lambda: [measures.unlock_to_home(path, scratch, repeat)]),
            (
                "search",
                lambda: measures.search_and_overhead(path, scratch / "plain.db"),
            ),
            ("keystrokes", lambda: [measures.keystrokes(path, scratch, 60 if args.quick else 200)]),
            ("export", lambda: measures.export_and_open(path, scratch, repeat)),
            ("peak memory", lambda: [measures.peak_memory(path)]),
            ("command line", lambda: measures.cli_process(path, small, repeat)),
        ]
        for name, step in steps:
            started = time.perf_counter()
            figures += step()
            print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    header = (
        f"Afterglow {__version__} · {entries:,} entries · Python {platform.python_version()} · "
        f"{os.cpu_count()} cores · {platform.platform(terse=True)}"
    )
    print(header + "\n")
    print(table(figures))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {"run": header, "entries": entries, "figures": {f.name: f.as_json() for f in figures}},
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
