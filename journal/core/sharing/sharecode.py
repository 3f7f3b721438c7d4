"""Share codes: six words from the EFF long word list (about 77 bits),
easy to read aloud to a therapist, who types them to open one bundle."""

from __future__ import annotations

import functools
import secrets
import unicodedata
from pathlib import Path

from xkcdpass import xkcd_password

WORDS = 6


@functools.cache
def word_list() -> tuple[str, ...]:
    path = Path(xkcd_password.locate_wordfile("eff-long"))
    words = tuple(w for w in path.read_text(encoding="utf-8").split() if w.isalpha())
    if len(words) < 7000:
        raise RuntimeError("the EFF long word list is incomplete")
    return words


def random_words(count: int, separator: str) -> str:
    """``count`` words drawn independently with `secrets` (12.9 bits each)."""
    words = word_list()
    return separator.join(secrets.choice(words) for _ in range(count))


def new_share_code() -> str:
    """Six random words separated by dashes, e.g. ``amber-river-…``."""
    return random_words(WORDS, "-")


def normalize_share_code(typed: str) -> str:
    """Forgive case, spaces and punctuation between words: "Amber River, …"
    opens a bundle made with "amber-river-…"."""
    text = unicodedata.normalize("NFKC", typed).lower()
    words = "".join(c if c.isalpha() else " " for c in text).split()
    return "-".join(words)
