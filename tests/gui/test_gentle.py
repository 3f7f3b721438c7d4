"""Gentle for a groggy mind: few keys, focus always visible, nothing hidden
by disabled-looking controls, and the right step at the right time."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from tests.gui.conftest import WindowFactory, type_text


def _press(qtbot: QtBot, key: Qt.Key) -> None:
    """One key, to whatever has the focus (as a keyboard would)."""
    target = QApplication.focusWidget()
    assert isinstance(target, QWidget), "nothing has the focus"
    qtbot.keyClick(target, key)


def test_three_keys_from_the_passphrase_to_the_first_word(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.unlock_page.passphrase.hasFocus())
    type_text(window.unlock_page.passphrase, PASSPHRASE)
    keys = 0
    _press(qtbot, Qt.Key.Key_Return)  # unlock
    keys += 1
    qtbot.waitUntil(lambda: window.current_page() == "home" and window.home.start.hasFocus())
    _press(qtbot, Qt.Key.Key_Return)  # start after-session journaling
    keys += 1
    qtbot.waitUntil(lambda: window.current_page() == "session_form")
    qtbot.waitUntil(lambda: window.session_form.proceed.hasFocus())
    _press(qtbot, Qt.Key.Key_Return)  # everything optional: on to the recall
    keys += 1
    qtbot.waitUntil(lambda: window.current_page() == "recall")
    answer = window.recall.blocks[0].answer
    qtbot.waitUntil(answer.hasFocus)
    assert keys <= 3
    type_text(QApplication.focusWidget(), "Soft")  # the first word goes where it belongs
    assert isinstance(answer, QPlainTextEdit) and answer.toPlainText() == "Soft"


def test_locking_on_about_this_session_comes_back_to_it_with_what_was_typed(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    from tests.gui.conftest import unlock

    window = make_window(demo_vault)
    unlock(qtbot, window)
    window.home.start.click()
    qtbot.waitUntil(lambda: window.current_page() == "session_form" and not window.runner.busy)
    form = window.session_form
    assert form.mood_question.text() == "How was your mood before the session?"  # afterwards
    form.intention.setFocus()
    type_text(form.intention, "Rest, and be kind to myself 🌿")
    window.lock()
    qtbot.waitUntil(lambda: window.current_page() == "unlock" and not window.runner.busy)
    assert form.intention.text() == ""  # nothing of it stays on screen while locked
    window.unlock_page.passphrase.setText(PASSPHRASE)
    qtbot.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() == "session_form" and not window.runner.busy)
    assert form.intention.text() == "Rest, and be kind to myself 🌿"


def test_no_questionnaire_right_after_finishing_the_right_after_entry(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    from journal.core.vault import vault as vaults
    from tests.conftest import FAST_KDF
    from tests.gui.conftest import unlock

    vault, _ = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    vault.close()
    window = make_window(vault_path)
    unlock(qtbot, window)
    window.home.start.click()
    qtbot.waitUntil(lambda: window.current_page() == "session_form")
    window.session_form.proceed.click()
    qtbot.waitUntil(lambda: window.current_page() == "recall")
    type_text(window.recall.blocks[0].answer, "light")
    window.recall.finish.click()
    qtbot.waitUntil(lambda: window.current_page() == "home" and not window.runner.busy)
    assert not window.home.offer.isVisible()  # PHQ-9 was never filled, yet not now
    assert not window.home.step.isVisible()
