"""A reproducible journal: fixed seed, realistic shapes."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from journal.core.model import Answer, Entry, Phase, PromptKind, Route, Session
from journal.core.vault import Vault

WORDS = (
    "door ocean light blue violet floating body warm heavy chest breath music piano voice "
    "grandmother child house river forest cave sky falling flying colour gold spiral eyes "
    "hands safe afraid sad calm tears laugh memory kitchen winter summer garden window road "
    "mother father brother sister friend alone together dissolving melting shapes geometry "
    "patterns stars space silence noise humming vibration tingling numb far close inside "
    "outside time slow fast endless small huge soft sharp old new lost found home"
).split()


def paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def populate(vault: Vault, *, entries: int, sessions: int = 200, seed: int = 7) -> None:
    """Fill ``vault`` with ``sessions`` sessions and ``entries`` entries of
    four answers each (about 500 words per entry)."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, 9).astimezone()
    session_ids = []
    with vault.db.transaction():
        for i in range(sessions):
            session = vault.sessions.add(
                Session(
                    started_at=start + timedelta(days=3 * i),
                    route=rng.choice(list(Route)),
                    intention=paragraph(rng, 12),
                    setting="Clinic",
                    mood_before=rng.randint(0, 10),
                    mood_after=rng.randint(0, 10),
                )
            )
            session_ids.append(session.id)
        for _ in range(entries):
            vault.entries.add(
                Entry(
                    phase=rng.choice(list(Phase)),
                    title=paragraph(rng, 4),
                    session_id=rng.choice(session_ids),
                    answers=[
                        Answer(f"p{k}", f"Prompt {k}", PromptKind.TEXT, paragraph(rng, 120))
                        for k in range(4)
                    ],
                )
            )
