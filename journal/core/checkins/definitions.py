"""Questionnaires as data: what an instrument is, and scoring by it.

An instrument is a TOML file (the built-ins are in ``resources/instruments/``;
a clinician may hand a patient another), read and validated by
`journal.core.checkins.instrument_file`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from journal.core.errors import InvalidInput

TIMINGS = ("any", "day-after-session")


@dataclass(frozen=True)
class Scale:
    """Answers anywhere on a line from ``minimum`` to ``maximum`` (a visual analogue)."""

    minimum: int
    maximum: int
    low: str
    high: str


@dataclass(frozen=True)
class Band:
    low: float  # whole numbers are ints (a sum's bands)
    high: float
    name: str


@dataclass(frozen=True)
class SafetyItem:
    item: int  # from 0
    above: int
    label: str = ""  # what it asks about, in a few words ("thoughts of self-harm")


@dataclass(frozen=True)
class Subscale:
    name: str
    items: tuple[int, ...]  # from 0


@dataclass(frozen=True)
class Followup:
    question: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """What the literature calls a response, a remission, a screening line."""

    response_fall: float | None = None  # percent below the baseline
    meaningful_change: float | None = None  # points
    remission_below: float | None = None
    screening: tuple[float, float] | None = None
    note: str = ""


@dataclass(frozen=True)
class Score:
    total: float
    band: str
    flagged: bool


@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    items: tuple[str, ...]
    options: tuple[str, ...] = ()
    scale: Scale | None = None
    scoring: str = "sum"
    version: str = "1"
    name: str = ""
    measures: str = ""
    about: str = ""
    citation: str = ""
    licence: str = ""
    stem: str = ""
    period_days: int = 14
    timing: str = "any"
    reverse: frozenset[int] = frozenset()
    subscales: tuple[Subscale, ...] = ()
    bands: tuple[Band, ...] = ()
    safety: tuple[SafetyItem, ...] = ()
    followup: Followup | None = None
    outcome: Outcome = Outcome()
    builtin: bool = False
    source: str = field(default="", repr=False, compare=False)

    @property
    def kind(self) -> str:
        return self.id

    @property
    def per_session(self) -> bool:
        """Asked about one session (the day after it), not about a period."""
        return self.timing == "day-after-session"

    @property
    def min_answer(self) -> int:
        return self.scale.minimum if self.scale else 0

    @property
    def max_answer(self) -> int:
        return self.scale.maximum if self.scale else len(self.options) - 1

    @property
    def min_total(self) -> float:
        return self.min_answer * (len(self.items) if self.scoring == "sum" else 1)

    @property
    def max_total(self) -> float:
        return self.max_answer * (len(self.items) if self.scoring == "sum" else 1)

    @property
    def label(self) -> str:
        """ "PHQ-9 — low mood"; an instrument a clinician handed over says so."""
        text = f"{self.title} — {self.measures}" if self.measures else self.title
        return text if self.builtin else f"{text} (from your clinician)"

    def band_for(self, total: float) -> str:
        return next((b.name for b in self.bands if b.low <= total <= b.high), "")

    def check(self, answers: Sequence[int]) -> None:
        """Raises `InvalidInput` (one sentence) for a wrong count or range."""
        single = len(self.items) == 1
        top = self.max_answer
        if single and (len(answers) != 1 or not _whole(answers[0]) or not 0 <= answers[0] <= top):
            raise InvalidInput(
                f"{self.title} is one whole number from {self.min_answer} to {top}; "
                "nothing was saved."
            )
        if len(answers) != len(self.items):
            raise InvalidInput(
                f"{self.title} needs {len(self.items)} answers; {len(answers)} were "
                "given, so nothing was saved."
            )
        for number, answer in enumerate(answers, start=1):
            if not _whole(answer):
                raise InvalidInput(
                    f"Answer {number} of {self.title} must be a whole number; nothing was saved."
                )
            if not self.min_answer <= answer <= top:
                raise InvalidInput(
                    f"Answer {number} of {self.title} must be from {self.min_answer} to {top}; "
                    "nothing was saved."
                )

    def scored(self, answers: Sequence[int]) -> list[int]:
        """The answers as they count: reverse-scored items turned round."""
        low, high = self.min_answer, self.max_answer
        return [high + low - a if i in self.reverse else a for i, a in enumerate(answers)]

    def score(self, answers: Sequence[int]) -> Score:
        """Total (or mean), band and safety flag. Raises `InvalidInput`."""
        self.check(answers)
        values = self.scored(answers)
        total: float = sum(values)
        if self.scoring == "mean":
            total = round(total / len(values), 1)
        flagged = any(answers[s.item] > s.above for s in self.safety)
        return Score(total=total, band=self.band_for(total), flagged=flagged)

    def subscale_totals(self, answers: Sequence[int]) -> dict[str, float]:
        values = self.scored(answers)
        return {s.name: float(sum(values[i] for i in s.items)) for s in self.subscales}


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
