"""Off the main thread a report PDF is laid out in a child process (Qt's text
layout on a second thread while the GUI thread paints deadlocked once): the
HTML goes there and the PDF comes back through pipes."""

from __future__ import annotations

import io
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from journal import pdf
from journal.core.errors import JournalError


def _on_a_thread(html: str, title: str) -> bytes | BaseException:
    result: list[bytes | BaseException] = []

    def work() -> None:
        try:
            result.append(pdf.report_pdf(html, title=title))
        except BaseException as error:  # handed to the test
            result.append(error)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(120)
    assert result, "the PDF never came back"
    return result[0]


def test_off_the_main_thread_the_pdf_is_made_in_a_child(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_here(_html: str, _title: str) -> bytes:
        raise AssertionError("laid out in this process")

    monkeypatch.setattr(pdf, "_report_pdf_here", not_here)
    made = _on_a_thread("<h1>Nach der Sitzung</h1><p>Ein Garten aus Licht 🌿</p>", "Für Dr R")
    assert isinstance(made, bytes)
    reader = PdfReader(io.BytesIO(made))
    assert "Ein Garten aus Licht" in " ".join(reader.pages[0].extract_text().split())
    assert reader.metadata is not None and reader.metadata.title == "Für Dr R"
    assert not any(Path(tempfile.gettempdir()).iterdir())  # the child's TMPDIR too: no file


def test_a_child_that_fails_is_one_sentence_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "executable", "/bin/false")
    failed = _on_a_thread("<p>words</p>", "T")
    assert isinstance(failed, JournalError)
    assert failed.message == "The PDF could not be made, so nothing was saved. Please try again."
