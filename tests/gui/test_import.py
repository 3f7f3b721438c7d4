"""File → Import from another journal…, by keyboard: choose, see what was
found, import (or cancel and keep nothing), with an encrypted export's
passphrase asked on the page; the whole window's menu leads there."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journal.core.journal.demo import populate
from journal.core.sharing import archive
from journal.core.vault import vault as vaults
from journal.ui import dialogs
from journal.ui.flows.importing import ImportFlow
from journal.ui.settings import Settings
from tests import import_fixtures as fx
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import type_text
from tests.gui.fake_shell import FakeShell


@pytest.fixture
def shell(
    qtbot: QtBot, settings: Settings, vault: vaults.Vault, vault_path: Path
) -> Iterator[FakeShell]:
    fake = FakeShell(settings=settings, vault_path=vault_path, vault=vault)
    qtbot.addWidget(fake.stack)
    fake.stack.resize(1024, 600)
    fake.stack.show()
    yield fake


def _flow(shell: FakeShell, monkeypatch: pytest.MonkeyPatch, chosen: Path) -> ImportFlow:
    flow = ImportFlow(shell)
    shell.add(flow)
    monkeypatch.setattr(dialogs, "open_file_name", lambda *_a: chosen)
    monkeypatch.setattr(dialogs, "existing_directory", lambda *_a: chosen)
    flow.start()
    assert shell.current == "import"
    return flow


def test_day_one_import_by_keyboard_with_tags_as_motifs(
    qtbot: QtBot,
    shell: FakeShell,
    vault: vaults.Vault,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "Export.zip"
    path.write_bytes(fx.dayone_zip())
    flow = _flow(shell, monkeypatch, path)
    page = flow.page
    assert page.file_button.hasFocus()
    qtbot.keyClick(page.file_button, Qt.Key.Key_Space)
    assert page.steps.currentWidget() is page._preview
    assert page.found.text().startswith("Recognised: an export from Day One — 3 entries")
    assert "1 photo is missing from the archive" in page.found.text()
    assert vault.entries.count() == 0  # nothing until Import
    assert page.tags.isVisibleTo(page) and page.import_button.hasFocus()
    page.tags.setFocus()
    qtbot.keyClick(page.tags, Qt.Key.Key_Space)
    qtbot.keyClick(page.import_button, Qt.Key.Key_Return)
    assert page.steps.currentWidget() is page._done
    assert page.result.text().startswith("Imported 3 entries, 2 pictures and recordings.")
    assert vault.entries.count() == 3 and {u.motif.name for u in vault.motifs.usage()} == {
        "garden",
        "calm",
    }
    assert page.progress.value() == page.progress.maximum()
    qtbot.keyClick(page.home_button, Qt.Key.Key_Return)
    assert shell.moves[-1] == ("go_home", None)


def test_cancel_while_importing_keeps_nothing(
    qtbot: QtBot,
    shell: FakeShell,
    vault: vaults.Vault,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "jrnl.json"
    path.write_bytes(fx.jrnl_json())
    flow = _flow(shell, monkeypatch, path)
    page = flow.page
    qtbot.keyClick(page.file_button, Qt.Key.Key_Space)
    # The person presses Cancel as soon as the progress moves.
    flow._progress.moved.connect(lambda *_: page.cancel_button.click())
    qtbot.keyClick(page.import_button, Qt.Key.Key_Return)
    assert vault.entries.count() == 0 and vault.imported.count() == 0
    assert page.message.text() == "The import was cancelled; your journal is as it was."
    assert page.steps.currentWidget() is page._choose


def test_a_hostile_file_says_why_on_the_page(
    qtbot: QtBot,
    shell: FakeShell,
    vault: vaults.Vault,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "photo.json"
    path.write_bytes(bytes(range(256)))
    flow = _flow(shell, monkeypatch, path)
    qtbot.keyClick(flow.page.file_button, Qt.Key.Key_Space)
    assert "doesn't recognise photo.json" in flow.page.message.text()
    assert flow.page.message.isVisibleTo(flow.page)
    assert flow.page.file_button.hasFocus() and vault.entries.count() == 0


def test_an_encrypted_export_asks_its_passphrase_on_the_page(
    qtbot: QtBot,
    shell: FakeShell,
    vault: vaults.Vault,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other, _ = vaults.create(tmp_path / "other" / "journal.vault", PASSPHRASE, kdf=FAST_KDF)
    populate(other)
    out = tmp_path / "everything.age"
    archive.export_encrypted(
        other, out, "lantern meadow quiet harbour", now=datetime.now().astimezone()
    )
    entries = other.entries.count()
    other.close()
    flow = _flow(shell, monkeypatch, out)
    page = flow.page
    qtbot.keyClick(page.file_button, Qt.Key.Key_Space)
    assert page.steps.currentWidget() is page._asking and page.passphrase.hasFocus()
    type_text(page.passphrase, "wrong passphrase here")
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    assert "doesn't open this export" in page.message.text() and page.passphrase.text() == ""
    type_text(page.passphrase, "lantern meadow quiet harbour")
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    assert page.found.text().startswith("Recognised: an export of everything from Afterglow")
    assert not page.tags.isVisibleTo(page)
    qtbot.keyClick(page.import_button, Qt.Key.Key_Return)
    assert vault.entries.count() == entries


def test_the_page_fits_a_small_screen(
    qtbot: QtBot, shell: FakeShell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "Export.zip"
    path.write_bytes(fx.dayone_zip())
    flow = _flow(shell, monkeypatch, path)
    page = flow.page
    for step in ("choose", "preview"):
        if step == "preview":
            qtbot.keyClick(page.file_button, Qt.Key.Key_Space)
        qtbot.wait(10)
        for control in (page.cancel_button, page.file_button, page.import_button):
            if control.isVisible():
                top_left = control.mapTo(page, control.rect().topLeft())
                assert page.rect().contains(top_left) and page.rect().contains(
                    control.mapTo(page, control.rect().bottomRight())
                ), (step, control.text())
