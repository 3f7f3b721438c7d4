"""Check-ins in the app, keyboard only: mood, questionnaires, the safety
screen on PHQ-9 item 9, the crisis dialog, the home offer and the trends
charts (rendered offscreen to a PNG and read back)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCharts import QChartView
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from journal.core.journal.demo import populate
from journal.core.model import CheckinKind, Session
from journal.core.sharing import report, share
from journal.core.vault import vault as vaults
from journal.pdf import report_pdf
from journal.ui.main_window import MainWindow
from journal.ui.pages.safety import CrisisDialog
from journal.ui.settings import CRISIS_COUNTRY, Settings
from journal.ui.theme import THEMES
from journal.ui.theme import apply as apply_theme
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import WindowFactory, run_in_vault, type_text, unlock


def _answer(qtbot: QtBot, window: MainWindow, answers: list[int]) -> None:
    page = window.flows.checkins.questionnaire
    for value in answers:
        qtbot.keyClick(window.focusWidget() or page, getattr(Qt.Key, f"Key_{value}"))


def _checkins(qtbot: QtBot, window: MainWindow) -> list:  # type: ignore[type-arg]
    return run_in_vault(qtbot, window, lambda v: v.checkins.all())  # type: ignore[no-any-return]


def _fresh(vault_path: Path, *, phq_days_ago: int | None = None) -> Path:
    vault, _ = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    now = datetime.now().astimezone()
    vault.sessions.add(Session(started_at=now - timedelta(days=30), mood_before=3, mood_after=6))
    if phq_days_ago is not None:
        vault.checkins.add(
            CheckinKind.PHQ9, [2] * 8 + [0], taken_at=now - timedelta(days=phq_days_ago)
        )
        vault.checkins.add(CheckinKind.GAD7, [1] * 7, taken_at=now - timedelta(days=phq_days_ago))
    vault.close()
    return vault_path


def test_item9_shows_the_safety_screen_at_once_and_flags_the_answer(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path, settings: Settings
) -> None:
    settings.set(CRISIS_COUNTRY, "GB")
    window = make_window(_fresh(vault_path, phq_days_ago=20))
    unlock(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current_page() == "checkin")
    assert "Last filled on" in window.flows.checkins.hub.status[CheckinKind.PHQ9].text()
    qtbot.keyClick(window.flows.checkins.hub.choices[CheckinKind.PHQ9], Qt.Key.Key_Space)
    assert window.current_page() == "questionnaire"
    page = window.flows.checkins.questionnaire
    assert page.heading.text() == "PHQ-9 · question 1 of 9"
    _answer(qtbot, window, [1, 1, 0, 2])
    assert page.heading.text() == "PHQ-9 · question 5 of 9"
    qtbot.keyClick(page, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # back one
    assert page.heading.text() == "PHQ-9 · question 4 of 9"
    assert page.options[2].isChecked()  # the earlier answer is kept
    _answer(qtbot, window, [3, 0, 1, 0, 0])
    assert "better off dead" in page.item.text()
    assert len(_checkins(qtbot, window)) == 2  # nothing saved before the last answer
    _answer(qtbot, window, [1])
    qtbot.waitUntil(lambda: window.current_page() == "safety")
    panel = window.flows.checkins.safety.panel
    assert "not monitored" in panel.monitored.text()
    assert "999" in panel.danger.text() and "116 123" in panel.numbers.text()
    assert "United Kingdom" in panel.country.text()
    assert "Samaritans" in panel.accessibleDescription()
    saved = _checkins(qtbot, window)[-1]
    assert (saved.kind, saved.answers, saved.total, saved.flagged) == (
        CheckinKind.PHQ9,
        [1, 1, 0, 3, 0, 1, 0, 0, 1],
        7,
        True,
    )
    assert window.flows.checkins.safety.proceed.hasFocus()
    qtbot.keyClick(window.flows.checkins.safety.proceed, Qt.Key.Key_Space)
    assert window.current_page() == "checkin_result"
    result = window.flows.checkins.result
    assert result.total.text() == "PHQ-9: 7 of 27 — mild"
    assert result.change.text().endswith("-9 points (-56%).")


def test_questionnaire_without_item9_asks_the_last_question_then_shows_the_result(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    window = make_window(_fresh(vault_path))
    unlock(qtbot, window)
    window.flows.checkins.start_questionnaire(CheckinKind.GAD7)
    _answer(qtbot, window, [3, 3, 3, 3, 3, 0, 0])
    page = window.flows.checkins.questionnaire
    assert page.asking_difficulty and "how difficult" in page.item.text()
    assert page.options[3].accessibleName() == "Extremely difficult" and page.skip.isVisible()
    assert _checkins(qtbot, window) == []  # not saved before the last question
    qtbot.keyClick(page, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # back to item 7
    assert not page.asking_difficulty and page.options[0].isChecked()
    _answer(qtbot, window, [0, 2])  # item 7 again, then "very difficult"
    qtbot.waitUntil(lambda: window.current_page() == "checkin_result")
    assert _checkins(qtbot, window)[-1].difficulty == 2
    assert window.flows.checkins.result.total.text() == "GAD-7: 15 of 21 — severe"
    assert "first one" in window.flows.checkins.result.change.text()


def test_no_problems_checked_skips_the_last_question(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    window = make_window(_fresh(vault_path))
    unlock(qtbot, window)
    window.flows.checkins.start_questionnaire(CheckinKind.GAD7)
    _answer(qtbot, window, [0] * 7)
    qtbot.waitUntil(lambda: window.current_page() == "checkin_result")
    assert _checkins(qtbot, window)[-1].difficulty is None


def test_stopping_half_way_keeps_nothing(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    window = make_window(_fresh(vault_path))
    unlock(qtbot, window)
    window.flows.checkins.start_questionnaire(CheckinKind.PHQ9)
    _answer(qtbot, window, [2, 2, 2])
    qtbot.keyClick(window.flows.checkins.questionnaire, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.current_page() == "checkin")
    assert _checkins(qtbot, window) == []


def test_mood_check_in_by_keyboard_with_a_note(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    window = make_window(_fresh(vault_path))
    unlock(qtbot, window)
    window.flows.checkins.go_checkin()
    qtbot.waitUntil(lambda: window.current_page() == "checkin")
    assert window.flows.checkins.hub.mood.hasFocus()
    qtbot.keyClick(window.flows.checkins.hub.mood, Qt.Key.Key_Space)
    mood = window.flows.checkins.mood
    assert window.current_page() == "mood" and mood.scale.hasFocus()
    assert not mood.save.isEnabled()  # nothing to save before a number is chosen
    qtbot.keyClick(mood.scale, Qt.Key.Key_7)
    mood.note.setFocus()
    type_text(mood.note, "calmer — ruhig 🌿")
    qtbot.keyClick(mood.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current_page() == "home")
    saved = _checkins(qtbot, window)
    assert [(c.kind, c.total, c.note) for c in saved] == [
        (CheckinKind.MOOD, 7, "calmer — ruhig 🌿")
    ]


def test_crisis_help_is_there_even_when_locked(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path, settings: Settings
) -> None:
    settings.set(CRISIS_COUNTRY, "US")
    window = make_window(_fresh(vault_path))
    assert window.current_page() == "unlock"
    assert window.menu_actions.crisis.isEnabled()
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert window.menu_actions.crisis in help_menu.actions()  # type: ignore[union-attr]
    window.menu_actions.crisis.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, CrisisDialog))
    qtbot.waitUntil(dialog.isVisible)
    assert "call 911 now" in dialog.panel.danger.text()
    assert "988" in dialog.panel.numbers.text()
    dialog.accept()


def test_the_crisis_dialog_shows_every_line_in_the_apps_large_type(
    qtbot: QtBot, qapp: QApplication, settings: Settings
) -> None:
    """With the theme's 20 pt type the longest list (GB) once lost its last
    line and the ends of sentences to a dialog too small for them."""
    font, sheet, palette = qapp.font(), qapp.styleSheet(), qapp.palette()
    apply_theme(qapp, settings.theme, settings.text_size)
    try:
        dialog = CrisisDialog("GB")
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(dialog.isVisible)
        assert "NHS 111" in dialog.panel.numbers.text()
        for line in dialog.panel.findChildren(QLabel):
            assert line.height() >= line.heightForWidth(line.width()), line.text()
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setFont(font)
        qapp.setPalette(palette)


def test_home_offers_a_questionnaire_after_two_weeks(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    window = make_window(_fresh(vault_path, phq_days_ago=15))
    unlock(qtbot, window)
    offer = window.home.offer
    assert offer.isVisible() and "Two weeks have passed since your last PHQ-9" in offer.text.text()
    qtbot.keyClick(offer.fill, Qt.Key.Key_Space)
    assert window.current_page() == "questionnaire"
    assert window.flows.checkins.questionnaire.heading.text().startswith("PHQ-9")
    window.go_home()
    qtbot.waitUntil(lambda: not window.runner.busy and offer.isVisible())  # not filled yet
    qtbot.keyClick(offer.later, Qt.Key.Key_Space)
    assert not offer.isVisible()
    window.go_home()
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert not offer.isVisible()  # "Not now" holds: it is kept in the journal, never nags
    from journal.core.journal import rhythm

    kept = run_in_vault(qtbot, window, rhythm.dismissed)
    assert any(key.startswith("questionnaire:phq9:") for key in kept)


def test_no_offer_within_two_weeks(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    window = make_window(_fresh(vault_path, phq_days_ago=3))
    unlock(qtbot, window)
    assert not window.home.offer.isVisible()


def test_lock_forgets_answers_in_progress(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    window = make_window(_fresh(vault_path))
    unlock(qtbot, window)
    window.flows.checkins.start_questionnaire(CheckinKind.PHQ9)
    _answer(qtbot, window, [3, 3])
    window.lock()
    assert window.flows.checkins.questionnaire.answers == []
    assert window.flows.checkins.questionnaire.item.text() == ""


def _colour_near(image: QImage, x: int, y: int, want: QColor, radius: int = 3) -> bool:
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            got = image.pixelColor(x + dx, y + dy)
            if all(
                abs(a - b) <= 40
                for a, b in zip(
                    (got.red(), got.green(), got.blue()),
                    (want.red(), want.green(), want.blue()),
                    strict=True,
                )
            ):
                return True
    return False


def test_trend_chart_renders_every_point_and_reads_them_out(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path, tmp_path: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current_page() == "trends")
    page = window.flows.checkins.trends
    qtbot.keyClick(page.segments["phq9"], Qt.Key.Key_Space)
    chart = page.chart
    phq = run_in_vault(qtbot, window, lambda v: v.checkins.all(CheckinKind.PHQ9))
    values = chart.values[0]
    assert values.count() == len(phq) == 4
    assert [values.at(i).y() for i in range(values.count())] == [c.total for c in phq]
    png = tmp_path / "phq9.png"
    assert chart.grab().save(str(png))
    image = QImage(str(png))
    assert image.width() > 600 and image.height() > 300
    accent = QColor(THEMES["calm_dark"].accent)
    ratio = image.width() / chart.width()
    for i in range(values.count()):
        position = chart.chart().mapToPosition(QPointF(values.at(i)), values)
        on_view = chart.mapFromScene(chart.chart().mapToScene(position))
        assert _colour_near(image, int(on_view.x() * ratio), int(on_view.y() * ratio), accent)
    # Hovering a point says its value.
    second = chart.mapFromScene(
        chart.chart().mapToScene(chart.chart().mapToPosition(QPointF(values.at(1)), values))
    )
    qtbot.mouseMove(chart.viewport(), second)
    qtbot.waitUntil(lambda: "PHQ-9 12 of 27" in page.readout.text(), timeout=3000)
    # Keyboard: focus lands on the latest point; Home goes to the first.
    chart.current = -1
    chart.setFocus()
    assert chart.current == 3 and "PHQ-9 5 of 27" in page.readout.text()
    qtbot.keyClick(chart, Qt.Key.Key_Home)
    assert page.readout.text().endswith("PHQ-9 15 of 27, moderately severe (the first).")
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    assert "-3 points (-20%) from the first" in page.readout.text()
    assert chart.accessibleDescription().startswith("Point 2 of 4.")
    assert chart.selection is not None and chart.selection.count() == 1
    # Another chart shown while the keyboard is on the chart reads out its latest point.
    page.choose("gad7")
    assert chart.hasFocus() and "GAD-7 4 of 21, minimal" in page.readout.text()
    # Mood: a pair per session and the daily check-ins, walked in time order.
    qtbot.keyClick(page.segments["mood"], Qt.Key.Key_Space)
    sessions = run_in_vault(qtbot, window, lambda v: v.sessions.all())
    moods = run_in_vault(qtbot, window, lambda v: v.checkins.all(CheckinKind.MOOD))
    assert len(chart.readouts) == len(sessions) + len([m for m in moods if m.session_id is None])
    assert [r.x for r in chart.readouts] == sorted(r.x for r in chart.readouts)


def test_report_pdf_carries_the_charts_and_the_flag_first(
    qapp: QApplication, vault: vaults.Vault
) -> None:
    populate(vault)
    vault.checkins.add(CheckinKind.PHQ9, [1, 1, 0, 1, 0, 1, 0, 0, 2])
    content = share.collect(
        vault, share.offer(vault, everything=True), now=datetime.now().astimezone()
    )
    pdf = PdfReader(io.BytesIO(report_pdf(report.report_html(content))))
    first = " ".join(pdf.pages[0].extract_text().replace("ﬁ", "fi").split())
    assert first.index("Please note first") < first.index("What I'd like to talk about")
    assert "item 9 (thoughts of self-harm) answered 2 of 3" in first
    images = [image.image for page in pdf.pages for image in page.images]
    assert all(image is not None for image in images)
    charts_drawn = [i for i in images if i is not None and i.width / i.height > 2]
    full_size = [i for i in charts_drawn if i.width >= 760 * 2]
    # Over time: mood, PHQ-9, GAD-7, the EBI; around each infusion: PHQ-9, GAD-7.
    assert len(full_size) == 6
    # The first screen's small trends, one per questionnaire, drawn sharp too.
    sparks = [i for i in charts_drawn if i not in full_size]
    assert len(sparks) == 3 and all(i.width >= 2 * 190 for i in sparks)
    # The demo's one sketch: under its prompt, and again in the motif index.
    assert [i.size for i in images if i not in charts_drawn] == [(1200, 800)] * 2


def test_every_control_on_every_page_has_an_accessible_name(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    controls = (
        QAbstractButton,
        QLineEdit,
        QPlainTextEdit,
        QAbstractItemView,
        QComboBox,
        QAbstractSpinBox,
        QChartView,
    )
    nameless = [
        f"{page_name}: {type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r}"
        for page_name, page in window.pages.items()
        for widget in page.findChildren(QWidget)
        if isinstance(widget, controls)
        and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        and widget.window() is window  # not a combo box's popup list
        and not widget.accessibleName()
        # Qt gives a button with text that text as its accessible name.
        and not (isinstance(widget, QAbstractButton) and widget.text())
        and not isinstance(widget.parent(), (QAbstractSpinBox, QComboBox))
    ]
    assert nameless == [], "\n".join(nameless)
