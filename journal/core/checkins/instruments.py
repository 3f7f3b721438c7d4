"""The questionnaires Afterglow knows, and scoring by their definitions.

The built-ins — PHQ-9, GAD-7, the EBI and the PCL-5 — are data files in
``resources/instruments/`` (`journal.core.checkins.definitions` reads them);
a clinician may hand a patient another one, kept in the vault. Mood, a single
0–10 rating, is not a questionnaire and is defined here.

PHQ-9 and GAD-7 were developed by Drs. Robert L. Spitzer, Janet B. W.
Williams, Kurt Kroenke and colleagues with an educational grant from Pfizer
Inc.; no permission is required to reproduce, translate, display or
distribute them. Each file carries its own citation and licence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources

from journal.core.checkins.definitions import Band, Instrument, Scale, Score
from journal.core.checkins.instrument_file import parse_instrument
from journal.core.errors import InvalidInput
from journal.core.model import CheckinKind

__all__ = ["INSTRUMENTS", "Band", "Instrument", "Score"]

MOOD = Instrument(
    id=CheckinKind.MOOD,
    title="Mood",
    items=("Mood (0–10)",),
    scale=Scale(0, 10, "very low", "very good"),
    builtin=True,
    period_days=1,
)
BUILTIN_ORDER = (CheckinKind.PHQ9, CheckinKind.GAD7, CheckinKind.EBI, CheckinKind.PCL5)


@functools.cache
def builtin_instruments() -> tuple[Instrument, ...]:
    """The questionnaires that come with Afterglow, in the order they are offered."""
    folder = resources.files("journal.resources.instruments")
    found = []
    for kind in BUILTIN_ORDER:
        text = folder.joinpath(f"{kind.value}.toml").read_text(encoding="utf-8")
        instrument = parse_instrument(text, name=f"{kind.value}.toml", builtin=True)
        found.append(_replace_id(instrument, kind))
    return tuple(found)


def _replace_id(instrument: Instrument, kind: CheckinKind) -> Instrument:
    from dataclasses import replace

    return replace(instrument, id=kind)


class _Builtins(Mapping[str, Instrument]):
    """The built-in instruments (and mood) by kind, read on first use."""

    def _all(self) -> dict[str, Instrument]:
        return {CheckinKind.MOOD: MOOD, **{i.id: i for i in builtin_instruments()}}

    def __getitem__(self, kind: str) -> Instrument:
        return self._all()[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


INSTRUMENTS: Mapping[str, Instrument] = _Builtins()

# PHQ-9 and GAD-7 share their stem, answers and unscored last question.
STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
OPTIONS = ("Not at all", "Several days", "More than half the days", "Nearly every day")
DIFFICULTY_QUESTION = (
    "If you checked off any problems, how difficult have these problems made it for you "
    "to do your work, take care of things at home, or get along with other people?"
)
DIFFICULTY_OPTIONS = (
    "Not difficult at all",
    "Somewhat difficult",
    "Very difficult",
    "Extremely difficult",
)
# PHQ-9 item 9 (thoughts of self-harm), zero-based.
PHQ9_SAFETY_ITEM = 8

# Both questionnaires ask about the last two weeks: offer one when that long has passed.
DUE_AFTER = timedelta(days=14)


def band_for(kind: str, total: float) -> str:
    return INSTRUMENTS[kind].band_for(total)


def score(kind: str, answers: Sequence[int], instrument: Instrument | None = None) -> Score:
    """Total, severity band and safety flag. Raises `InvalidInput` for a wrong
    number of answers or an answer out of range."""
    return (instrument or INSTRUMENTS[kind]).score(list(answers))


def parse_answers(kind: str, text: str, instrument: Instrument | None = None) -> list[int]:
    """Answers typed as ``1,0,2,…`` (commas and/or spaces). Raises
    `InvalidInput` with one sentence when a part is not a whole number or the
    count or range is wrong."""
    instrument = instrument or INSTRUMENTS[kind]
    parts = [p for p in re.split(r"[,\s;]+", text.strip()) if p]
    answers: list[int] = []
    for number, part in enumerate(parts, start=1):
        if not re.fullmatch(r"[0-9]{1,4}", part) and len(instrument.items) == 1:
            instrument.check([])  # the one-number message
        if not re.fullmatch(r"[0-9]{1,4}", part):
            shown = part if len(part) <= 12 else part[:12] + "…"
            raise InvalidInput(
                f'Answer {number} of {instrument.title} ("{shown}") is not a whole number; '
                f"use {instrument.min_answer} to {instrument.max_answer}. Nothing was saved."
            )
        answers.append(int(part))
    instrument.check(answers)  # count and range, with the same messages as the app
    return answers


def number(value: float) -> str:
    """A score as people read it: "7", "63.5"."""
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


@dataclass(frozen=True)
class Change:
    """How a total moved from the first one: points and, where the first was
    above 0, percent. Numbers only — Afterglow makes no diagnosis."""

    points: float
    percent: int | None

    def text(self) -> str:
        sign = "+" if self.points >= 0 else "-"
        points = f"{sign}{number(abs(self.points))} points"
        return points if self.percent is None else f"{points} ({self.percent:+d}%)"


def change(first: float, total: float) -> Change:
    points = round(total - first, 1)
    points = int(points) if float(points).is_integer() else points
    percent = None if first == 0 else round(100 * (total - first) / first)
    return Change(points, percent)


def is_due(last_taken: datetime | None, now: datetime) -> bool:
    """True when a questionnaire was never filled or its two weeks have passed."""
    return last_taken is None or now - last_taken >= DUE_AFTER


def check_difficulty(value: int | None) -> int | None:
    """The unscored difficulty answer: None (not asked or skipped) or 0–3."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3:
        raise InvalidInput(
            "The difficulty answer must be from 0 (not difficult at all) to 3 (extremely "
            "difficult); nothing was saved."
        )
    return value
