"""Sync through a folder from the window: set up from the menu, join from the
opening screen, Sync now, status, automatic sync, conflicts decided, errors.
Real vaults and a real folder in tmp_path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from journal.core.errors import SyncDeviceRemoved, WrongPassphrase
from journal.core.model import Answer, Entry
from journal.core.vault import vault as vaults
from journal.ui.main_window import MainWindow
from journal.ui.settings import Settings
from journal.ui.sync_dialogs import RemoveComputerDialog, SetupSyncDialog
from journal.ui.theme import apply as apply_theme
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import WindowFactory, run_in_vault, type_text, unlock


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "Sync"
    folder.mkdir()
    return folder


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    """A journal with one entry, on the first computer."""
    path = tmp_path / "laptop" / "journal.vault"
    vault, _code = vaults.create(path, PASSPHRASE, kdf=FAST_KDF)
    vault.entries.add(
        Entry(
            title="By the sea",
            answers=[Answer(prompt_key="first", prompt_text="What came first?", text="waves")],
        )
    )
    vault.close()
    return path


def _dialog(qtbot: QtBot, kind: type[Any] = SetupSyncDialog) -> Any:
    def shown() -> list[Any]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()), timeout=10_000)
    return shown()[0]


def _idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: not window.flows.syncing.running and not window.runner.busy, timeout=20_000
    )


def _set_up(
    qtbot: QtBot, window: MainWindow, answers: dict[str, Any], shared: Path, name: str = "Laptop"
) -> None:
    answers["directory"] = shared
    window.menu_actions.use_sync_folder.trigger()
    dialog = _dialog(qtbot)
    qtbot.mouseClick(dialog.folder.choose, Qt.MouseButton.LeftButton)
    dialog.name.clear()
    type_text(dialog.name, name)
    dialog.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_page() == "sync", timeout=20_000)
    _idle(qtbot, window)


def _join(
    qtbot: QtBot,
    window: MainWindow,
    answers: dict[str, Any],
    shared: Path,
    secret: str = PASSPHRASE,
    name: str = "Home",
) -> None:
    assert window.current_page() == "welcome"
    qtbot.mouseClick(window.welcome.join_button, Qt.MouseButton.LeftButton)
    assert window.current_page() == "join"
    page = window.opening.join_page
    answers["directory"] = shared
    qtbot.mouseClick(page.folder.choose, Qt.MouseButton.LeftButton)
    page.name.clear()
    type_text(page.name, name)
    page.secret.setText(secret)
    qtbot.keyClick(page.secret, Qt.Key.Key_Return)


def _two(
    qtbot: QtBot,
    make_window: WindowFactory,
    answers: dict[str, Any],
    journal_path: Path,
    shared: Path,
    tmp_path: Path,
) -> tuple[MainWindow, MainWindow]:
    laptop = make_window(journal_path)
    unlock(qtbot, laptop)
    _set_up(qtbot, laptop, answers, shared)
    home = make_window(tmp_path / "home" / "journal.vault")
    _join(qtbot, home, answers, shared)
    qtbot.waitUntil(lambda: home.unlocked and home.current_page() == "home", timeout=20_000)
    _idle(qtbot, home)
    return laptop, home


def _titles(qtbot: QtBot, window: MainWindow) -> set[str]:
    return run_in_vault(qtbot, window, lambda v: {s.title for s in v.entries.summaries()})  # type: ignore[no-any-return]


def _sync_now(qtbot: QtBot, window: MainWindow) -> None:
    window.menu_actions.sync_now.trigger()
    _idle(qtbot, window)


def _rewrite(text: str) -> Any:
    def operation(vault: Any) -> None:
        (summary,) = vault.entries.summaries()
        entry = vault.entries.get(summary.id)
        entry.answers[0] = replace(entry.answers[0], text=text)
        vault.entries.update(entry)

    return operation


def _make_conflict(qtbot: QtBot, laptop: MainWindow, home: MainWindow) -> None:
    """Both computers rewrite the first answer, then sync; the laptop shows Sync."""
    run_in_vault(qtbot, laptop, _rewrite("waves, on the laptop"))
    run_in_vault(qtbot, home, _rewrite("waves, at home"))
    _sync_now(qtbot, laptop)
    _sync_now(qtbot, home)
    _sync_now(qtbot, laptop)
    laptop.menu_actions.sync_status.trigger()
    _idle(qtbot, laptop)


@pytest.fixture
def themed(qapp: QApplication, settings: Settings) -> Iterator[QApplication]:
    """The app's own theme and type size (the default 20 pt), as a person sees it."""
    font, sheet, palette = qapp.font(), qapp.styleSheet(), qapp.palette()
    apply_theme(qapp, settings.theme, settings.text_size)
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
    qapp.setPalette(palette)


