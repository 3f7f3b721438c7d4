"""The report as a PDF, rendered in memory (no temporary files) with Qt's
text engine, and optionally protected with AES-256 by qpdf (pikepdf).

Lives outside `journal.core` because it needs QtGui; the command line
imports it only when a PDF is asked for.
"""

from __future__ import annotations

import io
import os

import pikepdf
from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

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


def report_pdf(html: str, *, title: str = "Afterglow report") -> bytes:
    """A paginated A4 PDF of the report HTML, built entirely in memory."""
    _ensure_gui_application()
    document = QTextDocument()
    document.setHtml(html)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("Afterglow")
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter)
    document.print_(writer)
    del writer
    buffer.close()
    return bytes(buffer.data().data())


def new_pdf_password() -> str:
    """Eight random words (about 100 bits): long, but easy to read aloud."""
    return random_words(PDF_PASSWORD_WORDS, " ")


def protect(pdf: bytes, password: str) -> bytes:
    """The same PDF, encrypted with AES-256 (PDF 2.0 security handler R6)."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(out, encryption=pikepdf.Encryption(user=password, owner=password, R=6))
    return out.getvalue()
