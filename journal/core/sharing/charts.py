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

from journal.core.checkins.instruments import number
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
    """Time along x, a value range along y, inside a chart of ``width`` × ``height``."""

    def __init__(
        self,
        times: Sequence[datetime],
        top: float,
        right: int,
        *,
        low: float = 0,
        size: tuple[int, int] = (WIDTH, HEIGHT),
        margins: tuple[int, int, int] = (_LEFT, _TOP, _BOTTOM),
    ) -> None:
        start, end = (min(times), max(times)) if times else (datetime.now(), datetime.now())
        if end - start < timedelta(days=2):
            start, end = start - timedelta(days=1), end + timedelta(days=1)
        pad = (end - start) * 0.04
        self.start, self.end = start - pad, end + pad
        self.top, self.low = top, low
        self.left, self.margin_top, bottom = margins
        self.plot_w = size[0] - self.left - right
        self.plot_h = size[1] - self.margin_top - bottom

    def x(self, moment: datetime) -> float:
        return self.left + self.plot_w * ((moment - self.start) / (self.end - self.start))

    def y(self, value: float) -> float:
        span = (self.top - self.low) or 1
        return self.margin_top + self.plot_h * (1 - (value - self.low) / span)


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
        parts.append(_text(_LEFT - 8, y + 4, number(value), anchor="end", fill=MUTED))
    parts += _session_lines(scale, session_times)
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


def _svg(label: str, body: list[str], legend: list[str], size: tuple[int, int] = (0, 0)) -> str:
    """Drawn at twice its size, so it stays sharp when printed or zoomed."""
    width, height = size if size != (0, 0) else (WIDTH, HEIGHT)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" '
        f'width="{width * 2}" height="{height * 2}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>"
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'
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
        low=trend.instrument.min_total,
    )
    body: list[str] = [part for pair in _bands(trend, scale) for part in pair]
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
            body.append(_text(x, y - 10, number(point.value), anchor="middle", bold=True))
    low, top = number(trend.instrument.min_total), number(trend.max_total)
    legend = [("line", f"{trend.title} total ({low}–{top})"), ("session", "session")]
    if any(p.flagged for p in trend.points):
        legend.append(("flag", _flag_words(trend)))
    return _svg(f"{trend.title} totals over time. {trend.summary}", body, _legend(legend))


def _bands(trend: ScoreTrend, scale: _Scale) -> list[tuple[str, str]]:
    """Each band as a tinted stripe and its name at the right. A band reaches
    up to where the next one starts (whole or decimal totals alike)."""
    bands = trend.bands
    drawn = []
    for index, band in enumerate(bands):
        top = bands[index + 1].low if index + 1 < len(bands) else trend.max_total
        y_top, y_low = scale.y(top), scale.y(band.low)
        stripe = (
            f'<rect class="band" x="{scale.left}" y="{y_top:.1f}" width="{scale.plot_w}" '
            f'height="{y_low - y_top:.1f}" fill="{BAND_COLOURS[index % len(BAND_COLOURS)]}"/>'
        )
        name = _text(
            scale.left + scale.plot_w + 8,
            (y_top + y_low) / 2 + 4,
            f"{band.name} ({number(band.low)}–{number(band.high)})",
            size=11,
        )
        drawn.append((stripe, name))
    return drawn


def _session_lines(
    scale: _Scale, session_times: Sequence[datetime], *, dash: str = "4,4"
) -> list[str]:
    """A dashed vertical line at each session inside the chart."""
    return [
        f'<line class="session" x1="{scale.x(t):.1f}" y1="{scale.margin_top}" '
        f'x2="{scale.x(t):.1f}" y2="{scale.margin_top + scale.plot_h}" stroke="{MUTED}" '
        f'stroke-width="1" stroke-dasharray="{dash}"/>'
        for t in session_times
        if scale.start <= t <= scale.end
    ]


def _flag_words(trend: ScoreTrend) -> str:
    safety = trend.instrument.safety
    if len(safety) == 1:
        return f"item {safety[0].item + 1} answered above {safety[0].above}"
    return "a safety item answered"


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


SPARK_WIDTH, SPARK_HEIGHT = 190, 38


