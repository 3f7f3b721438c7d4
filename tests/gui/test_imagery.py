"""Sketches, pictures and voice notes in the app, and the motif catalog."""

from __future__ import annotations

import array
import io
import math
import wave
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QMouseEvent, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QPushButton
from pytestqt.qtbot import QtBot

from journal.core.imagery import media
from journal.core.journal import recall as recalls
from journal.core.model import Attachment, AttachmentKind, Motif
from journal.ui import dialogs, imagery, voice
from journal.ui.sketch import PAPER, SketchCanvas, SketchDialog
from journal.ui.voice import VoiceRecorder
from tests.conftest import PASSPHRASE
from tests.gui.conftest import WindowFactory, run_in_vault, unlock


def _mouse(widget: Any, kind: Any, pos: QPointF, buttons: Any) -> None:
    button = Qt.MouseButton.LeftButton
    event = QMouseEvent(
        kind,
        pos,
        widget.mapToGlobal(pos),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def draw_line(canvas: SketchCanvas, start: tuple[int, int], end: tuple[int, int]) -> None:
    """A stroke made of real mouse events: press, twenty moves, release."""
    left = Qt.MouseButton.LeftButton
    none = Qt.MouseButton.NoButton
    x0, y0 = start
    x1, y1 = end
    _mouse(canvas, QMouseEvent.Type.MouseButtonPress, QPointF(x0, y0), left)
    for step in range(1, 21):
        point = QPointF(x0 + (x1 - x0) * step / 20, y0 + (y1 - y0) * step / 20)
        _mouse(canvas, QMouseEvent.Type.MouseMove, point, left)
    _mouse(canvas, QMouseEvent.Type.MouseButtonRelease, QPointF(x1, y1), none)


def drag_and_drop(widget: Any, path: Path) -> None:
    """A file dragged from a file manager onto ``widget``: enter, then drop."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(QPoint(20, 20), *args)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(widget, QDropEvent(QPointF(20, 20), *args))


def _ink_pixels(png: bytes) -> int:
    image = QImage.fromData(png)
    paper = PAPER.rgb()
    return sum(
        1
        for y in range(0, image.height(), 4)
        for x in range(0, image.width(), 4)
        if image.pixel(x, y) != paper
    )


def _start_recall(qtbot: QtBot, window: Any, template_id: str = "right-after-gentle") -> Any:
    window.flows.journaling.session_id = None
    window.flows.journaling.start_template(template_id)
    qtbot.waitUntil(lambda: window.current_page() == "recall")
    return window.recall


def test_a_sketch_drawn_with_the_mouse_lands_in_the_vault_under_its_prompt(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    page = _start_recall(qtbot, window)
    qtbot.keyClick(page.skip, Qt.Key.Key_Space)  # to "images and colours"
    block = page.blocks[0]
    assert block.prompt.key == "images" and block.strip is not None
    drawn: dict[str, Any] = {}

    def draw_in_dialog(dialog: SketchDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        canvas = dialog.canvas
        assert dialog.keep.isEnabled() is False  # nothing to keep yet
        draw_line(canvas, (60, 60), (400, 260))
        dialog.inks.button(2).click()  # teal
        dialog.sizes.button(2).click()  # broad
        draw_line(canvas, (80, 280), (420, 90))
        assert len(canvas.strokes) == 2 and dialog.keep.isEnabled()
        ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
        dialog.activateWindow()  # shortcuts work in the active window
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClick(canvas, Qt.Key.Key_Z, ctrl)
        assert len(canvas.strokes) == 1 and dialog.redo_button.isEnabled()
        qtbot.keyClick(canvas, Qt.Key.Key_Z, ctrl | shift)
        assert len(canvas.strokes) == 2
        # Found in a real X session: a key bound twice is ambiguous and does nothing.
        keys = [sc.key().toString() for sc in dialog.findChildren(QShortcut)]
        assert len(keys) == len(set(keys)) and {"Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y"} <= set(keys)
        drawn["png"] = canvas.png()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SketchDialog, "exec", draw_in_dialog)
    block.strip.trigger("Draw a sketch")
    qtbot.waitUntil(lambda: bool(page.draft.attachments.get("images")))
    (sketch_id,) = page.draft.attachments["images"]
    assert len(block.strip.shown) == 1 and block.strip.shown[0].label == "Sketch"
    stored = run_in_vault(qtbot, window, lambda v: v.attachments.data(sketch_id))
    assert stored == drawn["png"] and stored.startswith(b"\x89PNG")
    assert _ink_pixels(stored) > 200  # not blank: both strokes are there
    page._on_finish()
    qtbot.waitUntil(lambda: window.current_page() == "home" and not window.runner.busy)
    meta = run_in_vault(qtbot, window, lambda v: v.attachments.get(sketch_id))
    assert meta.entry_id is not None and meta.prompt_key == "images"
    window.open_entry(meta.entry_id)
    qtbot.waitUntil(lambda: window.current_page() == "entry")
    html = window.entry_page.reader.toHtml()
    assert f"attachment:{sketch_id}" in html
    assert sketch_id in window.entry_page.reader.images  # shown from memory


def test_the_sketch_pad_clears_and_asks_before_throwing_a_sketch_away(
    qtbot: QtBot, answers: dict[str, Any]
) -> None:
    dialog = SketchDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    draw_line(dialog.canvas, (40, 40), (300, 200))
    assert not dialog.canvas.is_blank()
    answers["confirm"] = False
    dialog.reject()  # Esc / Cancel with a drawing: asked, and the answer was no
    assert dialog.isVisible()
    dialog.eraser.click()
    draw_line(dialog.canvas, (40, 40), (300, 200))
    assert dialog.canvas.strokes[-1].eraser
    dialog.canvas.clear_page()
    assert dialog.canvas.is_blank() and _ink_pixels(dialog.canvas.png()) == 0
    dialog.canvas.undo()  # clearing is undoable
    assert not dialog.canvas.is_blank()
    buttons = dialog.findChildren(QPushButton)
    assert len(buttons) == 16 and all(b.accessibleName() for b in buttons)  # 7 inks too
    assert dialog.canvas.accessibleName() == "Sketch canvas"


def _jpeg_with_gps(path: Path) -> Path:
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 22.0, 12.0)})
    Image.new("RGB", (900, 600), (30, 120, 160)).save(path, "JPEG", exif=exif.tobytes())
    return path


def test_a_dropped_photo_is_copied_in_without_gps(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path, tmp_path: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    entry_id = run_in_vault(qtbot, window, lambda v: v.entries.summaries()[0].id)
    window.open_entry(entry_id)
    qtbot.waitUntil(lambda: window.current_page() == "entry")
    strip = window.entry_page.strip
    photo = _jpeg_with_gps(tmp_path / "beach.jpg")
    drag_and_drop(strip, photo)
    qtbot.waitUntil(
        lambda: any(a.kind is AttachmentKind.IMAGE for a in strip.shown), timeout=10_000
    )
    metas = run_in_vault(qtbot, window, lambda v: v.attachments.for_entry(entry_id))
    (meta,) = [m for m in metas if m.kind is AttachmentKind.IMAGE]
    data = run_in_vault(qtbot, window, lambda v: v.attachments.data(meta.id))
    with Image.open(io.BytesIO(data)) as kept:
        assert kept.size == (900, 600)  # full size kept
        assert not kept.getexif().get_ifd(0x8825) and "exif" not in kept.info
    photo.unlink()  # a copy, not a reference: the journal still shows it
    window.open_entry(entry_id)
    qtbot.waitUntil(lambda: meta.id in window.entry_page.reader.images)
    shown = window.entry_page.reader.images[meta.id]
    assert max(shown.width(), shown.height()) <= 840  # a display copy


def test_bad_files_get_a_sentence_and_change_nothing(
    qtbot: QtBot,
    make_window: WindowFactory,
    demo_vault: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    messages: list[str] = []
    monkeypatch.setattr(dialogs, "show_message", lambda _p, _t, text, **_k: messages.append(text))
    huge = tmp_path / "poster.png"
    Image.new("1", (20_000, 30)).save(huge, "PNG")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(_jpeg_with_gps(tmp_path / "ok.jpg").read_bytes()[:300])
    text = tmp_path / "notes.txt"
    text.write_text("not a picture")
    before = run_in_vault(qtbot, window, lambda v: len(v.attachments.all()))
    window.flows.imagery.media.add_files(
        [huge, broken, text], imagery.Place(entry_id=1), lambda _r: None
    )
    qtbot.waitUntil(lambda: len(messages) == 3, timeout=10_000)
    assert "very large (20,000 × 30 pixels" in messages[0]
    assert "damaged" in messages[1] and "can't read that file" in messages[2]
    assert all("Nothing was added" in m for m in messages)
    assert run_in_vault(qtbot, window, lambda v: len(v.attachments.all())) == before


def _tone(seconds: float = 1.0, rate: int = 16_000) -> bytes:
    return array.array(
        "h",
        (int(9000 * math.sin(2 * math.pi * 330 * n / rate)) for n in range(int(rate * seconds))),
    ).tobytes()


def test_a_voice_note_is_recorded_in_memory_and_kept(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No microphone in CI: the recorder is fed generated samples, as the
    audio source would feed it, and kept."""
    window = make_window(demo_vault)
    unlock(qtbot, window)
    entry_id = run_in_vault(qtbot, window, lambda v: v.entries.summaries()[0].id)
    window.open_entry(entry_id)
    qtbot.waitUntil(lambda: window.current_page() == "entry")

    def record(recorder: VoiceRecorder) -> int:
        recorder.show()
        recorder.device = object()  # as if a microphone were there
        recorder.format = (16_000, 1, 2, False)
        for start in range(0, 32_000, 3_200):
            recorder.feed(_tone()[start : start + 3_200])
        assert recorder.meter.value() > 20  # the level meter moved
        recorder._tick()
        assert recorder.elapsed.text() == "0:01"
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(VoiceRecorder, "exec", record)
    qtbot.keyClick(window.entry_page.strip.ways["Record a voice note"], Qt.Key.Key_Space)
    qtbot.waitUntil(
        lambda: any(a.kind is AttachmentKind.AUDIO for a in window.entry_page.strip.shown),
        timeout=10_000,
    )
    (note,) = [a for a in window.entry_page.strip.shown if a.kind is AttachmentKind.AUDIO]
    assert note.label == "Voice note (0:01)"
    data = run_in_vault(qtbot, window, lambda v: v.attachments.data(note.id))
    with wave.open(io.BytesIO(data)) as reader:
        assert reader.getframerate() == 16_000
        assert reader.readframes(reader.getnframes()) == _tone()
    assert f"play:{note.id}" in window.entry_page.reader.toHtml()


def test_without_a_microphone_the_recorder_says_so(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voice, "default_input", lambda: None)
    recorder = VoiceRecorder(None, media.MAX_ATTACHMENT_BYTES)
    qtbot.addWidget(recorder)
    assert "No microphone was found" in recorder.status.text()
    assert not recorder.record.isEnabled() and recorder.recording() is None
    assert recorder.discard.text() == "Close"  # the one thing to do


def test_the_catalog_renames_merges_and_links(
    qtbot: QtBot,
    make_window: WindowFactory,
    demo_vault: Path,
    answers: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)

    def setup(vault: Any) -> tuple[int, int, int]:
        sea = vault.motifs.find_by_name("the sea") or vault.motifs.add(Motif("the sea"))
        ocean = vault.motifs.add(Motif("ocean", entry_ids=[vault.entries.summaries()[0].id]))
        png = media.prepare_image(_png()).data
        sketch = vault.attachments.add(Attachment(AttachmentKind.SKETCH, "image/png"), png)
        return sea.id, ocean.id, sketch.id

    sea_id, ocean_id, sketch_id = run_in_vault(qtbot, window, setup)
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    page = window.motifs_page
    qtbot.waitUntil(lambda: window.current_page() == "motifs" and page.detail is not None)
    ocean_row = next(i for i, (ident, _t) in enumerate(page.motif_names()) if ident == ocean_id)
    page.list.setCurrentRow(ocean_row)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.motif.id == ocean_id)
    # Linking one of the journal's sketches.
    monkeypatch.setattr(dialogs, "choose", lambda *a, **k: sketch_id)
    page.link.click()
    qtbot.waitUntil(lambda: len(window.flows.imagery.motif_strip.shown) == 1)
    # Renaming into a name in use is refused with a sentence.
    messages: list[str] = []
    monkeypatch.setattr(dialogs, "show_message", lambda _p, _t, text, **_k: messages.append(text))
    page.name.setText("The Sea")
    qtbot.keyClick(page.save, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(messages))
    assert "Merge" in messages[0]
    # Merging "ocean" into "the sea" keeps its entries and its sketch.
    monkeypatch.setattr(dialogs, "choose", lambda *a, **k: sea_id)
    page.merge.click()
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.motif.id == sea_id)
    assert ocean_id not in [i for i, _t in page.motif_names()]
    assert [a.id for a in page.detail.attachments] == [sketch_id]
    assert page.detail.passages and "the sea" in page.list.currentItem().text()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 60)).save(out, "PNG")
    return out.getvalue()


