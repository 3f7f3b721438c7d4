"""A new session and guided recall in gentle mode, keyboard only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from journal.core.journal import recall as recalls
from journal.core.model import PromptKind, Route
from journal.ui.flows.journaling import AUTOSAVE_MS
from journal.ui.widgets import ScaleInput
from tests.gui.conftest import WindowFactory, run_in_vault, type_text, unlock


def _next(qtbot: QtBot, window: object) -> None:
    focus = window.focusWidget()  # type: ignore[attr-defined]
    qtbot.keyClick(focus, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_new_session_then_gentle_recall_to_finish(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    qtbot.keyClick(window.home.start, Qt.Key.Key_Space)
    form = window.session_form
    assert window.current_page() == "session_form"
    form.route.setCurrentIndex(form.route.findData(Route.INTRANASAL.value))
    form.intention.setFocus()
    type_text(form.intention, "Meet the ocean 🌊 — שלום")
    form.mood.setFocus()
    qtbot.keyClick(form.mood, Qt.Key.Key_3)
    assert form.mood.value() == 3
    qtbot.keyClick(form.proceed, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.current_page() == "recall")  # the right-after template
    page = window.recall
    assert page.progress_text.text() == "1 of 8"
    answer = page.blocks[0].answer
    assert isinstance(answer, QPlainTextEdit) and answer.hasFocus()
    assert answer.accessibleName() == "Answer"
    type_text(answer, "Warm sand, purple light — café ☕ and e\u0301")
    _next(qtbot, window)
    assert page.progress_text.text() == "2 of 8"
    qtbot.keyClick(page.skip, Qt.Key.Key_Space)  # images: skipped
    assert page.progress_text.text() == "3 of 8"
    assert page.blocks[0].prompt.kind is PromptKind.MOTIFS
    motif_entry = page.blocks[0].focus_target
    assert isinstance(motif_entry, QLineEdit)
    type_text(motif_entry, "a lighthouse in fog")
    qtbot.keyClick(motif_entry, Qt.Key.Key_Return)
    type_text(motif_entry, "like being held")
    qtbot.keyClick(motif_entry, Qt.Key.Key_Return)
    qtbot.keyClick(page.back, Qt.Key.Key_Space)
    assert page.progress_text.text() == "2 of 8"
    _next(qtbot, window)
    _next(qtbot, window)  # motifs kept when coming back
    for _ in range(3):  # body, emotions, one word: left empty
        _next(qtbot, window)
    assert page.progress_text.text() == "7 of 8"
    checks = page.blocks[0].answer.findChildren(QCheckBox)
    checks[1].setFocus()
    qtbot.keyClick(checks[1], Qt.Key.Key_Space)  # Dizziness
    _next(qtbot, window)
    scale = page.blocks[0].answer
    assert isinstance(scale, ScaleInput) and scale.hasFocus()
    assert page.finish.isVisible() and not page.next.isVisible()
    qtbot.keyClick(scale, Qt.Key.Key_1)
    qtbot.keyClick(scale, Qt.Key.Key_0)
    qtbot.keyClick(scale, Qt.Key.Key_Left)
    assert scale.value() == 9
    _next(qtbot, window)  # Ctrl+Enter on the last prompt finishes
    qtbot.waitUntil(lambda: window.current_page() == "home" and not window.runner.busy)

    def stored(vault: object) -> tuple[object, object, object]:
        entry = vault.entries.get(vault.entries.ids()[0])  # type: ignore[attr-defined]
        session = vault.sessions.get(entry.session_id)  # type: ignore[attr-defined]
        return entry, session, recalls.load_draft(vault)  # type: ignore[arg-type]

    entry, session, draft = run_in_vault(qtbot, window, stored)
    assert draft is None
    keys = [a.prompt_key for a in entry.answers]
    assert keys == ["first", "metaphors", "after_effects", "mood_after"]
    assert entry.answers[0].text == "Warm sand, purple light — café ☕ and e\u0301"
    assert [m["name"] for m in entry.answers[1].value] == ["a lighthouse in fog", "like being held"]
    assert session.intention == "Meet the ocean 🌊 — שלום"
    assert (session.route, session.mood_before, session.mood_after) == (Route.INTRANASAL, 3, 9)
    assert session.after_effects == ["Dizziness"]
    assert window.home.model.rowCount() > 0
    assert window.home.model.index(0, 0).data().lstrip().startswith("Session")


def test_answers_autosave_within_a_second(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    assert AUTOSAVE_MS < 1000
    window = make_window(demo_vault)
    unlock(qtbot, window)
    qtbot.keyClick(window.home.free, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.current_page() == "template_choice")
    qtbot.keyClick(window.template_choice.templates, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() == "recall")
    editor = window.recall.blocks[0].answer
    type_text(editor, "drifting ✨")
    qtbot.wait(AUTOSAVE_MS + 300)
    draft = run_in_vault(qtbot, window, recalls.load_draft)
    assert draft is not None and draft.texts["text"] == "drifting ✨"
    # "I'm done for now" keeps the draft and (when declined) goes home, offering to resume.
    qtbot.keyClick(window.recall.pause, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.current_page() == "home" and window.home.resume.isVisible())
    qtbot.keyClick(window.home.resume, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.current_page() == "recall")
    assert window.recall.blocks[0].answer.toPlainText() == "drifting ✨"


def test_done_for_now_can_lock(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path, answers: dict[str, object]
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    window.home.free.click()
    qtbot.waitUntil(lambda: window.current_page() == "template_choice")
    window.template_choice.begin.click()
    qtbot.waitUntil(lambda: window.current_page() == "recall")
    type_text(window.recall.blocks[0].answer, "enough for today")
    answers["confirm"] = True
    window.recall.pause.click()
    qtbot.waitUntil(lambda: window.current_page() == "unlock" and not window.runner.busy)
    unlock(qtbot, window)
    draft = run_in_vault(qtbot, window, recalls.load_draft)
    assert draft.texts["text"] == "enough for today"


def test_gentle_mode_off_shows_every_prompt_on_one_page(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path, settings: object
) -> None:
    from journal.ui import settings as keys

    settings.set(keys.GENTLE_MODE, False)  # type: ignore[attr-defined]
    window = make_window(demo_vault)
    unlock(qtbot, window)
    window.home.start.click()
    window.session_form.proceed.click()
    qtbot.waitUntil(lambda: window.current_page() == "recall")
    assert len(window.recall.blocks) == 8
    assert window.recall.finish.isVisible() and not window.recall.next.isVisible()


def test_typing_without_pause_is_still_saved_within_a_second(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    window.home.free.click()
    qtbot.waitUntil(lambda: window.current_page() == "template_choice")
    qtbot.keyClick(window.template_choice.templates, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() == "recall")
    editor = window.recall.blocks[0].answer
    for _ in range(12):  # a keystroke every 150 ms for 1.8 s, never pausing
        type_text(editor, "a")
        qtbot.wait(150)
    draft = run_in_vault(qtbot, window, recalls.load_draft)
    assert draft is not None and len(draft.texts["text"]) >= 5
