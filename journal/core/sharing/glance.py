"""The therapist's first screen, "At a glance": what to know in the minutes
before an appointment, above the fold of the reader at 1366×768 and on the
first printed page.

After the safety banner (`report_measures.flags`, always first): each
questionnaire's latest score and band, its change since the baseline and
since the previous bundle, and the response/remission markers (a standard
research definition, not a diagnosis), with a small trend where the
infusions show; the sessions of the period; the agenda's items; the three
most recurring motifs; and how complete the record is. The details follow
in the rest of the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from statistics import mean

from journal.core.checkins import trends
from journal.core.checkins.definitions import Instrument
from journal.core.checkins.instruments import change, number
from journal.core.checkins.outcomes import NOT_A_DIAGNOSIS
from journal.core.model import CheckinKind, Entry, Motif, Phase, Route
from journal.core.sharing import charts
from journal.core.sharing.markup import chart_paragraph, e, table
from journal.core.sharing.measures import Standing
from journal.core.sharing.report_measures import known, standings_of, title
from journal.core.sharing.share import BundleContent
from journal.core.text import count, short_day

SESSION_ROWS = 6  # the latest ones; all of them follow in the details
AGENDA_ITEMS = 8
TOP_MOTIFS = 3
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?(.+?)\s*$")
_ITEM_CHARACTERS = 140


def recurring_motifs(content: BundleContent) -> list[tuple[Motif, list[int]]]:
    """Each motif with the sessions it appears in (oldest first): those in
    the most sessions first, then by name."""
    session_of = {entry.id: entry.session_id for entry in content.entries}
    dates = {s.id: s.started_at for s in content.sessions}
    found = []
    for motif in content.motifs:
        sessions = {session_of.get(i) for i in motif.entry_ids} - {None}
        ordered = sorted((s for s in sessions if s in dates), key=lambda s: dates[s])
        found.append((motif, [s for s in ordered if s is not None]))
    found.sort(key=lambda pair: (-len(pair[1]), pair[0].name.casefold()))
    return found


def agenda_items(entries: Iterable[Entry]) -> list[str]:
    """What the patient wants to talk about, one line each: the items of
    their lists, else the entry's title or first line."""
    items = []
    for entry in entries:
        if entry.phase is not Phase.BEFORE_THERAPY:
            continue
        lines = [line for answer in entry.answers for line in answer.text.splitlines()]
        listed = [m.group(1) for m in map(_LIST_ITEM.match, lines) if m]
        if not listed:
            first = next((line.strip() for line in lines if line.strip()), "")
            listed = [entry.title or first or entry.phase.label]
        items += [_short(item) for item in listed]
    return items


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _ITEM_CHARACTERS else text[: _ITEM_CHARACTERS - 1] + "…"


_FIRST = {str(kind): index for index, kind in enumerate(trends.SCORE_KINDS)}


def _in_order(kind: str) -> tuple[int, str]:
    """PHQ-9 and GAD-7 first, then the others by id."""
    return _FIRST.get(kind, len(_FIRST)), kind


def _reading(value: float, instrument: Instrument) -> str:
    band = instrument.band_for(value)
    return f"<b>{e(number(value))}</b>" + (f" {e(band)}" if band else "")


def _moved(first: float, latest: float) -> str:
    """ "−10 (−67%)": the change in points and percent, compact."""
    moved = change(first, latest)
    points = f"{'+' if moved.points >= 0 else '−'}{number(abs(moved.points))}"
    if moved.percent is None:
        return e(points)
    return e(f"{points} ({'+' if moved.percent >= 0 else '−'}{abs(moved.percent)}%)")


def _muted(text: str) -> str:
    return f'<span class="muted">{e(text)}</span>'