def test_set_up_from_the_menu_shows_the_status(
    qtbot: QtBot,
    make_window: WindowFactory,
    answers: dict[str, Any],
    journal_path: Path,
    shared: Path,
) -> None:
    window = make_window(journal_path)
    unlock(qtbot, window)
    assert window.menu_actions.sync_now.shortcut().toString() == "F5"
    _set_up(qtbot, window, answers, shared, name="Café laptop")
    assert [p.name.startswith("afterglow-") for p in shared.iterdir()] == [True]
    text = window.flows.syncing.page.summary.text()
    assert "“Café laptop”" in text and str(shared) in text
    assert "Last synced today at" in text
    assert "No other computer has synced yet." in text
    assert "Everything written here has been sent." in text
    assert window.flows.syncing.set_up
    # Asked again, it shows where it syncs instead of setting up twice.
    window.menu_actions.use_sync_folder.trigger()
    assert window.current_page() == "sync"


def test_setting_up_says_a_wrong_passphrase_as_a_sentence(
    qtbot: QtBot,
    make_window: WindowFactory,
    answers: dict[str, Any],
    journal_path: Path,
    shared: Path,
) -> None:
    window = make_window(journal_path)
    unlock(qtbot, window)
    answers["directory"] = shared
    window.menu_actions.use_sync_folder.trigger()
    dialog = _dialog(qtbot)
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert "Choose the folder" in dialog.error.text()
    qtbot.mouseClick(dialog.folder.choose, Qt.MouseButton.LeftButton)
    dialog.passphrase.setText("not my passphrase")
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.text() == WrongPassphrase().message, timeout=10_000)
    assert dialog.go.isEnabled() and list(shared.iterdir()) == []
    dialog.reject()


def test_join_write_and_sync_now_both_ways(
    qtbot: QtBot,
    make_window: WindowFactory,
    answers: dict[str, Any],
    journal_path: Path,
    shared: Path,
    tmp_path: Path,
) -> None:
    laptop, home = _two(qtbot, make_window, answers, journal_path, shared, tmp_path)
    assert _titles(qtbot, home) == {"By the sea"}
    run_in_vault(qtbot, laptop, lambda v: v.entries.add(Entry(title="Written on the laptop")))
    _sync_now(qtbot, laptop)
    _sync_now(qtbot, home)
    assert _titles(qtbot, home) == {"By the sea", "Written on the laptop"}
    # the home page was read again: the new entry shows in its timeline
    qtbot.waitUntil(lambda: home.home.model.rowCount() >= 2, timeout=10_000)
    run_in_vault(qtbot, home, lambda v: v.entries.add(Entry(title="Written at home")))
    _sync_now(qtbot, home)
    _sync_now(qtbot, laptop)
    assert "Written at home" in _titles(qtbot, laptop)
    laptop.flows.syncing.go_sync()
    _idle(qtbot, laptop)
    assert "Other computers seen: Home." in laptop.flows.syncing.page.summary.text()


def test_joining_with_a_wrong_passphrase_says_so_and_makes_nothing(
    qtbot: QtBot,
    make_window: WindowFactory,
    answers: dict[str, Any],
    journal_path: Path,
    shared: Path,
    tmp_path: Path,
) -> None:
    laptop = make_window(journal_path)
    unlock(qtbot, laptop)
    _set_up(qtbot, laptop, answers, shared)
    target = tmp_path / "home" / "journal.vault"
    home = make_window(target)
    _join(qtbot, home, answers, shared, secret="not my passphrase")
    page = home.opening.join_page
    qtbot.waitUntil(lambda: page.error.text() == WrongPassphrase().message, timeout=10_000)
    assert not home.unlocked and home.current_page() == "join"
    assert page.submit.isEnabled()
    assert not target.exists()


