"""Every page and dialog on a small screen, and focus you can see.

At 1024×600 with the default 20 pt type (and at 1366×768 with the largest
text size) every visible control of every page lies inside the window, none
covers another, and none is cut at the side — only a page's content may
scroll, never its buttons. The focus indicator's contrast is computed from
each theme; Tab walks every page without being caught, reaching every
enabled control; placeholders and disabled text are measured on screen.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QScrollArea,
    QScrollBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from journal.ui import settings as keys
from journal.ui.settings import Settings
from journal.ui.theme import THEMES, contrast_ratio, stylesheet
from journal.ui.theme import apply as apply_theme
from journal.ui.widgets import ActionButton
from tests.gui.conftest import WindowFactory, unlock

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractSlider)
# Pages reached only through another screen with content of its own; each is
# shown here as it first appears.
PAGES_NEEDING_STATE = {"meditation"}


@pytest.fixture
def themed(qapp: QApplication, settings: Settings) -> Iterator[QApplication]:
    font, sheet, palette = qapp.font(), qapp.styleSheet(), qapp.palette()
    apply_theme(qapp, settings.theme, settings.text_size)
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
    qapp.setPalette(palette)


def _scroller(widget: QWidget, top: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _problems(top: QWidget, where: str) -> list[str]:
    """Controls outside ``top``, cut at the side, or covering each other."""
    found = []
    placed: list[tuple[QRect, QWidget]] = []
    area = top.rect()
    for control in top.findChildren(QWidget):
        if not isinstance(control, CONTROLS) or not control.isVisibleTo(top):
            continue
        if isinstance(control, QScrollBar) or isinstance(
            control.parentWidget(), (QComboBox, QAbstractSpinBox)
        ):
            continue  # a scroll bar, the parts of a combo box or spin box
        rect = QRect(control.mapTo(top, QPoint(0, 0)), control.size())
        name = f"{where}: {type(control).__name__} {control.accessibleName()!r}"
        scroll = _scroller(control, top)
        if scroll is None:
            if not area.contains(rect):
                found.append(f"{name} is not inside the window ({rect} in {area})")
            placed.append((rect, control))
        else:
            view = QRect(scroll.viewport().mapTo(top, QPoint(0, 0)), scroll.viewport().size())
            if rect.left() < view.left() - 1 or rect.right() > view.right() + 1:
                found.append(f"{name} is cut at the side ({rect} in {view})")
    for index, (rect, control) in enumerate(placed):
        for other_rect, other in placed[index + 1 :]:
            if control.isAncestorOf(other) or other.isAncestorOf(control):
                continue
            overlap = rect.intersected(other_rect)
            if overlap.width() > 2 and overlap.height() > 2:
                found.append(
                    f"{where}: {control.accessibleName()!r} and {other.accessibleName()!r} overlap"
                )
    return found


def _dialogs(window: Any) -> list[QDialog]:
    from journal.ui.pages.next_session import NextSessionDialog
    from journal.ui.pages.safety import CrisisDialog
    from journal.ui.safekeeping import ExportEverythingDialog, RestoreDialog
    from journal.ui.settings_dialog import SettingsDialog
    from journal.ui.sketch import SketchDialog

    return [
        SettingsDialog(window.settings, window),
        ExportEverythingDialog(window),
        RestoreDialog([], window),
        NextSessionDialog(window, None, __import__("datetime").date.today()),
        CrisisDialog("auto", window),
        SketchDialog(window),
    ]


@pytest.mark.parametrize(
    ("width", "height", "text_size"), [(1024, 600, 20), (1366, 768, keys.TEXT_SIZE.maximum)]
)
def test_every_page_and_dialog_fits_a_small_screen(
    qtbot: QtBot,
    qapp: QApplication,
    make_window: WindowFactory,
    demo_vault: Path,
    settings: Settings,
    width: int,
    height: int,
    text_size: int,
) -> None:
    font, sheet, palette = qapp.font(), qapp.styleSheet(), qapp.palette()
    apply_theme(qapp, settings.theme, text_size)
    try:
        window = make_window(demo_vault)
        unlock(qtbot, window)
        window.resize(width, height)
        problems: list[str] = []
        for name in window.pages:
            if name in PAGES_NEEDING_STATE:
                continue
            window.show_page(name)
            qtbot.wait(5)
            problems += _problems(window, f"{name} at {width}×{height}, {text_size} pt")
        problems += _dialog_problems(qtbot, _dialogs(window), width, height)
        assert problems == [], "\n".join(problems)
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setFont(font)
        qapp.setPalette(palette)


def _dialog_problems(
    qtbot: QtBot, dialogs: Iterable[QDialog], width: int, height: int
) -> list[str]:
    """Each dialog shown at the screen's size at most: what does not fit."""
    problems = []
    for dialog in dialogs:
        hint = dialog.minimumSizeHint()
        title = dialog.windowTitle()
        if hint.width() > width or hint.height() > height:
            problems.append(f"dialog {title!r} needs {hint.width()}×{hint.height()}")
        dialog.resize(
            min(width, dialog.sizeHint().width()), min(height, dialog.sizeHint().height())
        )
        dialog.show()
        qtbot.wait(5)
        problems += _problems(dialog, f"dialog {title!r} at {width}×{height}")
        dialog.close()
    return problems


