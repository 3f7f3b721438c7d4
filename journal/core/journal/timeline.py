"""The home timeline: sessions newest first, each with its entries in the
order they were written; entries outside a session stand on their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from journal.core.model import EntrySummary, Meditation, Session
from journal.core.vault.vault import Vault


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


def build(vault: Vault) -> list[TimelineRow]:
    summaries = vault.entries.summaries()
    meditations: dict[int | None, list[Meditation]] = {}
    for meditation in vault.meditations.all():
        meditations.setdefault(meditation.session_id, []).append(meditation)
    by_session: dict[int, list[EntrySummary]] = {}
    loose: list[EntrySummary] = []
    for summary in summaries:
        if summary.session_id is None:
            loose.append(summary)
        else:
            by_session.setdefault(summary.session_id, []).append(summary)
    blocks: list[tuple[datetime, list[TimelineRow]]] = []
    for session in vault.sessions.all():
        assert session.id is not None
        inside = [_entry_row(e, in_session=True) for e in by_session.get(session.id, [])]
        inside += [_meditation_row(m, in_session=True) for m in meditations.pop(session.id, [])]
        inside.sort(key=lambda row: (row.when, row.kind, row.id))
        blocks.append((session.started_at, [_session_row(session), *inside]))
    blocks += [(e.created_at, [_entry_row(e, in_session=False)]) for e in loose]
    blocks += [
        (m.started_at, [_meditation_row(m, in_session=False)])
        for ms in meditations.values()
        for m in ms
    ]
    blocks.sort(key=lambda block: block[0], reverse=True)
    return [row for _, rows in blocks for row in rows]
