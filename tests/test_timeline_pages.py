"""The timeline read a page at a time: the pages one after another are the
whole timeline in its order, at any page size; each page is a few ranges of
indexes, never a scan of the journal or a sort of all of it."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import pytest

from journal.core.journal import timeline
from journal.core.model import Entry, EntrySummary, Meditation, MeditationKind, Phase, Session
from journal.core.vault import vault as vaults
from tests.conftest import FakeClock

Shown = list[tuple[str, int, bool]]


def _shown(rows: list[timeline.TimelineRow]) -> Shown:
    return [(row.kind, row.id, row.in_session) for row in rows]


def _everything_at_once(vault: vaults.Vault) -> Shown:
    """The timeline as it was made before it had pages: everything read,
    grouped by session and sorted in memory (the reference)."""
    summaries = vault.entries.summaries()
    meditations: dict[int | None, list[Meditation]] = {}
    for meditation in vault.meditations.all():
        meditations.setdefault(meditation.session_id, []).append(meditation)
    by_session: dict[int, list[EntrySummary]] = {}
    loose = [s for s in summaries if s.session_id is None]
    for summary in summaries:
        if summary.session_id is not None:
            by_session.setdefault(summary.session_id, []).append(summary)
    blocks: list[tuple[datetime, Shown]] = []
    for session in vault.sessions.all():
        assert session.id is not None
        inside: list[tuple[datetime, str, int]] = [
            (e.created_at, "entry", e.id) for e in by_session.get(session.id, [])
        ]
        inside += [(m.started_at, "meditation", m.id or 0) for m in meditations.pop(session.id, [])]
        inside.sort()
        rows = [("session", session.id, False)] + [(kind, i, True) for _, kind, i in inside]
        blocks.append((session.started_at, rows))
    blocks += [(e.created_at, [("entry", e.id, False)]) for e in loose]
    blocks += [
        (m.started_at, [("meditation", m.id or 0, False)]) for m in meditations.pop(None, [])
    ]
    assert not meditations
    blocks.sort(key=lambda block: block[0], reverse=True)
    return [row for _, rows in blocks for row in rows]


def _varied_journal(vault: vaults.Vault, clock: FakeClock, *, seed: int = 5) -> None:
    """Sessions with many entries and with none, entries and meditations on
    their own, reflections, and many rows of the very same second (sessions,
    entries and meditations each with others of their kind and of the others)."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, 10).astimezone()
    moments = [start + timedelta(hours=h) for h in range(0, 400, 7)]

    def moment() -> datetime:
        return rng.choice(moments) + timedelta(minutes=rng.choice([0, 0, 0, 30]))

    sessions = [
        vault.sessions.add(Session(started_at=moment(), intention=f"s{i}")) for i in range(8)
    ]
    # Two sessions of one second, and an entry and a meditation on their own then.
    twin = vault.sessions.add(Session(started_at=sessions[0].started_at))
    sessions.append(twin)
    written: list[Entry] = []

    def write(session_id: int | None, when: datetime) -> Entry:
        clock.now = when
        entry = vault.entries.add(Entry(phase=rng.choice(list(Phase)), session_id=session_id))
        written.append(entry)
        return entry

    crowded = sessions[1].id
    for _ in range(45):  # more than a small page: a session split across pages
        write(crowded, sessions[1].started_at + timedelta(minutes=rng.choice([0, 5, 5, 60])))
    for session in sessions[2:7]:
        for _ in range(rng.randint(1, 6)):
            write(session.id, session.started_at + timedelta(minutes=rng.choice([-30, 0, 10])))
    for _ in range(25):
        write(None, moment())
    write(None, twin.started_at)
    write(None, twin.started_at)
    for _ in range(4):  # reflections: of an entry in a session and of one on its own
        earlier = rng.choice(written)
        assert earlier.id is not None
        clock.now = earlier.created_at + timedelta(days=1)
        written.append(vault.entries.add_reflection(earlier.id, Entry(phase=Phase.INTEGRATION)))
    for session in (sessions[1], sessions[3], twin):
        for minutes in (0, 5, 5):
            vault.meditations.add(
                Meditation(
                    MeditationKind.BREATHING,
                    session.started_at + timedelta(minutes=minutes),
                    300,
                    session_id=session.id,
                )
            )
    for when in (twin.started_at, twin.started_at, moment(), moment()):
        vault.meditations.add(Meditation(MeditationKind.BODY_SCAN, when, 180))
    # A session deleted: its entries stay, now on their own.
    assert sessions[7].id is not None
    write(sessions[7].id, sessions[7].started_at)
    vault.sessions.delete(sessions[7].id)


