"""An instrument file, read and checked: the built-ins are in
``resources/instruments/``; a clinician may hand a patient another. It is parsed
and validated here with errors that name the file, the line and what is
wrong — an instrument file is untrusted, like a template.

An instrument file looks like this (see the built-ins for real ones)::

    id = "phq9"                      # lowercase letters, digits, dashes
    version = "1"
    title = "PHQ-9"                  # short, as on buttons and charts
    name = "Patient Health Questionnaire-9"
    measures = "low mood"            # "PHQ-9 — low mood"
    about = "Nine questions about the last two weeks, 2 minutes."
    citation = "…"
    licence = "…"
    period_days = 14                 # the recall period: offered again after it
    timing = "any"                   # or "day-after-session" (never right after one)
    stem = "Over the last 2 weeks, how often …"
    options = ["Not at all", …]      # answer values 0, 1, 2, … — or instead:
    # scale = { min = 0, max = 100, low = "…", high = "…" }
    scoring = "sum"                  # or "mean"
    reverse = [3]                    # items (from 1) scored max − answer
    items = ["…", …]

    [[subscales]]                    # optional: name, items = [1, 2, …]
    [[bands]]                        # from, to, label: every total exactly once
    [[safety]]                       # item = 9, above = 0, label: the safety screen
    [followup]                       # an unscored last question: question, options
    [outcome]                        # response_fall (%), meaningful_change (points),
                                     # remission_below, screening = [low, high], note
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import replace
from typing import Any, NamedTuple

from journal.core.checkins.definitions import (
    TIMINGS,
    Band,
    Followup,
    Instrument,
    Outcome,
    SafetyItem,
    Scale,
    Subscale,
)
from journal.core.errors import InstrumentInvalid

MAX_INSTRUMENT_BYTES = 128 * 1024
MAX_ITEMS = 100
MAX_OPTIONS = 11
MAX_TEXT = 600
_ID = re.compile(r"[a-z][a-z0-9-]{1,31}\Z")
_TOP = {
    "id", "version", "title", "name", "measures", "about", "citation", "licence",
    "period_days", "timing", "stem", "options", "scale", "scoring", "reverse", "items",
    "subscales", "bands", "safety", "followup", "outcome",
}  # fmt: skip


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Locator:
    """The line where a key (or the n-th [[section]]) is, for error messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def key(self, key: str, section: str = "", index: int = 0) -> int | None:
        start, seen = 0, -1
        if section:
            pattern = re.compile(rf"\s*\[\[?\s*{re.escape(section)}\s*\]\]?")
            for i, line in enumerate(self.lines):
                if pattern.match(line):
                    seen += 1
                    if seen == index:
                        start = i
                        break
            else:
                return None
        for i in range(start, len(self.lines)):
            if i > start and section and re.match(r"\s*\[", self.lines[i]):
                break
            if not section and i > 0 and re.match(r"\s*\[", self.lines[i]):
                break
            if re.match(rf"\s*{re.escape(key)}\s*=", self.lines[i]):
                return i + 1
        return start + 1 if section else None


class _At(NamedTuple):
    """Where in the file: a [[section]] (its n-th occurrence), or the top."""

    section: str = ""
    nth: int = 0


class _Reader:
    def __init__(self, doc: dict[str, Any], text: str, name: str) -> None:
        self.doc, self.name, self.locate = doc, name, _Locator(text)

    def fail(self, what: str, key: str = "", at: _At | None = None) -> Exception:
        at = at or _At()
        line = self.locate.key(key, at.section, at.nth) if key or at.section else None
        where = f"{self.name}, line {line}" if line else self.name
        return InstrumentInvalid(f"{where}: {what}")

    def text(
        self, key: str, *, required: bool = False, table: Any = None, at: _At | None = None
    ) -> str:
        source = self.doc if table is None else table
        value = source.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(f"“{key}” must be {'some ' if required else ''}text.", key, at=at)
        if len(value) > MAX_TEXT:
            raise self.fail(f"“{key}” is longer than {MAX_TEXT} characters.", key, at=at)
        return value.strip()

    def number(self, value: Any, what: str, key: str, at: _At | None = None) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise self.fail(f"{what} must be a number.", key, at=at)
        return float(value)

    def tables(self, key: str) -> list[dict[str, Any]]:
        value = self.doc.get(key, [])
        if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            raise self.fail(f"“{key}” must be a list of [[{key}]] sections.", key)
        return value

    def item_number(
        self, value: Any, count: int, what: str, key: str, at: _At | None = None
    ) -> int:
        if not _whole(value) or not 1 <= value <= count:
            raise self.fail(f"{what} must be an item number from 1 to {count}.", key, at=at)
        return int(value) - 1


