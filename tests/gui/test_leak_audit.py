"""The leak audit: a whole patient flow in the app with a canary in every
field — passphrase, session, answers, motifs, reflection, check-in note,
search, export to the therapist, export of everything, backup — then every
file in the home folder (settings, Qt's file-dialog state, caches, data), the
temp folder, the vault folder and the test's own folder is searched: the
canary is nowhere in the clear."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from journal.core.model import CheckinKind
from journal.core.vault import backup
from journal.ui import dialogs
from journal.ui.safekeeping import ExportEverythingDialog
from tests.gui.conftest import WindowFactory, type_text
from tests.test_leaks import _encodings, _files_containing

CANARY = "Quokkacanary5T"


def _next(qtbot: QtBot, window: Any) -> None:
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_nothing_typed_in_the_app_is_left_in_the_clear(
    qtbot: QtBot,
    make_window: WindowFactory,
    vault_path: Path,
    home: Path,
    tmp_path: Path,
    answers: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = CANARY
    passphrase = f"{c} sings over the quiet harbour"
    window = make_window(vault_path)
    # First run.
    qtbot.keyClick(window.welcome.begin, Qt.Key.Key_Space)
    type_text(window.create_page.passphrase, passphrase)
    type_text(window.create_page.repeat, passphrase)
    qtbot.keyClick(window.create_page.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() == "recovery_code", timeout=10_000)
    window.recovery_code.stored.setChecked(True)
    window.recovery_code.proceed.click()
    qtbot.waitUntil(lambda: window.current_page() == "home" and not window.runner.busy)
    # A session and the guided recall.
    window.home.start.click()
    form = window.session_form
    for field in (form.dose, form.setting, form.intention, form.music):
        field.setFocus()
        type_text(field, f"{field.accessibleName()} {c}")
    form.proceed.click()
    qtbot.waitUntil(lambda: window.current_page() == "recall")
    type_text(window.recall.blocks[0].answer, f"first memory {c}")
    _next(qtbot, window)
    _next(qtbot, window)
    motif = window.recall.blocks[0].focus_target
    assert isinstance(motif, QLineEdit)
    type_text(motif, f"a door {c}")
    qtbot.keyClick(motif, Qt.Key.Key_Return)
    while window.current_page() == "recall":
        _next(qtbot, window)
        qtbot.wait(20)
    qtbot.waitUntil(lambda: window.current_page() == "home" and not window.runner.busy)
    # A reflection on the entry.
    entry_index = next(
        i
        for i in range(window.home.model.rowCount())
        if window.home.model.index(i, 0).data(Qt.ItemDataRole.UserRole + 1) == "entry"
    )
    window.home.timeline.activated.emit(window.home.model.index(entry_index, 0))
    qtbot.waitUntil(lambda: window.current_page() == "entry")
    window.entry_page.reflect_button.click()
    type_text(window.entry_page._editors[0][1], f"looking back {c}")
    window.entry_page.save_button.click()
    qtbot.waitUntil(lambda: not window.runner.busy)
    # A mood check-in with a note, and a PHQ-9.
    window.flows.checkins.go_checkin()
    qtbot.waitUntil(lambda: window.current_page() == "checkin")
    window.flows.checkins.hub.mood.click()
    qtbot.keyClick(window.flows.checkins.mood.scale, Qt.Key.Key_6)
    type_text(window.flows.checkins.mood.note, f"note {c}")
    window.flows.checkins.mood.save.click()
    qtbot.waitUntil(lambda: window.current_page() == "home" and not window.runner.busy)
    window.flows.checkins.start_questionnaire(CheckinKind.PHQ9)
    for _ in range(9):
        qtbot.keyClick(window.flows.checkins.questionnaire, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.current_page() == "safety")
    # Search.
    window.go_search()
    type_text(window.search_page.field, c)
    qtbot.waitUntil(lambda: window.search_page.model.rowCount() > 0)
    # Share with the therapist (a share-code bundle) — through Qt's file dialog state too.
    page_ready = lambda: window.prepare_page.tree.topLevelItemCount() > 0  # noqa: E731
    window.flows.sharing.go_prepare()
    qtbot.waitUntil(page_ready)
    window.prepare_page.preview_button.click()
    qtbot.waitUntil(lambda: window.prepare_page.steps.currentIndex() == 1)
    window.prepare_page.to_send.click()
    # The real Qt file dialog, in a folder whose name holds the canary: Qt would
    # remember it in QtProject.conf if Afterglow did not make it forget.
    out = tmp_path / f"out-{c}"
    out.mkdir()
    bundle = out / "for-thursday.agb"
    monkeypatch.setattr(
        dialogs,
        "save_file_name",
        lambda parent, caption, suggested, filter_: dialogs._ask(
            parent, caption, out / suggested, filter_, "save"
        ),
    )

    def choose_in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(bundle))
        dialog.accept()

    QTimer.singleShot(300, choose_in_dialog)
    window.prepare_page.save_button.click()
    qtbot.waitUntil(lambda: window.prepare_page.steps.currentIndex() == 3, timeout=30_000)
    # Export everything (encrypted) and a backup on lock.
    monkeypatch.setattr(dialogs, "save_file_name", lambda *_a, **_k: out / "everything.age")
    window.menu_actions.export_all.trigger()
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, ExportEverythingDialog)
    )
    dialog.passphrase.setText(passphrase)
    dialog.repeat.setText(passphrase)
    dialog.go.click()
    qtbot.waitUntil(lambda: (out / "everything.age").exists(), timeout=30_000)
    qtbot.waitUntil(lambda: not window.runner.busy)
    window.lock()
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert backup.list_backups(backup.backups_folder(vault_path))
    window.close()

    needles = _encodings(c)
    for root in (home, tmp_path, vault_path.parent):
        assert _files_containing(root, needles) == [], root
    # The places that must have been written, so the search above meant something.
    (saved,) = out.glob("*.agb")  # chosen in the real Qt dialog, in the canary's folder
    assert saved.stat().st_size > 1000
    assert list(vault_path.parent.glob("*.backups/*/journal.vault"))
