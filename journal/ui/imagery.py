"""Sketches, pictures and voice notes: the sketch pad, the voice recorder, the
player, and the strip of attachments shown under a prompt, an entry or a motif.

Nothing here touches the disk: a sketch is painted into a `QImage` and saved
as PNG into memory, a recording is collected from the audio source into
memory and encoded to WAV in `journal.core.media`, and playback reads from a
`QBuffer`. The vault work (checking, storing, loading thumbnails) runs on the
vault thread through `MediaActions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QElapsedTimer,
    QIODevice,
    QObject,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QShortcut,
    QTabletEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal.core.model import Attachment
from journal.ui import dialogs
from journal.ui.widgets import button, label

# -- the sketch pad ----------------------------------------------------------------

PAPER = QColor("#f6f1e7")
# Calm, distinct inks that read well on the paper (each at least 3:1 against it).
INKS = [
    ("Charcoal", "#2b2a28"),
    ("Deep blue", "#2f5d9e"),
    ("Teal", "#1f7a70"),
    ("Moss", "#4f7a2a"),
    ("Amber", "#a8650f"),
    ("Rose", "#b23a55"),
    ("Violet", "#6b4a9e"),
]
SIZES = [("Fine", 3.0), ("Medium", 9.0), ("Broad", 24.0)]
CANVAS = QSize(1200, 800)


@dataclass
class Stroke:
    """One stroke (or a clearing of the page): replayed to undo and redo."""

    color: str
    width: float
    eraser: bool = False
    clear: bool = False
    points: list[tuple[float, float, float]] = field(default_factory=list)  # x, y, pressure


class SketchCanvas(QWidget):
    """A sheet of paper to draw on with a mouse, a pen (with pressure where
    the device gives it) or a finger (Qt turns touches into mouse events).

    Strokes are kept as points and replayed onto the image, so undo and redo
    cost little memory however long the patient draws."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Sketch canvas")
        self.setAccessibleDescription(
            "Draw with the mouse, a pen or a finger. Ctrl+Z undoes, Ctrl+Shift+Z redoes."
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(480, 320)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.image = QImage(CANVAS, QImage.Format.Format_RGB32)
        self.image.fill(PAPER)
        self.strokes: list[Stroke] = []
        self.undone: list[Stroke] = []
        self.color = INKS[0][1]
        self.brush = SIZES[1][1]
        self.eraser = False
        self._current: Stroke | None = None

    # -- geometry: the paper keeps its shape inside the widget ---------------------

    def _paper_rect(self) -> QRectF:
        scale = min(self.width() / CANVAS.width(), self.height() / CANVAS.height())
        w, h = CANVAS.width() * scale, CANVAS.height() * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def _to_image(self, pos: QPointF) -> tuple[float, float]:
        rect = self._paper_rect()
        scale = CANVAS.width() / rect.width() if rect.width() else 1.0
        return (pos.x() - rect.x()) * scale, (pos.y() - rect.y()) * scale

    # -- drawing -------------------------------------------------------------

    def _pen(self, stroke: Stroke, pressure: float) -> QPen:
        color = PAPER if stroke.eraser else QColor(stroke.color)
        width = stroke.width * (2.5 if stroke.eraser else 0.35 + 0.9 * pressure)
        pen = QPen(color, max(1.0, width))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def _paint_segment(self, painter: QPainter, stroke: Stroke, index: int) -> None:
        x, y, pressure = stroke.points[index]
        painter.setPen(self._pen(stroke, pressure))
        if index == 0:
            painter.drawPoint(QPointF(x, y))
        else:
            px, py, _ = stroke.points[index - 1]
            painter.drawLine(QPointF(px, py), QPointF(x, y))

    def _replay(self) -> None:
        self.image.fill(PAPER)
        painter = QPainter(self.image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for stroke in self.strokes:
            if stroke.clear:
                painter.fillRect(self.image.rect(), PAPER)
                continue
            for index in range(len(stroke.points)):
                self._paint_segment(painter, stroke, index)
        painter.end()
        self.update()

    def begin(self, pos: QPointF, pressure: float = 0.5, *, eraser: bool = False) -> None:
        self._current = Stroke(self.color, self.brush, eraser=self.eraser or eraser)
        self.strokes.append(self._current)
        self.undone.clear()
        self.extend(pos, pressure)

    def extend(self, pos: QPointF, pressure: float = 0.5) -> None:
        if self._current is None:
            return
        x, y = self._to_image(pos)
        self._current.points.append((x, y, max(0.05, min(1.0, pressure))))
        painter = QPainter(self.image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_segment(painter, self._current, len(self._current.points) - 1)
        painter.end()
        self.update()

    def end(self) -> None:
        if self._current is not None:
            self._current = None
            self.changed.emit()

    def undo(self) -> None:
        if self.strokes:
            self.undone.append(self.strokes.pop())
            self._replay()
            self.changed.emit()

    def redo(self) -> None:
        if self.undone:
            self.strokes.append(self.undone.pop())
            self._replay()
            self.changed.emit()

    def clear_page(self) -> None:
        """Clear the page (undoable: it is a step like a stroke)."""
        if not self.is_blank():
            self.strokes.append(Stroke("", 0, clear=True))
            self.undone.clear()
            self._replay()
            self.changed.emit()

    def is_blank(self) -> bool:
        """True when nothing drawn shows (no strokes since the last clear)."""
        for stroke in reversed(self.strokes):
            if stroke.clear:
                return True
            if stroke.points and not stroke.eraser:
                return False
        return True

    def png(self) -> bytes:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.image.save(buffer, "PNG")  # type: ignore[call-overload]
        return bytes(buffer.data().data())

    # -- input -----------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt naming)
        if event.button() == Qt.MouseButton.LeftButton:
            self.begin(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt naming)
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt naming)
        if event.button() == Qt.MouseButton.LeftButton:
            self.end()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 (Qt naming)
        """A pen: its pressure sets the width; its eraser end erases."""
        from PySide6.QtGui import QPointingDevice

        kind = event.type()
        eraser = event.pointerType() == QPointingDevice.PointerType.Eraser
        if kind == QTabletEvent.Type.TabletPress:
            self.begin(event.position(), event.pressure(), eraser=eraser)
        elif kind == QTabletEvent.Type.TabletMove and self._current is not None:
            self.extend(event.position(), event.pressure())
        elif kind == QTabletEvent.Type.TabletRelease:
            self.end()
        event.accept()  # no mouse event is made from it then

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt naming)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(self._paper_rect(), self.image)
        if self.hasFocus():
            pen = QPen(self.palette().highlight().color(), 3)
            painter.setPen(pen)
            painter.drawRect(self._paper_rect().adjusted(1, 1, -1, -1))
        painter.end()


class SketchDialog(QDialog):
    """The sketch pad: inks, sizes, eraser, undo, redo, clear; keep or cancel."""

    def __init__(self, parent: QWidget | None, title: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Sketch")
        self.setModal(True)
        self.on_keep: Callable[[bytes], None] | None = None
        self.canvas = SketchCanvas()
        self.inks = QButtonGroup(self)
        ink_row = QHBoxLayout()
        ink_row.setSpacing(8)
        for index, (name, color) in enumerate(INKS):
            swatch = QPushButton()
            swatch.setObjectName("swatch")
            swatch.setCheckable(True)
            swatch.setChecked(index == 0)
            swatch.setAccessibleName(f"Ink: {name}")
            swatch.setToolTip(name)
            swatch.setFixedSize(44, 44)
            swatch.setStyleSheet(
                f"QPushButton {{ background: {color}; border-radius: 22px; padding: 0; "
                "min-width: 44px; max-width: 44px; min-height: 44px; max-height: 44px; "
                f"border: 2px solid {PAPER.name()}; }} "
                f"QPushButton:checked {{ border: 6px solid {PAPER.name()}; }} "
                "QPushButton:focus { border: 6px solid #f2c894; }"
            )
            swatch.clicked.connect(lambda _=False, c=color: self._choose_ink(c))
            self.inks.addButton(swatch, index)
            ink_row.addWidget(swatch)
        self.sizes = QButtonGroup(self)
        size_row = QHBoxLayout()
        for index, (name, width) in enumerate(SIZES):
            size = button(name, accessible=f"Brush size: {name}")
            size.setObjectName("segment")
            size.setCheckable(True)
            size.setChecked(index == 1)
            size.clicked.connect(lambda _=False, w=width: self._choose_size(w))
            self.sizes.addButton(size, index)
            size_row.addWidget(size)
        self.eraser = button("Eraser")
        self.eraser.setObjectName("segment")
        self.eraser.setCheckable(True)
        self.eraser.toggled.connect(self._on_eraser)
        self.undo_button = button("Undo", accessible="Undo (Ctrl+Z)")
        self.redo_button = button("Redo", accessible="Redo (Ctrl+Shift+Z)")
        self.clear_button = button("Clear")
        self.undo_button.clicked.connect(self.canvas.undo)
        self.redo_button.clicked.connect(self.canvas.redo)
        self.clear_button.clicked.connect(self.canvas.clear_page)
        # The platform's keys and the common ones, each once: two shortcuts
        # with the same keys are ambiguous and neither fires.
        for standard, usual, slot in (
            (QKeySequence.StandardKey.Undo, ["Ctrl+Z"], self.canvas.undo),
            (QKeySequence.StandardKey.Redo, ["Ctrl+Shift+Z", "Ctrl+Y"], self.canvas.redo),
        ):
            keys = {k.toString() for k in QKeySequence.keyBindings(standard)} | set(usual)
            for key in sorted(keys):
                QShortcut(QKeySequence(key), self, slot)
        self.keep = button("Keep sketch", primary=True)
        self.cancel = button("Cancel")
        self.keep.clicked.connect(self.accept)
        self.cancel.clicked.connect(self.reject)
        self.canvas.changed.connect(self._update_buttons)
        tools = QHBoxLayout()
        tools.addLayout(ink_row)
        tools.addSpacing(16)
        tools.addLayout(size_row)
        tools.addWidget(self.eraser)
        tools.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.cancel)
        bottom.addStretch(1)
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.redo_button)
        bottom.addWidget(self.clear_button)
        bottom.addSpacing(24)
        bottom.addWidget(self.keep)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        heading = label(title or "Draw what you saw", name="title")
        layout.addWidget(heading)
        layout.addLayout(tools)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(bottom)
        self.resize(1100, 860)
        self._update_buttons()
        self.canvas.setFocus()

    def _choose_ink(self, color: str) -> None:
        self.canvas.color = color
        self.eraser.setChecked(False)

    def _choose_size(self, width: float) -> None:
        self.canvas.brush = width

    def _on_eraser(self, on: bool) -> None:
        self.canvas.eraser = on

    def _update_buttons(self) -> None:
        self.undo_button.setEnabled(bool(self.canvas.strokes))
        self.redo_button.setEnabled(bool(self.canvas.undone))
        self.clear_button.setEnabled(not self.canvas.is_blank())
        self.keep.setEnabled(not self.canvas.is_blank())

    def close_for_lock(self) -> None:
        """Locking: a sketch in progress is kept (``on_keep``), not lost."""
        if not self.canvas.is_blank() and self.on_keep is not None:
            self.on_keep(self.canvas.png())
        QDialog.reject(self)

    def reject(self) -> None:
        if not self.canvas.is_blank() and not dialogs.confirm(
            self,
            "Sketch",
            "Leave without keeping this sketch?",
            yes="Leave it",
            no="Keep drawing",
        ):
            return
        super().reject()


