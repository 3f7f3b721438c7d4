"""A realistic sample journal for `afterglow --demo`: four sessions over six
weeks with right-after and next-day entries, recurring motifs, a sketch, a
reflection and check-ins. Everything here is invented."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from journal.core.model import (
    Answer,
    Attachment,
    AttachmentKind,
    CheckinKind,
    Entry,
    Meditation,
    MeditationKind,
    Phase,
    PromptKind,
    Route,
    Session,
)
from journal.core.text import stamp
from journal.core.vault.vault import Vault


@dataclass(frozen=True)
class _Sample:
    days_ago: int
    route: Route
    dose: str
    setting: str
    intention: str
    music: str
    mood_before: int
    mood_after: int
    first: str
    images: str
    motifs: list[tuple[str, str, str]]
    body: str
    emotions: str
    word: str
    effects: list[str]
    next: str


_SESSIONS: list[dict[str, object]] = [
    {
        "days_ago": 42,
        "route": Route.IV,
        "dose": "0.5 mg/kg over 40 min",
        "setting": "Riverside clinic, room 3",
        "intention": "To meet the heaviness without fighting it",
        "music": "Ambient piano playlist",
        "mood_before": 2,
        "mood_after": 5,
        "first": "The ceiling dissolved into slow purple waves and I was lying on warm sand.",
        "images": "Purple and gold. A long corridor of doors, all half open. "
        "Light leaking under them.",
        "motifs": [("a door in the ocean", "image", "curious"), ("floating", "metaphor", "relief")],
        "body": "Heavy arms, then suddenly light. Tingling in my hands.",
        "emotions": "Sadness first, then a strange calm.",
        "word": "Opening",
        "effects": ["Dizziness", "Blurred vision"],
        "next": "I keep thinking about the doors. I didn't go through any of them, "
        "and that's okay.",
    },
    {
        "days_ago": 35,
        "route": Route.IV,
        "dose": "0.5 mg/kg over 40 min",
        "setting": "Riverside clinic, room 3",
        "intention": "To be gentler with myself",
        "music": "Same playlist, softer",
        "mood_before": 3,
        "mood_after": 6,
        "first": "My grandmother's kitchen, the smell of bread, and her humming.",
        "images": "Yellow light, a blue window, the door again, this time standing in the sea.",
        "motifs": [
            ("a door in the ocean", "image", "safe"),
            ("grandmother's kitchen", "image", "warm"),
        ],
        "body": "Warm chest. My jaw finally relaxed.",
        "emotions": "Tender. I cried a little and it felt clean.",
        "word": "Home",
        "effects": ["Nausea"],
        "next": "I called my sister today. First time in weeks.",
    },
    {
        "days_ago": 21,
        "route": Route.INTRANASAL,
        "dose": "56 mg",
        "setting": "Clinic, recovery chair by the window",
        "intention": "To look at the anger",
        "music": "Drums, then silence",
        "mood_before": 4,
        "mood_after": 6,
        "first": "A red kite pulling hard on its string, and me holding on.",
        "images": "Red, orange, a storm that never arrived. The ocean was far away this time.",
        "motifs": [("a red kite", "image", "tense"), ("holding on", "metaphor", "tired")],
        "body": "Tight shoulders. Buzzing.",
        "emotions": "Anger, then a kind of respect for it.",
        "word": "Pull",
        "effects": ["Headache", "Tiredness"],
        "next": "The kite might be the part of me that wants to leave. I don't hate it.",
    },
    {
        "days_ago": 7,
        "route": Route.IV,
        "dose": "0.6 mg/kg over 40 min",
        "setting": "Riverside clinic, room 3",
        "intention": "To go through one door",
        "music": "Ambient piano playlist",
        "mood_before": 5,
        "mood_after": 7,
        "first": "I walked through the door in the ocean and it was quiet on the other side.",
        "images": "Deep blue, then white. A small boat. Stars under the water.",
        "motifs": [("a door in the ocean", "image", "brave"), ("floating", "metaphor", "peace")],
        "body": "Light and wide, as if my ribs had more room.",
        "emotions": "Peace, and a bit of grief for how long it took.",
        "word": "Through",
        "effects": ["Dizziness"],
        "next": "Slept nine hours. Still feel the width in my chest.",
    },
]
_SAMPLES = [_Sample(**data) for data in _SESSIONS]  # type: ignore[arg-type]


def door_sketch() -> bytes:
    """A patient's sketch of "a door in the ocean": waves, a door of light,
    stars under the water — drawn the way the sketch pad stores sketches."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 800), "#f6f1e7")
    pen = ImageDraw.Draw(image)
    for row in range(6):
        y = 330 + row * 75
        points = [(x, y + 18 * math.sin((x + row * 50) / 60)) for x in range(0, 1201, 12)]
        pen.line(points, fill="#2f5d9e", width=9 - row)
    pen.rounded_rectangle((520, 170, 700, 560), radius=14, outline="#a8650f", width=12)
    pen.rectangle((545, 195, 675, 535), fill="#f3d9a4")
    pen.ellipse((640, 360, 660, 380), fill="#a8650f")
    for x, y in ((180, 640), (320, 710), (880, 650), (1010, 720), (760, 745)):
        pen.line((x - 16, y, x + 16, y), fill="#6b4a9e", width=6)
        pen.line((x, y - 16, x, y + 16), fill="#6b4a9e", width=6)
    pen.line((200, 300, 360, 250, 480, 280), fill="#1f7a70", width=7)  # a small boat
    pen.line((250, 300, 430, 300), fill="#1f7a70", width=7)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _backdate(vault: Vault, entry_id: int | None, when: datetime) -> None:
    """Give a sample entry the time it would have been written."""
    vault.db.execute(
        "UPDATE entries SET created_at = ?, updated_at = ? WHERE id = ?",
        (stamp(when), stamp(when), entry_id),
    )


