"""Check-ins: mood now, PHQ-9 / GAD-7 one question at a time, the safety
screen after PHQ-9 item 9, the result with the change from the first, and
the trends. (The home screen's gentle offer of a questionnaire is the home
flow's; accepting it starts `CheckinFlow.start_questionnaire`.)
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from journal.core.checkins import trends
from journal.core.checkins.due import CheckinStatus
from journal.core.model import Checkin, CheckinKind
from journal.core.vault.vault import Vault
from journal.ui.pages.checkin import CheckinPage, CheckinResultPage, MoodPage, QuestionnairePage
from journal.ui.pages.safety import SafetyPage
from journal.ui.pages.trends import TrendsPage
from journal.ui.shell import Shell
from journal.ui.theme import THEMES


class CheckinFlow(QObject):
    """Owns the check-in pages: the hub, mood, questionnaire, safety, result, trends."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.hub = CheckinPage()
        self.mood = MoodPage()
        self.questionnaire = QuestionnairePage()
        self.result = CheckinResultPage()
        self.safety = SafetyPage()
        self.trends = TrendsPage()
        self._result: tuple[Checkin, Checkin | None] | None = None

        self.hub.mood_requested.connect(self.go_mood)
        self.hub.questionnaire_requested.connect(self.start_questionnaire)
        self.hub.trends_requested.connect(self.go_trends)
        self.hub.back.connect(shell.go_home)
        self.mood.saved.connect(self._on_mood_saved)
        self.mood.cancelled.connect(self.go_checkin)
        self.questionnaire.completed.connect(self._on_completed)
        self.questionnaire.cancelled.connect(self.go_checkin)
        self.safety.continued.connect(self._show_result)
        self.result.trends_requested.connect(self.go_trends)
        self.result.done.connect(shell.go_home)
        self.trends.checkin_requested.connect(self.go_checkin)

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
        if not self.shell.unlocked:
            return

        def show(status: CheckinStatus) -> None:
            self.hub.show_status(status)
            self.shell.show_page("checkin")

        self.shell.submit(
            lambda vault: CheckinStatus.of(vault.checkins.latest, datetime.now().astimezone()),
            show,
        )

    def go_mood(self) -> None:
        self.mood.reset()
        self.shell.show_page("mood")

    def _on_mood_saved(self, value: int, note: str) -> None:
        def done(checkin: Checkin) -> None:
            self.mood.reset()
            self.shell.status(f"Mood {checkin.total} of 10 saved.", 8000)
            self.shell.go_home()

        self.shell.submit(
            lambda vault: vault.checkins.add(CheckinKind.MOOD, [value], note=note), done
        )

    # -- questionnaires ------------------------------------------------------------

    def start_questionnaire(self, kind: CheckinKind) -> None:
        if not self.shell.unlocked:
            return
        self.questionnaire.start(kind)
        self.shell.show_page("questionnaire")

    def _on_completed(self, kind: CheckinKind, answers: list[int], difficulty: int | None) -> None:
        def save(vault: Vault) -> tuple[Checkin, Checkin | None]:
            checkin = vault.checkins.add(kind, answers, difficulty=difficulty)
            return checkin, vault.checkins.first(kind)

        def done(result: tuple[Checkin, Checkin | None]) -> None:
            self.questionnaire.clear()
            self._result = result
            if result[0].flagged:
                self.safety.panel.set_country(self.shell.settings.crisis_country)
                self.shell.show_page("safety")
            else:
                self._show_result()

        self.shell.submit(save, done)

    def _show_result(self) -> None:
        if self._result is None:
            self.shell.go_home()
            return
        self.result.show_result(*self._result)
        self.shell.show_page("checkin_result")

    # -- trends --------------------------------------------------------------------

    def go_trends(self) -> None:
        if not self.shell.unlocked:
            return

        def load(vault: Vault) -> trends.Trends:
            return trends.build(vault.sessions.all(), vault.checkins.all())

        def show(data: trends.Trends) -> None:
            theme = THEMES.get(self.shell.settings.theme, THEMES["calm_dark"])
            self.trends.show_trends(data, theme)
            self.shell.show_page("trends")

        self.shell.submit(load, show)
