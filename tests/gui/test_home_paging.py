"""The home's timeline read a page at a time: the newest page at unlock, the
rest as the list scrolls or End is pressed, and a page that was on its way
when the timeline was reloaded or the journal locked is dropped."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from journal.core.journal import timeline
from journal.core.model import Entry, Phase, Session
from journal.core.vault import vault as vaults
from journal.ui.main_window import MainWindow
from journal.ui.pages.home import ID_ROLE
from tests.conftest import FAST_KDF, PASSPHRASE, FakeClock
from tests.gui.conftest import WindowFactory, run_in_vault, unlock

SESSIONS, IN_EACH, ON_THEIR_OWN = 30, 12, 90
ROWS = SESSIONS * (1 + IN_EACH) + ON_THEIR_OWN  # 480: more than two pages


@pytest.fixture
def large_vault(vault_path: Path) -> Path:
    clock = FakeClock(datetime(2020, 1, 6, 9).astimezone())  # all before the new entry
    vault, _ = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF, clock=clock)
    with vault, vault.db.transaction():
        for number in range(SESSIONS):
            clock.advance(days=3)
            session = vault.sessions.add(Session(started_at=clock.now, intention=f"n{number}"))
            for _ in range(IN_EACH):
                clock.advance(minutes=20)
                vault.entries.add(
                    Entry(phase=Phase.RIGHT_AFTER, title="Right after", session_id=session.id)
                )
            for _ in range(ON_THEIR_OWN // SESSIONS):
                clock.advance(hours=20)
                vault.entries.add(Entry(phase=Phase.FREE, title="On its own"))
    return vault_path


def _ids(window: MainWindow) -> list[int]:
    model = window.home.model
    return [int(model.index(r, 0).data(ID_ROLE)) for r in range(model.rowCount())]


def _whole(qtbot: QtBot, window: MainWindow) -> list[int]:
    rows = run_in_vault(qtbot, window, timeline.build)
    assert len(rows) == ROWS > 2 * timeline.DEFAULT_PAGE
    return [row.id for row in rows]


def _in_sight(window: MainWindow) -> bool:
    view = window.home.timeline
    rect = view.visualRect(view.currentIndex())
    return rect.isValid() and view.viewport().rect().contains(rect.center())


def _hold_vault_thread(window: MainWindow) -> threading.Event:
    """The vault thread waits until the event is set (what it is given
    meanwhile waits behind)."""
    go = threading.Event()
    window.runner.submit(lambda _vault: go.wait(10))
    return go


def _ask_for_the_next_page(window: MainWindow) -> None:
    """Scroll as far as the rows read go: the model asks for the next page."""
    model = window.home.model
    shown = -1
    while model.rowCount() != shown:
        shown = model.rowCount()
        model.fetchMore(QModelIndex())
    assert window.runner.busy and not model.complete


def test_the_first_page_at_unlock_and_scrolling_reaches_the_oldest(
    qtbot: QtBot, make_window: WindowFactory, large_vault: Path, qtmodeltester: ModelTester
) -> None:
    window = make_window(large_vault)
    unlock(qtbot, window)
    whole = _whole(qtbot, window)
    model = window.home.model
    assert 0 < model.rowCount() < timeline.DEFAULT_PAGE and not model.complete
    assert _ids(window) == whole[: model.rowCount()]
    qtmodeltester.check(model)
    bar = window.home.timeline.verticalScrollBar()
    for _ in range(200):
        if model.complete:
            break
        bar.setValue(bar.maximum())
        qtbot.waitUntil(lambda: not window.runner.busy)
        qtbot.wait(5)
    assert model.complete
    assert _ids(window) == whole
    last = model.index(model.rowCount() - 1, 0)
    assert last.data(Qt.ItemDataRole.AccessibleTextRole).startswith("Right after. Right after · ")
    qtmodeltester.check(model)


NONE, CTRL = Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier


@pytest.mark.parametrize(
    ("key", "modifier", "presses"),
    [
        (Qt.Key.Key_End, NONE, 1),  # reads every page left, then goes to the oldest row
        (Qt.Key.Key_End, CTRL, 1),
        (Qt.Key.Key_PageDown, NONE, ROWS),
        (Qt.Key.Key_Down, NONE, ROWS),
    ],
)
def test_the_keyboard_reaches_the_oldest_row(
    qtbot: QtBot,
    make_window: WindowFactory,
    large_vault: Path,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier,
    presses: int,
) -> None:
    window = make_window(large_vault)
    unlock(qtbot, window)
    whole = _whole(qtbot, window)
    view = window.home.timeline
    view.setFocus()
    for _ in range(presses):
        qtbot.keyClick(view, key, modifier)
        qtbot.waitUntil(lambda: not window.runner.busy, timeout=10_000)
        if view.currentIndex().row() == ROWS - 1:
            break
    assert window.home.model.complete and view.currentIndex().row() == ROWS - 1
    assert view.currentIndex().data(ID_ROLE) == whole[-1]
    assert _ids(window) == whole
    qtbot.waitUntil(lambda: _in_sight(window))  # once its rows are measured


def test_a_page_on_its_way_at_a_reload_is_dropped(
    qtbot: QtBot, make_window: WindowFactory, large_vault: Path
) -> None:
    window = make_window(large_vault)
    unlock(qtbot, window)
    model = window.home.model
    first = _hold_vault_thread(window)
    _ask_for_the_next_page(window)
    shown = _ids(window)
    came: list[bool] = []
    window.runner.submit(lambda _vault: None, lambda _none: came.append(True))
    second = _hold_vault_thread(window)
    window.go_home()  # a reload, as after a new entry: behind the page asked for
    inserted: list[int] = []
    model.rowsInserted.connect(lambda _parent, start, end: inserted.append(end - start + 1))
    first.set()  # the page comes (then the marker behind it); the reload is still held
    qtbot.waitUntil(lambda: came == [True])
    assert inserted == [] and _ids(window) == shown
    second.set()
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert _ids(window) == _whole(qtbot, window)[: model.rowCount()]


def test_a_page_on_its_way_at_a_lock_never_shows(
    qtbot: QtBot, make_window: WindowFactory, large_vault: Path
) -> None:
    window = make_window(large_vault)
    unlock(qtbot, window)
    held = _hold_vault_thread(window)
    _ask_for_the_next_page(window)
    window.lock()
    assert window.home.model.rowCount() == 0
    held.set()
    qtbot.waitUntil(lambda: not window.runner.busy)
    qtbot.wait(50)
    assert window.home.model.rowCount() == 0
    unlock(qtbot, window)
    assert _ids(window) == _whole(qtbot, window)[: window.home.model.rowCount()]


def test_a_new_entry_reloads_the_first_page(
    qtbot: QtBot, make_window: WindowFactory, large_vault: Path
) -> None:
    window = make_window(large_vault)
    unlock(qtbot, window)
    window.home.model.fetch_all()
    qtbot.waitUntil(lambda: window.home.model.complete)
    newest = run_in_vault(
        qtbot,
        window,
        lambda v: v.entries.add(Entry(phase=Phase.FREE, title="Newest")).id,
    )
    window.go_home()
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert _ids(window)[0] == newest and not window.home.model.complete


def test_a_page_asked_for_by_an_earlier_generation_is_dropped(
    qtbot: QtBot, vault: vaults.Vault, clock: FakeClock
) -> None:
    """Even when it comes after the reload's own page was asked for."""
    from journal.ui.pages.timeline_list import TimelineModel

    for _ in range(130):
        clock.advance(minutes=1)
        vault.entries.add(Entry(phase=Phase.FREE))
    model = TimelineModel()
    asked: list[tuple[object, int]] = []
    model.page_wanted.connect(lambda cursor, generation: asked.append((cursor, generation)))
    first = timeline.page(vault, limit=60)
    second = timeline.page(vault, after=first.cursor, limit=60)
    assert model.show_first(first, model.restart())
    model.fetchMore(QModelIndex())
    ((_, old),) = asked
    assert model.show_first(first, model.restart())
    model.fetchMore(QModelIndex())
    assert not model.add_page(second, old)
    assert model.rowCount() == 60
    assert model.add_page(second, asked[-1][1])
    assert model.rowCount() == 120
    assert not model.show_first(first, old)
