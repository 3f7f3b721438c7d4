"""*Export for the clinical record*: the patient's summary (the first
screen of the report, across every bundle kept) and the appointment notes
the therapist chose, as one sanitised HTML page for the PDF writer. Notes
the therapist did not choose are never in it."""

from __future__ import annotations

from collections.abc import Iterable

from journal.core.journal.markdown import render
from journal.core.sharing.glance import glance
from journal.core.sharing.markup import STYLE, e
from journal.core.sharing.report_measures import flags
from journal.core.text import count, day
from journal.core.vault.repositories.workspace import AppointmentNote
from journal.core.workspace.view import PatientView


def record_html(view: PatientView, notes: Iterable[AppointmentNote]) -> str:
    content = view.content
    bundles = view.bundles
    span = (
        f"{count(len(bundles), 'bundle')}, {day(bundles[0].made_at)} to {day(bundles[-1].made_at)}"
        if bundles
        else "no bundles kept"
    )
    body = [
        f"<h1>{e(view.patient.name)} — summary for the clinical record</h1>",
        f"<p>From the journal the patient shared: {e(span)}. The patient wrote it; "
        "the scores are standard research definitions, not a diagnosis.</p>",
        *flags(content),
        *glance(content, columns=False),
    ]
    chosen = sorted(notes, key=lambda n: n.day)
    if chosen:
        body.append("<h2>Appointment notes</h2>")
        for note in chosen:
            body.append(f"<h3>{e(day_text(note))}</h3>{render(note.body)}")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(view.patient.name)}</title><style>{STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def day_text(note: AppointmentNote) -> str:
    return f"{note.day:%d %B %Y}".lstrip("0")
