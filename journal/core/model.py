"""The domain: sessions, entries and their answers, motifs, attachments, check-ins.

Plain dataclasses with no storage logic. An ``id`` of ``None`` means "not yet
stored"; repositories return stored copies with their ids filled in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Route(StrEnum):
    """How the ketamine was given."""

    IV = "iv"
    INTRANASAL = "intranasal"
    IM = "im"
    ORAL = "oral"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _ROUTE_LABELS[self]


_ROUTE_LABELS = {
    Route.IV: "IV infusion",
    Route.INTRANASAL: "Intranasal (nasal spray)",
    Route.IM: "IM injection",
    Route.ORAL: "Oral / sublingual (lozenge)",
    Route.OTHER: "Other",
}


class Phase(StrEnum):
    """When, relative to a session, an entry was written."""

    BEFORE = "before"
    RIGHT_AFTER = "right_after"
    NEXT_DAY = "next_day"
    INTEGRATION = "integration"
    BEFORE_THERAPY = "before_therapy"
    FREE = "free"

    @property
    def label(self) -> str:
        return _PHASE_LABELS[self]


_PHASE_LABELS = {
    Phase.BEFORE: "Before the session",
    Phase.RIGHT_AFTER: "Right after",
    Phase.NEXT_DAY: "Next day",
    Phase.INTEGRATION: "Integration",
    Phase.BEFORE_THERAPY: "Before therapy",
    Phase.FREE: "Free writing",
}


class PromptKind(StrEnum):
    TEXT = "text"
    SCALE = "scale"
    CHOICE = "choice"
    MOTIFS = "motifs"
    AFTER_EFFECTS = "after_effects"


class MotifKind(StrEnum):
    IMAGE = "image"
    METAPHOR = "metaphor"
    SOUND = "sound"
    BODY = "body"
    OTHER = "other"


class AttachmentKind(StrEnum):
    SKETCH = "sketch"
    IMAGE = "image"
    AUDIO = "audio"


class MeditationKind(StrEnum):
    BREATHING = "breathing"
    BODY_SCAN = "body_scan"

    @property
    def label(self) -> str:
        return "paced breathing" if self is MeditationKind.BREATHING else "body scan"


class CheckinKind(StrEnum):
    """The built-in kinds of check-in. An instrument a clinician handed over has
    its own id (a plain string); built-in kinds are strings too."""

    MOOD = "mood"
    PHQ9 = "phq9"
    GAD7 = "gad7"
    EBI = "ebi"
    PCL5 = "pcl5"

    @classmethod
    def of(cls, value: str) -> str:
        """The member for a built-in kind's id (so ``is`` comparisons hold), else the id."""
        return cls(value) if value in cls._value2member_map_ else value


# A value of a non-text answer: a 0–10 scale, one choice, or a checklist.
AnswerValue = int | str | list[str] | list[dict[str, str]] | None


@dataclass
class Session:
    started_at: datetime
    route: Route = Route.OTHER
    dose: str = ""
    setting: str = ""
    intention: str = ""
    music: str = ""
    mood_before: int | None = None
    mood_after: int | None = None
    after_effects: list[str] = field(default_factory=list)
    notes: str = ""
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # The treatment day's checklist items ticked for this session (kept in the
    # journal, never shared).
    checklist: list[str] = field(default_factory=list)


@dataclass
class Answer:
    """The patient's answer to one prompt. The prompt's text is kept with the
    answer, so later template edits never rewrite what was answered."""

    prompt_key: str
    prompt_text: str
    kind: PromptKind = PromptKind.TEXT
    text: str = ""
    value: AnswerValue = None
    private: bool = False
    id: int | None = None


@dataclass
class Entry:
    phase: Phase = Phase.FREE
    title: str = ""
    answers: list[Answer] = field(default_factory=list)
    session_id: int | None = None
    template_id: str | None = None
    private: bool = False
    reflection_of: int | None = None
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # Set when a stored entry was changed after it was first saved, so a
    # reader can tell the raw capture from a later edit.
    edited_at: datetime | None = None
    # The journal it was imported from ("Day One", "jrnl", …); "" when written here.
    source: str = ""

    @property
    def text(self) -> str:
        """All text answers joined, for previews and plain exports."""
        return "\n\n".join(a.text for a in self.answers if a.text)


@dataclass(frozen=True)
class EntrySummary:
    """What a timeline row shows of an entry, without loading its answers."""

    id: int
    session_id: int | None
    phase: Phase
    title: str
    created_at: datetime
    edited_at: datetime | None
    reflection_of: int | None
    # The start of the first written answer, as stored (up to 200 characters).
    preview: str

    @property
    def preview_line(self) -> str:
        """The preview on one line, whitespace collapsed, at most 160 characters."""
        return " ".join(self.preview.split())[:160]


@dataclass
class Motif:
    """An image or metaphor the patient names, linked to the entries it appears in."""

    name: str
    kind: MotifKind = MotifKind.IMAGE
    feeling: str = ""
    meaning: str = ""
    id: int | None = None
    created_at: datetime | None = None
    entry_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class MotifUsage:
    """A motif with how often it came back: across sessions, then entries."""

    motif: Motif
    session_ids: tuple[int, ...]
    entry_count: int


@dataclass
class Attachment:
    """Metadata of a blob stored inside the vault (the bytes are fetched apart)."""

    kind: AttachmentKind
    mime: str
    size: int = 0
    name: str = ""
    entry_id: int | None = None
    motif_id: int | None = None
    private: bool = False
    id: int | None = None
    created_at: datetime | None = None
    # The prompt (answer) of its entry it belongs under; "" for the whole entry.
    prompt_key: str = ""
    # A voice note's length; None for pictures.
    seconds: float | None = None

    @property
    def is_picture(self) -> bool:
        return self.kind in (AttachmentKind.SKETCH, AttachmentKind.IMAGE)

    @property
    def label(self) -> str:
        """How people call it: "Sketch", "Picture", "Voice note (1:05)"."""
        if self.kind is AttachmentKind.AUDIO:
            if self.seconds is None:
                return "Voice note"
            minutes, seconds = divmod(round(self.seconds), 60)
            return f"Voice note ({minutes}:{seconds:02d})"
        return "Sketch" if self.kind is AttachmentKind.SKETCH else "Picture"


@dataclass
class Checkin:
    kind: str  # a CheckinKind, or the id of an instrument a clinician handed over
    taken_at: datetime
    answers: list[int] = field(default_factory=list)
    total: float = 0  # an int for summed questionnaires; a mean has one decimal
    band: str = ""
    note: str = ""
    session_id: int | None = None
    # True when the answers call for the safety screen (PHQ-9 item 9 > 0).
    flagged: bool = False
    id: int | None = None
    # PHQ-9 / GAD-7: the unscored last question, 0–3 (None: not asked or skipped).
    difficulty: int | None = None


@dataclass
class Meditation:
    """A guided meditation done: how long, which kind, and the session it was
    before (None: on its own, on that day)."""

    kind: MeditationKind
    started_at: datetime
    seconds: int
    breaths_per_minute: int | None = None
    session_id: int | None = None
    id: int | None = None

    @property
    def minutes(self) -> int:
        """Whole minutes, at least one: "meditated 5 minutes"."""
        return max(1, round(self.seconds / 60))

    @property
    def summary(self) -> str:
        """ "Meditated 5 minutes (paced breathing)"."""
        unit = "minute" if self.minutes == 1 else "minutes"
        return f"Meditated {self.minutes} {unit} ({self.kind.label})"
