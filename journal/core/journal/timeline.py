"""The home timeline: sessions newest first, each with its entries in the
order they were written; entries outside a session stand on their own.

It is read a page at a time (`page`), newest first, each page a few index
ranges: the home screen shows the newest rows at once in a journal of any
size and reads the rest as the list scrolls. `build` reads every page.

The order, once: *blocks* newest first — a session with what belongs to it,
an entry outside any session, a meditation on its own. Blocks of one second
come session first, then entry, then meditation; sessions and meditations of
one second in the order they were added, entries the latest added first.
Inside a session its entries and meditations follow oldest first (of one
second: entries, then meditations, each in the order added).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from typing import TypeVar

from journal.core.model import EntrySummary, Meditation, Session
from journal.core.vault.repositories.base import MAX_ID, MIN_ID, Position
from journal.core.vault.vault import Vault

DEFAULT_PAGE = 200  # rows: a screenful many times over, read in a few milliseconds
_WHOLE_PAGE = 2000  # rows a page of `build`
_FIRST_READ, _MOST_READ = 8, 256  # rows a block stream reads at a time, growing
# A block's kind's rank among blocks of one second; the same ranks order the
# entries (1) and meditations (2) of one second inside a session.
_RANK = {"session": 0, "entry": 1, "meditation": 2}


def _day(moment: datetime) -> str:
    return f"{moment.astimezone():%A %d %B %Y}".replace(" 0", " ")


@dataclass(frozen=True)
class TimelineRow:
    """One line of the timeline. Its words are made when first shown: the
    home screen shows rows in batches, and formatting 10,000 dates up front
    was a third of the time from unlock to home."""

    kind: str  # "session", "entry" or "meditation"
    id: int
    when: datetime
    source: Session | EntrySummary | Meditation
    in_session: bool = False

    @cached_property
    def title(self) -> str:
        if isinstance(self.source, Session):
            return f"Session · {_day(self.source.started_at)}"
        if isinstance(self.source, Meditation):
            return self.source.summary
        title = self.source.title or self.source.phase.label
        if self.source.reflection_of is not None:
            title = f"Reflection · {title}"
        return title

    @cached_property
    def detail(self) -> str:
        if isinstance(self.source, Session):
            session = self.source
            parts = [session.route.label]
            if session.mood_before is not None or session.mood_after is not None:
                before = "–" if session.mood_before is None else str(session.mood_before)
                after = "–" if session.mood_after is None else str(session.mood_after)
                parts.append(f"mood {before} → {after}")
            if session.intention:
                parts.append(f"intention: {session.intention}")
            return " · ".join(parts)
        if isinstance(self.source, Meditation):
            when = f"{self.source.started_at.astimezone():%d %b %Y, %H:%M}"
            return f"Before the session · {when}" if self.source.session_id else when
        entry = self.source
        detail = f"{entry.phase.label} · {entry.created_at.astimezone():%d %b %Y, %H:%M}"
        if entry.edited_at is not None:
            detail += f" · edited {entry.edited_at.astimezone():%d %b %Y}"
        if entry.preview:
            detail += f"\n{entry.preview_line}"
        return detail


def _session_row(session: Session) -> TimelineRow:
    assert session.id is not None
    return TimelineRow("session", session.id, session.started_at, session)


def _entry_row(entry: EntrySummary, *, in_session: bool) -> TimelineRow:
    return TimelineRow("entry", entry.id, entry.created_at, entry, in_session)


def _meditation_row(meditation: Meditation, *, in_session: bool) -> TimelineRow:
    assert meditation.id is not None
    return TimelineRow("meditation", meditation.id, meditation.started_at, meditation, in_session)


Key = tuple[datetime, int, int]  # a row's time, rank and id


@dataclass(frozen=True)
class Cursor:
    """Where a page ended; opaque to callers, who pass it back as ``after``.

    After the block ``(when, rank, id)``, or, with ``inside``, inside that
    session: after its child ``child`` (None: before its first)."""

    when: datetime
    rank: int
    id: int
    inside: bool = False
    child: Key | None = None

    @classmethod
    def at(cls, row: TimelineRow) -> Cursor:
        return cls(row.when, _RANK[row.kind], row.id)


@dataclass(frozen=True)
class Page:
    """Rows in timeline order, and the cursor of the next page (None: the
    oldest row is in this one)."""

    rows: list[TimelineRow]
    cursor: Cursor | None


def _key(row: TimelineRow) -> Key:
    return row.when, _RANK[row.kind], row.id


def _newest_first(row: TimelineRow) -> tuple[float, int]:
    """The order of blocks across kinds (each kind comes in its own order)."""
    return -row.when.timestamp(), _RANK[row.kind]


def _oldest_first(row: TimelineRow) -> tuple[float, int]:
    """The order inside a session across kinds."""
    return row.when.timestamp(), _RANK[row.kind]


def _start(after: Key | None, rank: int, *, ids_descending: bool) -> Position | None:
    """Where the rows of one kind resume after ``after`` (a row of any kind
    of the same order): at its time, after its id for its own kind; for
    another kind, before or after every row of that second, as ranks say."""
    if after is None:
        return None
    when, at_rank, at_id = after
    if rank == at_rank:
        return when, at_id
    first, beyond = (MAX_ID, MIN_ID) if ids_descending else (MIN_ID, MAX_ID)
    return when, first if rank > at_rank else beyond


S = TypeVar("S")
Fetch = Callable[[Position | None, int], Sequence[S]]


def _stream(
    fetch: Fetch[S], make: Callable[[S], TimelineRow], start: Position | None
) -> Iterator[TimelineRow]:
    """The rows of one kind from ``start`` on, read a few at a time and more
    at each read: most pages need only a few sessions."""
    size, after = _FIRST_READ, start
    while True:
        rows = [make(item) for item in fetch(after, size)]
        yield from rows
        if len(rows) < size:
            return
        after = rows[-1].when, rows[-1].id
        size = min(2 * size, _MOST_READ)


def _blocks(vault: Vault, after: Cursor | None) -> Iterator[TimelineRow]:
    """The first row of every block after ``after``, in timeline order."""
    key = None if after is None else (after.when, after.rank, after.id)
    sessions = _stream(
        lambda at, n: vault.sessions.page(after=at, limit=n),
        _session_row,
        _start(key, _RANK["session"], ids_descending=False),
    )
    entries = _stream(
        lambda at, n: vault.entries.summaries_page(
            session_id=None, newest_first=True, after=at, limit=n
        ),
        lambda entry: _entry_row(entry, in_session=False),
        _start(key, _RANK["entry"], ids_descending=True),
    )
    meditations = _stream(
        lambda at, n: vault.meditations.page(session_id=None, newest_first=True, after=at, limit=n),
        lambda meditation: _meditation_row(meditation, in_session=False),
        _start(key, _RANK["meditation"], ids_descending=False),
    )
    return heapq.merge(sessions, entries, meditations, key=_newest_first)


def _children(vault: Vault, session_id: int, after: Key | None, limit: int) -> list[TimelineRow]:
    """The first ``limit`` entries and meditations of a session after ``after``."""
    entries = vault.entries.summaries_page(
        session_id=session_id,
        newest_first=False,
        after=_start(after, _RANK["entry"], ids_descending=False),
        limit=limit,
    )
    meditations = vault.meditations.page(
        session_id=session_id,
        newest_first=False,
        after=_start(after, _RANK["meditation"], ids_descending=False),
        limit=limit,
    )
    rows = heapq.merge(
        [_entry_row(e, in_session=True) for e in entries],
        [_meditation_row(m, in_session=True) for m in meditations],
        key=_oldest_first,
    )
    return list(rows)[:limit]


def _fill(vault: Vault, session: Cursor, rows: list[TimelineRow], limit: int) -> Cursor | None:
    """Adds the session's rows after ``session.child`` to ``rows``, up to
    ``limit`` rows in all; the cursor inside the session when some remain."""
    room = limit - len(rows)
    children = _children(vault, session.id, session.child, room + 1)
    rows += children[:room]
    if len(children) <= room:
        return None
    return replace(session, inside=True, child=_key(rows[-1]) if room else session.child)


def page(vault: Vault, after: Cursor | None = None, limit: int = DEFAULT_PAGE) -> Page:
    """The ``limit`` rows after ``after`` (None: the newest), and the cursor
    of the next page, None when these reach the oldest row.

    A page may end inside a session; the next goes on with its rows. The cost
    of a page is a few index ranges, whatever the journal's size. Raises
    ValueError for a limit below one."""
    if limit < 1:
        raise ValueError("A page of the timeline holds at least one row.")
    rows: list[TimelineRow] = []
    last = after
    if after is not None and after.inside:
        inside = _fill(vault, after, rows, limit)
        if inside is not None:
            return Page(rows, inside)
        last = replace(after, inside=False, child=None)
    for block in _blocks(vault, after):
        if len(rows) == limit:
            return Page(rows, last)
        rows.append(block)
        last = Cursor.at(block)
        if block.kind == "session":
            inside = _fill(vault, last, rows, limit)
            if inside is not None:
                return Page(rows, inside)
    return Page(rows, None)


def build(vault: Vault) -> list[TimelineRow]:
    """Every row of the timeline, in its order: the pages one after another."""
    rows: list[TimelineRow] = []
    cursor: Cursor | None = None
    while True:
        chunk = page(vault, after=cursor, limit=_WHOLE_PAGE)
        rows += chunk.rows
        if chunk.cursor is None:
            return rows
        cursor = chunk.cursor
