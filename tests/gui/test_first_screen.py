"""The therapist's first screen: above the fold of the reader at 1366×768 and
on the first printed page, at a desk reading size; and a clinician's own
questionnaire carried from the patient's check-in screen and command line to
the therapist's reader with no code for it anywhere."""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

import pyrage
from pypdf import PdfReader
from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QFontInfo, QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from journal.core.journal.demo import populate
from journal.core.model import CheckinKind
from journal.core.sharing import bundle, report, share
from journal.core.text import short_day
from journal.core.vault import vault as vaults
from journal.pdf import report_pdf
from journal.ui.reader import ReaderWindow
from journal.ui.runner import VaultRunner
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import WindowFactory, unlock
from tests.gui.test_measures import open_clinicians_questionnaire
from tests.test_cli import cli

_IDENTITY = pyrage.x25519.Identity.generate()


def _demo_bundle(vault: vaults.Vault, path: Path) -> Path:
    populate(vault)
    vault.checkins.add(CheckinKind.PHQ9, [1, 1, 0, 1, 0, 1, 0, 0, 1])  # the safety banner too
    content = share.collect(
        vault, share.offer(vault, everything=True), now=datetime.now().astimezone()
    )
    path.write_bytes(
        bundle.write_bundle(
            content,
            report_html=report.report_html(content),
            recipients=[str(_IDENTITY.to_public())],
        )
    )
    return path


def _open(qtbot: QtBot, path: Path, size: tuple[int, int] = (1366, 768)) -> ReaderWindow:
    reader = ReaderWindow(
        bundle_path=path, vault_path=None, runner=VaultRunner(), identities=[str(_IDENTITY)]
    )
    qtbot.addWidget(reader)
    reader.resize(*size)
    reader.show()
    qtbot.waitUntil(lambda: reader.stack.currentIndex() == 1, timeout=20_000)
    return reader


def _bottom_of(reader: ReaderWindow, text: str) -> int:
    """Where the end of the paragraph holding ``text`` is drawn in the report's viewport."""
    found = reader.report.document().find(QRegularExpression(text))
    assert not found.isNull(), text
    found.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    return reader.report.cursorRect(found).bottom()


def test_the_first_screen_is_above_the_fold_at_1366_by_768(
    qtbot: QtBot, vault: vaults.Vault, tmp_path: Path
) -> None:
    reader = _open(qtbot, _demo_bundle(vault, tmp_path / "b.agb"))
    viewport = reader.report.viewport().height()
    assert reader.report.verticalScrollBar().value() == 0
    # The banner first, then every part of "At a glance", all without scrolling.
    assert _bottom_of(reader, "Please note first") < _bottom_of(reader, "At a glance")
    latest = max(vault.sessions.all(), key=lambda s: s.started_at)
    last_row = short_day(latest.started_at, year_of=datetime.now().astimezone())
    last_row = last_row.replace(" ", ".")  # the table keeps "25 Nov" together (no-break space)
    for part in ("PHQ-9", "GAD-7", "EBI", last_row, "On the agenda", "Completeness over"):
        assert 0 < _bottom_of(reader, part) <= viewport, part
    # The details follow.
    assert _bottom_of(reader, "What I'd like to talk about") > _bottom_of(reader, "Completeness")
    # A desk reading size (about 15 px), not the patient's 20 pt.
    body = QFontInfo(reader.report.document().defaultFont()).pixelSize()
    assert 14 <= body <= 16, body
    assert "A safety question was answered" in reader.flag_note.text()
    reader.close()


def test_the_first_printed_page_is_the_first_screen(
    vault: vaults.Vault, qapp: QApplication
) -> None:
    populate(vault)
    content = share.collect(
        vault, share.offer(vault, everything=True), now=datetime.now().astimezone()
    )
    pdf = PdfReader(io.BytesIO(report_pdf(report.report_html(content, printed=True))))
    first = " ".join(unicodedata.normalize("NFKC", pdf.pages[0].extract_text()).split())
    for part in (
        "At a glance",
        "PHQ-9",
        "response, remission",
        "a standard research definition, not a diagnosis",
        "On the agenda",
        "Most recurring images",
        "Completeness over",
    ):
        assert part in first, part
    assert first.index("At a glance") < first.index("What I'd like to talk about")
    assert first.endswith(f"1 of {len(pdf.pages)}")  # numbered pages


def test_a_clinicians_questionnaire_from_screen_to_reader(
    qtbot: QtBot,
    make_window: WindowFactory,
    vault_path: Path,
    tmp_path: Path,
    answers: Any,
    monkeypatch: Any,
) -> None:
    vault, _ = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    vault.close()
    # The patient's app: added from the clinician's file, answered by keyboard.
    window = make_window(vault_path)
    unlock(qtbot, window)
    open_clinicians_questionnaire(qtbot, window, tmp_path, monkeypatch)
    page = window.flows.checkins.questionnaire
    qtbot.keyClick(page, Qt.Key.Key_0)
    qtbot.keyClick(page, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.current_page() == "checkin_result")
    window.close()
    qtbot.waitUntil(lambda: not window.runner.busy)
    # The command line: another check-in, then a bundle for the therapist's key.
    done = cli(vault_path, "checkin", "calm-scale", "2", "2", stdin=f"{PASSPHRASE}\n")
    assert done.out.startswith("Calm total 4 of 4: high. Saved.\n"), done.err
    out = tmp_path / "calm.agb"
    exported = cli(
        vault_path,
        "export",
        "--out",
        str(out),
        "--to",
        str(_IDENTITY.to_public()),
        stdin=f"{PASSPHRASE}\n",
    )
    assert exported.code == 0, exported.err
    # The therapist's reader has never seen this questionnaire.
    reader = _open(qtbot, out)
    text = reader.report.toPlainText()
    label = "Calm (the clinician's own questionnaire, version 1)"
    assert text.count(label) >= 2  # on the first screen and in the trends
    assert "4 high" in text and "+3 (+300%)" in text, text
    reader.close()
