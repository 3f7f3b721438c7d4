"""Who to contact in a crisis, by country.

Shown on the safety screen (PHQ-9 item 9 above 0), from the Help menu at any
time — locked or not — and by `afterglow checkin phq9`. The numbers are the
national ones that are free and open around the clock, as published by the
services themselves (checked November 2026). Afterglow cannot call anyone and
is not monitored: these lines say so first.
"""

from __future__ import annotations

import textwrap
from typing import NamedTuple

NOT_MONITORED = (
    "Afterglow is not monitored by anyone. No one sees your answers unless you share them, "
    "so no one will be alerted."
)
REACH_OUT = (
    "Please contact your care team today — your therapist, prescriber or doctor — "
    "and tell them what you told Afterglow."
)
IN_DANGER = "If you might act on these thoughts or are in danger now, call {emergency} now."
ELSEWHERE_HINT = (
    "findahelpline.com lists free, confidential crisis lines for most countries "
    "(look it up on your phone if you like — Afterglow itself never goes online)."
)


class Line(NamedTuple):
    name: str
    how: str


class Region(NamedTuple):
    code: str
    name: str
    emergency: str
    lines: tuple[Line, ...]


OTHER = "other"

REGIONS: dict[str, Region] = {
    region.code: region
    for region in (
        Region(
            OTHER,
            "Another country",
            "your local emergency number (112 works in the EU and from most mobile phones)",
            (
                Line("In the US: 988 Suicide & Crisis Lifeline", "call or text 988"),
                Line("In the UK and Ireland: Samaritans", "call 116 123, free, day or night"),
            ),
        ),
        Region(
            "US",
            "United States",
            "911",
            (Line("988 Suicide & Crisis Lifeline", "call or text 988, day or night"),),
        ),
        Region(
            "CA",
            "Canada",
            "911",
            (Line("9-8-8 Suicide Crisis Helpline", "call or text 988, day or night"),),
        ),
        Region(
            "GB",
            "United Kingdom",
            "999",
            (
                Line("Samaritans", "call 116 123, free, day or night"),
                Line("Shout", "text SHOUT to 85258"),
                Line("NHS 111", "call 111 for urgent mental health help"),
            ),
        ),
        Region(
            "IE",
            "Ireland",
            "112 or 999",
            (
                Line("Samaritans", "call 116 123, free, day or night"),
                Line("Text About It", "text HELLO to 50808"),
            ),
        ),
        Region(
            "AU",
            "Australia",
            "000",
            (
                Line("Lifeline", "call 13 11 14, day or night"),
                Line("Suicide Call Back Service", "call 1300 659 467"),
            ),
        ),
        Region(
            "NZ",
            "New Zealand",
            "111",
            (
                Line("Need to talk?", "call or text 1737, free, day or night"),
                Line("Lifeline", "call 0800 543 354"),
            ),
        ),
        Region(
            "DE",
            "Germany",
            "112",
            (Line("TelefonSeelsorge", "call 0800 111 0 111 or 0800 111 0 222, free"),),
        ),
        Region("AT", "Austria", "112 or 144", (Line("TelefonSeelsorge", "call 142, free"),)),
        Region("CH", "Switzerland", "144 or 112", (Line("Die Dargebotene Hand", "call 143"),)),
        Region(
            "FR",
            "France",
            "112 or 15",
            (Line("Numéro national de prévention du suicide", "call 3114, free"),),
        ),
        Region(
            "NL",
            "Netherlands",
            "112",
            (Line("113 Zelfmoordpreventie", "call 113 or 0800-0113, free"),),
        ),
        Region(
            "ES",
            "Spain",
            "112",
            (Line("Línea de atención a la conducta suicida", "call 024, free"),),
        ),
    )
}


def region(code: str) -> Region:
    """The region for a two-letter country code; anything unknown gets the
    general list."""
    return REGIONS.get(code.upper() if code != OTHER else code, REGIONS[OTHER])


def safety_text(code: str, *, width: int = 78) -> str:
    """The safety message as plain text (for the command line)."""
    chosen = region(code)
    paragraphs = [NOT_MONITORED, REACH_OUT, IN_DANGER.format(emergency=chosen.emergency)]
    lines = [textwrap.fill(p, width) for p in paragraphs]
    lines += ["", *(f"  {line.name} — {line.how}" for line in chosen.lines)]
    if chosen.code == OTHER:
        lines += ["", textwrap.fill(ELSEWHERE_HINT, width)]
    return "\n".join(lines)
