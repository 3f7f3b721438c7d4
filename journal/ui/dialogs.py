"""Dialogs that leave no trace: every modal question goes through here, so
tests can answer them and nothing is remembered by Qt.

Qt's file dialog remembers visited folders and file names in its own
settings (``QtProject/FileDialog``); paths of what a patient saves must not
be kept, so that group is removed after every use.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPagedPaintDevice, QTextDocument
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon


def forget_file_dialog_history() -> None:
    settings = QSettings(QSettings.Scope.UserScope, "QtProject")
    settings.remove("FileDialog")
    settings.sync()


def _destroy_and_forget(dialog: QFileDialog) -> None:
    """Destroy the dialog now — QFileDialog writes its state (the folder, as
    history and lastVisited) when it is destroyed — and only then forget."""
    shiboken6.delete(dialog)
    forget_file_dialog_history()


def _ask(parent: QWidget, caption: str, start: Path, filter_: str, mode: str) -> Path | None:
    """Qt's own file dialog (the same on every desktop), remembering nothing.
    ``mode`` is "open", "save" or "folder"."""
    dialog = QFileDialog(parent, caption, str(start), filter_)
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    elif mode == "folder":
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setHistory([])
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        return Path(dialog.selectedFiles()[0])
    finally:
        _destroy_and_forget(dialog)


def save_file_name(parent: QWidget, caption: str, suggested: str, filter_: str) -> Path | None:
    return _ask(parent, caption, Path.home() / suggested, filter_, "save")


def open_file_name(parent: QWidget, caption: str, filter_: str) -> Path | None:
    return _ask(parent, caption, Path.home(), filter_, "open")


def existing_directory(parent: QWidget, caption: str) -> Path | None:
    """A folder chosen in Qt's own dialog, remembering nothing."""
    return _ask(parent, caption, Path.home(), "", "folder")


def print_document(
    parent: QWidget,
    document: QTextDocument,
    *,
    pages: Callable[[QTextDocument, QPagedPaintDevice], None] | None = None,
) -> bool:
    """Print through the system dialog; the document never touches the disk
    unless the person chooses "print to file". ``pages``: how to lay it out
    on the printer (the report's `journal.pdf.print_pages`), else Qt's own."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # only when printing

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    if pages is None:
        document.print_(printer)
    else:
        pages(document, printer)
    return True


def confirm(parent: QWidget, title: str, text: str, *, yes: str, no: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_button)
    box.exec()
    return box.clickedButton() is yes_button


def show_message(parent: QWidget, title: str, text: str, *, warning: bool = False) -> QMessageBox:
    """A message that does not block: the window keeps working behind it."""
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def report_bug(parent: QWidget, error: BaseException) -> None:
    """A bug: say so without the error's text (it may quote journal content),
    and hand the traceback to the quiet excepthook."""
    show_message(
        parent,
        "Afterglow",
        f"Afterglow hit an unexpected problem ({type(error).__name__}). This is a bug; "
        "your saved entries are safe.",
        warning=True,
    )
    sys.excepthook(type(error), error, error.__traceback__)


def choose(
    parent: QWidget,
    title: str,
    text: str,
    items: list[tuple[int, str]],
    *,
    choose: str = "Choose",
    icons: dict[int, QIcon] | None = None,
) -> int | None:
    """The id of the item chosen from ``items``, or None when cancelled."""
    # Not needed before the first paint: imported (and its types made) on first use.
    from PySide6.QtWidgets import QDialog

    from journal.ui.chooser import ChooserDialog

    dialog = ChooserDialog(parent, title, text, items, choose, icons)
    try:
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def ask_text(
    parent: QWidget,
    title: str,
    text: str,
    current: str = "",
    *,
    ok: str = "Save",
    secret: bool = False,
) -> str | None:
    """A short text typed (a name; with ``secret`` a passphrase, shown as
    dots), or None when cancelled."""
    from PySide6.QtWidgets import QDialog, QLineEdit

    from journal.ui.chooser import TextDialog

    dialog = TextDialog(parent, title, text, current, ok)
    if secret:
        dialog.field.setEchoMode(QLineEdit.EchoMode.Password)
    try:
        return dialog.field.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
