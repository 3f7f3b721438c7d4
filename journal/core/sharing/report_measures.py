"""The report's measures: the safety banner, and the trends with their
charts, tables and change around each infusion.

Everything comes from the questionnaires' definitions the bundle carries
(`BundleContent.instruments`; the built-ins for older bundles), so a
clinician's own questionnaire is flagged, scored, banded and charted like a
built-in one — and marked as the clinician's wherever its scores appear.
"""

from __future__ import annotations

from journal.core.checkins import trends
from journal.core.checkins.definitions import Instrument
from journal.core.checkins.instruments import INSTRUMENTS, change, number
from journal.core.checkins.outcomes import NOT_A_DIAGNOSIS
from journal.core.checkins.trends import ScoreTrend
from journal.core.model import Checkin
from journal.core.sharing import charts
from journal.core.sharing.markup import chart_paragraph, e, table
from journal.core.sharing.measures import Standing, standings
from journal.core.sharing.share import BundleContent
from journal.core.text import day


def known(content: BundleContent) -> dict[str, Instrument]:
    """Every definition the report may need: the bundle's over the built-ins."""
    return {**INSTRUMENTS, **content.instruments}


def title(instrument: Instrument) -> str:
    """The questionnaire's name as the report shows it, a clinician's own marked."""
    if instrument.builtin:
        return instrument.title
    return f"{instrument.title} (the clinician's own questionnaire, version {instrument.version})"


def standings_of(content: BundleContent) -> list[Standing]:
    """The standings the patient's app computed from the whole journal; for
    a bundle made before they were shared, computed from what it holds."""
    if content.standings:
        return content.standings
    return standings(known(content), content.checkins, content.checkins, content.sessions, None)


def safety_lines(checkins: list[Checkin], instruments: dict[str, Instrument]) -> list[str]:
    """One sentence per answer that raised a safety flag."""
    lines = []
    for checkin in checkins:
        if not checkin.flagged:
            continue
        instrument = instruments.get(checkin.kind)
        if instrument is None:
            continue
        raised = [
            s
            for s in instrument.safety
            if s.item < len(checkin.answers) and checkin.answers[s.item] > s.above
        ]
        when = f"{title(instrument)} of {day(checkin.taken_at)}"
        if not raised:  # flagged by the patient's app under an older definition
            lines.append(f"{when}: a safety question was answered above its line.")
        for item in raised:
            what = f" ({item.label})" if item.label else ""
            lines.append(
                f"{when}: item {item.item + 1}{what} answered "
                f"{checkin.answers[item.item]} of {instrument.max_answer}."
            )
    return lines


def flags(content: BundleContent) -> list[str]:
    lines = safety_lines(content.checkins, known(content))
    if not lines:
        return []
    items = "".join(f"<li>{e(line)}</li>" for line in lines)  # one per flagged answer
    # A one-cell table: Qt's rich text (the reader, the PDF) draws table borders, not div borders.
    return [
        '<table class="flag" width="100%" border="2" cellpadding="8" cellspacing="0" '
        'style="border-color: #a3261a; border-style: solid"><tr><td>',
        '<h2 style="margin-top: 0; margin-bottom: 0.2em">Please note first</h2>',
        f'<ul style="margin-top: 0; margin-bottom: 0.2em">{items}</ul>',
        '<p style="margin: 0"><small>Afterglow is not monitored; the patient was shown crisis '
        "contacts.</small></p>",
        "</td></tr></table>",
    ]


def _mood(data: trends.Trends) -> list[str]:
    mood = data.mood
    parts: list[str] = []
    if mood.pairs or mood.daily:
        parts += [
            "<h3>Mood (0–10)</h3>",
            f"<p>{e(mood.summary)}</p>",
            chart_paragraph(
                charts.mood_chart(mood, data.session_times),
                "Mood over time",
                charts.WIDTH,
                charts.HEIGHT,
            ),
        ]
    if mood.pairs:
        parts.append(
            table(
                ["Session", "Mood before", "Mood after"],
                ((day(p.when), _blank(p.before), _blank(p.after)) for p in mood.pairs),
            )
        )
    return parts


def _blank(value: int | None) -> str:
    return "" if value is None else str(value)


def _scores_table(trend: ScoreTrend) -> str:
    first = trend.points[0].value
    followup = trend.instrument.followup
    headers = ["Date", "Total", "Severity", "Change from first"]
    if followup is not None:
        headers.append("Daily life (not scored)")
    rows = []
    for point in trend.points:
        row = [
            day(point.when),
            f"{number(point.value)} / {number(trend.max_total)}",
            trends.band_name(trend, point.value),
            change(first, point.value).text(),
        ]
        if followup is not None:
            answer, options = point.difficulty, followup.options
            row.append(options[answer] if answer is not None and answer < len(options) else "")
        rows.append(row)
    return table(headers, rows)


def _around_infusions(trend: ScoreTrend) -> list[str]:
    rows = [r for r in trend.infusions if r.before is not None or r.after is not None]
    if not rows or trend.instrument.per_session:
        return []

    def score(c: Checkin | None) -> str:
        return "" if c is None else number(c.total)

    def mood(value: int | None) -> str:
        return "—" if value is None else str(value)

    return [
        f"<h4>{e(trend.title)} around each infusion</h4>",
        chart_paragraph(
            charts.infusion_chart(trend),
            f"{trend.title} before and after each infusion",
            charts.WIDTH,
            charts.HEIGHT,
        ),
        table(
            [
                "Infusion",
                "Session",
                "Closest before",
                "First after",
                "Change",
                "Mood before → after",
            ],
            (
                (
                    r.number,
                    day(r.session.started_at),
                    score(r.before),
                    score(r.after),
                    "" if r.change is None else r.change.text(),
                    f"{mood(r.session.mood_before)} → {mood(r.session.mood_after)}",
                )
                for r in trend.infusions
            ),
        ),
    ]


def trends_section(content: BundleContent) -> list[str]:
    """Mood, then each questionnaire: its chart on its bands, the standing
    (baseline, response, remission), a table of every score, and its change
    around each infusion."""
    instruments = known(content)
    data = trends.build(content.sessions, content.checkins, instruments)
    standing = {s.kind: s for s in standings_of(content)}
    parts = _mood(data)
    for trend in data.scores:
        if not trend.points:
            continue
        heading = title(trend.instrument)
        shared = standing.get(trend.kind)
        parts += [
            f"<h3>{e(heading)}</h3>",
            f"<p>{e(trend.overview)}</p>",
        ]
        if shared is not None and shared.sentence:
            parts.append(f"<p><b>{e(shared.sentence)}</b></p>")
        if trend.instrument.outcome.note:
            parts.append(f'<p class="muted">{e(trend.instrument.outcome.note)}</p>')
        parts += [
            chart_paragraph(
                charts.score_chart(trend, data.session_times),
                f"{trend.title} totals over time",
                charts.WIDTH,
                charts.HEIGHT,
            ),
            _scores_table(trend),
            *_around_infusions(trend),
        ]
    if not parts:
        return []
    return [
        "<h2>Trends</h2>",
        *parts,
        '<p class="muted">Response, remission and the screening line follow each '
        "questionnaire's own definition, against its baseline (the first score before the "
        f"first session): {e(NOT_A_DIAGNOSIS)}.</p>",
    ]
