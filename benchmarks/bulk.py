"""Writing a journal of 100,000 entries quickly: the rows are made in a
second process while this one writes the previous batch, and the search
index is filled once at the end from the schema's own triggers instead of
row by row.

Measured on the 2-core machine: one entry at a time through the repository,
10,000 entries took 22 s (100,000 would take about four minutes); with
``executemany`` and the triggers firing per row, the 100,000-entry journal
with 2 GB of attachments took 184 s; as here, 124–140 s. Most of what is
left is the search index (tokenising 50 million words, with prefix indexes).
"""

from __future__ import annotations

import multiprocessing
import random
import re
from collections.abc import Callable, Iterator
from typing import Any

from journal.core.vault.db import Database

# A trigger that adds one row elsewhere for each row inserted:
# ``CREATE TRIGGER name AFTER INSERT ON table BEGIN INSERT INTO … VALUES (…); END``.
_ONE_INSERT = re.compile(
    r"CREATE TRIGGER (?P<name>\w+) AFTER INSERT ON (?P<table>\w+) BEGIN "
    r"(?P<insert>INSERT INTO [^;]+?\)) VALUES \((?P<values>[^;]*)\); END",
    re.DOTALL,
)


def made_aside(make: Callable[[], Iterator[Any]], rng: random.Random) -> Iterator[Any]:
    """The items of ``make()``, made in a forked child while the caller uses
    the ones before. ``make`` draws from ``rng``; when the items are used up,
    ``rng`` is where the child left it, so the caller draws on exactly as if
    it had made them itself."""
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)

    def child() -> None:
        for item in make():
            sending.send(("item", item))
        sending.send(("end", rng.getstate()))

    process = context.Process(target=child, daemon=True)
    process.start()
    sending.close()
    try:
        while True:
            try:
                kind, value = receiving.recv()
            except EOFError:
                raise RuntimeError("the process making the rows ended early") from None
            if kind == "end":
                rng.setstate(value)
                return
            yield value
    finally:
        receiving.close()
        process.join()


class IndexedAfter:
    """Within a transaction: drop the row-by-row insert triggers of ``tables``
    that have the one-INSERT shape (the search index's), and on `finish`
    run each once over the rows added since, then put the trigger back.
    Other triggers (the timeline's preview) stay and fire as usual."""

    def __init__(self, db: Database, tables: tuple[str, ...]) -> None:
        self._db = db
        self._bulk: list[tuple[str, str, int]] = []  # (trigger SQL, bulk SQL, first new id)
        rows = db.query("SELECT sql FROM sqlite_master WHERE type = 'trigger'")
        for row in rows:
            match = _ONE_INSERT.fullmatch(" ".join(str(row["sql"]).split()))
            if match is None or match["table"] not in tables:
                continue
            table = match["table"]
            bulk = (
                f"{match['insert']} SELECT {match['values']} FROM {table} AS new "
                "WHERE new.id >= ? ORDER BY new.id"
            )
            first = int(db.scalar(f"SELECT coalesce(max(id), 0) FROM {table}")) + 1
            self._bulk.append((str(row["sql"]), bulk, first))
            db.execute(f"DROP TRIGGER {match['name']}")

    def finish(self) -> None:
        for trigger, bulk, first in self._bulk:
            self._db.execute(bulk, (first,))
            self._db.execute(trigger)
        self._bulk = []
