"""Trend charts for the therapist's report, drawn as SVG in memory.

Plain SVG (lines, circles, rectangles, text — the Tiny subset Qt's renderer
reads), so the same picture shows in a browser, in the reader and in the
printed PDF. Readable at a glance: severity bands as calm tinted stripes with
their names, every value written next to its point, sessions as dashed
lines, PHQ-9 item-9 answers ringed. Every point also has a ``<title>`` for
hovering in a browser; the tables under each chart in the report give the
same numbers for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from html import escape

from journal.core.checkins.trends import MoodTrend, ScoreTrend

WIDTH, HEIGHT = 760, 300
_LEFT, _TOP, _BOTTOM = 48, 38, 44
_BAND_LABELS = 190  # room on the right for the band names
# Pale to warm; light enough that dark text and the line stay readable on each.
BAND_COLOURS = ("#e4efe6", "#f1efd8", "#f6e4cf", "#f3d6cb", "#eecac6")
INK, LINE, MUTED, FLAG = "#1f1d1a", "#2d4a6b", "#6b655c", "#a3261a"
_FONT = 'font-family="DejaVu Sans, Segoe UI, Arial, sans-serif"'
_LABELLED_POINTS = 40  # above this, only the first and last values are written


class _Scale:
    def __init__(self, times: Sequence[datetime], top: float, right: int) -> None:
        start, end = (min(times), max(times)) if times else (datetime.now(), datetime.now())
        if end - start < timedelta(days=2):
            start, end = start - timedelta(days=1), end + timedelta(days=1)
        pad = (end - start) * 0.04
        self.start, self.end = start - pad, end + pad
        self.top = top
        self.plot_w = WIDTH - _LEFT - right
        self.plot_h = HEIGHT - _TOP - _BOTTOM

    def x(self, moment: datetime) -> float:
        return _LEFT + self.plot_w * ((moment - self.start) / (self.end - self.start))

    def y(self, value: float) -> float:
        return _TOP + self.plot_h * (1 - value / self.top)


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: int = 12,
    anchor: str = "start",
    fill: str = INK,
    bold: bool = False,
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" {_FONT}{weight}>{escape(text)}</text>'
    )


def _frame(scale: _Scale, session_times: Sequence[datetime], ticks: Sequence[float]) -> list[str]:
    parts = []
    for value in ticks:
        y = scale.y(value)
        parts.append(
            f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{_LEFT + scale.plot_w}" y2="{y:.1f}" '
            'stroke="#d8d2c7" stroke-width="1"/>'
        )
        parts.append(_text(_LEFT - 8, y + 4, str(value), anchor="end", fill=MUTED))
    for moment in session_times:
        if scale.start <= moment <= scale.end:
            x = scale.x(moment)
            parts.append(
                f'<line class="session" x1="{x:.1f}" y1="{_TOP}" x2="{x:.1f}" '
                f'y2="{_TOP + scale.plot_h}" stroke="{MUTED}" stroke-width="1" '
                'stroke-dasharray="4,4"/>'
            )
    # Dates along the bottom: up to six, evenly spread in time, never the same day twice.
    span = scale.end - scale.start
    count = max(1, min(6, span.days))
    with_year = scale.start.year != scale.end.year
    for i in range(count):
        moment = scale.start + span * ((i + 0.5) / count)
        label = f"{moment.astimezone():%d %b}".lstrip("0")
        if with_year or i == 0:
            label += f" {moment.astimezone():%Y}"
        parts.append(
            _text(
                scale.x(moment), HEIGHT - _BOTTOM + 20, label, anchor="middle", fill=MUTED, size=11
            )
        )
    parts.append(
        f'<rect x="{_LEFT}" y="{_TOP}" width="{scale.plot_w}" height="{scale.plot_h}" '
        f'fill="none" stroke="#b9b2a6" stroke-width="1"/>'
    )
    return parts


def _svg(label: str, body: list[str], legend: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" '
        f'width="{WIDTH * 2}" height="{HEIGHT * 2}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>"
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
        + "".join(body)
        + "".join(legend)
        + "</svg>"
    )


def _legend(items: Sequence[tuple[str, str]]) -> list[str]:
    """Legend along the top: (mark, words) with marks "line", "before",
    "after", "daily", "session" or "flag"."""
    marks = {
        "line": f'<line x1="{{x}}" y1="16" x2="{{x2}}" y2="16" stroke="{LINE}" '
        'stroke-width="2.5"/>',
        "before": f'<circle cx="{{c}}" cy="16" r="5" fill="#ffffff" stroke="{LINE}" '
        'stroke-width="2"/>',
        "after": f'<circle cx="{{c}}" cy="16" r="5" fill="{LINE}"/>',
        "daily": f'<circle cx="{{c}}" cy="16" r="3.5" fill="{MUTED}"/>',
        "session": f'<line x1="{{c}}" y1="8" x2="{{c}}" y2="24" stroke="{MUTED}" '
        'stroke-dasharray="4,4"/>',
        "flag": f'<circle cx="{{c}}" cy="16" r="7" fill="none" stroke="{FLAG}" '
        'stroke-width="2.5"/>',
    }
    x = float(_LEFT)
    parts = []
    for mark, words in items:
        parts.append(marks[mark].format(x=x, x2=x + 18, c=x + 9))
        parts.append(_text(x + 24, 20, words, fill=MUTED))
        x += 24 + 6.8 * len(words) + 20
    return parts


def score_chart(trend: ScoreTrend, session_times: Sequence[datetime]) -> str:
    """A PHQ-9 or GAD-7 chart: totals over time on their severity bands."""
    times = [p.when for p in trend.points]
    scale = _Scale(
        times + [t for t in session_times if times and times[0] <= t <= times[-1]],
        trend.max_total,
        _BAND_LABELS,
    )
    body: list[str] = []
    for index, band in enumerate(trend.bands):
        top = band.high + 1 if band.high < trend.max_total else trend.max_total
        y_top, y_low = scale.y(top), scale.y(band.low)
        body.append(
            f'<rect class="band" x="{_LEFT}" y="{y_top:.1f}" width="{scale.plot_w}" '
            f'height="{y_low - y_top:.1f}" fill="{BAND_COLOURS[index % len(BAND_COLOURS)]}"/>'
        )
        body.append(
            _text(
                _LEFT + scale.plot_w + 8,
                (y_top + y_low) / 2 + 4,
                f"{band.name} ({band.low}–{band.high})",
                size=11,
            )
        )
    body += _frame(scale, session_times, [b.low for b in trend.bands] + [trend.max_total])
    coords = [(scale.x(p.when), scale.y(p.value)) for p in trend.points]
    if len(coords) > 1:
        body.append(
            '<polyline fill="none" stroke="{}" stroke-width="2.5" points="{}"/>'.format(
                LINE, " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            )
        )
    for index, (point, (x, y)) in enumerate(zip(trend.points, coords, strict=True)):
        if point.flagged:
            body.append(
                f'<circle class="flag" cx="{x:.1f}" cy="{y:.1f}" r="10" fill="none" '
                f'stroke="{FLAG}" stroke-width="2.5"/>'
            )
        body.append(
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{LINE}" '
            f'stroke="#ffffff" stroke-width="1.5"><title>{escape(point.text)}</title></circle>'
        )
        if len(coords) <= _LABELLED_POINTS or index in (0, len(coords) - 1):
            body.append(_text(x, y - 10, str(point.value), anchor="middle", bold=True))
    legend = [("line", f"{trend.title} total (0–{trend.max_total})"), ("session", "session")]
    if any(p.flagged for p in trend.points):
        legend.append(("flag", "item 9 answered above 0"))
    return _svg(f"{trend.title} totals over time. {trend.summary}", body, _legend(legend))


def mood_chart(trend: MoodTrend, session_times: Sequence[datetime]) -> str:
    """Mood before (hollow) and after (filled) each session, joined as pairs,
    with daily mood check-ins as small grey dots."""
    times = [p.when for p in trend.pairs] + [p.when for p in trend.daily]
    scale = _Scale(times, 10, 24)
    body = _frame(scale, session_times, [0, 2, 4, 6, 8, 10])
    for point in trend.daily:
        body.append(
            f'<circle class="point daily" cx="{scale.x(point.when):.1f}" '
            f'cy="{scale.y(point.value):.1f}" r="3.5" fill="{MUTED}">'
            f"<title>{escape(point.text)}</title></circle>"
        )
    for pair in trend.pairs:
        x = scale.x(pair.when)
        if pair.before is not None and pair.after is not None:
            body.append(
                f'<line class="pair" x1="{x:.1f}" y1="{scale.y(pair.before):.1f}" x2="{x:.1f}" '
                f'y2="{scale.y(pair.after):.1f}" stroke="{LINE}" stroke-width="2.5"/>'
            )
        if pair.before is not None:
            body.append(
                f'<circle class="point before" cx="{x:.1f}" cy="{scale.y(pair.before):.1f}" '
                f'r="5" fill="#ffffff" stroke="{LINE}" stroke-width="2">'
                f"<title>{escape(pair.text)}</title></circle>"
            )
        if pair.after is not None:
            body.append(
                f'<circle class="point after" cx="{x:.1f}" cy="{scale.y(pair.after):.1f}" '
                f'r="5" fill="{LINE}"><title>{escape(pair.text)}</title></circle>'
            )
            if len(trend.pairs) <= _LABELLED_POINTS:
                body.append(_text(x + 8, scale.y(pair.after) + 4, str(pair.after), bold=True))
    legend = _legend(
        [
            ("before", "before the session"),
            ("after", "after"),
            ("daily", "daily check-in"),
            ("session", "session"),
        ]
    )
    return _svg(f"Mood over time. {trend.summary}", body, legend)
