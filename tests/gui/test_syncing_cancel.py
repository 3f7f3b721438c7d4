"""Stop syncing: a sync under way stops after the file it is writing, the page
says so, and the next sync sends the rest. A real vault set up through the
window, a second one joined through the core API, a real folder in tmp_path."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from journal.core.model import Entry
from journal.core.sync import engine, joining, segments, status, store
from journal.core.vault import vault as vaults
from journal.ui.flows.syncing import STOPPED, STOPPED_SHORT
from journal.ui.main_window import MainWindow
from journal.ui.settings import Settings
from journal.ui.theme import apply as apply_theme
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import WindowFactory, run_in_vault, unlock
from tests.gui.test_syncing import _idle, _set_up

CHUNK = 3  # changes per file, so that a few entries make several files


@pytest.fixture
def themed(qapp: QApplication, settings: Settings) -> Iterator[QApplication]:
    """The app's own theme and type size, as a person sees it (the focus ring too)."""
    font, sheet, palette = qapp.font(), qapp.styleSheet(), qapp.palette()
    apply_theme(qapp, settings.theme, settings.text_size)
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
    qapp.setPalette(palette)


def _to_send(qtbot: QtBot, window: MainWindow) -> int:
    """Changes made here not yet in the folder (captured or not)."""
    return int(run_in_vault(qtbot, window, lambda v: status.status(v.db).to_send))


def _titles(vault: Any) -> set[str]:
    return {s.title for s in vault.entries.summaries()}


def test_stop_syncing_stops_after_a_file_and_the_next_sync_sends_the_rest(
    themed: QApplication,
    qtbot: QtBot,
    make_window: WindowFactory,
    answers: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shots = Path(os.environ.get("AFTERGLOW_SHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    shared = tmp_path / "Sync"
    shared.mkdir()
    path = tmp_path / "laptop" / "journal.vault"
    vault, _code = vaults.create(path, PASSPHRASE, kdf=FAST_KDF)
    vault.close()
    laptop = make_window(path)
    laptop.resize(1024, 600)
    unlock(qtbot, laptop)
    flow = laptop.flows.syncing
    for timer in (flow.after_change, flow.after_arrival):  # only the syncs asked for here
        timer.setInterval(3_600_000)
    _set_up(qtbot, laptop, answers, shared)
    home, _ = joining.join(shared, tmp_path / "home" / "j.vault", PASSPHRASE, device_name="Home")
    written = threading.Event()
    go_on = threading.Event()
    try:
        monkeypatch.setattr(engine, "CHUNK", CHUNK)
        titles = {f"Evening {n}" for n in range(1, 8)}

        def write(vault: Any) -> None:
            for title in sorted(titles):
                vault.entries.add(Entry(title=title))

        run_in_vault(qtbot, laptop, write)
        _idle(qtbot, laptop)

        # The first file is written, then the sync waits until Stop is pressed.
        commit = segments.commit_segment
        reports: list[tuple[engine.SyncReport, int]] = []
        sync_now = engine.sync_now

        def commit_and_wait(*args: Any, **kwargs: Any) -> Any:
            result = commit(*args, **kwargs)
            if not written.is_set():
                written.set()
                assert go_on.wait(20), "Stop was not pressed"
            return result

        def sync_and_count(vault: Any, cancelled: Any = None) -> engine.SyncReport:
            report = sync_now(vault, cancelled=cancelled)
            reports.append((report, len(store.unsent(vault.db))))
            return report

        monkeypatch.setattr(segments, "commit_segment", commit_and_wait)
        monkeypatch.setattr(engine, "sync_now", sync_and_count)
        page = flow.page
        flow.go_sync()
        _idle(qtbot, laptop)
        before = _to_send(qtbot, laptop)
        assert before > 2 * CHUNK  # three files at least
        assert page.stop_button.isHidden()  # nothing to stop
        qtbot.mouseClick(page.now, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(written.is_set, timeout=20_000)

        # While it syncs: the page says so and offers Stop syncing, by keyboard too.
        stop = page.stop_button
        assert stop.isVisible() and stop.isEnabled() and page.busy.isVisible()
        assert stop.accessibleName() == "Stop syncing" and page.now.text() == "Syncing…"
        assert stop.focusPolicy() & Qt.FocusPolicy.TabFocus
        laptop.activateWindow()
        qtbot.waitUntil(laptop.isActiveWindow, timeout=5_000)
        page.now.setFocus()
        qtbot.keyClick(page.now, Qt.Key.Key_Backtab)  # right before Sync now
        assert stop.hasFocus()
        assert stop.mapTo(laptop, stop.rect().bottomRight()).y() <= 600
        laptop.grab().save(str(shots / "sync-stop.png"))
        qtbot.keyClick(stop, Qt.Key.Key_Space)  # pressed from the keyboard
        assert flow.cancel.is_set()
        assert stop.text() == "Stopping…" and stop.isVisible()
        go_on.set()
        _idle(qtbot, laptop)

        # It stopped after that first file: the rest waits, and the page says so.
        ((report, left),) = reports
        assert left == before - CHUNK
        assert report.sent == CHUNK  # what was sent, not what was to be
        assert report.received == 0  # it stopped before reading the folder
        assert _to_send(qtbot, laptop) == left
        assert page.said.isVisible() and page.said.text() == STOPPED
        assert laptop.statusBar().currentMessage() == STOPPED_SHORT
        assert f"Waiting to send: {left} changes." in page.summary.text()
        assert page.stop_button.isHidden() and page.now.text() == "Sync now"
        assert page.now.hasFocus()  # the focus stays on the row
        assert not flow.running and not flow.again
        laptop.grab().save(str(shots / "sync-stopped.png"))
        engine.sync_now(home)
        assert 0 < len(_titles(home)) < len(titles)  # what was sent stays sent

        # Sync now sends the rest, and both computers hold the same journal.
        qtbot.mouseClick(page.now, Qt.MouseButton.LeftButton)
        _idle(qtbot, laptop)
        assert reports[-1][1] == 0 and _to_send(qtbot, laptop) == 0
        assert page.said.isHidden() and page.stop_button.isHidden()
        assert "Everything written here has been sent." in page.summary.text()
        assert laptop.statusBar().currentMessage() == "Synced."
        engine.sync_now(home)
        run_in_vault(qtbot, laptop, lambda v: v.entries.add(Entry(title="Written later")))
        home.entries.add(Entry(title="Written at home"))
        engine.sync_now(home)
        qtbot.mouseClick(page.now, Qt.MouseButton.LeftButton)
        _idle(qtbot, laptop)
        engine.sync_now(home)
        both = titles | {"Written later", "Written at home"}
        assert run_in_vault(qtbot, laptop, _titles) == both == _titles(home)
    finally:
        go_on.set()
        home.close()
