"""Check-ins: the hub (a mood now, or one of the questionnaires), the mood
page, and the result of a questionnaire. The questions themselves are
`journal.ui.pages.questionnaire`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from journal.core.checkins.definitions import Instrument
from journal.core.checkins.due import CheckinStatus
from journal.core.checkins.instruments import INSTRUMENTS, builtin_instruments, change, number
from journal.core.checkins.outcomes import Progress
from journal.core.checkins.trends import ABOUT_CHANGE
from journal.core.model import Checkin
from journal.core.text import day
from journal.ui.pages.questionnaire import QuestionnairePage
from journal.ui.widgets import ScaleInput, button, button_row, centered_column, label, scrolled

__all__ = ["CheckinPage", "CheckinResultPage", "MoodPage", "QuestionnairePage"]


def last_filled(checkin: Checkin | None) -> str:
    if checkin is None:
        return "Not filled in yet."
    band = f", {checkin.band}" if checkin.band else ""
    return f"Last filled on {day(checkin.taken_at)}: {number(checkin.total)}{band}."


class CheckinPage(QWidget):
    """Choose: mood now, a questionnaire — or see the trends.
    ``questionnaire_requested(kind)``."""

    mood_requested = Signal()
    questionnaire_requested = Signal(object)  # an instrument's kind
    add_requested = Signal()
    trends_requested = Signal()
    back = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.mood = button("How is my mood right now?", primary=True)
        self.mood.clicked.connect(self.mood_requested)
        self.choices: dict[str, QPushButton] = {}
        self.status: dict[str, QLabel] = {}
        self.rows = QVBoxLayout()
        self.rows.setSpacing(12)
        rows = QWidget()
        rows.setLayout(self.rows)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.add = button("Add a questionnaire from my clinician…")
        self.add.clicked.connect(self.add_requested)
        self.trends = button("See how things have changed")
        self.trends.clicked.connect(self.trends_requested)
        self.home = button("Back")
        self.home.clicked.connect(self.back)
        # Meditations since the last check-in, counted (never asked about).
        self.practice = label("", name="hint")
        self.practice.setAccessibleName("Meditation since your last check-in")
        self.practice.hide()
        column = centered_column(
            label("Check in", name="title"),
            label("A quick mood rating, or one of the short questionnaires.", name="hint"),
            self.practice,
            self.mood,
            rows,
            self.add,
            button_row(self.home, self.trends),
            max_width=900,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolled(column))
        self.set_instruments(builtin_instruments())

    def set_instruments(self, instruments: Sequence[Instrument]) -> None:
        """The questionnaires to offer, in order (made anew when they change)."""
        if [i.id for i in instruments] == list(self.choices):
            return
        while self.rows.count():
            taken = self.rows.takeAt(0)
            if taken is not None and taken.widget() is not None:
                taken.widget().deleteLater()  # type: ignore[union-attr]
        self.choices, self.status, self.instruments = {}, {}, {i.id: i for i in instruments}
        for instrument in instruments:
            kind = instrument.id
            choice = button(instrument.label, accessible=instrument.title)
            choice.clicked.connect(lambda _=False, k=kind: self.questionnaire_requested.emit(k))
            self.choices[kind] = choice
            self.status[kind] = label("", name="hint")
            self.rows.addWidget(choice)
            self.rows.addWidget(self.status[kind])

    def show_status(self, status: CheckinStatus) -> None:
        for kind, widget in self.status.items():
            instrument = self.instruments[kind]
            text = f"{instrument.about} {last_filled(status.latest.get(kind))}".strip()
            if status.latest.get(kind) is not None and status.due(kind, instrument.period_days):
                if instrument.period_days == 14:
                    text += " Two weeks have passed — a good time for another."
                elif instrument.timing == "any":
                    text += f" {instrument.period_days} days have passed — a good time for another."
            widget.setText(text)
            self.choices[kind].setAccessibleDescription(text)

    def show_practice(self, text: str) -> None:
        self.practice.setText(text)
        self.practice.setVisible(bool(text))

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.mood.setFocus()


class MoodPage(QWidget):
    """A mood from 0 to 10 with an optional note. ``saved(int, str)``."""

    saved = Signal(int, str)
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.scale = ScaleInput("Mood right now", "very low", "very good")
        self.scale.valueChanged.connect(self._on_value)
        self.note = QLineEdit()
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("A few words, if you like")
        self.save = button("Save", primary=True)
        self.save.setEnabled(False)
        self.save.clicked.connect(self._on_save)
        self.cancel = button("Back")
        self.cancel.clicked.connect(self.cancelled)
        self.hint = label("Choose a number — with the mouse, or type it.", name="hint")
        holder = button_row(self.cancel, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(
            centered_column(
                label("How is your mood right now?", name="prompt"),
                self.scale,
                self.hint,
                self.note,
                holder,
                max_width=900,
            )
        )
        layout.addStretch(1)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._on_save)

    def reset(self) -> None:
        self.scale.setValue(None)
        self.note.clear()

    def _on_value(self, value: object) -> None:
        self.save.setEnabled(value is not None)

    def _on_save(self) -> None:
        value = self.scale.value()
        if value is not None:
            self.saved.emit(value, self.note.text())

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.scale.setFocus()


class CheckinResultPage(QWidget):
    """The total, its band and the change from the first, as numbers."""

    trends_requested = Signal()
    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.total = label("", name="title")
        self.change = label("")
        self.standing = label("")
        self.standing.setAccessibleName("What the score means")
        self.about = label(ABOUT_CHANGE, name="hint")
        self.trends = button("See how things have changed")
        self.trends.clicked.connect(self.trends_requested)
        self.finish = button("Done", primary=True)
        self.finish.clicked.connect(self.done)
        holder = button_row(self.trends, self.finish)
        layout = QVBoxLayout(self)
        layout.addWidget(
            centered_column(
                label("Saved. Thank you.", name="hint"),
                self.total,
                self.change,
                self.standing,
                self.about,
                holder,
                max_width=900,
            )
        )
        layout.addStretch(1)

    def show_result(
        self,
        checkin: Checkin,
        first: Checkin | None,
        standing: Progress | None = None,
        instrument: Instrument | None = None,
    ) -> None:
        instrument = instrument or INSTRUMENTS[checkin.kind]
        band = f" — {checkin.band}" if checkin.band else ""
        self.total.setText(
            f"{instrument.title}: {number(checkin.total)} of {number(instrument.max_total)}{band}"
        )
        if first is None or first.id == checkin.id:
            self.change.setText(
                "This is your first one. Later ones will show how much it has changed."
            )
        else:
            self.change.setText(
                f"Change from your first {instrument.title} ({day(first.taken_at)}): "
                f"{change(first.total, checkin.total).text()}."
            )
        shown = standing is not None and standing.change is not None
        self.standing.setText(standing.sentence if standing is not None and shown else "")
        self.standing.setVisible(shown)
        self.about.setText(instrument.outcome.note or ABOUT_CHANGE)

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.finish.setFocus()
