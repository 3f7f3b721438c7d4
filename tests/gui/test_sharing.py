"""Prepare for therapy (selection, preview, share code, therapist key, PDF),
the reader (code, key, refusals) and the sharing key."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pyrage
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journal.core.sharing import bundle
from journal.core.text import day
from journal.core.vault import vault as vaults
from journal.ui.pages.prepare import ID_ROLE, KIND_ROLE
from journal.ui.reader import ReaderWindow
from journal.ui.runner import VaultRunner
from tests.conftest import FAST_KDF
from tests.gui.conftest import WindowFactory, run_in_vault, type_text, unlock


def _prepare(qtbot: QtBot, window: Any) -> Any:
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    page = window.prepare_page
    qtbot.waitUntil(
        lambda: window.current_page() == "prepare" and page.tree.topLevelItemCount() > 0
    )
    return page


def _to_protect_step(qtbot: QtBot, window: Any) -> Any:
    """Prepare → Preview → Continue: the page on its "How to protect" step."""
    page = _prepare(qtbot, window)
    page.preview_button.click()
    qtbot.waitUntil(lambda: page.steps.currentIndex() == 1)
    page.to_send.click()
    return page


def _save(qtbot: QtBot, page: Any, answers: dict[str, Any], target: Path) -> str:
    """Answer the save dialog with ``target``, save, wait; the secret shown."""
    answers["save_file_name"] = target
    page.save_button.click()
    qtbot.waitUntil(lambda: page.steps.currentIndex() == 3, timeout=20_000)
    return str(page.secret_label.text())


def _uncheck(page: Any, kind: str, text_part: str, parent_part: str = "") -> None:
    for item in page._all_items():
        parent = item.parent().text(0) if item.parent() is not None else ""
        if item.data(0, KIND_ROLE) == kind and text_part in item.text(0) and parent_part in parent:
            item.setCheckState(0, Qt.CheckState.Unchecked)
            return
    raise AssertionError(text_part)


def test_prepare_with_a_share_code(
    qtbot: QtBot,
    make_window: WindowFactory,
    demo_vault: Path,
    answers: dict[str, Any],
    tmp_path: Path,
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    page = _prepare(qtbot, window)
    assert page.period_box.currentText() == "Everything"  # never shared before
    # The demo's third session (the red kite) was 21 days before today.
    kite_day = day(datetime.now().astimezone() - timedelta(days=21))
    _uncheck(page, "session", kite_day)
    _uncheck(page, "answer", "If this session were one word", "Session 1 — right after")
    qtbot.keyClick(page.preview_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.steps.currentIndex() == 1)
    preview = page.preview.toPlainText()
    assert preview.index("What I'd like to talk about") < preview.index("Trends")
    assert "A red kite pulling hard" not in preview  # the kite session left out
    assert "Opening" not in preview  # the one-word answer of session 1
    assert "Through" in preview  # ... while session 4's stays
    assert "The ceiling dissolved" in preview
    page.to_send.click()
    assert page.by_code.isChecked()
    target = tmp_path / "for-thursday.agb"
    answers["save_file_name"] = target
    qtbot.keyClick(page.save_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.steps.currentIndex() == 3, timeout=20_000)
    code = page.secret_label.text()
    assert len(code.split("-")) == 6
    assert "in person or by phone" in page.done_note.text()
    plain = pyrage.passphrase.decrypt(target.read_bytes(), code)
    files = zipfile.ZipFile(io.BytesIO(plain))
    assert "report.pdf" in files.namelist()
    pdf_text = " ".join(
        " ".join(
            p.extract_text() for p in pypdf.PdfReader(io.BytesIO(files.read("report.pdf"))).pages
        ).split()
    )
    assert "ceiling dissolved" in pdf_text and "A red kite pulling" not in pdf_text
    # The next time, the default period is "since my last share".
    window.go_home()
    qtbot.waitUntil(lambda: window.current_page() == "home")
    page = _prepare(qtbot, window)
    assert page.period_box.currentText().startswith("Since my last share")


def test_prepare_for_a_therapist_key_remembers_the_contact(
    qtbot: QtBot,
    make_window: WindowFactory,
    demo_vault: Path,
    answers: dict[str, Any],
    tmp_path: Path,
) -> None:
    therapist, _ = vaults.create(
        tmp_path / "t" / "t.vault", "quiet reading lamp evening", kdf=FAST_KDF
    )
    key = therapist.keys.create_identity()
    therapist.close()
    window = make_window(demo_vault)
    unlock(qtbot, window)
    page = _to_protect_step(qtbot, window)
    page.by_key.setChecked(True)
    assert page.key_box.isVisible()
    page.save_button.click()
    assert "paste the key" in page.error.text()
    page.new_key_name.setText("Dr. Rivera")
    type_text(page.new_key, key.recipient)
    page.include_pdf.setChecked(False)
    _save(qtbot, page, answers, tmp_path / "to-rivera.agb")
    assert "Dr. Rivera" in page.done_note.text()
    contacts = run_in_vault(qtbot, window, lambda v: v.keys.contacts())
    assert [c.name for c in contacts] == ["Dr. Rivera"]
    data = (tmp_path / "to-rivera.agb").read_bytes()
    assert not bundle.needs_share_code(data)
    # The therapist opens it with the key in their own vault.
    reader = ReaderWindow(
        bundle_path=tmp_path / "to-rivera.agb",
        vault_path=tmp_path / "t" / "t.vault",
        runner=VaultRunner(),
    )
    qtbot.addWidget(reader)
    assert reader.secret.accessibleName() == "Passphrase"
    reader.secret.setText("quiet reading lamp evening")
    qtbot.keyClick(reader.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: reader.stack.currentIndex() == 1, timeout=20_000)
    assert "What I'd like to talk about" in reader.report.toPlainText()
    reader.close()


def test_password_protected_pdf_only(
    qtbot: QtBot,
    make_window: WindowFactory,
    demo_vault: Path,
    answers: dict[str, Any],
    tmp_path: Path,
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    page = _to_protect_step(qtbot, window)
    page.by_pdf.setChecked(True)
    assert "only as strong as its password" in page.pdf_note.text()
    password = _save(qtbot, page, answers, tmp_path / "report.pdf")
    reader = pypdf.PdfReader(io.BytesIO((tmp_path / "report.pdf").read_bytes()))
    assert reader.is_encrypted and not reader.decrypt("guess")
    assert reader.decrypt(password)


def test_reader_with_a_share_code_and_refusals(
    qtbot: QtBot,
    make_window: WindowFactory,
    demo_vault: Path,
    answers: dict[str, Any],
    tmp_path: Path,
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    page = _to_protect_step(qtbot, window)
    page.include_pdf.setChecked(False)
    code = _save(qtbot, page, answers, tmp_path / "b.agb")
    before = sorted(p.name for p in tmp_path.iterdir())
    reader = ReaderWindow(bundle_path=tmp_path / "b.agb", vault_path=None, runner=VaultRunner())
    qtbot.addWidget(reader)
    assert reader.secret.accessibleName() == "Share code"
    reader.secret.setText("wrong words here")
    reader.open_button.click()
    qtbot.waitUntil(lambda: "share code doesn't open" in reader.error.text(), timeout=20_000)
    reader.secret.setText(code.replace("-", " ").upper())
    reader.open_button.click()
    qtbot.waitUntil(lambda: reader.stack.currentIndex() == 1, timeout=20_000)
    text = reader.report.toPlainText()
    assert text.index("What I'd like to talk about") < text.index("Trends")
    assert "checksums verified" in reader.summary.text()
    reader.close()
    junk = tmp_path / "junk.agb"
    junk.write_bytes(b"PK\x03\x04 not a bundle")
    refused = ReaderWindow(bundle_path=junk, vault_path=None, runner=VaultRunner())
    qtbot.addWidget(refused)
    assert "not an Afterglow bundle" in refused.error.text()
    assert not refused.open_button.isEnabled()
    refused.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "junk.agb") == before


def test_my_sharing_key(qtbot: QtBot, make_window: WindowFactory, demo_vault: Path) -> None:
    from journal.ui.sharing_key import SharingKeyDialog

    window = make_window(demo_vault)
    unlock(qtbot, window)
    window.flows.sharing.show_sharing_key()
    qtbot.waitUntil(lambda: window.findChild(SharingKeyDialog) is not None)
    dialog = window.findChild(SharingKeyDialog)
    assert dialog.recipient.text().startswith("age1")
    assert not dialog.qr.pixmap().isNull()
    keys = run_in_vault(qtbot, window, lambda v: v.keys.sharing_keys())
    assert [k.recipient for k in keys] == [dialog.recipient.text().replace("\u200b", "")]
    dialog.accept()


def test_tree_items_carry_their_ids(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    page = _prepare(qtbot, window)
    entries = [i for i in page._all_items() if i.data(0, KIND_ROLE) == "entry"]
    assert len(entries) == 10 and all(isinstance(i.data(0, ID_ROLE), int) for i in entries)
    selection = page.selection()
    assert len(selection.entry_ids) == 10 and len(selection.session_ids) == 4


def _wav(seconds: float = 0.3) -> bytes:
    import math
    import struct
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        frames = int(8000 * seconds)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / 8000)))
                for i in range(frames)
            )
        )
    return buffer.getvalue()


def test_reader_shows_images_inline_and_plays_audio_from_memory(
    qtbot: QtBot, vault: vaults.Vault, tmp_path: Path
) -> None:
    from datetime import datetime

    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QColor, QImage

    from journal.core.model import Attachment, AttachmentKind, Entry
    from journal.core.sharing import report, share

    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366cc"))
    png = QBuffer()
    png.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(png, "PNG")
    png_bytes = bytes(png.data().data())
    png.close()
    del png, image
    entry = vault.entries.add(Entry(title="Voice and sketch"))
    vault.attachments.add(
        Attachment(AttachmentKind.SKETCH, "image/png", name="sketch.png", entry_id=entry.id),
        png_bytes,
    )
    vault.attachments.add(
        Attachment(AttachmentKind.AUDIO, "audio/wav", name="voice.wav", entry_id=entry.id), _wav()
    )
    content = share.collect(
        vault, share.offer(vault, everything=True), now=datetime.now().astimezone()
    )
    path = tmp_path / "media.agb"
    path.write_bytes(
        bundle.write_bundle(
            content,
            report_html=report.report_html(content),
            share_code="one-two-three-four-five-six",
        )
    )
    reader = ReaderWindow(bundle_path=path, vault_path=None, runner=VaultRunner())
    qtbot.addWidget(reader)

    class FakePlayer:  # the audio device is the edge; no sound card in CI
        def __init__(self) -> None:
            self.played = b""

        def setSourceDevice(self, device: Any, url: Any) -> None:  # noqa: N802
            self.played = bytes(device.readAll().data())

        def setSource(self, url: Any) -> None:  # noqa: N802
            pass

        def play(self) -> None:
            pass

        def stop(self) -> None:
            pass

    fake = FakePlayer()
    reader.sound.make_player = lambda _parent: fake  # type: ignore[method-assign]
    reader.secret.setText("one two three four five six")
    reader.open_button.click()
    qtbot.waitUntil(lambda: reader.stack.currentIndex() == 1, timeout=20_000)
    assert "data:image/png;base64," in reader.report.toHtml()
    audio_row = next(
        i
        for i in range(reader.attachments.count())
        if "press Enter to play" in reader.attachments.item(i).text()
    )
    reader.attachments.setCurrentRow(audio_row)
    reader.attachments.setFocus()
    qtbot.keyClick(reader.attachments, Qt.Key.Key_Return)
    assert reader.summary.text().startswith("Playing voice.wav")
    assert fake.played == _wav()  # the exact bytes, from memory
    reader.close()


def test_prepare_for_therapy_by_keyboard_alone(
    qtbot: QtBot,
    make_window: WindowFactory,
    demo_vault: Path,
    answers: dict[str, Any],
    tmp_path: Path,
) -> None:
    """Ctrl+E, leave one session out with Space, preview, continue and save
    without touching the mouse."""
    window = make_window(demo_vault)
    unlock(qtbot, window)
    page = _prepare(qtbot, window)
    tree = page.tree
    tree.setFocus()
    first = tree.topLevelItem(0)
    tree.setCurrentItem(first)
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert first.checkState(0) == Qt.CheckState.Unchecked
    assert page.selection().session_ids.isdisjoint({first.data(0, ID_ROLE)})
    page.preview_button.setFocus()
    qtbot.keyClick(page.preview_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.steps.currentIndex() == 1)
    assert page.to_send.hasFocus()
    qtbot.keyClick(page.to_send, Qt.Key.Key_Return)
    assert page.steps.currentIndex() == 2
    answers["save_file_name"] = tmp_path / "keys.agb"
    page.save_button.setFocus()
    qtbot.keyClick(page.save_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.steps.currentIndex() == 3, timeout=20_000)
    assert page.finish_button.hasFocus()
    qtbot.keyClick(page.finish_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() == "home")


def test_therapist_key_loaded_from_a_file(
    qtbot: QtBot,
    make_window: WindowFactory,
    demo_vault: Path,
    answers: dict[str, Any],
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    from journal.ui import dialogs

    recipient = str(pyrage.x25519.Identity.generate().to_public())
    key_file = tmp_path / "dr-rivera.txt"
    key_file.write_text(f"# Dr. Rivera's Afterglow key\n{recipient}\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("no key here", encoding="utf-8")
    window = make_window(demo_vault)
    unlock(qtbot, window)
    page = _to_protect_step(qtbot, window)
    page.by_key.setChecked(True)
    monkeypatch.setattr(dialogs, "open_file_name", lambda *a, **k: empty)
    page.load_key.click()
    assert "No therapist key" in page.error.text() and page.new_key.text() == ""
    monkeypatch.setattr(dialogs, "open_file_name", lambda *a, **k: key_file)
    page.load_key.click()
    assert page.new_key.text() == recipient
