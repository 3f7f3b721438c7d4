"""Home: the most prominent action, and the timeline of sessions and entries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from journal.core.checkins.instruments import INSTRUMENTS
from journal.core.model import CheckinKind
from journal.ui.pages.timeline_list import ID_ROLE, KIND_ROLE, TimelineModel, TimelineView
from journal.ui.widgets import ResponsiveRow, button, label, scrolled

if TYPE_CHECKING:
    from journal.core.journal.timeline import Page


class CheckinOffer(QWidget):
    """A gentle offer of a questionnaire once its two weeks have passed."""

    accepted = Signal(object)  # CheckinKind
    dismissed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.kind = CheckinKind.PHQ9
        self.setObjectName("offer")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.text = label("")
        self.fill = button("Fill it in")
        self.fill.clicked.connect(lambda: self.accepted.emit(self.kind))
        self.later = button("Not now")
        self.later.clicked.connect(self.dismissed)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 10, 16, 10)
        row.addWidget(self.text, 1)
        row.addWidget(self.fill)
        row.addWidget(self.later)

    def offer(self, kind: CheckinKind, *, first_time: bool) -> None:
        self.kind = kind
        title = INSTRUMENTS[kind].title
        if first_time:
            text = (
                f"Would you like to fill in a {title}? It takes a couple of minutes and shows "
                "you and your therapist how things change over time."
            )
        else:
            text = f"Two weeks have passed since your last {title}. Would you like to fill it in?"
        self.text.setText(text)
        self.fill.setAccessibleName(f"Fill in the {title}")
        self.show()


class StepCard(QWidget):
    """The next step of the integration rhythm (a next-day reflection, an
    integration check-in, preparing for the appointment): one sentence, its
    action, and "Not now", which puts it away for good."""

    accepted = Signal(object)  # the Step
    dismissed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.step: Any = None
        self.setObjectName("offer")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.text = label("")
        self.go = button("")
        self.go.clicked.connect(lambda: self.accepted.emit(self.step))
        self.later = button("Not now")
        self.later.setAccessibleName("Not now: don't suggest this again")
        self.later.clicked.connect(lambda: self.dismissed.emit(self.step))
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 10, 16, 10)
        row.addWidget(self.text, 1)
        row.addWidget(self.go)
        row.addWidget(self.later)

    def show_step(self, step: Any) -> None:
        self.step = step
        self.text.setText(step.text)
        self.go.setText(step.action)
        self.go.setAccessibleName(step.action)
        self.show()


class HomePage(QWidget):
    start_journaling = Signal()
    before_session = Signal()
    free_writing = Signal()
    resume_draft = Signal()
    open_entry = Signal(int)
    check_in = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.start = button("Start after-session journaling", primary=True)
        self.start.clicked.connect(self.start_journaling)
        self.before = button("Before my session")
        self.before.clicked.connect(self.before_session)
        self.resume = button("Continue where you left off")
        self.resume.clicked.connect(self.resume_draft)
        self.resume.hide()
        self.free = button("Write freely")
        self.free.clicked.connect(self.free_writing)
        self.checkin = button("Check in")
        self.checkin.clicked.connect(self.check_in)
        self.today = label("", name="suggestion")
        self.today.hide()
        self.offer = CheckinOffer()
        self.offer.hide()
        self.offer.dismissed.connect(self.offer.hide)
        self.step = StepCard()
        self.step.hide()
        self.step.dismissed.connect(lambda _step: self.step.hide())
        self.model = TimelineModel()
        self.timeline = TimelineView(self.model)
        self.timeline.activated.connect(self._on_activated)
        self.empty = label(
            "Nothing here yet. After your next session, press “Start after-session "
            "journaling” — one gentle question at a time.",
            name="hint",
        )
        # Two rows — what the day calls for, then the rest — each side by side
        # while it fits and one under the other at large type.
        first = ResponsiveRow(self.start, self.before, stretches=(3, 2))
        rest = ResponsiveRow(self.resume, self.free, self.checkin)
        actions = QVBoxLayout()
        actions.setSpacing(10)
        actions.addWidget(first)
        actions.addWidget(rest)
        # At large type on a small screen the whole page scrolls (its list
        # keeps a few rows' height), so no button is squeezed under another.
        inner = QWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolled(inner))
        self.timeline.setMinimumHeight(220)
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(16)
        layout.addLayout(actions)
        layout.addWidget(self.today)
        layout.addWidget(self.offer)
        layout.addWidget(self.step)
        layout.addWidget(label("Your journal", name="title"))
        # Only one of the two is visible; either takes the free space, text at the top.
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.timeline, 1)

    def show_timeline(self, first: Page, *, generation: int, has_draft: bool) -> bool:
        """The newest page of the timeline (the rest is read as the list
        scrolls); False, showing nothing, when a later reload has begun."""
        if not self.model.show_first(first, generation):
            return False
        self.empty.setVisible(not first.rows)
        self.timeline.setVisible(bool(first.rows))
        self.resume.setVisible(has_draft)
        return True

    def suggest(self, *, before_first: bool, waiting: bool) -> None:
        """On the day of a session: "Before my session" first; once it was
        prepared, the journaling afterwards picks up from it."""
        if before_first:
            self.today.setText(
                "Your session is today. When you arrive, “Before my session” helps you settle in."
            )
        elif waiting:
            self.today.setText(
                "Your session is prepared. Afterwards, “Start after-session journaling” "
                "picks up from there."
            )
        self.today.setVisible(before_first or waiting)
        self.before.setObjectName("primary" if before_first else "")
        self.start.setObjectName("" if before_first else "primary")
        for widget in (self.before, self.start):
            widget.style().polish(widget)
        self._first = self.before if before_first else self.start
        if self.isVisible() and (self.focusWidget() in (None, self.start, self.before)):
            self._first.setFocus()

    def show_step(self, step: Any) -> None:
        """At most one suggestion: the day's line, a questionnaire or a step."""
        from journal.core.journal.rhythm import StepKind

        kind = step.kind if step is not None else None
        self.suggest(
            before_first=kind is StepKind.BEFORE_SESSION, waiting=kind is StepKind.PREPARED
        )
        self.offer.hide()
        self.step.hide()
        if kind is StepKind.QUESTIONNAIRE:
            self.offer.offer(step.questionnaire, first_time=step.first_time)
        elif kind in (StepKind.NEXT_DAY, StepKind.INTEGRATION, StepKind.APPOINTMENT):
            self.step.show_step(step)

    def clear(self) -> None:
        self.model.clear()
        self.resume.hide()
        self.offer.hide()
        self.step.hide()
        self.today.hide()

    def _on_activated(self, index: QModelIndex) -> None:
        if index.data(KIND_ROLE) == "entry":
            self.open_entry.emit(int(index.data(ID_ROLE)))

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        getattr(self, "_first", self.start).setFocus()
