"""Every image and metaphor, recurring ones first, with where each appeared."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from journal.core.model import MotifUsage
from journal.ui.widgets import label


def describe(usage: MotifUsage, session_dates: dict[int, datetime]) -> str:
    motif = usage.motif
    lines = [f"{motif.name}  ·  {motif.kind.value}"]
    sessions = len(usage.session_ids)
    if sessions:
        dates = ", ".join(
            f"{session_dates[s].astimezone():%d %b %Y}"
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


class MotifsPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.list = QListWidget()
        self.list.setAccessibleName("Motifs")
        self.list.setWordWrap(True)
        self.list.setSpacing(4)
        self.empty = label(
            "No images or metaphors yet. They appear here when you name them "
            "in a prompt such as “It felt like…”.",
            name="hint",
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(label("Images and metaphors", name="title"))
        layout.addWidget(
            label("Those that come back across sessions are listed first.", name="hint")
        )
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)

    def show_motifs(self, usages: list[MotifUsage], session_dates: dict[int, datetime]) -> None:
        self.list.clear()
        for usage in usages:
            item = QListWidgetItem(describe(usage, session_dates))
            item.setData(Qt.ItemDataRole.UserRole, usage.motif.id)
            self.list.addItem(item)
        self.empty.setVisible(not usages)
        self.list.setVisible(bool(usages))
        if usages:
            self.list.setCurrentRow(0)

    def clear(self) -> None:
        self.list.clear()

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.list.setFocus()
