"""The motif catalog: every image and metaphor, recurring ones first; for the
chosen one its kind, feeling and meaning, the sessions and passages where it
appeared, and its sketches, pictures and voice notes."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from journal.core.journal.catalog import MotifDetail
from journal.core.model import MotifKind, MotifUsage
from journal.core.text import day
from journal.ui.widgets import ResponsiveRow, button, label


def describe(usage: MotifUsage, session_dates: dict[int, datetime]) -> str:
    motif = usage.motif
    lines = [f"{motif.name}  ·  {motif.kind.value}"]
    sessions = len(usage.session_ids)
    if sessions:
        dates = ", ".join(
            f"{session_dates[s].astimezone():%d %b %Y}".lstrip("0")
            for s in usage.session_ids
            if s in session_dates
        )
        lines.append(f"in {sessions} session{'s' if sessions != 1 else ''}: {dates}")
    elif usage.entry_count:
        lines.append(f"in {usage.entry_count} entr{'ies' if usage.entry_count != 1 else 'y'}")
    details = " · ".join(
        t
        for t in (
            motif.feeling and f"feeling: {motif.feeling}",
            motif.meaning and f"meaning: {motif.meaning}",
        )
        if t
    )
    if details:
        lines.append(details)
    return "\n".join(lines)


def passages_html(detail: MotifDetail) -> str:
    """Where the motif appeared: each passage under its entry, linked to it."""
    if not detail.passages:
        return "<p><i>Not linked to any entry yet.</i></p>"
    parts = []
    for p in detail.passages:
        when = day(p.written)
        parts.append(
            f'<h3><a href="entry:{p.entry_id}">{html.escape(p.title)}</a></h3>'
            f"<p><i>{html.escape(when)}"
            f"{' · ' + html.escape(p.prompt) if p.prompt else ''}</i></p>"
            f"<p>{html.escape(p.text)}</p>"
        )
    return "\n".join(parts)


class MotifsPage(QWidget):
    selected = Signal(int)  # motif id
    save_requested = Signal(int, str, str, str, str)  # id, name, kind, feeling, meaning
    merge_requested = Signal(int)
    link_requested = Signal(int)
    entry_requested = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.detail: MotifDetail | None = None
        self.list = QListWidget()
        self.list.setAccessibleName("Motifs")
        self.list.setWordWrap(True)
        self.list.setSpacing(4)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentItemChanged.connect(self._on_current)
        self.empty = label(
            "No images or metaphors yet. They appear here when you name them "
            "in a prompt such as “It felt like…”.",
            name="hint",
        )
        # The chosen motif
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind")
        for value in MotifKind:
            self.kind.addItem(value.value.capitalize(), value.value)
        self.feeling = QLineEdit()
        self.feeling.setAccessibleName("Feeling")
        self.feeling.setPlaceholderText("What it felt like (optional)")
        self.meaning = QLineEdit()
        self.meaning.setAccessibleName("Meaning")
        self.meaning.setPlaceholderText("What it might mean to you (optional)")
        form = QFormLayout()
        form.setSpacing(10)
        form.addRow("Name", self.name)
        form.addRow("Kind", self.kind)
        form.addRow("Feeling", self.feeling)
        form.addRow("Meaning", self.meaning)
        self.save = button("Save changes", primary=True)
        self.merge = button("Merge with another…", accessible="Merge with another motif")
        self.save.clicked.connect(self._on_save)
        self.merge.clicked.connect(self._on_merge)
        self.name.returnPressed.connect(self._on_save)
        actions = ResponsiveRow(self.merge, self.save)
        self.sessions = label("", name="hint")
        self.passages = QTextBrowser()
        self.passages.setAccessibleName("Passages where it appeared")
        self.passages.setOpenLinks(False)
        self.passages.setMinimumHeight(220)
        self.passages.anchorClicked.connect(self._on_anchor)
        self.strip_holder = QVBoxLayout()
        self.link = button(
            "Link one from your entries…",
            accessible="Link a picture or voice note from your entries",
        )
        self.link.clicked.connect(self._on_link)
        detail = QWidget()
        column = QVBoxLayout(detail)
        column.setSpacing(12)
        # The pane is as wide as the splitter gives it; its rows fit themselves in.
        column.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        column.addLayout(form)
        column.addWidget(actions)
        column.addWidget(label("Where it appeared", name="strong"))
        column.addWidget(self.sessions)
        column.addWidget(self.passages, 1)
        column.addWidget(label("Sketches, pictures and voice notes", name="strong"))
        column.addLayout(self.strip_holder)
        column.addWidget(self.link)
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setWidget(detail)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(self.detail_scroll)
        # The chosen motif's details take what a small screen leaves (at
        # 1024×600 its fields and buttons were cut at the right edge).
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        split.setSizes([300, 900])
        self.list.setMinimumWidth(220)
        self.detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.split = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(label("Images and metaphors", name="title"))
        layout.addWidget(
            label("Those that come back across sessions are listed first.", name="hint")
        )
        layout.addWidget(self.empty)
        layout.addWidget(split, 1)
        layout.addStretch(0)  # with no motifs yet, the words stay together at the top
        self.strip: QWidget | None = None

    def set_strip(self, strip: QWidget) -> None:
        """The attachment strip (made by the window, which owns the actions)."""
        self.strip = strip
        self.strip_holder.addWidget(strip)

    def show_motifs(
        self,
        usages: list[MotifUsage],
        session_dates: dict[int, datetime],
        select: int | None = None,
    ) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for usage in usages:
            item = QListWidgetItem(describe(usage, session_dates))
            item.setData(Qt.ItemDataRole.UserRole, usage.motif.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, describe(usage, session_dates))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.empty.setVisible(not usages)
        self.split.setVisible(bool(usages))
        if not usages:
            self.detail = None
            return
        row = next(
            (i for i, u in enumerate(usages) if u.motif.id == select),
            0,
        )
        self.list.setCurrentRow(row)  # (from none: always announces the choice)

    def motif_names(self) -> list[tuple[int, str]]:
        return [
            (int(self.list.item(i).data(Qt.ItemDataRole.UserRole)), self.list.item(i).text())
            for i in range(self.list.count())
        ]

    def _on_current(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is not None:
            self.selected.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def show_detail(self, detail: MotifDetail) -> None:
        self.detail = detail
        motif = detail.motif
        self.name.setText(motif.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(motif.kind.value)))
        self.feeling.setText(motif.feeling)
        self.meaning.setText(motif.meaning)
        count = len(detail.sessions)
        dates = ", ".join(day(when) for _, when in detail.sessions)
        self.sessions.setText(
            f"In {count} session{'s' if count != 1 else ''}: {dates}."
            if count
            else "Not in a session yet."
        )
        self.passages.setHtml(passages_html(detail))
        self.merge.setEnabled(self.list.count() > 1)

    def _on_save(self) -> None:
        if self.detail is not None and self.detail.motif.id is not None:
            self.save_requested.emit(
                self.detail.motif.id,
                self.name.text(),
                str(self.kind.currentData()),
                self.feeling.text(),
                self.meaning.text(),
            )

    def _on_merge(self) -> None:
        if self.detail is not None and self.detail.motif.id is not None:
            self.merge_requested.emit(self.detail.motif.id)

    def _on_link(self) -> None:
        if self.detail is not None and self.detail.motif.id is not None:
            self.link_requested.emit(self.detail.motif.id)

    def _on_anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("entry:") and text[6:].isdigit():
            self.entry_requested.emit(int(text[6:]))

    def clear(self) -> None:
        self.list.clear()
        self.detail = None
        for field in (self.name, self.feeling, self.meaning):
            field.clear()
        self.passages.clear()
        self.sessions.clear()

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.list.setFocus()