def populate(vault: Vault, *, now: datetime | None = None) -> None:
    """Fill an empty vault with the sample journal."""
    now = now or datetime.now().astimezone()
    gentle = vault.templates.get("right-after-gentle")
    prompts = {p.key: p.text for p in gentle.prompts}
    with vault.db.transaction():
        phq = [
            [2, 3, 2, 2, 1, 2, 2, 1, 0],
            [2, 2, 2, 2, 1, 1, 1, 1, 0],
            [1, 1, 1, 2, 1, 1, 1, 0, 0],
            [1, 1, 1, 1, 0, 1, 0, 0, 0],
        ]
        gad = [
            [2, 2, 2, 2, 1, 1, 1],
            [2, 1, 2, 1, 1, 1, 1],
            [1, 1, 1, 1, 1, 1, 0],
            [1, 1, 1, 0, 0, 1, 0],
        ]
        ebi = [
            [40, 15, 35, 20, 10, 30],
            [65, 40, 60, 55, 35, 60],
            [70, 55, 75, 70, 50, 80],
            [55, 45, 60, 50, 45, 65],
        ]
        first_entry = None
        for index, data in enumerate(_SAMPLES):
            started = (now - timedelta(days=data.days_ago)).replace(
                hour=10, minute=0, second=0, microsecond=0
            )
            session = vault.sessions.add(
                Session(
                    started_at=started,
                    route=data.route,
                    dose=data.dose,
                    setting=data.setting,
                    intention=data.intention,
                    music=data.music,
                    mood_before=data.mood_before,
                    mood_after=data.mood_after,
                    after_effects=list(data.effects),
                )
            )
            motifs = [{"name": n, "kind": k, "feeling": f} for n, k, f in data.motifs]
            answers = [
                Answer("first", prompts["first"], text=data.first),
                Answer("images", prompts["images"], text=data.images),
                Answer("metaphors", prompts["metaphors"], kind=PromptKind.MOTIFS, value=motifs),
                Answer("body", prompts["body"], text=data.body),
                Answer("emotions", prompts["emotions"], text=data.emotions),
                Answer("one_word", prompts["one_word"], text=data.word),
                Answer(
                    "after_effects",
                    prompts["after_effects"],
                    kind=PromptKind.AFTER_EFFECTS,
                    value=list(data.effects),
                ),
                Answer(
                    "mood_after",
                    prompts["mood_after"],
                    kind=PromptKind.SCALE,
                    value=data.mood_after,
                ),
            ]
            entry = vault.entries.add(
                Entry(
                    phase=Phase.RIGHT_AFTER,
                    title=f"Session {index + 1} — right after",
                    session_id=session.id,
                    template_id=gentle.id,
                    answers=answers,
                )
            )
            _backdate(vault, entry.id, started + timedelta(hours=1))
            if data is _SAMPLES[-1]:  # five minutes of paced breathing before the last session
                vault.meditations.add(
                    Meditation(
                        MeditationKind.BREATHING,
                        started - timedelta(minutes=25),
                        seconds=300,
                        breaths_per_minute=6,
                        session_id=session.id,
                    )
                )
            if data is _SAMPLES[-1]:  # the last session's sketch of its door
                door = vault.motifs.find_by_name("a door in the ocean")
                vault.attachments.add(
                    Attachment(
                        AttachmentKind.SKETCH,
                        "image/png",
                        name="sketch",
                        entry_id=entry.id,
                        prompt_key="images",
                        motif_id=door.id if door else None,
                    ),
                    door_sketch(),
                )
            first_entry = first_entry or entry
            next_day = vault.entries.add(
                Entry(
                    phase=Phase.NEXT_DAY,
                    title=f"Session {index + 1} — next day",
                    session_id=session.id,
                    template_id="next-day",
                    answers=[
                        Answer(
                            "stayed",
                            "Reading what you wrote right after: what stands out now?",
                            text=data.next,
                        )
                    ],
                )
            )
            _backdate(vault, next_day.id, started + timedelta(days=1, hours=-1))
            vault.checkins.add(CheckinKind.PHQ9, phq[index], taken_at=started - timedelta(hours=1))
            vault.checkins.add(CheckinKind.GAD7, gad[index], taken_at=started - timedelta(hours=1))
            vault.checkins.add(
                CheckinKind.MOOD,
                [data.mood_before],
                taken_at=started - timedelta(minutes=30),
                session_id=session.id,
            )
            # The Emotional Breakthrough Inventory about the session, the next day.
            if started + timedelta(days=1) < now:
                vault.checkins.add(
                    CheckinKind.EBI,
                    ebi[index % len(ebi)],
                    taken_at=started + timedelta(days=1),
                    session_id=session.id,
                )
            # Two quick daily moods in the days after each session.
            for days, lift, note in ((2, 1, ""), (4, 0, "a heavy morning, better by noon")):
                when = started + timedelta(days=days, hours=-2)
                if when < now:
                    vault.checkins.add(
                        CheckinKind.MOOD,
                        [min(10, data.mood_before + lift)],
                        note=note,
                        taken_at=when,
                    )
        assert first_entry is not None and first_entry.id is not None
        reflection = vault.entries.add_reflection(
            first_entry.id,
            Entry(
                phase=Phase.INTEGRATION,
                title="Looking back at the first session",
                answers=[
                    Answer(
                        "text",
                        "Reflection",
                        text=(
                            "Six weeks later the corridor of doors makes sense. I was not "
                            "ready, and the half-open doors were **permission to wait**."
                        ),
                    )
                ],
            ),
        )
        _backdate(vault, reflection.id, now - timedelta(days=2))
        agenda = vault.entries.add(
            Entry(
                phase=Phase.BEFORE_THERAPY,
                title="For Thursday's appointment",
                answers=[
                    Answer(
                        "agenda",
                        "What would you like to talk about?",
                        text=(
                            "- The door in the ocean — I finally went through\n"
                            "- Calling my sister\n- The red kite: what is it pulling me towards?"
                        ),
                    )
                ],
            )
        )
        _backdate(vault, agenda.id, now - timedelta(hours=3))