# -- voice notes -------------------------------------------------------------------


def default_input() -> Any:
    """The system's default microphone, or None where there is none or
    QtMultimedia cannot load (the edge tests replace)."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return None
    device = QMediaDevices.defaultAudioInput()
    return None if device.isNull() else device


@dataclass(frozen=True)
class Recording:
    frames: bytes
    rate: int
    channels: int
    sample_width: int
    is_float: bool


class VoiceRecorder(QDialog):
    """Record from the microphone into memory: a level meter and the elapsed
    time while recording; then keep it, record again, or discard it."""

    def __init__(self, parent: QWidget | None, max_bytes: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("Voice note")
        self.setModal(True)
        self.max_bytes = max_bytes
        self.on_keep: Callable[[Recording], None] | None = None
        self.frames = bytearray()
        self.source: Any = None
        self._io: Any = None
        self.format: tuple[int, int, int, bool] = (16_000, 1, 2, False)
        self.clock = QElapsedTimer()
        self.ticker = QTimer(self)
        self.ticker.setInterval(200)
        self.ticker.timeout.connect(self._tick)
        self.status = label("")
        self.elapsed = label("0:00", name="title", wrap=False)
        self.elapsed.setAccessibleName("Elapsed time")
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setAccessibleName("Sound level")
        self.meter.setMinimumHeight(18)
        self.record = button("Start recording", primary=True)
        self.record.clicked.connect(self._toggle)
        self.keep = button("Keep voice note", primary=True)
        self.again = button("Record again")
        self.discard = button("Discard")
        self.keep.clicked.connect(self.accept)
        self.again.clicked.connect(self._again)
        self.discard.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.discard)
        row.addStretch(1)
        row.addWidget(self.again)
        row.addWidget(self.record)
        row.addWidget(self.keep)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(16)
        layout.addWidget(label("A voice note", name="title"))
        layout.addWidget(label("Say what you saw, in your own words.", name="hint"))
        layout.addWidget(self.status)
        layout.addWidget(self.elapsed)
        layout.addWidget(self.meter)
        layout.addLayout(row)
        self.device = default_input()
        if self.device is None:
            self.status.setText(
                "No microphone was found, so recording is not possible on this computer. "
                "You can still add a sound file, draw, or write."
            )
            self.record.setEnabled(False)
        else:
            self.status.setText(
                "Press Start recording and speak; the recording stays in memory until you "
                "keep it in your journal."
            )
        self._show_state(recording=False)
        self.setMinimumSize(760, 440)

    def _show_state(self, *, recording: bool) -> None:
        has = bool(self.frames)
        self.record.setText("Stop" if recording else "Start recording")
        self.record.setAccessibleName(self.record.text())
        self.record.setVisible(recording or not has)
        self.keep.setVisible(has and not recording)
        self.again.setVisible(has and not recording)
        self.meter.setVisible(self.device is not None)
        (self.keep if has and not recording else self.record).setFocus()

    def _toggle(self) -> None:
        if self.source is None:
            self.start()
        else:
            self.stop()

    def start(self) -> None:
        from PySide6.QtMultimedia import QAudio, QAudioFormat, QAudioSource

        wanted = QAudioFormat()
        wanted.setSampleRate(16_000)
        wanted.setChannelCount(1)
        wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        chosen = wanted if self.device.isFormatSupported(wanted) else self.device.preferredFormat()
        sample = chosen.sampleFormat()
        widths = {
            QAudioFormat.SampleFormat.UInt8: 1,
            QAudioFormat.SampleFormat.Int16: 2,
            QAudioFormat.SampleFormat.Int32: 4,
            QAudioFormat.SampleFormat.Float: 4,
        }
        self.format = (
            chosen.sampleRate(),
            chosen.channelCount(),
            widths.get(sample, 2),
            sample == QAudioFormat.SampleFormat.Float,
        )
        self.frames.clear()
        self.source = QAudioSource(self.device, chosen, self)
        self._io = self.source.start()
        if self._io is None or self.source.error() != QAudio.Error.NoError:
            self.source.deleteLater()
            self.source, self._io = None, None
            self.status.setText(
                "The microphone could not be opened. Is another program using it? "
                "You can still add a sound file, draw, or write."
            )
            return
        self._io.readyRead.connect(self._read)
        self.clock.start()
        self.ticker.start()
        self.status.setText("Recording… press Stop when you are done.")
        self._show_state(recording=True)

    def _read(self) -> None:
        if self._io is not None:
            self.feed(bytes(self._io.readAll().data()))

    def feed(self, chunk: bytes) -> None:
        """Samples from the source: kept, and shown on the level meter."""
        from journal.core.media import level

        room = self.max_bytes - 1024 - len(self.frames)
        self.frames += chunk[: max(0, room)]
        width, is_float = self.format[2], self.format[3]
        self.meter.setValue(0 if is_float else int(100 * level(chunk, width)))
        if room <= len(chunk) and self.source is not None:
            self.stop()
            self.status.setText("The voice note reached its longest length and was stopped.")

    def _tick(self) -> None:
        rate, channels, width, _ = self.format
        seconds = len(self.frames) // max(1, rate * channels * width)
        self.elapsed.setText(f"{seconds // 60}:{seconds % 60:02d}")

    def stop(self) -> None:
        source, self.source = self.source, None
        if source is not None:
            device, self._io = self._io, None
            if device is not None:
                self.feed(bytes(device.readAll().data()))  # the last samples
            source.stop()
            source.deleteLater()
        self.ticker.stop()
        self._tick()
        self.meter.setValue(0)
        self.status.setText(
            "Keep it in your journal, record again, or discard it."
            if self.frames
            else "Nothing was recorded. Is the microphone muted?"
        )
        self._show_state(recording=False)

    def _again(self) -> None:
        self.frames.clear()
        self.start()

    def recording(self) -> Recording | None:
        if not self.frames:
            return None
        rate, channels, width, is_float = self.format
        return Recording(bytes(self.frames), rate, channels, width, is_float)

    def close_for_lock(self) -> None:
        """Locking: a recording is stopped and kept (``on_keep``), not lost."""
        if self.source is not None:
            self.stop()
        taken = self.recording()
        if taken is not None and self.on_keep is not None:
            self.on_keep(taken)
        self.done(QDialog.DialogCode.Rejected)

    def done(self, result: int) -> None:
        if self.source is not None:
            self.stop()
        if result != QDialog.DialogCode.Accepted:
            self.frames.clear()  # a discarded recording is gone
        super().done(result)


class SoundPlayer(QObject):
    """Plays a voice note from memory (a `QBuffer`), never from a file."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.player: Any = None
        self._buffer: QBuffer | None = None

    @staticmethod
    def make_player(parent: QObject) -> Any:
        """A media player with an audio output (the edge tests replace); None
        where QtMultimedia cannot load."""
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
        except ImportError:
            return None
        player = QMediaPlayer(parent)
        player.setAudioOutput(QAudioOutput(player))
        return player

    def play(self, data: bytes, name: str = "voice note") -> bool:
        """Start playing; False where audio cannot play on this computer."""
        if self.player is None:
            self.player = self.make_player(self)
            if self.player is None:
                return False
        self.stop()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.player.setSourceDevice(self._buffer, QUrl(f"memory:{name}"))
        self.player.play()
        return True

    def stop(self) -> None:
        """Stop, and let go of the sound held in memory."""
        if self.player is not None:
            self.player.stop()
            self.player.setSource(QUrl())
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None


