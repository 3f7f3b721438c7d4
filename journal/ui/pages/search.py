"""Search as you type: ranked results with highlighted snippets; Enter opens."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from journal.core.vault.repositories.search import SearchHit
from journal.ui.widgets import button, label

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex
DEBOUNCE_MS = 120


def hit_html(hit: SearchHit) -> str:
    snippet = "".join(
        f"<b><u>{html.escape(part.text)}</u></b>" if part.highlighted else html.escape(part.text)
        for part in hit.snippet
    )
    where = {"motif": "Motif", "session": "Session"}.get(hit.kind, "Entry")
    return (
        f"<div><b>{html.escape(hit.label or where)}</b> "
        f"<span>· {where}</span><br>{' '.join(snippet.split())}</div>"
    )


class SearchModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = hits
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{hit.label}: {' '.join(hit.snippet_text.split())}"
        if role == HTML_ROLE:
            return hit_html(hit)
        if role == HIT_ROLE:
            return hit
        return None


class HtmlDelegate(QStyledItemDelegate):
    """Paints a row's HTML (escaped text with highlighted matches)."""

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setHtml(str(index.data(HTML_ROLE) or ""))
        document.setTextWidth(max(100, option.rect.width() - 24))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        text = option.text
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        option.text = text
        document = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(
            QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.Text)
        )
        painter.save()
        painter.translate(option.rect.left() + 12, option.rect.top() + 8)
        painter.setClipRect(QRectF(0, 0, option.rect.width() - 24, option.rect.height() - 8))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        self.initStyleOption(option, index)
        document = self._document(option, index)
        return QSize(int(document.idealWidth()), int(document.size().height()) + 16)


class SearchPage(QWidget):
    """Emits ``query_changed(str)`` (debounced) and ``open_hit(SearchHit)``."""

    query_changed = Signal(str)
    open_hit = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.field = QLineEdit()
        self.field.setAccessibleName("Search")
        self.field.setPlaceholderText("Search your journal — words, images, feelings")
        # A real button, not the line edit's 10-pixel cross.
        self.clear_button = button("Clear")
        self.clear_button.setAccessibleName("Clear the search")
        self.clear_button.clicked.connect(self._clear)
        self.model = SearchModel()
        self.results = QListView()
        self.results.setAccessibleName("Search results")
        self.results.setModel(self.model)
        self.results.setItemDelegate(HtmlDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.results.activated.connect(self._on_activated)
        self.status = label("", name="hint")
        self.status.setAccessibleName("Search status")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(lambda: self.query_changed.emit(self.field.text()))
        self.field.textChanged.connect(lambda _t: self._timer.start())
        self.field.returnPressed.connect(self._on_return)
        self._sequence = 0
        self._open_when_ready = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        layout.addWidget(label("Search", name="title"))
        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        row.addWidget(self.clear_button)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)

    def next_sequence(self) -> int:
        """A number for the query about to run; older answers are dropped."""
        self._sequence += 1
        return self._sequence

    def show_results(self, sequence: int, query: str, hits: list[SearchHit]) -> None:
        if sequence != self._sequence:
            return  # a newer query is on its way
        self.model.set_hits(hits)
        if not query.strip():
            self.status.setText("")
        elif hits:
            self.status.setText(
                f"{len(hits)} found. Press Enter to open the first, or use the arrow keys."
            )
        else:
            self.status.setText("Nothing found. Try fewer or shorter words.")
        if hits:
            self.results.setCurrentIndex(self.model.index(0, 0))
            if self._open_when_ready:
                self.open_hit.emit(hits[0])
        self._open_when_ready = False

    def _clear(self) -> None:
        self.field.clear()
        self.field.setFocus()

    def focus_field(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def clear(self) -> None:
        self._timer.stop()
        self.field.clear()
        self.model.set_hits([])
        self.status.setText("")

    def _on_return(self) -> None:
        if self._timer.isActive():  # typed faster than the debounce: search, then open
            self._timer.stop()
            self._open_when_ready = True
            self.query_changed.emit(self.field.text())
            return
        index = self.results.currentIndex()
        if index.isValid():
            self._on_activated(index)

    def _on_activated(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if hit is not None:
            self.open_hit.emit(hit)
