"""How strong a passphrase is, judged the way attackers guess.

With the vault and its key file in hand, an attacker tries the likely
passphrases first: common passwords, words and names, keyboard walks,
repeats, sequences, dates, l33t spellings. zxcvbn (Dropbox's estimator)
estimates how many guesses reach a passphrase in that order; Argon2id makes
each guess expensive, but does not save a passphrase that is guess number
ten thousand. (A count of character classes, as before, called
"password123456" strong.)

The rule, the same for the app's first run, recovery and the command line
(`judge`; `journal.core.vault.keyfile.check_passphrase_strength` enforces it):

- fewer than 8 characters, or zxcvbn's two lowest classes (guessable within
  about a million tries): refused, with one plain sentence saying why;
- its middle class: accepted, with a suggestion;
- its two top classes: strong.

Words the app knows the person may be tempted to use — Afterglow, ketamine,
therapy, the journal's name — count as guessable. The passphrase is never
logged or stored; zxcvbn sees at most its first 72 characters (more adds
nothing to what it can tell, and its cost grows with the length).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any, NamedTuple

MIN_PASSPHRASE_CHARS = 8
JUDGED_CHARS = 72  # zxcvbn's own limit
SUGGESTED_WORDS = 6  # about 77 bits
# Guessable because of where the passphrase is used.
CONTEXT_WORDS = (
    "afterglow",
    "ketamine",
    "esketamine",
    "spravato",
    "therapy",
    "therapist",
    "session",
    "infusion",
    "journal",
    "integration",
    "psychedelic",
    "clinic",
    "passphrase",
    "password",
)
TOO_SHORT, WEAK, FAIR, STRONG = 0, 1, 2, 3
_SEPARATORS = re.compile(r"[\s\-_.,;:+/]+")
_ADVICE = "a few unrelated words are easier to remember and much harder to guess."


class Strength(NamedTuple):
    level: int  # TOO_SHORT, WEAK (both refused), FAIR, STRONG
    message: str

    @property
    def accepted(self) -> bool:
        return self.level >= FAIR


def suggest() -> str:
    """A passphrase to offer: six random words from the EFF list, space apart."""
    from journal.core.words import random_words  # the word list, only when offering

    return random_words(SUGGESTED_WORDS, " ")


def judge(passphrase: str, *, context: Iterable[str] = ()) -> Strength:
    """The verdict on ``passphrase`` and the sentence to show. ``context``:
    more words that count as guessable here (the journal's name)."""
    text = unicodedata.normalize("NFC", passphrase)
    if len(text.strip()) < MIN_PASSPHRASE_CHARS:
        return Strength(
            TOO_SHORT, f"Please choose a passphrase of at least {MIN_PASSPHRASE_CHARS} characters."
        )
    from zxcvbn import zxcvbn  # ~20 ms to load its dictionaries: only when judging

    inputs = [*CONTEXT_WORDS, *(w.lower() for w in context if w)]
    judged = text[:JUDGED_CHARS]
    # zxcvbn prices a space as a costly brute-force guess, so "therapy therapy"
    # looked strong; guessing tools join words with or without separators alike.
    joined = _SEPARATORS.sub("", judged)
    results = [zxcvbn(v, user_inputs=inputs) for v in {judged, joined} if v]
    result = min(results, key=lambda r: float(r["guesses"]))
    score = int(result["score"])
    if score <= 1:
        return Strength(WEAK, _why_weak(result["sequence"]))
    if score == 2:
        return Strength(
            FAIR, "Fair: one or two more unrelated words would make it much harder to guess."
        )
    return Strength(STRONG, "Strong.")


def _why_weak(matches: list[dict[str, Any]]) -> str:
    """One kind sentence from what zxcvbn found most guessable."""
    patterns = [m.get("pattern") for m in matches]
    dictionaries = {m.get("dictionary_name") for m in matches if m.get("pattern") == "dictionary"}
    if "user_inputs" in dictionaries:
        return f"Words about Afterglow or your therapy are among the first guesses — {_ADVICE}"
    if "passwords" in dictionaries:
        return f"This is a very common password — {_ADVICE}"
    if "spatial" in patterns:
        return f"Rows of keys on the keyboard are among the first guesses — {_ADVICE}"
    if "repeat" in patterns:
        return "Repeating a part makes it hardly harder to guess — add different words instead."
    if "sequence" in patterns:
        return f"Sequences such as “abc” or “1234” are easy to guess — {_ADVICE}"
    if "date" in patterns or "regex" in patterns:
        return f"Dates and years are easy to guess — {_ADVICE}"
    if "dictionary" in patterns:
        return f"A word or name on its own is easy to guess — {_ADVICE}"
    return f"This is easy to guess — {_ADVICE}"
