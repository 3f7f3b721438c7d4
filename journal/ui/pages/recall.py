"""Guided recall: choose a template, then answer one prompt at a time.

In gentle mode each prompt has the whole screen, in large type; with gentle
mode off all prompts stand on one scrolling page. Every change updates the
`RecallDraft` and emits ``draft_changed`` so the window can autosave it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from journal.core.journal.recall import RecallDraft
from journal.core.model import Attachment, MotifKind, PromptKind
from journal.core.templates import Prompt, Template
from journal.ui.imagery import AttachmentStrip, Place
from journal.ui.widgets import ScaleInput, button, label


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


class PromptBlock(QWidget):
    """One prompt: its text, hint, the answer control and a private switch."""

    changed = Signal()

    def __init__(
        self, prompt: Prompt, draft: RecallDraft, *, gentle: bool, actions: Any = None
    ) -> None:
        super().__init__()
        self.prompt = prompt
        self.draft = draft
        self.title = label(prompt.text, name="prompt" if gentle else "")
        self.title.setAccessibleName("Prompt")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        if prompt.hint:
            layout.addWidget(label(prompt.hint, name="hint"))
        self.answer = self._build_answer()
        grows = prompt.kind in (PromptKind.TEXT, PromptKind.MOTIFS)
        layout.addWidget(self.answer, 1 if grows else 0)
        self.private = QCheckBox("Keep this answer private (it never leaves this computer)")
        self.private.setAccessibleName("Private")
        self.private.setChecked(prompt.key in draft.private)
        self.private.toggled.connect(self._on_private)
        self.strip: AttachmentStrip | None = None
        # Under prompts that ask for words or images; a scale, a choice or a
        # checklist keeps its whole screen (a checklist would be squeezed).
        if actions is not None and prompt.kind in (PromptKind.TEXT, PromptKind.MOTIFS):
            self.strip = self._attachments(actions)
            layout.addWidget(self.strip)
        layout.addWidget(self.private)
        if not grows:
            layout.addStretch(1)

    # -- building the control for each kind of prompt ----------------------

    def _build_answer(self) -> QWidget:
        kind = self.prompt.kind
        if kind is PromptKind.SCALE:
            return self._scale()
        if kind is PromptKind.CHOICE:
            return self._choice()
        if kind is PromptKind.MOTIFS:
            return self._motifs()
        if kind is PromptKind.AFTER_EFFECTS:
            return self._checklist()
        return self._text()

    def _text(self) -> QWidget:
        editor = QPlainTextEdit()
        editor.setAccessibleName("Answer")
        editor.setPlainText(self.draft.texts.get(self.prompt.key, ""))
        editor.setTabChangesFocus(True)
        editor.textChanged.connect(lambda: self._set_text(editor.toPlainText()))
        self.focus_target: QWidget = editor
        return editor

    def _scale(self) -> QWidget:
        scale = ScaleInput("Answer", self.prompt.low_label, self.prompt.high_label)
        value = self.draft.values.get(self.prompt.key)
        scale.setValue(value if isinstance(value, int) else None)
        scale.valueChanged.connect(lambda v: self._set_value(v))
        self.focus_target = scale
        return scale

    def _choice(self) -> QWidget:
        box = QWidget()
        box.setAccessibleName("Answer")
        column = QVBoxLayout(box)
        group = QButtonGroup(box)
        current = self.draft.values.get(self.prompt.key)
        for option in self.prompt.options:
            radio = QRadioButton(option)
            radio.setAccessibleName(option)
            radio.setChecked(option == current)
            group.addButton(radio)
            column.addWidget(radio)

        def on_toggled(radio: QRadioButton, on: bool) -> None:
            if on:
                self._set_value(radio.text().replace("&", ""))

        group.buttonToggled.connect(on_toggled)
        self.focus_target = group.buttons()[0] if group.buttons() else box
        return box

    def _checklist(self) -> QWidget:
        box = QWidget()
        box.setAccessibleName("Answer")
        column = QVBoxLayout(box)
        current = self.draft.values.get(self.prompt.key)
        ticked = set(current) if isinstance(current, list) else set()
        boxes: list[QCheckBox] = []
        for option in self.prompt.options:
            check = QCheckBox(option)
            check.setAccessibleName(option)
            check.setChecked(option in ticked)
            boxes.append(check)
            column.addWidget(check)

        def update() -> None:
            self._set_value([b.text().replace("&", "") for b in boxes if b.isChecked()])

        for check in boxes:
            check.toggled.connect(update)
        self.focus_target = boxes[0] if boxes else box
        return box

    def _motifs(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        entry = QLineEdit()
        entry.setAccessibleName("Answer")
        entry.setPlaceholderText("An image or metaphor, in your own words")
        kind = QComboBox()
        kind.setAccessibleName("Kind")
        for value in MotifKind:
            kind.addItem(value.value.capitalize(), value.value)
        kind.setCurrentIndex(1 if self.prompt.key == "metaphors" else 0)
        add = button("Add")
        items = QListWidget()
        items.setAccessibleName("Images and metaphors")
        # Takes the room there is (at least three lines), never more than it gets.
        items.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        items.setMinimumHeight(3 * items.fontMetrics().height() + 24)
        remove = button("Remove selected")
        row = QHBoxLayout()
        row.addWidget(entry, 4)
        row.addWidget(kind, 1)
        row.addWidget(add)
        column.addLayout(row)
        column.addWidget(items)
        column.addWidget(remove)

        current = self.draft.values.get(self.prompt.key)
        stored: list[dict[str, str]] = list(current) if isinstance(current, list) else []

        def refresh() -> None:
            items.clear()
            for item in stored:
                items.addItem(f"{item['name']}  ({item.get('kind', 'image')})")

        def on_add() -> None:
            name = entry.text().strip()
            if name:
                stored.append({"name": name, "kind": str(kind.currentData())})
                entry.clear()
                refresh()
                self._set_value(list(stored))
            entry.setFocus()

        def on_remove() -> None:
            row_ = items.currentRow()
            if 0 <= row_ < len(stored):
                del stored[row_]
                refresh()
                self._set_value(list(stored))

        add.clicked.connect(on_add)
        entry.returnPressed.connect(on_add)
        remove.clicked.connect(on_remove)
        refresh()
        self.focus_target = entry
        self.motif_entry = entry
        return box

    def _attachments(self, actions: Any) -> AttachmentStrip:
        """Draw, add a picture or a voice note for this prompt: stored in the
        vault at once and listed in the draft, placed when the entry is saved."""
        strip = AttachmentStrip(actions, menu=True)
        strip.set_place(Place(prompt_key=self.prompt.key))
        strip.watch(self.focus_target)
        strip.added.connect(self._on_attached)
        strip.removed.connect(self._on_detached)
        ids = self.draft.attachments.get(self.prompt.key, [])
        if ids:
            actions.load(list(ids), strip.show_attachments)
        return strip

    def _on_attached(self, attachment: Attachment) -> None:
        ids = self.draft.attachments.setdefault(self.prompt.key, [])
        if attachment.id is not None and attachment.id not in ids:
            ids.append(attachment.id)
        self.changed.emit()

    def _on_detached(self, attachment_id: int) -> None:
        ids = self.draft.attachments.get(self.prompt.key, [])
        if attachment_id in ids:
            ids.remove(attachment_id)
        self.changed.emit()

    # -- keeping the draft current ------------------------------------------

    def _set_text(self, text: str) -> None:
        self.draft.texts[self.prompt.key] = text
        self.changed.emit()

    def _set_value(self, value: object) -> None:
        self.draft.values[self.prompt.key] = value
        self.changed.emit()

    def _on_private(self, private: bool) -> None:
        keys = set(self.draft.private)
        if private:
            keys.add(self.prompt.key)
        else:
            keys.discard(self.prompt.key)
        self.draft.private = sorted(keys)
        self.changed.emit()


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
        self.back.setVisible(self.gentle)
        self.back.setEnabled(position > 0)
        self.skip.setVisible(self.gentle and not last)
        self.next.setVisible(self.gentle and not last)
        self.finish.setVisible(last or not self.gentle)
        self.intro.setVisible(bool(self.intro.text()) and (position == 0 or not self.gentle))
        self.blocks[0].focus_target.setFocus()

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
