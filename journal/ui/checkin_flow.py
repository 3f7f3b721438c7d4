"""The check-in flows of the main window: mood now, PHQ-9 / GAD-7 one
question at a time, the safety screen, results, trends, and the gentle offer
on the home screen.

Kept apart from `MainWindow` like `SharingFlow`; every vault operation runs
through the window's runner.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from journal.core.checkins import trends
from journal.core.model import Checkin, CheckinKind
from journal.core.vault.vault import Vault
from journal.ui.pages.checkin import (
    CheckinPage,
    CheckinResultPage,
    CheckinStatus,
    MoodPage,
    QuestionnairePage,
)
from journal.ui.pages.safety import SafetyPage
from journal.ui.pages.trends import TrendsPage
from journal.ui.theme import THEMES

if TYPE_CHECKING:
    from journal.ui.main_window import MainWindow

OFFER_ORDER = (CheckinKind.PHQ9, CheckinKind.GAD7)


def checkin_status(vault: Vault, now: datetime | None = None) -> CheckinStatus:
    return CheckinStatus(
        latest={kind: vault.checkins.latest(kind) for kind in OFFER_ORDER},
        now=now or datetime.now().astimezone(),
    )


class CheckinFlow(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.hub = CheckinPage()
        self.mood = MoodPage()
        self.questionnaire = QuestionnairePage()
        self.result = CheckinResultPage()
        self.safety = SafetyPage()
        self.trends = TrendsPage()
        # Dismissed offers stay dismissed until the app starts again (memory only).
        self.offer_dismissed = False
        self._result: tuple[Checkin, Checkin | None] | None = None

        self.hub.mood_requested.connect(self.go_mood)
        self.hub.questionnaire_requested.connect(self.start_questionnaire)
        self.hub.trends_requested.connect(self.go_trends)
        self.hub.back.connect(window.go_home)
        self.mood.saved.connect(self._on_mood_saved)
        self.mood.cancelled.connect(self.go_checkin)
        self.questionnaire.completed.connect(self._on_completed)
        self.questionnaire.cancelled.connect(self.go_checkin)
        self.safety.continued.connect(self._show_result)
        self.result.trends_requested.connect(self.go_trends)
        self.result.done.connect(window.go_home)
        self.trends.checkin_requested.connect(self.go_checkin)
        window.home.check_in.connect(self.go_checkin)
        window.home.offer.accepted.connect(self.start_questionnaire)
        window.home.offer.dismissed.connect(self._on_offer_dismissed)

    def pages(self) -> dict[str, QWidget]:
        return {
            "checkin": self.hub,
            "mood": self.mood,
            "questionnaire": self.questionnaire,
            "checkin_result": self.result,
            "safety": self.safety,
            "trends": self.trends,
        }

    def clear(self) -> None:
        """On lock: forget answers in memory and drop the charts."""
        self.mood.reset()
        self.questionnaire.clear()
        self.trends.clear()
        self._result = None

    # -- the hub, mood -------------------------------------------------------------

    def go_checkin(self) -> None:
        if not self.window.unlocked:
            return

        def show(status: CheckinStatus) -> None:
            self.hub.show_status(status)
            self.window.show_page("checkin")

        self.window.submit(checkin_status, show)

    def go_mood(self) -> None:
        self.mood.reset()
        self.window.show_page("mood")

    def _on_mood_saved(self, value: int, note: str) -> None:
        def done(checkin: Checkin) -> None:
            self.mood.reset()
            self.window.statusBar().showMessage(f"Mood {checkin.total} of 10 saved.", 8000)
            self.window.go_home()

        self.window.submit(
            lambda vault: vault.checkins.add(CheckinKind.MOOD, [value], note=note), done
        )

    # -- questionnaires ------------------------------------------------------------

    def start_questionnaire(self, kind: CheckinKind) -> None:
        if not self.window.unlocked:
            return
        self.window.home.offer.hide()
        self.questionnaire.start(kind)
        self.window.show_page("questionnaire")

    def _on_completed(self, kind: CheckinKind, answers: list[int], difficulty: int | None) -> None:
        def save(vault: Vault) -> tuple[Checkin, Checkin | None]:
            checkin = vault.checkins.add(kind, answers, difficulty=difficulty)
            return checkin, vault.checkins.first(kind)

        def done(result: tuple[Checkin, Checkin | None]) -> None:
            self.questionnaire.clear()
            self._result = result
            if result[0].flagged:
                self.safety.panel.set_country(self.window.settings.crisis_country)
                self.window.show_page("safety")
            else:
                self._show_result()

        self.window.submit(save, done)

    def _show_result(self) -> None:
        if self._result is None:
            self.window.go_home()
            return
        self.result.show_result(*self._result)
        self.window.show_page("checkin_result")

    # -- trends --------------------------------------------------------------------

    def go_trends(self) -> None:
        if not self.window.unlocked:
            return

        def load(vault: Vault) -> trends.Trends:
            return trends.build(vault.sessions.all(), vault.checkins.all())

        def show(data: trends.Trends) -> None:
            theme = THEMES.get(self.window.settings.theme, THEMES["calm_dark"])
            self.trends.show_trends(data, theme)
            self.window.show_page("trends")

        self.window.submit(load, show)

    # -- the home offer and the crisis dialog --------------------------------------------

    def update_offer(self, status: CheckinStatus, *, has_journal: bool) -> None:
        """Offer the first due questionnaire, gently: once two weeks have passed,
        or — never filled — once there is something in the journal."""
        offer = self.window.home.offer
        for kind in OFFER_ORDER:
            never = status.latest.get(kind) is None
            if status.due(kind) and (has_journal or not never) and not self.offer_dismissed:
                offer.offer(kind, first_time=never)
                return
        offer.hide()

    def _on_offer_dismissed(self) -> None:
        self.offer_dismissed = True
