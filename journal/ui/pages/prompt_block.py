"""One prompt of the guided recall: its question, the answer control for
its kind, the private switch and its attachments."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from journal.core.journal.recall import RecallDraft
from journal.core.model import Attachment, MotifKind, PromptKind
from journal.core.templates import Prompt
from journal.ui.imagery import AttachmentStrip, Place
from journal.ui.widgets import ScaleInput, button, label


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
        # A screen reader says the question itself, here and as the answer's
        # description (a label named "Prompt" was read as "Prompt", never the words).
        self.title.setAccessibleName(prompt.text)
        self.question = " ".join(part for part in (prompt.text, prompt.hint) if part)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        if prompt.hint:
            layout.addWidget(label(prompt.hint, name="hint"))
        self.answer = self._build_answer()
        for described in {self.answer, self.focus_target}:
            described.setAccessibleDescription(self.question)
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
