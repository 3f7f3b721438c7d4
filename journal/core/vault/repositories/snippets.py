"""A snippet of a matched passage: a few words around the first match, with
every match in it highlighted.

Built in one pass over the text, whatever its size or the number of matches:
the text is decomposed (NFD) so that one regular expression finds a word with
or without its accents and in any case — as the index (unicode61,
remove_diacritics 2) matched it — and only a bounded window around the first
match is looked at again. (FTS5's own ``snippet()`` scores windows for every
match: an entry with 100,000 matches took minutes.)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

# Combining marks, as NFD writes accents.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD_CHAR = rf"(?:[^\W_]|[{_MARKS}])"
_WORD = re.compile(rf"{_WORD_CHAR}+")
# A word starts where no word character (letter, digit or mark) comes before.
_WORD_START = rf"(?<![^\W_])(?<![{_MARKS}])"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
WORDS_SHOWN = 16
WORDS_BEFORE = 3
# The window looked at around the first match, in characters (a "word" of a
# million letters must not make the snippet a million letters long).
_REACH_BEFORE, _REACH_AFTER = 160, 480
ELLIPSIS = "…"


class SnippetPart(NamedTuple):
    text: str
    highlighted: bool


def fold(term: str) -> str:
    """A typed word without its accents, as the index compares it."""
    return "".join(c for c in unicodedata.normalize("NFD", term) if not unicodedata.combining(c))


def matcher(words: Sequence[str], symbols: Sequence[str] = ()) -> re.Pattern[str] | None:
    """One pattern for the query: each word as the start of a word (any accents,
    any case, the rest of the word included), each symbol (an emoji) as itself."""
    parts = []
    for word in words:
        folded = fold(word)
        if folded:
            letters = "".join(f"{re.escape(c)}[{_MARKS}]*" for c in folded)
            parts.append(f"{_WORD_START}{letters}{_WORD_CHAR}*")
    parts += [re.escape(unicodedata.normalize("NFD", s)) for s in symbols if s]
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


def build(text: str, pattern: re.Pattern[str] | None) -> tuple[SnippetPart, ...]:
    """The snippet of ``text`` for ``pattern`` (its beginning when nothing matches)."""
    decomposed = unicodedata.normalize("NFD", text)
    first = pattern.search(decomposed) if pattern is not None else None
    at = first.start() if first is not None else 0
    low = max(0, at - _REACH_BEFORE)
    window = decomposed[low : at + _REACH_AFTER]
    words = list(_WORD.finditer(window))
    before = [w for w in words if w.start() < at - low][-WORDS_BEFORE:]
    start_word = (
        words.index(before[0])
        if before
        else next((i for i, w in enumerate(words) if w.start() >= at - low), len(words))
    )
    shown = words[start_word : start_word + WORDS_SHOWN]
    if not shown:
        return _parts([(window.strip(), False)]) if window.strip() else ()
    begin, end = shown[0].start(), shown[-1].end()
    if first is not None and first.end() - low > end:  # a match longer than the window
        end = min(len(window), first.end() - low)
    piece = window[begin:end]
    pieces: list[tuple[str, bool]] = []
    if low + begin > 0:
        pieces.append((ELLIPSIS, False))
    last = 0
    if pattern is not None:
        for match in pattern.finditer(piece):
            if match.start() > last:
                pieces.append((piece[last : match.start()], False))
            pieces.append((match.group(), True))
            last = match.end()
    pieces.append((piece[last:], False))
    if low + end < len(decomposed):
        pieces.append((ELLIPSIS, False))
    return _parts(pieces)


def _parts(pieces: list[tuple[str, bool]]) -> tuple[SnippetPart, ...]:
    """Recomposed (NFC), control characters (a NUL, an escape) shown as spaces,
    neighbours of the same kind joined."""
    parts: list[SnippetPart] = []
    for text, highlighted in pieces:
        clean = _CONTROL.sub(" ", unicodedata.normalize("NFC", text))
        if not clean:
            continue
        if parts and parts[-1].highlighted == highlighted:
            parts[-1] = SnippetPart(parts[-1].text + clean, highlighted)
        else:
            parts.append(SnippetPart(clean, highlighted))
    return tuple(parts)
