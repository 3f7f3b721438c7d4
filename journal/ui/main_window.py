"""The main window: pages in a stack, wired to vault operations.

Pages show state and forward intent; this window turns intent into
operations on the vault thread (`VaultRunner`) and results back into pages.
It also owns autosave, the idle timer and locking.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from journal.core.errors import JournalError, VaultLocked
from journal.core.vault.paths import VaultPaths
from journal.ui import dialogs
from journal.ui.clipboard import clear_secrets
from journal.ui.pages.first_run import CreateVaultPage, RecoveryCodePage, WelcomePage
from journal.ui.pages.unlock import RecoverPage, UnlockPage
from journal.ui.runner import VaultRunner
from journal.ui.session_watch import SessionWatcher
from journal.ui.settings import Settings
from journal.ui.theme import apply as apply_theme

if TYPE_CHECKING:  # the journal's pages load after the unlock window is up
    from journal.core.journal import recall as recalls
    from journal.core.journal import timeline
    from journal.core.model import Entry, Session
    from journal.core.vault.keyfile import KdfParams
    from journal.core.vault.repositories.search import SearchHit
    from journal.core.vault.vault import Vault
    from journal.ui.checkin_flow import CheckinFlow, CheckinStatus
    from journal.ui.pages.entry_view import EntryPage
    from journal.ui.pages.home import HomePage
    from journal.ui.pages.motifs import MotifsPage
    from journal.ui.pages.prepare import PreparePage
    from journal.ui.pages.recall import RecallPage, TemplateChoicePage
    from journal.ui.pages.search import SearchPage
    from journal.ui.pages.session_form import SessionFormPage
    from journal.ui.safekeeping import SafekeepingFlow
    from journal.ui.sharing_flow import SharingFlow

AUTOSAVE_MS = 600
# Building the journal's pages starts this long after the window first shows.
BUILD_AFTER_PAINT_MS = 150
RIGHT_AFTER_TEMPLATE = "right-after-gentle"


@dataclass
class Place:
    """Where the person was, to return there after unlocking."""

    page: str = "home"
    entry_id: int | None = None


class _IdleWatcher(QObject):
    """Restarts the auto-lock timer on any key press or mouse use."""

    def __init__(self, timer: QTimer) -> None:
        super().__init__()
        self._timer = timer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        user_input = event.type() in (
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
        )
        if user_input and self._timer.isActive():
            self._timer.start()
        return False


class _FirstPaint(QObject):
    """Calls back once, when the watched widget first paints."""

    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__()
        self._callback: Callable[[], None] | None = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            callback, self._callback = self._callback, None
            QTimer.singleShot(0, callback)
        return False


class MainWindow(QMainWindow):
    """Starts with only the first-run and unlock pages, so the window is up
    at once; the journal's pages are built in small steps right after, while
    the person types the passphrase (`ensure_built` finishes them at once if
    needed)."""

    home: HomePage
    session_form: SessionFormPage
    template_choice: TemplateChoicePage
    recall: RecallPage
    entry_page: EntryPage
    search_page: SearchPage
    motifs_page: MotifsPage
    prepare_page: PreparePage
    checkins: CheckinFlow
    sharing: SharingFlow
    safekeeping: SafekeepingFlow

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
        self.runner = runner
        self.settings = settings
        self.vault_path = vault_path
        self.demo = demo
        self.kdf = kdf
        self.unlocked = False
        self.place = Place()
        self.recall_session_id: int | None = None
        self._pending_draft: recalls.RecallDraft | None = None
        self.setWindowTitle("Afterglow — DEMO" if demo else f"Afterglow — {vault_path.stem}")
        self.setMinimumSize(900, 640)
        self.resize(1200, 860)

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.welcome = WelcomePage()
        self.create_page = CreateVaultPage()
        self.recovery_code = RecoveryCodePage()
        self.unlock_page = UnlockPage(vault_path.stem if not demo else "the demo journal")
        self.recover_page = RecoverPage()
        self.pages: dict[str, QWidget] = {
            "welcome": self.welcome,
            "create": self.create_page,
            "recovery_code": self.recovery_code,
            "unlock": self.unlock_page,
            "recover": self.recover_page,
        }
        for page in self.pages.values():
            self.stack.addWidget(page)
        self._build_steps: list[Callable[[], None]] = [
            self._build_home_pages,
            self._build_recall_pages,
            self._build_reading_pages,
            self._build_prepare_page,
            self._build_checkins,
            self._build_flows,
        ]

        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.flush_draft)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self.lock)
        self._idle_watcher = _IdleWatcher(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._idle_watcher)

        self.session_watch = SessionWatcher(self)
        self.session_watch.lock_requested.connect(self.lock)
        self._build_actions()
        self._connect_first_pages()
        self.runner.error.connect(self._on_error)
        if VaultPaths(vault_path).exists():
            self.show_page("unlock")
        else:
            self.show_page("welcome")
        self._first_paint = _FirstPaint(self._start_building)
        self.installEventFilter(self._first_paint)

    def _start_building(self) -> None:
        """The window is on screen: in a moment, build the rest a step at a time."""
        self.removeEventFilter(self._first_paint)
        # With the window as context: a window closed meanwhile cancels the build.
        QTimer.singleShot(BUILD_AFTER_PAINT_MS, self, self._build_next)

    # -- building the journal's pages ------------------------------------------------

    @property
    def built(self) -> bool:
        return not self._build_steps

    def _build_next(self) -> None:
        """One step per turn of the event loop, so typing never waits long."""
        if self._build_steps:
            self._build_steps.pop(0)()
        if self._build_steps:
            QTimer.singleShot(0, self, self._build_next)

    def ensure_built(self) -> None:
        while self._build_steps:
            self._build_steps.pop(0)()

    def _add_pages(self, pages: dict[str, QWidget]) -> None:
        self.pages.update(pages)
        for page in pages.values():
            self.stack.addWidget(page)

    def _build_home_pages(self) -> None:
        from journal.ui.pages.home import HomePage
        from journal.ui.pages.session_form import SessionFormPage

        self.home = HomePage()
        self.session_form = SessionFormPage()
        self._add_pages({"home": self.home, "session_form": self.session_form})

    def _build_recall_pages(self) -> None:
        from journal.ui.pages.recall import RecallPage, TemplateChoicePage

        self.template_choice = TemplateChoicePage()
        self.recall = RecallPage()
        self._add_pages({"template_choice": self.template_choice, "recall": self.recall})

    def _build_reading_pages(self) -> None:
        from journal.ui.pages.entry_view import EntryPage
        from journal.ui.pages.motifs import MotifsPage
        from journal.ui.pages.search import SearchPage

        self.entry_page = EntryPage()
        self.search_page = SearchPage()
        self.motifs_page = MotifsPage()
        self._add_pages(
            {"entry": self.entry_page, "search": self.search_page, "motifs": self.motifs_page}
        )

    def _build_prepare_page(self) -> None:
        from journal.ui.pages.prepare import PreparePage

        self.prepare_page = PreparePage()
        self._add_pages({"prepare": self.prepare_page})

    def _build_checkins(self) -> None:
        from journal.ui.checkin_flow import CheckinFlow

        self.checkins = CheckinFlow(self)
        self._add_pages(self.checkins.pages())

    def _build_flows(self) -> None:
        from journal.ui.imagery_flow import ImageryFlow
        from journal.ui.safekeeping import SafekeepingFlow
        from journal.ui.sharing_flow import SharingFlow

        self.sharing = SharingFlow(self, self.prepare_page)
        self.safekeeping = SafekeepingFlow(self)
        self.imagery = ImageryFlow(self)
        self._connect_journal_pages()

    # -- chrome -------------------------------------------------------------

    def _action(self, text: str, shortcut: str | None, slot: Callable[[], Any]) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.home_action = self._action("Home", "Ctrl+H", self.go_home)
        self.search_action = self._action("Search", "Ctrl+F", self.go_search)
        self.motifs_action = self._action("Motifs", "Ctrl+M", self.go_motifs)
        self.settings_action = self._action("Settings…", "Ctrl+,", self.open_settings)
        self.lock_action = self._action("Lock now", "Ctrl+L", self.lock)
        self.prepare_action = self._action("Prepare for therapy…", "Ctrl+E", self.go_prepare)
        self.open_bundle_action = self._action("Open bundle…", "Ctrl+O", self.open_bundle)
        self.key_action = self._action("My sharing key…", None, self.show_sharing_key)
        self.quit_action = self._action("Quit", "Ctrl+Q", self.close)
        self.checkin_action = self._action("Check in", "Ctrl+K", self.go_checkin)
        self.trends_action = self._action("Trends", "Ctrl+T", self.go_trends)
        self.crisis_action = self._action("If you are in crisis", None, self.show_crisis)
        self.backup_action = self._action("Back up now…", None, self.back_up_now)
        self.restore_action = self._action("Restore from backup…", None, self.open_restore)
        self.export_all_action = self._action("Export everything…", None, self.open_export)
        file_menu = self.menuBar().addMenu("&File")
        for action in (
            self.prepare_action,
            self.open_bundle_action,
            None,
            self.backup_action,
            self.restore_action,
            self.export_all_action,
            None,
            self.settings_action,
            self.lock_action,
            self.quit_action,
        ):
            if action is None:
                file_menu.addSeparator()
            else:
                file_menu.addAction(action)
        sharing_menu = self.menuBar().addMenu("&Sharing")
        sharing_menu.addAction(self.key_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.crisis_action)
        self.toolbar = QToolBar("Main")
        self.toolbar.setAccessibleName("Main toolbar")
        self.toolbar.setMovable(False)
        for action in (
            self.home_action,
            self.search_action,
            self.checkin_action,
            self.trends_action,
            self.motifs_action,
            self.prepare_action,
        ):
            self.toolbar.addAction(action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.toolbar.addAction(self.lock_action)
        for action in self.toolbar.actions():
            widget = self.toolbar.widgetForAction(action)
            if widget is not None and action.text():
                widget.setAccessibleName(action.text().rstrip("…"))
        self.addToolBar(self.toolbar)
        self._set_unlocked_ui(False)

    def _set_unlocked_ui(self, unlocked: bool) -> None:
        self.unlocked = unlocked
        self.toolbar.setVisible(unlocked)
        for action in (
            self.home_action,
            self.search_action,
            self.motifs_action,
            self.lock_action,
            self.prepare_action,
            self.key_action,
            self.checkin_action,
            self.trends_action,
            self.backup_action,
            self.export_all_action,
        ):
            action.setEnabled(unlocked)

    def show_page(self, name: str) -> None:
        self.stack.setCurrentWidget(self.pages[name])
        if self.unlocked and name in ("home", "entry", "search", "motifs", "recall", "trends"):
            self.place = Place(
                name,
                self.entry_page.entry.id if name == "entry" and self.entry_page.entry else None,
            )

    def current_page(self) -> str:
        current = self.stack.currentWidget()
        return next(name for name, page in self.pages.items() if page is current)

    # -- wiring -----------------------------------------------------------------

    def _connect_first_pages(self) -> None:
        self.welcome.start.connect(lambda: self.show_page("create"))
        self.create_page.create_requested.connect(self._on_create)
        self.recovery_code.done.connect(self._after_recovery_code)
        self.unlock_page.unlock_requested.connect(self._on_unlock)
        self.unlock_page.forgot.connect(lambda: self.show_page("recover"))
        self.recover_page.back.connect(lambda: self.show_page("unlock"))
        self.recover_page.recover_requested.connect(self._on_recover)

    def _connect_journal_pages(self) -> None:
        self.home.start_journaling.connect(self._on_start_journaling)
        self.home.free_writing.connect(lambda: self._choose_template(None, "free"))
        self.home.resume_draft.connect(self._on_resume)
        self.home.open_entry.connect(self.open_entry)
        self.session_form.submitted.connect(self._on_session_submitted)
        self.session_form.cancelled.connect(self.go_home)
        self.template_choice.chosen.connect(self._on_template_chosen)
        self.template_choice.cancelled.connect(self.go_home)
        self.recall.draft_changed.connect(self._on_draft_changed)
        self.recall.finished.connect(self._on_recall_finished)
        self.recall.paused.connect(self._on_recall_paused)
        self.entry_page.back.connect(self.go_home)
        self.entry_page.save_requested.connect(self._on_entry_edited)
        self.entry_page.reflection_requested.connect(self._on_reflection)
        self.search_page.query_changed.connect(self._on_search)
        self.search_page.open_hit.connect(self._on_open_hit)

    # The menu's way into the flows (built on first use if still loading).

    def go_prepare(self) -> None:
        self.ensure_built()
        self.sharing.go_prepare()

    def open_bundle(self) -> None:
        self.ensure_built()
        self.sharing.open_bundle()

    def show_sharing_key(self) -> None:
        self.ensure_built()
        self.sharing.show_sharing_key()

    def go_checkin(self) -> None:
        self.ensure_built()
        self.checkins.go_checkin()

    def go_trends(self) -> None:
        self.ensure_built()
        self.checkins.go_trends()

    def show_crisis(self) -> None:
        from journal.ui.pages.safety import CrisisDialog

        CrisisDialog(self.settings.crisis_country, self).open()

    def back_up_now(self) -> None:
        self.ensure_built()
        self.safekeeping.back_up_now()

    def open_restore(self) -> None:
        self.ensure_built()
        self.safekeeping.open_restore()

    def open_export(self) -> None:
        self.ensure_built()
        self.safekeeping.open_export()

    def submit(self, operation: Callable[[Vault], Any], on_done: Callable[[Any], None]) -> None:
        self.runner.submit(operation, on_done, self._on_error)

    # -- opening and locking -------------------------------------------------------

    def _on_create(self, passphrase: str) -> None:
        from journal.core.vault import vault as vaults

        path, kdf = self.vault_path, self.kdf
        box: dict[str, str] = {}

        def opener() -> Vault:
            vault, code = vaults.create(path, passphrase, kdf=kdf)
            box["code"] = code
            return vault

        def done(_vault: object) -> None:
            self.create_page.clear()
            self.recovery_code.set_code(box.pop("code"))
            self.show_page("recovery_code")

        self.runner.open_with(opener, done, lambda e: self._open_failed(e, self.create_page))

    def _after_recovery_code(self) -> None:
        self.recovery_code.clear()
        self._opened()

    def _on_unlock(self, passphrase: str) -> None:
        from journal.core.vault import vault as vaults

        path = self.vault_path
        self.runner.open_with(
            lambda: vaults.unlock(path, passphrase),
            lambda _v: self._opened(),
            lambda e: self._open_failed(e, self.unlock_page),
        )

    def _on_recover(self, code: str, passphrase: str) -> None:
        from journal.core.vault import vault as vaults

        path, kdf = self.vault_path, self.kdf
        self.runner.open_with(
            lambda: vaults.recover(path, code, passphrase, kdf=kdf),
            lambda _v: self._opened(),
            lambda e: self._open_failed(e, self.recover_page),
        )

    def _open_failed(self, error: BaseException, page: Any) -> None:
        self.show_failure(
            error,
            page.show_error,
            bug_text="Afterglow hit a bug while opening the journal. Please try again.",
        )

    def _opened(self) -> None:
        self.ensure_built()
        self.unlock_page.clear()
        self.recover_page.clear()
        self._set_unlocked_ui(True)
        self._restart_idle_timer()
        place = self.place
        if place.page == "entry" and place.entry_id is not None:
            self.open_entry(place.entry_id)
        elif place.page == "recall":
            self._on_resume()
        elif place.page == "search":
            self.go_search()
        elif place.page == "motifs":
            self.go_motifs()
        elif place.page == "trends":
            self.checkins.go_trends()
        else:
            self.go_home()

    def opened_after_restore(self) -> None:
        self.place = Place("home")
        self._opened()

    def lock(self, *, keep: QDialog | None = None) -> None:
        """Save the draft, close dialogs (but ``keep``), clear every editor
        (and its undo stack), drop the models, close the database; then ask
        for the passphrase. Unlocking returns to the same place."""
        if not self.unlocked:
            return
        self.flush_draft()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible() and widget is not keep:
                # A sketch or recording in progress is kept; other dialogs just close.
                getattr(widget, "close_for_lock", widget.reject)()
        self.idle.stop()
        clear_secrets(QGuiApplication.clipboard())
        self.recall.clear()
        self.entry_page.clear()
        self.search_page.clear()
        self.home.clear()
        self.motifs_page.clear()
        self.imagery.clear()
        self.prepare_page.clear()
        self.checkins.clear()
        self.session_form.reset()
        self.template_choice.set_templates([], None)
        self.safekeeping.backup_if_due()
        self.runner.close()
        self._set_unlocked_ui(False)
        self.show_page("unlock")

    def _restart_idle_timer(self) -> None:
        minutes = self.settings.auto_lock_minutes
        if minutes > 0:
            self.idle.setInterval(minutes * 60_000)
            self.idle.start()
        else:
            self.idle.stop()

    # -- home, journaling ------------------------------------------------------------

    def go_home(self) -> None:
        from journal.core.journal import recall as recalls
        from journal.core.journal import timeline
        from journal.ui.checkin_flow import checkin_status

        if not self.unlocked:
            return

        def load(vault: Vault) -> tuple[list[timeline.TimelineRow], bool, CheckinStatus]:
            rows = timeline.build(vault)
            return rows, recalls.load_draft(vault) is not None, checkin_status(vault)

        def show(result: tuple[list[timeline.TimelineRow], bool, CheckinStatus]) -> None:
            rows, has_draft, status = result
            self.home.show_timeline(rows, has_draft=has_draft)
            self.checkins.update_offer(status, has_journal=bool(rows))
            self.show_page("home")

        self.submit(load, show)

    def _on_start_journaling(self) -> None:
        self.session_form.reset()
        self.show_page("session_form")

    def _on_session_submitted(self, session: Session) -> None:
        self.submit(
            lambda vault: vault.sessions.add(session).id,
            lambda session_id: self._choose_template(session_id, RIGHT_AFTER_TEMPLATE),
        )

    def _choose_template(self, session_id: int | None, preselect: str | None) -> None:
        self.recall_session_id = session_id

        def show(templates: list[Any]) -> None:
            self.template_choice.set_templates(templates, preselect)
            self.show_page("template_choice")

        self.submit(lambda vault: vault.templates.all(), show)

    def _on_template_chosen(self, template_id: str) -> None:
        from journal.core.journal import recall as recalls

        session_id = self.recall_session_id
        self.submit(
            lambda vault: vault.templates.get(template_id),
            lambda template: self._start_recall(
                template, recalls.RecallDraft(template_id, session_id=session_id)
            ),
        )

    def _start_recall(self, template: Any, draft: recalls.RecallDraft) -> None:
        self.recall.start(template, draft, gentle=self.settings.gentle_mode)
        self.show_page("recall")
        self._on_draft_changed(draft)

    def _on_resume(self) -> None:
        from journal.core.journal import recall as recalls

        def load(vault: Vault) -> tuple[Any, recalls.RecallDraft] | None:
            draft = recalls.load_draft(vault)
            if draft is None:
                return None
            return vault.templates.get(draft.template_id), draft

        def show(result: tuple[Any, recalls.RecallDraft] | None) -> None:
            if result is None:
                self.go_home()
            else:
                self._start_recall(*result)

        self.submit(load, show)

    def _on_draft_changed(self, draft: recalls.RecallDraft) -> None:
        self._pending_draft = draft
        # Started by the first unsaved change, not restarted by later ones: a
        # person typing without pause is saved every AUTOSAVE_MS all the same.
        if not self.autosave.isActive():
            self.autosave.start()

    def flush_draft(self) -> None:
        """Save the pending draft now (on lock, close, or when the timer fires)."""
        from journal.core.journal import recall as recalls

        self.autosave.stop()
        draft, self._pending_draft = self._pending_draft, None
        if draft is None or not self.unlocked:
            return
        snapshot = recalls.RecallDraft.from_payload(draft.to_payload())
        self.submit(lambda vault: recalls.save_draft(vault, snapshot), lambda _r: None)

    def _on_recall_finished(self, draft: recalls.RecallDraft) -> None:
        from journal.core.journal import recall as recalls

        self.autosave.stop()
        self._pending_draft = None
        snapshot = recalls.RecallDraft.from_payload(draft.to_payload())

        def done(entry: Entry) -> None:
            self.recall.clear()
            self.statusBar().showMessage("Saved. Well done.", 8000)
            self.go_home()

        self.submit(lambda vault: recalls.finish(vault, snapshot), done)

    def _on_recall_paused(self, draft: recalls.RecallDraft) -> None:
        self._pending_draft = draft
        self.flush_draft()
        self.recall.clear()
        if dialogs.confirm(
            self,
            "Saved for later",
            "Your answers are saved. You can continue from the home screen "
            "whenever you like.\n\nLock the journal now?",
            yes="Lock now",
            no="Not now",
        ):
            self.place = Place("home")
            self.lock()
        else:
            self.go_home()

    # -- reading ----------------------------------------------------------------------

    def open_entry(self, entry_id: int) -> None:
        from journal.ui.imagery import thumbnail

        def load(vault: Vault) -> tuple[Any, ...]:
            entry = vault.entries.get(entry_id)
            earlier = (
                vault.entries.get(entry.reflection_of) if entry.reflection_of is not None else None
            )
            reflections = vault.entries.reflections_of(entry_id)
            attachments = {
                e.id: vault.attachments.for_entry(e.id)
                for e in (entry, *reflections)
                if e.id is not None
            }
            # Display copies of the pictures (the full size stays in the vault).
            images = {
                a.id: image
                for metas in attachments.values()
                for a in metas
                if a.is_picture
                and a.id is not None
                and (image := thumbnail(vault.attachments.data(a.id), side=840)) is not None
            }
            return entry, reflections, earlier, attachments, images

        def show(result: tuple[Any, ...]) -> None:
            self.entry_page.show_entry(*result)
            self.show_page("entry")

        self.submit(load, show)

    def _on_entry_edited(self, entry: Entry) -> None:
        self.submit(lambda vault: vault.entries.update(entry).id, self.open_entry)

    def _on_reflection(self, earlier_id: int, title: str, text: str) -> None:
        from journal.core.model import Answer, Entry, Phase

        reflection = Entry(
            phase=Phase.INTEGRATION,
            title=title,
            answers=[Answer("reflection", "Reflection", text=text)],
        )
        self.submit(
            lambda vault: vault.entries.add_reflection(earlier_id, reflection),
            lambda _e: self.open_entry(earlier_id),
        )

    def go_search(self) -> None:
        if not self.unlocked:
            return
        self.show_page("search")
        self.search_page.focus_field()

    def _on_search(self, query: str) -> None:
        sequence = self.search_page.next_sequence()
        self.submit(
            lambda vault: vault.search(query, limit=50),
            lambda hits: self.search_page.show_results(sequence, query, hits),
        )

    def _on_open_hit(self, hit: SearchHit) -> None:
        if hit.entry_id is not None:
            self.open_entry(hit.entry_id)
        elif hit.kind == "motif":
            self.go_motifs()
        else:
            self.go_home()

    def go_motifs(self) -> None:
        if self.unlocked:
            self.ensure_built()
            self.imagery.go_motifs()

    def open_settings(self) -> None:
        from journal.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            dialog.save()
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, self.settings.theme, self.settings.text_size)
            if self.unlocked:
                self._restart_idle_timer()

        dialog.accepted.connect(accepted)
        dialog.open()

    # -- errors and closing -------------------------------------------------------------

    def _on_error(self, error: BaseException) -> None:
        if isinstance(error, VaultLocked) and not self.unlocked:
            return  # work that arrived after locking
        self.show_failure(
            error, lambda text: dialogs.show_message(self, "Afterglow", text, warning=True)
        )

    def show_failure(
        self, error: BaseException, show: Callable[[str], object], *, bug_text: str = ""
    ) -> None:
        """Where a screen or dialog shows its own errors: a person's error as
        its sentence in ``show``; a bug reported as a bug (``bug_text``, if
        given, in ``show`` too)."""
        if isinstance(error, JournalError):
            show(error.message)
            return
        if bug_text:
            show(bug_text)
        self.report_bug(error)

    def report_bug(self, error: BaseException) -> None:
        dialogs.show_message(
            self,
            "Afterglow",
            f"Afterglow hit an unexpected problem ({type(error).__name__}). This is a bug; "
            "your saved entries are safe.",
            warning=True,
        )
        sys.excepthook(type(error), error, error.__traceback__)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        code_unsaved = (
            self.current_page() == "recovery_code" and self.recovery_code.code_label.text()
        )
        if code_unsaved and not dialogs.confirm(
            self,
            "Your recovery code",
            "The recovery code is shown only now. Have you written it down or saved it?",
            yes="Yes, close Afterglow",
            no="Go back to the code",
        ):
            event.ignore()
            return
        if self.built:
            self.sharing.close_readers()
        self.flush_draft()
        if self.unlocked:
            self.safekeeping.backup_if_due()  # the runner finishes it before closing
        clear_secrets(QGuiApplication.clipboard())
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._idle_watcher)
        self.runner.shutdown()
        event.accept()
