"""Choosing one item from a list, or typing a short text such as a name, in a
dialog of its own (see `dialogs.choose` and `dialogs.ask_text`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal.ui.widgets import button, button_row, label


class ChooserDialog(QDialog):
    """Choose one item from a list (a motif to merge with or link to, an
    attachment to link): Enter or "Choose" takes the highlighted one."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        items: list[tuple[int, str]],
        choose: str = "Choose",
        icons: dict[int, QIcon] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.list = QListWidget()
        self.list.setAccessibleName(title)
        self.list.setWordWrap(True)
        for ident, name in items:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, ident)
            if icons and ident in icons:
                item.setIcon(icons[ident])
            self.list.addItem(item)
        if items:
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.ok = _lay_out(self, text, self.list, choose, grows=True)
        self.ok.setEnabled(bool(items))
        self.resize(720, 560)
        self.list.setFocus()

    def chosen(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))


class TextDialog(QDialog):
    """One line of text (a patient's name): Enter or the main button takes it."""

    def __init__(
        self, parent: QWidget | None, title: str, text: str, current: str, ok: str
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.field = QLineEdit(current)
        self.field.setAccessibleName(title)
        self.field.selectAll()
        self.field.returnPressed.connect(self.accept)
        self.ok = _lay_out(self, text, self.field, ok, grows=False)
        self.resize(720, 300)
        self.field.setFocus()


def _lay_out(dialog: QDialog, text: str, body: QWidget, ok: str, *, grows: bool) -> QPushButton:
    """The sentence, the body (a list that ``grows``, or one field), and
    Cancel … the main button under them; returns the main button."""
    accept = button(ok, primary=True)
    cancel = button("Cancel")
    accept.clicked.connect(dialog.accept)
    cancel.clicked.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(12)
    layout.addWidget(label(text))
    layout.addWidget(body, 1 if grows else 0)
    if not grows:
        layout.addStretch(1)
    layout.addWidget(button_row(cancel, accept))
    return accept