def _measure_row(
    standing: Standing, instrument: Instrument, data: trends.Trends, made: datetime
) -> tuple[str, ...]:
    def when(moment: datetime) -> str:
        return short_day(moment, year_of=made)

    name = f"<b>{e(title(instrument))}</b>"
    latest = f"{_reading(standing.latest, instrument)} · {_muted(when(standing.latest_at))}"
    trend = next((s for s in data.scores if s.kind == standing.kind), None)
    scores = [p.value for p in trend.points] if trend is not None else [standing.latest]
    if instrument.per_session:
        # About one session each: comparing sessions to a "baseline" says nothing.
        moved = _muted(f"about one session each; mean {number(round(mean(scores), 1))}")
    else:
        since_baseline = (
            _muted("this is the baseline")
            if (standing.baseline_at, standing.baseline) == (standing.latest_at, standing.latest)
            else f"{_moved(standing.baseline, standing.latest)} "
            + _muted(f"since the baseline, {number(standing.baseline)} on ")
            + _muted(when(standing.baseline_at))
        )
        since_previous = (
            _muted("no earlier bundle")
            if standing.previous is None or standing.previous_at is None
            else f"{_moved(standing.previous, standing.latest)} "
            + _muted(f"since the last bundle, {number(standing.previous)} on ")
            + _muted(when(standing.previous_at))
        )
        moved = f"{since_baseline}<br>{since_previous}"
    markers = e(", ".join(standing.markers))
    if not markers:
        defined = instrument.outcome.response_fall or instrument.outcome.remission_below
        markers = _muted("none yet" if defined else "none defined")
    spark = ""
    if trend is not None and trend.points:
        spark = chart_paragraph(
            charts.spark_chart(trend, data.session_times),
            f"{instrument.title} over time",
            charts.SPARK_WIDTH,
            charts.SPARK_HEIGHT,
            tight=True,
        )
    return f"{name}<br>{latest}", moved, markers, spark


def _measures(content: BundleContent) -> list[str]:
    instruments = known(content)
    shown = sorted(
        (s for s in standings_of(content) if s.kind in instruments),
        key=lambda s: _in_order(s.kind),
    )
    if not shown:
        return []
    data = trends.build(content.sessions, content.checkins, instruments)
    rows = [_measure_row(s, instruments[s.kind], data, content.created_at) for s in shown]
    headers = ["Latest", "Change", "Markers", "Trend"]
    return [
        table(headers, rows, escaped=True, widths=(18, 39, 18, 25), compact=True),
        f'<p class="muted"><small>{e(rules([instruments[s.kind] for s in shown]))}</small></p>',
    ]


def rules(instruments: Iterable[Instrument]) -> str:
    """What the markers mean, from each questionnaire's own definition, with
    the questionnaires that share a rule named together."""
    groups: dict[str, list[str]] = {}
    for instrument in instruments:
        rule = instrument.outcome
        said = []
        if rule.response_fall is not None:
            said.append(f"response: {number(rule.response_fall)} % or more below it")
        if rule.meaningful_change is not None:
            said.append(f"meaningful change: {number(rule.meaningful_change)} points")
        if rule.remission_below is not None:
            said.append(f"remission: below {number(rule.remission_below)}")
        if rule.screening is not None:
            said.append(f"screening line: {number(rule.screening[0])}–{number(rule.screening[1])}")
        for phrase in said:
            groups.setdefault(phrase, []).append(instrument.title)
    if not groups:
        return ""
    return (
        "Baseline: the first score before the first session; "
        + "; ".join(f"{phrase} ({', '.join(titles)})" for phrase, titles in groups.items())
        + f" — {NOT_A_DIAGNOSIS}."
    )


# Routes as a clinician writes them in a narrow column.
_ROUTES = {
    Route.IV: "IV",
    Route.INTRANASAL: "nasal",
    Route.IM: "IM",
    Route.ORAL: "oral",
    Route.OTHER: "other route",
}


def _unbroken(text: str) -> str:
    return text.replace(" ", "\u00a0")


def _sessions(content: BundleContent) -> list[str]:
    sessions = sorted(content.sessions, key=lambda s: s.started_at)
    if not sessions:
        return []
    shown = sessions[-SESSION_ROWS:]

    def mood(value: int | None) -> str:
        return "—" if value is None else str(value)

    # No-break spaces: a narrow page may wrap the after-effects, never "21 Oct" or "2 → 5".
    rows = [
        (
            f"<b>{e(_unbroken(short_day(s.started_at, year_of=content.created_at)))}</b> "
            + _muted(_ROUTES[s.route]),
            e(_unbroken(f"{mood(s.mood_before)} → {mood(s.mood_after)}")),
            e(", ".join(s.after_effects) or "none noted"),
        )
        for s in shown
    ]
    earlier = len(sessions) - len(shown)
    note = (
        f'<p class="muted">And {earlier} earlier session{"" if earlier == 1 else "s"}, '
        "in the details below.</p>"
        if earlier
        else ""
    )
    return [
        table(
            ["Session", "Mood", "After-effects"],
            rows,
            escaped=True,
            widths=(30, 25, 45),
            compact=True,
        ),
        note,
    ]


