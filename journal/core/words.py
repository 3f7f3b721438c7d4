"""The EFF long word list (7,776 words, from xkcdpass's copy) and random words
drawn from it: share codes, PDF passwords and suggested passphrases."""

from __future__ import annotations

import functools
import secrets
from pathlib import Path

BITS_PER_WORD = 12.9  # log2(7,776)


@functools.cache
def word_list() -> tuple[str, ...]:
    # Imported here: xkcdpass brings argparse and platform along (~3 ms), and
    # only making a code or suggesting a passphrase needs the list.
    from xkcdpass import xkcd_password

    path = Path(xkcd_password.locate_wordfile("eff-long"))
    words = tuple(w for w in path.read_text(encoding="utf-8").split() if w.isalpha())
    if len(words) < 7000:
        raise RuntimeError("the EFF long word list is incomplete")
    return words


def random_words(count: int, separator: str) -> str:
    """``count`` words drawn independently with `secrets` (12.9 bits each)."""
    words = word_list()
    return separator.join(secrets.choice(words) for _ in range(count))