NO_AUDIO = (
    "Sound can't be played here: the system's audio library is missing "
    "(on Debian and Ubuntu: the package libpulse0)."
)


# -- the strip under a prompt, an entry or a motif -----------------------------------


@dataclass(frozen=True)
class Place:
    """Where new attachments land: an entry (and one of its prompts), a
    prompt of a recall not yet finished (no entry), or a motif."""

    entry_id: int | None = None
    prompt_key: str = ""
    motif_id: int | None = None


THUMB = 128


class AttachmentStrip(QWidget):
    """Tiles of the sketches, pictures and voice notes of one place, and the
    buttons that add more: Draw, Add picture, Record, Add sound file. Files
    dropped on it (or on the widgets it watches) are added too."""

    added = Signal(object)  # Attachment
    removed = Signal(int)

    def __init__(
        self,
        media: MediaActions,
        *,
        link_to_motif: bool = True,
        compact: bool = False,
        menu: bool = False,
    ) -> None:
        """``compact``: tiles show names only (where the pictures are shown
        in full beside the strip, as in the entry view). ``menu``: one
        button with the four ways in a menu (where the screen is for one
        prompt and has no room for four buttons)."""
        super().__init__()
        self.media = media
        self.compact = compact
        self.place = Place()
        self.link_to_motif = link_to_motif
        self.setAcceptDrops(True)
        self.tiles = QHBoxLayout()
        self.tiles.setSpacing(10)
        ways: list[tuple[str, str, str, Callable[[], None]]] = [
            ("Draw", "Draw a sketch", "Draw what you saw", self._draw),
            (
                "Picture…",
                "Add a picture",
                "Add a picture from this computer (you can also drop one here)",
                self._picture,
            ),
            ("Voice note", "Record a voice note", "Record with the microphone", self._record),
            ("Sound file…", "Add a sound file", "Add a sound file from this computer", self._sound),
        ]
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(8)
        self.ways: dict[str, Any] = {}
        if menu:
            self.menu_button = button("Draw, picture or voice note…")
            self.menu_button.setToolTip("Draw, add a picture, or record what you saw")
            chooser = QMenu(self.menu_button)
            for _text, name, _tip, slot in ways:
                self.ways[name] = chooser.addAction(name, slot)
            self.menu_button.setMenu(chooser)
            self.buttons.addWidget(self.menu_button)
            self.buttons.addStretch(1)
        else:
            for text, name, tip, slot in ways:
                way = button(text, accessible=name)
                way.setToolTip(tip)
                way.clicked.connect(slot)
                self.ways[name] = way
                self.buttons.addWidget(way)
            self.buttons.addStretch(1)
        self.tile_box = QWidget()
        self.tile_box.setLayout(self.tiles)
        self.tiles.setContentsMargins(0, 0, 0, 0)
        self.tiles.addStretch(1)
        self.tile_box.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        if menu:  # one row: the button, then the tiles beside it
            self.buttons.insertWidget(1, self.tile_box)
            self.buttons.setAlignment(self.menu_button, Qt.AlignmentFlag.AlignTop)
        else:
            layout.addWidget(self.tile_box)
        layout.addLayout(self.buttons)
        self.shown: list[Attachment] = []

    def trigger(self, name: str) -> None:
        """Start one of the ways in by its name ("Draw a sketch", …)."""
        way = self.ways[name]
        (way.trigger if isinstance(way, QAction) else way.click)()

    def _draw(self) -> None:
        self.media.draw(self.place, self._on_added)

    def _picture(self) -> None:
        self.media.add_picture(self.place, self._on_added)

    def _record(self) -> None:
        self.media.record(self.place, self._on_added)

    def _sound(self) -> None:
        self.media.add_sound(self.place, self._on_added)

    def set_place(self, place: Place) -> None:
        self.place = place

    def watch(self, widget: QWidget) -> None:
        """Take files dropped on ``widget`` (an answer editor) as attachments,
        instead of pasting their paths into the text."""
        widget.installEventFilter(self)
        viewport = getattr(widget, "viewport", None)
        if viewport is not None:  # text editors take drops on their viewport
            viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: Any) -> bool:  # noqa: N802 (Qt naming)
        from PySide6.QtCore import QEvent

        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and _local_files(event):
            event.acceptProposedAction()
            return True
        if event.type() == QEvent.Type.Drop and _local_files(event):
            self.dropEvent(event)
            return True
        return False

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt naming)
        if _local_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt naming)
        files = _local_files(event)
        if files:
            event.acceptProposedAction()
            self.media.add_files(files, self.place, self._on_added)

    def show_attachments(self, items: list[tuple[Attachment, QImage | None]]) -> None:
        while self.tiles.count() > 1:
            taken = self.tiles.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self.shown = []
        for meta, thumb in items:
            self._add_tile(meta, thumb)
        self.tile_box.setVisible(bool(items))

    def _add_tile(self, meta: Attachment, thumb: QImage | None) -> None:
        tile = QToolButton()
        tile.setObjectName("tile")
        tile.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonTextOnly
            if self.compact
            else Qt.ToolButtonStyle.ToolButtonTextUnderIcon
        )
        tile.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        text = meta.label + (" · private" if meta.private else "")
        tile.setText(text)
        tile.setAccessibleName(text)
        tile.setToolTip("Space or click: look at it or play it, keep it private, link or remove it")
        if thumb is not None and not thumb.isNull() and not self.compact:
            tile.setIcon(QIcon(QPixmap.fromImage(thumb)))
            # The picture's own shape, no empty square around a wide sketch.
            tile.setIconSize(thumb.size().scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio))
        # Never squeezed below its picture and its name.
        tile.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        menu = QMenu(tile)
        if meta.is_picture:
            menu.addAction("Look at it", lambda: self.media.view(meta))
        else:
            menu.addAction("Play", lambda: self.media.play(meta))
            menu.addAction("Stop playing", self.media.stop)
        private = menu.addAction("Keep private (never shared)")
        private.setCheckable(True)
        private.setChecked(meta.private)
        private.toggled.connect(lambda on: self.media.set_private(meta, on, self._replace))
        if self.link_to_motif:
            menu.addAction("Link to a motif…", lambda: self.media.link_to_motif(meta))
        menu.addAction("Remove…", lambda: self.media.remove(meta, self._on_removed))
        tile.setMenu(menu)
        tile.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tiles.insertWidget(self.tiles.count() - 1, tile)
        self.shown.append(meta)
        self.tile_box.setVisible(True)

    def _on_added(self, result: tuple[Attachment, QImage | None]) -> None:
        self._add_tile(*result)
        self.added.emit(result[0])

    def _replace(self, result: tuple[Attachment, QImage | None]) -> None:
        changed = result[0]
        metas = [changed if m.id == changed.id else m for m in self.shown]
        self.media.thumbnails(metas, self.show_attachments)

    def _on_removed(self, attachment_id: int) -> None:
        metas = [m for m in self.shown if m.id != attachment_id]
        self.media.thumbnails(metas, self.show_attachments)
        self.removed.emit(attachment_id)


