"""Settings, themes, the demo, and a draft surviving a killed process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from journal.core.journal import recall as recalls
from journal.core.journal.demo_vault import DEMO_PASSPHRASE, demo_journal
from journal.core.vault import vault as vaults
from journal.ui import settings as keys
from journal.ui.runner import VaultRunner
from journal.ui.settings import Settings
from journal.ui.settings_dialog import SettingsDialog
from journal.ui.theme import THEMES, contrast_ratio, stylesheet
from journal.ui.theme import apply as apply_theme
from tests.conftest import PASSPHRASE
from tests.gui.conftest import WindowFactory, unlock


@pytest.mark.parametrize("name", ["calm_dark", "high_contrast"])
def test_body_text_contrast_is_at_least_7_to_1(name: str) -> None:
    theme = THEMES[name]
    for fg, bg in (
        (theme.text, theme.background),
        (theme.text, theme.surface),
        (theme.muted, theme.background),
        (theme.muted, theme.surface),
        (theme.on_accent, theme.accent),
        (theme.text, theme.highlight),
    ):
        assert contrast_ratio(fg, bg) >= 7.0, (fg, bg)


def test_light_theme_meets_aa_at_least() -> None:
    theme = THEMES["light"]
    assert contrast_ratio(theme.text, theme.background) >= 7.0
    assert contrast_ratio(theme.muted, theme.background) >= 4.5


def test_contrast_formula_matches_wcag() -> None:
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#777777", "#ffffff"), 2) == 4.48


def test_default_text_is_large(settings: Settings) -> None:
    assert settings.text_size >= 20
    assert "font-size: 20pt" in stylesheet(THEMES["calm_dark"], settings.text_size)


def test_settings_dialog_stores_only_appearance(
    qtbot: QtBot, tmp_path: Path, settings: Settings
) -> None:
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.theme.setCurrentIndex(dialog.theme.findData("high_contrast"))
    dialog.text_size.setValue(26)
    dialog.gentle.setChecked(False)
    dialog.auto_lock.setValue(5)
    dialog.save()
    assert (
        settings.theme,
        settings.text_size,
        settings.gentle_mode,
        settings.auto_lock_minutes,
    ) == ("high_contrast", 26, False, 5)
    stored = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert set(stored.allKeys()) == {s.key for s in keys.DIALOG}


def test_out_of_range_settings_fall_back_to_defaults(settings: Settings) -> None:
    settings.set(keys.TEXT_SIZE, 400)
    settings.set(keys.THEME, "neon")
    settings.set(keys.AUTO_LOCK_MINUTES, "soon")
    assert (settings.text_size, settings.theme, settings.auto_lock_minutes) == (20, "calm_dark", 10)


def test_demo_is_labelled_and_deleted_afterwards(qtbot: QtBot, make_window: WindowFactory) -> None:
    with demo_journal() as path:
        folder = path.parent
        window = make_window(path, demo=True)
        assert window.windowTitle() == "DEMO journal" and window.demo_banner.isVisible()
        unlock(qtbot, window, DEMO_PASSPHRASE)
        assert window.home.model.rowCount() == 15  # 4 sessions, 10 entries, a meditation
        window.close()
        window.runner.shutdown()
    assert not folder.exists()


_TYPIST = textwrap.dedent(
    """
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pathlib import Path
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication
    from journal.ui.main_window import MainWindow
    from journal.ui.runner import VaultRunner
    from journal.ui.settings import Settings
    from tests.gui.conftest import type_text

    app = QApplication([])
    def wait_for(condition):
        while not condition():
            loop = QEventLoop(); QTimer.singleShot(20, loop.quit); loop.exec()
    settings = Settings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
    window = MainWindow(runner=VaultRunner(), settings=settings, vault_path=Path(sys.argv[1]))
    window.show()
    window.unlock_page.passphrase.setText(sys.argv[3])
    window.unlock_page.submit.click()
    wait_for(lambda: window.current_page() == "home")
    window.home.free.click()
    wait_for(lambda: window.current_page() == "template_choice")
    window.template_choice.begin.click()
    wait_for(lambda: window.current_page() == "recall")
    type_text(window.recall.blocks[0].answer, "still here after the crash 🌙")
    # Until the autosave timer has fired and the vault thread has saved the
    # draft (a fixed second was too short on a loaded machine).
    autosave = window.flows.journaling.autosave
    wait_for(lambda: not autosave.isActive() and not window.runner.busy)
    print("typed", flush=True)
    time.sleep(120)
    """
)


@pytest.mark.slow
def test_autosaved_draft_survives_a_killed_process(demo_vault: Path, tmp_path: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", _TYPIST, str(demo_vault), str(tmp_path / "s.ini"), PASSPHRASE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path.cwd(),
    ) as typist:
        try:
            assert typist.stdout is not None
            line = typist.stdout.readline()
            assert line.strip() == "typed", typist.stderr.read() if typist.stderr else ""
        finally:
            os.kill(typist.pid, signal.SIGKILL)
            typist.wait()
    with vaults.unlock(demo_vault, PASSPHRASE) as vault:
        assert vault.check() == []
        draft = recalls.load_draft(vault)
        assert draft is not None
        assert draft.texts["text"] == "still here after the crash 🌙"


def test_the_unlock_window_comes_first_and_the_rest_follows(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    assert window.current_page() == "unlock"
    assert not window.built and "home" not in window.pages  # not yet: the window shows first
    qtbot.waitUntil(lambda: window.built, timeout=10_000)  # built after the first paint
    assert {"home", "recall", "trends", "prepare", "safety"} <= set(window.pages)


def test_unlocking_before_the_pages_are_built_builds_them_at_once(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    assert not window.built
    unlock(qtbot, window)
    assert window.built and window.home.model.rowCount() > 0


def test_shutdown_finishes_pending_work_when_no_event_loop_may_run(qapp: QApplication) -> None:
    """Once the application is quitting (or its display is gone) nested event
    loops refuse to run; the runner must still finish the last work — without
    spinning (it once looped, allocating timers, until it ran out of memory)."""
    QCoreApplication.exit(0)  # from now on QEventLoop.exec() returns at once
    try:
        probe = QEventLoop()
        QTimer.singleShot(10, probe.quit)
        assert probe.exec() == -1
        runner = VaultRunner()
        delivered: list[str] = []
        runner.run(lambda: (time.sleep(0.3), "saved")[1], delivered.append)
        started = time.monotonic()
        runner.shutdown(timeout_ms=3000)
        assert delivered == ["saved"] and time.monotonic() - started < 3
    finally:
        QTimer.singleShot(0, qapp.quit)
        qapp.exec()  # starts and ends a loop, which clears the "quitting" state


def test_the_window_fits_a_1024_by_600_screen(
    qtbot: QtBot,
    qapp: QApplication,
    make_window: WindowFactory,
    vault_path: Path,
    settings: Settings,
) -> None:
    """No page may make the window wider or taller than a small screen at the
    theme's 20 pt type: the window's smallest size is its largest page's."""
    font, sheet, palette = qapp.font(), qapp.styleSheet(), qapp.palette()
    apply_theme(qapp, settings.theme, settings.text_size)
    try:
        window = make_window(vault_path)
        window.ensure_built()
        wide = {
            name: page.minimumSizeHint().width()
            for name, page in window.pages.items()
            if page.minimumSizeHint().width() > 1024
        }
        assert wide == {}
        hint = window.minimumSizeHint().expandedTo(window.minimumSize())
        assert hint.width() <= 1024 and hint.height() <= 600, hint
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setFont(font)
        qapp.setPalette(palette)


def test_every_window_has_the_app_icon_and_id(qapp: QApplication) -> None:
    from journal import APP_ID
    from journal.ui import app as app_module

    app_module._identify(qapp)
    assert qapp.desktopFileName() == APP_ID
    sizes = {s.width() for s in qapp.windowIcon().availableSizes()}
    assert {16, 32, 48, 256} <= sizes
    window = QWidget()
    assert window.windowIcon().cacheKey() == qapp.windowIcon().cacheKey()
    image = qapp.windowIcon().pixmap(16, 16).toImage()
    assert any(image.pixelColor(x, y).alpha() > 0 for x in range(16) for y in range(16))
