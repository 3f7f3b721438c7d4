"""The therapist's report as one self-contained, sanitised HTML page.

Order: answers flagged for safety first (PHQ-9 item 9 above 0 — the one
thing a clinician must not miss), then the first screen "At a glance"
(`glance`), then the patient's agenda, then trends with their charts (SVG
drawn in memory by `journal.core.sharing.charts`; `report_measures`), then
the sessions in order with their entries, motifs and after-effects, then a
motif index across sessions. No script, no remote resource; images are inlined as
``data:`` URIs by this code, after the entry text has been sanitised.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable

from journal.core.journal.markdown import render
from journal.core.journal.render import answer_value_text
from journal.core.model import Attachment, Entry, Phase, Session
from journal.core.sharing.glance import glance, recurring_motifs
from journal.core.sharing.markup import STYLE, e
from journal.core.sharing.records import attachment_file_name
from journal.core.sharing.report_measures import flags, trends_section
from journal.core.sharing.share import BundleContent
from journal.core.text import day

_IMAGE_SRC = re.compile(r'src="attachment:(\d+)"')


def _entry_html(entry: Entry, content: BundleContent, images: dict[int, str]) -> str:
    parts = [
        f"<h3>{e(entry.title or entry.phase.label)}</h3>",
        f'<p class="muted">{e(entry.phase.label)} · written {e(day(entry.created_at))}',
    ]
    if entry.edited_at:
        parts.append(f" · edited {e(day(entry.edited_at))}")
    if entry.reflection_of is not None:
        parts.append(" · a reflection on an earlier entry")
    if entry.source:
        parts.append(f" · imported from {e(entry.source)}")
    parts.append("</p>")
    used: set[int] = set()
    own = [meta for meta, _data in content.attachments if meta.entry_id == entry.id]
    for answer in entry.answers:
        if answer.prompt_text:
            parts.append(f"<h4>{e(answer.prompt_text)}</h4>")
        if answer.text:
            body = render(answer.text, image_allowed=lambda ref: ref in images)
            used.update(int(m.group(1)) for m in _IMAGE_SRC.finditer(body))
            parts.append(_IMAGE_SRC.sub(lambda m: f'src="{images[int(m.group(1))]}"', body))
        value = answer_value_text(answer)
        if value:
            parts.append(f"<p><b>{e(value)}</b></p>")
        # Sketches, pictures and voice notes made for this prompt, under its answer.
        placed = [m for m in own if m.prompt_key == answer.prompt_key and m.id not in used]
        parts += [_attachment_html(m, images) for m in placed]
        used.update(m.id for m in placed if m.id is not None)
    # The entry's other attachments that its text does not show inline.
    parts += [_attachment_html(m, images) for m in own if m.id not in used]
    return "\n".join(parts)


def _attachment_html(meta: Attachment, images: dict[int, str], width: int = 480) -> str:
    """A picture inline; a voice note as a line naming its file in the bundle."""
    if meta.id in images:
        return f'<p><img src="{images[meta.id]}" alt="{e(meta.label)}" width="{width}"></p>'
    return (
        f'<p class="muted">{e(meta.label)}: <code>{e(attachment_file_name(meta))}</code> '
        "in the bundle (plays in Afterglow's reader and most media players).</p>"
    )


def _agenda(entries: Iterable[Entry], content: BundleContent, images: dict[int, str]) -> list[str]:
    agenda = [e for e in entries if e.phase is Phase.BEFORE_THERAPY]
    if not agenda:
        return []
    return [
        "<h2>What I'd like to talk about</h2>",
        *(_entry_html(e, content, images) for e in agenda),
    ]


def _session_html(
    session: Session, entries: list[Entry], content: BundleContent, images: dict[int, str]
) -> str:
    details = [
        ("Route", session.route.label),
        ("Dose", session.dose),
        ("Setting", session.setting),
        ("Music", session.music),
        ("Mood before", session.mood_before),
        ("Mood after", session.mood_after),
        ("After-effects", ", ".join(session.after_effects)),
        ("Notes", session.notes),
        ("Before the session", "; ".join(m.summary for m in content.meditations_of(session.id))),
    ]
    rows = "".join(
        f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in details if v not in ("", None)
    )
    motif_names = sorted(
        {m.name for m in content.motifs if set(m.entry_ids) & {e.id for e in entries}}
    )
    parts = [
        '<div class="session">',
        f'<h2 style="page-break-before: always">Session of {e(day(session.started_at))}</h2>',
    ]
    if session.intention:
        # What was hoped for, first: to hold what happened against it.
        parts.append(f'<p class="intention"><b>Intention:</b> “{e(session.intention)}”</p>')
    parts.append(f'<table width="100%">{rows}</table>')
    if motif_names:
        parts.append(f"<p><b>Images and metaphors:</b> {e(', '.join(motif_names))}</p>")
    parts += [_entry_html(e, content, images) for e in entries]
    parts.append("</div>")
    return "\n".join(parts)


def _motif_index(content: BundleContent, images: dict[int, str]) -> list[str]:
    if not content.motifs:
        return []
    dates = {s.id: s.started_at for s in content.sessions}
    ordered = [motif for motif, _sessions in recurring_motifs(content)]
    rows = []
    for motif, sessions in recurring_motifs(content):
        when = ", ".join(day(dates[s]) for s in sessions)
        extra = " · ".join(
            x
            for x in (
                motif.feeling and f"feeling: {motif.feeling}",
                motif.meaning and f"meaning: {motif.meaning}",
            )
            if x
        )
        rows.append(
            f"<tr><td>{e(motif.name)}</td><td>{e(motif.kind.value)}</td>"
            f"<td>{len(sessions)}</td><td>{e(when)}</td><td>{e(extra)}</td></tr>"
        )
    pictures = []
    for motif in ordered:
        linked = [m for m, _data in content.attachments if m.motif_id == motif.id]
        if linked:
            pictures.append(f"<h3>{e(motif.name)}</h3>")
            pictures += [_attachment_html(m, images, width=320) for m in linked]
    return [
        "<h2>Images and metaphors across sessions</h2>",
        '<table width="100%"><tr><th>Motif</th><th>Kind</th><th>Sessions</th><th>When</th>'
        f"<th>Notes</th></tr>{''.join(rows)}</table>",
        *pictures,
    ]


def report_html(
    content: BundleContent,
    *,
    images_as_files: bool = False,
    printed: bool = False,
    title: str = "Journal shared for therapy",
) -> str:
    """The whole report, sanitised. Images are inlined as ``data:`` URIs (one
    self-contained page, for the app's reader and the PDF) or, with
    ``images_as_files``, point to their files beside the report in the
    archive (``attachments/…``: the bundle then holds each image once).
    ``printed``: laid out for a narrow paper page (the first screen in one
    column) rather than a screen. ``title``: another heading (a workspace's
    report across every bundle of a patient)."""
    images = {
        a.id: (
            attachment_file_name(a)
            if images_as_files
            else f"data:{a.mime};base64,{base64.b64encode(data).decode('ascii')}"
        )
        for a, data in content.attachments
        if a.id is not None and a.mime in ("image/png", "image/jpeg")
    }
    who = f" — {content.alias}" if content.alias else ""
    period = ""
    if content.period_from or content.period_to:
        period = (
            f"{day(content.period_from) or 'the beginning'} to "
            f"{day(content.period_to) or day(content.created_at)}"
        )
    by_session: dict[int | None, list[Entry]] = {}
    for entry in sorted(content.entries, key=lambda e: (e.created_at is None, e.created_at)):
        by_session.setdefault(entry.session_id, []).append(entry)
    session_ids = {s.id for s in content.sessions}
    loose = [
        e
        for e in content.entries
        if e.session_id not in session_ids and e.phase is not Phase.BEFORE_THERAPY
    ]
    body = [
        # What the bundle is, in the title's line: the first screen needs the height.
        f"<h1>{e(title + who)}&emsp;"
        f'<small style="font-weight: normal; color: #4a4640">'
        f"made with Afterglow on {e(day(content.created_at))}"
        f"{', covering ' + e(period) if period else ''}</small></h1>",
        *flags(content),
        *glance(content, columns=not printed),
        *_agenda(content.entries, content, images),
        *trends_section(content),
    ]
    body += [
        _session_html(
            s,
            [e for e in by_session.get(s.id, []) if e.phase is not Phase.BEFORE_THERAPY],
            content,
            images,
        )
        for s in content.sessions
    ]
    if loose:
        body += ["<h2>Other entries</h2>", *(_entry_html(e, content, images) for e in loose)]
    body += _motif_index(content, images)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data: 'self' file:; style-src 'unsafe-inline'\">"
        f"<title>{e(title)}</title><style>{STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
