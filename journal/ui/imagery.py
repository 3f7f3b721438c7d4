"""Sketches, pictures and voice notes in the journal: the strip of
attachments shown under a prompt, an entry or a motif (tiles and the ways to
add more, drops of files included), and `MediaActions`, which does the vault
work on the vault thread (checking, storing, thumbnails, playing, linking).
The sketch pad is in `journal.ui.sketch`, recording and playing in
`journal.ui.voice`. Nothing here touches the disk but the files a patient
chooses to add, which are read once and copied into the vault.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QImage,
    QImageReader,
    QPixmap,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal.core.model import Attachment
from journal.ui import dialogs
from journal.ui.sketch import SketchDialog, png_bytes
from journal.ui.voice import NO_AUDIO, Recording, SoundPlayer, VoiceRecorder
from journal.ui.widgets import button

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


def tiles(vault: Any, ids: list[int]) -> list[tuple[Attachment, QImage | None]]:
    """Attachments with a thumbnail for each picture (on the vault thread);
    ids no longer in the vault are left out."""
    found = []
    for attachment_id in ids:
        if vault.attachments.exists(attachment_id):
            meta = vault.attachments.get(attachment_id)
            picture = thumbnail(vault.attachments.data(attachment_id)) if meta.is_picture else None
            found.append((meta, picture))
    return found


def thumbnail(data: bytes, side: int = THUMB * 2) -> QImage | None:
    """A small copy of a picture for display (safe off the GUI thread). The
    picture is decoded at the small size where the format allows (JPEG
    decodes a 50-megapixel photo at an eighth of its size), so a big photo
    never needs its full size in memory to be shown."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > side:
        reader.setScaledSize(size.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


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
        from journal.core.journal import recall

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

        self.window.submit(job, _while_alive(done))

    def draw(self, place: Place, done: Done, title: str = "") -> None:
        from journal.core.model import AttachmentKind

        def keep(image: QImage) -> None:  # encoded to PNG on the vault thread
            self._store(
                lambda: (
                    Attachment(AttachmentKind.SKETCH, "image/png", name="sketch"),
                    png_bytes(image),
                ),
                place,
                done,
            )

        dialog = SketchDialog(self.window, title)
        dialog.on_keep = keep
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                keep(dialog.canvas.image.copy())
        finally:
            dialog.deleteLater()

    def record(self, place: Place, done: Done) -> None:
        from journal.core.imagery import media
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
                return Attachment(
                    AttachmentKind.AUDIO, "audio/wav", name="voice note", seconds=seconds
                ), wav

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
        from journal.core.imagery.media import IMAGE_FILTER

        path = dialogs.open_file_name(self.window, "Add a picture", IMAGE_FILTER)
        if path is not None:
            self.add_files([path], place, done, kind="picture")

    def add_sound(self, place: Place, done: Done) -> None:
        from journal.core.imagery.media import AUDIO_FILTER

        path = dialogs.open_file_name(self.window, "Add a sound file", AUDIO_FILTER)
        if path is not None:
            self.add_files([path], place, done, kind="sound")

    def add_files(self, paths: list[Path], place: Place, done: Done, kind: str = "") -> None:
        """Copy files into the vault (never referenced by path): pictures and
        sound, told apart by their content."""
        for path in paths:
            self._store(partial(read_media_file, path, kind), place, done)

    def load(self, ids: list[int], done: Done) -> None:
        """The tiles of these attachments (those still in the vault), for ``done``."""
        self.window.submit(lambda vault: tiles(vault, ids), _while_alive(done))

    def view(self, meta: Attachment) -> None:
        def job(vault: Any) -> QImage | None:
            return thumbnail(vault.attachments.data(meta.id), side=1800)

        def show(image: QImage | None) -> None:
            if image is not None:
                viewer = PictureViewer(self.window, image, meta.label)
                viewer.exec()
                viewer.deleteLater()

        self.window.submit(job, show)

    def play(self, attachment_id: int) -> None:
        def start(found: tuple[Attachment, bytes]) -> None:
            meta, data = found
            if self.player.play(data, meta.label):
                self.window.statusBar().showMessage(f"Playing the {meta.label.lower()}…", 5000)
            else:
                dialogs.show_message(self.window, "Afterglow", NO_AUDIO, warning=True)

        self.window.submit(
            lambda vault: (
                vault.attachments.get(attachment_id),
                vault.attachments.data(attachment_id),
            ),
            start,
        )

    def stop(self) -> None:
        """Stop playing and drop the sound from memory (also on lock)."""
        self.player.stop()

    def set_private(self, meta: Attachment, private: bool, done: Done) -> None:
        attachment_id = meta.id or 0
        self.window.submit(
            lambda vault: vault.attachments.set_private(attachment_id, private), done
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


def _while_alive(done: Done) -> Done:
    """``done``, unless the widget it belongs to was deleted meanwhile (the
    page was cleared on lock; what was stored stays in the vault)."""

    def deliver(result: Any) -> None:
        owner = getattr(done, "__self__", None)
        if isinstance(owner, QObject) and not shiboken6.isValid(owner):
            return
        done(result)

    return deliver


def read_media_file(path: Path, kind: str = "") -> tuple[Attachment, bytes]:
    """A file from disk as a checked attachment (runs on the vault thread).
    Its size is checked before it is read; only its contents are kept, and
    the name without the folder."""
    from journal.core.errors import InvalidInput
    from journal.core.imagery import media
    from journal.core.model import AttachmentKind

    try:
        media.check_size(path.stat().st_size)  # before reading it
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
