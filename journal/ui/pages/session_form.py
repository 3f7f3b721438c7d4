"""A new session: everything optional, sensible defaults, one screen."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal.core.model import Route, Session
from journal.ui.widgets import ScaleInput, button, label


def _field(accessible: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText(placeholder)
    return edit


class _DateTimeField(QDateTimeEdit):
    """Tab leaves the field (the arrow keys move between its day, month, year
    and time), so a keyboard user is never caught in it; Enter is the page's."""

    def focusNextPrevChild(self, next_: bool) -> bool:  # noqa: N802 (Qt naming)
        return QWidget.focusNextPrevChild(self, next_)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()  # the page's main action
            return
        super().keyPressEvent(event)


class SessionFormPage(QWidget):
    """Emits ``submitted(Session)`` (on to the right-after recall),
    ``other_template(Session)`` (to choose the template first); ``cancelled``
    goes back home. Enter in any field is "Continue to journaling"."""

    submitted = Signal(object)
    other_template = Signal(object)
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.when = _DateTimeField()
        self.when.setAccessibleName("Date and time")
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("d MMMM yyyy, HH:mm")
        self.route = QComboBox()
        self.route.setAccessibleName("How it was given")
        for route in Route:
            self.route.addItem(route.label, route.value)
        self.dose = _field("Dose", "optional, e.g. 0.5 mg/kg")
        self.setting = _field("Clinic or setting", "optional")
        self.intention = _field("Intention", "optional: what you brought into the session")
        self.music = _field("Music", "optional")
        self.mood = ScaleInput("Mood before the session", "very low", "very good")
        form = QFormLayout()
        form.setSpacing(14)
        for text, widget in (
            ("When", self.when),
            ("How", self.route),
            ("Dose", self.dose),
            ("Where", self.setting),
            ("Intention", self.intention),
            ("Music", self.music),
        ):
            caption = label(text, wrap=False)
            caption.setBuddy(widget)  # a screen reader names the field by its label
            form.addRow(caption, widget)
        self.proceed = button("Continue to journaling", primary=True)
        self.proceed.clicked.connect(self._on_submit)
        self.choose = button("Another template…")
        self.choose.setAccessibleName("Choose another template")
        self.choose.clicked.connect(lambda: self.other_template.emit(self.session()))
        self.cancel = button("Back")
        self.cancel.clicked.connect(self.cancelled)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.choose)
        buttons.addWidget(self.proceed)
        content = QWidget()
        content.setMaximumWidth(980)
        inner = QVBoxLayout(content)
        inner.setContentsMargins(32, 24, 32, 24)
        inner.addWidget(label("About this session", name="title"))
        self.hint = label("", name="hint")
        inner.addWidget(self.hint)
        inner.addLayout(form)
        self.mood_question = label("How was your mood before the session?")
        inner.addWidget(self.mood_question)
        inner.addWidget(self.mood)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 16)
        layout.addWidget(scroll, 1)
        buttons.setContentsMargins(32, 0, 32, 0)
        layout.addLayout(buttons)  # always visible, never scrolled away
        self.reset()

    _FRESH = "Everything here is optional. Fill in what you like — or just continue."
    _FILLED = "Filled in before your session. Change anything you like — or just continue."

    def reset(self, *, route: Route | None = None) -> None:
        """Empty, with now as the time and ``route`` (the last session's) as how."""
        self._loaded: Session | None = None
        self.hint.setText(self._FRESH)
        self.when.setDateTime(QDateTime.currentDateTime())
        self._default_route = max(0, self.route.findData(route.value)) if route else 0
        self.route.setCurrentIndex(self._default_route)
        for edit in (self.dose, self.setting, self.intention, self.music):
            edit.clear()
        self.mood.setValue(None)

    def untouched(self) -> bool:
        """Nothing entered since `reset`."""
        return (
            self._loaded is None
            and self.route.currentIndex() == self._default_route
            and self.mood.value() is None
            and not any(e.text() for e in (self.dose, self.setting, self.intention, self.music))
        )

    def load(self, session: Session) -> None:
        """A session made before it happened: its fields shown, saved in place."""
        self.reset()
        self._loaded = session
        self.hint.setText(self._FILLED)
        local = session.started_at.astimezone()
        self.when.setDateTime(
            QDateTime(local.year, local.month, local.day, local.hour, local.minute, local.second)
        )
        self.route.setCurrentIndex(max(0, self.route.findData(session.route.value)))
        for edit, text in (
            (self.dose, session.dose),
            (self.setting, session.setting),
            (self.intention, session.intention),
            (self.music, session.music),
        ):
            edit.setText(text)
        self.mood.setValue(session.mood_before)

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.proceed.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_submit()
            return
        super().keyPressEvent(event)

    def state(self) -> dict[str, Any]:
        """What is typed, to keep (inside the vault) while the journal is locked."""
        session = self.session()
        return {
            "id": session.id,
            "when": session.started_at.isoformat(),
            "route": session.route.value,
            "dose": session.dose,
            "setting": session.setting,
            "intention": session.intention,
            "music": session.music,
            "mood": session.mood_before,
            "filled": self._loaded is not None,
        }

    def restore(self, state: dict[str, Any], loaded: Session | None) -> None:
        """Back to what was typed before the journal was locked."""
        self.reset()
        if loaded is not None:
            self.load(loaded)
        when = datetime.fromisoformat(str(state.get("when")))
        self.when.setDateTime(
            QDateTime(when.year, when.month, when.day, when.hour, when.minute, when.second)
        )
        self.route.setCurrentIndex(max(0, self.route.findData(state.get("route"))))
        for edit, key in (
            (self.dose, "dose"),
            (self.setting, "setting"),
            (self.intention, "intention"),
            (self.music, "music"),
        ):
            edit.setText(str(state.get(key) or ""))
        mood = state.get("mood")
        self.mood.setValue(mood if isinstance(mood, int) else None)

    def _on_submit(self) -> None:
        self.submitted.emit(self.session())

    def session(self) -> Session:
        started = self.when.dateTime().toPython()
        assert isinstance(started, datetime)
        return replace(
            self._loaded or Session(started_at=started.astimezone()),
            started_at=started.astimezone(),
            route=Route(self.route.currentData()),
            dose=self.dose.text(),
            setting=self.setting.text(),
            intention=self.intention.text(),
            music=self.music.text(),
            mood_before=self.mood.value(),
        )
