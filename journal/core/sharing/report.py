"""The therapist's report as one self-contained, sanitised HTML page.

Order: answers flagged for safety first (PHQ-9 item 9 above 0 — the one
thing a clinician must not miss), then the patient's agenda, then trends with
their charts (SVG drawn in memory by `journal.core.sharing.charts`), then the
sessions in order with their entries, motifs and after-effects, then a motif
index across sessions. No script, no remote resource; images are inlined as
``data:`` URIs by this code, after the entry text has been sanitised.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable
from datetime import datetime

from journal.core.checkins import trends
from journal.core.checkins.instruments import DIFFICULTY_OPTIONS, change
from journal.core.journal.markdown import render
from journal.core.journal.render import answer_value_text
from journal.core.model import Attachment, Checkin, Entry, Phase, Session
from journal.core.sharing import charts
from journal.core.sharing.records import attachment_file_name
from journal.core.sharing.share import BundleContent
from journal.core.text import day

_STYLE = """
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 13pt;
       line-height: 1.45; color: #1f1d1a; background: #ffffff; margin: 1em; }
p, li, td, th { font-size: 13pt; }
h1 { font-size: 19pt; } h2 { font-size: 16pt; margin-top: 1.4em; }
h3 { font-size: 14pt; margin-bottom: 0.2em; } h4 { font-size: 13pt; margin-bottom: 0; }
.muted { color: #4a4640; } table.flag, table.flag td { border: 2px solid #a3261a; }
table { border-collapse: collapse; } td, th { border: 1px solid #c9c3b8;
     padding: 0.3em 0.6em; text-align: left; }
img { max-width: 100%; }
"""

_IMAGE_SRC = re.compile(r'src="attachment:(\d+)"')


def _e(text: object) -> str:
    return html.escape(str(text))


def _day(moment: datetime | None) -> str:
    return day(moment)


def _entry_html(entry: Entry, content: BundleContent, images: dict[int, str]) -> str:
    parts = [
        f"<h3>{_e(entry.title or entry.phase.label)}</h3>",
        f'<p class="muted">{_e(entry.phase.label)} · written {_e(_day(entry.created_at))}',
    ]
    if entry.edited_at:
        parts.append(f" · edited {_e(_day(entry.edited_at))}")
    if entry.reflection_of is not None:
        parts.append(" · a reflection on an earlier entry")
    parts.append("</p>")
    used: set[int] = set()
    own = [meta for meta, _data in content.attachments if meta.entry_id == entry.id]
    for answer in entry.answers:
        if answer.prompt_text:
            parts.append(f"<h4>{_e(answer.prompt_text)}</h4>")
        if answer.text:
            body = render(answer.text, image_allowed=lambda ref: ref in images)
            used.update(int(m.group(1)) for m in _IMAGE_SRC.finditer(body))
            parts.append(_IMAGE_SRC.sub(lambda m: f'src="{images[int(m.group(1))]}"', body))
        value = answer_value_text(answer)
        if value:
            parts.append(f"<p><b>{_e(value)}</b></p>")
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
        return f'<p><img src="{images[meta.id]}" alt="{_e(meta.label)}" width="{width}"></p>'
    return (
        f'<p class="muted">{_e(meta.label)}: <code>{_e(attachment_file_name(meta))}</code> '
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


def _flags(checkins: list[Checkin]) -> list[str]:
    flagged = [c for c in checkins if c.flagged]
    if not flagged:
        return []
    items = "".join(
        f"<li>PHQ-9 of {_e(_day(c.taken_at))}: item 9 (thoughts of self-harm) answered "
        f"{c.answers[8] if len(c.answers) > 8 else '?'} of 3.</li>"
        for c in flagged
    )
    # A one-cell table: Qt's rich text (the reader, the PDF) draws table borders, not div borders.
    return [
        '<table class="flag" width="100%" border="2" cellpadding="12" cellspacing="0" '
        'style="border-color: #a3261a; border-style: solid"><tr><td>',
        "<h2>Please note first</h2>",
        f"<ul>{items}</ul>",
        "<p>Afterglow is not monitored; the patient was shown crisis contacts.</p>",
        "</td></tr></table>",
    ]


def _chart(svg: str, alt: str) -> str:
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        # line-height 100%: the body's 1.45 would otherwise add 45% of the chart below it.
        f'<p style="line-height: 100%"><img src="data:image/svg+xml;base64,{data}" '
        f'width="{charts.WIDTH}" '
        f'height="{charts.HEIGHT}" alt="{_e(alt)}"></p>'
    )


def _trends(sessions: list[Session], checkins: list[Checkin]) -> list[str]:
    parts: list[str] = []
    data = trends.build(sessions, checkins)
    mood = data.mood
    if mood.pairs or mood.daily:
        parts += [
            "<h3>Mood (0–10)</h3>",
            f"<p>{_e(mood.summary)}</p>",
            _chart(charts.mood_chart(mood, data.session_times), "Mood over time"),
        ]
    if mood.pairs:
        rows = "".join(
            f"<tr><td>{_e(_day(p.when))}</td>"
            f"<td>{'' if p.before is None else p.before}</td>"
            f"<td>{'' if p.after is None else p.after}</td></tr>"
            for p in mood.pairs
        )
        parts.append(
            '<table width="100%"><tr><th>Session</th><th>Mood before</th>'
            f"<th>Mood after</th></tr>{rows}</table>"
        )
    for trend in data.scores:
        if not trend.points:
            continue
        first = trend.points[0].value
        rows = "".join(
            f"<tr><td>{_e(_day(p.when))}</td><td>{p.value} / {trend.max_total}</td>"
            f"<td>{_e(trends.band_name(trend, p.value))}</td>"
            f"<td>{change(first, p.value).text()}</td>"
            f"<td>{_e(DIFFICULTY_OPTIONS[p.difficulty] if p.difficulty is not None else '')}</td>"
            "</tr>"
            for p in trend.points
        )
        parts += [
            f"<h3>{_e(trend.title)}</h3>",
            f"<p>{_e(trend.summary)}</p>",
            _chart(
                charts.score_chart(trend, data.session_times), f"{trend.title} totals over time"
            ),
            '<table width="100%"><tr><th>Date</th><th>Total</th><th>Severity</th>'
            "<th>Change from first</th><th>Daily life (not scored)</th></tr>"
            f"{rows}</table>",
        ]
    if not parts:
        return []
    return ["<h2>Trends</h2>", *parts, f'<p class="muted">{_e(trends.ABOUT_CHANGE)}</p>']


def _session_html(
    session: Session, entries: list[Entry], content: BundleContent, images: dict[int, str]
) -> str:
    details = [
        ("Route", session.route.label),
        ("Dose", session.dose),
        ("Setting", session.setting),
        ("Intention", session.intention),
        ("Music", session.music),
        ("Mood before", session.mood_before),
        ("Mood after", session.mood_after),
        ("After-effects", ", ".join(session.after_effects)),
        ("Notes", session.notes),
    ]
    rows = "".join(
        f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in details if v not in ("", None)
    )
    motif_names = sorted(
        {m.name for m in content.motifs if set(m.entry_ids) & {e.id for e in entries}}
    )
    parts = [
        '<div class="session">',
        f'<h2 style="page-break-before: always">Session of {_e(_day(session.started_at))}</h2>',
        f'<table width="100%">{rows}</table>',
    ]
    if motif_names:
        parts.append(f"<p><b>Images and metaphors:</b> {_e(', '.join(motif_names))}</p>")
    parts += [_entry_html(e, content, images) for e in entries]
    parts.append("</div>")
    return "\n".join(parts)


def _motif_index(content: BundleContent, images: dict[int, str]) -> list[str]:
    if not content.motifs:
        return []
    session_of = {e.id: e.session_id for e in content.entries}
    dates = {s.id: s.started_at for s in content.sessions}
    rows = []
    ordered = sorted(
        content.motifs,
        key=lambda m: (-len({session_of.get(i) for i in m.entry_ids} - {None}), m.name.casefold()),
    )
    for motif in ordered:
        sessions = sorted(
            s for s in {session_of.get(i) for i in motif.entry_ids} if s is not None and s in dates
        )
        sessions.sort(key=lambda s: dates[s])
        when = ", ".join(_day(dates[s]) for s in sessions)
        extra = " · ".join(
            x
            for x in (
                motif.feeling and f"feeling: {motif.feeling}",
                motif.meaning and f"meaning: {motif.meaning}",
            )
            if x
        )
        rows.append(
            f"<tr><td>{_e(motif.name)}</td><td>{_e(motif.kind.value)}</td>"
            f"<td>{len(sessions)}</td><td>{_e(when)}</td><td>{_e(extra)}</td></tr>"
        )
    pictures = []
    for motif in ordered:
        linked = [m for m, _data in content.attachments if m.motif_id == motif.id]
        if linked:
            pictures.append(f"<h3>{_e(motif.name)}</h3>")
            pictures += [_attachment_html(m, images, width=320) for m in linked]
    return [
        "<h2>Images and metaphors across sessions</h2>",
        '<table width="100%"><tr><th>Motif</th><th>Kind</th><th>Sessions</th><th>When</th>'
        f"<th>Notes</th></tr>{''.join(rows)}</table>",
        *pictures,
    ]


def report_html(content: BundleContent, *, images_as_files: bool = False) -> str:
    """The whole report, sanitised. Images are inlined as ``data:`` URIs (one
    self-contained page, for the app's reader and the PDF) or, with
    ``images_as_files``, point to their files beside the report in the
    archive (``attachments/…``: the bundle then holds each image once)."""
    images = {
        a.id: (
            attachment_file_name(a)
            if images_as_files
            else f"data:{a.mime};base64,{base64.b64encode(data).decode('ascii')}"
        )
        for a, data in content.attachments
        if a.id is not None and a.mime in ("image/png", "image/jpeg")
    }
    title = "Journal shared for therapy"
    who = f" — {content.alias}" if content.alias else ""
    period = ""
    if content.period_from or content.period_to:
        period = (
            f"{_day(content.period_from) or 'the beginning'} to "
            f"{_day(content.period_to) or _day(content.created_at)}"
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
        f"<h1>{_e(title + who)}</h1>",
        f'<p class="muted">Made with Afterglow on {_e(_day(content.created_at))}'
        f"{' · covering ' + _e(period) if period else ''}.</p>",
        *_flags(content.checkins),
        *_agenda(content.entries, content, images),
        *_trends(content.sessions, content.checkins),
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
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
