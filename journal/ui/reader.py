"""The therapist's reader: open a bundle with its share code (or with the
sharing key kept in the therapist's own vault), decrypt it in memory off the
GUI thread, and read the report — agenda first — then print or save a PDF.
Opened from an unlocked workspace, it keeps the verified bundle there (the
window's vault thread does it: `Keep`), then offers to delete the .agb file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from journal.core.errors import JournalError
from journal.core.fsutil import atomic_write_bytes
from journal.core.sharing import bundle
from journal.core.sharing.bundle import OpenedBundle
from journal.core.sharing.report import report_html
from journal.core.text import count, day
from journal.core.vault import vault as vaults
from journal.ui import dialogs
from journal.ui.runner import VaultRunner
from journal.ui.theme import desk_stylesheet
from journal.ui.voice import NO_AUDIO, SoundPlayer
from journal.ui.widgets import (
    ReportView,
    announce,
    button,
    centered_column,
    label,
    passphrase_field,
)

# What the reader says once keeping is done: a sentence, and whether the
# workspace has the bundle now (kept, or kept before).
Report = Callable[[str, bool], None]
# Keep a verified bundle in the open workspace; ``QWidget``: the parent of any
# question asked on the way (whose bundle it is).
Keep = Callable[[OpenedBundle, QWidget, Report], None]


def _open(
    path: Path, *, share_code: str | None = None, identities: list[str] | None = None
) -> tuple[OpenedBundle, str]:
    """Worker-thread part of opening: read, decrypt, verify, render."""
    opened = bundle.read_bundle(
        bundle.load(path), share_code=share_code, identities=identities or ()
    )
    return opened, report_html(opened.content)


class ReaderWindow(QMainWindow):
    """Read-only: nothing from the bundle is ever written unless the
    therapist saves a PDF."""

    def __init__(
        self,
        *,
        bundle_path: Path,
        vault_path: Path | None,
        runner: VaultRunner,
        identities: list[str] | None = None,
        keep: Keep | None = None,
    ) -> None:
        super().__init__()
        self.identities = identities
        # Opened from the open workspace: its flow keeps the bundle. On its own
        # (no window holds the vault open), the reader unlocks it to keep.
        self.keep = keep or (self._keep_unlocking if vault_path is not None else None)
        runner.setParent(self)
        self.bundle_path = bundle_path
        self.vault_path = vault_path
        self.runner = runner
        self.opened: OpenedBundle | None = None
        self.html = ""
        self.setWindowTitle("Afterglow — bundle reader")
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.setStyleSheet(desk_stylesheet(app))
        self.resize(1100, 860)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        # Only the age header is read here; the whole file is read, decrypted
        # and checked on the worker thread.
        try:
            self.by_code = bundle.file_needs_share_code(bundle_path)
            problem = ""
        except JournalError as error:
            self.by_code, problem = True, error.message
        # Asking for the code (or the vault passphrase, for key bundles)
        self.secret = QLineEdit() if self.by_code else passphrase_field("Passphrase")
        self.secret.setAccessibleName("Share code" if self.by_code else "Passphrase")
        self.secret.setPlaceholderText(
            "six words, as you were told them"
            if self.by_code
            else "the passphrase of your own Afterglow journal"
        )
        self.secret.returnPressed.connect(self.open_bundle)
        self.error = label(problem, name="error")
        self.error.setAccessibleName("Problem")
        self.open_button = button("Open bundle", primary=True)
        self.open_button.clicked.connect(self.open_bundle)
        self.open_button.setEnabled(not problem)
        intro = (
            "Type the share code the patient told you."
            if self.by_code
            else "This bundle was made for your sharing key. Unlock your Afterglow journal "
            "to use it."
        )
        ask = QWidget()
        ask_layout = QVBoxLayout(ask)
        ask_layout.addStretch(1)
        ask_layout.addWidget(
            centered_column(
                label(f"Open “{bundle_path.name}”", name="title"),
                label(intro, name="hint"),
                self.secret,
                self.error,
                self.open_button,
            )
        )
        ask_layout.addStretch(2)
        self.stack.addWidget(ask)
        # Reading
        self.report = ReportView("Report")  # at a desk reading size
        self.attachments = QListWidget()
        self.attachments.setAccessibleName("Attachments")
        self.attachments.setWordWrap(True)
        self.attachments.itemActivated.connect(self._on_attachment)
        self.sound = SoundPlayer(self)
        self.summary = label("", name="hint")
        self.summary.setWordWrap(True)
        self.print_button = button("Print…")
        self.pdf_button = button("Save as PDF…")
        self.print_button.clicked.connect(self.print_report)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.flag_note = label("", name="error")
        self.flag_note.hide()
        self.keep_button = button("Keep in my workspace", primary=True)
        self.keep_button.clicked.connect(self.keep_bundle)
        self.keep_button.setVisible(self.keep is not None)
        self.kept_note = label("", name="hint")
        self.kept_note.setAccessibleName("Keeping")
        self.kept_note.hide()
        self.delete_button = button("Delete the .agb file…")
        self.delete_button.clicked.connect(self.delete_file)
        self.delete_button.hide()
        self.attachments_label = label("Attachments", name="hint")
        # The report takes the whole height, so its first screen shows at
        # 1366×768; what the bundle is, printing and the attachments sit beside it.
        read = QWidget()
        read_layout = QVBoxLayout(read)
        read_layout.setContentsMargins(8, 8, 8, 8)
        split = QSplitter()
        split.addWidget(self.report)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(4, 0, 0, 0)
        for widget in (
            self.summary,
            self.flag_note,
            self.keep_button,
            self.kept_note,
            self.delete_button,
            self.print_button,
            self.pdf_button,
        ):
            side_layout.addWidget(widget)
        side_layout.addSpacing(8)
        side_layout.addWidget(self.attachments_label)
        side_layout.addWidget(self.attachments, 1)
        side_layout.addStretch(0)
        split.addWidget(side)
        split.setStretchFactor(0, 1)
        split.setSizes([1000, 240])
        read_layout.addWidget(split, 1)
        self.stack.addWidget(read)
        if not self.by_code and identities is not None and not problem:
            self.secret.setEnabled(False)
            self.runner.run(
                lambda: _open(bundle_path, identities=identities), self._show, self._failed
            )

    def open_bundle(self) -> None:
        secret = self.secret.text()
        if not secret:
            self.error.setText(
                "Type the share code first." if self.by_code else "Type your passphrase first."
            )
            return
        path, by_code, vault_path = self.bundle_path, self.by_code, self.vault_path
        self.open_button.setEnabled(False)
        self.open_button.setText("Opening…")

        def job() -> tuple[OpenedBundle, str]:
            if by_code:
                return _open(path, share_code=secret)
            if vault_path is None:
                raise JournalError("Open your Afterglow journal first to use your sharing key.")
            with vaults.unlock(vault_path, secret) as vault:
                identities = vault.keys.identity_secrets()
            return _open(path, identities=identities)

        self.runner.run(job, self._show, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.open_button.setEnabled(True)
        self.open_button.setText("Open bundle")
        if isinstance(error, JournalError):
            self.error.setText(error.message)
        else:
            self.error.setText("Afterglow hit a bug while opening this bundle.")
            raise error
        self.secret.selectAll()
        self.secret.setFocus()

    def _show(self, result: tuple[OpenedBundle, str]) -> None:
        opened, html = result
        self.opened, self.html = opened, html
        self.secret.clear()
        content = opened.content
        self.report.setHtml(html)
        self.attachments.clear()
        for index, (meta, data) in enumerate(content.attachments):
            hint = "\npress Enter to play" if meta.mime.startswith("audio/") else ""
            named = meta.name and meta.name not in ("sketch", "voice note")
            item = QListWidgetItem(
                f"{meta.label}{' — ' + meta.name if named else ''}"
                f" · {max(1, len(data) // 1024):,} KB{hint}"
            )
            item.setData(Qt.ItemDataRole.UserRole, index)
            self.attachments.addItem(item)
        self.attachments.setVisible(bool(content.attachments))
        self.attachments_label.setText("Attachments" if content.attachments else "No attachments.")
        counts = content.counts()
        flagged = sum(1 for c in content.checkins if c.flagged)
        self.summary.setText(
            f"Made {day(content.created_at)}: {count(counts['sessions'], 'session')}, "
            f"{count(counts['entries'], 'entry')}, {count(counts['checkins'], 'check-in')}. "
            "All checksums verified."
        )
        self.flag_note.setText(
            f"A safety question was answered above its line in {count(flagged, 'check-in')}: "
            "shown first in the report."
        )
        self.flag_note.setVisible(flagged > 0)
        self.stack.setCurrentIndex(1)
        self.report.setFocus()

    # -- keeping it in the workspace -----------------------------------------------

    def keep_bundle(self) -> None:
        if self.opened is None or self.keep is None:
            return
        self.keep_button.setEnabled(False)
        self.keep_button.setText("Keeping…")
        self.keep(self.opened, self, self._kept)

    def _keep_unlocking(self, opened: OpenedBundle, parent: QWidget, report: Report) -> None:
        from journal.core.workspace.keeping import keep_unlocking

        vault_path = self.vault_path
        passphrase = dialogs.ask_text(
            parent,
            "Keep in my workspace",
            "Type the passphrase of your workspace to keep this bundle in it.",
            ok="Keep",
            secret=True,
        )
        if not passphrase or vault_path is None:
            self.keep_button.setText("Keep in my workspace")
            self.keep_button.setEnabled(True)
            self.keep_button.setFocus()
            return

        def failed(error: BaseException) -> None:
            if not isinstance(error, JournalError):
                report("Afterglow hit a bug while keeping this bundle; nothing was kept.", False)
                raise error
            report(error.message, False)

        self.runner.run(
            lambda: keep_unlocking(vault_path, passphrase, opened),
            lambda kept: report(kept.sentence, True),
            failed,
        )

    def _kept(self, sentence: str, kept: bool) -> None:
        self.keep_button.setText("Keep in my workspace")
        self.keep_button.setEnabled(not kept)
        self.keep_button.setVisible(not kept)
        self.kept_note.setObjectName("hint" if kept else "error")
        self.kept_note.style().polish(self.kept_note)
        self.kept_note.setText(sentence)
        self.kept_note.show()
        announce(self.kept_note)
        self.delete_button.setVisible(kept and self.bundle_path.exists())
        (self.delete_button if self.delete_button.isVisible() else self.report).setFocus()

    def delete_file(self) -> None:
        """The .agb file, once the workspace keeps its own encrypted copy."""
        name = self.bundle_path.name
        if not dialogs.confirm(
            self,
            "Delete the .agb file",
            f"Delete “{name}”? Your workspace keeps its own encrypted copy, and nothing "
            "decrypted was written anywhere.",
            yes="Delete the file",
            no="Keep the file",
        ):
            return
        try:
            self.bundle_path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            self.kept_note.setText(f"“{name}” could not be deleted; it may be read-only.")
            return
        self.delete_button.hide()
        self.kept_note.setText(f"{self.kept_note.text()} “{name}” was deleted.")
        self.report.setFocus()

    def _on_attachment(self, item: QListWidgetItem) -> None:
        """Audio plays from memory; images are shown in the report itself."""
        if self.opened is None:
            return
        meta, data = self.opened.content.attachments[int(item.data(Qt.ItemDataRole.UserRole))]
        if not meta.mime.startswith("audio/"):
            return
        if self.sound.play(data, meta.name or "voice note"):
            self.summary.setText(f"Playing {meta.name or 'the voice note'}…")
        else:
            self.summary.setText(NO_AUDIO)

    def print_report(self) -> None:
        """The report laid out for paper (off the GUI thread), then the
        system's print dialog."""
        if self.opened is None:
            return
        from journal.pdf import print_pages, report_document

        content = self.opened.content

        def print_it(html: str) -> None:
            dialogs.print_document(self, report_document(html), pages=print_pages)

        self.runner.run(lambda: report_html(content, printed=True), print_it, self._failed_output)

    def save_pdf(self) -> None:
        if self.opened is None:
            return
        path = dialogs.save_file_name(
            self, "Save report as PDF", "afterglow-report.pdf", "PDF files (*.pdf)"
        )
        if path is None:
            return
        content = self.opened.content

        def job() -> None:
            from journal.pdf import report_pdf

            atomic_write_bytes(path, report_pdf(report_html(content, printed=True)), output=True)

        self.summary.setText(f"Saving {path.name}…")
        self.runner.run(
            job,
            lambda _none: self.summary.setText(
                f"Saved {path.name} — it is not encrypted; keep it as you keep clinical notes."
            ),
            self._failed_output,
        )

    def _failed_output(self, error: BaseException) -> None:
        if not isinstance(error, JournalError):
            raise error
        dialogs.show_message(self, "Afterglow", error.message, warning=True)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt naming)
        self.sound.stop()
        self.opened, self.html = None, ""
        self.report.clear()
        self.runner.shutdown()
        super().closeEvent(event)