def _line(label: str, values: list[str]) -> str:
    return f"<p><b>{e(label)}</b> {' · '.join(e(v) for v in values)}</p>"


def _list(label: str, values: list[str]) -> str:
    items = "".join(f"<li>{e(v)}</li>" for v in values)
    return (
        f'<p style="margin-bottom: 0"><b>{e(label)}</b></p><ul style="margin-top: 0">{items}</ul>'
    )


def _period(content: BundleContent) -> tuple[datetime, datetime]:
    moments = [s.started_at for s in content.sessions] + [c.taken_at for c in content.checkins]
    moments += [en.created_at for en in content.entries if en.created_at is not None]
    start = content.period_from or (min(moments) if moments else content.created_at)
    end = content.period_to or content.created_at
    return start, max(start, end)


def completeness(content: BundleContent) -> list[str]:
    """Check-ins done against the rhythm each is offered at, and entries per session."""
    instruments = known(content)
    start, end = _period(content)
    days = max(1, (end - start).days)
    sessions = sorted(content.sessions, key=lambda s: s.started_at)
    done: list[str] = []
    kinds = sorted(
        {c.kind for c in content.checkins}, key=lambda k: (k == CheckinKind.MOOD, _in_order(k))
    )
    for kind in kinds:
        instrument = instruments.get(kind)
        if instrument is None:
            continue
        taken = [c for c in content.checkins if c.kind == kind]
        if kind == CheckinKind.MOOD:
            on = len({c.taken_at.astimezone().date() for c in taken})
            done.append(f"mood on {on} of {days} days")
        elif instrument.per_session:
            rated = {c.session_id for c in taken} - {None}
            old_enough = [s for s in sessions if end - s.started_at >= timedelta(hours=12)]
            done.append(
                f"{instrument.title} after {len(rated)} of {count(len(old_enough), 'session')}"
            )
        else:
            # Offered again once its recall period has passed: at the start and every period.
            due = days // instrument.period_days + 1
            done.append(
                f"{instrument.title} {len(taken)} (all {due} due)"
                if len(taken) >= due
                else f"{instrument.title} {len(taken)} of {due} due"
            )
    if not kinds:
        done.append("no check-ins shared")
    written = [en.session_id for en in content.entries if en.phase is not Phase.BEFORE_THERAPY]
    per_session = [written.count(s.id) for s in sessions]
    if per_session:
        without = sum(1 for n in per_session if n == 0)
        entries = f"entries per session: {', '.join(map(str, per_session))}"
        if without:
            entries += f" ({without} without an entry)"
        done.append(entries)
    if content.meditations:
        before = sum(1 for s in sessions if content.meditations_of(s.id))
        minutes = sum(m.minutes for m in content.meditations)
        done.append(
            f"meditated {count(len(content.meditations), 'time')} ({minutes} min), "
            f"before {before} of {count(len(sessions), 'session')}"
        )
    return [_line(f"Completeness over {days} day{'' if days == 1 else 's'}:", done)]


def glance(content: BundleContent, *, columns: bool = True) -> list[str]:
    """The first screen, placed right after the safety banner: the measures
    across the page, then the sessions — with ``columns`` (a screen) beside the
    agenda, motifs and completeness, else (a printed page) above them."""
    notes = []
    agenda = agenda_items(content.entries)
    if agenda:
        more = len(agenda) - AGENDA_ITEMS
        shown = agenda[:AGENDA_ITEMS] + ([f"and {more} more"] if more > 0 else [])
        notes.append(_list("On the agenda", shown))
    motifs = recurring_motifs(content)[:TOP_MOTIFS]
    if motifs:
        notes.append(
            _line(
                "Most recurring images:",
                [f"{m.name} ({count(len(s), 'session')})" for m, s in motifs],
            )
        )
    notes += completeness(content)
    sessions = _sessions(content)
    if columns and sessions:
        below = (
            '<table width="100%" border="0" cellpadding="0" cellspacing="0"><tr>'
            f'<td width="45%" style="border: none; padding: 0 1em 0 0">{"".join(sessions)}</td>'
            f'<td width="55%" style="border: none; padding: 0">{"".join(notes)}</td>'
            "</tr></table>"
        )
    else:
        below = "".join(sessions + notes)
    return ['<h2 style="margin-top: 0.6em">At a glance</h2>', *_measures(content), below]
