"""Share codes: six words from the EFF long word list (about 77 bits),
easy to read aloud to a therapist, who types them to open one bundle."""

from __future__ import annotations

import unicodedata

from journal.core.words import random_words

WORDS = 6


def new_share_code() -> str:
    """Six random words separated by dashes, e.g. ``amber-river-…``."""
    return random_words(WORDS, "-")


def normalize_share_code(typed: str) -> str:
    """Forgive case, spaces and punctuation between words: "Amber River, …"
    opens a bundle made with "amber-river-…"."""
    text = unicodedata.normalize("NFKC", typed).lower()
    words = "".join(c if c.isalpha() else " " for c in text).split()
    return "-".join(words)
