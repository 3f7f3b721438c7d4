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


def _bundle_file(folder: Path) -> Path:
    """A real bundle (share code) of a small journal."""
    from datetime import datetime

    from journal.core.model import Answer, Entry
    from journal.core.sharing import bundle, share
    from journal.core.vault import vault as vaults
    from tests.conftest import FAST_KDF, PASSPHRASE

    vault, _ = vaults.create(folder / "patient" / "journal.vault", PASSPHRASE, kdf=FAST_KDF)
    with vault:
        vault.entries.add(Entry(title="for Thursday", answers=[Answer("t", "", text="words")]))
        content = share.collect(vault, share.offer(vault), now=datetime.now().astimezone())
    path = folder / "for-thursday.agb"
    path.write_bytes(
        bundle.write_bundle(content, report_html="", share_code="apple river stone cloud mint lamp")
    )
    return path


def _readers(window: Any) -> list[Any]:
    return list(window.flows.sharing.readers) if window.flows.built else []


def test_a_bundle_opened_while_the_app_runs_opens_in_its_window(
    qtbot: QtBot,
    qapp: QApplication,
    make_window: Any,
    vault_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.test_cli import cli

    monkeypatch.setattr(app_module, "FILE_OPEN_EVENTS", True)  # as on macOS
    path = _bundle_file(tmp_path)
    window = make_window(vault_path)
    guard = InstanceGuard(vault_path)
    assert guard.acquire()
    try:
        app_module.connect_instance(qapp, guard, window)
        # `afterglow FILE.agb` from a file manager, while Afterglow runs (its journal locked).
        result = cli(vault_path, str(path))
        assert result.code == 0 and result.out.strip() == app_module.FORWARDED
        qtbot.waitUntil(lambda: len(_readers(window)) == 1, timeout=5000)
        assert _readers(window)[0].bundle_path == path
        assert not list(vault_path.parent.glob("*.open-*"))  # the hand-over file is gone
        # macOS delivers a double-clicked file as a QFileOpenEvent instead.
        from PySide6.QtGui import QFileOpenEvent

        QApplication.sendEvent(qapp, QFileOpenEvent(str(path)))
        qtbot.waitUntil(lambda: len(_readers(window)) == 2, timeout=5000)
    finally:
        for reader in _readers(window):
            reader.close()
        guard.release()


def test_bad_files_given_to_afterglow_get_a_sentence(vault_path: Path, tmp_path: Path) -> None:
    from tests.helpers import snapshot
    from tests.test_cli import cli

    vault_path.parent.mkdir(parents=True)
    not_a_bundle = tmp_path / "notes.agb"
    not_a_bundle.write_text("hello")
    before = snapshot(tmp_path)
    for target, sentence in (
        (not_a_bundle, "is not an Afterglow bundle"),
        (tmp_path / "missing.agb", "There is no file missing.agb here"),
        (tmp_path, "is a folder, not a bundle"),
    ):
        result = cli(vault_path, "open", str(target))
        assert result.code == 1 and sentence in result.err, result.err
        assert cli(vault_path, str(target)).err == result.err  # the same without `open`
    assert snapshot(tmp_path) == before
