"""A reproducible journal: fixed seed, realistic sizes and word frequencies.

Entries are written from a realistic vocabulary: English function words at
their usual frequencies (about half of all words, as in real prose) and
content words from the EFF long list (7,772 words) drawn with Zipf's law, the
evocative words of session reports ranking first. 200 sessions, 10,000
entries of four answers of about 125 words (about 5 million words), 300
motifs, and attachments of 50 MB in total (images of 500 kB on the entries
of the first 20 sessions, so "export 20 sessions" carries all of them).

``worst_case=True`` writes every word from the hundred evocative ones, so
nearly every query matches nearly every entry (the old generator; kept to
show how search cost grows with the number of matches).
"""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta

from journal.core.model import (
    Answer,
    Attachment,
    AttachmentKind,
    Entry,
    Motif,
    MotifKind,
    Phase,
    PromptKind,
    Route,
    Session,
)
from journal.core.vault.vault import Vault
from journal.core.words import word_list

EVOCATIVE = (
    "door ocean light blue violet floating body warm heavy chest breath music piano voice "
    "grandmother child house river forest cave sky falling flying colour gold spiral eyes "
    "hands safe afraid sad calm tears laugh memory kitchen winter summer garden window road "
    "mother father brother sister friend alone together dissolving melting shapes geometry "
    "patterns stars space silence noise humming vibration tingling numb far close inside "
    "outside time slow fast endless small huge soft sharp old new lost found home"
).split()
# The most frequent English words with rough per-million frequencies.
FUNCTION_WORDS = {
    "the": 56000,
    "and": 28000,
    "i": 27000,
    "to": 26000,
    "of": 25000,
    "a": 23000,
    "was": 14000,
    "it": 12000,
    "in": 12000,
    "my": 9000,
    "that": 9000,
    "like": 6000,
    "me": 6000,
    "felt": 5000,
    "with": 5000,
    "so": 4500,
    "then": 4000,
    "there": 3500,
    "on": 3500,
    "as": 3000,
    "but": 3000,
    "all": 2800,
    "not": 2600,
    "could": 2400,
    "were": 2200,
    "from": 2000,
    "into": 1800,
    "be": 1800,
    "had": 1700,
    "just": 1600,
}
PASSPHRASE = "benchmark passphrase words"


class Vocabulary:
    """Draws words with realistic frequencies (reproducibly)."""

    def __init__(self, rng: random.Random, *, worst_case: bool = False) -> None:
        self.rng = rng
        if worst_case:
            self.words: list[str] = list(EVOCATIVE)
            weights = [1.0] * len(self.words)
        else:
            content = list(EVOCATIVE) + [w for w in word_list() if w not in EVOCATIVE]
            total_function = sum(FUNCTION_WORDS.values())
            # Zipf (s = 1.07) over content words, scaled to half of all words.
            zipf = [1 / (rank**1.07) for rank in range(1, len(content) + 1)]
            scale = total_function / sum(zipf)
            self.words = list(FUNCTION_WORDS) + content
            weights = list(FUNCTION_WORDS.values()) + [z * scale for z in zipf]
        self._cumulative = list(itertools.accumulate(weights))

    def text(self, count: int) -> str:
        words = self.rng.choices(self.words, cum_weights=self._cumulative, k=count)
        return " ".join(words).capitalize() + "."


def fake_image(rng: random.Random, size: int) -> bytes:
    """PNG-signed bytes of a given size (attachments are stored as bytes)."""
    return b"\x89PNG\r\n\x1a\n" + rng.randbytes(size - 8)


def populate(
    vault: Vault,
    *,
    entries: int,
    sessions: int = 200,
    motifs: int = 300,
    attachment_bytes: int = 50_000_000,
    seed: int = 7,
    worst_case: bool = False,
) -> None:
    """Fill ``vault``; the same arguments always give the same journal."""
    rng = random.Random(seed)
    words = Vocabulary(rng, worst_case=worst_case)
    start = datetime(2024, 1, 1, 9).astimezone()
    session_ids: list[int] = []
    entry_ids_by_session: dict[int, list[int]] = {}
    with vault.db.transaction():
        for i in range(sessions):
            session = vault.sessions.add(
                Session(
                    started_at=start + timedelta(days=3 * i),
                    route=rng.choice(list(Route)),
                    intention=words.text(12),
                    setting="Clinic",
                    mood_before=rng.randint(0, 10),
                    mood_after=rng.randint(0, 10),
                )
            )
            assert session.id is not None
            session_ids.append(session.id)
        for number in range(entries):
            session_id = session_ids[number * sessions // max(entries, 1)]
            entry = vault.entries.add(
                Entry(
                    phase=rng.choice(list(Phase)),
                    title=words.text(4),
                    session_id=session_id,
                    answers=[
                        Answer(f"p{k}", f"Prompt {k}", PromptKind.TEXT, words.text(125))
                        for k in range(4)
                    ],
                )
            )
            assert entry.id is not None
            entry_ids_by_session.setdefault(session_id, []).append(entry.id)
        names = list(dict.fromkeys(EVOCATIVE + [w for w in words.words if len(w) > 3]))[:motifs]
        all_entries = [e for ids in entry_ids_by_session.values() for e in ids]
        for name in names:
            motif = vault.motifs.add(Motif(name=name, kind=rng.choice(list(MotifKind))))
            assert motif.id is not None
            for entry_id in rng.sample(all_entries, min(len(all_entries), rng.randint(1, 12))):
                vault.motifs.link(motif.id, entry_id)
        first_twenty = [e for s in session_ids[:20] for e in entry_ids_by_session.get(s, [])]
        size = 500_000
        for number in range(attachment_bytes // size):
            vault.attachments.add(
                Attachment(
                    AttachmentKind.IMAGE,
                    "image/png",
                    name=f"image-{number}.png",
                    entry_id=first_twenty[number % len(first_twenty)] if first_twenty else None,
                ),
                fake_image(rng, size),
            )


def search_queries(seed: int = 11, words: int = 40) -> list[str]:
    """What a person types when searching, keystroke by keystroke: prefixes
    (from two letters) of words a journal is searched for — evocative words,
    and content words of every frequency — and a few two-word queries."""
    rng = random.Random(seed)
    content = [w for w in word_list() if w not in EVOCATIVE]
    chosen = rng.sample(EVOCATIVE, words // 2) + rng.sample(content[:2000], words // 2)
    typed: list[str] = []
    for word in chosen:
        typed += [word[:n] for n in range(2, len(word) + 1)]
    for first, second in zip(chosen[::2], chosen[1::2], strict=False):
        typed += [f"{first} {second[:n]}" for n in range(2, len(second) + 1)][:4]
    return typed
