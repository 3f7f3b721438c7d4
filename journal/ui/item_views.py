"""Lists whose rows wrap their text: each row as tall as its lines really are.

Qt measures a wrapped row before the style sheet's padding and its large
check boxes take their room, so a long row's last line was cut ("…"). The
delegate here measures the text at the width it is drawn in."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QListView,
    QListWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

PADDING = 8  # the style sheet's padding of a row, each side
CHECK_ROOM = 48  # a check box as the style sheet draws it, and the gap after it
SLACK = 12  # the view's frame and rounding


class WrappingDelegate(QStyledItemDelegate):
    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(  # noqa: N802 (Qt naming)
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        self.initStyleOption(option, index)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        width = self.view.viewport().width() - 2 * self.view.spacing()
        room = width - 2 * PADDING - SLACK
        if index.data(Qt.ItemDataRole.CheckStateRole) is not None:
            room -= CHECK_ROOM
        metrics = option.fontMetrics
        bounds = metrics.boundingRect(
            QRect(0, 0, max(room, 40), 1_000_000), Qt.TextFlag.TextWordWrap, text
        )
        least = super().sizeHint(option, index).height()
        return QSize(width, max(least, bounds.height() + 2 * PADDING + 4))


def wrapping_list(accessible: str) -> QListWidget:
    """A list of rows that wrap (and wrap anew as it is resized), named for
    assistive technology, with no sideways scrolling."""
    widget = QListWidget()
    widget.setAccessibleName(accessible)
    widget.setWordWrap(True)
    widget.setResizeMode(QListView.ResizeMode.Adjust)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setItemDelegate(WrappingDelegate(widget))
    return widget
