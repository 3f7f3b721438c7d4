"""Each flow alone, with a fake shell that runs its operations at once on a
real vault — no main window. (The end-to-end tests drive the whole window.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journal.core.errors import WrongPassphrase
from journal.core.journal import recall as recalls
from journal.core.model import Answer, CheckinKind, Entry
from journal.core.vault import vault as vaults
from journal.ui.flows.checkins import CheckinFlow
from journal.ui.flows.home import HomeFlow
from journal.ui.flows.journaling import JournalingFlow
from journal.ui.flows.opening import OpeningFlow
from journal.ui.flows.reading import ReadingFlow
from journal.ui.flows.searching import SearchFlow
from journal.ui.media_actions import MediaActions
from journal.ui.settings import Settings
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import type_text
from tests.gui.fake_shell import FakeShell


@pytest.fixture
def shell(
    qtbot: QtBot, settings: Settings, vault: vaults.Vault, vault_path: Path
) -> Iterator[FakeShell]:
    fake = FakeShell(settings=settings, vault_path=vault_path, vault=vault)
    qtbot.addWidget(fake.stack)
    fake.stack.show()
    yield fake


def test_a_questionnaire_with_item_9_goes_to_the_safety_screen_and_is_flagged(
    qtbot: QtBot, shell: FakeShell, vault: vaults.Vault
) -> None:
    flow = CheckinFlow(shell)
    shell.add(flow)
    flow.start_questionnaire(CheckinKind.PHQ9)
    assert shell.current == "questionnaire"
    for value in (1, 1, 0, 2, 0, 1, 0, 0, 1):
        qtbot.keyClick(flow.questionnaire, getattr(Qt.Key, f"Key_{value}"))
    assert shell.current == "safety"
    saved = vault.checkins.latest(CheckinKind.PHQ9)
    assert saved is not None and saved.flagged and saved.total == 6
    qtbot.keyClick(flow.safety.proceed, Qt.Key.Key_Space)
    assert shell.current == "checkin_result"
    assert flow.result.total.text() == "PHQ-9: 6 of 27 — mild"
    qtbot.keyClick(flow.result.finish, Qt.Key.Key_Space)
    assert shell.moves == [("go_home", None)]


def test_the_home_offers_a_due_questionnaire_until_it_is_dismissed(
    shell: FakeShell, vault: vaults.Vault, clock: object
) -> None:
    long_ago = datetime.now().astimezone() - timedelta(days=20)
    vault.checkins.add(CheckinKind.PHQ9, [1] * 9, taken_at=long_ago)
    vault.checkins.add(CheckinKind.GAD7, [1] * 7, taken_at=datetime.now().astimezone())
    flow = HomeFlow(shell)
    shell.add(flow)
    flow.go_home()
    offer = flow.page.offer
    assert shell.current == "home" and offer.isVisible()
    assert offer.kind is CheckinKind.PHQ9 and "Two weeks have passed" in offer.text.text()
    offer.later.click()
    flow.go_home()
    assert not offer.isVisible()  # "Not now" holds while the app runs


def test_recall_autosaves_the_draft_then_finishes_an_entry(
    qtbot: QtBot, shell: FakeShell, vault: vaults.Vault
) -> None:
    flow = JournalingFlow(shell, media=MediaActions(shell))
    shell.add(flow)
    flow.write_freely()
    assert shell.current == "template_choice"
    flow.start_template("free")
    assert shell.current == "recall"
    editor = flow.recall.blocks[0].answer
    editor.setFocus()
    type_text(editor, "A door in the ocean — ☀️")
    qtbot.waitUntil(lambda: recalls.load_draft(vault) is not None, timeout=3000)
    draft = recalls.load_draft(vault)
    assert draft is not None and "A door in the ocean — ☀️" in str(draft.to_payload())
    flow.recall.finish.click()
    (entry,) = vault.entries.all()
    assert entry.answers[0].text == "A door in the ocean — ☀️"
    assert recalls.load_draft(vault) is None
    assert shell.statuses == ["Saved. Well done."] and shell.moves == [("go_home", None)]


def test_search_finds_as_you_type_and_opens_the_entry(
    qtbot: QtBot, shell: FakeShell, vault: vaults.Vault
) -> None:
    door = vault.entries.add(Entry(title="After", answers=[Answer("a", "Q", text="a red door")]))
    vault.entries.add(Entry(title="Other", answers=[Answer("a", "Q", text="the sea at night")]))
    flow = SearchFlow(shell)
    shell.add(flow)
    flow.go_search()
    assert shell.current == "search" and flow.page.field.hasFocus()
    type_text(flow.page.field, "door")
    qtbot.waitUntil(lambda: flow.page.model.rowCount() == 1)
    qtbot.keyClick(flow.page.field, Qt.Key.Key_Return)
    assert shell.moves == [("open_entry", door.id)]


def test_a_reflection_is_added_and_the_raw_entry_stays_as_written(
    shell: FakeShell, vault: vaults.Vault
) -> None:
    raw = vault.entries.add(Entry(title="Right after", answers=[Answer("a", "Q", text="blue")]))
    assert raw.id is not None
    flow = ReadingFlow(shell, media=MediaActions(shell))
    shell.add(flow)
    flow.open_entry(raw.id)
    assert shell.current == "entry" and flow.entry_id == raw.id
    flow.page.reflection_requested.emit(raw.id, "Next day", "it was the sea")
    (reflection,) = vault.entries.reflections_of(raw.id)
    assert reflection.answers[0].text == "it was the sea"
    assert vault.entries.get(raw.id).answers[0].text == "blue"
    assert flow.entry_id == raw.id  # back on the raw entry, with its reflection


def test_unlocking_says_a_wrong_passphrase_and_opens_with_the_right_one(
    shell: FakeShell, vault: vaults.Vault, vault_path: Path
) -> None:
    vault.close()
    shell.vault = None
    flow = OpeningFlow(shell, vault_name="journal", kdf=FAST_KDF)
    shell.add(flow)
    shell.show_page("unlock")
    flow.unlock("not my passphrase")
    assert flow.unlock_page.error.text() == WrongPassphrase().message
    assert not shell.unlocked and shell.moves == []
    flow.unlock(PASSPHRASE)
    assert shell.unlocked and shell.moves == [("opened", False)]
    assert shell.vault is not None
    shell.vault.close()
