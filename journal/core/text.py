"""Checks on text before it is stored, and time stamps as stored."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

from journal.core.errors import InvalidInput

# A journal answer of 1 MB is long but real (pasted notes); beyond 8 MB
# something went wrong, and the editor would crawl.
MAX_TEXT_CHARS = 8 * 1024 * 1024
MAX_SHORT_CHARS = 2_000


def checked_text(value: str, *, what: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Return ``value`` unchanged if it can be stored, else raise `InvalidInput`.

    Every Unicode text round-trips (emoji, right-to-left, combining marks, NUL);
    refused are broken surrogates that are not text at all, and oversize text.
    """
    if not isinstance(value, str):
        raise InvalidInput(f"The {what} must be text.")
    if len(value) > max_chars:
        raise InvalidInput(
            f"The {what} is too long to save ({len(value):,} characters; the limit is "
            f"{max_chars:,}). Split it into several parts."
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            f"The {what} contains broken characters that can't be saved. Retype or paste it again."
        ) from None
    return value


def checked_scale(value: int | None, *, what: str) -> int | None:
    """A 0–10 rating, or None. Raises `InvalidInput`."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise InvalidInput(f"The {what} must be a whole number from 0 to 10.")
    return value


def stamp(moment: datetime) -> str:
    """A time as stored: ISO 8601 in UTC, so stored times sort correctly.
    A naive time is taken as local time."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def unstamp(text: str | None) -> datetime | None:
    """A stored time back as an aware datetime in the local time zone."""
    return None if text is None else datetime.fromisoformat(text).astimezone()


def day(moment: datetime | None) -> str:
    """A date as people write it, in local time: "3 March 2026"."""
    return "" if moment is None else f"{moment.astimezone():%d %B %Y}".lstrip("0")


def short_day(moment: datetime, *, year_of: datetime | None = None) -> str:
    """ "3 Mar"; with the year when it is not the year of ``year_of``."""
    local = moment.astimezone()
    text = f"{local:%d %b}".lstrip("0")
    if year_of is None or local.year != year_of.astimezone().year:
        text += f" {local:%Y}"
    return text


_PLURALS = {"entry": "entries", "check-in": "check-ins", "session": "sessions"}


def count(number: int, word: str) -> str:
    """ "1 entry", "2 entries", "0 prompts"."""
    return f"{number} {word if number == 1 else _PLURALS.get(word, word + 's')}"


def folded(text: str) -> str:
    """Text as searching compares it: case and accents ignored ("Café" ≈ "cafe")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
