"""What every repository shares: the database, the clock, and keyset pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from journal.core.text import stamp
from journal.core.vault.db import Database

# A row's place in an order by a stored time, then by id: where a page ends.
Position = tuple[datetime, int]
# Beyond every id, each way: a position at a time with one of these stands
# before, or after, all the rows of that second.
MIN_ID, MAX_ID = -(2**63), 2**63 - 1


def keyset(
    column: str,
    after: Position | None,
    *,
    newest_first: bool,
    ids_descending: bool,
    limit: int,
) -> tuple[str, str, list[object]]:
    """The condition, the ORDER BY … LIMIT and their parameters that read the
    ``limit`` rows strictly after ``after`` in the order of ``column`` (a
    stored time), then ``id``.

    A page is a range of an index whose columns run in this order, so it costs
    the same in a journal of any size (no OFFSET, no sort of every row). When
    time and id run the same way the bound is one row-value comparison; when
    they run opposite ways, the index is entered at the time and the few rows
    of that very second are filtered."""
    time_order, id_order = (
        ("DESC" if newest_first else "ASC"),
        ("DESC" if ids_descending else "ASC"),
    )
    tail = f"ORDER BY {column} {time_order}, id {id_order} LIMIT ?"
    if after is None:
        return "1", tail, [limit]
    moment, last_id = stamp(after[0]), after[1]
    beyond_time, beyond_id = ("<" if newest_first else ">"), ("<" if ids_descending else ">")
    if newest_first == ids_descending:
        condition = f"({column}, id) {beyond_time} (?, ?)"
        return condition, tail, [moment, last_id, limit]
    condition = f"{column} {beyond_time}= ? AND ({column} {beyond_time} ? OR id {beyond_id} ?)"
    return condition, tail, [moment, moment, last_id, limit]


class Repository:
    def __init__(self, db: Database, *, clock: Callable[[], datetime]) -> None:
        self._db = db
        self._clock = clock

    def _now(self) -> str:
        return stamp(self._clock())
