"""Prompt templates: TOML files validated with clear errors (file, line, what).

A template file looks like this (see resources/templates/ for real ones)::

    id = "my-template"            # lowercase letters, digits and dashes
    title = "My template"
    phase = "right_after"         # before, right_after, next_day, integration,
                                  # before_therapy or free
    description = "Optional"
    minutes = 10                  # optional estimate

    [[prompts]]
    key = "first"                 # unique within the template
    text = "What is the first thing you remember?"
    hint = "Optional help text"
    kind = "text"                 # text, scale, choice, motifs or after_effects
    # scale: low_label / high_label; choice and after_effects: options = [...]
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from journal.core.errors import TemplateInvalid
from journal.core.model import Phase, PromptKind

MAX_TEMPLATE_BYTES = 256 * 1024
MAX_PROMPTS = 60
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}\Z")
_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,62}\Z")
_TOP_KEYS = {"id", "title", "phase", "description", "minutes", "prompts"}
_PROMPT_KEYS = {"key", "text", "hint", "kind", "options", "low_label", "high_label"}
_PHASES = ", ".join(p.value for p in Phase)
_KINDS = ", ".join(k.value for k in PromptKind)


@dataclass(frozen=True)
class Prompt:
    key: str
    text: str
    kind: PromptKind = PromptKind.TEXT
    hint: str = ""
    options: tuple[str, ...] = ()
    low_label: str = ""
    high_label: str = ""


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    phase: Phase
    prompts: tuple[Prompt, ...]
    description: str = ""
    minutes: int | None = None
    builtin: bool = False
    source: str = field(default="", repr=False, compare=False)


class _Locator:
    """Finds the line of a key, to point at it in an error message."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.prompt_starts = [
            i for i, line in enumerate(self.lines) if re.match(r"\s*\[\[\s*prompts\s*\]\]", line)
        ]

    def top(self, key: str) -> int | None:
        end = self.prompt_starts[0] if self.prompt_starts else len(self.lines)
        for i in range(end):
            if re.match(rf"\s*{re.escape(key)}\s*=", self.lines[i]):
                return i + 1
        return None

    def prompt(self, index: int, key: str | None = None) -> int | None:
        if index >= len(self.prompt_starts):
            return None
        start = self.prompt_starts[index]
        if key is not None:
            for i in range(start + 1, len(self.lines)):
                if re.match(r"\s*\[", self.lines[i]):
                    break
                if re.match(rf"\s*{re.escape(key)}\s*=", self.lines[i]):
                    return i + 1
        return start + 1


def _fail(name: str, line: int | None, what: str) -> TemplateInvalid:
    where = f"{name}, line {line}" if line else name
    return TemplateInvalid(f"{where}: {what}")


def _text(value: Any, *, required: bool) -> str | None:
    if not isinstance(value, str):
        return None
    if required and not value.strip():
        return None
    return value.strip()


