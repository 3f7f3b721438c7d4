"""Reading an entry: the entry with its reflections and the entry it
reflects on, its pictures shown from memory, editing, and adding a
reflection (the raw entry stays as it was written)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from journal.ui.attachments import thumbnail
from journal.ui.imagery import AttachmentStrip
from journal.ui.media_actions import MediaActions
from journal.ui.pages.entry_view import EntryPage
from journal.ui.shell import Shell

if TYPE_CHECKING:
    from journal.core.model import Entry
    from journal.core.vault.vault import Vault

# The longest side of a picture shown in the entry view (the full size stays in the vault).
PICTURE_SIDE = 840


class ReadingFlow(QObject):
    """Owns the entry page and the strip of its sketches, pictures and voice notes."""

    def __init__(self, shell: Shell, *, media: MediaActions) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.page = EntryPage()
        self.strip = AttachmentStrip(media, compact=True)
        self.page.set_strip(self.strip)
        self.strip.added.connect(lambda _a: self._reopen())
        self.strip.removed.connect(lambda _i: self._reopen())
        self.page.play_requested.connect(media.play)
        self.page.back.connect(shell.go_home)
        self.page.save_requested.connect(self._on_edited)
        self.page.reflection_requested.connect(self._on_reflection)

    def pages(self) -> dict[str, QWidget]:
        return {"entry": self.page}

    def clear(self) -> None:
        self.page.clear()
        self.strip.show_attachments([])

    @property
    def entry_id(self) -> int | None:
        """The entry on the page (to come back to it after unlocking)."""
        return self.page.entry.id if self.page.entry is not None else None

    def open_entry(self, entry_id: int, highlight: Sequence[str] = ()) -> None:
        def load(vault: Vault) -> tuple[Any, ...]:
            entry = vault.entries.get(entry_id)
            earlier = (
                vault.entries.get(entry.reflection_of) if entry.reflection_of is not None else None
            )
            reflections = vault.entries.reflections_of(entry_id)
            attachments = {
                e.id: vault.attachments.for_entry(e.id)
                for e in (entry, *reflections)
                if e.id is not None
            }
            images = {
                a.id: image
                for metas in attachments.values()
                for a in metas
                if a.is_picture
                and a.id is not None
                and (image := thumbnail(vault.attachments.data(a.id), side=PICTURE_SIDE))
                is not None
            }
            return entry, reflections, earlier, attachments, images

        def show(result: tuple[Any, ...]) -> None:
            self.page.show_entry(*result)
            self.page.highlight(highlight)
            self.shell.show_page("entry")

        self.shell.submit(load, show)

    def _reopen(self) -> None:
        if self.entry_id is not None:
            self.open_entry(self.entry_id)

    def _on_edited(self, entry: Entry) -> None:
        self.shell.submit(lambda vault: vault.entries.update(entry).id, self.open_entry)

    def _on_reflection(self, earlier_id: int, title: str, text: str) -> None:
        from journal.core.model import Answer, Entry, Phase

        reflection = Entry(
            phase=Phase.INTEGRATION,
            title=title,
            answers=[Answer("reflection", "Reflection", text=text)],
        )
        self.shell.submit(
            lambda vault: vault.entries.add_reflection(earlier_id, reflection),
            lambda _e: self.open_entry(earlier_id),
        )
