"""First run, unlock, recovery — keyboard only, on a real vault."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.qtbot import QtBot

from journal.core.vault import keyfile as kf
from journal.core.vault import vault as vaults
from journal.ui.main_window import MainWindow
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import WindowFactory, type_text, unlock

MAIN_NAMES = [
    "Passphrase",
    "Unlock",
    "Create my journal",
    "Start after-session journaling",
    "Answer",
    "Next prompt",
    "Previous prompt",
    "Finish",
    "Search",
    "Lock now",
]


def _named(window: MainWindow, name: str) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget) if w.accessibleName() == name]


def test_first_run_creates_the_vault_and_shows_the_recovery_code_once(
    qtbot: QtBot,
    make_window: WindowFactory,
    vault_path: Path,
    answers: dict[str, Any],
    tmp_path: Path,
) -> None:
    window = make_window(vault_path)
    assert window.windowTitle() == "journal"  # Qt adds " — Afterglow" once
    assert not window.demo_banner.isVisible()
    assert window.current_page() == "welcome"
    qtbot.keyClick(window.welcome.begin, Qt.Key.Key_Space)
    assert window.current_page() == "create"
    page = window.create_page
    assert page.submit.accessibleName() == "Create my journal"
    page.passphrase.setFocus()
    type_text(page.passphrase, "kettleriver")  # zxcvbn's middle class
    assert "Weak" in page.feedback.text() or "Fair" in page.feedback.text()
    type_text(page.passphrase, " autumn violin ünïcode")
    assert page.feedback.text() == "Strong."
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)  # moves to the second field
    type_text(page.repeat, "something else")
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    assert "not the same" in page.error.text()
    assert not vault_path.exists()
    # Both are cleared (either may hold the typo) and typing starts at the first.
    assert page.passphrase.text() == page.repeat.text() == ""
    assert page.focusWidget() is page.passphrase
    type_text(page.passphrase, "kettleriver autumn violin ünïcode")
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    type_text(page.repeat, "kettleriver autumn violin ünïcode")
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() == "recovery_code", timeout=10_000)
    code = window.recovery_code.code_label.text()
    assert re.fullmatch(r"([0-9A-Z]{4}-){6}[0-9A-Z]{2}", code)
    assert not window.recovery_code.proceed.isEnabled()
    # Copy marks the code secret for clipboard managers.
    window.recovery_code.copy.click()
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text() == code and mime.hasFormat("x-kde-passwordManagerHint")
    # Save as text writes only where the person chose.
    target = tmp_path / "code.txt"
    answers["save_file_name"] = target
    window.recovery_code.save.click()
    assert code in target.read_text(encoding="utf-8")
    window.recovery_code.stored.setFocus()
    qtbot.keyClick(window.recovery_code.stored, Qt.Key.Key_Space)
    assert window.recovery_code.proceed.isEnabled()
    qtbot.keyClick(window.recovery_code.proceed, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.current_page() == "home", timeout=10_000)
    assert window.recovery_code.code_label.text() == ""  # shown once
    window.lock()
    assert QGuiApplication.clipboard().text() == ""  # the copied code does not outlive the lock
    assert window.home.start.accessibleName() == "Start after-session journaling"
    window.close()
    vaults.unlock(vault_path, "kettleriver autumn violin ünïcode").close()
    vaults.recover(vault_path, code, "a new passphrase!", kdf=FAST_KDF).close()


def test_wrong_passphrase_is_an_inline_message(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    assert window.current_page() == "unlock"
    window.unlock_page.passphrase.setText("not it at all")
    qtbot.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.unlock_page.error.text() != "", timeout=10_000)
    assert window.unlock_page.error.text() == (
        "That passphrase doesn't open this journal. Check it and try again."
    )
    assert window.current_page() == "unlock"
    assert window.unlock_page.submit.isEnabled()
    unlock(qtbot, window)
    assert window.home.model.rowCount() > 0


def test_forgot_passphrase_recovers_with_the_code(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    vault, code = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    vault.close()
    window = make_window(vault_path)
    qtbot.keyClick(window.unlock_page.forgot_button, Qt.Key.Key_Space)
    page = window.recover_page
    assert window.current_page() == "recover"
    page.code.setText("AAAA-BBBB")
    page.passphrase.setText("my new passphrase")
    page.repeat.setText("my new passphrase")
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "recovery code doesn't open" in page.error.text(), timeout=10_000)
    page.code.setText(code.lower())
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() == "home", timeout=10_000)
    window.close()
    vaults.unlock(vault_path, "my new passphrase").close()


def test_the_window_keeps_repainting_during_an_unlock(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    """Argon2id runs on the vault thread: the GUI's event loop keeps turning."""
    slow = kf.KdfParams(memory_kib=64 * 1024, time_cost=4, parallelism=1)
    vault, _ = vaults.create(vault_path, PASSPHRASE, kdf=slow)
    vault.close()
    window = make_window(vault_path)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1) if window.runner.busy else None)
    timer.start()
    unlock(qtbot, window)
    timer.stop()
    assert len(ticks) >= 5


def test_every_main_control_has_its_accessible_name(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    qtbot.keyClick(window.home.start, Qt.Key.Key_Space)
    qtbot.keyClick(window.session_form.proceed, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.current_page() == "recall")
    window.recall._go(+1)
    for name in MAIN_NAMES:
        if name in ("Passphrase", "Unlock", "Create my journal"):
            continue
        assert _named(window, name), name
    for name in ("Passphrase", "Unlock"):
        assert _named(window, name), name
    assert window.create_page.submit.accessibleName() == "Create my journal"
    buttons = [b for b in window.findChildren(QAbstractButton) if b.isVisible()]
    assert all(b.accessibleName() or b.text() for b in buttons)


def test_closing_on_the_recovery_code_page_asks_first(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path, answers: dict[str, Any]
) -> None:
    window = make_window(vault_path)
    window.welcome.begin.click()
    window.create_page.passphrase.setText("kettle river autumn violin")
    window.create_page.repeat.setText("kettle river autumn violin")
    window.create_page.submit.click()
    qtbot.waitUntil(lambda: window.current_page() == "recovery_code", timeout=10_000)
    window.close()  # the first time: said on the page, beside the code (no box over it)
    assert window.isVisible() and window.current_page() == "recovery_code"
    page = window.recovery_code
    assert "shown only now" in page.status.text() and page.code_label.isVisible()
    assert page.stored.hasFocus()
    window.close()  # the second time: the person means it
    assert not window.isVisible()
