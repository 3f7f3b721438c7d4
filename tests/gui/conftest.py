"""GUI fixtures: a real vault, a real worker thread, fresh settings per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from journal.core.journal.demo import populate
from journal.core.vault import vault as vaults
from journal.ui import dialogs
from journal.ui.main_window import MainWindow
from journal.ui.runner import VaultRunner
from journal.ui.settings import Settings
from tests.conftest import FAST_KDF, PASSPHRASE


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()) or "qapp" in getattr(
            item, "fixturenames", ()
        ):
            item.add_marker(pytest.mark.gui)


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, Unicode included, as key events carrying the text
    (qtbot.keyClicks aborts on non-ASCII)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            key = Qt.Key.Key_Return if char == "\n" else Qt.Key.Key_unknown
            QApplication.sendEvent(
                widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Pre-set answers for modal questions (the tests' hand on the dialogs)."""
    given: dict[str, Any] = {
        "confirm": False,
        "save_file_name": None,
        "print": False,
        "directory": None,
    }
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: given["confirm"])
    monkeypatch.setattr(dialogs, "save_file_name", lambda *a, **k: given["save_file_name"])
    monkeypatch.setattr(dialogs, "print_document", lambda *a, **k: given["print"])
    monkeypatch.setattr(dialogs, "existing_directory", lambda *a, **k: given["directory"])
    return given


WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def make_window(
    qtbot: QtBot, settings: Settings, answers: dict[str, Any]
) -> Iterator[WindowFactory]:
    made: list[MainWindow] = []

    def make(vault_path: Path, *, demo: bool = False) -> MainWindow:
        runner = VaultRunner()
        window = MainWindow(
            runner=runner, settings=settings, vault_path=vault_path, demo=demo, kdf=FAST_KDF
        )
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        # pytest-qt may already have closed and deleted it (closing waits for the
        # vault thread's last work, which lets deferred deletions run).
        if shiboken6.isValid(window):
            window.close()
            window.runner.shutdown()


@pytest.fixture
def demo_vault(vault_path: Path) -> Path:
    vault, _ = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    populate(vault)
    vault.close()
    return vault_path


def unlock(
    qtbot: QtBot, window: MainWindow, passphrase: str = PASSPHRASE, *, page: str = "home"
) -> None:
    """Type the passphrase and Enter; wait for ``page`` (a workspace: "patients")."""
    window.unlock_page.passphrase.setText(passphrase)
    qtbot.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.current_page() == page and not window.runner.busy, timeout=10_000
    )


def run_in_vault(qtbot: QtBot, window: MainWindow, operation: Callable[[Any], Any]) -> Any:
    """Run an operation on the window's vault thread and return its result."""
    box: dict[str, Any] = {}
    window.runner.submit(
        operation,
        lambda result: box.setdefault("result", result),
        lambda error: box.setdefault("error", error),
    )
    qtbot.waitUntil(lambda: "result" in box or "error" in box, timeout=10_000)
    if "error" in box:
        raise box["error"]
    return box["result"]
