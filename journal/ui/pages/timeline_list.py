"""The home page's timeline: a list model that holds the rows read so far and
asks for the next page of the timeline when the view reaches them, and the
list view on it, where End reaches the oldest row.

The model never reads the vault: it says which page it wants
(`TimelineModel.page_wanted`) and the home flow reads it on the vault thread
and hands it back. Every reload (a new entry, locking) begins a new
*generation*; a page asked for by an earlier one is dropped when it comes, so
rows read before a lock never come back after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractItemView, QListView

if TYPE_CHECKING:
    from journal.core.journal.timeline import Cursor, Page, TimelineRow

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
_BATCH = 60  # rows given to the view at a time; more come as the list scrolls
_LAYOUT_BATCH = 100  # rows the view measures between events

Index = QModelIndex | QPersistentModelIndex


class TimelineModel(QAbstractListModel):
    """Timeline rows, shown to the view in batches as it scrolls, read a page
    at a time.

    Signals: ``page_wanted(cursor, generation)`` when the view has reached the
    last row read and more remain (answer with `add_page`); ``reached_end()``
    once `fetch_all` has every row shown."""

    page_wanted = Signal(object, int)
    reached_end = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.generation = 0
        self._rows: list[TimelineRow] = []
        self._shown = 0
        self._cursor: Cursor | None = None
        self._asked = False  # a page is on its way
        self._to_end = False  # End was pressed: read every page, then show all
        self._inserting = False

    def restart(self) -> int:
        """A reload begins: a page on its way is dropped when it comes, and
        none is asked for until the reload's first page (`show_first`).
        Returns the generation the reload is for."""
        self.generation += 1
        self._cursor = None
        self._asked = self._to_end = False
        return self.generation

    def show_first(self, page: Page, generation: int) -> bool:
        """Show the newest page; False (and nothing changes) when a later
        reload has begun since ``generation``."""
        if generation != self.generation:
            return False
        self.beginResetModel()
        self._rows = list(page.rows)
        self._shown = min(len(self._rows), _BATCH)
        self._cursor = page.cursor
        self.endResetModel()
        return True

    def add_page(self, page: Page, generation: int) -> bool:
        """The page asked for has come; False (dropped) when it was asked for
        before a reload or a lock."""
        if generation != self.generation or not self._asked:
            return False
        self._asked = False
        self._rows += page.rows
        self._cursor = page.cursor
        if self._to_end:
            self.fetch_all()
        else:
            self._show_more()  # the view is at the last row: it asked for these
        return True

    def page_failed(self, generation: int) -> None:
        """The page asked for could not be read: scrolling asks again."""
        if generation == self.generation:
            self._asked = self._to_end = False

    def fetch_all(self) -> None:
        """Read every page left, then show every row and say `reached_end`."""
        self._to_end = True
        if self._cursor is not None:
            self._ask()
            return
        self._to_end = False
        self._show_more(len(self._rows) - self._shown)
        self.reached_end.emit()

    def clear(self) -> None:
        self.restart()
        self.beginResetModel()
        self._rows, self._shown = [], 0
        self.endResetModel()

    @property
    def complete(self) -> bool:
        """Whether every row of the timeline is read and shown."""
        return self._cursor is None and self._shown == len(self._rows)

    def _ask(self) -> None:
        if not self._asked and self._cursor is not None:
            self._asked = True
            self.page_wanted.emit(self._cursor, self.generation)

    def _show_more(self, count: int = _BATCH) -> None:
        more = min(count, len(self._rows) - self._shown)
        if more <= 0 or self._inserting:
            return
        # Whoever listens to the insertion may ask for more meanwhile (Qt's
        # model tester does): that waits for the next fetchMore.
        self._inserting = True
        try:
            self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
            self._shown += more
            self.endInsertRows()
        finally:
            self._inserting = False

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802 (Qt naming)
        return not parent.isValid() and not self.complete

    def fetchMore(self, parent: Index) -> None:  # noqa: N802 (Qt naming)
        if parent.isValid():
            return
        if self._shown < len(self._rows):
            self._show_more()
        else:
            self._ask()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._shown:
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            indent = "      " if row.in_session else ""
            detail = row.detail.replace("\n", f"\n{indent}")
            return f"{indent}{row.title}\n{indent}{detail}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.title}. {row.detail}"
        if role == Qt.ItemDataRole.FontRole and row.kind == "session":
            font = QFont()
            font.setBold(True)
            return font
        if role == KIND_ROLE:
            return row.kind
        if role == ID_ROLE:
            return row.id
        return None


class TimelineView(QListView):
    """The timeline's list: rows wrap to the width; End (and Ctrl+End) reads
    what is left and goes to the oldest row; Page Down and scrolling read the
    next page as they reach the last row read."""

    def __init__(self, model: TimelineModel) -> None:
        super().__init__()
        self.setAccessibleName("Timeline")
        self.setModel(model)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setSpacing(4)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        # Rows wrap to the width; a sideways scroll bar would only hide a line.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Rows are measured a batch at a time between events: after End, ten
        # thousand wrapped rows held the window still for a second at once.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(_LAYOUT_BATCH)
        self._model = model
        self._going_to_end = False
        # The row moved to by a key is kept in sight while rows are measured
        # (a row not measured yet can't be scrolled to), until the mouse moves the list.
        self._keeping_current = False
        model.reached_end.connect(self.on_reached_end)
        model.modelReset.connect(self.on_model_reset)
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self.on_range_changed)
        bar.sliderPressed.connect(self.on_scrolled_by_hand)
        bar.actionTriggered.connect(self.on_scrolled_by_hand)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        super().keyPressEvent(event)
        self._keeping_current = self.currentIndex().isValid()
        if event.key() == Qt.Key.Key_End and not self._model.complete:
            self._going_to_end = True
            self._model.fetch_all()
        elif self.currentIndex().row() == self._model.rowCount() - 1:
            # At the last row read (Down, Page Down): the next rows come.
            self._model.fetchMore(QModelIndex())

    def moveCursor(  # noqa: N802 (Qt naming)
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """Page Up and Page Down by rows: Qt's own looks for the row a screen
        away among the rows measured, and while a batch is still to be
        measured it searched for most of a minute."""
        paging = (
            QAbstractItemView.CursorAction.MovePageDown,
            QAbstractItemView.CursorAction.MovePageUp,
        )
        if action not in paging or self._model.rowCount() == 0:
            return super().moveCursor(action, modifiers)
        current = self.currentIndex()
        if not current.isValid():
            return self._model.index(0, 0)
        down = action == QAbstractItemView.CursorAction.MovePageDown
        here = self.visualRect(current)
        away = self.viewport().height() * (1 if down else -1)
        target = self.indexAt(here.center() + QPoint(0, away))
        if target.isValid() and target != current:
            return target
        # Not measured yet, or past the last row: as many rows as fit in a screen.
        step = max(1, self.viewport().height() // max(here.height() + self.spacing(), 1) - 1)
        row = current.row() + (step if down else -step)
        return self._model.index(min(max(row, 0), self._model.rowCount() - 1), 0)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt naming)
        self._keeping_current = False
        super().mousePressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt naming)
        self._keeping_current = False
        super().wheelEvent(event)

    def on_scrolled_by_hand(self, *_args: object) -> None:
        self._keeping_current = False

    def on_model_reset(self) -> None:
        self._going_to_end = self._keeping_current = False

    def on_reached_end(self) -> None:
        if not self._going_to_end:
            return
        self._going_to_end = False
        last = self._model.index(self._model.rowCount() - 1, 0)
        if last.isValid():
            self.setCurrentIndex(last)
            self._keeping_current = True
            self.scrollTo(last)

    def on_range_changed(self, _least: int, _most: int) -> None:
        """Another batch of rows measured: the row moved to stays in sight."""
        if self._keeping_current:
            self.scrollTo(self.currentIndex())
