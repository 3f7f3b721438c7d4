"""The motif catalog: the images and metaphors that come back, with their
passages and pictures — a motif's detail, saving, renaming, merging, and
linking one of the journal's sketches, pictures or voice notes to it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QWidget

from journal.core.model import Attachment, MotifKind
from journal.ui import dialogs
from journal.ui.attachments import Place, thumbnail, tiles
from journal.ui.imagery import AttachmentStrip
from journal.ui.media_actions import MediaActions
from journal.ui.pages.motifs import MotifsPage
from journal.ui.shell import Shell

if TYPE_CHECKING:
    from journal.core.vault.vault import Vault


class ImageryFlow(QObject):
    """Owns the motifs page and the strip of the chosen motif's pictures."""

    def __init__(self, shell: Shell, *, media: MediaActions) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.media = media
        self.page = page = MotifsPage()
        self.motif_id: int | None = None
        self.motif_strip = AttachmentStrip(media, link_to_motif=False)
        page.set_strip(self.motif_strip)
        page.selected.connect(self.show_motif)
        page.save_requested.connect(self.save)
        page.merge_requested.connect(self.merge)
        page.link_requested.connect(self.link_existing)
        page.entry_requested.connect(shell.open_entry)
        self.motif_strip.added.connect(lambda _a: self._reload_motif())
        self.motif_strip.removed.connect(lambda _i: self._reload_motif())

    def pages(self) -> dict[str, QWidget]:
        return {"motifs": self.page}

    # -- the catalog -------------------------------------------------------------

    def go_motifs(self, select: int | None = None) -> None:

        def load(vault: Vault) -> tuple[list[Any], dict[int, Any]]:
            dates = {s.id: s.started_at for s in vault.sessions.all() if s.id is not None}
            return vault.motifs.usage(), dates

        def show(result: tuple[list[Any], dict[int, Any]]) -> None:
            usages, dates = result
            self.page.show_motifs(usages, dates, select=select)
            self.shell.show_page("motifs")

        self.shell.submit(load, show)

    def show_motif(self, motif_id: int) -> None:
        from journal.core.journal import catalog

        self.motif_id = motif_id
        self.motif_strip.set_place(Place(motif_id=motif_id))

        def load(vault: Vault) -> tuple[Any, list[tuple[Attachment, QImage | None]]]:
            detail = catalog.motif_detail(vault, motif_id)
            return detail, tiles(vault, [a.id for a in detail.attachments if a.id is not None])

        def show(result: tuple[Any, list[tuple[Attachment, QImage | None]]]) -> None:
            detail, found = result
            if detail.motif.id != self.motif_id:
                return  # another motif was chosen meanwhile
            self.page.show_detail(detail)
            self.motif_strip.show_attachments(found)

        self.shell.submit(load, show)

    def _reload_motif(self) -> None:
        if self.motif_id is not None:
            self.show_motif(self.motif_id)

    def save(self, motif_id: int, name: str, kind: str, feeling: str, meaning: str) -> None:
        from journal.core.journal import catalog

        def job(vault: Vault) -> int:
            with vault.db.transaction():  # all of it, or (a name in use) none of it
                motif = catalog.rename(vault, motif_id, name)
                motif.kind, motif.feeling, motif.meaning = MotifKind(kind), feeling, meaning
                vault.motifs.update(motif)
            return motif_id

        def done(_id: int) -> None:
            self.shell.status("Saved.", 5000)
            self.go_motifs(select=motif_id)

        self.shell.submit(job, done)

    def merge(self, motif_id: int) -> None:
        page = self.page
        current = page.detail.motif.name if page.detail else ""
        others = [(i, text) for i, text in page.motif_names() if i != motif_id]
        keep = dialogs.choose(
            self.shell.widget,
            "Merge",
            f"Merge “{current}” into which motif? Every passage, session, sketch and picture "
            f"of “{current}” moves to the one you choose, and “{current}” goes away.",
            others,
            choose="Merge",
        )
        if keep is None:
            return

        def done(_motif: object) -> None:
            self.shell.status("Merged.", 5000)
            self.go_motifs(select=keep)

        self.shell.submit(lambda vault: vault.motifs.merge(keep, motif_id), done)

    def link_existing(self, motif_id: int) -> None:
        """Link one of the journal's sketches, pictures or voice notes to the motif."""

        def load(vault: Vault) -> list[tuple[Attachment, str, QImage | None]]:
            rows = []
            for meta in vault.attachments.all():
                if meta.motif_id == motif_id or meta.id is None:
                    continue
                where = ""
                if meta.entry_id is not None:
                    entry = vault.entries.get(meta.entry_id)
                    where = f" · in “{entry.title or entry.phase.label}”"
                when = f" · {meta.created_at.astimezone():%d %b %Y}" if meta.created_at else ""
                image = thumbnail(vault.attachments.data(meta.id), 96) if meta.is_picture else None
                rows.append((meta, f"{meta.label}{where}{when}", image))
            return rows

        def ask(rows: list[tuple[Attachment, str, QImage | None]]) -> None:
            icons = {
                meta.id: QIcon(QPixmap.fromImage(image))
                for meta, _text, image in rows
                if image is not None and meta.id is not None
            }
            chosen = dialogs.choose(
                self.shell.widget,
                "Link to this motif",
                "Choose a sketch, picture or voice note to link to this motif."
                if rows
                else "There are no other sketches, pictures or voice notes in your journal yet.",
                [(meta.id or 0, text) for meta, text, _image in rows],
                choose="Link",
                icons=icons,
            )
            if chosen is not None:
                self.shell.submit(
                    lambda vault: vault.attachments.set_motif(chosen, motif_id),
                    lambda _a: self.show_motif(motif_id),
                )

        self.shell.submit(load, ask)

    def clear(self) -> None:
        """On lock: stop any sound and drop the catalog from the screen."""
        self.media.stop()
        self.motif_id = None
        self.page.clear()
        self.motif_strip.show_attachments([])
