"""The guided meditation: choosing it, then the minutes themselves — a
breathing shape that grows and shrinks with "Breathe in / Breathe out" in
large type, or a body scan's calm sentences one at a time. It can be paused
and ended at any moment (Space, Escape); there is no countdown."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from journal.core.model import MeditationKind
from journal.core.practice import pacer
from journal.ui import theme
from journal.ui.widgets import button, button_row, centered_column, fill_with_actions, label

TICK_MS = 50  # the shape moves at 20 frames a second
STILL_TICK_MS = 250  # still: only the words change
STILL_SIZE = 0.8


def _choices(
    title: str, options: list[tuple[str, object]], chosen: object
) -> tuple[QWidget, QButtonGroup]:
    """A row of radio buttons (arrow keys move within it), with its title."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(label(title, name="strong"))
    row = QHBoxLayout()
    group = QButtonGroup(holder)
    for number, (text, value) in enumerate(options):
        radio = QRadioButton(text)
        radio.setAccessibleName(f"{title}: {text}")
        radio.setProperty("value", value)
        radio.setChecked(value == chosen)
        group.addButton(radio, number)
        row.addWidget(radio)
    row.addStretch(1)
    column.addLayout(row)
    return holder, group


def _value(group: QButtonGroup) -> object:
    checked = group.checkedButton()
    return None if checked is None else checked.property("value")


class MeditationChoicePage(QWidget):
    """Which meditation, how long, at what rhythm, with tones or not.
    ``begin(Plan, tones)``, ``cancelled``."""

    begin = Signal(object, bool)
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.heading = label("A few quiet minutes", name="title")
        self.kind_row, self.kind = _choices(
            "What would you like?",
            [
                ("Breathe with a guide", MeditationKind.BREATHING),
                ("A body scan", MeditationKind.BODY_SCAN),
            ],
            MeditationKind.BREATHING,
        )
        self.minutes_row, self.minutes = _choices(
            "How long?", [(f"{m} minutes", m) for m in pacer.MINUTES], 5
        )
        self.rhythm_row, self.rhythm = _choices(
            "How slowly? (breaths)",
            [(f"{b} a minute", b) for b in pacer.BREATHS_PER_MINUTE],
            6,
        )
        self.tones = QCheckBox("A soft tone when the words change")
        self.tones.setAccessibleName("Soft tones")
        self.no_sound = label("There is no sound device here, so the tones are off.", name="hint")
        self.no_sound.hide()
        self.start = button("Begin", primary=True)
        self.start.clicked.connect(self._on_begin)
        self.back = button("Not now")
        self.back.clicked.connect(self.cancelled)
        self.kind.idToggled.connect(lambda _id, _on: self._kind_changed())
        column = centered_column(
            self.heading,
            label(
                "There is nothing to get right, and you can stop whenever you like.",
                name="hint",
            ),
            self.kind_row,
            self.minutes_row,
            self.rhythm_row,
            self.tones,
            self.no_sound,
            max_width=900,
        )
        fill_with_actions(self, column, button_row(self.back, self.start))

    def prepare(self, plan: pacer.Plan, *, tones: bool, sound: bool, heading: str) -> None:
        self.heading.setText(heading)
        for group, value in (
            (self.kind, plan.kind),
            (self.minutes, plan.minutes),
            (self.rhythm, plan.breaths_per_minute),
        ):
            for radio in group.buttons():
                radio.setChecked(radio.property("value") == value)
        self.tones.setEnabled(sound)
        self.tones.setChecked(tones and sound)
        self.no_sound.setVisible(not sound)
        self._kind_changed()

    def plan(self) -> pacer.Plan:
        return pacer.Plan(
            MeditationKind(str(_value(self.kind) or MeditationKind.BREATHING.value)),
            int(_value(self.minutes) or 5),  # type: ignore[call-overload]
            int(_value(self.rhythm) or 6),  # type: ignore[call-overload]
        )

    def _kind_changed(self) -> None:
        self.rhythm_row.setVisible(_value(self.kind) != MeditationKind.BODY_SCAN)

    def _on_begin(self) -> None:
        self.begin.emit(self.plan(), self.tones.isChecked())

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.start.setFocus()


class BreathShape(QWidget):
    """A soft circle whose size follows the breath (0..1 of its largest)."""

    def __init__(self) -> None:
        super().__init__()
        self.size_share = pacer.SMALLEST
        self.setMinimumSize(QSize(120, 120))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Breathing guide")
        self.setAccessibleDescription(
            "A circle that grows as you breathe in and shrinks as you breathe out."
        )

    def set_share(self, share: float) -> None:
        if abs(share - self.size_share) > 1e-4:
            self.size_share = share
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt naming)
        colors = theme.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 8
        radius = side / 2 * self.size_share
        centre = QPointF(self.width() / 2, self.height() / 2)
        fill = QColor(colors.accent)
        fill.setAlpha(70)
        painter.setBrush(fill)
        painter.setPen(QPen(QColor(colors.accent), 3))
        painter.drawEllipse(centre, radius, radius)
        painter.end()


