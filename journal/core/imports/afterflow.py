"""Afterflow's CSV export (the open-source iOS session logger for psychedelic
therapy): one row per session with its date, treatment, route, intention,
moods before and after, reflections and music link. Each row becomes a
session; its reflections an entry of that session (phase "integration")."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

from journal.core.imports.plan import ImportPlan, NewSession, Source, identity, text_entry
from journal.core.imports.reading import MAX_TEXT_BYTES, decode, refuse
from journal.core.model import Phase, Route, Session

COLUMNS = (
    "Date",
    "Treatment Type",
    "Administration",
    "Intention",
    "Mood Before",
    "Mood After",
    "Reflections",
    "Music Link URL",
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
# "Dec 1, 2024 at 10:30 AM" (en_US_POSIX medium date, short time); older iOS
# writes "Dec 1, 2024, 10:30 AM".
_DATE = re.compile(
    r"([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4})(?:(?:,| at)? (\d{1,2}):(\d{2})\s?([AaPp][Mm])?)?\Z"
)
_ROUTES = (
    ("intravenous", Route.IV),
    ("(iv)", Route.IV),
    ("intranasal", Route.INTRANASAL),
    ("nasal", Route.INTRANASAL),
    ("intramuscular", Route.IM),
    ("(im)", Route.IM),
    ("oral", Route.ORAL),
    ("sublingual", Route.ORAL),
)


def looks_like_afterflow(data: bytes) -> bool:
    head = data[:200].decode("utf-8-sig", "replace").lstrip().lower()
    return head.startswith(("date,treatment type", '"date","treatment type"'))


def _plain(value: str) -> str:
    """Afterflow puts ' before a value that began with = + - @ (against
    spreadsheet formula injection); the value is what follows."""
    value = value.strip()
    return value[1:] if len(value) > 1 and value[0] == "'" and value[1] in "=+-@" else value


def parse_date(text: str) -> datetime | None:
    match = _DATE.match(" ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split()))
    if not match:
        return None
    month, day, year, hour, minute, half = match.groups()
    number = _MONTHS.get(month.lower())
    if number is None:
        return None
    h = int(hour or 12)
    if half:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if half.lower() == "pm" else 0)
    try:
        return datetime(int(year), number, int(day), h, int(minute or 0)).astimezone()
    except (ValueError, OverflowError):
        return None


def _route(value: str) -> Route:
    lowered = value.lower()
    return next((route for word, route in _ROUTES if word in lowered), Route.OTHER)


def _mood(value: str) -> int | None:
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 <= number <= 10 else None


def read_afterflow(data: bytes, name: str) -> ImportPlan:
    if len(data) > MAX_TEXT_BYTES:
        raise refuse(name, "is too large to import", "Export a smaller part and try again")
    text = decode(data, name).replace("\r\n", "\n").replace("\r", "\n")
    try:
        rows = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error:
        raise refuse(name, "is not a readable CSV file", "Export it again from Afterflow") from None
    if not rows:
        raise refuse(name, "is empty", "Export it again from Afterflow")
    header = [h.strip().lstrip("'") for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise refuse(
            name,
            f"has no {', '.join(repr(m) for m in missing)} column, so it isn't a whole "
            "Afterflow export",
            "Export it again from Afterflow (Settings → Export as CSV) without editing it",
        )
    plan = ImportPlan(Source.AFTERFLOW, name)
    extra = [h for h in header if h not in COLUMNS]
    if extra:
        plan.notes.append(
            "Columns Afterglow doesn't know were left out: " + ", ".join(extra[:10]) + "."
        )
    at = {c: header.index(c) for c in COLUMNS}
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            plan.skipped.add(
                "1 row has the wrong number of values", "{n} rows have the wrong number of values"
            )
            continue
        value = {c: _plain(row[i]) for c, i in at.items()}
        started = parse_date(value["Date"])
        if started is None:
            plan.skipped.add(
                "1 row has a date Afterglow can't read", "{n} rows have a date Afterglow can't read"
            )
            continue
        notes = []
        treatment = value["Treatment Type"]
        if treatment and treatment.lower() != "ketamine":
            notes.append(f"Treatment: {treatment} (recorded in Afterflow).")
        route = _route(value["Administration"])
        if route is Route.OTHER and value["Administration"].lower() not in ("", "other"):
            notes.append(f"Given: {value['Administration']}.")
        moods = {k: _mood(value[k]) for k in ("Mood Before", "Mood After")}
        if any(value[k] and moods[k] is None for k in moods):
            plan.skipped.add(
                "1 mood value is not a number from 0 to 10 and was left out",
                "{n} mood values are not numbers from 0 to 10 and were left out",
                sum(1 for k in moods if value[k] and moods[k] is None),
            )
        key = identity(Source.AFTERFLOW, value["Date"], treatment, value["Intention"])
        session = NewSession(
            key,
            Session(
                started_at=started,
                route=route,
                intention=value["Intention"],
                music=value["Music Link URL"],
                mood_before=moods["Mood Before"],
                mood_after=moods["Mood After"],
                notes="\n".join(notes),
            ),
        )
        if value["Reflections"]:
            session.entries.append(
                text_entry(
                    key + ":reflections",
                    value["Reflections"],
                    source=Source.AFTERFLOW,
                    written=started,
                    phase=Phase.INTEGRATION,
                    title="Reflections",
                )
            )
        plan.sessions.append(session)
    return plan
