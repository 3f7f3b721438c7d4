"""Reading an entry, editing it with a live preview, adding a reflection."""

from __future__ import annotations

import copy
import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QFont, QImage, QTextCharFormat
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from journal.core.journal.markdown import attachment_id
from journal.core.journal.render import PLAY_SCHEME, entry_html
from journal.core.model import Answer, Attachment, Entry, Phase, PromptKind
from journal.ui.imagery import Place
from journal.ui.widgets import button, label


class VaultBrowser(QTextBrowser):
    """Rich text whose pictures come only from memory: ``attachment:ID``
    images handed over with the text. Nothing is ever loaded from a file or
    the network, whatever the text names."""

    def __init__(self) -> None:
        super().__init__()
        self.images: dict[int, QImage] = {}
        self.setOpenLinks(False)  # nothing is ever fetched or opened from an entry
        self.setOpenExternalLinks(False)

    def loadResource(self, kind: int, name: QUrl | str) -> Any:  # noqa: N802 (Qt naming)
        ref = attachment_id(name.toString() if isinstance(name, QUrl) else name)
        if ref is not None and ref in self.images:
            return self.images[ref]
        return None


def _reader() -> VaultBrowser:
    browser = VaultBrowser()
    browser.setAccessibleName("Entry text")
    return browser


def _header(entry: Entry) -> str:
    created = entry.created_at.astimezone() if entry.created_at else None
    parts = [
        f"<h1>{html.escape(entry.title or entry.phase.label)}</h1>",
        "<p>",
        html.escape(entry.phase.label),
    ]
    if created:
        parts.append(f" · written {created:%d %B %Y, %H:%M}")
    if entry.edited_at:
        parts.append(f" · <b>edited {entry.edited_at.astimezone():%d %B %Y, %H:%M}</b>")
    if entry.source:
        parts.append(f" · imported from {html.escape(entry.source)}")
    parts.append("</p>")
    return "".join(parts)