class MeditationPage(QWidget):
    """The minutes themselves. ``done(seconds)`` when finished or ended (the
    seconds actually spent), ``clock`` is replaceable (tests drive it)."""

    done = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.clock: Callable[[], float] = time.monotonic
        self.plan = pacer.Plan()
        self.still = False
        self.ring: Callable[[str], object] | None = None
        self._spent = 0.0  # seconds before the current stretch
        self._resumed: float | None = None
        self._last = 0.0
        self._seconds = 0  # kept when finished or ended
        self.ended = False
        self.shape = BreathShape()
        self.words = label("", name="pacer")
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.words.setAccessibleName("Guide")
        self.after = label("", name="hint")
        self.after.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pause = button("Pause")
        self.pause.clicked.connect(self.toggle_pause)
        self.end = button("End")
        self.end.clicked.connect(self.finish_now)
        self.proceed = button("Continue", primary=True)
        self.proceed.clicked.connect(self._on_continue)
        self.proceed.hide()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for widget in (self.pause, self.end, self.proceed):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 24, 40, 24)
        layout.setSpacing(16)
        layout.addWidget(self.shape, 1)
        layout.addWidget(self.words)
        layout.addWidget(self.after)
        layout.addLayout(buttons)

    # -- running ------------------------------------------------------------------

    def start(
        self, plan: pacer.Plan, *, still: bool, ring: Callable[[str], object] | None = None
    ) -> None:
        self.plan, self.still, self.ring = plan, still, ring
        self._spent, self._last, self._seconds = 0.0, 0.0, 0
        self.ended = False
        self._resumed = self.clock()
        breathing = plan.kind is MeditationKind.BREATHING
        self.shape.setVisible(breathing)
        self.shape.set_share(STILL_SIZE if still else pacer.SMALLEST)
        self.words.setObjectName("pacer" if breathing else "prompt")
        self.words.setWordWrap(True)
        self.words.style().polish(self.words)
        self.after.setText("")
        self.pause.setText("Pause")
        self.pause.setAccessibleName("Pause")
        for widget in (self.pause, self.end):
            widget.show()
        self.proceed.hide()
        self.timer.start(STILL_TICK_MS if still or not breathing else TICK_MS)
        self.tick()
        self.pause.setFocus()

    @property
    def elapsed(self) -> float:
        running = 0.0 if self._resumed is None else self.clock() - self._resumed
        return self._spent + running

    @property
    def paused(self) -> bool:
        return self._resumed is None and not self.ended

    def tick(self) -> None:
        elapsed = min(self.elapsed, float(self.plan.seconds))
        moment = self.plan.at(elapsed)
        if self.ring is not None and self.plan.turns(self._last, elapsed) and not moment.finished:
            self.ring("in" if moment.words == "Breathe in" else "out")
        self._last = elapsed
        if moment.words != self.words.text():
            self.words.setText(moment.words)
        if not self.still:
            self.shape.set_share(moment.size)
        if moment.finished:
            self._finished(self.plan.seconds)

    def toggle_pause(self) -> None:
        if self._resumed is None:
            self._resumed = self.clock()
            self.timer.start()
            self.pause.setText("Pause")
            self.after.setText("")
        else:
            self._spent = self.elapsed
            self._resumed = None
            self.timer.stop()
            self.pause.setText("Go on")
            self.after.setText("Paused. Take your time.")
        self.pause.setAccessibleName(self.pause.text())

    def finish_now(self) -> None:
        """Ended by the person: what was done is kept (rounded to seconds)."""
        self._finished(int(min(self.elapsed, self.plan.seconds)))

    def stop(self) -> None:
        """On lock or leaving: stop without keeping anything."""
        self.timer.stop()
        self._resumed = None

    def _finished(self, seconds: int) -> None:
        self.timer.stop()
        self._spent, self._resumed = float(seconds), None
        self._seconds, self.ended = seconds, True
        self.shape.set_share(STILL_SIZE if self.still else 1.0)
        self.words.setText("Well done.")
        minutes = max(1, round(seconds / 60)) if seconds >= 30 else 0
        self.after.setText(
            f"You spent {minutes} minute{'' if minutes == 1 else 's'} with yourself."
            if minutes
            else "That was short, and that is fine too."
        )
        self.pause.hide()
        self.end.hide()
        self.proceed.show()
        self.proceed.setFocus()

    def _on_escape(self) -> None:
        if self.ended:
            self._on_continue()
        else:
            self.finish_now()

    def _on_continue(self) -> None:
        self.done.emit(self._seconds)

    def keyPressEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        from PySide6.QtGui import QKeyEvent

        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            self._on_escape()  # from anywhere on the page: buttons pass Escape on
            return
        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Space and not self.ended:
            self.toggle_pause()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]
