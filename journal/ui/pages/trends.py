"""Trends: mood around sessions, and each questionnaire's scores on their
bands — over the calendar, or lined up against the infusions.

One chart at a time (QtCharts), with the summary in words above it (for a
questionnaire: its response or remission, as a standard research definition,
not a diagnosis). Every value is readable without a mouse: focus the chart
and Left/Right, Home and End walk the points while the line under the chart
(and the chart's accessible description) says the value, the date and the
change from the first. "By infusion" lists, per session, the score closest
before it and the first after it, and the mood before and after — one line
each, read in turn by the keyboard and a screen reader.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal.core.checkins.trends import ABOUT_CHANGE, ScoreTrend, Trends
from journal.ui.pages.trend_chart import CHARTS, TrendChart
from journal.ui.theme import THEMES, Theme
from journal.ui.widgets import button, label


class TrendsPage(QWidget):
    """Choose a chart; read its summary; walk its points — or its infusions."""

    checkin_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.trends: Trends | None = None
        self.theme: Theme = THEMES["calm_dark"]
        self.chosen = "mood"
        self.group = QButtonGroup(self)
        self.segments: dict[str, QPushButton] = {}
        self.segment_row = QHBoxLayout()
        self.segment_row.setSpacing(8)
        self._set_segments(list(CHARTS))
        self.by_infusion = button("By infusion", accessible="Show by infusion")
        self.by_infusion.setCheckable(True)
        self.by_infusion.setObjectName("segment")  # shows when it is on
        self.by_infusion.setToolTip("Each session's score before and after, instead of dates")
        self.by_infusion.toggled.connect(lambda _on: self.choose(self.chosen))
        self.summary = label("")
        self.chart = TrendChart()
        self.infusions = QListWidget()
        self.infusions.setAccessibleName("Scores around each infusion")
        self.infusions.setWordWrap(True)
        self.infusions.hide()
        self.readout = label(
            "Focus the chart and use the arrow keys to read each value.", name="hint"
        )
        self.chart.point_changed.connect(self.readout.setText)
        self.about = label(ABOUT_CHANGE, name="hint")
        self.checkin = button("Check in now")
        self.checkin.clicked.connect(self.checkin_requested)
        # The title and the two switches, then the charts on a row of their
        # own: all of it fits a 1024-pixel-wide screen at large type.
        header = QHBoxLayout()
        header.addWidget(label("Trends", name="title", wrap=False))
        header.addStretch(1)
        header.addWidget(self.by_infusion)
        header.addWidget(self.checkin)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addLayout(self.segment_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.infusions, 1)
        layout.addWidget(self.readout)
        layout.addWidget(self.about)

    def _set_segments(self, charts: list[tuple[str, str]]) -> None:
        """One segment per chart (mood, then each questionnaire in use)."""
        if [key for key, _ in charts] == list(self.segments):
            return
        for segment in self.segments.values():
            self.group.removeButton(segment)
            segment.deleteLater()
        self.segments = {}
        while self.segment_row.count():
            self.segment_row.takeAt(0)
        for key, title in charts:
            segment = button(title, accessible=f"{title} chart")
            segment.setObjectName("segment")
            segment.setCheckable(True)
            segment.clicked.connect(lambda _=False, k=key: self.choose(k))
            self.group.addButton(segment)
            self.segments[key] = segment
            self.segment_row.addWidget(segment)
        self.segment_row.addStretch(1)

    def show_trends(self, trends: Trends, theme: Theme) -> None:
        self.trends, self.theme = trends, theme
        self._set_segments([("mood", "Mood"), *((s.kind, s.title) for s in trends.scores)])
        self.choose(self.chosen if self.chosen in self.segments else "mood")

    def choose(self, key: str) -> None:
        self.chosen = key
        self.segments[key].setChecked(True)
        data = self.trends
        # A questionnaire about one session each (the EBI) has no "before" and "after".
        around = key != "mood" and data is not None and not data.score(key).instrument.per_session
        self.by_infusion.setVisible(around)
        if data is None:
            return
        listing = around and self.by_infusion.isChecked()
        self.chart.setVisible(not listing)
        self.infusions.setVisible(listing)
        if key == "mood":
            self.chart.show_mood(data.mood, data.session_times, self.theme)
            self.summary.setText(data.mood.summary)
        else:
            trend = data.score(key)
            self.summary.setText(trend.summary)
            if listing:
                self._show_infusions(trend)
                return
            self.chart.show_score(trend, data.session_times, self.theme)
        self.about.setVisible(key != "mood")
        if key != "mood":
            self.about.setText(data.score(key).instrument.outcome.note or ABOUT_CHANGE)
        if not self.chart.readouts:
            self.readout.setText("Nothing to show yet. A check-in adds the first point.")
        elif self.chart.current < 0:  # otherwise the chart has the focus and read a point out
            self.readout.setText("Focus the chart (Tab) and use the arrow keys to read each value.")

    def _show_infusions(self, trend: ScoreTrend) -> None:
        self.infusions.clear()
        for row in trend.infusions:
            self.infusions.addItem(row.text(trend.instrument))
        self.readout.setText(
            "One line per infusion: the score closest before it and the first after it."
            if trend.infusions
            else "No sessions recorded yet: add one with “Start after-session journaling”."
        )
        if self.infusions.count():
            self.infusions.setCurrentRow(0)

    def clear(self) -> None:
        self.trends = None
        self.chart.reset(self.theme)
        self.summary.clear()
        self.infusions.clear()

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.segments[self.chosen].setFocus()
