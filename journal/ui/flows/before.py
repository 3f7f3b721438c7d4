"""Before the session: the session made ahead, its intention (the journaling
flow runs the template, gently), the treatment day's checklist, and a few
minutes of guided meditation — which is also offered on its own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from journal.core.model import Meditation, MeditationKind
from journal.core.practice import pacer
from journal.ui import dialogs
from journal.ui import settings as keys
from journal.ui.pages.checklist import ChecklistEditor, ChecklistPage
from journal.ui.pages.meditation import MeditationChoicePage, MeditationPage
from journal.ui.shell import Shell

D = TypeVar("D", bound=QDialog)
T = TypeVar("T")

if TYPE_CHECKING:
    from journal.core.practice.checklist import Checklist
    from journal.core.vault.vault import Vault
    from journal.ui.tones import ToneBell


def _now() -> datetime:
    return datetime.now().astimezone()


def _answer(dialog: D, read: Callable[[D], T]) -> T | None:
    """What a modal dialog was given, or None when it was cancelled."""
    try:
        return read(dialog) if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


class BeforeFlow(QObject):
    """Owns the checklist and meditation pages. ``write_intention(session_id)``
    asks the journaling flow for the intention; `intention_written` comes back."""

    write_intention = Signal(int)

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.checklist = ChecklistPage()
        self.choice = MeditationChoicePage()
        self.meditation = MeditationPage()
        self.session_id: int | None = None  # the session being prepared, if any
        self._list: Checklist | None = None
        self._bell: ToneBell | None = None
        self._plan = pacer.Plan()
        self._started: datetime | None = None
        self.checklist.proceed.connect(self._on_checklist_done)
        self.checklist.back.connect(shell.go_home)
        self.checklist.edit_requested.connect(self._edit_list)
        self.checklist.clinic_requested.connect(self._clinic_list)
        self.choice.begin.connect(self._begin)
        self.choice.cancelled.connect(self._after_meditation_skipped)
        self.meditation.done.connect(self._on_meditated)

    def pages(self) -> dict[str, QWidget]:
        return {
            "checklist": self.checklist,
            "meditation_choice": self.choice,
            "meditation": self.meditation,
        }

    def clear(self) -> None:
        self.meditation.stop()
        if self._bell is not None:
            self._bell.stop()
        self.checklist.clear()
        self.session_id = None
        self._list = None

    # -- the before flow ------------------------------------------------------------

    def start(self) -> None:
        """ "Before my session": the session for today (the one already waiting,
        if this is the second time), then its intention."""
        from journal.core.journal import before

        def make(vault: Vault) -> int:
            now = _now()
            session = before.waiting_session(vault, now) or before.start_session(vault, now)
            assert session.id is not None
            return session.id

        def made(session_id: int) -> None:
            self.session_id = session_id
            self.write_intention.emit(session_id)

        self.shell.submit(make, made)

    def intention_written(self, session_id: int) -> None:
        self.session_id = session_id
        self.show_checklist()

    def show_checklist(self) -> None:
        from journal.core.journal import before

        session_id = self.session_id

        def load(vault: Vault) -> tuple[Checklist, list[str]]:
            ticked = vault.sessions.get(session_id).checklist if session_id else []
            return before.checklist(vault), ticked

        def show(result: tuple[Checklist, list[str]]) -> None:
            self._list = result[0]
            self.checklist.show_list(*result)
            self.shell.show_page("checklist")

        self.shell.submit(load, show)

    def _on_checklist_done(self, ticked: list[str]) -> None:
        from journal.core.journal import before

        session_id = self.session_id

        def keep(vault: Vault) -> None:
            if session_id is not None:
                before.tick(vault, session_id, ticked)

        self.shell.submit(keep, lambda _r: self.offer_meditation(before_session=True))

    def _edit_list(self) -> None:
        from journal.core.journal import before

        if self._list is None:
            return
        items = _answer(ChecklistEditor(self.shell.widget, self._list), ChecklistEditor.items)
        if items is None:
            return
        ticked = self.checklist.ticked()
        self.shell.submit(
            lambda vault: before.set_checklist(vault, items),
            lambda kept: self._show_new_list(kept, ticked),
            self._failed,
        )

    def _clinic_list(self) -> None:
        from journal.core.journal import before

        path = dialogs.open_file_name(
            self.shell.widget, "A checklist from your clinic", "Checklists (*.toml)"
        )
        if path is None:
            return

        def done(kept: Checklist) -> None:
            self._show_new_list(kept, [])
            self.shell.status(f"Your checklist is now “{kept.title}” from your clinic.", 8000)

        self.shell.submit(lambda vault: before.import_checklist(vault, path), done, self._failed)

    def _show_new_list(self, kept: Checklist, ticked: list[str]) -> None:
        self._list = kept
        self.checklist.show_list(kept, ticked)
        self.checklist.focus_first()

    def _failed(self, error: BaseException) -> None:
        self.shell.show_failure(
            error, lambda text: dialogs.show_message(self.shell.widget, "Afterglow", text)
        )

    # -- meditation -------------------------------------------------------------------

    def meditate(self) -> None:
        """Meditate on its own (the menu): kept on the session waiting for its
        recall, if there is one, else on the day."""
        self.session_id = None
        self.offer_meditation(before_session=False)

    def offer_meditation(self, *, before_session: bool) -> None:
        settings = self.shell.settings
        plan = pacer.Plan(
            MeditationKind(str(settings.get(keys.MEDITATION_KIND))),
            int(settings.get(keys.MEDITATION_MINUTES)),
            int(settings.get(keys.BREATHS_PER_MINUTE)),
        )
        if plan.minutes not in pacer.MINUTES:
            plan = pacer.Plan(plan.kind, 5, plan.breaths_per_minute)
        self.choice.back.setText("Not now" if before_session else "Back")
        self.choice.back.setAccessibleName(self.choice.back.text())
        self.choice.prepare(
            plan,
            tones=bool(settings.get(keys.MEDITATION_TONES)),
            sound=self.bell().available,
            heading="A few quiet minutes" if before_session else "Meditate",
        )
        self.shell.show_page("meditation_choice")

    def bell(self) -> ToneBell:
        if self._bell is None:
            from journal.ui.tones import ToneBell

            self._bell = ToneBell(self)
        return self._bell

    def _begin(self, plan: pacer.Plan, tones: bool) -> None:
        settings = self.shell.settings
        settings.set(keys.MEDITATION_KIND, plan.kind.value)
        settings.set(keys.MEDITATION_MINUTES, plan.minutes)
        settings.set(keys.BREATHS_PER_MINUTE, plan.breaths_per_minute)
        if self.bell().available:
            settings.set(keys.MEDITATION_TONES, tones)
        self._plan, self._started = plan, _now()
        ring = self.bell().ring if tones and self.bell().available else None
        self.meditation.start(plan, still=settings.reduce_motion, ring=ring)
        self.shell.show_page("meditation")

    def _on_meditated(self, seconds: int) -> None:
        from journal.core.journal import before

        if self._bell is not None:
            self._bell.stop()
        if seconds < 30 or self._started is None:  # a false start is not kept
            self._after_meditation_skipped()
            return
        meditation = Meditation(
            self._plan.kind,
            self._started,
            seconds,
            self._plan.breaths_per_minute if self._plan.kind is MeditationKind.BREATHING else None,
            session_id=self.session_id,
        )

        def done(kept: Meditation) -> None:
            unit = "minute" if kept.minutes == 1 else "minutes"
            self._leave(f"Meditation kept: {kept.minutes} {unit}.")

        self.shell.submit(lambda vault: before.record_meditation(vault, meditation, _now()), done)

    def _after_meditation_skipped(self) -> None:
        self._leave("")

    def _leave(self, said: str) -> None:
        if self.session_id is not None:  # the timeline shows the meditation
            said = "You are ready. Journaling afterwards picks up from here."
        self.session_id = None
        if said:
            self.shell.status(said, 12000)
        self.shell.go_home()

    # -- the next session ---------------------------------------------------------------

    def set_next_session(self) -> None:
        from journal.core.journal import before
        from journal.ui.pages.next_session import SESSION

        self._ask_date(SESSION, before.next_session, before.set_next_session)

    def set_next_appointment(self) -> None:
        """The next talk-therapy appointment: two days ahead, the home suggests
        preparing for it."""
        from journal.core.journal import rhythm
        from journal.ui.pages.next_session import APPOINTMENT

        self._ask_date(APPOINTMENT, rhythm.next_appointment, rhythm.set_next_appointment)

    def _ask_date(
        self,
        texts: tuple[str, str, str, str],
        load: Callable[[Vault], date | None],
        store: Callable[[Vault, date | None], None],
    ) -> None:
        """A date kept in the journal (or none), asked in a small dialog."""
        from journal.ui.pages.next_session import NextSessionDialog

        def ask(current: date | None) -> None:
            dialog = NextSessionDialog(self.shell.widget, current, _now().date(), texts=texts)
            answered = _answer(dialog, lambda d: (d.chosen(),))
            if answered is None:
                return
            chosen = answered[0]
            self.shell.submit(lambda vault: store(vault, chosen), lambda _r: self.shell.go_home())

        self.shell.submit(load, ask)