def _all_pages(vault: vaults.Vault, limit: int) -> list[timeline.Page]:
    pages = [timeline.page(vault, after=None, limit=limit)]
    while pages[-1].cursor is not None:
        pages.append(timeline.page(vault, after=pages[-1].cursor, limit=limit))
        assert len(pages) < 10_000
    return pages


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 10, 44, 46, 200])
def test_the_pages_one_after_another_are_the_whole_timeline(
    vault: vaults.Vault, clock: FakeClock, limit: int
) -> None:
    _varied_journal(vault, clock)
    expected = _everything_at_once(vault)
    assert len(expected) > 100
    pages = _all_pages(vault, limit)
    assert [row for page in pages for row in _shown(page.rows)] == expected
    # Every page full but the last, which is not empty: the cursor is None
    # exactly when the oldest row has come.
    assert all(len(page.rows) == limit for page in pages[:-1])
    assert 0 < len(pages[-1].rows) <= limit


def test_build_is_every_page(vault: vaults.Vault, clock: FakeClock) -> None:
    _varied_journal(vault, clock, seed=9)
    assert _shown(timeline.build(vault)) == _everything_at_once(vault)


def test_a_session_continued_on_the_next_page(vault: vaults.Vault, clock: FakeClock) -> None:
    session = vault.sessions.add(Session(started_at=clock.now))
    for _ in range(5):
        clock.advance(minutes=1)
        vault.entries.add(Entry(phase=Phase.RIGHT_AFTER, session_id=session.id))
    first = timeline.page(vault, limit=1)
    assert _shown(first.rows) == [("session", session.id, False)]
    second = timeline.page(vault, after=first.cursor, limit=3)
    third = timeline.page(vault, after=second.cursor, limit=3)
    assert [row.kind for row in second.rows + third.rows] == ["entry"] * 5
    assert all(row.in_session for row in second.rows + third.rows)
    assert third.cursor is None


def test_an_empty_journal_is_one_empty_page(vault: vaults.Vault) -> None:
    page = timeline.page(vault)
    assert page.rows == [] and page.cursor is None
    assert timeline.build(vault) == []
    with pytest.raises(ValueError):
        timeline.page(vault, limit=0)


def test_the_first_page_is_the_newest_rows_at_its_default_size(
    vault: vaults.Vault, clock: FakeClock
) -> None:
    for _ in range(timeline.DEFAULT_PAGE + 5):
        clock.advance(minutes=1)
        vault.entries.add(Entry(phase=Phase.FREE))
    page = timeline.page(vault)
    assert len(page.rows) == timeline.DEFAULT_PAGE and page.cursor is not None
    assert page.rows[0].when == clock.now
    assert page.rows == timeline.build(vault)[: timeline.DEFAULT_PAGE]


def _plans(vault: vaults.Vault, monkeypatch: pytest.MonkeyPatch, *, limit: int) -> list[str]:
    """Every query the pages of the timeline make, with SQLite's plan for it."""
    made: list[tuple[str, Any]] = []
    query = vault.db.query

    def recording(sql: str, params: Any = ()) -> Any:
        made.append((sql, params))
        return query(sql, params)

    monkeypatch.setattr(vault.db, "query", recording)
    _all_pages(vault, limit)
    monkeypatch.undo()
    assert len(made) > 10
    plans = []
    for sql, params in made:
        steps = [str(r[3]) for r in vault.db.query(f"EXPLAIN QUERY PLAN {sql}", params)]
        plans.append(f"{sql}\n  " + " / ".join(steps))
    return plans


def test_each_page_is_a_range_of_an_index(
    vault: vaults.Vault, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _varied_journal(vault, clock)
    for plan in _plans(vault, monkeypatch, limit=10):
        steps = plan.split("\n  ")[1].split(" / ")
        # An index walked in order (from the newest, or from a cursor), the
        # LIMIT stopping it: never the table read whole, nothing sorted.
        assert all("USING INDEX" in step for step in steps), plan
        assert not any("TEMP B-TREE" in step for step in steps), plan