def parse_template(text: str, *, name: str = "template", builtin: bool = False) -> Template:
    """Parse and validate a template's TOML text.

    Raises `TemplateInvalid` whose message names the file, the line and what
    is wrong, e.g. ``mine.toml, line 12: prompt 3 has kind "slider"; use one
    of text, scale, choice, motifs, after_effects.``
    """
    if len(text.encode("utf-8", errors="replace")) > MAX_TEMPLATE_BYTES:
        raise _fail(name, None, "the file is too large to be a template (over 256 KB).")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise _fail(
            name, int(match.group(1)) if match else None, f"this is not valid TOML ({detail})."
        ) from None
    where = _Locator(text)

    unknown = sorted(set(doc) - _TOP_KEYS)
    if unknown:
        raise _fail(name, where.top(unknown[0]), f'unknown setting "{unknown[0]}".')
    template_id = doc.get("id")
    if not isinstance(template_id, str) or not _ID.match(template_id):
        raise _fail(
            name,
            where.top("id"),
            'id must be lowercase letters, digits and dashes, such as "my-template".',
        )
    title = _text(doc.get("title"), required=True)
    if title is None:
        raise _fail(name, where.top("title"), "title must be a non-empty text.")
    phase = doc.get("phase")
    if phase not in {p.value for p in Phase}:
        raise _fail(name, where.top("phase"), f"phase must be one of {_PHASES}.")
    description = _text(doc.get("description", ""), required=False)
    if description is None:
        raise _fail(name, where.top("description"), "description must be text.")
    minutes = doc.get("minutes")
    if minutes is not None and (
        isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 240
    ):
        raise _fail(name, where.top("minutes"), "minutes must be a whole number from 1 to 240.")
    raw_prompts = doc.get("prompts")
    if not isinstance(raw_prompts, list) or not raw_prompts:
        raise _fail(name, None, "the template has no prompts; add at least one [[prompts]].")
    if len(raw_prompts) > MAX_PROMPTS:
        raise _fail(name, None, f"a template may have at most {MAX_PROMPTS} prompts.")

    prompts: list[Prompt] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_prompts):
        number = index + 1
        if not isinstance(raw, dict):
            raise _fail(name, where.prompt(index), f"prompt {number} must be a [[prompts]] table.")
        prompts.append(_parse_prompt(raw, index, name, where, seen))
    return Template(
        id=template_id,
        title=title,
        phase=Phase(phase),
        prompts=tuple(prompts),
        description=description,
        minutes=minutes,
        builtin=builtin,
        source=text,
    )


def _parse_prompt(
    raw: dict[str, Any], index: int, name: str, where: _Locator, seen: set[str]
) -> Prompt:
    number = index + 1
    unknown = sorted(set(raw) - _PROMPT_KEYS)
    if unknown:
        raise _fail(
            name,
            where.prompt(index, unknown[0]),
            f'prompt {number} has an unknown setting "{unknown[0]}".',
        )
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        raise _fail(
            name,
            where.prompt(index, "key"),
            f'prompt {number} needs a key of letters, digits, _ or -, such as "first_image".',
        )
    if key in seen:
        raise _fail(
            name,
            where.prompt(index, "key"),
            f'prompt {number} repeats the key "{key}"; keys must be unique.',
        )
    seen.add(key)
    text = _text(raw.get("text"), required=True)
    if text is None:
        raise _fail(name, where.prompt(index, "text"), f"prompt {number} needs a text.")
    kind = raw.get("kind", PromptKind.TEXT.value)
    if kind not in {k.value for k in PromptKind}:
        raise _fail(
            name,
            where.prompt(index, "kind"),
            f'prompt {number} has kind "{kind}"; use one of {_KINDS}.',
        )
    strings = {}
    for field_name in ("hint", "low_label", "high_label"):
        value = _text(raw.get(field_name, ""), required=False)
        if value is None:
            raise _fail(
                name,
                where.prompt(index, field_name),
                f"{field_name} of prompt {number} must be text.",
            )
        strings[field_name] = value
    options = raw.get("options", [])
    if not isinstance(options, list) or not all(isinstance(o, str) and o.strip() for o in options):
        raise _fail(
            name,
            where.prompt(index, "options"),
            f"options of prompt {number} must be a list of texts.",
        )
    if kind == PromptKind.CHOICE.value and len(options) < 2:
        raise _fail(
            name,
            where.prompt(index, "options"),
            f"prompt {number} is a choice and needs at least two options.",
        )
    return Prompt(
        key=key,
        text=text,
        kind=PromptKind(kind),
        options=tuple(o.strip() for o in options),
        **strings,
    )


@functools.cache
def builtin_templates() -> tuple[Template, ...]:
    """The templates shipped with the app, in the order of a treatment."""
    folder = resources.files("journal.resources.templates")
    templates = [
        parse_template(item.read_text(encoding="utf-8"), name=item.name, builtin=True)
        for item in folder.iterdir()
        if item.name.endswith(".toml")
    ]
    order = list(Phase)
    return tuple(sorted(templates, key=lambda t: (order.index(t.phase), t.title)))
