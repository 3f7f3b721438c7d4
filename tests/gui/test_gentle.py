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
