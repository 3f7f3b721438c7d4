"""Check-ins: a mood now, or a PHQ-9 / GAD-7 one question at a time.

Nothing is stored until a check-in is complete; leaving half-way keeps
nothing (a questionnaire's total means something only with every answer).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal.core.checkins import instruments
from journal.core.checkins.due import CheckinStatus
from journal.core.checkins.instruments import (
    DIFFICULTY_OPTIONS,
    DIFFICULTY_QUESTION,
    INSTRUMENTS,
    OPTIONS,
    PHQ9_SAFETY_ITEM,
    STEM,
)
from journal.core.checkins.trends import ABOUT_CHANGE
from journal.core.model import Checkin, CheckinKind
from journal.core.text import day
from journal.ui.widgets import ScaleInput, button, button_row, centered_column, label

# (button text, what it asks about)
QUESTIONNAIRES = {
    CheckinKind.PHQ9: ("PHQ-9 — low mood", "Nine questions about the last two weeks, 2 minutes."),
    CheckinKind.GAD7: ("GAD-7 — anxiety", "Seven questions about the last two weeks, 1 minute."),
}


def last_filled(checkin: Checkin | None) -> str:
    if checkin is None:
        return "Not filled in yet."
    return f"Last filled on {day(checkin.taken_at)}: {checkin.total}, {checkin.band}."


class CheckinPage(QWidget):
    """Choose: mood now, PHQ-9, GAD-7 — or see the trends."""

    mood_requested = Signal()
    questionnaire_requested = Signal(object)  # CheckinKind
    trends_requested = Signal()
    back = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.mood = button("How is my mood right now?", primary=True)
        self.mood.clicked.connect(self.mood_requested)
        self.choices: dict[CheckinKind, QPushButton] = {}
        self.status: dict[CheckinKind, QLabel] = {}
        widgets: list[QWidget] = [
            label("Check in", name="title"),
            label("A quick mood rating, or one of two short questionnaires.", name="hint"),
            self.mood,
        ]
        for kind, (title, _about) in QUESTIONNAIRES.items():
            choice = button(title, accessible=INSTRUMENTS[kind].title)
            choice.clicked.connect(lambda _=False, k=kind: self.questionnaire_requested.emit(k))
            self.choices[kind] = choice
            self.status[kind] = label("", name="hint")
            widgets += [choice, self.status[kind]]
        self.trends = button("See how things have changed")
        self.trends.clicked.connect(self.trends_requested)
        self.home = button("Back")
        self.home.clicked.connect(self.back)
        holder = button_row(self.home, self.trends)
        widgets.append(holder)
        layout = QVBoxLayout(self)
        layout.addWidget(centered_column(*widgets, max_width=900))
        layout.addStretch(1)

    def show_status(self, status: CheckinStatus) -> None:
        for kind, widget in self.status.items():
            text = f"{QUESTIONNAIRES[kind][1]} {last_filled(status.latest.get(kind))}"
            if status.due(kind) and status.latest.get(kind) is not None:
                text += " Two weeks have passed — a good time for another."
            widget.setText(text)
            self.choices[kind].setAccessibleDescription(text)

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


class QuestionnairePage(QWidget):
    """One question at a time; choosing an answer moves on. Keys 0–3 answer,
    Back (or Alt+Left) returns to the previous question. ``completed(kind,
    answers)`` after the last; ``cancelled`` keeps nothing."""

    completed = Signal(object, list, object)  # kind, answers, difficulty (int or None)
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.kind = CheckinKind.PHQ9
        self.answers: list[int | None] = []
        self.index = 0
        self.asking_difficulty = False
        self.heading = label("", name="hint")
        self.stem = label(STEM, name="hint")
        self.item = label("", name="prompt")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.progress.setAccessibleName("Progress")
        self.group = QButtonGroup(self)
        self.options: list[QPushButton] = []
        option_box = QVBoxLayout()
        option_box.setSpacing(12)
        for value, text in enumerate(OPTIONS):
            option = QPushButton(f"{value}   {text}")
            option.setCheckable(True)
            option.setObjectName("option")
            option.setAccessibleName(text)
            option.setAccessibleDescription(f"Press {value}")
            self.group.addButton(option, value)
            self.options.append(option)
            option_box.addWidget(option)
        self.group.idClicked.connect(self._on_answer)
        options = QWidget()
        options.setLayout(option_box)
        self.previous = button("Back")
        self.previous.clicked.connect(self.go_back)
        self.stop = button("Stop — keep nothing")
        self.stop.clicked.connect(self.cancelled)
        self.skip = button("Skip this one")
        self.skip.clicked.connect(lambda: self._finish(None))
        self.skip.hide()
        ends = QWidget()
        right = QHBoxLayout(ends)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.skip)
        right.addWidget(self.stop)
        holder = button_row(self.previous, ends)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(
            centered_column(
                self.heading, self.progress, self.stem, self.item, options, max_width=900
            )
        )
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(centered_column(holder, max_width=900))  # never scrolled away

    def start(self, kind: CheckinKind) -> None:
        self.kind = kind
        instrument = INSTRUMENTS[kind]
        self.answers = [None] * len(instrument.items)
        self.progress.setRange(0, len(instrument.items))
        self._show(0)

    def clear(self) -> None:
        self.answers = []
        self.item.clear()

    def _show(self, index: int) -> None:
        instrument = INSTRUMENTS[self.kind]
        self.index = index
        self.asking_difficulty = False
        self.skip.hide()
        self.stem.show()
        for value, option in enumerate(self.options):
            option.setText(f"{value}   {OPTIONS[value]}")
            option.setAccessibleName(OPTIONS[value])
        count = len(instrument.items)
        self.heading.setText(f"{instrument.title} · question {index + 1} of {count}")
        self.item.setText(instrument.items[index])
        self.progress.setValue(index)
        self.group.setExclusive(False)
        for value, option in enumerate(self.options):
            option.setChecked(self.answers[index] == value)
        self.group.setExclusive(True)
        self.previous.setEnabled(index > 0)
        answered = self.answers[index]
        self.options[answered if answered is not None else 0].setFocus()
        self.setAccessibleDescription(f"{self.heading.text()}. {STEM} {self.item.text()}")

    def _on_answer(self, value: int) -> None:
        if not self.answers:
            return
        if self.asking_difficulty:
            self._finish(value)
            return
        self.answers[self.index] = value
        if self.index + 1 < len(self.answers):
            self._show(self.index + 1)
            return
        self.progress.setValue(len(self.answers))
        answers = [a for a in self.answers if a is not None]
        flagged = self.kind is CheckinKind.PHQ9 and answers[PHQ9_SAFETY_ITEM] > 0
        if any(answers) and not flagged:
            self._show_difficulty()
        else:
            # No problem checked: the form skips it. Item 9 above 0: the safety
            # screen comes at once, and nothing more is asked after it.
            self._finish(None)

    def _show_difficulty(self) -> None:
        """The forms' last, unscored question; it may be skipped."""
        self.asking_difficulty = True
        title = INSTRUMENTS[self.kind].title
        self.heading.setText(f"{title} · one last question (not part of the score)")
        self.stem.hide()
        self.item.setText(DIFFICULTY_QUESTION)
        self.group.setExclusive(False)
        for value, option in enumerate(self.options):
            option.setChecked(False)
            option.setText(f"{value}   {DIFFICULTY_OPTIONS[value]}")
            option.setAccessibleName(DIFFICULTY_OPTIONS[value])
        self.group.setExclusive(True)
        self.skip.show()
        self.previous.setEnabled(True)
        self.options[0].setFocus()
        self.setAccessibleDescription(f"{self.heading.text()}. {DIFFICULTY_QUESTION}")

    def _finish(self, difficulty: int | None) -> None:
        answers = [a for a in self.answers if a is not None]
        self.completed.emit(self.kind, answers, difficulty)

    def go_back(self) -> None:
        if self.asking_difficulty:
            self._show(len(self.answers) - 1)
        elif self.index > 0:
            self._show(self.index - 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        key = event.key()
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_3:
            self._on_answer(int(key) - int(Qt.Key.Key_0))
        elif key == Qt.Key.Key_Left and event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self.go_back()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            focused = next((i for i, o in enumerate(self.options) if o.hasFocus()), 0)
            step = -1 if key == Qt.Key.Key_Up else 1
            self.options[max(0, min(3, focused + step))].setFocus()
        elif key == Qt.Key.Key_Escape:
            self.cancelled.emit()
        else:
            super().keyPressEvent(event)


class CheckinResultPage(QWidget):
    """The total, its band and the change from the first, as numbers."""

    trends_requested = Signal()
    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.total = label("", name="title")
        self.change = label("")
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
                self.about,
                holder,
                max_width=900,
            )
        )
        layout.addStretch(1)

    def show_result(self, checkin: Checkin, first: Checkin | None) -> None:
        instrument = INSTRUMENTS[checkin.kind]
        self.total.setText(
            f"{instrument.title}: {checkin.total} of {instrument.max_total} — {checkin.band}"
        )
        if first is None or first.id == checkin.id:
            self.change.setText(
                "This is your first one. Later ones will show how much it has changed."
            )
        else:
            self.change.setText(
                f"Change from your first {instrument.title} ({day(first.taken_at)}): "
                f"{instruments.change(first.total, checkin.total).text()}."
            )

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.finish.setFocus()
