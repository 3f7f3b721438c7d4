"""Unlock (key derivation + open) and search over a generated journal.

    python -m benchmarks.unlock_search [--entries 10000] [--repeat 7]

Prints a Markdown table (median, min, max) and writes JSON to
benchmarks/results/unlock_search.json. Times are medians of repeated runs in
one process; compare figures from the same run, not across machines.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.data import WORDS, populate
from journal.core import vault as vaults

PASSPHRASE = "benchmark passphrase"


def measure(action: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.vault"
        vault, _ = vaults.create(path, PASSPHRASE)
        started = time.perf_counter()
        populate(vault, entries=args.entries)
        fill_seconds = time.perf_counter() - started
        vault.close()

        def unlock_and_close() -> None:
            vaults.unlock(path, PASSPHRASE).close()

        unlock = measure(unlock_and_close, args.repeat)

        rng = random.Random(11)
        typed: list[str] = []
        for _ in range(40):  # search as you type: every prefix of a few words
            word = rng.choice(WORDS)
            typed += [word[:n] for n in range(2, len(word) + 1)]
        with vaults.unlock(path, PASSPHRASE) as open_vault:
            search = [t for q in typed for t in measure(lambda q=q: open_vault.search(q), 1)]

    rows = {
        "unlock (Argon2id + open + migrate check)": unlock,
        f"search as you type, {args.entries:,} entries ({len(search)} queries)": search,
    }
    result = {
        name: {
            "median_ms": statistics.median(values),
            "min_ms": min(values),
            "max_ms": max(values),
            "p95_ms": percentile(values, 0.95),
        }
        for name, values in rows.items()
    }
    print(f"Generated {args.entries:,} entries in {fill_seconds:.1f} s.\n")
    print("| measurement | median ms | p95 ms | min ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for name, stats in result.items():
        print(
            f"| {name} | {stats['median_ms']:.1f} | {stats['p95_ms']:.1f} | "
            f"{stats['min_ms']:.1f} | {stats['max_ms']:.1f} |"
        )
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "unlock_search.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
