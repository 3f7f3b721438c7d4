"""Starting the desktop app (and the demo)."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFileOpenEvent, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from journal import APP_ID
from journal.core.hardening import DEBUG_ENV, disable_core_dumps, install_quiet_excepthook
from journal.core.vault.paths import VaultPaths
from journal.ui.event_filters import FirstPaint
from journal.ui.instance import InstanceGuard, bring_forward
from journal.ui.main_window import MainWindow
from journal.ui.runner import VaultRunner
from journal.ui.settings import Settings
from journal.ui.theme import apply as apply_theme
from journal.ui.theme import icons_folder


def app_icon() -> QIcon:
    """The app's icon at every size drawn for it (the window icon of every window)."""
    icons = icons_folder()
    icon = QIcon()
    hicolor = icons / "hicolor"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        if png.is_file():
            icon.addFile(str(png))
    svg = icons / f"{APP_ID}.svg"
    if svg.is_file():
        icon.addFile(str(svg))
    return icon


def _identify(app: QApplication) -> None:
    app.setApplicationName("Afterglow")
    app.setApplicationDisplayName("Afterglow")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())


# Only macOS hands a double-clicked file over as a QFileOpenEvent. Elsewhere
# no filter is installed: one on the application sees every event of every
# widget, each a call into Python.
FILE_OPEN_EVENTS = sys.platform == "darwin"


class FileOpenFilter(QObject):
    """macOS hands a double-clicked file to the running app as a
    ``QFileOpenEvent`` (not as an argument): its reader opens for it."""

    def __init__(self, open_file: Callable[[Path], None], parent: QObject) -> None:
        super().__init__(parent)
        self._open_file = open_file

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            if event.file():
                self._open_file(Path(event.file()))
            return True
        return super().eventFilter(watched, event)


def _close_on_termination(window: QWidget) -> None:
    """SIGTERM / SIGINT close the window like the person would: the draft is
    saved, the vault closed, a demo deleted. A timer lets Python's signal
    handlers run while Qt's event loop waits."""
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_args: window.close())
    ticker = QTimer(window)
    ticker.timeout.connect(lambda: None)
    ticker.start(250)


def _interrupt(*_args: object) -> None:
    raise KeyboardInterrupt


def run(vault_path: Path) -> int:
    """Show the main window until it is closed; returns the exit status."""
    return _run(vault_path, demo=False)


def run_demo() -> int:
    """The demo, in a temporary folder of its own, until its window is closed.

    The demo's window comes first; its sample journal is made on the vault
    thread after the first paint and opened at once. Its folder goes when
    the demo ends: a SIGTERM before the window can close ends the start as
    Ctrl+C does, through the ``finally`` of `demo_folder`."""
    from journal.core.journal.demo_vault import VAULT_NAME, demo_folder

    signal.signal(signal.SIGTERM, _interrupt)
    with demo_folder() as folder:
        return _run(folder / VAULT_NAME, demo=True)


def _quiet_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's warnings can quote file paths; print only their kind and category."""
    if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
        return
    category = context.category or "qt"
    sys.stderr.write(
        f"Qt {kind.name.removeprefix('Qt').removesuffix('Msg').lower()} ({category})\n"
    )


def harden() -> None:
    """No core dumps; no content-bearing text in logs (unless AFTERGLOW_DEBUG=1)."""
    disable_core_dumps()
    install_quiet_excepthook()
    if os.environ.get(DEBUG_ENV) != "1":
        qInstallMessageHandler(_quiet_qt_message)


ALREADY_OPEN = (
    "Afterglow is already open for this journal, so its window was brought to the front. "
    "Only one Afterglow can use a journal at a time."
)


def _run(vault_path: Path, *, demo: bool) -> int:
    harden()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    _identify(app)
    settings = Settings()
    apply_theme(app, settings.theme, settings.text_size)
    guard = InstanceGuard(vault_path, app)
    if not guard.acquire():
        from PySide6.QtWidgets import QMessageBox  # its Python class costs ~0.5 ms to make

        guard.request_raise()
        QMessageBox.information(None, "Afterglow", ALREADY_OPEN)
        return 0
    runner = VaultRunner()
    window = MainWindow(runner=runner, settings=settings, vault_path=vault_path, demo=demo)
    connect_instance(app, guard, window)
    painted = None
    if demo:
        from journal.core.journal.demo_vault import DEMO_PASSPHRASE

        window.unlock_page.set_demo_hint(DEMO_PASSPHRASE)
        window.unlock_page.passphrase.setText(DEMO_PASSPHRASE)
        window.unlock_page.set_busy(True)
        painted = FirstPaint(lambda: window.opening.open_demo(vault_path.parent))
        window.installEventFilter(painted)
    window.show()
    _close_on_termination(window)
    try:
        return app.exec()
    finally:
        runner.shutdown()
        guard.release()


def connect_instance(app: QApplication, guard: InstanceGuard, window: MainWindow) -> None:
    """What a second start or the desktop asks of the running app: its
    window forward, or a bundle opened in its reader (handed over by
    `forward_bundle`, or as macOS's ``QFileOpenEvent``)."""
    guard.raise_requested.connect(lambda: bring_forward(window))
    guard.open_requested.connect(window.open_bundle_path)
    if FILE_OPEN_EVENTS:
        app.installEventFilter(FileOpenFilter(window.open_bundle_path, window))


FORWARDED = "Afterglow is already open, so the bundle opens in its window."


def forward_bundle(bundle_path: Path, vault_path: Path) -> bool:
    """Hand ``bundle_path`` to the Afterglow already running on this journal
    (True), or say there is none (False): no second window of the journal."""
    guard = InstanceGuard(vault_path)
    if guard.acquire():
        guard.release()
        return False
    guard.request_open(bundle_path)
    return True


def run_reader(bundle_path: Path, vault_path: Path) -> int:
    """The therapist's reader as its own window (no journal needs to be open);
    more bundles double-clicked meanwhile (macOS) open beside it."""
    from journal.ui.reader import ReaderWindow

    harden()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    _identify(app)
    settings = Settings()
    apply_theme(app, settings.theme, settings.text_size)
    runner = VaultRunner()
    has_vault = VaultPaths(vault_path).exists()
    windows: list[QWidget] = []

    def open_reader(path: Path) -> None:
        window = ReaderWindow(
            bundle_path=path, vault_path=vault_path if has_vault else None, runner=runner
        )
        windows.append(window)
        window.show()

    open_reader(bundle_path)
    if FILE_OPEN_EVENTS:
        app.installEventFilter(FileOpenFilter(open_reader, app))
    _close_on_termination(windows[0])
    try:
        return app.exec()
    finally:
        runner.shutdown()
