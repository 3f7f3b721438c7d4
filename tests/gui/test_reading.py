"""Reading, editing with live preview, reflections, search and motifs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from journal.ui.pages.home import ID_ROLE, KIND_ROLE
from tests.gui.conftest import WindowFactory, run_in_vault, type_text, unlock


def _open_first_entry(qtbot: QtBot, window: object, title: str) -> int:
    model = window.home.model  # type: ignore[attr-defined]
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(KIND_ROLE) == "entry" and title in index.data():
            window.home.timeline.setCurrentIndex(index)  # type: ignore[attr-defined]
            window.home.timeline.setFocus()  # type: ignore[attr-defined]
            qtbot.keyClick(window.home.timeline, Qt.Key.Key_Return)  # type: ignore[attr-defined]
            qtbot.waitUntil(lambda: window.current_page() == "entry")  # type: ignore[attr-defined]
            return int(index.data(ID_ROLE))
    raise AssertionError(title)


def test_entry_view_renders_sanitised_markdown(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    _open_first_entry(qtbot, window, "Looking back at the first session")
    html = window.entry_page.reader.toHtml()
    assert "permission to wait" in html
    assert "font-weight" in html  # **bold** rendered
    assert "A reflection on" in window.entry_page.reader.toPlainText()


def test_edit_with_live_preview_records_when(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    entry_id = _open_first_entry(qtbot, window, "Session 3 — next day")
    page = window.entry_page
    qtbot.keyClick(page.edit_button, Qt.Key.Key_Space)
    editor = page._editors[0][1]
    assert editor.hasFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    type_text(editor, " **Strong** <script>alert(1)</script>")
    preview = page.preview.toPlainText()
    assert "Strong" in preview and "<script>alert(1)</script>" in preview  # shown as text
    assert "font-weight" in page.preview.toHtml()
    qtbot.keyClick(page.save_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "edited" in page.reader.toPlainText() and not window.runner.busy)
    entry = run_in_vault(qtbot, window, lambda v: v.entries.get(entry_id))
    assert entry.answers[0].text.endswith(" **Strong** <script>alert(1)</script>")
    assert entry.edited_at is not None


def test_add_reflection_leaves_the_raw_entry_unchanged(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    entry_id = _open_first_entry(qtbot, window, "Session 2 — right after")
    before = run_in_vault(qtbot, window, lambda v: v.entries.get(entry_id))
    page = window.entry_page
    qtbot.keyClick(page.reflect_button, Qt.Key.Key_Space)
    editor = page._editors[0][1]
    type_text(editor, "Now I see: the kitchen was safety. 💛")
    qtbot.keyClick(page.save_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "kitchen was safety" in page.reader.toPlainText())
    after = run_in_vault(qtbot, window, lambda v: v.entries.get(entry_id))
    reflections = run_in_vault(qtbot, window, lambda v: v.entries.reflections_of(entry_id))
    assert after == before
    assert [r.answers[0].text for r in reflections] == ["Now I see: the kitchen was safety. 💛"]


def test_search_as_you_type_and_enter_opens(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path, qtmodeltester: ModelTester
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == "search"
    field = window.search_page.field
    assert field.hasFocus() and field.accessibleName() == "Search"
    type_text(field, "ceili")
    qtbot.waitUntil(lambda: window.search_page.model.rowCount() > 0)
    qtmodeltester.check(window.search_page.model)
    hit = window.search_page.model.hits[0]
    assert [p.text for p in hit.snippet if p.highlighted] == ["ceiling"]
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() == "entry")
    assert "The ceiling dissolved" in window.entry_page.reader.toPlainText()


def test_a_motif_hit_opens_the_motifs(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    window.go_search()
    type_text(window.search_page.field, "lighthouse kitchen grandmother")
    qtbot.waitUntil(lambda: "Nothing found" in window.search_page.status.text())
    window.search_page.field.clear()
    type_text(window.search_page.field, "kitchen")
    qtbot.waitUntil(lambda: window.search_page.model.rowCount() > 0)
    kinds = [h.kind for h in window.search_page.model.hits]
    assert "motif" in kinds
    window.search_page.results.setCurrentIndex(
        window.search_page.model.index(kinds.index("motif"), 0)
    )
    window.search_page.results.setFocus()
    qtbot.keyClick(window.search_page.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() == "motifs")


def test_search_for_nothing_says_so(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    window.go_search()
    type_text(window.search_page.field, "zebra")
    qtbot.waitUntil(lambda: "Nothing found" in window.search_page.status.text())


def test_motifs_recurring_first(qtbot: QtBot, make_window: WindowFactory, demo_vault: Path) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current_page() == "motifs")
    first = window.motifs_page.list.item(0).text()
    assert first.startswith("a door in the ocean")
    assert "in 3 sessions" in first


def test_timeline_model_is_sound(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path, qtmodeltester: ModelTester
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    qtmodeltester.check(window.home.model)
    kinds = [
        window.home.model.index(r, 0).data(KIND_ROLE) for r in range(window.home.model.rowCount())
    ]
    assert kinds.count("session") == 4 and kinds.count("entry") == 10
