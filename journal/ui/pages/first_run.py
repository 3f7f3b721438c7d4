"""First run: welcome, choose a passphrase, keep the recovery code."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from journal.core.vault.passphrase import MIN_PASSPHRASE_CHARS, judge, suggest
from journal.ui import dialogs
from journal.ui.clipboard import copy_secret
from journal.ui.widgets import (
    announce,
    button,
    centered_column,
    fill_with_actions,
    label,
    passphrase_field,
    scrolled,
    show_typing,
)


class WelcomePage(QWidget):
    """``start``: create a journal; ``join``: join one from a synced folder."""

    start = Signal()
    join = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.begin = button("Create my journal", primary=True)
        self.begin.clicked.connect(self.start)
        self.join_button = button("Join my journal from a synced folder…")
        self.join_button.setAccessibleDescription(
            "Your journal is already on another computer that syncs through a folder"
        )
        self.join_button.clicked.connect(self.join)
        body = label(
            "Afterglow is a quiet place to write down what you lived through in a ketamine "
            "session — while it is still there — and to prepare for your therapy.\n\n"
            "Everything stays on this computer, encrypted with a passphrase only you know. "
            "No account, no internet, nobody reading along."
        )
        column = centered_column(
            label("Welcome to Afterglow", name="title"), body, self.begin, self.join_button
        )
        inner = QWidget()
        centred = QVBoxLayout(inner)
        centred.addStretch(1)
        centred.addWidget(column)
        centred.addStretch(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolled(inner))  # large type on a small screen: it scrolls


class CreateVaultPage(QWidget):
    """What it is for — the person's own journal, or a therapist's workspace
    receiving patients' journals (one vault is one or the other, for good) —
    then the passphrase twice, with feedback as it is typed (the same rule as
    the vault's, `judge`), or six words made for the person. Emits
    ``create_requested(passphrase, therapist)``."""

    create_requested = Signal(str, bool)

    def __init__(self, vault_name: str = "") -> None:
        super().__init__()
        self.context = [vault_name]
        self.journal = QRadioButton("I keep my own journal")
        self.therapist = QRadioButton("I am a therapist receiving journals")
        self.therapist.setAccessibleDescription(
            "A workspace that keeps the bundles your patients send you, with your own notes"
        )
        self.role = QButtonGroup(self)
        for radio in (self.journal, self.therapist):
            self.role.addButton(radio)
        self.journal.setChecked(True)
        self.therapist.toggled.connect(lambda _on: self.set_busy(False))
        self.passphrase = passphrase_field("Passphrase")
        self.repeat = passphrase_field("Repeat passphrase")
        self.feedback = label("", name="hint")
        self.feedback.setAccessibleName("Passphrase strength")
        self.error = label("", name="error")
        self.error.setAccessibleName("Problem")
        self.submit = button("Create my journal", primary=True)
        self.show_typed = show_typing(self.passphrase, self.repeat)
        self.submit.clicked.connect(self._on_submit)
        self.passphrase.textChanged.connect(self._on_changed)
        self.passphrase.returnPressed.connect(self.repeat.setFocus)
        self.repeat.returnPressed.connect(self._on_submit)
        self.suggested = label("", name="suggestion", wrap=False)
        self.suggested.setAccessibleName("A passphrase made for you")
        self.suggested.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.use_suggested = button("Use this one")
        self.use_suggested.clicked.connect(self._use_suggested)
        self.another = button("Another")
        self.another.setAccessibleName("Make another passphrase")
        self.another.clicked.connect(self._new_suggestion)
        self.suggested.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        ways = QWidget()
        row = QHBoxLayout(ways)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addWidget(self.use_suggested)
        row.addWidget(self.another)
        row.addStretch(1)
        intro = label(
            "A few unrelated words you will remember, typed each time you open the "
            "journal — or these six, made for you:"
        )
        role_box = QWidget()
        roles = QVBoxLayout(role_box)
        roles.setContentsMargins(0, 0, 0, 0)
        roles.setSpacing(2)
        # Just above the button whose words it changes ("Create my workspace").
        roles.addWidget(label("What will you keep here?", name="hint"))
        roles.addWidget(self.journal)
        roles.addWidget(self.therapist)
        column = centered_column(
            label("Choose your passphrase", name="title"),
            intro,
            self.suggested,
            ways,
            self.passphrase,
            self.feedback,
            self.repeat,
            self.show_typed,
            role_box,
            self.error,
            self.submit,
        )
        inner = QWidget()
        centred = QVBoxLayout(inner)
        centred.addStretch(1)
        centred.addWidget(column)
        centred.addStretch(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolled(inner))
        self._on_changed("")

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        if not self.suggested.text():
            self._new_suggestion()
        self.passphrase.setFocus()

    def _new_suggestion(self) -> None:
        words = suggest().split(" ")
        self.suggested.setText(" ".join(words[:3]) + "\n" + " ".join(words[3:]))

    @property
    def suggestion(self) -> str:
        """The passphrase made for the person, as it is typed (one space between words)."""
        return " ".join(self.suggested.text().split())

    def _use_suggested(self) -> None:
        for field in (self.passphrase, self.repeat):
            field.setText(self.suggestion)
        self.feedback.setText("Strong. Write it down until you know it by heart.")
        self.submit.setFocus()

    def _on_changed(self, text: str) -> None:
        self.feedback.setText(
            judge(text, context=self.context).message
            if text
            else f"At least {MIN_PASSPHRASE_CHARS} characters; longer is better."
        )
        self.error.setText("")

    def _on_submit(self) -> None:
        first, second = self.passphrase.text(), self.repeat.text()
        verdict = judge(first, context=self.context)
        if not verdict.accepted:
            self.feedback.setText("")  # the same sentence is shown once, as the problem
            self.show_error(verdict.message)
            self.passphrase.setFocus()
        elif first != second:
            # Either may hold the typo: both are cleared, and typing starts again
            # at the first ("Show what I type" lets the person see it).
            self.passphrase.clear()
            self.repeat.clear()
            self.show_error("The two passphrases are not the same. Please type both again.")
            self.passphrase.setFocus()
        else:
            self.set_busy(True)
            self.create_requested.emit(first, self.therapist.isChecked())

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error.setText(message)
        announce(self.error)

    def set_busy(self, busy: bool) -> None:
        what = "workspace" if self.therapist.isChecked() else "journal"
        self.submit.setEnabled(not busy)
        for radio in (self.journal, self.therapist):
            radio.setEnabled(not busy)
        self.submit.setText(f"Creating your {what}…" if busy else f"Create my {what}")
        self.submit.setAccessibleName(self.submit.text())

    def clear(self) -> None:
        for field in (self.passphrase, self.repeat):
            field.clear()
        self.error.setText("")
        self.suggested.clear()
        self.journal.setChecked(True)
        self.set_busy(False)


class RecoveryCodePage(QWidget):
    """The recovery code, shown once. Continue needs "I've stored it"."""

    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._code = ""
        self.code_label = label("", name="code")
        self.code_label.setAccessibleName("Recovery code")
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy = button("Copy")
        self.save = button("Save as text…")
        self.print = button("Print…")
        self.copy.clicked.connect(self._on_copy)
        self.save.clicked.connect(self._on_save)
        self.print.clicked.connect(self._on_print)
        self.stored = QCheckBox("I've stored my recovery code somewhere safe")
        self.stored.setAccessibleName("I've stored my recovery code")
        self.status = label("", name="hint")
        self.status.setAccessibleName("Recovery code status")
        self.proceed = button("Continue", primary=True)
        self.proceed.setEnabled(False)
        # A disabled Continue looks it (dashed, dimmer) and the page says why.
        self.why = label("Tick the box above once the code is stored; then Continue.", name="hint")
        self.stored.toggled.connect(self.proceed.setEnabled)
        self.stored.toggled.connect(lambda on: self.why.setVisible(not on))
        self.proceed.clicked.connect(self.done)
        actions = QWidget()
        row = QHBoxLayout(actions)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.copy, self.save, self.print):
            row.addWidget(widget)
        row.addStretch(1)
        explain = label(
            "If you ever forget your passphrase, this code is the only way back into your "
            "journal. Write it on paper or print it, and keep it away from this computer. "
            "It is shown only now."
        )
        column = centered_column(
            label("Your recovery code", name="title"),
            explain,
            self.code_label,
            actions,
            self.status,
            self.stored,
            self.why,
        )
        # The code scrolls on a small screen; Continue stays in view.
        fill_with_actions(self, column, self.proceed)

    def set_code(self, code: str) -> None:
        self._code = code
        self.code_label.setText(code)
        self.stored.setChecked(False)
        self.why.setVisible(True)
        self.status.setText("")

    def warn_before_closing(self) -> None:
        """Closing before the code is stored: said on the page, beside the
        code (a question box over it hid what it asked about)."""
        self.status.setObjectName("error")
        self.status.style().polish(self.status)
        self.status.setText(
            "The code is shown only now. Write it down or save it, tick the box — "
            "or close again to leave without it."
        )
        self.stored.setFocus()

    def clear(self) -> None:
        self.set_code("")

    def _text(self) -> str:
        return (
            "Afterglow recovery code\n\n"
            f"    {self._code}\n\n"
            "This code opens your journal if you forget your passphrase.\n"
            "Keep it somewhere safe, away from the computer.\n"
        )

    def _on_copy(self) -> None:
        copy_secret(QGuiApplication.clipboard(), self._code)
        self.status.setText("Copied. The clipboard will be cleared in 30 seconds.")

    def _on_save(self) -> None:
        path = dialogs.save_file_name(
            self, "Save recovery code", "afterglow-recovery-code.txt", "Text files (*.txt)"
        )
        if path is None:
            return
        try:
            path.write_text(self._text(), encoding="utf-8")
        except OSError:
            self.status.setText("That file could not be written. Try another folder.")
            return
        self.status.setText(
            "Saved. Move the file somewhere safe, such as a USB stick you keep in a drawer."
        )

    def _on_print(self) -> None:
        document = QTextDocument()
        document.setPlainText(self._text())
        if dialogs.print_document(self, document):
            self.status.setText("Sent to the printer.")
