"""`--large`: the figures on journals of 1,000, 10,000 and 100,000 entries
(the last with 2 GB of attachments), how each grows from one size to the
next, and keeping the largest safe (check, backup, restore, export of
everything) and a bundle of ~500 MB, each with its time and peak memory.

A figure that grows faster than the data it touches is a defect to fix or
to explain in docs/performance.md.
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from benchmarks import exports, in_app, processes, queries, safekeeping
from benchmarks.data import build
from benchmarks.figures import Figure, step, value_text

SIZES = (1_000, 10_000, 100_000)
# (sessions, images, large files): the journals of the quick and the full
# suite, then one ten times as long — ten times the sessions of 50 entries,
# not sessions ten times as long, so "export 20 sessions" exports as much
# at 10,000 as at 100,000 entries (and the bundle stays under the reader's
# limit of 5,000 files). 50 MB of images on the first 20 sessions; at
# 100,000 entries 8 MB files on the later ones: 2 GB of attachments in all.
JOURNALS = {
    1_000: (200, 5_000_000, 0),
    10_000: (200, 50_000_000, 0),
    100_000: (2_000, 50_000_000, 1_950_000_000),
}


def label(entries: int) -> str:
    return f"{entries:,} entries"


def build_all(scratch: Path) -> dict[int, Path]:
    paths = {}
    for entries in SIZES:
        path = scratch / str(entries) / "journal.vault"
        path.parent.mkdir(parents=True)
        sessions, images, large = JOURNALS[entries]
        make = partial(
            build,
            path,
            entries=entries,
            sessions=sessions,
            attachment_bytes=images,
            large_bytes=large,
        )
        step(f"built {label(entries)}", make)
        paths[entries] = path
    return paths


def run(scratch: Path, repeat: int) -> list[Figure]:
    """Every figure of `--large`, named with the journal's size where it has one."""
    print(f"Building journals of {', '.join(f'{n:,}' for n in SIZES)} entries…", file=sys.stderr)
    paths = build_all(scratch)
    biggest = paths[SIZES[-1]]
    sizes = {path: label(n) for n, path in paths.items()}
    figures = step(
        "cold start and the demo", lambda: processes.window_starts(biggest, scratch, repeat)
    )
    unlock = step(
        "unlock to home", lambda: in_app.unlock_times(list(paths.values()), scratch, repeat)
    )
    figures += in_app.unlock_figures(unlock, sizes, flat_from=paths[SIZES[0]])
    times = step("command line", lambda: processes.cli_times(list(paths.values()), repeat))
    smaller: Path | None = None
    for path in paths.values():
        figures += processes.cli_figures(times, path, smaller, sizes[path])
        smaller = path
    for entries, path in paths.items():
        figures += at_size(path, scratch, entries, repeat)
    figures += step("the bundle of ~500 MB", lambda: exports.big_bundle(biggest, scratch))
    figures += step(
        f"check, backup, restore, export-all · {sizes[biggest]}",
        lambda: safekeeping.safekeeping(biggest, scratch),
    )
    return figures


def at_size(path: Path, scratch: Path, entries: int, repeat: int) -> list[Figure]:
    """The figures measured on one journal at a time: search and SQLCipher's
    overhead, keystrokes, export and open, peak memory (fewer runs at 100,000)."""
    name = label(entries)
    many = entries >= 100_000
    plain = path.parent / "plain.db"
    search = partial(queries.search_and_overhead, path, plain, rounds=1 if many else 2, label=name)
    figures = step(f"search · {name}", search)
    plain.unlink()
    figures.append(
        step(f"keystrokes · {name}", partial(in_app.keystrokes, path, scratch, 60, name))
    )
    export = partial(
        exports.export_and_open, path, scratch, 1 if many else repeat, label=name, share_code=False
    )
    figures += step(f"export · {name}", export)
    figures.append(step(f"peak memory · {name}", partial(processes.peak_memory, path, name)))
    return figures


def growth_table(figures: Sequence[Figure], sizes: Sequence[int] = SIZES) -> str:
    """A row per figure measured at each size: its median at each, and how
    much it grew from each size to the next."""
    by_name: dict[str, dict[str, Figure]] = {}
    for figure in figures:
        name, _, size = figure.name.rpartition(" · ")
        if name and size in {label(n) for n in sizes}:
            by_name.setdefault(name, {})[size] = figure
    columns = [label(n) for n in sizes]
    ratios = [f"{b // 1000}k / {a // 1000}k" for a, b in itertools.pairwise(sizes)]
    lines = [
        "| figure | " + " | ".join(f"{n:,}" for n in sizes) + " | " + " | ".join(ratios) + " |",
        "|---|" + "---:|" * (len(columns) + len(ratios)),
    ]
    for name, at in by_name.items():
        if len(at) < 2:
            continue
        medians = [at[c].median if c in at else None for c in columns]
        cells = [
            value_text(m, at[c].unit) if m is not None else ""
            for m, c in zip(medians, columns, strict=True)
        ]
        grew = [
            f"{b / a:.2f}×" if a and b is not None and a > 0 else ""
            for a, b in itertools.pairwise(medians)
        ]
        lines.append(f"| {name} | " + " | ".join(cells + grew) + " |")
    return "\n".join(lines)


def elapsed_note(started: float) -> str:
    minutes = (time.perf_counter() - started) / 60
    return f"`--large` took {minutes:.1f} minutes (the bound is 15)"
