"""PHQ-9 and GAD-7: items, answer options, scoring and severity bands.

Both questionnaires were developed by Drs. Robert L. Spitzer, Janet B. W.
Williams, Kurt Kroenke and colleagues with an educational grant from Pfizer
Inc.; no permission is required to reproduce, translate, display or
distribute them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from journal.core.errors import InvalidInput
from journal.core.model import CheckinKind

STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
OPTIONS = ("Not at all", "Several days", "More than half the days", "Nearly every day")

# The official forms end with one more question, not scored, asked when any
# problem was checked: how much the problems get in the way of daily life.
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

PHQ9_ITEMS = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or "
    "your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
    "being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
)

GAD7_ITEMS = (
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
)

# (lowest total of the band, band name), ascending.
PHQ9_BANDS = (
    (0, "minimal"),
    (5, "mild"),
    (10, "moderate"),
    (15, "moderately severe"),
    (20, "severe"),
)
GAD7_BANDS = ((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe"))
MOOD_BANDS = ((0, ""),)

# PHQ-9 item 9 (thoughts of self-harm), zero-based.
PHQ9_SAFETY_ITEM = 8

# Both questionnaires ask about the last two weeks: offer one when that long has passed.
DUE_AFTER = timedelta(days=14)


@dataclass(frozen=True)
class Instrument:
    kind: CheckinKind
    title: str
    items: tuple[str, ...]
    bands: tuple[tuple[int, str], ...]
    max_answer: int

    @property
    def max_total(self) -> int:
        return len(self.items) * self.max_answer


INSTRUMENTS = {
    CheckinKind.PHQ9: Instrument(CheckinKind.PHQ9, "PHQ-9", PHQ9_ITEMS, PHQ9_BANDS, 3),
    CheckinKind.GAD7: Instrument(CheckinKind.GAD7, "GAD-7", GAD7_ITEMS, GAD7_BANDS, 3),
    CheckinKind.MOOD: Instrument(CheckinKind.MOOD, "Mood", ("Mood (0–10)",), MOOD_BANDS, 10),
}


@dataclass(frozen=True)
class Score:
    total: int
    band: str
    flagged: bool


def band_for(kind: CheckinKind, total: int) -> str:
    band = ""
    for lowest, name in INSTRUMENTS[kind].bands:
        if total >= lowest:
            band = name
    return band


def score(kind: CheckinKind, answers: Sequence[int]) -> Score:
    """Total, severity band and safety flag. Raises `InvalidInput` for a wrong
    number of answers or an answer out of range."""
    instrument = INSTRUMENTS[kind]
    single = len(instrument.items) == 1
    if single and (
        len(answers) != 1
        or isinstance(answers[0], bool)
        or not isinstance(answers[0], int)
        or not 0 <= answers[0] <= instrument.max_answer
    ):
        raise InvalidInput(
            f"{instrument.title} is one whole number from 0 to {instrument.max_answer}; "
            "nothing was saved."
        )
    if len(answers) != len(instrument.items):
        raise InvalidInput(
            f"{instrument.title} needs {len(instrument.items)} answers; {len(answers)} were "
            "given, so nothing was saved."
        )
    for number, answer in enumerate(answers, start=1):
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise InvalidInput(
                f"Answer {number} of {instrument.title} must be a whole number; nothing was saved."
            )
        if not 0 <= answer <= instrument.max_answer:
            raise InvalidInput(
                f"Answer {number} of {instrument.title} must be from 0 to {instrument.max_answer}; "
                "nothing was saved."
            )
    total = sum(answers)
    flagged = kind is CheckinKind.PHQ9 and answers[PHQ9_SAFETY_ITEM] > 0
    return Score(total=total, band=band_for(kind, total), flagged=flagged)


def parse_answers(kind: CheckinKind, text: str) -> list[int]:
    """Answers typed as ``1,0,2,…`` (commas and/or spaces). Raises
    `InvalidInput` with one sentence when a part is not a whole number or the
    count or range is wrong."""
    instrument = INSTRUMENTS[kind]
    parts = [p for p in re.split(r"[,\s;]+", text.strip()) if p]
    answers: list[int] = []
    for number, part in enumerate(parts, start=1):
        if not re.fullmatch(r"[0-9]{1,3}", part) and len(instrument.items) == 1:
            score(kind, [])  # the one-number message
        if not re.fullmatch(r"[0-9]{1,3}", part):
            shown = part if len(part) <= 12 else part[:12] + "…"
            raise InvalidInput(
                f'Answer {number} of {instrument.title} ("{shown}") is not a whole number; '
                f"use 0 to {instrument.max_answer}. Nothing was saved."
            )
        answers.append(int(part))
    score(kind, answers)  # count and range, with the same messages as the app
    return answers


@dataclass(frozen=True)
class Change:
    """How a total moved from the first one: points and, where the first was
    above 0, percent. Numbers only — Afterglow makes no diagnosis."""

    points: int
    percent: int | None

    def text(self) -> str:
        if self.percent is None:
            return f"{self.points:+d} points"
        return f"{self.points:+d} points ({self.percent:+d}%)"


def change(first: int, total: int) -> Change:
    points = total - first
    percent = None if first == 0 else round(100 * points / first)
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
