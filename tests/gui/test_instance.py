"""One running app per vault: a second one brings the first forward; a
crash leaves no stale lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from journal.ui import app as app_module
from journal.ui.instance import InstanceGuard


def test_second_guard_asks_the_first_to_come_forward(
    qtbot: QtBot, qapp: QApplication, vault_path: Path
) -> None:
    first = InstanceGuard(vault_path)
    assert first.acquire()
    raised: list[bool] = []
    first.raise_requested.connect(lambda: raised.append(True))
    second = InstanceGuard(vault_path)
    assert not second.acquire()
    second.request_raise()
    qtbot.waitUntil(lambda: raised == [True], timeout=5000)
    assert not vault_path.with_name(vault_path.name + ".raise").exists()
    first.release()
    assert second.acquire()
    second.release()


def test_the_app_started_twice_says_so_and_stops(
    qtbot: QtBot, qapp: QApplication, vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = InstanceGuard(vault_path)
    assert first.acquire()
    raised: list[bool] = []
    first.raise_requested.connect(lambda: raised.append(True))
    told: list[Any] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args))
    monkeypatch.setattr(app_module, "harden", lambda: None)  # keep pytest's own hooks
    assert app_module.run(vault_path) == 0
    assert told and told[0][2] == app_module.ALREADY_OPEN
    qtbot.waitUntil(lambda: raised == [True], timeout=5000)
    first.release()


_HOLDER = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1] + ".instance", timeout=0)
lock.acquire()
print("holding", flush=True)
time.sleep(60)
"""


def test_a_crashed_app_leaves_no_stale_lock(qapp: QApplication, vault_path: Path) -> None:
    vault_path.parent.mkdir(parents=True)
    with subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(vault_path)], stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
            assert not InstanceGuard(vault_path).acquire()
        finally:
            os.kill(holder.pid, signal.SIGKILL)
            holder.wait()
    guard = InstanceGuard(vault_path)
    assert guard.acquire()
    guard.release()
