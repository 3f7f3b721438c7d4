"""A questionnaire one question at a time, as its definition says: answer
buttons (keys 0–9 answer) or a line from one end to the other (the EBI's
0–100), then the unscored follow-up question where the form has one.

Nothing is stored until the last answer: a questionnaire's score means
something only with every answer.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal.core.checkins.definitions import Instrument
from journal.core.checkins.instruments import INSTRUMENTS
from journal.core.model import CheckinKind
from journal.ui.widgets import LineAnswer, button, button_row, centered_column, label


class QuestionnairePage(QWidget):
    """One question at a time; choosing an answer moves on. Back (or Alt+Left)
    returns to the previous question. ``completed(kind, answers, difficulty)``
    after the last; ``cancelled`` keeps nothing."""

    completed = Signal(object, list, object)  # kind, answers, difficulty (int or None)
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.instrument: Instrument = INSTRUMENTS[CheckinKind.PHQ9]
        self.answers: list[int | None] = []
        self.index = 0
        self.asking_difficulty = False
        self.heading = label("", name="hint")
        self.stem = label("", name="hint")
        self.item = label("", name="prompt")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.progress.setAccessibleName("Progress")
        self.group = QButtonGroup(self)
        self.group.idClicked.connect(self._on_answer)
        self.options: list[QPushButton] = []
        self.option_box = QVBoxLayout()
        self.option_box.setSpacing(12)
        self.next = button("Next", primary=True)
        self.next.clicked.connect(self._on_next)
        self.line = LineAnswer("Your answer")
        self.line.submitted.connect(self._on_answer)
        self.line.valueChanged.connect(lambda value: self.next.setEnabled(value is not None))
        answers = QWidget()
        column = QVBoxLayout(answers)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.option_box)
        column.addWidget(self.line)
        column.addWidget(self.next, 0, Qt.AlignmentFlag.AlignRight)
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
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(
            centered_column(
                self.heading, self.progress, self.stem, self.item, answers, max_width=900
            )
        )
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(centered_column(holder, max_width=900))  # never scrolled away
        self._set_options(self.instrument.options)

    @property
    def kind(self) -> str:
        return self.instrument.id

    def start(self, instrument: Instrument | str) -> None:
        """Begin ``instrument`` (a built-in may be given by its kind)."""
        self.instrument = INSTRUMENTS[instrument] if isinstance(instrument, str) else instrument
        count = len(self.instrument.items)
        self.answers = [None] * count
        self.progress.setRange(0, count)
        scale = self.instrument.scale
        if scale is not None:
            self.line.set_range(scale.minimum, scale.maximum, scale.low, scale.high)
        self._show(0)

    def clear(self) -> None:
        self.answers = []
        self.item.clear()

    def _set_options(self, texts: tuple[str, ...]) -> None:
        """Answer buttons for ``texts`` (values 0, 1, …), made anew only when the
        number of answers changes."""
        if len(texts) != len(self.options):
            for option in self.options:
                self.group.removeButton(option)
                option.deleteLater()
            self.options = []
            for value in range(len(texts)):
                option = QPushButton()
                option.setCheckable(True)
                option.setObjectName("option")
                self.group.addButton(option, value)
                self.options.append(option)
                self.option_box.addWidget(option)
        for value, (option, text) in enumerate(zip(self.options, texts, strict=True)):
            option.setText(f"{value}   {text}" if len(texts) <= 10 else text)
            option.setAccessibleName(text)
            option.setAccessibleDescription(f"Press {value}" if value < 10 else "")
        self._answering_on_a_line(False)

    def _answering_on_a_line(self, on_line: bool) -> None:
        for option in self.options:
            option.setVisible(not on_line)
        self.line.setVisible(on_line)
        self.next.setVisible(on_line)

    def _show(self, index: int) -> None:
        instrument = self.instrument
        self.index = index
        self.asking_difficulty = False
        self.skip.hide()
        self.stem.setText(instrument.stem)
        self.stem.setVisible(bool(instrument.stem))
        count = len(instrument.items)
        self.heading.setText(f"{instrument.title} · question {index + 1} of {count}")
        self.item.setText(instrument.items[index])
        self.progress.setValue(index)
        answered = self.answers[index]
        if instrument.scale is not None:
            self._answering_on_a_line(True)
            self.line.setValue(answered)
            self.next.setEnabled(answered is not None)
            self.line.setFocus()
        else:
            self._set_options(instrument.options)
            self.group.setExclusive(False)
            for value, option in enumerate(self.options):
                option.setChecked(answered == value)
            self.group.setExclusive(True)
            self.options[answered if answered is not None else 0].setFocus()
        self.previous.setEnabled(index > 0)
        self.setAccessibleDescription(
            f"{self.heading.text()}. {instrument.stem} {self.item.text()}".replace("  ", " ")
        )

    def _on_next(self) -> None:
        value = self.line.value()
        if value is not None:
            self._on_answer(value)

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
        flagged = self.instrument.score(answers).flagged
        if self.instrument.followup is not None and any(answers) and not flagged:
            self._show_difficulty()
        else:
            # No problem checked: the form skips it. A safety item answered: the
            # safety screen comes at once, and nothing more is asked after it.
            self._finish(None)

    def _show_difficulty(self) -> None:
        """The form's last, unscored question; it may be skipped."""
        followup = self.instrument.followup
        assert followup is not None
        self.asking_difficulty = True
        self.heading.setText(f"{self.instrument.title} · one last question (not part of the score)")
        self.stem.hide()
        self.item.setText(followup.question)
        self._set_options(followup.options)
        self.group.setExclusive(False)
        for option in self.options:
            option.setChecked(False)
        self.group.setExclusive(True)
        self.skip.show()
        self.previous.setEnabled(True)
        self.options[0].setFocus()
        self.setAccessibleDescription(f"{self.heading.text()}. {followup.question}")

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
        on_line = self.line.isVisible()
        top = len(self.options) - 1
        if not on_line and Qt.Key.Key_0 <= key <= Qt.Key.Key_0 + min(top, 9):
            self._on_answer(int(key) - int(Qt.Key.Key_0))
        elif key == Qt.Key.Key_Left and event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self.go_back()
        elif not on_line and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            focused = next((i for i, o in enumerate(self.options) if o.hasFocus()), 0)
            step = -1 if key == Qt.Key.Key_Up else 1
            self.options[max(0, min(top, focused + step))].setFocus()
        elif key == Qt.Key.Key_Escape:
            self.cancelled.emit()
        else:
            super().keyPressEvent(event)
