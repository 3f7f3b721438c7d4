"""What the numbers say in the words clinicians use — baseline, response,
remission — and how each score moved around each infusion.

Everything here follows the instrument's own definition (`Outcome` of
`journal.core.checkins.definitions`); an instrument whose authors define no
response or remission gets none. Always said with the words "a standard
research definition, not a diagnosis".

- **Baseline**: the first score of that instrument before the first recorded
  session, else the first score.
- **Response**: the latest score is at least ``response_fall`` percent below
  the baseline (50 % for PHQ-9 and GAD-7).
- **Remission**: the latest score is below ``remission_below`` (5 for PHQ-9
  and GAD-7).
- **Meaningful change**: the latest differs from the baseline by at least
  ``meaningful_change`` points (5 for PHQ-9).
- **Screening line**: the latest is at or above the lower end of
  ``screening`` (31–33 for the PCL-5).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from journal.core.checkins.definitions import Instrument
from journal.core.checkins.instruments import Change, change, number
from journal.core.model import Checkin, Session
from journal.core.text import day

NOT_A_DIAGNOSIS = "a standard research definition, not a diagnosis"


class Findings:
    """What a standing found, as short labels ("response", "remission"); for
    the dataclasses that have these four fields."""

    responded: bool | None
    in_remission: bool | None
    meaningful: bool | None
    above_screening: bool | None

    @property
    def markers(self) -> tuple[str, ...]:
        found = []
        if self.responded:
            found.append("response")
        if self.in_remission:
            found.append("remission")
        if self.meaningful and not self.responded:
            found.append("meaningful change")
        if self.above_screening:
            found.append("above the screening line")
        return tuple(found)


@dataclass(frozen=True)
class Progress(Findings):
    """One instrument's standing: None where there is nothing to say."""

    kind: str
    baseline: Checkin | None
    latest: Checkin | None
    change: Change | None
    responded: bool | None  # None: no response defined, or nothing to compare
    in_remission: bool | None
    meaningful: bool | None
    above_screening: bool | None
    sentence: str


def baseline(checkins: Sequence[Checkin], sessions: Iterable[Session]) -> Checkin | None:
    """The first score before the first session, else the first score."""
    ordered = sorted(checkins, key=lambda c: c.taken_at)
    if not ordered:
        return None
    starts = [s.started_at for s in sessions]
    if starts:
        before = [c for c in ordered if c.taken_at < min(starts)]
        if before:
            return before[0]
    return ordered[0]


def progress(
    instrument: Instrument, checkins: Iterable[Checkin], sessions: Iterable[Session]
) -> Progress:
    """The standing of ``instrument`` from its check-ins (others are ignored)."""
    own = sorted((c for c in checkins if c.kind == instrument.id), key=lambda c: c.taken_at)
    first = baseline(own, sessions)
    latest = own[-1] if own else None
    rule = instrument.outcome
    if first is None or latest is None:
        nothing = f"No {instrument.title} yet."
        return Progress(instrument.id, None, None, None, None, None, None, None, nothing)
    moved = change(first.total, latest.total) if latest is not first else None
    responded = None
    if rule.response_fall is not None and moved is not None and first.total > 0:
        responded = (first.total - latest.total) >= first.total * rule.response_fall / 100 - 1e-9
    in_remission = None if rule.remission_below is None else latest.total < rule.remission_below
    meaningful = None
    if rule.meaningful_change is not None and moved is not None:
        meaningful = abs(latest.total - first.total) >= rule.meaningful_change
    above = None if rule.screening is None else latest.total >= rule.screening[0]
    return Progress(
        instrument.id,
        first,
        latest,
        moved,
        responded,
        in_remission,
        meaningful,
        above,
        _sentence(instrument, first, latest, moved, responded, in_remission, meaningful, above),
    )


def _sentence(
    instrument: Instrument,
    first: Checkin,
    latest: Checkin,
    moved: Change | None,
    responded: bool | None,
    in_remission: bool | None,
    meaningful: bool | None,
    above: bool | None,
) -> str:
    title = instrument.title
    parts = [f"{title} {number(latest.total)}" + (f" ({latest.band})" if latest.band else "")]
    if moved is None:
        parts.append(f"the baseline, on {day(first.taken_at)}")
    else:
        parts.append(f"{moved.text()} from the baseline of {number(first.total)}")
    findings = []
    if responded is not None:
        findings.append("a response" if responded else "not yet a response")
    if in_remission is not None:
        findings.append("in remission" if in_remission else "not in remission")
    if meaningful and not responded:
        findings.append("a clinically meaningful change")
    if above is not None:
        findings.append("at or above the screening line" if above else "below the screening line")
    text = ", ".join(parts)
    if findings:
        text += ": " + ", ".join(findings) + f" ({NOT_A_DIAGNOSIS})"
    elif not instrument.outcome.response_fall and not instrument.outcome.remission_below:
        text += f". {title} defines no response or remission"
    return text + "."


@dataclass(frozen=True)
class AroundInfusion:
    """One session: the score closest before it and the first after it."""

    number: int
    session: Session
    before: Checkin | None
    after: Checkin | None

    @property
    def change(self) -> Change | None:
        if self.before is None or self.after is None:
            return None
        return change(self.before.total, self.after.total)

    def text(self, instrument: Instrument) -> str:
        def score(c: Checkin | None) -> str:
            return "—" if c is None else number(c.total)

        line = (
            f"Infusion {self.number} ({day(self.session.started_at)}): {instrument.title} "
            f"before {score(self.before)}, after {score(self.after)}"
        )
        moved = self.change
        if moved is not None:
            line += f" ({moved.text()})"
        s = self.session
        if s.mood_before is not None or s.mood_after is not None:
            before = "—" if s.mood_before is None else str(s.mood_before)
            after = "—" if s.mood_after is None else str(s.mood_after)
            line += f"; mood {before} → {after}"
        return line + "."


def per_infusion(
    instrument: Instrument, checkins: Iterable[Checkin], sessions: Iterable[Session]
) -> list[AroundInfusion]:
    """For each session, oldest first: the latest score in the instrument's
    recall period before it, and the first score after it within that period
    and before the next session ("after infusion 1, 2, 3")."""
    window = timedelta(days=instrument.period_days)
    own = sorted((c for c in checkins if c.kind == instrument.id), key=lambda c: c.taken_at)
    ordered = sorted(sessions, key=lambda s: s.started_at)
    rows = []
    for index, session in enumerate(ordered):
        start = session.started_at
        following = ordered[index + 1].started_at if index + 1 < len(ordered) else None
        limit: datetime = start + window
        if following is not None:
            limit = min(limit, following)
        before = [c for c in own if start - window <= c.taken_at < start]
        after = [c for c in own if start <= c.taken_at < limit]
        rows.append(
            AroundInfusion(
                index + 1, session, before[-1] if before else None, after[0] if after else None
            )
        )
    return rows
