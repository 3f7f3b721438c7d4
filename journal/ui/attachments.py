"""Sketches, pictures and voice notes as the app handles them: where new ones
land (`Place`), thumbnails decoded at the small size, the picture viewer,
and files from disk read once and checked (`read_media_file`). Nothing here
writes to the disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from journal.core.model import Attachment
from journal.ui.widgets import button


@dataclass(frozen=True)
class Place:
    """Where new attachments land: an entry (and one of its prompts), a
    prompt of a recall not yet finished (no entry), or a motif."""

    entry_id: int | None = None
    prompt_key: str = ""
    motif_id: int | None = None


THUMB = 128


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


def read_media_file(path: Path, kind: str = "") -> tuple[Attachment, bytes]:
    """A file from disk as a checked attachment (runs on the vault thread).
    Its size is checked before it is read; only its contents are kept, and
    the name without the folder."""
    from journal.core.errors import InvalidInput
    from journal.core.imagery import media

    try:
        media.check_size(path.stat().st_size)  # before reading it
        data = path.read_bytes()
    except OSError:
        raise InvalidInput("That file could not be read. Nothing was added.") from None
    return media.prepare_file(data, path.name, sound=(kind == "sound") if kind else None)