def parse_instrument(text: str, *, name: str = "instrument", builtin: bool = False) -> Instrument:
    """Parse and validate an instrument's TOML text. Raises `InstrumentInvalid`
    naming the file, the line and what is wrong."""
    if len(text.encode("utf-8", errors="replace")) > MAX_INSTRUMENT_BYTES:
        raise InstrumentInvalid(f"{name}: the file is too large to be a questionnaire.")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        where = f"{name}, line {match.group(1)}" if match else name
        raise InstrumentInvalid(f"{where}: this is not valid TOML ({detail}).") from None
    r = _Reader(doc, text, name)
    unknown = sorted(set(doc) - _TOP)
    if unknown:
        raise r.fail(f"“{unknown[0]}” is not a field of a questionnaire.", unknown[0])
    ident = r.text("id", required=True)
    if not _ID.match(ident):
        raise r.fail("“id” must be 2–32 lowercase letters, digits or dashes.", "id")
    items = doc.get("items")
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise r.fail("“items” must be a list of the questions, as text.", "items")
    if len(items) > MAX_ITEMS:
        raise r.fail(f"a questionnaire has at most {MAX_ITEMS} items.", "items")
    if any(not i.strip() or len(i) > MAX_TEXT for i in items):
        raise r.fail(f"every item needs text, at most {MAX_TEXT} characters.", "items")
    options, scale = _answers(r)
    scoring = doc.get("scoring", "sum")
    if scoring not in ("sum", "mean"):
        raise r.fail('“scoring” must be "sum" or "mean".', "scoring")
    count = len(items)
    reverse = doc.get("reverse", [])
    if not isinstance(reverse, list):
        raise r.fail("“reverse” must be a list of item numbers.", "reverse")
    reversed_items = frozenset(
        r.item_number(v, count, "each of “reverse”", "reverse") for v in reverse
    )
    timing = doc.get("timing", "any")
    if timing not in TIMINGS:
        raise r.fail(f"“timing” must be one of {', '.join(TIMINGS)}.", "timing")
    period = doc.get("period_days", 14)
    if not _whole(period) or not 1 <= period <= 366:
        raise r.fail("“period_days” must be a whole number of days from 1 to 366.", "period_days")
    instrument = Instrument(
        id=ident,
        version=r.text("version") or "1",
        title=r.text("title", required=True),
        name=r.text("name"),
        measures=r.text("measures"),
        about=r.text("about"),
        citation=r.text("citation"),
        licence=r.text("licence"),
        stem=r.text("stem"),
        items=tuple(i.strip() for i in items),
        options=options,
        scale=scale,
        scoring=scoring,
        period_days=int(period),
        timing=timing,
        reverse=reversed_items,
        builtin=builtin,
        source=text,
    )
    return _with_sections(r, instrument)


def _answers(r: _Reader) -> tuple[tuple[str, ...], Scale | None]:
    options, scale = r.doc.get("options"), r.doc.get("scale")
    if (options is None) == (scale is None):
        raise r.fail("give either “options” (answers 0, 1, 2, …) or a “scale”.", "items")
    if options is not None:
        if (
            not isinstance(options, list)
            or not 2 <= len(options) <= MAX_OPTIONS
            or not all(isinstance(o, str) and o.strip() for o in options)
        ):
            raise r.fail(f"“options” must be 2 to {MAX_OPTIONS} answers, as text.", "options")
        return tuple(o.strip() for o in options), None
    if not isinstance(scale, dict):
        raise r.fail('“scale” must be { min = …, max = …, low = "…", high = "…" }.', "scale")
    low, high = scale.get("min"), scale.get("max")
    if not (isinstance(low, int) and isinstance(high, int) and _whole(low) and _whole(high)):
        raise r.fail("the scale needs whole numbers for “min” and “max”.", "scale")
    if not 0 <= low < high <= 1000:
        raise r.fail("the scale needs 0 ≤ min < max ≤ 1000.", "scale")
    return (), Scale(low, high, _plain(scale.get("low")), _plain(scale.get("high")))


def _exact(value: float) -> float:
    return int(value) if value.is_integer() else value


def _plain(value: Any) -> str:
    return value.strip()[:MAX_TEXT] if isinstance(value, str) else ""


