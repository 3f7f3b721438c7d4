"""One trend chart (QtCharts) whose points the keyboard walks: focus it and
Left/Right, Home and End move along the points while ``point_changed`` says
each value, its date and its change from the first (its accessible
description says the same). Hovering a point shows the same sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCharts import (
    QAbstractSeries,
    QAreaSeries,
    QCategoryAxis,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLegend,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
    QXYSeries,
)
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QCursor, QFocusEvent, QFont, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QToolTip,
)

from journal.core.checkins.trends import MoodTrend, ScoreTrend
from journal.ui.theme import THEMES, Theme

# Band tints, from calm to warm; drawn translucent over the theme's surface.
BAND_TINTS = ("#5f9e6e", "#b9a83e", "#d28a45", "#cf6a4c", "#b8433d")
CHARTS = (("mood", "Mood"), ("phq9", "PHQ-9"), ("gad7", "GAD-7"))  # before any data


def _ms(moment: datetime) -> float:
    return moment.timestamp() * 1000


@dataclass(frozen=True)
class Readout:
    x: float
    y: float
    text: str


class TrendChart(QChartView):
    """One chart; the keyboard walks its points. ``point_changed(str)``."""

    point_changed = Signal(str)

    def __init__(self) -> None:
        self._chart = QChart()
        super().__init__(self._chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Trend chart")
        self.viewport().setAccessibleName("Trend chart")
        # It takes all the room there is; on a 1024×600 screen that is about 200 px.
        self.setMinimumHeight(200)
        self._chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        self._chart.legend().setMarkerShape(QLegend.MarkerShape.MarkerShapeFromSeries)
        self._chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self._chart.setMargins(QMargins(6, 6, 6, 6))
        self._chart.layout().setContentsMargins(0, 0, 0, 0)
        self.readouts: list[Readout] = []
        self.current = -1
        self.values: list[QXYSeries] = []  # the series that carry the data points
        self.selection: QScatterSeries | None = None
        self.theme: Theme = THEMES["calm_dark"]

    # -- building ---------------------------------------------------------------

    def reset(self, theme: Theme) -> None:
        self.theme = theme
        chart = self._chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.readouts, self.current, self.values, self.selection = [], -1, [], None
        chart.setBackgroundBrush(QBrush(QColor(theme.surface)))
        chart.setBackgroundRoundness(10)
        chart.legend().setLabelColor(QColor(theme.text))
        chart.legend().setFont(self._font(-4))
        self.setBackgroundBrush(QBrush(QColor(theme.background)))

    def _font(self, delta: int, *, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPointSize(max(11, font.pointSize() + delta))
        font.setBold(bold)
        return font

    def _axes(
        self, start: float, end: float, top: float, step: int
    ) -> tuple[QDateTimeAxis, QValueAxis]:
        x_axis = QDateTimeAxis()
        x_axis.setFormat("d MMM yyyy" if end - start > 300 * 86_400_000 else "d MMM")
        days = (end - start) / 86_400_000
        x_axis.setTickCount(max(2, min(6, int(days) + 1)))  # never the same day twice
        x_axis.setRange(
            QDateTime.fromMSecsSinceEpoch(int(start)), QDateTime.fromMSecsSinceEpoch(int(end))
        )
        y_axis = QValueAxis()
        y_axis.setRange(0, top)
        y_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        y_axis.setTickAnchor(0)
        y_axis.setTickInterval(step)
        y_axis.setLabelFormat("%d")
        for axis in (x_axis, y_axis):
            axis.setLabelsColor(QColor(self.theme.text))
            axis.setLabelsFont(self._font(-4))
            axis.setGridLineColor(QColor(self.theme.border))
            axis.setLinePenColor(QColor(self.theme.border))
        self._chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self._chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        return x_axis, y_axis

    def _add(self, series: QAbstractSeries, axes: Sequence[object], *, legend: bool = True) -> None:
        self._chart.addSeries(series)
        for axis in axes:
            series.attachAxis(axis)  # type: ignore[arg-type]
        if not legend:
            for marker in self._chart.legend().markers(series):
                marker.setVisible(False)

    def _span(self, times: Sequence[datetime]) -> tuple[float, float]:
        if not times:
            now = datetime.now().astimezone()
            return _ms(now - timedelta(days=14)), _ms(now)
        start, end = min(times), max(times)
        if end - start < timedelta(days=2):
            start, end = start - timedelta(days=1), end + timedelta(days=1)
        pad = (end - start) * 0.05
        return _ms(start - pad), _ms(end + pad)

    def _sessions(
        self,
        times: Sequence[datetime],
        start: float,
        end: float,
        top: float,
        axes: Sequence[object],
    ) -> None:
        pen = QPen(QColor(self.theme.muted), 1.2, Qt.PenStyle.DashLine)
        first = True
        for moment in times:
            x = _ms(moment)
            if not start <= x <= end:
                continue
            marker = QLineSeries()
            marker.setName("Session")
            marker.append(x, 0)
            marker.append(x, top)
            marker.setPen(pen)
            self._add(marker, axes, legend=first)
            first = False

    def _value_series(self, name: str, points: Sequence[tuple[float, float]]) -> QLineSeries:
        series = QLineSeries()
        series.setName(name)
        for x, y in points:
            series.append(x, y)
        colour = QColor(self.theme.accent)
        series.setPen(QPen(colour, 3))
        series.setPointsVisible(True)
        series.setMarkerSize(10)
        series.hovered.connect(self._on_hovered)
        self.values.append(series)
        return series

    def _value_labels(
        self, points: Sequence[tuple[float, float]], top: float, axes: Sequence[object]
    ) -> None:
        """Each value written just above its point. Qt draws point labels
        half under the marker, so the labels sit on an invisible series a
        little higher, each showing the real value."""
        lift = top * 0.075
        carrier = QScatterSeries()
        carrier.setMarkerSize(1)
        carrier.setBrush(QBrush(Qt.BrushStyle.NoBrush))
        carrier.setPen(QPen(Qt.PenStyle.NoPen))
        for x, y in points:
            carrier.append(x, y + lift)
        self._add(carrier, axes, legend=False)
        for index, (_x, y) in enumerate(points):
            carrier.setPointConfiguration(index, QXYSeries.PointConfiguration.LabelFormat, f"{y:g}")
        carrier.setPointLabelsVisible(True)
        carrier.setPointLabelsColor(QColor(self.theme.text))
        carrier.setPointLabelsFont(self._font(-5, bold=True))
        carrier.setPointLabelsClipping(False)

    def _add_selection(self, axes: Sequence[object]) -> None:
        ring = QScatterSeries()
        ring.setName("Selected")
        ring.setMarkerSize(28)
        ring.setBrush(QBrush(Qt.BrushStyle.NoBrush))
        ring.setPen(QPen(QColor(self.theme.focus), 3))
        self._add(ring, axes, legend=False)
        self.selection = ring

    def show_score(
        self, trend: ScoreTrend, session_times: Sequence[datetime], theme: Theme
    ) -> None:
        self.reset(theme)
        times = [p.when for p in trend.points]
        start, end = self._span(
            times + [t for t in session_times if times and times[0] <= t <= times[-1]]
        )
        top = trend.max_total
        x_axis, y_axis = self._axes(start, end, top, 5)
        axes = (x_axis, y_axis)
        bands_axis = QCategoryAxis()
        bands_axis.setStartValue(0)
        bands_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionCenter)
        bands_axis.setLabelsColor(QColor(theme.text))
        bands_axis.setLabelsFont(self._font(-5))
        bands_axis.setGridLineVisible(False)
        bands_axis.setLineVisible(False)
        for index, band in enumerate(trend.bands):
            upper_value = band.high + 1 if band.high < top else top
            upper, lower = QLineSeries(), QLineSeries()
            upper.append(start, upper_value)
            upper.append(end, upper_value)
            lower.append(start, band.low)
            lower.append(end, band.low)
            area = QAreaSeries(upper, lower)
            # The area does not own its edges; without a parent Python would free them.
            upper.setParent(area)
            lower.setParent(area)
            area.setName(band.name)
            tint = QColor(BAND_TINTS[index % len(BAND_TINTS)])
            tint.setAlpha(70 if theme.name == "light" else 55)
            area.setColor(tint)
            area.setPen(QPen(Qt.PenStyle.NoPen))
            self._add(area, axes, legend=False)
            bands_axis.append(band.name, upper_value)
        self._chart.addAxis(bands_axis, Qt.AlignmentFlag.AlignRight)
        self._sessions(session_times, start, end, top, axes)
        coords = [(_ms(p.when), float(p.value)) for p in trend.points]
        values = self._value_series(f"{trend.title} total", coords)
        self._add(values, axes)
        values.attachAxis(bands_axis)
        self._value_labels(coords, top, axes)
        flagged = [p for p in trend.points if p.flagged]
        if flagged:
            ring = QScatterSeries()
            ring.setName("Item 9 answered above 0")
            ring.setMarkerSize(24)
            ring.setBrush(QBrush(Qt.BrushStyle.NoBrush))
            ring.setPen(QPen(QColor(theme.error), 3))
            for point in flagged:
                ring.append(_ms(point.when), point.value)
            self._add(ring, axes)
        self._add_selection(axes)
        self.readouts = [Readout(_ms(p.when), p.value, p.text) for p in trend.points]
        self.setAccessibleName(f"{trend.title} chart")
        self.setAccessibleDescription(trend.summary)
        self._select_if_focused()

    def show_mood(self, trend: MoodTrend, session_times: Sequence[datetime], theme: Theme) -> None:
        self.reset(theme)
        times = [p.when for p in trend.pairs] + [p.when for p in trend.daily]
        start, end = self._span(times)
        axes = self._axes(start, end, 10, 2)
        self._sessions(session_times, start, end, 10, axes)
        for pair in trend.pairs:
            if pair.before is not None and pair.after is not None:
                link = QLineSeries()
                link.append(_ms(pair.when), pair.before)
                link.append(_ms(pair.when), pair.after)
                link.setPen(QPen(QColor(theme.accent), 3))
                self._add(link, axes, legend=False)
        before = QScatterSeries()
        before.setName("Before the session")
        before.setMarkerSize(14)
        before.setBrush(QBrush(QColor(theme.surface)))
        before.setPen(QPen(QColor(theme.accent), 2.5))
        after = QScatterSeries()
        after.setName("After")
        after.setMarkerSize(14)
        after.setBrush(QBrush(QColor(theme.accent)))
        after.setPen(QPen(QColor(theme.accent), 1))
        daily = QScatterSeries()
        daily.setName("Daily check-in")
        daily.setMarkerSize(9)
        daily.setBrush(QBrush(QColor(theme.muted)))
        daily.setPen(QPen(QColor(theme.muted), 1))
        readouts: list[Readout] = []
        for pair in trend.pairs:
            if pair.before is not None:
                before.append(_ms(pair.when), pair.before)
            if pair.after is not None:
                after.append(_ms(pair.when), pair.after)
            y = pair.after if pair.after is not None else pair.before
            readouts.append(Readout(_ms(pair.when), float(y or 0), pair.text))
        for point in trend.daily:
            daily.append(_ms(point.when), point.value)
            readouts.append(Readout(_ms(point.when), point.value, point.text))
        for series in (daily, before, after):
            series.hovered.connect(self._on_hovered)
            self.values.append(series)
            self._add(series, axes)
        self._value_labels(
            [(_ms(p.when), float(p.after)) for p in trend.pairs if p.after is not None], 10, axes
        )
        self._add_selection(axes)
        self.readouts = sorted(readouts, key=lambda r: r.x)
        self.setAccessibleName("Mood chart")
        self.setAccessibleDescription(trend.summary)
        self._select_if_focused()

    def _select_if_focused(self) -> None:
        """A chart shown while the keyboard is on it reads out its latest point."""
        if self.hasFocus() and self.readouts:
            self.select(len(self.readouts) - 1)

    # -- reading values ----------------------------------------------------------

    def select(self, index: int) -> None:
        if not self.readouts or self.selection is None:
            return
        self.current = max(0, min(len(self.readouts) - 1, index))
        readout = self.readouts[self.current]
        self.selection.clear()
        self.selection.append(readout.x, readout.y)
        position = f"Point {self.current + 1} of {len(self.readouts)}. "
        self.setAccessibleDescription(position + readout.text)
        self.point_changed.emit(readout.text)

    def _on_hovered(self, point: QPointF, state: bool) -> None:
        if not state or not self.readouts:
            return
        nearest = min(
            range(len(self.readouts)),
            key=lambda i: (
                abs(self.readouts[i].x - point.x()),
                abs(self.readouts[i].y - point.y()),
            ),
        )
        self.select(nearest)
        QToolTip.showText(QCursor.pos(), self.readouts[nearest].text, self)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        key = event.key()
        last = len(self.readouts) - 1
        moves = {
            Qt.Key.Key_Left: self.current - 1,
            Qt.Key.Key_Right: self.current + 1,
            Qt.Key.Key_Home: 0,
            Qt.Key.Key_End: last,
        }
        if key in moves and self.readouts:
            self.select(moves[Qt.Key(key)] if self.current >= 0 else last)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt naming)
        super().focusInEvent(event)
        if self.readouts:
            self.select(self.current if self.current >= 0 else len(self.readouts) - 1)
