"""`MediaActions`: what the attachment strips ask for, done on the vault
thread — store a sketch, a checked picture or sound, or a recording; load
thumbnails; play; view; mark private; link to a motif; remove. The sketch pad
is in `journal.ui.sketch`, recording and playing in `journal.ui.voice`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog

from journal.core.model import Attachment
from journal.ui import dialogs
from journal.ui.attachments import PictureViewer, Place, read_media_file, thumbnail, tiles
from journal.ui.shell import Shell
from journal.ui.sketch import SketchDialog, png_bytes
from journal.ui.voice import NO_AUDIO, Recording, SoundPlayer, VoiceRecorder

Done = Callable[[Any], None]


class MediaActions(QObject):
    """What the strips ask for, done on the vault thread: store a sketch, a
    checked picture or sound, or a recording; load thumbnails; play; view;
    mark private; link to a motif; remove."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
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

        self.shell.submit(job, _while_alive(done))

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

        dialog = SketchDialog(self.shell.widget, title)
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
        return VoiceRecorder(self.shell.widget, max_bytes)

    def add_picture(self, place: Place, done: Done) -> None:
        from journal.core.imagery.media import IMAGE_FILTER

        path = dialogs.open_file_name(self.shell.widget, "Add a picture", IMAGE_FILTER)
        if path is not None:
            self.add_files([path], place, done, kind="picture")

    def add_sound(self, place: Place, done: Done) -> None:
        from journal.core.imagery.media import AUDIO_FILTER

        path = dialogs.open_file_name(self.shell.widget, "Add a sound file", AUDIO_FILTER)
        if path is not None:
            self.add_files([path], place, done, kind="sound")

    def add_files(self, paths: list[Path], place: Place, done: Done, kind: str = "") -> None:
        """Copy files into the vault (never referenced by path): pictures and
        sound, told apart by their content."""
        for path in paths:
            self._store(partial(read_media_file, path, kind), place, done)

    def load(self, ids: list[int], done: Done) -> None:
        """The tiles of these attachments (those still in the vault), for ``done``."""
        self.shell.submit(lambda vault: tiles(vault, ids), _while_alive(done))

    def view(self, meta: Attachment) -> None:
        def job(vault: Any) -> QImage | None:
            return thumbnail(vault.attachments.data(meta.id), side=1800)

        def show(image: QImage | None) -> None:
            if image is not None:
                viewer = PictureViewer(self.shell.widget, image, meta.label)
                viewer.exec()
                viewer.deleteLater()

        self.shell.submit(job, show)

    def play(self, attachment_id: int) -> None:
        def start(found: tuple[Attachment, bytes]) -> None:
            meta, data = found
            if self.player.play(data, meta.label):
                self.shell.status(f"Playing the {meta.label.lower()}…", 5000)
            else:
                dialogs.show_message(self.shell.widget, "Afterglow", NO_AUDIO, warning=True)

        self.shell.submit(
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
        self.shell.submit(lambda vault: vault.attachments.set_private(attachment_id, private), done)

    def remove(self, meta: Attachment, done: Callable[[int], None]) -> None:
        if not dialogs.confirm(
            self.shell.widget,
            "Remove",
            f"Remove this {meta.label.lower()} from your journal? This can't be undone.",
            yes="Remove it",
            no="Keep it",
        ):
            return
        attachment_id = meta.id or 0
        self.shell.submit(
            lambda vault: vault.attachments.delete(attachment_id), lambda _r: done(attachment_id)
        )

    def link_to_motif(self, meta: Attachment) -> None:
        """From an attachment's menu: link it to one of the motifs."""

        def ask(usages: list[Any]) -> None:
            chosen = dialogs.choose(
                self.shell.widget,
                "Link to a motif",
                f"Which image or metaphor does this {meta.label.lower()} belong to?"
                if usages
                else "There are no motifs yet. Name one in a prompt such as “It felt like…”.",
                [(u.motif.id, u.motif.name) for u in usages],
                choose="Link",
            )
            if chosen is not None and meta.id is not None:
                attachment_id = meta.id
                self.shell.submit(
                    lambda vault: vault.attachments.set_motif(attachment_id, chosen),
                    lambda _a: self.shell.status("Linked.", 5000),
                )

        self.shell.submit(lambda vault: vault.motifs.usage(), ask)


def _while_alive(done: Done) -> Done:
    """``done``, unless the widget it belongs to was deleted meanwhile (the
    page was cleared on lock; what was stored stays in the vault)."""

    def deliver(result: Any) -> None:
        owner = getattr(done, "__self__", None)
        if isinstance(owner, QObject) and not shiboken6.isValid(owner):
            return
        done(result)

    return deliver
