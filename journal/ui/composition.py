"""The journal's flows, built a step at a time and given to each other.

The window first shows only the pages that open the journal, so it is up at
once. `Flows` builds the rest right after the first paint, one small step
per turn of the event loop, while the person types the passphrase
(`ensure_built` finishes at once when something is needed sooner). Each flow
gets the window only as a `Shell`; where one flow leads into another (the
home's buttons), they are connected here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtWidgets import QWidget

from journal.ui.shell import Flow, Shell

if TYPE_CHECKING:
    from journal.core.vault.keyfile import KdfParams
    from journal.ui.flows.before import BeforeFlow
    from journal.ui.flows.checkins import CheckinFlow
    from journal.ui.flows.home import HomeFlow
    from journal.ui.flows.imagery import ImageryFlow
    from journal.ui.flows.importing import ImportFlow
    from journal.ui.flows.journaling import JournalingFlow
    from journal.ui.flows.reading import ReadingFlow
    from journal.ui.flows.safekeeping import SafekeepingFlow
    from journal.ui.flows.searching import SearchFlow
    from journal.ui.flows.sharing import SharingFlow
    from journal.ui.flows.syncing import SyncFlow
    from journal.ui.flows.workspace import WorkspaceFlow
    from journal.ui.media_actions import MediaActions

F = TypeVar("F", bound=Flow)


class Flows:
    """The flows of an open journal, by name (``flows.checkins``)."""

    media: MediaActions
    home: HomeFlow
    journaling: JournalingFlow
    before: BeforeFlow
    reading: ReadingFlow
    searching: SearchFlow
    imagery: ImageryFlow
    workspace: WorkspaceFlow
    sharing: SharingFlow
    checkins: CheckinFlow
    safekeeping: SafekeepingFlow
    importing: ImportFlow
    syncing: SyncFlow

    def __init__(
        self,
        shell: Shell,
        *,
        add_pages: Callable[[dict[str, QWidget]], None],
        kdf: KdfParams | None = None,
    ) -> None:
        self._shell = shell
        self._kdf = kdf  # for a sync folder's key file (tests use a cheap one)
        self._add_pages = add_pages
        self._with_pages: list[Flow] = []
        self._steps: list[Callable[[], None]] = [
            self._build_media,
            self._build_home,
            self._build_journaling,
            self._build_before,
            self._build_reading,
            self._build_imagery,
            self._build_workspace,
            self._build_sharing,
            self._build_checkins,
            self._build_importing,
            self._build_syncing,
            self._build_safekeeping,
        ]

    @property
    def built(self) -> bool:
        return not self._steps

    def build_next(self) -> bool:
        """Build one step; True while steps remain."""
        if self._steps:
            self._steps.pop(0)()
        return bool(self._steps)

    def ensure_built(self) -> None:
        while self._steps:
            self._steps.pop(0)()

    def clear(self) -> None:
        """On lock: every flow drops what it shows and holds of the journal."""
        for flow in self._with_pages:
            flow.clear()

    def _add(self, flow: F) -> F:
        self._add_pages(flow.pages())
        self._with_pages.append(flow)
        return flow

    def _build_media(self) -> None:
        from journal.ui.media_actions import MediaActions

        self.media = MediaActions(self._shell)

    def _build_home(self) -> None:
        from journal.ui.flows.home import HomeFlow

        self.home = self._add(HomeFlow(self._shell))

    def _build_journaling(self) -> None:
        from journal.ui.flows.journaling import JournalingFlow

        self.journaling = self._add(JournalingFlow(self._shell, media=self.media))

    def _build_before(self) -> None:
        from journal.ui.flows.before import BeforeFlow

        self.before = self._add(BeforeFlow(self._shell))

    def _build_reading(self) -> None:
        from journal.ui.flows.reading import ReadingFlow
        from journal.ui.flows.searching import SearchFlow

        self.reading = self._add(ReadingFlow(self._shell, media=self.media))
        self.searching = self._add(SearchFlow(self._shell))

    def _build_imagery(self) -> None:
        from journal.ui.flows.imagery import ImageryFlow

        self.imagery = self._add(ImageryFlow(self._shell, media=self.media))

    def _build_workspace(self) -> None:
        from journal.ui.flows.workspace import WorkspaceFlow

        self.workspace = self._add(WorkspaceFlow(self._shell))

    def _build_sharing(self) -> None:
        """Sharing; its readers keep bundles in the workspace (when one is open)."""
        from journal.ui.flows.sharing import SharingFlow

        self.sharing = self._add(SharingFlow(self._shell, keep=self.workspace.keep))

    def _build_checkins(self) -> None:
        from journal.ui.flows.checkins import CheckinFlow

        self.checkins = self._add(CheckinFlow(self._shell))

    def _build_importing(self) -> None:
        from journal.ui.flows.importing import ImportFlow

        self.importing = self._add(ImportFlow(self._shell))

    def _build_syncing(self) -> None:
        from journal.ui.flows.syncing import SyncFlow

        self.syncing = self._add(SyncFlow(self._shell, kdf=self._kdf))
        self.syncing.received.connect(self._after_sync)

    def _after_sync(self) -> None:
        """Changes arrived from another computer: the home, if it is what
        shows, is read again (a page being written on is left as it is)."""
        if self.home.page.isVisible():
            self.home.go_home()

    def _build_safekeeping(self) -> None:
        """The last step: safekeeping, then where one flow leads into another."""
        from journal.ui.flows.safekeeping import SafekeepingFlow

        self.safekeeping = SafekeepingFlow(self._shell)
        home = self.home.page
        home.start_journaling.connect(self.journaling.start_after_session)
        home.before_session.connect(self.before.start)
        self.before.write_intention.connect(self.journaling.start_before)
        self.journaling.intention_written.connect(self.before.intention_written)
        home.free_writing.connect(self.journaling.write_freely)
        home.resume_draft.connect(self.journaling.resume)
        home.open_entry.connect(self.reading.open_entry)
        home.check_in.connect(self.checkins.go_checkin)
        home.offer.accepted.connect(self.checkins.start_questionnaire)
        home.step.accepted.connect(self._take_step)
        self.journaling.reflected_next_day.connect(self.checkins.offer_session_rating)
        patients = self.workspace.patients
        patients.open_bundle.connect(self.sharing.open_bundle)
        patients.sharing_key.connect(self.sharing.show_sharing_key)

    def _take_step(self, step: Any) -> None:
        """The home's suggested next step, taken: a reflection on the session
        it names, or preparing for the appointment."""
        from journal.core.journal.rhythm import StepKind

        if step.kind is StepKind.APPOINTMENT:
            self.sharing.go_prepare()
        elif step.session_id is not None:
            template = "next-day" if step.kind is StepKind.NEXT_DAY else "integration"
            self.journaling.start_for_session(step.session_id, template)
