"""The report as a PDF, rendered in memory (no temporary files) with Qt's
text engine, and optionally protected with AES-256 by qpdf (pikepdf).

Lives outside `journal.core` because it needs QtGui; the command line
imports it only when a PDF is asked for.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading

import pikepdf
from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

from journal.core.errors import JournalError
from journal.core.sharing.markup import READING_PT
from journal.core.words import random_words

PDF_PASSWORD_WORDS = 8
# Keeps the command line's application alive for the rest of the process.
_APPLICATION: list[QApplication] = []


def _ensure_gui_application() -> None:
    """Text layout needs a Qt application; the command line has none. A full
    QApplication (offscreen without a display), so the desktop app and tests
    can share it later in the same process."""
    if QGuiApplication.instance() is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _APPLICATION.append(QApplication([]))


def report_document(html: str) -> QTextDocument:
    """The report laid out for printing, at the reading size."""
    document = QTextDocument()
    # Qt sizes headings from the default font, not from the style sheet.
    font = QFont(document.defaultFont())
    font.setPointSizeF(READING_PT)
    document.setDefaultFont(font)
    document.setHtml(html)
    return document


# A printed page is laid out like a screen this many pixels wide (the charts'
# width and the body's margins), then scaled to the paper: the report's type
# then prints at about 10 pt, and tables and charts sit as they do on screen.
# (Left to itself, Qt lays text out at the printer's resolution but sizes
# pictures and table columns in screen pixels, which starves the columns.)
PRINT_WIDTH = 800


_NUMBER_BAND = 28  # below each page's text: its number


def print_pages(document: QTextDocument, device: QPagedPaintDevice) -> None:
    """Print ``document`` on ``device`` (a PDF writer or a printer): pages of
    ``PRINT_WIDTH`` with the paper's proportions, each scaled to the paper,
    numbered "2 of 11" at the foot."""
    paper = device.pageLayout().paintRectPixels(device.logicalDpiX())
    scale = paper.width() / PRINT_WIDTH
    page_height = paper.height() / scale
    document.setPageSize(QSizeF(PRINT_WIDTH, page_height - _NUMBER_BAND))
    pages = document.pageCount()
    body = document.pageSize().height()
    painter = QPainter(device)
    try:
        painter.scale(scale, scale)
        for index in range(pages):
            if index:
                device.newPage()
            painter.save()
            painter.translate(0, -index * body)
            document.drawContents(painter, QRectF(0, index * body, PRINT_WIDTH, body))
            painter.restore()
            painter.setPen(QColor("#4a4640"))
            number_font = QFont(document.defaultFont())
            number_font.setPixelSize(13)  # in the page's pixels, scaled with it
            painter.setFont(number_font)
            painter.drawText(
                QRectF(0, body, PRINT_WIDTH - 16, _NUMBER_BAND),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                f"{index + 1} of {pages}",
            )
    finally:
        painter.end()


# The hidden `afterglow` command a child process runs to lay out a PDF.
RENDER_COMMAND = "_report-pdf"


def report_pdf(html: str, *, title: str = "Afterglow report") -> bytes:
    """A paginated A4 PDF of the report HTML, built entirely in memory.

    Off the main thread (the app's vault thread, the reader's worker) the PDF
    is laid out in a child process instead: Qt's text layout on a second
    thread while the GUI thread paints deadlocked the two once in the tests
    (both threads stuck in Qt, the GUI frozen). The HTML goes to the child and
    the PDF comes back through pipes, never through a file."""
    if threading.current_thread() is not threading.main_thread():
        return _report_pdf_apart(html, title)
    return _report_pdf_here(html, title)


def _report_pdf_here(html: str, title: str) -> bytes:
    _ensure_gui_application()
    document = report_document(html)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("Afterglow")
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter)
    print_pages(document, writer)
    del writer
    buffer.close()
    return bytes(buffer.data().data())


def _report_pdf_apart(html: str, title: str) -> bytes:
    frozen = getattr(sys, "frozen", False)  # the packaged app is the `afterglow` command
    command = [sys.executable, *([] if frozen else ["-m", "journal"]), RENDER_COMMAND]
    failed = JournalError("The PDF could not be made, so nothing was saved. Please try again.")
    try:
        child = subprocess.run(
            command,
            input=f"{' '.join(title.split())}\n{html}".encode(),
            capture_output=True,  # (its messages are dropped: they may quote the report)
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            timeout=600,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise failed from error
    if child.returncode != 0 or not child.stdout.startswith(b"%PDF"):
        raise failed
    return child.stdout


def render_child() -> int:
    """The child's side of `report_pdf`: a title line and the HTML on standard
    input, the PDF on standard output."""
    title, _, html = sys.stdin.buffer.read().decode().partition("\n")
    sys.stdout.buffer.write(_report_pdf_here(html, title))
    sys.stdout.buffer.flush()
    return 0


def new_pdf_password() -> str:
    """Eight random words (about 100 bits): long, but easy to read aloud."""
    return random_words(PDF_PASSWORD_WORDS, " ")


def protect(pdf: bytes, password: str) -> bytes:
    """The same PDF, encrypted with AES-256 (PDF 2.0 security handler R6)."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(out, encryption=pikepdf.Encryption(user=password, owner=password, R=6))
    return out.getvalue()
