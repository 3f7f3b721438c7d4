"""The real app on the demo journal, stepped through its screens on request,
for a screen reader's view of each one (tests/gui/test_atspi.py).

    .venv/bin/python -m tools.atspi_app

Meant to run on a real display with the accessibility bus up (under
``dbus-run-session -- xvfb-run …``, with ``QT_QPA_PLATFORM=xcb``): Qt's
AT-SPI bridge exists only there, not offscreen.

The protocol, one line each way, on stdin and stdout:

- first ``bus ADDRESS``: the D-Bus session the app is on (a walker must use it);
- then ``ready unlock`` once the unlock page is up;
- for each screen name read from stdin (`Driver.steps`, or ``menu:TITLE`` for
  one of the menu bar's menus, open), ``ready NAME`` when it is shown and
  settled, or ``failed NAME: why`` when it cannot be reached;
- ``quit`` (or the end of stdin) closes the window and ends the app.

Everything else (Qt's warnings) goes to stderr.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_LINUX_ACCESSIBILITY_ALWAYS_ON", "1")

from PySide6.QtCore import QEventLoop, QObject, QSettings, QTimer, Signal
from PySide6.QtDBus import QDBusConnection
from PySide6.QtWidgets import QApplication, QDialog, QMenu

from journal.core.journal.demo_vault import DEMO_PASSPHRASE, demo_journal
from journal.core.model import CheckinKind
from journal.ui.main_window import MainWindow
from journal.ui.runner import VaultRunner
from journal.ui.settings import Settings
from journal.ui.theme import apply as apply_theme

MENU = "menu:"  # "menu:File" opens the File menu
STEP_TIMEOUT_MS = 30_000
SETTLE_MS = 400


def wait_for(condition: Callable[[], bool], timeout_ms: int = STEP_TIMEOUT_MS) -> None:
    """Turn the event loop until ``condition`` holds; TimeoutError if it never does."""
    waited = 0
    while not condition():
        settle(20)
        waited += 20
        if waited > timeout_ms:
            raise TimeoutError("the app did not get there in time")


def settle(ms: int = SETTLE_MS) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class Driver:
    """Brings the window to each screen by the way a person would get there."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.steps: dict[str, Callable[[], None]] = {
            "home": self.home,
            "session_form": self.session_form,
            "template_choice": self.template_choice,
            "recall": self.recall,
            "entry": self.entry,
            "search": self.search,
            "motifs": self.motifs,
            "checkin": self.checkin,
            "mood": self.mood,
            "questionnaire": self.questionnaire,
            "trends": self.trends,
            "prepare": self.prepare,
            "import": self.importing,
            "settings": self.settings,
        }

    def idle(self) -> bool:
        return not self.window.runner.busy

    def on_page(self, name: str) -> Callable[[], bool]:
        return lambda: self.window.current_page() == name and self.idle()

    def run(self, name: str) -> None:
        step = self.steps.get(name)
        if name.startswith(MENU):
            step = partial(self.menu, name.removeprefix(MENU))
        if step is None:
            say(f"failed {name}: no such screen (known: {', '.join(self.steps)})")
            return
        try:
            self.close_dialogs()
            step()
            wait_for(self.idle)
            settle()
        except Exception as error:  # the test reads the reason; the app goes on
            traceback.print_exc()
            say(f"failed {name}: {type(error).__name__}: {error}")
            return
        say(f"ready {name}")

    def close_dialogs(self) -> None:
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        settle(100)

    # -- the screens ------------------------------------------------------------------

    def home(self) -> None:
        window = self.window
        if not window.unlocked:
            window.unlock_page.passphrase.setText(DEMO_PASSPHRASE)
            window.unlock_page.submit.click()
            wait_for(lambda: window.unlocked)
        window.go_home()
        wait_for(self.on_page("home"))

    def session_form(self) -> None:
        """ "About this session", as the home's "After my session" opens it."""
        self.home()
        self.window.home.start.click()
        wait_for(self.on_page("session_form"))

    def template_choice(self) -> None:
        """The list of templates, as "Another template…" on the session form opens it."""
        if self.window.current_page() != "session_form":
            self.session_form()
        self.window.session_form.choose.click()
        wait_for(self.on_page("template_choice"))

    def recall(self) -> None:
        """The guided recall at its first prompt: "Continue to journaling" on
        the session form (straight on to the right-after template, or by the
        list of templates with it chosen)."""
        window = self.window
        if window.current_page() == "template_choice":
            window.template_choice.begin.click()
        else:
            if window.current_page() != "session_form":
                self.session_form()
            window.session_form.proceed.click()
            wait_for(lambda: window.current_page() in ("template_choice", "recall") and self.idle())
            if window.current_page() == "template_choice":
                window.template_choice.begin.click()
        wait_for(lambda: self.on_page("recall")() and bool(window.recall.blocks))

    def entry(self) -> None:
        self.window.open_entry(1)
        wait_for(self.on_page("entry"))

    def search(self) -> None:
        """Search with a word the demo journal holds, so there are results."""
        window = self.window
        window.go_search()
        wait_for(self.on_page("search"))
        window.search_page.field.setText("door")
        wait_for(lambda: window.search_page.model.rowCount() > 0)

    def motifs(self) -> None:
        window = self.window
        window.go_motifs()
        wait_for(lambda: self.on_page("motifs")() and window.motifs_page.detail is not None)

    def checkin(self) -> None:
        self.window.flows.checkins.go_checkin()
        wait_for(self.on_page("checkin"))

    def mood(self) -> None:
        self.checkin()
        self.window.flows.checkins.hub.mood.click()
        wait_for(self.on_page("mood"))

    def questionnaire(self) -> None:
        self.window.flows.checkins.start_questionnaire(CheckinKind.PHQ9)
        wait_for(self.on_page("questionnaire"))

    def trends(self) -> None:
        self.window.flows.checkins.go_trends()
        wait_for(self.on_page("trends"))

    def prepare(self) -> None:
        """ "Prepare for therapy", with what may be shared listed."""
        window = self.window
        window.flows.sharing.go_prepare()
        wait_for(lambda: self.on_page("prepare")() and window.prepare_page.tree.topLevelItemCount())

    def importing(self) -> None:
        self.window.menu_actions.import_journal.trigger()
        wait_for(self.on_page("import"))

    def menu(self, title: str) -> None:
        """One of the menu bar's menus, open (as F10 or a click opens it)."""
        bar = self.window.menuBar()
        for action in bar.actions():
            menu = action.menu()
            if isinstance(menu, QMenu) and action.text().replace("&", "") == title:
                bar.setActiveAction(action)
                wait_for(menu.isVisible)
                return
        titles = [action.text().replace("&", "") for action in bar.actions()]
        raise LookupError(f"no menu {title!r} in the menu bar: {titles}")

    def settings(self) -> None:
        self.window.open_settings()
        wait_for(lambda: any(isinstance(w, QDialog) and w.isVisible() for w in dialogs()))


