"""Guided recall: choose a template, then answer one prompt at a time.

In gentle mode each prompt has the whole screen, in large type; with gentle
mode off all prompts stand on one scrolling page. Every change updates the
`RecallDraft` and emits ``draft_changed`` so the window can autosave it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal.core.journal.recall import RecallDraft
from journal.core.templates import Template
from journal.ui.pages.prompt_block import PromptBlock
from journal.ui.widgets import button, label


class TemplateChoicePage(QWidget):
    chosen = Signal(str)
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.templates = QListWidget()
        self.templates.setAccessibleName("Templates")
        self.templates.setWordWrap(True)
        self.templates.setSpacing(4)
        self.templates.itemActivated.connect(lambda _item: self._on_begin())
        self.begin = button("Begin", primary=True)
        self.begin.clicked.connect(self._on_begin)
        self.back = button("Back")
        self.back.clicked.connect(self.cancelled)
        row = QHBoxLayout()
        row.addWidget(self.back)
        row.addStretch(1)
        row.addWidget(self.begin)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(label("What would you like to write?", name="title"))
        layout.addWidget(self.templates, 1)
        layout.addLayout(row)

    def set_templates(self, templates: list[Template], preselect: str | None) -> None:
        self.templates.clear()
        for template in templates:
            minutes = f" · about {template.minutes} min" if template.minutes else ""
            item = QListWidgetItem(f"{template.title}{minutes}\n{template.description}".rstrip())
            item.setData(Qt.ItemDataRole.UserRole, template.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{template.title}{minutes}")
            self.templates.addItem(item)
            if template.id == preselect:
                self.templates.setCurrentItem(item)
        if self.templates.currentItem() is None and self.templates.count():
            self.templates.setCurrentRow(0)

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.templates.setFocus()

    def _on_begin(self) -> None:
        item = self.templates.currentItem()
        if item is not None:
            self.chosen.emit(str(item.data(Qt.ItemDataRole.UserRole)))


class RecallPage(QWidget):
    draft_changed = Signal(object)
    finished = Signal(object)
    paused = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.template: Template | None = None
        self.draft: RecallDraft | None = None
        self.gentle = True
        self.media: Any = None  # MediaActions, set by the window
        self.progress_text = label("", name="hint", wrap=False)
        self.progress_text.setAccessibleName("Progress")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress through the prompts")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.body = QVBoxLayout()
        self.back = button("Back", accessible="Previous prompt")
        self.skip = button("Skip")
        self.next = button("Next", accessible="Next prompt", primary=True)
        self.finish = button("Finish", primary=True)
        self.pause = button("I'm done for now")
        self.back.clicked.connect(lambda: self._go(-1))
        self.skip.clicked.connect(lambda: self._go(+1))
        self.next.clicked.connect(lambda: self._go(+1))
        self.finish.clicked.connect(self._on_finish)
        self.pause.clicked.connect(self._on_pause)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._on_advance)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addWidget(self.pause)
        buttons.addStretch(1)
        buttons.addWidget(self.skip)
        buttons.addWidget(self.next)
        buttons.addWidget(self.finish)
        top = QHBoxLayout()
        self.template_title = label("", name="hint", wrap=False)
        # What the patient came in wanting: quietly, on the first prompt.
        self.intro = label("", name="hint")
        self.intro.setAccessibleName("Your intention")
        self.intro.hide()
        top.addWidget(self.template_title)
        top.addStretch(1)
        top.addWidget(self.progress_text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 24, 40, 24)
        layout.setSpacing(16)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.intro)
        layout.addLayout(self.body, 1)
        layout.addLayout(buttons)
        self.blocks: list[PromptBlock] = []
        self._content: QWidget | None = None

    def start(
        self, template: Template, draft: RecallDraft, *, gentle: bool, intro: str = ""
    ) -> None:
        self.template, self.draft, self.gentle = template, draft, gentle
        self.intro.setText(intro)
        self.template_title.setText(template.title)
        draft.position = max(0, min(draft.position, len(template.prompts) - 1))
        self._show()

    def clear(self) -> None:
        """Drop every widget holding answers (and their undo stacks)."""
        if self._content is not None:
            self.body.removeWidget(self._content)
            self._content.deleteLater()
            self._content = None
        self.blocks = []
        self.template = None
        self.draft = None
        self.intro.clear()
        self.intro.hide()

    def _show(self) -> None:
        assert self.template is not None and self.draft is not None
        if self._content is not None:
            self.body.removeWidget(self._content)
            self._content.deleteLater()
        prompts = self.template.prompts
        position = self.draft.position
        shown = [prompts[position]] if self.gentle else list(prompts)
        self.blocks = [
            PromptBlock(p, self.draft, gentle=self.gentle, actions=self.media) for p in shown
        ]
        for block in self.blocks:
            block.changed.connect(self._on_changed)
        if self.gentle:
            # Scrolls only when the window is too small for the prompt (large
            # text, a small screen): nothing is ever squeezed.
            one = QScrollArea()
            one.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own
            one.setWidgetResizable(True)
            one.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            one.setWidget(self.blocks[0])
            content: QWidget = one
        else:
            inner = QWidget()
            column = QVBoxLayout(inner)
            for block in self.blocks:
                column.addWidget(block)
            column.addStretch(1)
            scroll = QScrollArea()
            scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own
            scroll.setWidgetResizable(True)
            scroll.setWidget(inner)
            content = scroll
        self._content = content
        self.body.addWidget(content)
        last = position == len(prompts) - 1
        self.progress_text.setText(
            f"{position + 1} of {len(prompts)}" if self.gentle else f"{len(prompts)} prompts"
        )
        self.progress.setRange(0, len(prompts))
        self.progress.setValue(position + 1 if self.gentle else len(prompts))
        self.progress.setAccessibleDescription(self.progress_text.text())
        self.progress_text.setAccessibleName(f"Prompt {self.progress_text.text()}")
        self.back.setVisible(self.gentle)
        self.back.setEnabled(position > 0)
        self.skip.setVisible(self.gentle and not last)
        self.next.setVisible(self.gentle and not last)
        self.finish.setVisible(last or not self.gentle)
        self.intro.setVisible(bool(self.intro.text()) and (position == 0 or not self.gentle))
        target = self.blocks[0].focus_target
        target.setFocus()
        if isinstance(target, QPlainTextEdit):  # typing goes on after what is there
            target.moveCursor(QTextCursor.MoveOperation.End)
        elif isinstance(target, QLineEdit):
            target.end(False)

    def _go(self, step: int) -> None:
        if self.template is None or self.draft is None:
            return
        target = self.draft.position + step
        if 0 <= target < len(self.template.prompts):
            self.draft.position = target
            self._show()
            self._on_changed()

    def _on_advance(self) -> None:
        if self.template is None or self.draft is None:
            return
        if self.gentle and self.draft.position < len(self.template.prompts) - 1:
            self._go(+1)
        else:
            self._on_finish()

    def _on_changed(self) -> None:
        if self.draft is not None:
            self.draft_changed.emit(self.draft)

    def _on_finish(self) -> None:
        if self.draft is not None:
            self.finished.emit(self.draft)

    def _on_pause(self) -> None:
        if self.draft is not None:
            self.paused.emit(self.draft)
