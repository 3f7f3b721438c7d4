"""The strip of sketches, pictures and voice notes shown under a prompt, an
entry or a motif: their tiles, the ways to add more, and files dropped on it.
The vault work behind it is `journal.ui.media_actions.MediaActions`. Nothing
here touches the disk but the files a patient chooses to add, which are read
once and copied into the vault.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QMenu, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from journal.core.model import Attachment
from journal.ui.attachments import THUMB, Place
from journal.ui.media_actions import MediaActions
from journal.ui.widgets import ResponsiveRow, button


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
            made = []
            for text, name, tip, slot in ways:
                way = button(text, accessible=name)
                way.setToolTip(tip)
                way.clicked.connect(slot)
                self.ways[name] = way
                made.append(way)
            self.buttons.addWidget(ResponsiveRow(*made))
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
            menu.addAction("Play", lambda: self.media.play(meta.id or 0))
            menu.addAction("Stop playing", self.media.stop)
        private = menu.addAction("Keep private (never shared)")
        private.setCheckable(True)
        private.setChecked(meta.private)
        private.toggled.connect(lambda on: self.media.set_private(meta, on, self._reload))
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

    def _reload(self, _changed: object = None) -> None:
        """Show the tiles again as the vault has them now."""
        self.media.load([m.id for m in self.shown if m.id is not None], self.show_attachments)

    def _on_removed(self, attachment_id: int) -> None:
        self._reload()  # (the removed one is no longer in the vault)
        self.removed.emit(attachment_id)


def _local_files(event: Any) -> list[Path]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