def test_locking_keeps_a_sketch_in_progress(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    page = _start_recall(qtbot, window)
    strip = page.blocks[0].strip
    kept: dict[str, Any] = {}

    def draw_then_lock(dialog: SketchDialog) -> int:
        dialog.show()
        draw_line(dialog.canvas, (30, 30), (200, 150))
        kept["png"] = dialog.canvas.png()
        window.lock()  # auto-lock while drawing
        return dialog.result()

    original = SketchDialog.exec
    SketchDialog.exec = draw_then_lock  # type: ignore[method-assign]
    try:
        strip.trigger("Draw a sketch")
    finally:
        SketchDialog.exec = original  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: window.current_page() == "unlock" and not window.runner.busy)
    window.unlock_page.passphrase.setText(PASSPHRASE)
    qtbot.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.unlocked and not window.runner.busy, timeout=10_000)
    draft = run_in_vault(qtbot, window, recalls.load_draft)
    (sketch_id,) = draft.attachments["first"]
    assert run_in_vault(qtbot, window, lambda v: v.attachments.data(sketch_id)) == kept["png"]


def test_a_picture_dropped_on_the_answer_is_attached_not_pasted(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path, tmp_path: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    page = _start_recall(qtbot, window)
    block = page.blocks[0]
    photo = tmp_path / "IMG_0042.png"
    Image.new("RGB", (300, 200), (90, 30, 120)).save(photo, "PNG")
    drag_and_drop(block.answer.viewport(), photo)
    qtbot.waitUntil(lambda: bool(page.draft.attachments.get("first")), timeout=10_000)
    assert str(tmp_path) not in block.answer.toPlainText()  # no path pasted into the text
    assert block.strip is not None and block.strip.shown[0].label == "Picture"


def test_a_pen_draws_with_its_pressure_and_erases_with_its_other_end(qtbot: QtBot) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent

    canvas = SketchCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(600, 400)
    canvas.show()

    def device(kind: QPointingDevice.PointerType) -> QPointingDevice:
        caps = QInputDevice.Capability.Pressure | QInputDevice.Capability.Position
        return QPointingDevice("pen", 7, QInputDevice.DeviceType.Stylus, kind, caps, 1, 3)

    def stroke(pen: QPointingDevice, points: list[tuple[float, float, float]]) -> None:
        kinds = [QEvent.Type.TabletPress] + [QEvent.Type.TabletMove] * (len(points) - 2)
        for kind, (x, y, pressure) in zip([*kinds, QEvent.Type.TabletRelease], points, strict=True):
            event = QTabletEvent(
                kind,
                pen,
                QPointF(x, y),
                QPointF(x, y),
                pressure,
                0.0,
                0.0,
                0.0,
                0.0,
                0.0,
                Qt.KeyboardModifier.NoModifier,
                Qt.MouseButton.LeftButton,
                Qt.MouseButton.LeftButton,
            )
            QApplication.sendEvent(canvas, event)

    tip = device(QPointingDevice.PointerType.Pen)
    stroke(tip, [(10, 10, 0.1), (200, 120, 0.9), (300, 200, 0.0)])
    (drawn,) = canvas.strokes
    assert [p[2] for p in drawn.points] == [0.1, 0.9]  # the release adds no point
    assert canvas._pen(drawn, 0.9).widthF() > 2 * canvas._pen(drawn, 0.1).widthF()
    stroke(device(QPointingDevice.PointerType.Eraser), [(10, 10, 0.5), (200, 120, 0.5), (0, 0, 0)])
    assert canvas.strokes[-1].eraser and not canvas.eraser  # only that stroke erases


def test_qt_plays_back_the_encoded_voice_note_from_memory(qtbot: QtBot) -> None:
    """The WAV made in memory from generated samples is decoded, every frame,
    by Qt's own media stack (what the player uses), read from a QBuffer."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtMultimedia import QAudioDecoder

    wav = media.encode_wav(_tone(), rate=16_000, channels=1, sample_width=2)
    buffer = QBuffer()
    buffer.setData(QByteArray(wav))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    decoder = QAudioDecoder()
    decoder.setSourceDevice(buffer)
    frames: list[int] = []
    errors: list[str] = []
    decoder.bufferReady.connect(lambda: frames.append(decoder.read().frameCount()))
    decoder.error.connect(lambda _e: errors.append(decoder.errorString()))
    with qtbot.waitSignal(decoder.finished, timeout=10_000):
        decoder.start()
    assert errors == [] and sum(frames) == 16_000


def test_a_recording_stops_itself_at_the_size_cap(qtbot: QtBot) -> None:
    class Source:  # the audio source is the edge: no microphone in CI
        stopped = False

        def stop(self) -> None:
            Source.stopped = True

        def deleteLater(self) -> None:  # noqa: N802
            pass

    recorder = VoiceRecorder(None, max_bytes=40_000)
    qtbot.addWidget(recorder)
    recorder.device = object()
    recorder.source = Source()
    recorder.format = (16_000, 1, 2, False)
    for start in range(0, 32_000, 8_000):
        recorder.feed(_tone(2.0)[start * 2 : start * 2 + 16_000])
    assert Source.stopped and recorder.source is None
    assert len(recorder.frames) <= 40_000 - 1024
    assert "longest length" in recorder.status.text()
    assert recorder.keep.isVisibleTo(recorder)


def test_the_sketch_pad_opens_from_a_prompt_by_keyboard_alone(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QTimer

    window = make_window(demo_vault)
    unlock(qtbot, window)
    page = _start_recall(qtbot, window)
    block = page.blocks[0]
    assert block.answer.hasFocus()
    qtbot.keyClick(block.answer, Qt.Key.Key_Tab)
    assert block.strip is not None and block.strip.menu_button.hasFocus()
    opened: list[str] = []
    monkeypatch.setattr(
        SketchDialog, "exec", lambda dialog: opened.append("sketch") or QDialog.DialogCode.Rejected
    )

    def choose_first() -> None:
        menu = QApplication.activePopupWidget()
        assert menu is not None and menu.actions()[0].text() == "Draw a sketch"
        qtbot.keyClick(menu, Qt.Key.Key_Down)
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(200, choose_first)
    qtbot.keyClick(block.strip.menu_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: opened == ["sketch"])