def dialogs() -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog)]


class Requests(QObject):
    """Lines from stdin, read on a thread, delivered on the GUI thread one at a
    time (a step turns the event loop; the next waits until it is done)."""

    line = Signal(str)

    def __init__(self, handle: Callable[[str], None]) -> None:
        super().__init__()
        self._handle = handle
        self._queue: list[str] = []
        self._busy = False
        self.line.connect(self._on_line)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in sys.stdin:
            if line.strip():
                self.line.emit(line.strip())
        self.line.emit("quit")

    def _on_line(self, line: str) -> None:
        self._queue.append(line)
        if self._busy:
            return
        self._busy = True
        try:
            while self._queue:
                self._handle(self._queue.pop(0))
        finally:
            self._busy = False


def start_accessibility_bus() -> None:
    """Qt's AT-SPI bridge joins the accessibility bus when it appears, but does
    not start it (a desktop session does); under a bare ``dbus-run-session``
    the session bus starts it (``at-spi-bus-launcher``) on request."""
    bus = QDBusConnection.sessionBus()
    interface = bus.interface() if bus.isConnected() else None
    if interface is None:
        sys.stderr.write("atspi_app: no D-Bus session bus, so no accessibility bus\n")
        return
    reply = interface.startService("org.a11y.Bus")
    if not reply.isValid():
        sys.stderr.write(
            f"atspi_app: the accessibility bus did not start: {reply.error().message()}\n"
        )


def main() -> int:
    app = QApplication(sys.argv[:1])
    start_accessibility_bus()
    app.setApplicationName("Afterglow")
    app.setApplicationDisplayName("Afterglow")
    say(f"bus {os.environ.get('DBUS_SESSION_BUS_ADDRESS', '')}")
    with tempfile.TemporaryDirectory(prefix="afterglow-atspi-") as scratch, demo_journal() as path:
        settings = Settings(
            QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        )
        apply_theme(app, settings.theme, settings.text_size)
        runner = VaultRunner()
        window = MainWindow(runner=runner, settings=settings, vault_path=path, demo=True)
        driver = Driver(window)

        def handle(line: str) -> None:
            if line == "quit":
                driver.close_dialogs()
                window.close()
                app.quit()
            else:
                driver.run(line)

        window.unlock_page.set_demo_hint(DEMO_PASSPHRASE)
        window.show()
        wait_for(lambda: window.isVisible() and window.built)
        settle()
        say("ready unlock")
        requests = Requests(handle)
        try:
            return app.exec()
        finally:
            requests.deleteLater()
            runner.shutdown()


if __name__ == "__main__":
    sys.exit(main())