# --- focus you can see ---------------------------------------------------------


@pytest.mark.parametrize("name", sorted(THEMES))
def test_the_focus_indicator_stands_out_in_every_theme(name: str) -> None:
    """WCAG 2.2 "Focus appearance": at least 2 px, and 3:1 against what is
    next to it — on every control, and on the accent-filled main buttons,
    whose double ring stands out from the page and from the fill."""
    theme = THEMES[name]
    sheet = stylesheet(theme, 20)
    for rule in sheet.split("}"):
        selector, _, body = rule.partition("{")
        widths = re.findall(r"border:\s*(\d+)px", body)
        if ":focus" in selector and widths:
            assert all(int(w) >= 2 for w in widths), rule
    assert ActionButton.RING >= 2
    # A control's 1 px border becomes a 3 px ring: at least 2 px of it replace
    # the page around the control (or its fill), which it must stand out from.
    assert "QPushButton {" in sheet and "border: 1px solid" in sheet.split("QPushButton {")[1]
    for neighbour in (theme.background, theme.surface):
        assert contrast_ratio(theme.focus, neighbour) >= 3, (name, neighbour)
    # The main button: outer ring (focus) | inner ring (on_accent) | fill (accent).
    assert contrast_ratio(theme.focus, theme.background) >= 3
    assert contrast_ratio(theme.focus, theme.on_accent) >= 3
    assert contrast_ratio(theme.on_accent, theme.accent) >= 3


def test_the_main_buttons_focus_ring_is_drawn(qtbot: QtBot, themed: QApplication) -> None:
    from journal.ui.theme import current
    from journal.ui.widgets import button

    holder = QWidget()
    qtbot.addWidget(holder)
    main = button("Continue", primary=True)
    main.setParent(holder)
    main.resize(300, 70)
    holder.resize(320, 90)
    holder.show()
    before = Counter(main.grab().toImage().pixelColor(x, 35).name() for x in range(0, 12))
    main.setFocus()
    qtbot.waitUntil(main.hasFocus)
    image = main.grab().toImage()
    after = Counter(image.pixelColor(x, 35).name() for x in range(0, 12))
    theme = current()
    assert before != after
    assert any(contrast_ratio(c, theme.accent) >= 3 for c in after), after


def _tab_walk(qtbot: QtBot, window: QWidget, start: QWidget, limit: int = 80) -> list[QWidget]:
    seen: list[QWidget] = []
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    for _ in range(limit):
        current = QApplication.focusWidget()
        assert isinstance(current, QWidget)
        if current in seen:
            break
        seen.append(current)
        qtbot.keyClick(current, Qt.Key.Key_Tab)
    return seen


