"""The guided meditation's clock: where a breathing pacer or a body scan is
at a given moment. Pure arithmetic on elapsed seconds, so the app draws from
it on a timer and tests drive it with a fixed clock (no real waiting)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from journal.core.model import MeditationKind

MINUTES = (3, 5, 10)
BREATHS_PER_MINUTE = (4, 5, 6)
# Breathing in takes two fifths of each breath, breathing out three: a longer
# out-breath is the usual pattern of slow, paced breathing.
INHALE_SHARE = 0.4
# The shape's size, as a share of its largest: smallest at the end of a
# breath out, whole at the end of a breath in.
SMALLEST = 0.45

BODY_SCAN = (
    "Let yourself settle where you are. There is nothing to get right.",
    "Notice where your body touches the chair or the bed.",
    "Bring your attention to your feet. Just notice them, as they are.",
    "Move up to your legs. Heavy, light, warm or cool — all of it is fine.",
    "Notice your belly rising and falling with each breath.",
    "Let your attention rest on your chest and your back.",
    "Notice your hands and your arms. Let them be soft.",
    "Your shoulders and your neck. If they want to let go a little, let them.",
    "Your face: your jaw, your eyes, your forehead.",
    "Now notice your whole body at once, breathing.",
    "When you are ready, come back to the room, slowly.",
)


@dataclass(frozen=True)
class Moment:
    """What the meditation shows at one instant."""

    words: str  # "Breathe in", "Breathe out", or the body scan's sentence
    size: float  # the shape's size, SMALLEST..1 (1 when there is no shape to move)
    finished: bool = False
    # The body scan's sentence number, or the breath number (from 0).
    step: int = 0


@dataclass(frozen=True)
class Plan:
    """A meditation as chosen: its kind, length and (breathing) rhythm."""

    kind: MeditationKind = MeditationKind.BREATHING
    minutes: int = 5
    breaths_per_minute: int = 6

    @property
    def seconds(self) -> int:
        return self.minutes * 60

    @property
    def breath(self) -> float:
        """The length of one breath, in seconds."""
        return 60.0 / self.breaths_per_minute

    @property
    def label(self) -> str:
        if self.kind is MeditationKind.BODY_SCAN:
            return f"a {self.minutes}-minute body scan"
        return f"{self.minutes} minutes of paced breathing, {self.breaths_per_minute} a minute"

    def at(self, elapsed: float) -> Moment:
        if elapsed >= self.seconds:
            return Moment("Well done.", 1.0, finished=True)
        elapsed = max(0.0, elapsed)
        if self.kind is MeditationKind.BODY_SCAN:
            each = self.seconds / len(BODY_SCAN)
            step = min(int(elapsed // each), len(BODY_SCAN) - 1)
            return Moment(BODY_SCAN[step], 1.0, step=step)
        number, into = divmod(elapsed, self.breath)
        inhale = self.breath * INHALE_SHARE
        if into < inhale:
            words, grown = "Breathe in", _ease(into / inhale)
        else:
            words, grown = "Breathe out", 1.0 - _ease((into - inhale) / (self.breath - inhale))
        return Moment(words, SMALLEST + (1.0 - SMALLEST) * grown, step=int(number))

    def turns(self, start: float, end: float) -> int:
        """How many times the words change in (start, end]: the tones ring then."""
        if self.kind is MeditationKind.BODY_SCAN:
            each = self.seconds / len(BODY_SCAN)
            return _count(start, end, each, 0.0)
        inhale = self.breath * INHALE_SHARE
        return _count(start, end, self.breath, 0.0) + _count(start, end, self.breath, inhale)


def _ease(share: float) -> float:
    """Slow at both ends, like a breath: half a cosine."""
    return (1.0 - math.cos(math.pi * min(max(share, 0.0), 1.0))) / 2.0


def _count(start: float, end: float, period: float, offset: float) -> int:
    """The number of instants offset + k·period (k ≥ 1 when offset is 0) in (start, end]."""
    first = 1 if offset == 0.0 else 0

    def upto(t: float) -> int:
        return max(0, math.floor((t - offset) / period) + 1 - first) if t >= offset else 0

    return max(0, upto(end) - upto(start))