def spark_chart(trend: ScoreTrend, session_times: Sequence[datetime]) -> str:
    """The first screen's small trend: totals as a line on faint bands, each
    infusion as a dashed tick, the latest value written at its end."""
    size = (SPARK_WIDTH, SPARK_HEIGHT)
    times = [p.when for p in trend.points]
    inside = [t for t in session_times if times and times[0] <= t <= times[-1]]
    scale = _Scale(
        times + inside, trend.max_total, 30, low=trend.instrument.min_total, size=size,
        margins=(4, 4, 4),
    )  # fmt: skip
    body = [rect for rect, _label in _bands(trend, scale)]
    body += _session_lines(scale, session_times, dash="3,3")
    coords = [(scale.x(p.when), scale.y(p.value)) for p in trend.points]
    if len(coords) > 1:
        body.append(
            f'<polyline fill="none" stroke="{LINE}" stroke-width="2" points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            + '"/>'
        )
    for point, (x, y) in zip(trend.points, coords, strict=True):
        colour = FLAG if point.flagged else LINE
        body.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
    if coords:
        x, y = coords[-1]
        body.append(_text(x + 6, y + 4, number(trend.points[-1].value), size=11, bold=True))
    return _svg(f"{trend.title} over time, sessions as dashed lines", body, [], size)


def infusion_chart(trend: ScoreTrend) -> str:
    """Change per infusion: for each session, the score closest before it
    (hollow) and the first one after it (filled), joined; on the bands."""
    rows = trend.infusions
    count = max(1, len(rows))
    low, high = trend.instrument.min_total, trend.max_total
    scale = _Scale([], high, _BAND_LABELS, low=low)  # its y; x is the infusion's number
    left, plot_w, plot_h, bottom = scale.left, scale.plot_w, scale.plot_h, _BOTTOM
    top_margin, y = scale.margin_top, scale.y

    def x(index: int) -> float:
        return left + plot_w * ((index + 0.5) / count)

    body: list[str] = [part for pair in _bands(trend, scale) for part in pair]
    for value in sorted({*(b.low for b in trend.bands), low, high}):
        body.append(_text(left - 8, y(value) + 4, number(value), anchor="end", fill=MUTED))
    labelled = count <= 16
    for index, row in enumerate(rows):
        cx = x(index)
        if labelled or index in (0, count - 1):
            body.append(
                _text(cx, HEIGHT - bottom + 20, str(row.number), anchor="middle", fill=MUTED)
            )
        before = None if row.before is None else y(row.before.total)
        after = None if row.after is None else y(row.after.total)
        if before is not None and after is not None:
            body.append(
                f'<line class="pair" x1="{cx:.1f}" y1="{before:.1f}" x2="{cx:.1f}" '
                f'y2="{after:.1f}" stroke="{LINE}" stroke-width="2.5"/>'
            )
        words = escape(row.text(trend.instrument))
        if before is not None and row.before is not None:
            body.append(
                f'<circle class="point before" cx="{cx:.1f}" cy="{before:.1f}" r="5" '
                f'fill="#ffffff" stroke="{LINE}" stroke-width="2"><title>{words}</title></circle>'
            )
            if labelled:
                body.append(_text(cx - 9, before + 4, number(row.before.total), anchor="end"))
        if after is not None and row.after is not None:
            body.append(
                f'<circle class="point after" cx="{cx:.1f}" cy="{after:.1f}" r="5" '
                f'fill="{LINE}"><title>{words}</title></circle>'
            )
            if labelled:
                body.append(_text(cx + 9, after + 4, number(row.after.total), bold=True))
    body.append(
        f'<rect x="{left}" y="{top_margin}" width="{plot_w}" height="{plot_h}" '
        f'fill="none" stroke="#b9b2a6" stroke-width="1"/>'
    )
    body.append(
        _text(left + plot_w / 2, HEIGHT - 6, "infusion", anchor="middle", fill=MUTED, size=11)
    )
    legend = _legend([("before", "closest score before"), ("after", "first score after")])
    label = f"{trend.title} around each infusion. " + " ".join(
        r.text(trend.instrument) for r in rows
    )
    return _svg(label, body, legend)
