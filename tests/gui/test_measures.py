"""Questionnaires in the app, from their definitions: the EBI on its 0–100
line by keyboard, a clinician's own questionnaire with no code, the EBI
offered after the next-day reflection (never right after a session), and
scores lined up against the infusions."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journal.core.model import CheckinKind, Session
from journal.core.vault import vault as vaults
from journal.ui.main_window import MainWindow
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import WindowFactory, run_in_vault, unlock
from tests.test_measures import GOOD


def _journal(path: Path, *, session_hours_ago: float | None = None) -> Path:
    vault, _ = vaults.create(path, PASSPHRASE, kdf=FAST_KDF)
    if session_hours_ago is not None:
        start = datetime.now().astimezone() - timedelta(hours=session_hours_ago)
        vault.sessions.add(Session(started_at=start, mood_before=3, mood_after=7))
    vault.close()
    return path


def test_the_ebi_is_answered_on_its_line_by_keyboard(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    window = make_window(_journal(vault_path, session_hours_ago=26))
    unlock(qtbot, window)
    flow = window.flows.checkins
    flow.start_questionnaire(CheckinKind.EBI)
    page = flow.questionnaire
    assert window.current_page() == "questionnaire" and page.line.isVisible()
    assert not any(o.isVisible() for o in page.options)
    assert "No, not more than usually" in page.line.low.text()
    assert not page.next.isEnabled()  # not set until moved
    for value in ("60", "40", "7", "50", "30", "80"):
        for char in value:
            qtbot.keyClick(page.line, getattr(Qt.Key, f"Key_{char}"))
        qtbot.keyClick(page.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() == "checkin_result")
    (saved,) = run_in_vault(qtbot, window, lambda v: v.checkins.all(CheckinKind.EBI))
    assert saved.answers == [60, 40, 7, 50, 30, 80] and saved.total == 44.5
    assert saved.session_id is not None  # about the latest session
    assert flow.result.total.text() == "EBI: 44.5 of 100"
    assert "defines no response or remission" not in flow.result.about.text()
    assert "no response, remission or cut-off" in flow.result.about.text()


def open_clinicians_questionnaire(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: Any
) -> None:
    """Check in → "Add a questionnaire from my clinician…" (the file GOOD),
    then open it, all by keyboard."""
    from journal.ui import dialogs

    file = tmp_path / "calm.toml"
    file.write_text(GOOD)
    monkeypatch.setattr(dialogs, "open_file_name", lambda *a, **k: file)
    window.flows.checkins.go_checkin()
    qtbot.waitUntil(lambda: window.current_page() == "checkin")
    hub = window.flows.checkins.hub
    qtbot.keyClick(hub.add, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "calm-scale" in hub.choices)
    qtbot.keyClick(hub.choices["calm-scale"], Qt.Key.Key_Space)


def test_a_clinicians_questionnaire_drives_the_check_in_screen(
    qtbot: QtBot,
    make_window: WindowFactory,
    vault_path: Path,
    tmp_path: Path,
    answers: Any,
    monkeypatch: Any,
) -> None:
    window = make_window(_journal(vault_path))
    unlock(qtbot, window)
    open_clinicians_questionnaire(qtbot, window, tmp_path, monkeypatch)
    assert window.flows.checkins.hub.choices["calm-scale"].text() == "Calm (from your clinician)"
    page = window.flows.checkins.questionnaire
    assert page.heading.text() == "Calm · question 1 of 2" and len(page.options) == 3
    assert [o.accessibleName() for o in page.options] == ["No", "A bit", "Yes"]
    qtbot.keyClick(page, Qt.Key.Key_2)
    qtbot.keyClick(page, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.current_page() == "checkin_result")
    assert window.flows.checkins.result.total.text() == "Calm: 3 of 4 — high"


def test_the_ebi_is_offered_after_the_next_day_reflection_only(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path, answers: Any
) -> None:
    answers["confirm"] = True
    window = make_window(_journal(vault_path, session_hours_ago=20))
    unlock(qtbot, window)
    journaling = window.flows.journaling
    journaling.choose_template(None, "next-day")
    qtbot.waitUntil(lambda: window.current_page() == "template_choice")
    journaling.start_template("next-day")
    qtbot.waitUntil(lambda: window.current_page() == "recall")
    window.recall.finish.click()
    qtbot.waitUntil(lambda: window.current_page() == "questionnaire")
    assert window.flows.checkins.questionnaire.kind == CheckinKind.EBI


def test_no_ebi_offer_in_the_hours_right_after_a_session(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path, answers: Any
) -> None:
    answers["confirm"] = True
    window = make_window(_journal(vault_path, session_hours_ago=3))
    unlock(qtbot, window)
    window.flows.checkins.offer_session_rating()
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert window.current_page() == "home"


def test_trends_by_infusion_read_line_by_line(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    vault, _ = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    start = datetime.now().astimezone() - timedelta(days=30)
    vault.sessions.add(Session(started_at=start, mood_before=2, mood_after=6))
    vault.checkins.add(CheckinKind.PHQ9, [2] * 8 + [0], taken_at=start - timedelta(days=2))
    vault.checkins.add(CheckinKind.PHQ9, [1] * 8 + [0], taken_at=start + timedelta(days=3))
    vault.close()
    window = make_window(vault_path)
    unlock(qtbot, window)
    window.flows.checkins.go_trends()
    qtbot.waitUntil(lambda: window.current_page() == "trends")
    page = window.flows.checkins.trends
    qtbot.keyClick(page.segments["phq9"], Qt.Key.Key_Space)
    assert "response" in page.summary.text() and "not a diagnosis" in page.summary.text()
    qtbot.keyClick(page.by_infusion, Qt.Key.Key_Space)
    assert page.infusions.isVisible() and not page.chart.isVisible()
    line = page.infusions.item(0).text()
    assert line.startswith("Infusion 1 (") and "before 16, after 8 (-8 points (-50%))" in line
    assert line.endswith("mood 2 → 6.")
