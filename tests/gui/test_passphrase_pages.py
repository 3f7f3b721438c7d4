"""The app judges passphrases with the vault's own rule and sentences, and
offers six words made for the person."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journal.core.vault import vault as vaults
from journal.core.vault.passphrase import judge
from journal.core.vault.paths import VaultPaths
from tests.gui.conftest import WindowFactory, type_text


def test_the_create_page_refuses_a_first_guess_with_the_vaults_sentence(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    window = make_window(vault_path)
    qtbot.keyClick(window.welcome.begin, Qt.Key.Key_Space)
    page = window.create_page
    type_text(page.passphrase, "Password1!Password1!")
    sentence = judge("Password1!Password1!", context=["journal"]).message
    assert page.feedback.text() == sentence  # as it is typed
    type_text(page.repeat, "Password1!Password1!")
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    assert page.error.text() == sentence and not VaultPaths(vault_path).exists()
    assert window.current_page() == "create"


def test_the_suggested_passphrase_is_taken_by_keyboard_and_opens_the_journal(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    window = make_window(vault_path)
    qtbot.keyClick(window.welcome.begin, Qt.Key.Key_Space)
    page = window.create_page
    offered = page.suggestion
    assert len(offered.split(" ")) == 6 and page.suggested.text().count("\n") == 1
    qtbot.keyClick(page.another, Qt.Key.Key_Space)
    assert page.suggestion != offered
    qtbot.keyClick(page.use_suggested, Qt.Key.Key_Space)
    assert page.passphrase.text() == page.repeat.text() == page.suggestion
    assert page.feedback.text().startswith("Strong.") and window.focusWidget() is page.submit
    chosen = page.suggestion
    qtbot.keyClick(page.submit, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.current_page() == "recovery_code", timeout=10_000)
    assert page.suggested.text() == ""  # not left on a page after use
    window.recovery_code.stored.setChecked(True)
    qtbot.keyClick(window.recovery_code.proceed, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.current_page() == "home" and not window.runner.busy)
    window.lock()
    qtbot.waitUntil(lambda: not window.runner.busy)
    vaults.unlock(vault_path, chosen).close()


def test_recovery_refuses_a_weak_new_passphrase_with_the_same_sentence(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    window.unlock_page.forgot_button.click()
    page = window.recover_page
    type_text(page.code, "XXXX-XXXX")
    type_text(page.passphrase, "iloveyou")
    type_text(page.repeat, "iloveyou")
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    assert page.error.text() == judge("iloveyou").message
    assert "very common password" in page.error.text()
