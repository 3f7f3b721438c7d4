"""A reproducible journal: fixed seed, realistic sizes and word frequencies.

Entries are written from a realistic vocabulary: English function words at
their usual frequencies (about half of all words, as in real prose) and
content words from the EFF long list (7,772 words) drawn with Zipf's law, the
evocative words of session reports ranking first. 200 sessions, 10,000
entries of four answers of about 125 words (about 5 million words), 300
motifs, and attachments of 50 MB in total (images of 500 kB on the entries
of the first 20 sessions, so "export 20 sessions" carries all of them).
`--large` adds a journal of 100,000 entries in 2,000 sessions with 8 MB
files on the later sessions (2 GB of attachments in all), 480 MB of them on
four sessions: the bundle of ~500 MB.

``worst_case=True`` writes every word from the hundred evocative ones, so
nearly every query matches nearly every entry (the old generator; kept to
show how search cost grows with the number of matches).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.bulk import IndexedAfter, made_aside
from journal.core.model import (
    Attachment,
    AttachmentKind,
    Motif,
    MotifKind,
    Phase,
    PromptKind,
    Route,
    Session,
)
from journal.core.text import stamp
from journal.core.vault import vault as vaults
from journal.core.vault.keyfile import DEFAULT_KDF
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
    """PNG-signed bytes of a given size (attachments are stored as bytes);
    random, so incompressible, as real pictures and sound are."""
    return b"\x89PNG\r\n\x1a\n" + rng.randbytes(size - 8)


IMAGE_BYTES = 500_000
LARGE_BYTES = 8_000_000
# In a journal with large attachments, the sessions after the first twenty
# hold this much of them: exporting those sessions gives a bundle of ~500 MB
# (the reader's limit is 512 MiB).
BUNDLE_SESSIONS = range(21, 25)
BUNDLE_ATTACHMENT_BYTES = 480_000_000

_ENTRY = (
    "INSERT INTO entries (id, session_id, phase, title, private, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, 0, ?, ?)"
)
_ANSWER = (
    "INSERT INTO answers (entry_id, position, prompt_key, prompt_text, kind, body, private) "
    "VALUES (?, ?, ?, ?, ?, ?, 0)"
)


def populate(
    vault: Vault,
    *,
    entries: int,
    sessions: int = 200,
    motifs: int = 300,
    attachment_bytes: int = 50_000_000,
    large_bytes: int = 0,
    seed: int = 7,
    worst_case: bool = False,
) -> None:
    """Fill ``vault``; the same arguments always give the same journal.

    ``attachment_bytes`` of 500 kB images go on the entries of the first 20
    sessions; ``large_bytes`` of 8 MB files on the later ones, the first
    480 MB of them on `BUNDLE_SESSIONS`. Sessions, motifs and attachments are
    written through the repositories; entries, the bulk, with one
    ``executemany`` per batch of the repositories' own INSERTs, made in a
    second process, the search index filled after them from the schema's
    own triggers (`benchmarks.bulk`); all in one transaction.
    """
    rng = random.Random(seed)
    words = Vocabulary(rng, worst_case=worst_case)
    start = datetime(2024, 1, 1, 9).astimezone()
    starts = [start + timedelta(days=3 * i) for i in range(sessions)]
    with vault.db.transaction():
        session_ids = [_add_session(vault, rng, words, started) for started in starts]
        by_session = _add_entries(
            vault, rng, words, dict(zip(session_ids, starts, strict=True)), entries
        )
        names = list(dict.fromkeys(EVOCATIVE + [w for w in words.words if len(w) > 3]))[:motifs]
        all_entries = [e for ids in by_session.values() for e in ids]
        for name in names:
            motif = vault.motifs.add(Motif(name=name, kind=rng.choice(list(MotifKind))))
            assert motif.id is not None
            for entry_id in rng.sample(all_entries, min(len(all_entries), rng.randint(1, 12))):
                vault.motifs.link(motif.id, entry_id)

        def on(chosen: Sequence[int]) -> list[int]:
            return [e for s in chosen for e in by_session.get(s, [])]

        _attach(vault, rng, on(session_ids[:20]), attachment_bytes, IMAGE_BYTES, "image")
        bundle = min(large_bytes, BUNDLE_ATTACHMENT_BYTES)
        in_bundle = on([s for s in session_ids if s in BUNDLE_SESSIONS])
        _attach(vault, rng, in_bundle, bundle, LARGE_BYTES, "large")
        later = on([s for s in session_ids[20:] if s not in BUNDLE_SESSIONS])
        _attach(vault, rng, later, large_bytes - bundle, LARGE_BYTES, "later")


def _add_session(vault: Vault, rng: random.Random, words: Vocabulary, started: datetime) -> int:
    session = vault.sessions.add(
        Session(
            started_at=started,
            route=rng.choice(list(Route)),
            intention=words.text(12),
            setting="Clinic",
            mood_before=rng.randint(0, 10),
            mood_after=rng.randint(0, 10),
        )
    )
    assert session.id is not None
    return session.id


def _add_entries(
    vault: Vault,
    rng: random.Random,
    words: Vocabulary,
    started: dict[int, datetime],
    count: int,
) -> dict[int, list[int]]:
    """``count`` entries of four answers, spread evenly over the sessions in
    order; each written a minute after the one before, from its session's
    start. Returns the entry ids by session."""
    first = int(vault.db.scalar("SELECT coalesce(max(id), 0) FROM entries")) + 1
    session_ids = list(started)
    by_session: dict[int, list[int]] = {}
    for number in range(count):
        session_id = session_ids[number * len(session_ids) // max(count, 1)]
        by_session.setdefault(session_id, []).append(first + number)
    written = {
        entry_id: stamp(started[session_id] + timedelta(minutes=minutes))
        for session_id, ids in by_session.items()
        for minutes, entry_id in enumerate(ids)
    }
    session_of = {e: s for s, ids in by_session.items() for e in ids}
    phases = list(Phase)

    def batches(size: int = 2_000) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
        for offset in range(first, first + count, size):
            entry_rows, answer_rows = [], []
            for entry_id in range(offset, min(first + count, offset + size)):
                phase, title = rng.choice(phases).value, words.text(4)
                when = written[entry_id]
                entry_rows.append((entry_id, session_of[entry_id], phase, title, when, when))
                answer_rows += [
                    (entry_id, k, f"p{k}", f"Prompt {k}", PromptKind.TEXT.value, words.text(125))
                    for k in range(4)
                ]
            yield entry_rows, answer_rows

    index = IndexedAfter(vault.db, ("entries", "answers"))
    for entry_rows, answer_rows in made_aside(batches, rng):
        vault.db.connection.executemany(_ENTRY, entry_rows)
        vault.db.connection.executemany(_ANSWER, answer_rows)
    index.finish()
    return by_session


def _attach(
    vault: Vault, rng: random.Random, entry_ids: list[int], total: int, size: int, prefix: str
) -> None:
    """``total`` bytes of ``size``-byte files, placed in turn on ``entry_ids``
    (spread evenly over them), through the attachment repository."""
    count = total // size if entry_ids else 0
    for number in range(count):
        vault.attachments.add(
            Attachment(
                AttachmentKind.IMAGE,
                "image/png",
                name=f"{prefix}-{number}.png",
                entry_id=entry_ids[number * len(entry_ids) // count],
            ),
            fake_image(rng, size),
        )


def build(
    path: Path, *, entries: int, attachment_bytes: int, large_bytes: int = 0, sessions: int = 200
) -> None:
    """A new vault at ``path`` with the app's own key derivation, populated."""
    vault, _ = vaults.create(path, PASSPHRASE, kdf=DEFAULT_KDF)
    with vault:
        populate(
            vault,
            entries=entries,
            sessions=sessions,
            attachment_bytes=attachment_bytes,
            large_bytes=large_bytes,
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
