"""The sketch pad: a sheet of paper for a mouse, a pen (with pressure) or a
finger; calm inks, sizes, an eraser, undo and redo. A sketch is painted into a
`QImage` in memory and handed over as PNG bytes; nothing touches the disk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QBuffer,
    QIODevice,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QShortcut,
    QTabletEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from journal.ui import dialogs
from journal.ui.widgets import button, label

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
        return png_bytes(self.image)

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
        # The paper's edge, on light themes too; thicker in the focus colour.
        edge = self.palette().highlight().color() if self.hasFocus() else QColor("#8a8378")
        painter.setPen(QPen(edge, 3 if self.hasFocus() else 1))
        painter.drawRect(self._paper_rect().adjusted(1, 1, -1, -1))
        painter.end()


def png_bytes(image: QImage) -> bytes:
    """An image as PNG, in memory (safe on any thread)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    return bytes(buffer.data().data())


class SketchDialog(QDialog):
    """The sketch pad: inks, sizes, eraser, undo, redo, clear; keep or cancel."""

    def __init__(self, parent: QWidget | None, title: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Sketch")
        self.setModal(True)
        self.on_keep: Callable[[QImage], None] | None = None
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
            # Its ink; the shape and the chosen/focused rings come from the theme.
            swatch.setStyleSheet(f"QPushButton {{ background: {color}; }}")
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
            self.on_keep(self.canvas.image.copy())
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
