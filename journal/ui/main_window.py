"""The main window: the shell that holds the flows.

It keeps the stack of pages, the menus, locking and the idle timer; it
composes the flows (each owns its pages and wiring, `journal.ui.flows`) and
implements `journal.ui.shell.Shell` for them: operations on the vault thread,
showing a page, a status sentence, failures, and moving between flows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from journal.core.errors import JournalError, VaultLocked
from journal.core.vault.paths import VaultPaths
from journal.ui.clipboard import clear_secrets
from journal.ui.composition import Flows
from journal.ui.event_filters import FirstPaint, IdleWatcher
from journal.ui.flows.opening import OpeningFlow
from journal.ui.menus import WindowActions
from journal.ui.runner import VaultRunner
from journal.ui.settings import Settings
from journal.ui.shell import Done, Failed, NamedPage, Opener, Operation
from journal.ui.widgets import announce, label

if TYPE_CHECKING:  # the journal's flows load after the unlock window is up
    from journal.core.vault.keyfile import KdfParams
    from journal.ui.pages.entry_view import EntryPage
    from journal.ui.pages.first_run import CreateVaultPage, RecoveryCodePage, WelcomePage
    from journal.ui.pages.home import HomePage
    from journal.ui.pages.motifs import MotifsPage
    from journal.ui.pages.prepare import PreparePage
    from journal.ui.pages.recall import RecallPage, TemplateChoicePage
    from journal.ui.pages.search import SearchPage
    from journal.ui.pages.session_form import SessionFormPage
    from journal.ui.pages.unlock import RecoverPage, UnlockPage
    from journal.ui.session_watch import SessionWatcher

# Building the journal's flows starts this long after the window first shows.
BUILD_AFTER_PAINT_MS = 150
READ_ONLY = (
    "Read only: this journal is on a drive that can't be written. You can read "
    "everything; nothing you change can be saved here."
)
# Pages that unlocking returns to (others return home).
RETURNABLE = (
    "home",
    "entry",
    "search",
    "motifs",
    "recall",
    "trends",
    "session_form",
    "patients",
    "patient",
)
WORKSPACE_TITLE = "therapist workspace"  # Qt adds " — Afterglow"


class Place(NamedTuple):
    """Where the person was, to return there after unlocking."""

    page: str = "home"
    entry_id: int | None = None  # the entry shown, or in a workspace the patient


class MainWindow(QMainWindow):
    """Starts with only the pages that open the journal, so the window is up
    at once; the journal's flows are built in small steps right after, while
    the person types the passphrase (`ensure_built` finishes them at once)."""

    welcome: NamedPage[WelcomePage] = NamedPage("welcome")
    create_page: NamedPage[CreateVaultPage] = NamedPage("create")
    recovery_code: NamedPage[RecoveryCodePage] = NamedPage("recovery_code")
    unlock_page: NamedPage[UnlockPage] = NamedPage("unlock")
    recover_page: NamedPage[RecoverPage] = NamedPage("recover")
    home: NamedPage[HomePage] = NamedPage("home")
    session_form: NamedPage[SessionFormPage] = NamedPage("session_form")
    template_choice: NamedPage[TemplateChoicePage] = NamedPage("template_choice")
    recall: NamedPage[RecallPage] = NamedPage("recall")
    entry_page: NamedPage[EntryPage] = NamedPage("entry")
    search_page: NamedPage[SearchPage] = NamedPage("search")
    motifs_page: NamedPage[MotifsPage] = NamedPage("motifs")
    prepare_page: NamedPage[PreparePage] = NamedPage("prepare")

    def __init__(
        self,
        *,
        runner: VaultRunner,
        settings: Settings,
        vault_path: Path,
        demo: bool = False,
        kdf: KdfParams | None = None,
    ) -> None:
        super().__init__()
        self.runner, self.settings, self.vault_path, self.demo = runner, settings, vault_path, demo
        self.unlocked = False
        self.workspace = False  # a therapist's workspace, known once it is open
        self.place = Place()
        # Qt adds the application's name ("… — Afterglow"): the title names the journal.
        self.setWindowTitle("DEMO journal" if demo else vault_path.stem)
        # Usable on a 1024×600 screen; as large as a laptop's screen allows.
        self.setMinimumSize(800, 560)
        screen = QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        self.resize(
            min(1200, room.width()) if room else 1200, min(860, room.height()) if room else 860
        )
        self.stack = QStackedWidget()
        self.read_only_banner = label(READ_ONLY, name="banner")
        self.read_only_banner.setAccessibleName("Read-only journal")
        self.read_only_banner.hide()
        # Inside the window, not only in its title: this is the sample journal.
        self.demo_banner = label(
            "DEMO — a sample journal with made-up entries. It is deleted when you close it.",
            name="banner",
        )
        self.demo_banner.setAccessibleName("Demo journal")
        self.demo_banner.setVisible(demo)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.demo_banner)
        column.addWidget(self.read_only_banner)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.pages: dict[str, QWidget] = {}
        name = "the demo journal" if demo else vault_path.stem
        self.opening = OpeningFlow(self, vault_name=name, kdf=kdf, add_pages=self._add_pages)
        self.flows = Flows(self, add_pages=self._add_pages, kdf=kdf)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self.lock)
        # Watches every event of the app, so only while the journal is open:
        # each event a Python filter sees costs a call into Python (and, the
        # first time, Qt's Python type for it — ~70 ms before the first paint).
        self._idle_watcher = IdleWatcher(self.idle)
        self.session_watch: SessionWatcher | None = None  # after the first paint (D-Bus)
        self.menu_actions = WindowActions(self, target=self)
        self._set_unlocked_ui(False)
        self.runner.error.connect(self._on_error)
        self.runner.busy_changed.connect(self._on_vault_busy)
        # The demo's journal is made once the window is up (`app.run`).
        self.show_page("unlock" if demo or VaultPaths(vault_path).exists() else "welcome")
        self._first_paint = FirstPaint(self._start_building)
        self.installEventFilter(self._first_paint)

    # -- building the journal's flows, a step per turn of the event loop (`Flows`)

    def _start_building(self) -> None:
        self.removeEventFilter(self._first_paint)
        # With the window as context: a window closed meanwhile cancels the build.
        QTimer.singleShot(BUILD_AFTER_PAINT_MS, self, self._build_next)

    @property
    def built(self) -> bool:
        return self.session_watch is not None and self._unmade() == [] and self.flows.built

    def _unmade(self) -> list[str]:
        return [name for name in OpeningFlow.EVERY_START if name not in self.pages]

    def _build_step(self) -> bool:
        """Build one thing the first paint did not need; True while more remain."""
        if self.session_watch is None:
            self._watch_session()
            return True
        unmade = self._unmade()
        if unmade:
            self.opening.page(unmade[0])
            return True
        return self.flows.build_next()

    def _build_next(self) -> None:
        if self._build_step():
            QTimer.singleShot(0, self, self._build_next)

    def ensure_built(self) -> None:
        while self._build_step():
            pass

    def _watch_session(self) -> None:
        """Lock when the computer sleeps or the screen locks (asks D-Bus)."""
        from journal.ui.session_watch import SessionWatcher

        self.session_watch = SessionWatcher(self)
        self.session_watch.lock_requested.connect(self.lock)

    def page(self, name: str) -> QWidget:
        """A page by its name; an opening page is made when first wanted,
        the journal's pages once its flows are built."""
        if name not in self.pages:
            if name in OpeningFlow.PAGES:
                self.opening.page(name)
            else:
                self.ensure_built()
        return self.pages[name]

    def _add_pages(self, pages: dict[str, QWidget]) -> None:
        self.pages.update(pages)
        for page in pages.values():
            self.stack.addWidget(page)

    # -- the Shell the flows see --------------------------------------------------

    @property
    def widget(self) -> QWidget:
        return self

    def submit(
        self, operation: Operation, on_done: Done | None, on_error: Failed | None = None
    ) -> None:
        self.runner.submit(operation, on_done, on_error or self._on_error)

    def run(self, job: Callable[[], Any], on_done: Done, on_error: Failed | None = None) -> None:
        self.runner.run(job, on_done, on_error or self._on_error)

    def open_with(self, opener: Opener, on_done: Done, on_error: Failed) -> None:
        self.runner.open_with(opener, on_done, on_error)

    def show_page(self, name: str) -> None:
        self.stack.setCurrentWidget(self.page(name))
        if self.unlocked and name in RETURNABLE:
            shown = (
                self.flows.reading.entry_id
                if name == "entry"
                else self.flows.workspace.patient_id
                if name == "patient"
                else None
            )
            self.place = Place(name, shown)

    def current_page(self) -> str:
        current = self.stack.currentWidget()
        return next(name for name, page in self.pages.items() if page is current)

    def status(self, text: str, msecs: int = 8000) -> None:
        self.statusBar().showMessage(text, msecs)
        self.statusBar().setAccessibleDescription(text)
        announce(self.statusBar())

    def show_failure(
        self, error: BaseException, show: Callable[[str], object], *, bug_text: str = ""
    ) -> None:
        if isinstance(error, JournalError):
            show(error.message)
            return
        if bug_text:
            show(bug_text)
        from journal.ui import dialogs

        dialogs.report_bug(self, error)

    def _on_vault_busy(self, busy: bool) -> None:
        """The vault thread has nothing left to do: sync may follow what it saved."""
        if not busy and self.unlocked and self.built:
            self.flows.syncing.vault_idle()

    def _on_error(self, error: BaseException) -> None:
        if isinstance(error, VaultLocked) and not self.unlocked:
            return  # work that arrived after locking
        from journal.ui import dialogs

        self.show_failure(
            error, lambda text: dialogs.show_message(self, "Afterglow", text, warning=True)
        )

    # -- moving between flows (the menus call these too) ----------------------------

    def go_home(self) -> None:
        """The journal's home — or, in a therapist's workspace, the patients."""
        self.ensure_built()
        if self.workspace:
            self.flows.workspace.go_patients()
        else:
            self.flows.home.go_home()

    def open_entry(self, entry_id: int, highlight: Sequence[str] = ()) -> None:
        self.ensure_built()
        self.flows.reading.open_entry(entry_id, highlight=highlight)

    def go_search(self) -> None:
        self.ensure_built()
        self.flows.searching.go_search()

    def go_motifs(self) -> None:
        if self.unlocked:
            self.ensure_built()
            self.flows.imagery.go_motifs()

    def open_bundle_path(self, path: Path) -> None:
        """A bundle handed over by a second start or the desktop: its reader,
        beside this window (the journal stays as it is, locked or open)."""
        self.ensure_built()
        self.flows.sharing.open_path(path)

    def show_crisis(self) -> None:
        from journal.ui.pages.safety import CrisisDialog

        CrisisDialog(self.settings.crisis_country, self).open()

    def open_settings(self) -> None:
        from journal.ui.settings_dialog import open_settings

        open_settings(self, self.settings, saved=self._restart_idle_timer)

    # -- opening and locking ----------------------------------------------------------

    def _set_unlocked_ui(self, unlocked: bool) -> None:
        self.unlocked = unlocked
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._idle_watcher)  # never twice
            if unlocked:
                app.installEventFilter(self._idle_watcher)
        self.menu_actions.set_unlocked(unlocked)

    def _set_role(self, workspace: bool) -> None:
        """A journal, or a therapist's workspace: the title, the actions that
        make sense, and which page is home."""
        if workspace != self.workspace:
            self.place = Place("home")  # another vault's place means nothing here
        self.workspace = workspace
        if not self.demo:
            self.setWindowTitle(WORKSPACE_TITLE if workspace else self.vault_path.stem)
        self.menu_actions.set_role(workspace=workspace)

    def opened(self, *, return_home: bool = False, read_only: bool = False) -> None:
        """The vault is open: learn its role on the vault thread, then show
        the journal (or the workspace) where the person was, or home."""
        if return_home:
            self.place = Place("home")
        self.ensure_built()
        self.opening.clear()
        self.submit(
            lambda vault: vault.is_workspace,
            lambda workspace: self._show_opened(workspace, read_only),
        )

    def _show_opened(self, workspace: bool, read_only: bool) -> None:
        self._set_role(workspace)
        self.read_only_banner.setVisible(read_only)
        self.flows.home.set_read_only(read_only)
        self.flows.workspace.set_read_only(read_only)
        self._set_unlocked_ui(True)
        self._restart_idle_timer()
        if not workspace:
            self.flows.syncing.opened()
        place = self.place
        if workspace:
            if place.page == "patient" and place.entry_id is not None:
                self.flows.workspace.open_patient(place.entry_id)
            else:
                self.go_home()
        elif place.page == "entry" and place.entry_id is not None:
            self.open_entry(place.entry_id)
        elif place.page == "recall":
            self.flows.journaling.resume()
        elif place.page == "session_form":
            self.flows.journaling.resume_session_form()
        elif place.page == "search":
            self.go_search()
        elif place.page == "motifs":
            self.go_motifs()
        elif place.page == "trends":
            self.flows.checkins.go_trends()
        else:
            self.go_home()

    def lock(self, *, keep: QDialog | None = None, return_home: bool = False) -> None:
        """Save the draft, close dialogs (but ``keep``), clear every page (and
        its undo stack), drop the models, close the database; then ask for the
        passphrase. Unlocking returns to the same place (or home)."""
        if not self.unlocked:
            return
        if return_home:
            self.place = Place("home")
        self.flows.journaling.flush_draft()
        self.flows.workspace.flush_note()
        if self.place.page == "session_form":
            self.flows.journaling.park_session_form()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible() and widget is not keep:
                # A sketch or recording in progress is kept; other dialogs just close.
                getattr(widget, "close_for_lock", widget.reject)()
        self.idle.stop()
        clear_secrets(QGuiApplication.clipboard())
        self.flows.clear()
        self.flows.safekeeping.backup_if_due()
        self.runner.close()
        self._set_unlocked_ui(False)
        self.read_only_banner.hide()
        self.show_page("unlock")

    def _restart_idle_timer(self) -> None:
        """Auto-lock after the set minutes of no use, while unlocked (a
        workspace after 5 at most: it holds many people's journals)."""
        minutes = self.settings.lock_minutes(workspace=self.workspace)
        if self.unlocked and minutes > 0:
            self.idle.setInterval(minutes * 60_000)
            self.idle.start()
        else:
            self.idle.stop()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        if not self.opening.may_close(self.current_page()):
            event.ignore()
            return
        if self.built:
            self.flows.sharing.close_readers()
            self.flows.journaling.flush_draft()
            self.flows.workspace.flush_note()
        if self.unlocked:
            self.flows.safekeeping.backup_if_due()  # the runner finishes it before closing
        clear_secrets(QGuiApplication.clipboard())
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._idle_watcher)
        self.runner.shutdown()
        event.accept()