def test_a_conflict_is_decided_through_the_window(
    qtbot: QtBot,
    make_window: WindowFactory,
    answers: dict[str, Any],
    journal_path: Path,
    shared: Path,
    tmp_path: Path,
) -> None:
    laptop, home = _two(qtbot, make_window, answers, journal_path, shared, tmp_path)

    _make_conflict(qtbot, laptop, home)
    page = laptop.flows.syncing.page
    assert "To decide: 1 text" in page.summary.text()
    (card,) = page.conflict_cards
    texts = [w.text() for w in card.findChildren(QWidget) if hasattr(w, "text")]
    assert "What came first? — in “By the sea”" in texts
    assert {"waves, on the laptop", "waves, at home"} <= set(texts)
    versions = [t for t in texts if t.startswith("waves, ")]
    keep = card.buttons[versions.index("waves, at home")]
    assert keep.accessibleName().startswith("Keep version")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.conflict_cards, timeout=10_000)
    _idle(qtbot, laptop)
    _sync_now(qtbot, home)

    def answer(vault: Any) -> str:
        (summary,) = vault.entries.summaries()
        return str(vault.entries.get(summary.id).answers[0].text)

    assert run_in_vault(qtbot, home, answer) == "waves, at home"
    assert run_in_vault(qtbot, laptop, answer) == "waves, at home"


def test_sync_follows_a_save_and_the_folder_by_itself(
    qtbot: QtBot,
    make_window: WindowFactory,
    answers: dict[str, Any],
    journal_path: Path,
    shared: Path,
    tmp_path: Path,
) -> None:
    laptop, home = _two(qtbot, make_window, answers, journal_path, shared, tmp_path)
    syncs: list[int] = []
    laptop.flows.syncing.after_change.setInterval(300)
    home.flows.syncing.after_arrival.setInterval(300)
    home.flows.syncing.received.connect(lambda: syncs.append(1))
    for title in ("one", "two", "three"):  # saves in a row: one sync after the last
        run_in_vault(qtbot, laptop, lambda v, t=title: v.entries.add(Entry(title=t)))
    assert laptop.flows.syncing.after_change.isActive()
    qtbot.waitUntil(
        lambda: (
            "Everything written here has been sent." in laptop.flows.syncing.page.summary.text()
            and not laptop.runner.busy
        ),
        timeout=20_000,
    )
    # the other computer notices the files arriving, and syncs by itself
    qtbot.waitUntil(lambda: {"one", "two", "three"} <= _titles(qtbot, home), timeout=20_000)
    assert syncs


def test_nothing_happens_when_the_journal_does_not_sync(
    qtbot: QtBot, make_window: WindowFactory, journal_path: Path
) -> None:
    window = make_window(journal_path)
    unlock(qtbot, window)
    _idle(qtbot, window)
    run_in_vault(qtbot, window, lambda v: v.entries.add(Entry(title="quiet")))
    assert not window.flows.syncing.after_change.isActive()
    window.menu_actions.sync_status.trigger()
    _idle(qtbot, window)
    page = window.flows.syncing.page
    assert "does not sync yet" in page.summary.text()
    assert page.setup.isVisible() and not page.now.isEnabled()


