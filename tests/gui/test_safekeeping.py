"""Backups, restore and export of everything from the app."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pyrage
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from journal.core.model import Entry
from journal.core.vault import backup
from journal.core.vault import vault as vaults
from journal.ui.main_window import MainWindow
from journal.ui.safekeeping import ExportEverythingDialog, RestoreDialog
from tests.conftest import PASSPHRASE
from tests.gui.conftest import WindowFactory, run_in_vault, type_text, unlock


def _dialog(qtbot: QtBot, kind: type) -> Any:
    """The open dialog of that kind, once it has appeared."""

    def shown() -> list[Any]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()), timeout=10_000)
    return shown()[0]


def _titles(qtbot: QtBot, window: MainWindow) -> set[str]:
    return run_in_vault(qtbot, window, lambda v: {s.title for s in v.entries.summaries()})  # type: ignore[no-any-return]


def test_lock_and_quit_make_one_backup_a_day(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    folder = backup.backups_folder(demo_vault)
    window = make_window(demo_vault)
    unlock(qtbot, window)
    window.lock()
    qtbot.waitUntil(lambda: not window.runner.busy)
    made = backup.list_backups(folder)
    assert [b.kind for b in made] == [backup.AUTO]
    unlock(qtbot, window)
    window.close()  # quitting: the day's backup exists, so no second one
    assert backup.list_backups(folder) == made
    backup.verify(made[0].path, PASSPHRASE)


def test_quit_waits_for_the_daily_backup(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    window.close()
    (made,) = backup.list_backups(backup.backups_folder(demo_vault))
    backup.verify(made.path, PASSPHRASE)


def test_restore_from_the_file_menu(
    qtbot: QtBot,
    make_window: WindowFactory,
    demo_vault: Path,
    answers: dict[str, Any],
    tmp_path: Path,
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    usb = tmp_path / "usb"
    answers["directory"] = usb
    window.menu_actions.backup.trigger()
    qtbot.waitUntil(lambda: bool(backup.list_backups(usb)))
    before = _titles(qtbot, window)
    run_in_vault(qtbot, window, lambda v: v.entries.add(Entry(title="written later")))
    assert "written later" in _titles(qtbot, window)
    (made,) = backup.list_backups(usb)
    window.menu_actions.restore.trigger()
    dialog = _dialog(qtbot, RestoreDialog)
    answers["directory"] = made.path
    qtbot.keyClick(dialog.choose, Qt.Key.Key_Space)
    assert dialog.chosen() == made.path and dialog.focusWidget() is dialog.passphrase
    type_text(dialog.passphrase, "not the passphrase")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "doesn't open this backup" in dialog.error.text(), timeout=10_000)
    assert dialog.isVisible() and window.current_page() == "unlock"
    dialog.passphrase.setText(PASSPHRASE)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.current_page() == "home" and not window.runner.busy, timeout=10_000
    )
    assert not shiboken6.isValid(dialog)  # closed and deleted
    assert _titles(qtbot, window) == before
    assert "kept as backup" in window.statusBar().currentMessage()
    kinds = {b.kind for b in backup.list_backups(backup.backups_folder(demo_vault))}
    assert backup.BEFORE_RESTORE in kinds and backup.AUTO in kinds


def test_restore_on_a_new_machine_from_the_welcome_screen(
    qtbot: QtBot,
    make_window: WindowFactory,
    demo_vault: Path,
    answers: dict[str, Any],
    tmp_path: Path,
) -> None:
    with vaults.unlock(demo_vault, PASSPHRASE) as vault:
        made = backup.make_backup(vault, tmp_path / "usb")
        expected = {s.title for s in vault.entries.summaries()}
    fresh = tmp_path / "new-machine" / "journal.vault"
    window = make_window(fresh)
    assert window.current_page() == "welcome" and window.menu_actions.restore.isEnabled()
    window.menu_actions.restore.trigger()
    dialog = _dialog(qtbot, RestoreDialog)
    assert dialog.backups.count() == 0
    answers["directory"] = made.path
    dialog.choose.click()
    dialog.passphrase.setText(PASSPHRASE)
    dialog.restore.click()
    qtbot.waitUntil(
        lambda: window.current_page() == "home" and not window.runner.busy, timeout=10_000
    )
    assert _titles(qtbot, window) == expected


def test_export_everything_encrypted(
    qtbot: QtBot,
    make_window: WindowFactory,
    demo_vault: Path,
    answers: dict[str, Any],
    tmp_path: Path,
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    target = tmp_path / "everything.age"
    answers["save_file_name"] = target
    window.menu_actions.export_all.trigger()
    dialog = _dialog(qtbot, ExportEverythingDialog)
    dialog.passphrase.setText("lantern meadow quiet harbour")
    dialog.repeat.setText("lantern meadow quiet harbour")
    dialog.go.click()
    qtbot.waitUntil(lambda: target.exists() and not window.runner.busy, timeout=10_000)
    data = pyrage.passphrase.decrypt(target.read_bytes(), "lantern meadow quiet harbour")
    entries = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("entries.json"))
    assert {e["title"] for e in entries} == _titles(qtbot, window)


def test_unencrypted_export_needs_the_warning_accepted(
    qtbot: QtBot,
    make_window: WindowFactory,
    demo_vault: Path,
    answers: dict[str, Any],
    tmp_path: Path,
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    folder = tmp_path / "plain"
    answers["directory"] = folder
    window.menu_actions.export_all.trigger()
    dialog = _dialog(qtbot, ExportEverythingDialog)
    dialog.plain.setChecked(True)
    assert dialog.warning.isVisible() and not dialog.passphrase.isEnabled()
    answers["confirm"] = False
    dialog.go.click()
    qtbot.wait(200)
    assert not folder.exists()
    answers["confirm"] = True
    dialog.go.click()
    qtbot.waitUntil(
        lambda: (folder / "entries.json").exists() and not window.runner.busy, timeout=10_000
    )
