"""Before the session, in the app, keyboard only: "Before my session" makes
the session, the intention and mood are kept on it, the day's checklist is
ticked, a meditation is done on a fixed clock and kept — and afterwards
"About this session" is filled in and the recall opens with the intention."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox
from pytestqt.qtbot import QtBot

from journal.core.journal import before
from journal.core.model import MeditationKind, Route
from journal.core.practice import pacer
from journal.core.sharing import share
from journal.ui import dialogs
from journal.ui import tones as ui_tones
from journal.ui.pages.checklist import ChecklistEditor, ChecklistPage
from journal.ui.pages.meditation import STILL_SIZE, MeditationChoicePage, MeditationPage
from journal.ui.widgets import ScaleInput
from tests.gui.conftest import WindowFactory, run_in_vault, type_text, unlock


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _next(qtbot: QtBot, window: object) -> None:
    focus = window.focusWidget()  # type: ignore[attr-defined]
    qtbot.keyClick(focus, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


@pytest.fixture(autouse=True)
def _no_sound(monkeypatch: pytest.MonkeyPatch) -> None:
    """No sound device, as on a machine without one (the tones are still made)."""
    monkeypatch.setattr(ui_tones, "default_output", lambda: None)


def test_before_my_session_then_afterwards(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    last_route = run_in_vault(qtbot, window, lambda v: v.sessions.latest().route)
    qtbot.keyClick(window.home.before, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.current_page() == "recall")
    page = window.recall
    assert page.template is not None and page.template.id == "intention"
    assert page.progress_text.text() == "1 of 5"  # gentle, whatever the setting
    type_text(page.blocks[0].answer, "Tired, a little nervous")
    _next(qtbot, window)
    scale = page.blocks[0].answer
    assert isinstance(scale, ScaleInput) and scale.hasFocus()
    qtbot.keyClick(scale, Qt.Key.Key_4)
    _next(qtbot, window)
    type_text(page.blocks[0].answer, "To meet the ocean 🌊")
    _next(qtbot, window)
    _next(qtbot, window)  # worries: left empty
    assert page.finish.isVisible()
    _next(qtbot, window)
    qtbot.waitUntil(lambda: window.current_page() == "checklist")
    session = run_in_vault(qtbot, window, lambda v: v.sessions.latest())
    assert (session.intention, session.mood_before) == ("To meet the ocean 🌊", 4)
    assert session.route is last_route and session.route is not Route.OTHER

    # The day's checklist, by keyboard alone: focus starts on the first item.
    checklist: ChecklistPage = window.pages["checklist"]
    boxes = checklist.items
    assert len(boxes) == 5 and boxes[0].hasFocus()
    qtbot.keyClick(boxes[0], Qt.Key.Key_Space)
    qtbot.keyClick(boxes[0], Qt.Key.Key_Tab)
    assert boxes[1].hasFocus()
    qtbot.keyClick(boxes[1], Qt.Key.Key_Space)
    qtbot.keyClick(boxes[1], Qt.Key.Key_Space)  # and unticked again
    qtbot.keyClick(boxes[1], Qt.Key.Key_Tab)
    qtbot.keyClick(boxes[2], Qt.Key.Key_Space)
    checklist.go_on.setFocus()
    qtbot.keyClick(checklist.go_on, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.current_page() == "meditation_choice")
    ticked = run_in_vault(qtbot, window, lambda v: v.sessions.get(session.id).checklist)
    assert ticked == [boxes[0].text(), boxes[2].text()]

    # A meditation on a fixed clock: nothing waits for real minutes.
    choice: MeditationChoicePage = window.pages["meditation_choice"]
    assert choice.start.hasFocus()
    assert not choice.tones.isEnabled() and choice.no_sound.isVisibleTo(choice)
    assert choice.plan() == pacer.Plan(MeditationKind.BREATHING, 5, 6)
    meditation: MeditationPage = window.pages["meditation"]
    clock = Clock()
    meditation.clock = clock
    qtbot.keyClick(choice.start, Qt.Key.Key_Space)
    assert window.current_page() == "meditation"
    assert meditation.words.text() == "Breathe in" and meditation.pause.hasFocus()
    clock.now += 300
    meditation.tick()
    assert meditation.words.text() == "Well done." and meditation.proceed.hasFocus()
    qtbot.keyClick(meditation.proceed, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.current_page() == "home" and not window.runner.busy)
    kept = run_in_vault(qtbot, window, lambda v: v.meditations.for_session(session.id))
    assert [(m.kind, m.seconds, m.breaths_per_minute) for m in kept] == [
        (MeditationKind.BREATHING, 300, 6)
    ]
    assert window.home.today.isVisible() and "prepared" in window.home.today.text()
    titles = [window.home.model.index(i).data() for i in range(window.home.model.rowCount())]
    assert any("Meditated 5 minutes (paced breathing)" in t for t in titles)

    # Afterwards: "About this session" is filled in, then straight to the recall.
    assert window.home.start.hasFocus()
    qtbot.keyClick(window.home.start, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.current_page() == "session_form")
    form = window.session_form
    qtbot.waitUntil(lambda: form.intention.text() == "To meet the ocean 🌊")
    assert form.mood.value() == 4
    assert "Filled in before your session" in form.hint.text()
    qtbot.keyClick(form.proceed, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.current_page() == "recall")  # no template list between
    assert page.template is not None and page.template.id == "right-after-gentle"
    assert page.intro.isVisible()
    assert page.intro.text() == "You came in wanting: “To meet the ocean 🌊”"
    type_text(page.blocks[0].answer, "Blue light")
    _next(qtbot, window)
    assert not page.intro.isVisible()  # quietly, at the start only
    count = run_in_vault(qtbot, window, lambda v: v.sessions.count())
    assert count == 5  # the session made before, not a second one

    # Shared: the meditation is in the bundle with its session.
    content = run_in_vault(
        qtbot,
        window,
        lambda v: share.collect(
            v, share.offer(v, everything=True), now=datetime.now().astimezone()
        ),
    )
    assert [m.summary for m in content.meditations_of(session.id)] == [
        "Meditated 5 minutes (paced breathing)"
    ]


def test_pacer_follows_its_rhythm_on_a_fixed_clock(qtbot: QtBot) -> None:
    page = MeditationPage()
    qtbot.addWidget(page)
    page.show()
    clock, rang = Clock(), []
    page.clock = clock
    page.start(pacer.Plan(MeditationKind.BREATHING, 3, 6), still=False, ring=rang.append)
    assert page.words.text() == "Breathe in"
    assert page.shape.size_share == pytest.approx(pacer.SMALLEST)
    clock.now += 2  # 6 a minute: in for 4 s, out for 6 s
    page.tick()
    assert page.shape.size_share == pytest.approx((1 + pacer.SMALLEST) / 2)
    clock.now += 2
    page.tick()
    assert page.words.text() == "Breathe out" and rang == ["out"]
    assert page.shape.size_share == pytest.approx(1.0)
    clock.now += 6
    page.tick()
    assert page.words.text() == "Breathe in" and rang == ["out", "in"]
    # Paused: time passes, the breath does not.
    page.pause.setFocus()
    qtbot.keyClick(page.pause, Qt.Key.Key_Space)
    assert page.pause.text() == "Go on" and "Paused" in page.after.text()
    clock.now += 100
    assert page.elapsed == pytest.approx(10.0)
    qtbot.keyClick(page.pause, Qt.Key.Key_Space)
    clock.now += 20
    seconds = []
    page.done.connect(seconds.append)
    qtbot.keyClick(page, Qt.Key.Key_Escape)  # ended early: what was done is kept
    assert page.proceed.isVisible() and page.focusWidget() is page.proceed
    qtbot.keyClick(page.proceed, Qt.Key.Key_Space)
    assert seconds == [30]


def test_reduced_motion_keeps_the_shape_still(qtbot: QtBot) -> None:
    page = MeditationPage()
    qtbot.addWidget(page)
    clock = Clock()
    page.clock = clock
    page.start(pacer.Plan(MeditationKind.BREATHING, 3, 6), still=True)
    words, sizes = set(), set()
    for _ in range(40):
        clock.now += 0.5
        page.tick()
        words.add(page.words.text())
        sizes.add(page.shape.size_share)
    assert words == {"Breathe in", "Breathe out"}  # only the words change
    assert sizes == {STILL_SIZE}
    assert page.timer.interval() == 250  # no animation frames at all


def test_body_scan_one_sentence_at_a_time(qtbot: QtBot) -> None:
    page = MeditationPage()
    qtbot.addWidget(page)
    clock = Clock()
    page.clock = clock
    page.start(pacer.Plan(MeditationKind.BODY_SCAN, 3), still=False)
    assert not page.shape.isVisibleTo(page)
    assert page.words.text() == pacer.BODY_SCAN[0]
    clock.now += 180 / len(pacer.BODY_SCAN)
    page.tick()
    assert page.words.text() == pacer.BODY_SCAN[1]


def test_tones_need_no_sound_device(qtbot: QtBot) -> None:
    bell = ui_tones.ToneBell(device=None)
    assert not bell.available
    assert not bell.ring("in")
    assert len(bell.samples("in")) == len(bell.samples("out")) > 10_000
    assert bell.samples("in") != bell.samples("out")


def test_meditate_on_its_own_from_the_menu(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    window = make_window(vault_path)
    from journal.core.vault import vault as vaults
    from tests.conftest import FAST_KDF, PASSPHRASE

    vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)[0].close()
    window.close()
    window = make_window(vault_path)
    unlock(qtbot, window)
    window.menu_actions.meditate.trigger()
    qtbot.waitUntil(lambda: window.current_page() == "meditation_choice")
    choice: MeditationChoicePage = window.pages["meditation_choice"]
    assert choice.back.text() == "Back"
    body_scan = choice.kind.buttons()[1]
    body_scan.setFocus()
    qtbot.keyClick(body_scan, Qt.Key.Key_Space)
    assert not choice.rhythm_row.isVisibleTo(choice)
    three = choice.minutes.buttons()[0]
    three.setFocus()
    qtbot.keyClick(three, Qt.Key.Key_Space)
    meditation: MeditationPage = window.pages["meditation"]
    clock = Clock()
    meditation.clock = clock
    qtbot.keyClick(choice.start, Qt.Key.Key_Space)
    clock.now += 180
    meditation.tick()
    qtbot.keyClick(meditation.proceed, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.current_page() == "home" and not window.runner.busy)
    kept = run_in_vault(qtbot, window, lambda v: v.meditations.all())
    assert [(m.kind, m.seconds, m.session_id) for m in kept] == [
        (MeditationKind.BODY_SCAN, 180, None)
    ]
    # Counted where the patient checks in.
    window.menu_actions.checkin.trigger()
    qtbot.waitUntil(lambda: window.current_page() == "checkin")
    hub = window.pages["checkin"]
    assert hub.practice.text() == "So far you meditated once (3 minutes in all)."


def test_the_home_suggests_before_on_the_day(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    assert not window.home.today.isVisible()
    today = datetime.now().astimezone().date()
    run_in_vault(qtbot, window, lambda v: before.set_next_session(v, today))
    window.go_home()
    qtbot.waitUntil(lambda: window.home.today.isVisible())
    assert "Your session is today" in window.home.today.text()
    assert window.home.before.objectName() == "primary"
    assert window.home.before.hasFocus()


def test_the_list_is_changed_or_taken_from_the_clinic(
    qtbot: QtBot,
    make_window: WindowFactory,
    demo_vault: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    flow = window.flows.before
    flow.show_checklist()
    qtbot.waitUntil(lambda: window.current_page() == "checklist")
    page: ChecklistPage = window.pages["checklist"]
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('title = "Lakeside clinic"\nitems = ["Ride home booked", "Ate lightly"]\n')
    monkeypatch.setattr(dialogs, "open_file_name", lambda *a, **k: clinic)
    qtbot.keyClick(page.clinic, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.heading.text() == "Lakeside clinic")
    assert [b.text() for b in page.items] == ["Ride home booked", "Ate lightly"]
    # A hostile file: one sentence, the list unchanged.
    said: list[str] = []
    monkeypatch.setattr(dialogs, "show_message", lambda _p, _t, text, **k: said.append(text))
    clinic.write_text("items = 7\n")
    qtbot.keyClick(page.clinic, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(said))
    assert said == [
        'clinic.toml, line 1: items must be a list of sentences, for example items = ["…"].'
    ]
    kept = run_in_vault(qtbot, window, before.checklist)
    assert kept.items == ("Ride home booked", "Ate lightly")
    editor = ChecklistEditor(window, kept)
    qtbot.addWidget(editor)
    assert editor.text.toPlainText() == "Ride home booked\nAte lightly"
    editor.text.setFocus()
    qtbot.keyClick(editor.text, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    type_text(editor.text, "\nPhone on silent 📵")
    assert editor.items() == ["Ride home booked", "Ate lightly", "Phone on silent 📵"]
    assert isinstance(page.items[0], QCheckBox)


def test_the_next_session_is_entered_or_cleared(
    qtbot: QtBot,
    make_window: WindowFactory,
    demo_vault: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QDialog

    from journal.ui.pages.next_session import NextSessionDialog

    window = make_window(demo_vault)
    unlock(qtbot, window)
    today = datetime.now().astimezone().date()

    def pick(dialog: NextSessionDialog) -> int:
        assert not dialog.day.isEnabled()  # no date yet
        qtbot.keyClick(dialog.known, Qt.Key.Key_Space)
        assert dialog.day.isEnabled()
        dialog.day.setDate(QDate(today.year, today.month, today.day))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(NextSessionDialog, "exec", pick)
    window.menu_actions.next_session.trigger()
    qtbot.waitUntil(lambda: window.home.today.isVisible(), timeout=5000)
    assert run_in_vault(qtbot, window, before.next_session) == today

    def clear(dialog: NextSessionDialog) -> int:
        assert dialog.known.isChecked() and dialog.chosen() == today
        dialog.known.setChecked(False)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(NextSessionDialog, "exec", clear)
    window.menu_actions.next_session.trigger()
    qtbot.waitUntil(lambda: not window.home.today.isVisible(), timeout=5000)
    assert run_in_vault(qtbot, window, before.next_session) is None


def test_tab_reaches_every_control_and_each_is_scrolled_into_view(qtbot: QtBot) -> None:
    """On a short screen the checklist scrolls: Tab never stops on the scroll
    area itself (it shows no focus), and what has the focus is fully in view."""
    from PySide6.QtWidgets import QScrollArea

    from journal.core.practice.checklist import default_checklist

    page = ChecklistPage()
    qtbot.addWidget(page)
    page.resize(1024, 300)
    page.show()
    page.show_list(default_checklist(), [])
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.items[0].setFocus()
    scroll = page.findChild(QScrollArea)
    assert scroll is not None
    visited = []
    for _ in range(len(page.items) + 1):
        qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Tab)
        focus = page.focusWidget()
        assert not isinstance(focus, QScrollArea)
        visited.append(focus)
        top = (
            focus.mapTo(scroll.widget(), focus.rect().topLeft()).y()
            - scroll.verticalScrollBar().value()
        )
        assert top >= 0 and top + focus.height() <= scroll.viewport().height()
    assert visited[-2:] == [page.edit, page.clinic]