@pytest.mark.parametrize("page", ["home", "session_form", "recall", "search", "checkin", "import"])
def test_tab_walks_every_page_and_reaches_every_control(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path, page: str
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    if page == "recall":
        window.home.start.click()
        qtbot.waitUntil(lambda: window.current_page() == "session_form")
        window.session_form.proceed.click()
        qtbot.waitUntil(lambda: window.current_page() == "recall")
    elif page == "session_form":
        window.home.start.click()
    elif page == "import":
        window.menu_actions.import_journal.trigger()
    else:
        window.show_page(page)
    qtbot.waitUntil(lambda: window.current_page() == page and not window.runner.busy)
    shown = window.pages[page]
    controls = [
        c
        for c in shown.findChildren(QWidget)
        if isinstance(c, CONTROLS)
        and c.isVisibleTo(window)
        and c.isEnabled()
        and c.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not isinstance(c.parentWidget(), (QComboBox, QAbstractSpinBox, QAbstractScrollArea))
        and not (isinstance(c, QAbstractButton) and c.group() is not None and not c.isChecked())
    ]
    first = next(c for c in controls)
    walked = _tab_walk(qtbot, window, first)
    # Around and back to the start: nobody is caught anywhere on the way.
    assert QApplication.focusWidget() is first
    missed = [f"{type(c).__name__} {c.accessibleName()!r}" for c in controls if c not in walked]
    assert missed == []


# --- contrast, measured on screen --------------------------------------------------


@pytest.mark.parametrize("name", sorted(THEMES))
def test_placeholders_and_disabled_text_are_legible(
    qtbot: QtBot, qapp: QApplication, name: str
) -> None:
    from journal.ui.widgets import button

    sheet, palette = qapp.styleSheet(), qapp.palette()
    theme = apply_theme(qapp, name, 20)
    try:
        holder = QWidget()
        qtbot.addWidget(holder)
        field = QLineEdit(holder)
        field.setPlaceholderText("Search your journal")
        field.resize(500, 60)
        back = button("Back")
        back.setParent(holder)
        back.setEnabled(False)
        back.move(0, 80)
        back.resize(200, 60)
        holder.resize(520, 160)
        holder.show()
        needed = 4.5 if name == "light" else 7.0

        def strongest(widget: QWidget, background: str) -> float:
            image = widget.grab().toImage()
            colours = {
                image.pixelColor(x, y).name()
                for x in range(30, image.width() - 30)
                for y in range(15, image.height() - 15)
            }
            return max(contrast_ratio(c, background) for c in colours)

        assert strongest(field, theme.surface) >= needed  # the placeholder, as drawn
        assert strongest(back, theme.background) >= 4.5  # disabled, and still legible
        assert "dashed" in stylesheet(theme, 20).split("QPushButton:disabled")[1].split("}")[0]
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)


# --- the therapist's workspace -------------------------------------------------------


