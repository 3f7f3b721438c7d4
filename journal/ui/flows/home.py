"""The home screen: the timeline of sessions and entries, the draft to
resume, and — gently, once it is due — the offer of a questionnaire."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from journal.core.checkins.due import CheckinStatus
from journal.ui.pages.home import HomePage
from journal.ui.shell import Shell

if TYPE_CHECKING:
    from journal.core.journal import before, timeline
    from journal.core.vault.vault import Vault

    Loaded = tuple[list[timeline.TimelineRow], bool, CheckinStatus, before.Suggestion]


class HomeFlow(QObject):
    """Owns the home page; its buttons lead into other flows (the window
    connects them)."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.page = HomePage()
        self.read_only = False
        # A dismissed offer stays dismissed until the app starts again (memory only).
        self.offer_dismissed = False
        self.page.offer.dismissed.connect(self._on_offer_dismissed)
        self.page.offer.accepted.connect(self.page.offer.hide)

    def pages(self) -> dict[str, QWidget]:
        return {"home": self.page}

    def clear(self) -> None:
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
        from journal.core.journal import before, timeline
        from journal.core.journal import recall as recalls

        if not self.shell.unlocked:
            return

        def load(vault: Vault) -> Loaded:
            rows = timeline.build(vault)
            now = datetime.now().astimezone()
            status = CheckinStatus.of(vault.checkins.latest, now)
            suggestion = before.suggestion(vault, now)
            return rows, recalls.load_draft(vault) is not None, status, suggestion

        def show(result: Loaded) -> None:
            rows, has_draft, status, suggestion = result
            self.page.show_timeline(rows, has_draft=has_draft and not self.read_only)
            self.page.suggest(
                before_first=suggestion.before_first and not self.read_only,
                waiting=suggestion.waiting is not None and not self.read_only,
            )
            self.update_offer(status, has_journal=bool(rows) and not self.read_only)
            self.shell.show_page("home")

        self.shell.submit(load, show)

    def update_offer(self, status: CheckinStatus, *, has_journal: bool) -> None:
        dismissed = self.offer_dismissed or self.read_only
        offer = None if dismissed else status.offer(has_journal=has_journal)
        if offer is None:
            self.page.offer.hide()
        else:
            kind, first_time = offer
            self.page.offer.offer(kind, first_time=first_time)

    def _on_offer_dismissed(self) -> None:
        self.offer_dismissed = True
