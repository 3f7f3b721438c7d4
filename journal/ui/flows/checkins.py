"""Check-ins: mood now, a questionnaire one question at a time (the
built-ins, and any a clinician handed over), the safety screen when a safety
item is answered, the result with the change from the first and what it means
(response, remission), and the trends. (The home screen's gentle offer of a
questionnaire is the home flow's; accepting it starts `start_questionnaire`.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from journal.core.checkins import outcomes, trends
from journal.core.checkins.definitions import Instrument
from journal.core.checkins.due import CheckinStatus
from journal.core.checkins.instruments import INSTRUMENTS
from journal.core.model import Checkin, CheckinKind
from journal.core.vault.vault import Vault
from journal.ui import dialogs
from journal.ui.pages.checkin import CheckinPage, CheckinResultPage, MoodPage, QuestionnairePage
from journal.ui.pages.safety import SafetyPage
from journal.ui.pages.trends import TrendsPage
from journal.ui.shell import Shell
from journal.ui.theme import THEMES

# The EBI asks about a session once its immediate effects have passed.
RATING_FROM, RATING_UNTIL = timedelta(hours=12), timedelta(days=7)


@dataclass(frozen=True)
class Result:
    """A questionnaire just saved, with what it means."""

    checkin: Checkin
    first: Checkin | None
    standing: outcomes.Progress
    instrument: Instrument


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
        self._result: Result | None = None
        self._session_id: int | None = None  # the session a questionnaire is about

        self.hub.mood_requested.connect(self.go_mood)
        self.hub.questionnaire_requested.connect(self.start_questionnaire)
        self.hub.add_requested.connect(self.add_instrument)
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

        def load(vault: Vault) -> tuple[list[Instrument], CheckinStatus, str]:
            from journal.core.journal import before

            offered = vault.instruments.all()
            now = datetime.now().astimezone()
            status = CheckinStatus.of(vault.checkins.latest, now, [i.id for i in offered])
            last = max((c.taken_at for c in status.latest.values() if c), default=None)
            done = before.meditation_count(vault.meditations.since(last))
            if done:
                done = f"{'Since your last check-in' if last else 'So far'} you {done}."
            return offered, status, done

        def show(result: tuple[list[Instrument], CheckinStatus, str]) -> None:
            offered, status, done = result
            self.hub.set_instruments(offered)
            self.hub.show_status(status)
            self.hub.show_practice(done)
            self.shell.show_page("checkin")

        self.shell.submit(load, show)

    def add_instrument(self) -> None:
        """A questionnaire file a clinician handed over, checked and kept in the vault."""
        path = dialogs.open_file_name(
            self.shell.widget, "A questionnaire from your clinician", "Questionnaires (*.toml)"
        )
        if path is None:
            return

        def done(instrument: Instrument) -> None:
            self.shell.status(f"Added “{instrument.title}” to your check-ins.", 8000)
            self.go_checkin()

        def failed(error: BaseException) -> None:
            self.shell.show_failure(
                error, lambda text: dialogs.show_message(self.shell.widget, "Afterglow", text)
            )

        self.shell.submit(lambda vault: vault.instruments.import_file(path), done, failed)

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

    def start_questionnaire(self, kind: str, session_id: int | None = None) -> None:
        """Begin a questionnaire; ``session_id``: the session it is about (the EBI
        is about the latest one unless told)."""
        if not self.shell.unlocked:
            return
        self._session_id = session_id
        known = self.hub.instruments.get(kind) or INSTRUMENTS.get(kind)
        if known is not None:
            self._begin(known)
        else:
            self.shell.submit(lambda vault: vault.instruments.get(kind), self._begin)

    def _begin(self, instrument: Instrument) -> None:
        self.questionnaire.start(instrument)
        self.shell.show_page("questionnaire")

    def _on_completed(self, kind: str, answers: list[int], difficulty: int | None) -> None:
        about = self._session_id

        def save(vault: Vault) -> Result:
            instrument = vault.instruments.get(kind)
            session_id = about
            if session_id is None and instrument.per_session:
                latest = vault.sessions.latest()
                session_id = latest.id if latest else None
            checkin = vault.checkins.add(
                kind, answers, difficulty=difficulty, session_id=session_id
            )
            standing = outcomes.progress(instrument, vault.checkins.all(kind), vault.sessions.all())
            return Result(checkin, vault.checkins.first(kind), standing, instrument)

        def done(result: Result) -> None:
            self.questionnaire.clear()
            self._result = result
            if result.checkin.flagged:
                self.safety.panel.set_country(self.shell.settings.crisis_country)
                self.shell.show_page("safety")
            else:
                self._show_result()

        self.shell.submit(save, done)

    def _show_result(self) -> None:
        if self._result is None:
            self.shell.go_home()
            return
        found = self._result
        self.result.show_result(found.checkin, found.first, found.standing, found.instrument)
        self.shell.show_page("checkin_result")

    def offer_session_rating(self) -> None:
        """After a next-day reflection: offer the EBI about the latest session —
        only from 12 hours after it (never in the hours right after one) to a
        week, and only once per session."""

        def load(vault: Vault) -> int | None:
            session = vault.sessions.latest()
            if session is None or session.id is None:
                return None
            age = datetime.now().astimezone() - session.started_at
            rated = any(c.session_id == session.id for c in vault.checkins.all(CheckinKind.EBI))
            return session.id if RATING_FROM <= age <= RATING_UNTIL and not rated else None

        def ask(session_id: int | None) -> None:
            if session_id is not None and dialogs.confirm(
                self.shell.widget,
                "About your session",
                "Would you like to rate your last session with six statements (the Emotional "
                "Breakthrough Inventory)? About two minutes; you can stop at any time.",
                yes="Yes, now",
                no="Not now",
            ):
                self.start_questionnaire(CheckinKind.EBI, session_id)

        self.shell.submit(load, ask)

    # -- trends --------------------------------------------------------------------

    def go_trends(self) -> None:
        if not self.shell.unlocked:
            return

        def load(vault: Vault) -> trends.Trends:
            known = vault.instruments.by_kind()
            return trends.build(vault.sessions.all(), vault.checkins.all(), known)

        def show(data: trends.Trends) -> None:
            theme = THEMES.get(self.shell.settings.theme, THEMES["calm_dark"])
            self.trends.show_trends(data, theme)
            self.shell.show_page("trends")

        self.shell.submit(load, show)