def _workspace_with_patients(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> Any:
    """A workspace window with two patients (one with overlapping bundles, an
    agenda and notes), on the patient's page."""
    from datetime import date

    from journal.core.vault import vault as vaults
    from journal.core.workspace import keeping
    from tests.conftest import FAST_KDF, PASSPHRASE
    from tests.gui.conftest import run_in_vault
    from tests.gui.test_workspace import export_to, open_workspace, patient_journal

    path = tmp_path / "w" / "w.vault"
    vault, _ = vaults.create(path, PASSPHRASE, kdf=FAST_KDF, therapist=True)
    key = vault.keys.sharing_keys()[0].recipient
    for name, words in (("a", "lantern"), ("b", "harbour")):
        journal = patient_journal(tmp_path / name / "j.vault", words)
        for number in (1, 2):
            data = export_to(journal, tmp_path / f"{name}{number}.agb", key).read_bytes()
            keeping.keep(vault, keeping.open_file(vault, data))
        journal.close()
    vault.workspace.save_note(1, date.today(), "A note of **today**, rather long " * 8)
    vault.workspace.save_note(1, date(2026, 1, 5), "An older note")
    vault.close()
    window = open_workspace(qtbot, make_window, path)
    window.flows.workspace.open_patient(1)
    qtbot.waitUntil(lambda: window.current_page() == "patient" and not window.runner.busy)
    assert run_in_vault(qtbot, window, lambda v: len(v.workspace.patients())) == 2
    return window


def _workspace_dialogs(window: Any) -> list[QDialog]:
    from journal.ui.chooser import ChooserDialog, TextDialog
    from journal.ui.clinical_record import PasswordDialog, RecordDialog

    notes = window.flows.workspace.patient.notes.notes
    return [
        RecordDialog("Patient 1", notes, window),
        PasswordDialog("clinical-record-2026-12-02.pdf", "word-" * 8 + "end", window),
        TextDialog(window, "Rename the patient", "A name you will recognise.", "Ana", "Rename"),
        ChooserDialog(
            window, "Whose bundle is it?", "Keep it with:", [(0, "A new patient"), (1, "Ana")]
        ),
    ]


@pytest.mark.parametrize(
    ("width", "height", "text_size"), [(1024, 600, 20), (1366, 768, keys.TEXT_SIZE.maximum)]
)
def test_the_workspace_fits_a_small_screen(
    qtbot: QtBot,
    qapp: QApplication,
    make_window: WindowFactory,
    settings: Settings,
    tmp_path: Path,
    width: int,
    height: int,
    text_size: int,
) -> None:
    from journal.ui.pages.patient import TABS

    font, sheet, palette = qapp.font(), qapp.styleSheet(), qapp.palette()
    apply_theme(qapp, settings.theme, text_size)
    try:
        window = _workspace_with_patients(qtbot, make_window, tmp_path)
        window.resize(width, height)
        page = window.flows.workspace.patient
        problems: list[str] = []
        for index, name in enumerate(TABS):
            page.tabs.setCurrentIndex(index)
            qtbot.wait(5)
            problems += _problems(window, f"patient/{name} at {width}×{height}, {text_size} pt")
        window.flows.workspace.go_patients()
        qtbot.waitUntil(lambda: window.current_page() == "patients" and not window.runner.busy)
        problems += _problems(window, f"patients at {width}×{height}, {text_size} pt")
        window.flows.workspace.open_patient(1)
        qtbot.waitUntil(lambda: window.current_page() == "patient" and not window.runner.busy)
        problems += _dialog_problems(qtbot, _workspace_dialogs(window), width, height)
        assert problems == [], "\n".join(problems)
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setFont(font)
        qapp.setPalette(palette)


@pytest.mark.parametrize(
    "page", ["patients", "patient/Overview", "patient/Notes", "patient/Search"]
)
def test_tab_walks_the_workspace_s_pages(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, page: str
) -> None:
    from journal.ui.pages.patient import TABS

    window = _workspace_with_patients(qtbot, make_window, tmp_path)
    name, _, tab = page.partition("/")
    if name == "patients":
        window.flows.workspace.go_patients()
    else:
        window.flows.workspace.patient.tabs.setCurrentIndex(TABS.index(tab))
    qtbot.waitUntil(lambda: window.current_page() == name and not window.runner.busy)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    shown = window.pages[name]
    controls = [
        c
        for c in shown.findChildren(QWidget)
        if isinstance(c, (*CONTROLS, QAbstractScrollArea))
        and c.isVisibleTo(window)
        and c.isEnabled()
        and c.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not isinstance(c, QScrollArea)
        and not isinstance(c.parentWidget(), (QComboBox, QAbstractSpinBox, QAbstractScrollArea))
    ]
    first = controls[0]
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    walked: list[QWidget] = []
    for _ in range(80):  # Tab also steps through a date's day, month and year
        current = QApplication.focusWidget()
        assert isinstance(current, QWidget)
        if current is first and walked:
            break
        if current not in walked:
            walked.append(current)
        qtbot.keyClick(current, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is first  # around and back: nobody is caught
    missed = [f"{type(c).__name__} {c.accessibleName()!r}" for c in controls if c not in walked]
    assert missed == []
    unnamed = [type(c).__name__ for c in controls if not c.accessibleName()]
    assert unnamed == []