class EntryPage(QWidget):
    back = Signal()
    play_requested = Signal(int)  # a voice note's attachment id
    save_requested = Signal(object)  # an edited Entry
    reflection_requested = Signal(int, str, str)  # earlier id, title, text

    def __init__(self) -> None:
        super().__init__()
        self.entry: Entry | None = None
        self.stack = QStackedWidget()
        # Reading
        self.reader = _reader()
        self.edit_button = button("Edit")
        self.reflect_button = button("Add reflection", primary=True)
        self.back_button = button("Back")
        self.edit_button.clicked.connect(self._start_edit)
        self.reflect_button.clicked.connect(self._start_reflection)
        self.back_button.clicked.connect(self.back)
        read = QWidget()
        read_layout = QVBoxLayout(read)
        read_layout.addWidget(self.reader, 1)
        self.strip_box = QVBoxLayout()
        read_layout.addLayout(self.strip_box)
        self.reader.anchorClicked.connect(self._on_anchor)
        row = QHBoxLayout()
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.edit_button)
        row.addWidget(self.reflect_button)
        read_layout.addLayout(row)
        self.stack.addWidget(read)
        # Editing (an entry or a new reflection)
        self.edit_title = QLineEdit()
        self.edit_title.setAccessibleName("Title")
        self.edit_heading = label("", name="title")
        self.editors_box = QWidget()
        self.editors_layout = QVBoxLayout(self.editors_box)
        editors_scroll = QScrollArea()
        editors_scroll.setWidgetResizable(True)
        editors_scroll.setWidget(self.editors_box)
        self.preview = _reader()
        self.preview.setAccessibleName("Preview")
        split = QSplitter()
        split.addWidget(editors_scroll)
        split.addWidget(self.preview)
        split.setSizes([1, 1])
        self.save_button = button("Save", primary=True)
        self.cancel_button = button("Cancel")
        self.save_button.clicked.connect(self._on_save)
        self.cancel_button.clicked.connect(self._cancel_edit)
        edit = QWidget()
        edit_layout = QVBoxLayout(edit)
        edit_layout.addWidget(self.edit_heading)
        edit_layout.addWidget(self.edit_title)
        edit_layout.addWidget(split, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        edit_layout.addLayout(buttons)
        self.stack.addWidget(edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.addWidget(self.stack)
        self._editors: list[tuple[Answer, QPlainTextEdit]] = []
        self._reflecting = False
        self.strip: Any = None

    def set_strip(self, strip: QWidget) -> None:
        self.strip = strip
        self.strip_box.addWidget(strip)

    def highlight(self, terms: Sequence[str]) -> None:
        """Mark the words searched for (and words they begin) where the entry shows them."""
        from journal.ui import theme

        marked = QTextCharFormat()
        marked.setBackground(QColor(theme.current().highlight))
        marked.setFontWeight(QFont.Weight.Bold)
        document = self.reader.document()
        for term in terms:
            if not term:
                continue
            cursor = document.find(term)
            while not cursor.isNull():
                cursor.mergeCharFormat(marked)
                cursor = document.find(term, cursor)

    def show_entry(
        self,
        entry: Entry,
        reflections: list[Entry],
        earlier: Entry | None = None,
        attachments: dict[int, list[Attachment]] | None = None,
        images: dict[int, QImage] | None = None,
    ) -> None:
        """Show an entry and its reflections; ``attachments`` by entry id, and
        display copies of their pictures by attachment id."""
        self.entry = entry
        attachments = attachments or {}
        self.reader.images = dict(images or {})
        if self.strip is not None and entry.id is not None:
            self.strip.set_place(Place(entry_id=entry.id))
            self.strip.show_attachments(
                [(a, self.reader.images.get(a.id or 0)) for a in attachments.get(entry.id, [])]
            )
        parts = [_header(entry)]
        if earlier is not None:
            parts.append(
                f"<p><i>A reflection on “{html.escape(earlier.title or 'an entry')}”, "
                "which stays as it was written.</i></p>"
            )
        parts.append(entry_html(entry, attachments=attachments.get(entry.id or 0, [])))
        for reflection in reflections:
            created = reflection.created_at.astimezone() if reflection.created_at else None
            when = f" — {created:%d %B %Y}" if created else ""
            parts.append(f"<hr><h2>Reflection{html.escape(when)}</h2>")
            parts.append(
                entry_html(reflection, attachments=attachments.get(reflection.id or 0, []))
            )
        self.reader.setHtml("\n".join(parts))
        self.stack.setCurrentIndex(0)
        self.reflect_button.setFocus()

    def _on_anchor(self, url: QUrl) -> None:
        text = url.toString()
        scheme, _, ident = text.partition(":")
        if scheme == PLAY_SCHEME and ident.isdigit():
            self.play_requested.emit(int(ident))

    def clear(self) -> None:
        self.entry = None
        self.reader.clear()
        self.reader.images = {}
        if self.strip is not None:
            self.strip.show_attachments([])
        self._clear_editors()
        self.stack.setCurrentIndex(0)

    # -- editing --------------------------------------------------------------

    def _clear_editors(self) -> None:
        while self.editors_layout.count():
            item = self.editors_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._editors = []
        self.preview.clear()
        self.edit_title.clear()

    def _add_editor(self, answer: Answer) -> None:
        if answer.prompt_text:
            self.editors_layout.addWidget(label(answer.prompt_text, name="hint"))
        editor = QPlainTextEdit(answer.text)
        editor.setAccessibleName("Answer")
        editor.setTabChangesFocus(True)
        editor.setMinimumHeight(160)
        editor.textChanged.connect(self._update_preview)
        self.editors_layout.addWidget(editor)
        self._editors.append((answer, editor))

    def _start_edit(self) -> None:
        if self.entry is None:
            return
        self._reflecting = False
        self._clear_editors()
        self.edit_heading.setText("Edit entry")
        self.preview.images = self.reader.images
        self.edit_title.setText(self.entry.title)
        for answer in self.entry.answers:
            if answer.kind is PromptKind.TEXT:
                self._add_editor(copy.copy(answer))
        if not self._editors:
            self._add_editor(Answer("text", "", text=""))
        self.editors_layout.addStretch(1)
        self._update_preview()
        self.stack.setCurrentIndex(1)
        self._editors[0][1].setFocus()

    def _start_reflection(self) -> None:
        if self.entry is None:
            return
        self._reflecting = True
        self._clear_editors()
        self.edit_heading.setText("A reflection, linked to this entry")
        self.edit_title.setText(f"Reflection on {self.entry.title}" if self.entry.title else "")
        self._add_editor(Answer("reflection", "Looking back, what do you notice now?"))
        self.editors_layout.addStretch(1)
        self._update_preview()
        self.stack.setCurrentIndex(1)
        self._editors[0][1].setFocus()

    def _draft_entry(self) -> Entry:
        answers = [copy.copy(a) for a, _ in self._editors]
        for answer, (_, editor) in zip(answers, self._editors, strict=True):
            answer.text = editor.toPlainText()
        return Entry(title=self.edit_title.text(), answers=answers, phase=Phase.INTEGRATION)

    def _update_preview(self) -> None:
        self.preview.setHtml(entry_html(self._draft_entry()))

    def _cancel_edit(self) -> None:
        self._clear_editors()
        self.stack.setCurrentIndex(0)
        self.edit_button.setFocus()

    def _on_save(self) -> None:
        if self.entry is None or self.entry.id is None:
            return
        draft = self._draft_entry()
        if self._reflecting:
            self.reflection_requested.emit(self.entry.id, draft.title, draft.answers[0].text)
            return
        edited = copy.deepcopy(self.entry)
        edited.title = draft.title
        by_key = {a.prompt_key: e.toPlainText() for a, e in self._editors}
        if not any(a.kind is PromptKind.TEXT for a in edited.answers):
            edited.answers.append(Answer("text", "", text=by_key.get("text", "")))
        for answer in edited.answers:
            if answer.kind is PromptKind.TEXT and answer.prompt_key in by_key:
                answer.text = by_key[answer.prompt_key]
        self.save_requested.emit(edited)
