"""The app's read paths on the encrypted vault and on a plain SQLite copy:
search as you type, and SQLCipher's overhead per class of query."""

from __future__ import annotations

import inspect
import random
from functools import partial
from pathlib import Path
from typing import Any

import sqlcipher3

from benchmarks.data import PASSPHRASE, search_queries
from benchmarks.figures import Figure, median, percentile, timed
from journal.core.journal import timeline
from journal.core.vault import vault as vaults
from journal.core.vault.db import Database
from journal.core.vault.repositories import Repositories

# The home screen's first page when `timeline.page` takes no default limit.
TIMELINE_LIMIT = 200
CLASSES = ("search", "timeline", "open entry")
CLASS_NAMES = {
    "search": "search as you type",
    "timeline": "the home timeline at unlock",
    "open entry": "opening an entry",
}


def plain_copy(vault: vaults.Vault, target: Path) -> None:
    """An unencrypted copy of the vault (SQLCipher's export), for the baseline."""
    vault.db.execute(f"ATTACH DATABASE '{target}' AS plain KEY ''")
    vault.db.execute("SELECT sqlcipher_export('plain')")
    vault.db.execute("DETACH DATABASE plain")


class PlainJournal:
    """The plain copy behind the vault's own repositories (what `Vault`
    offers as attributes, without the encryption)."""

    def __init__(self, path: Path) -> None:
        conn = sqlcipher3.connect(str(path), isolation_level=None)
        for pragma in ("journal_mode = WAL", "synchronous = FULL", "temp_store = MEMORY"):
            conn.execute(f"PRAGMA {pragma}")
        self.db = Database(conn)
        self.repos = Repositories(self.db, clock=vaults.local_now)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.repos, name)


def open_plain(path: Path) -> PlainJournal:
    return PlainJournal(path)


def home_timeline(target: Any) -> object:
    """What the home screen loads at unlock: the first page of the timeline
    (`timeline.page`, at its default size) where there is one, else all of it."""
    page = getattr(timeline, "page", None)
    if page is None:
        return timeline.build(target)
    limit = inspect.signature(page).parameters.get("limit")
    if limit is not None and limit.default is not inspect.Parameter.empty:
        return page(target, after=None).rows
    return page(target, after=None, limit=TIMELINE_LIMIT).rows


def timeline_kind() -> str:
    return "first page" if hasattr(timeline, "page") else "whole timeline"


def app_queries(target: Any, queries: list[str], entry_ids: list[int]) -> dict[str, list[float]]:
    """The app's own read paths: search as you type, the home timeline, opening entries."""
    pages = 30 if hasattr(timeline, "page") else 3  # a page is quick: more runs, less noise
    return {
        "search": [timed(partial(target.search, q)) for q in queries],
        "timeline": [timed(partial(home_timeline, target)) for _ in range(pages)],
        "open entry": [timed(partial(target.entries.get, i)) for i in entry_ids],
    }


def search_and_overhead(
    path: Path, plain: Path, *, rounds: int = 3, label: str = ""
) -> list[Figure]:
    """Search as you type (p95, p50) and SQLCipher's overhead per class of
    query, alternating encrypted and plain ``rounds`` times: each class's
    figure is the median of its per-round ratios. ``label`` ends each name
    (the journal's size, in ``--large``)."""
    queries = search_queries()
    with vaults.unlock(path, PASSPHRASE) as vault:
        ids = vault.entries.ids()
        entry_ids = random.Random(3).sample(ids, min(200, len(ids)))
        if not plain.exists():
            plain_copy(vault, plain)
        plain_target = open_plain(plain)
        # Warm both the same way, then alternate: the machine drifts.
        for target in (vault, plain_target):
            app_queries(target, queries[:20], entry_ids[:20])
        plain_target.db.execute("PRAGMA cache_size = -32000")  # as the vault's connection
        search: list[float] = []
        ratios: dict[str, list[float]] = {name: [] for name in (*CLASSES, "all")}
        for _ in range(rounds):
            results = {"enc": app_queries(vault, queries, entry_ids)}
            results["plain"] = app_queries(plain_target, queries, entry_ids)
            search += results["enc"]["search"]
            for name in CLASSES:
                ratios[name].append(sum(results["enc"][name]) / sum(results["plain"][name]))
            totals = {key: sum(sum(v) for v in r.values()) for key, r in results.items()}
            ratios["all"].append(totals["enc"] / totals["plain"])
        plain_target.db.close()
    suffix = f" · {label}" if label else ""
    p95, p50 = percentile(search, 0.95), percentile(search, 0.5)
    figures = [
        Figure(
            f"search as you type, p95 ({len(queries)} keystrokes){suffix}",
            "ms",
            [p95],
            "≤ 30 ms",
            p95 <= 30,
            extra={"p50": p50, "max": max(search)},
        ),
        Figure(f"search as you type, p50{suffix}", "ms", [p50]),
    ]
    for name in CLASSES:
        overhead = median(ratios[name])
        figures.append(
            Figure(
                f"SQLCipher overhead: {CLASS_NAMES[name]} (× plain SQLite){suffix}",
                "×",
                ratios[name],
                "≤ 1.3 ×",
                overhead <= 1.3,
                note=f"{timeline_kind()} of the timeline" if name == "timeline" else "",
            )
        )
    figures.append(
        Figure(
            f"SQLCipher overhead: all three together (× plain SQLite){suffix}",
            "×",
            ratios["all"],
            note="weighted by time, so search dominates; each class is judged on its own",
        )
    )
    return figures
