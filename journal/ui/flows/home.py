"""The home screen: the timeline of sessions and entries, the draft to
resume, and at most one gentle suggestion of the next step
(`journal.core.journal.rhythm`) — with, when the patient turned them on, a
desktop notification that says only which kind of step is ready."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from journal.ui import settings as keys
from journal.ui.pages.home import HomePage
from journal.ui.shell import Shell

if TYPE_CHECKING:
    from journal.core.journal import timeline
    from journal.core.journal.rhythm import Step
    from journal.core.vault.vault import Vault

    Loaded = tuple[timeline.Page, bool, Step | None]

STEP_CHECK_MS = 15 * 60_000  # how often a notification may be due while the app runs


class HomeFlow(QObject):
    """Owns the home page; its buttons lead into other flows (the window
    connects them)."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.page = HomePage()
        self.read_only = False
        self.current: Step | None = None  # the suggestion shown
        self.notified: set[str] = set()  # steps already notified while the app runs
        self.notify: object = None  # the sender (journal.ui.notify.send), replaced in tests
        self.page.offer.dismissed.connect(lambda: self._dismiss(self.current))
        self.page.offer.accepted.connect(self.page.offer.hide)
        self.page.step.dismissed.connect(self._dismiss)
        self.page.step.accepted.connect(lambda _step: self.page.step.hide())
        self.page.model.page_wanted.connect(self.on_page_wanted)
        self.checker = QTimer(self)
        self.checker.setInterval(STEP_CHECK_MS)
        self.checker.timeout.connect(self.check_step)

    def pages(self) -> dict[str, QWidget]:
        return {"home": self.page}

    def clear(self) -> None:
        self.current = None
        self.checker.stop()
        self.page.clear()

    def set_read_only(self, read_only: bool) -> None:
        """A journal that can only be read here offers nothing that writes."""
        self.read_only = read_only
        for way in (self.page.start, self.page.before, self.page.free, self.page.checkin):
            way.setVisible(not read_only)
        if read_only:
            self.page.resume.hide()
            self.page.timeline.setFocus()

    def go_home(self) -> None:
        from journal.core.journal import recall as recalls
        from journal.core.journal import rhythm, timeline

        if not self.shell.unlocked:
            return
        # Pages of the timeline still on their way are dropped from now on.
        generation = self.page.model.restart()

        def load(vault: Vault) -> Loaded:
            first = timeline.page(vault)
            step = rhythm.next_step(vault, datetime.now().astimezone())
            return first, recalls.load_draft(vault) is not None, step

        def show(result: Loaded) -> None:
            first, has_draft, step = result
            has_draft = has_draft and not self.read_only
            if not self.page.show_timeline(first, generation=generation, has_draft=has_draft):
                return  # a later reload shows the home
            self.current = None if self.read_only else step
            self.page.show_step(self.current)
            self._notify(self.current)
            self.shell.show_page("home")
            if not self.checker.isActive():
                self.checker.start()

        self.shell.submit(load, show)

    def on_page_wanted(self, cursor: timeline.Cursor, generation: int) -> None:
        """The list reached the last row read: the next page, on the vault thread."""
        from journal.core.journal import timeline

        model = self.page.model

        def arrived(page: timeline.Page) -> None:
            model.add_page(page, generation)  # dropped if a reload began meanwhile

        def failed(error: BaseException) -> None:
            if generation == model.generation:
                model.page_failed(generation)
                self.shell.show_failure(error, self.shell.status)

        self.shell.submit(
            lambda vault: timeline.page(vault, after=cursor),
            arrived,
            failed,
        )

    def check_step(self) -> None:
        """While the app runs unlocked: a step that became due is notified
        (if the patient wants notifications), the home is not redrawn."""
        from journal.core.journal import rhythm

        if not self.shell.unlocked or not self.shell.settings.get(keys.NOTIFICATIONS):
            return
        self.shell.submit(
            lambda vault: rhythm.next_step(vault, datetime.now().astimezone()), self._notify
        )

    def _notify(self, step: Step | None) -> None:
        if step is None or step.key in self.notified or self.read_only:
            return
        if not self.shell.settings.get(keys.NOTIFICATIONS):
            return
        self.notified.add(step.key)
        send = self.notify
        if send is None:
            from journal.ui.notify import send
        send(step.notification)  # type: ignore[operator]

    def _dismiss(self, step: Step | None) -> None:
        """ "Not now": this suggestion does not come back (kept in the vault)."""
        from journal.core.journal import rhythm

        self.page.offer.hide()
        self.page.step.hide()
        if step is not None and self.shell.unlocked:
            self.shell.submit(lambda vault: rhythm.dismiss(vault, step), None)