def _local_files(event: Any) -> list[Path]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def thumbnail(data: bytes, side: int = THUMB * 2) -> QImage | None:
    """A small copy of a picture for display (safe off the GUI thread)."""
    image = QImage.fromData(data)
    if image.isNull():
        return None
    if max(image.width(), image.height()) > side:
        image = image.scaled(
            side,
            side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image


class PictureViewer(QDialog):
    """A picture, scaled to the screen (the full-size copy stays in the vault)."""

    def __init__(self, parent: QWidget | None, image: QImage, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        picture = QLabel()
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        picture.setPixmap(QPixmap.fromImage(image))
        picture.setAccessibleName(title)
        scroll = QScrollArea()
        scroll.setWidget(picture)
        scroll.setWidgetResizable(True)
        close = button("Close", primary=True)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(min(1400, image.width() + 80), min(1000, image.height() + 140))
        close.setFocus()


Done = Callable[[Any], None]


class MediaActions(QObject):
    """What the strips ask for, done on the vault thread: store a sketch, a
    checked picture or sound, or a recording; load thumbnails; play; view;
    mark private; link to a motif; remove."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.player = SoundPlayer(self)

    def _store(
        self, make: Callable[[], tuple[Attachment, bytes]], place: Place, done: Done
    ) -> None:
        from journal.core import recall

        def job(vault: Any) -> tuple[Attachment, QImage | None]:
            meta, data = make()
            meta.entry_id, meta.prompt_key, meta.motif_id = (
                place.entry_id,
                place.prompt_key,
                place.motif_id,
            )
            stored = vault.attachments.add(meta, data)
            if place.entry_id is None and place.motif_id is None and place.prompt_key:
                recall.attach(vault, place.prompt_key, stored.id)
            return stored, thumbnail(data) if stored.is_picture else None

        def deliver(result: tuple[Attachment, QImage | None]) -> None:
            owner = getattr(done, "__self__", None)
            if isinstance(owner, QObject) and not shiboken6.isValid(owner):
                return  # the page was cleared (locked) meanwhile; the vault has it
            done(result)

        self.window.submit(job, deliver)

    def draw(self, place: Place, done: Done, title: str = "") -> None:
        from journal.core.model import AttachmentKind

        def keep(png: bytes) -> None:
            self._store(
                lambda: (Attachment(AttachmentKind.SKETCH, "image/png", name="sketch"), png),
                place,
                done,
            )

        dialog = SketchDialog(self.window, title)
        dialog.on_keep = keep
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                keep(dialog.canvas.png())
        finally:
            dialog.deleteLater()

    def record(self, place: Place, done: Done) -> None:
        from journal.core import media
        from journal.core.model import AttachmentKind

        def keep(taken: Recording) -> None:
            def make() -> tuple[Attachment, bytes]:
                frames, width = taken.frames, taken.sample_width
                if taken.is_float:
                    frames, width = media.float_to_int16(frames), 2
                wav = media.encode_wav(
                    frames, rate=taken.rate, channels=taken.channels, sample_width=width
                )
                seconds = len(frames) / (taken.rate * taken.channels * width)
                meta = Attachment(AttachmentKind.AUDIO, "audio/wav", name="voice note")
                meta.seconds = seconds
                return meta, wav

            self._store(make, place, done)

        recorder = self.make_recorder(media.MAX_ATTACHMENT_BYTES)
        recorder.on_keep = keep
        try:
            if recorder.exec() == QDialog.DialogCode.Accepted:
                taken = recorder.recording()
                if taken is not None:
                    keep(taken)
        finally:
            recorder.deleteLater()

    def make_recorder(self, max_bytes: int) -> VoiceRecorder:
        return VoiceRecorder(self.window, max_bytes)

    def add_picture(self, place: Place, done: Done) -> None:
        from journal.core.media import IMAGE_FILTER

        path = dialogs.open_file_name(self.window, "Add a picture", IMAGE_FILTER)
        if path is not None:
            self.add_files([path], place, done, kind="picture")

    def add_sound(self, place: Place, done: Done) -> None:
        from journal.core.media import AUDIO_FILTER

        path = dialogs.open_file_name(self.window, "Add a sound file", AUDIO_FILTER)
        if path is not None:
            self.add_files([path], place, done, kind="sound")

    def add_files(self, paths: list[Path], place: Place, done: Done, kind: str = "") -> None:
        """Copy files into the vault (never referenced by path): pictures and
        sound, told apart by their content."""
        for path in paths:
            self._store(partial(read_media_file, path, kind), place, done)

    def thumbnails(self, metas: list[Attachment], done: Done) -> None:
        def job(vault: Any) -> list[tuple[Attachment, QImage | None]]:
            return [
                (m, thumbnail(vault.attachments.data(m.id)) if m.is_picture else None)
                for m in metas
                if m.id is not None and vault.attachments.exists(m.id)
            ]

        self.window.submit(job, done)

    def load(self, ids: list[int], done: Done) -> None:
        def job(vault: Any) -> list[tuple[Attachment, QImage | None]]:
            items = []
            for attachment_id in ids:
                if vault.attachments.exists(attachment_id):
                    meta = vault.attachments.get(attachment_id)
                    data = vault.attachments.data(attachment_id)
                    items.append((meta, thumbnail(data) if meta.is_picture else None))
            return items

        self.window.submit(job, done)

    def view(self, meta: Attachment) -> None:
        def job(vault: Any) -> QImage | None:
            return thumbnail(vault.attachments.data(meta.id), side=1800)

        def show(image: QImage | None) -> None:
            if image is not None:
                viewer = PictureViewer(self.window, image, meta.label)
                viewer.exec()
                viewer.deleteLater()

        self.window.submit(job, show)

    def play(self, meta: Attachment) -> None:
        def start(data: bytes) -> None:
            if self.player.play(data, meta.label):
                self.window.statusBar().showMessage(f"Playing the {meta.label.lower()}…", 5000)
            else:
                dialogs.show_message(self.window, "Afterglow", NO_AUDIO, warning=True)

        self.window.submit(lambda vault: vault.attachments.data(meta.id), start)

    def play_id(self, attachment_id: int) -> None:
        self.window.submit(lambda vault: vault.attachments.get(attachment_id), self.play)

    def stop(self) -> None:
        self.player.stop()

    def set_private(self, meta: Attachment, private: bool, done: Done) -> None:
        attachment_id = meta.id or 0
        self.window.submit(
            lambda vault: (vault.attachments.set_private(attachment_id, private), None), done
        )

    def remove(self, meta: Attachment, done: Callable[[int], None]) -> None:
        if not dialogs.confirm(
            self.window,
            "Remove",
            f"Remove this {meta.label.lower()} from your journal? This can't be undone.",
            yes="Remove it",
            no="Keep it",
        ):
            return
        attachment_id = meta.id or 0
        self.window.submit(
            lambda vault: vault.attachments.delete(attachment_id), lambda _r: done(attachment_id)
        )

    def link_to_motif(self, meta: Attachment) -> None:
        self.window.imagery.choose_motif_for(meta)

    def stop_all(self) -> None:
        """On lock: stop playing and drop the sound from memory."""
        self.player.stop()


def read_media_file(path: Path, kind: str = "") -> tuple[Attachment, bytes]:
    """A file from disk as a checked attachment (runs on the vault thread).
    Its size is checked before it is read; only its contents are kept, and
    the name without the folder."""
    from journal.core import media
    from journal.core.errors import InvalidInput
    from journal.core.model import AttachmentKind

    try:
        size = path.stat().st_size
        if size > media.MAX_ATTACHMENT_BYTES:
            raise InvalidInput(
                f"That file is too large to keep in the journal ({size // 2**20} MB; the limit "
                f"is {media.MAX_ATTACHMENT_BYTES // 2**20} MB). Nothing was added."
            )
        data = path.read_bytes()
    except OSError:
        raise InvalidInput("That file could not be read. Nothing was added.") from None
    name = path.stem[:80]
    suffix = path.suffix.lower()
    sound_first = kind == "sound" or (
        not kind and suffix in (".wav", ".mp3", ".ogg", ".oga", ".opus", ".flac", ".m4a", ".aac")
    )
    if sound_first:
        sound = media.prepare_audio(data)
        meta = Attachment(AttachmentKind.AUDIO, sound.mime, name=name)
        meta.seconds = sound.seconds
        return meta, sound.data
    picture = media.prepare_image(data)
    return Attachment(AttachmentKind.IMAGE, picture.mime, name=name), picture.data
