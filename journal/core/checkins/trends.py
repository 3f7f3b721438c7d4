"""Trends over time: the numbers behind the charts, in one place.

The app's interactive charts (QtCharts), the report's charts (SVG, see
`journal.core.sharing.charts`) and `afterglow checkin list` all read these series, so a
value reads the same everywhere. Each point carries the sentence a screen
reader or a tooltip says about it. Numbers only: no diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import mean

from journal.core.checkins import outcomes
from journal.core.checkins.definitions import Band, Instrument
from journal.core.checkins.instruments import INSTRUMENTS, change, number
from journal.core.checkins.outcomes import AroundInfusion, Progress
from journal.core.model import Checkin, CheckinKind, Session
from journal.core.text import day

__all__ = ["ABOUT_CHANGE", "Band", "MoodTrend", "ScoreTrend", "Trends", "build"]

# Always shown, even before the first one; others once they have been filled.
SCORE_KINDS = (CheckinKind.PHQ9, CheckinKind.GAD7)

ABOUT_CHANGE = (
    "Studies call a drop of half or more from the first score a response, and a PHQ-9 "
    "below 5 remission. Numbers to talk over with your care team — not a diagnosis."
)


@dataclass(frozen=True)
class TrendPoint:
    when: datetime
    value: float
    text: str
    flagged: bool = False
    difficulty: int | None = None  # PHQ-9 / GAD-7: the unscored last answer


@dataclass(frozen=True)
class ScoreTrend:
    kind: str
    title: str
    max_total: float
    bands: tuple[Band, ...]
    points: tuple[TrendPoint, ...]
    summary: str
    instrument: Instrument
    standing: Progress | None = None
    infusions: tuple[AroundInfusion, ...] = ()
    overview: str = ""  # the summary without the standing (the report adds its own)


@dataclass(frozen=True)
class MoodPair:
    when: datetime
    before: int | None
    after: int | None
    text: str


@dataclass(frozen=True)
class MoodTrend:
    pairs: tuple[MoodPair, ...]
    daily: tuple[TrendPoint, ...]
    summary: str


@dataclass(frozen=True)
class Trends:
    mood: MoodTrend
    scores: tuple[ScoreTrend, ...]
    session_times: tuple[datetime, ...]

    def score(self, kind: str) -> ScoreTrend:
        return next(s for s in self.scores if s.kind == kind)

    @property
    def empty(self) -> bool:
        return not (self.mood.pairs or self.mood.daily or any(s.points for s in self.scores))


def bands(kind: str) -> tuple[Band, ...]:
    """A built-in instrument's bands, lowest first, covering every total once."""
    return INSTRUMENTS[kind].bands


def _score_trend(
    instrument: Instrument, checkins: list[Checkin], sessions: Sequence[Session] = ()
) -> ScoreTrend:
    kind = instrument.id
    scores = sorted((c for c in checkins if c.kind == kind), key=lambda c: c.taken_at)
    top = number(instrument.max_total)
    points = []
    for index, checkin in enumerate(scores):
        text = f"{day(checkin.taken_at)}: {instrument.title} {number(checkin.total)} of {top}"
        if checkin.band:
            text += f", {checkin.band}"
        if index:
            text += f"; {change(scores[0].total, checkin.total).text()} from the first"
        else:
            text += " (the first)"
        if checkin.difficulty is not None and instrument.followup is not None:
            text += f"; daily life: {instrument.followup.options[checkin.difficulty].lower()}"
        points.append(
            TrendPoint(
                checkin.taken_at, checkin.total, text + ".", checkin.flagged, checkin.difficulty
            )
        )
    if not scores:
        summary = f"No {instrument.title} yet."
    elif len(scores) == 1:
        summary = f"One {instrument.title} so far: {points[0].text}"
    else:
        first, last = scores[0], scores[-1]

        def reading(c: Checkin) -> str:
            return number(c.total) + (f" ({c.band})" if c.band else "")

        summary = (
            f"{instrument.title}: first {reading(first)} on {day(first.taken_at)}; "
            f"latest {reading(last)} on {day(last.taken_at)} — "
            f"{change(first.total, last.total).text()} from the first."
        )
    overview = summary
    standing = outcomes.progress(instrument, scores, sessions)
    if standing.change is not None and (standing.markers or standing.responded is not None):
        summary += " " + standing.sentence
    return ScoreTrend(
        kind,
        instrument.title,
        instrument.max_total,
        instrument.bands,
        tuple(points),
        summary,
        instrument,
        standing,
        tuple(outcomes.per_infusion(instrument, scores, sessions)),
        overview,
    )


def _pair_text(session: Session) -> str:
    before = "not rated" if session.mood_before is None else str(session.mood_before)
    after = "not rated" if session.mood_after is None else str(session.mood_after)
    text = f"Session of {day(session.started_at)}: mood before {before}, after {after}"
    if session.mood_before is not None and session.mood_after is not None:
        text += f" ({session.mood_after - session.mood_before:+d})"
    return text + "."


def _mood_trend(sessions: Iterable[Session], checkins: list[Checkin]) -> MoodTrend:
    rated = sorted(
        (s for s in sessions if s.mood_before is not None or s.mood_after is not None),
        key=lambda s: s.started_at,
    )
    pairs = tuple(MoodPair(s.started_at, s.mood_before, s.mood_after, _pair_text(s)) for s in rated)
    daily = tuple(
        TrendPoint(
            c.taken_at,
            c.total,
            f"{day(c.taken_at)}: mood {c.total} of 10" + (f" — “{c.note}”" if c.note else "") + ".",
        )
        for c in sorted(checkins, key=lambda c: c.taken_at)
        # A mood taken for a session is already its "before" rating.
        if c.kind is CheckinKind.MOOD and c.session_id is None
    )
    both = [p for p in pairs if p.before is not None and p.after is not None]
    parts = []
    if both:
        lift = mean(p.after - p.before for p in both)  # type: ignore[operator]
        sessions_word = "session" if len(both) == 1 else "sessions"
        parts.append(
            f"Across {len(both)} {sessions_word} rated before and after, mood after was on "
            f"average {abs(lift):.1f} points {'higher' if lift >= 0 else 'lower'} than before."
        )
    if daily:
        parts.append(f"Latest mood check-in: {daily[-1].value} of 10 on {day(daily[-1].when)}.")
    summary = " ".join(parts) or "No mood ratings yet."
    return MoodTrend(pairs, daily, summary)


def build(
    sessions: Iterable[Session],
    checkins: Iterable[Checkin],
    instruments: Mapping[str, Instrument] | None = None,
) -> Trends:
    """The trends of the journal: mood, then PHQ-9 and GAD-7 (always), then
    every other questionnaire that was filled in. ``instruments``: every
    definition by kind (the vault's `by_kind`); the built-ins when None."""
    sessions = list(sessions)
    checkins = list(checkins)
    known = instruments or INSTRUMENTS
    filled = {c.kind for c in checkins if c.kind != CheckinKind.MOOD}
    kinds = [*SCORE_KINDS, *sorted(k for k in filled - set(SCORE_KINDS) if k in known)]
    return Trends(
        mood=_mood_trend(sessions, checkins),
        scores=tuple(_score_trend(known[kind], checkins, sessions) for kind in kinds),
        session_times=tuple(sorted(s.started_at for s in sessions)),
    )


def band_name(trend: ScoreTrend, total: float) -> str:
    return next((b.name for b in trend.bands if b.low <= total <= b.high), "")
