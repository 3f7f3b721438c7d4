"""Locking: manual and idle; drafts saved, editors and undo stacks cleared,
the database closed, and back to the same place after unlocking."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from journal.core.errors import VaultInUse
from journal.core.journal import recall as recalls
from journal.core.vault import vault as vaults
from journal.ui.event_filters import IdleWatcher
from tests.conftest import PASSPHRASE
from tests.gui.conftest import WindowFactory, run_in_vault, type_text, unlock


def _start_free_recall(qtbot: QtBot, window: object) -> QPlainTextEdit:
    window.home.free.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.current_page() == "template_choice")  # type: ignore[attr-defined]
    window.template_choice.begin.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.current_page() == "recall")  # type: ignore[attr-defined]
    editor = window.recall.blocks[0].answer  # type: ignore[attr-defined]
    assert isinstance(editor, QPlainTextEdit)
    return editor


def test_ctrl_l_saves_the_draft_clears_editors_and_returns_to_the_same_place(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    editor = _start_free_recall(qtbot, window)
    type_text(editor, "typed just before locking ✍")
    assert editor.document().isUndoAvailable()
    gone: list[bool] = []
    editor.destroyed.connect(lambda: gone.append(True))
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == "unlock"
    assert window.recall.blocks == []
    assert window.home.model.rowCount() == 0
    assert not window.menu_actions.toolbar.isVisible()
    qtbot.waitUntil(lambda: bool(gone) and not window.runner.busy)
    # The database is closed: another process could open the vault now.
    with vaults.unlock(demo_vault, PASSPHRASE) as other:
        assert recalls.load_draft(other).texts["text"] == "typed just before locking ✍"  # type: ignore[union-attr]
    unlock_to_recall(qtbot, window)
    restored = window.recall.blocks[0].answer
    assert isinstance(restored, QPlainTextEdit)
    assert restored.toPlainText() == "typed just before locking ✍"
    assert not restored.document().isUndoAvailable()  # a fresh editor, no old undo history


def unlock_to_recall(qtbot: QtBot, window: object) -> None:
    window.unlock_page.passphrase.setText(PASSPHRASE)  # type: ignore[attr-defined]
    qtbot.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.current_page() == "recall")  # type: ignore[attr-defined]


def test_lock_while_editing_an_entry_clears_the_editor(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    window.open_entry(1)
    qtbot.waitUntil(lambda: window.current_page() == "entry")
    window.entry_page.edit_button.click()
    type_text(window.entry_page._editors[0][1], " unsaved words")
    window.lock()
    assert window.entry_page._editors == []
    assert window.entry_page.reader.toPlainText() == ""
    assert window.entry_page.entry is None
    unlock_page_then(qtbot, window, "entry")
    assert "unsaved words" not in window.entry_page.reader.toPlainText()


def unlock_page_then(qtbot: QtBot, window: object, page: str) -> None:
    window.unlock_page.passphrase.setText(PASSPHRASE)  # type: ignore[attr-defined]
    window.unlock_page.submit.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.current_page() == page and not window.runner.busy)  # type: ignore[attr-defined]


def test_auto_lock_after_idle_time(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    assert window.idle.isActive() and window.idle.interval() == 10 * 60_000
    window.idle.setInterval(150)
    window.idle.start()
    qtbot.waitUntil(lambda: window.current_page() == "unlock", timeout=5000)
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert run_in_vault_fails(qtbot, window)


def test_the_idle_filter_sees_events_only_while_unlocked(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While locked, no Python filter sits on every event of the app (start-up
    pays for each one); once unlocked, the auto-lock's filter sees every key."""
    seen: list[QEvent.Type] = []
    original = IdleWatcher.eventFilter

    def counting(self: IdleWatcher, watched: QObject, event: QEvent) -> bool:
        seen.append(event.type())
        return original(self, watched, event)

    monkeypatch.setattr(IdleWatcher, "eventFilter", counting)
    window = make_window(demo_vault)
    qtbot.keyClick(window, Qt.Key.Key_Shift)  # type: ignore[arg-type]
    assert seen == []
    unlock(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Shift)  # type: ignore[arg-type]
    assert QEvent.Type.KeyPress in seen
    window.lock()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.current_page() == "unlock" and not window.runner.busy)  # type: ignore[attr-defined]
    seen.clear()
    qtbot.keyClick(window, Qt.Key.Key_Shift)  # type: ignore[arg-type]
    assert seen == []


def run_in_vault_fails(qtbot: QtBot, window: object) -> bool:
    from journal.core.errors import VaultLocked

    try:
        run_in_vault(qtbot, window, lambda v: v.entries.count())  # type: ignore[arg-type]
    except VaultLocked:
        return True
    return False


def test_lock_closes_open_dialogs(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    window.open_settings()
    from journal.ui.settings_dialog import SettingsDialog

    dialog = window.findChild(SettingsDialog)
    assert dialog is not None and dialog.isVisible()
    window.lock()
    assert not dialog.isVisible()


def test_a_second_window_on_the_same_vault_is_told_clearly(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    first = make_window(demo_vault)
    unlock(qtbot, first)
    second = make_window(demo_vault)
    second.unlock_page.passphrase.setText(PASSPHRASE)
    second.unlock_page.submit.click()
    qtbot.waitUntil(lambda: second.unlock_page.error.text() != "")
    assert second.unlock_page.error.text() == VaultInUse().message


def test_sleep_or_screen_lock_locks(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    window.session_watch.on_screen_saver(False)
    assert window.current_page() == "home"
    window.session_watch.on_prepare_for_sleep(True)
    assert window.current_page() == "unlock"
    unlock(qtbot, window)
    window.session_watch.on_screen_saver(True)
    assert window.current_page() == "unlock"


_LISTENER = """
import os, subprocess
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from journal.ui.session_watch import SessionWatcher
app = QApplication([])
watcher = SessionWatcher()
hits = []
watcher.lock_requested.connect(lambda: (hits.append(1), app.quit()))
subprocess.run(["dbus-send", "--session", "--type=signal", "/org/freedesktop/ScreenSaver",
                "org.freedesktop.ScreenSaver.ActiveChanged", "boolean:true"], check=True)
QTimer.singleShot(10_000, app.quit)
app.exec()
print("locks", len(hits))
"""


@pytest.mark.slow
@pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("dbus-send")), reason="needs D-Bus"
)
def test_a_real_screen_saver_signal_over_d_bus_requests_a_lock() -> None:
    result = subprocess.run(
        [
            shutil.which("dbus-run-session") or "dbus-run-session",
            "--",
            sys.executable,
            "-c",
            _LISTENER,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=Path.cwd(),
    )
    assert result.stdout.strip().endswith("locks 1"), result.stdout + result.stderr