def test_the_screens_fit_1024_by_600(
    themed: QApplication,
    qtbot: QtBot,
    make_window: WindowFactory,
    answers: dict[str, Any],
    journal_path: Path,
    shared: Path,
    tmp_path: Path,
) -> None:
    """Every control in view or reachable by scrolling; screenshots kept
    where AFTERGLOW_SHOTS says (else in tmp_path)."""
    shots = Path(os.environ.get("AFTERGLOW_SHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    laptop = make_window(journal_path)
    laptop.resize(1024, 600)
    unlock(qtbot, laptop)
    answers["directory"] = shared
    laptop.menu_actions.use_sync_folder.trigger()
    dialog = _dialog(qtbot)
    qtbot.mouseClick(dialog.folder.choose, Qt.MouseButton.LeftButton)
    dialog.resize(min(dialog.width(), 1024), min(dialog.height(), 560))
    assert dialog.go.isVisible() and dialog.go.geometry().bottom() <= dialog.height()
    dialog.grab().save(str(shots / "sync-setup.png"))
    dialog.reject()
    _set_up(qtbot, laptop, answers, shared)
    laptop.grab().save(str(shots / "sync-status.png"))
    home = make_window(tmp_path / "home" / "journal.vault")
    home.resize(1024, 600)
    home.grab().save(str(shots / "sync-welcome.png"))
    qtbot.mouseClick(home.welcome.join_button, Qt.MouseButton.LeftButton)
    home.grab().save(str(shots / "sync-join.png"))
    page = home.opening.join_page
    assert page.submit.isVisible()
    assert page.submit.mapTo(home, page.submit.rect().bottomLeft()).y() <= 600
    for widget in [*page.findChildren(QPushButton), *page.findChildren(QLineEdit)]:
        assert widget.accessibleName(), widget
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    _join(qtbot, home, answers, shared)
    qtbot.waitUntil(lambda: home.unlocked and home.current_page() == "home", timeout=20_000)
    _idle(qtbot, home)
    _make_conflict(qtbot, laptop, home)
    laptop.grab().save(str(shots / "sync-conflict.png"))
    card = laptop.flows.syncing.page.conflict_cards[0]
    scroll = laptop.flows.syncing.page.findChild(QScrollArea)
    scroll.ensureWidgetVisible(card.buttons[-1])  # where Tab takes the person
    assert card.buttons[-1].visibleRegion().boundingRect().height() > 0
    laptop.grab().save(str(shots / "sync-conflict-keep.png"))


def test_a_lost_computer_is_removed_from_the_sync_page(
    themed: QApplication,
    qtbot: QtBot,
    make_window: WindowFactory,
    answers: dict[str, Any],
    journal_path: Path,
    shared: Path,
    tmp_path: Path,
) -> None:
    """Three computers; the lost one removed through the page reads nothing
    new, the one that stays does. Screenshots at 1024×600 kept where
    AFTERGLOW_SHOTS says (else in tmp_path)."""
    from journal.core.sync import engine, joining

    shots = Path(os.environ.get("AFTERGLOW_SHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    laptop = make_window(journal_path)
    laptop.resize(1024, 600)
    unlock(qtbot, laptop)
    _set_up(qtbot, laptop, answers, shared)
    home, _ = joining.join(shared, tmp_path / "home" / "j.vault", PASSPHRASE, device_name="Home")
    lost, _ = joining.join(shared, tmp_path / "lost" / "j.vault", PASSPHRASE, device_name="Lost")
    try:
        _sync_now(qtbot, laptop)
        for each in (home, lost):
            engine.sync_now(each)
        _sync_now(qtbot, laptop)
        page = laptop.flows.syncing.page
        assert [r.said.text().split(" — ")[0] for r in page.computer_rows] == ["“Home”", "“Lost”"]
        row = page.computer_rows[1]
        assert row.button.accessibleName() == "Remove “Lost”…"
        assert row.button.focusPolicy() & Qt.FocusPolicy.TabFocus
        scroll = page.findChild(QScrollArea)
        scroll.ensureWidgetVisible(row.button)
        assert row.button.visibleRegion().boundingRect().height() > 0
        laptop.grab().save(str(shots / "sync-computers.png"))

        qtbot.mouseClick(row.button, Qt.MouseButton.LeftButton)
        dialog = _dialog(qtbot, RemoveComputerDialog)
        said = " ".join(w.text() for w in dialog.findChildren(QLabel))
        assert "will read nothing written from now on" in said
        assert "change your passphrase too" in said
        for widget in [*dialog.findChildren(QPushButton), *dialog.findChildren(QLineEdit)]:
            assert widget.accessibleName(), widget
            assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, widget
        dialog.resize(min(dialog.width(), 1024), min(dialog.height(), 560))
        assert dialog.go.isVisible() and dialog.go.geometry().bottom() <= dialog.height()
        assert dialog.focusWidget() is dialog.passphrase  # where typing goes first
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)  # required
        assert "Type your passphrase" in dialog.error.text()
        dialog.grab().save(str(shots / "sync-remove.png"))
        dialog.passphrase.setText("not my passphrase")
        qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.error.text() == WrongPassphrase().message, timeout=10_000)
        assert dialog.go.isEnabled() and len(page.computer_rows) == 2
        dialog.passphrase.setText(PASSPHRASE)
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or dialog.isHidden(), timeout=20_000)
        _idle(qtbot, laptop)
        assert [r.said.text().split(" — ")[0] for r in page.computer_rows] == ["“Home”"]
        assert "Lost" not in page.summary.text()
        laptop.grab().save(str(shots / "sync-removed.png"))

        run_in_vault(qtbot, laptop, lambda v: v.entries.add(Entry(title="After it was lost")))
        _sync_now(qtbot, laptop)
        engine.sync_now(home)
        assert "After it was lost" in {e.title for e in home.entries.all()}
        with pytest.raises(SyncDeviceRemoved):
            engine.sync_now(lost)
            engine.sync_now(lost)
        assert "After it was lost" not in {e.title for e in lost.entries.all()}
    finally:
        home.close()
        lost.close()
