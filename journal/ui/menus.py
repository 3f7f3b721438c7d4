"""The main window's actions, its menus and its toolbar.

Each action calls the window or one of its flows (`MenuTarget`); a flow not
built yet is built first. The journal's own actions are enabled only while it
is unlocked (`set_unlocked`); opening a bundle, restoring a backup, the crisis
lines and quitting always work. In a therapist's workspace (`set_role`) the
journal's own actions — writing, checking in, preparing for therapy, the
export of everything — are hidden, and home is the patients.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QSizePolicy, QToolBar, QToolButton, QWidget

if TYPE_CHECKING:
    from journal.ui.composition import Flows


class MenuTarget(Protocol):
    """What the window's actions call."""

    flows: Flows

    def go_home(self) -> None: ...
    def go_search(self) -> None: ...
    def go_motifs(self) -> None: ...
    def open_settings(self) -> None: ...
    def show_crisis(self) -> None: ...
    def lock(self) -> None: ...
    def close(self) -> bool: ...


class WindowActions:
    """The actions, added to ``window`` with their shortcuts, menus and toolbar."""

    def __init__(self, window: QMainWindow, target: MenuTarget) -> None:
        self._window = window

        def action(text: str, shortcut: str | None, slot: Callable[[], Any]) -> QAction:
            made = QAction(text, window)
            if shortcut:
                made.setShortcut(QKeySequence(shortcut))
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            made.triggered.connect(slot)
            window.addAction(made)
            return made

        def built(call: Callable[[Flows], object]) -> Callable[[], None]:
            """``call`` with the window's flows, once every one is built."""

            def run() -> None:
                target.flows.ensure_built()
                call(target.flows)

            return run

        self.home = action("Home", "Ctrl+H", target.go_home)
        self.search = action("Search", "Ctrl+F", target.go_search)
        self.motifs = action("Motifs", "Ctrl+M", target.go_motifs)
        self.settings = action("Settings…", "Ctrl+,", target.open_settings)
        self.lock = action("Lock now", "Ctrl+L", target.lock)
        self.prepare = action(
            "Prepare for therapy…", "Ctrl+E", built(lambda f: f.sharing.go_prepare())
        )
        self.open_bundle = action(
            "Open bundle…", "Ctrl+O", built(lambda f: f.sharing.open_bundle())
        )
        self.sharing_key = action(
            "My sharing key…", None, built(lambda f: f.sharing.show_sharing_key())
        )
        self.quit = action("Quit", "Ctrl+Q", target.close)
        self.checkin = action("Check in", "Ctrl+K", built(lambda f: f.checkins.go_checkin()))
        self.trends = action("Trends", "Ctrl+T", built(lambda f: f.checkins.go_trends()))
        self.before = action("Before my session", None, built(lambda f: f.before.start()))
        self.meditate = action("Meditate", None, built(lambda f: f.before.meditate()))
        self.next_session = action(
            "My next session…", None, built(lambda f: f.before.set_next_session())
        )
        self.next_appointment = action(
            "My next therapy appointment…",
            None,
            built(lambda f: f.before.set_next_appointment()),
        )
        self.crisis = action("If you are in crisis", None, target.show_crisis)
        self.backup = action("Back up now…", None, built(lambda f: f.safekeeping.back_up_now()))
        self.restore = action(
            "Restore from backup…", None, built(lambda f: f.safekeeping.open_restore())
        )
        self.export_all = action(
            "Export everything…", None, built(lambda f: f.safekeeping.open_export())
        )
        self.import_journal = action(
            "Import from another journal…", None, built(lambda f: f.importing.start())
        )
        self.use_sync_folder = action(
            "Use a synced folder…", None, built(lambda f: f.syncing.open_setup())
        )
        self.sync_now = action("Sync now", "F5", built(lambda f: f.syncing.sync_now()))
        self.sync_status = action(
            "Sync and conflicts…", "Ctrl+Shift+S", built(lambda f: f.syncing.go_sync())
        )
        # In a workspace: the toolbar's way to the two things a therapist does first.
        self.toolbar_open_bundle = action(
            "Open a bundle…", None, built(lambda f: f.sharing.open_bundle())
        )
        self.toolbar_sharing_key = action(
            "My sharing key…", None, built(lambda f: f.sharing.show_sharing_key())
        )
        self._sync_actions = (self.use_sync_folder, self.sync_now, self.sync_status)
        self._journal_actions = (
            self.home,
            self.search,
            self.motifs,
            self.lock,
            self.prepare,
            self.sharing_key,
            self.checkin,
            self.trends,
            self.backup,
            self.export_all,
            self.import_journal,
            self.before,
            self.meditate,
            self.next_session,
            self.next_appointment,
            *self._sync_actions,
        )
        # What a journal has and a workspace does not.
        self._journal_only = (
            self.search,
            self.motifs,
            self.prepare,
            self.checkin,
            self.trends,
            self.export_all,
            self.import_journal,
            self.before,
            self.meditate,
            self.next_session,
            self.next_appointment,
            *self._sync_actions,
        )
        self._workspace_only = (self.toolbar_open_bundle, self.toolbar_sharing_key)
        self.workspace = False
        self._build_menus()
        self.toolbar = self._build_toolbar()
        window.addToolBar(self.toolbar)
        self.set_role(workspace=False)

    def _build_menus(self) -> None:
        bar = self._window.menuBar()
        file_menu = bar.addMenu("&File")
        for item in (
            self.prepare,
            self.open_bundle,
            None,
            self.backup,
            self.restore,
            self.export_all,
            self.import_journal,
            None,
            *self._sync_actions,
            None,
            self.settings,
            self.lock,
            self.quit,
        ):
            if item is None:
                file_menu.addSeparator()
            else:
                file_menu.addAction(item)
        self.journal_menu = bar.addMenu("&Journal")
        for item in (self.before, self.meditate, self.next_session, self.next_appointment):
            self.journal_menu.addAction(item)
        bar.addMenu("&Sharing").addAction(self.sharing_key)
        bar.addMenu("&Help").addAction(self.crisis)

    def _build_toolbar(self) -> QToolBar:
        toolbar = QToolBar("Main")
        toolbar.setAccessibleName("Main toolbar")
        toolbar.setMovable(False)
        for item in (
            self.home,
            self.search,
            self.checkin,
            self.trends,
            self.motifs,
            self.prepare,
            *self._workspace_only,
        ):
            toolbar.addAction(item)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addAction(self.lock)
        for item in toolbar.actions():
            widget = toolbar.widgetForAction(item)
            if widget is not None and item.text():
                widget.setAccessibleName(item.text().rstrip("…"))
                # Reachable with Tab, like every other control (a toolbar's
                # buttons take no keyboard focus by default).
                widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        # The "»" Qt shows when the actions do not fit (large type): named too.
        more = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
        if more is not None:
            more.setAccessibleName("More toolbar actions")
        return toolbar

    def set_unlocked(self, unlocked: bool) -> None:
        self.toolbar.setVisible(unlocked)
        for item in (*self._journal_actions, *self._workspace_only):
            item.setEnabled(unlocked and self._belongs(item))

    def set_role(self, *, workspace: bool) -> None:
        """A journal's actions, or a workspace's (home named "Patients")."""
        self.workspace = workspace
        for item in (*self._journal_only, *self._workspace_only):
            item.setVisible(self._belongs(item))
            item.setEnabled(item.isEnabled() and self._belongs(item))
        self.journal_menu.menuAction().setVisible(not workspace)
        self.home.setText("Patients" if workspace else "Home")
        widget = self.toolbar.widgetForAction(self.home)
        if widget is not None:
            widget.setAccessibleName(self.home.text())

    def _belongs(self, item: QAction) -> bool:
        """Whether ``item`` makes sense in this vault (a journal or a workspace)."""
        if item in self._journal_only:
            return not self.workspace
        return self.workspace if item in self._workspace_only else True
