"""The treatment day's checklist: a short list the patient keeps (or a clinic
hands over as a file) of things to have in place — "my ride home is
arranged". Never required, never advice of Afterglow's own: the defaults say
"as your clinic told you".

A checklist file is TOML, untrusted like a template::

    title = "Treatment day"          # optional
    items = [
        "My ride home is arranged, as my clinic told me",
        "I have eaten lightly, as my clinic told me",
    ]

Errors name the file, the line and what is wrong; nothing is stored.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from journal.core.errors import TemplateInvalid

MAX_FILE_BYTES = 64 * 1024
MAX_ITEMS = 30
MAX_ITEM_CHARS = 200
MAX_TITLE_CHARS = 120
_KEYS = {"title", "items"}


@dataclass(frozen=True)
class Checklist:
    title: str
    items: tuple[str, ...]


def _line(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


def _fail(name: str, line: int | None, what: str) -> TemplateInvalid:
    where = f"{name}, line {line}" if line else name
    return TemplateInvalid(f"{where}: {what}")


def checked_items(
    items: list[str] | tuple[str, ...], *, name: str = "checklist"
) -> tuple[str, ...]:
    """The items as kept: stripped, blank ones dropped, duplicates once.
    Raises `TemplateInvalid` when there are too many or one is too long."""
    kept: list[str] = []
    for item in items:
        text = " ".join(item.split())
        if not text or text in kept:
            continue
        if len(text) > MAX_ITEM_CHARS:
            raise _fail(name, None, f"“{text[:40]}…” is longer than {MAX_ITEM_CHARS} characters.")
        kept.append(text)
    if len(kept) > MAX_ITEMS:
        raise _fail(name, None, f"a checklist holds at most {MAX_ITEMS} items.")
    return tuple(kept)


def parse_checklist(data: bytes, *, name: str = "checklist") -> Checklist:
    """Parse and validate a checklist file's bytes."""
    if len(data) > MAX_FILE_BYTES:
        raise _fail(name, None, f"the file is larger than {MAX_FILE_BYTES // 1024} KB.")
    try:
        text = data.decode("utf-8")
        doc = tomllib.loads(text)
    except UnicodeDecodeError:
        raise _fail(name, None, "the file is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as error:
        raise _fail(name, None, f"not valid TOML ({error}).") from None
    unknown = sorted(set(doc) - _KEYS)
    if unknown:
        raise _fail(name, _line(text, unknown[0]), f"unknown key “{unknown[0]}”.")
    title = doc.get("title", "Treatment day")
    if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE_CHARS:
        raise _fail(
            name, _line(text, "title"), f"title must be text of 1 to {MAX_TITLE_CHARS} characters."
        )
    items = doc.get("items")
    where = _line(text, "items")
    if not isinstance(items, list) or not items:
        raise _fail(name, where, 'items must be a list of sentences, for example items = ["…"].')
    if not all(isinstance(item, str) for item in items):
        raise _fail(name, where, "every item must be text in quotes.")
    try:
        kept = checked_items(items, name=name)
    except TemplateInvalid as error:
        raise _fail(name, where, str(error).split(": ", 1)[1]) from None
    if not kept:
        raise _fail(name, where, "every item is empty.")
    return Checklist(title.strip(), kept)


def default_checklist() -> Checklist:
    source = resources.files("journal.resources").joinpath("checklists/treatment-day.toml")
    return parse_checklist(source.read_bytes(), name="treatment-day.toml")


def checklist_file(checklist: Checklist) -> bytes:
    """The checklist as a file `parse_checklist` reads back."""

    def quoted(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string

    lines = [f"title = {quoted(checklist.title)}", "items = ["]
    lines += [f"    {quoted(item)}," for item in checklist.items]
    lines.append("]")
    return ("\n".join(lines) + "\n").encode("utf-8")