def _with_sections(r: _Reader, base: Instrument) -> Instrument:
    count = len(base.items)
    subscales = []
    for index, table in enumerate(r.tables("subscales")):
        at = _At("subscales", index)
        items = table.get("items")
        if not isinstance(items, list) or not items:
            raise r.fail(f"subscale {index + 1} needs its “items”.", "items", at=at)
        subscales.append(
            Subscale(
                r.text("name", required=True, table=table, at=at),
                tuple(r.item_number(v, count, "each of its items", "items", at=at) for v in items),
            )
        )
    safety = []
    for index, table in enumerate(r.tables("safety")):
        at = _At("safety", index)
        item = r.item_number(table.get("item"), count, "the safety “item”", "item", at=at)
        above = table.get("above", 0)
        if not _whole(above) or not base.min_answer <= above < base.max_answer:
            raise r.fail(
                "the safety item's “above” must be an answer value below the top.", "above", at=at
            )
        safety.append(SafetyItem(item, int(above), r.text("label", table=table, at=at)))
    bands = _bands(r, base)
    followup = None
    if "followup" in r.doc:
        table = r.doc["followup"]
        at = _At("followup")
        if not isinstance(table, dict):
            raise r.fail("[followup] must have a question and options.", "followup")
        options = table.get("options")
        if (
            not isinstance(options, list)
            or not 2 <= len(options) <= MAX_OPTIONS
            or not all(isinstance(o, str) and o.strip() for o in options)
        ):
            raise r.fail("the follow-up question needs 2 or more options.", "options", at=at)
        followup = Followup(
            r.text("question", required=True, table=table, at=at),
            tuple(o.strip() for o in options),
        )
    return replace(
        base,
        subscales=tuple(subscales),
        safety=tuple(safety),
        bands=bands,
        followup=followup,
        outcome=_outcome(r, base),
    )


def _bands(r: _Reader, base: Instrument) -> tuple[Band, ...]:
    bands = []
    for index, table in enumerate(r.tables("bands")):
        at = _At("bands", index)
        low = r.number(table.get("from"), f"band {index + 1}'s “from”", "from", at=at)
        high = r.number(table.get("to"), f"band {index + 1}'s “to”", "to", at=at)
        bands.append(
            Band(_exact(low), _exact(high), r.text("label", required=True, table=table, at=at))
        )
    if not bands:
        return ()
    step = 1.0 if base.scoring == "sum" else 0.1
    expected = base.min_total
    for index, band in enumerate(bands):
        at = _At("bands", index)
        if band.low > band.high:
            raise r.fail(f"band {index + 1} ends before it starts.", "to", at=at)
        if not math.isclose(band.low, expected):
            what = "overlaps the one before" if band.low < expected else "leaves a gap before it"
            raise r.fail(
                f"band {index + 1} starts at {band.low:g}: it {what} "
                f"(it should start at {expected:g}).",
                "from",
                at=at,
            )
        expected = band.high + step
    if not math.isclose(bands[-1].high, base.max_total):
        raise r.fail(
            f"the last band must end at the highest total, {base.max_total:g}.",
            "to",
            _At("bands", len(bands) - 1),
        )
    return tuple(bands)


def _outcome(r: _Reader, base: Instrument) -> Outcome:
    table = r.doc.get("outcome", {})
    if not isinstance(table, dict):
        raise r.fail("[outcome] must be a section.", "outcome")
    at = _At("outcome")
    unknown = sorted(
        set(table) - {"response_fall", "meaningful_change", "remission_below", "screening", "note"}
    )
    if unknown:
        raise r.fail(f"“{unknown[0]}” is not a field of [outcome].", unknown[0], at=at)

    def optional(key: str, low: float, high: float) -> float | None:
        if key not in table:
            return None
        value = r.number(table[key], f"“{key}”", key, at=at)
        if not low <= value <= high:
            raise r.fail(f"“{key}” must be from {low:g} to {high:g}.", key, at=at)
        return value

    span = base.max_total - base.min_total
    screening = None
    if "screening" in table:
        pair = table["screening"]
        if not isinstance(pair, list) or len(pair) != 2:
            raise r.fail("“screening” must be [low, high].", "screening", at=at)
        low, high = (r.number(v, "“screening”", "screening", at=at) for v in pair)
        if not base.min_total <= low <= high <= base.max_total:
            raise r.fail("“screening” must lie within the totals.", "screening", at=at)
        screening = (low, high)
    return Outcome(
        response_fall=optional("response_fall", 1, 100),
        meaningful_change=optional("meaningful_change", 0.1, max(span, 0.1)),
        remission_below=optional("remission_below", base.min_total, base.max_total),
        screening=screening,
        note=r.text("note", table=table, at=at),
    )
