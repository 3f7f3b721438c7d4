"""Unlocking, and recovering with the recovery code."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from journal.core.vault.passphrase import judge  # light: zxcvbn loads only when judging
from journal.ui.widgets import (
    announce,
    button,
    centered_column,
    label,
    passphrase_field,
    scrolled,
    show_typing,
)


class UnlockPage(QWidget):
    unlock_requested = Signal(str)
    forgot = Signal()

    def __init__(self, vault_name: str) -> None:
        super().__init__()
        self.passphrase = passphrase_field("Passphrase")
        self.error = label("", name="error", selectable=False)
        self.error.setAccessibleName("Problem")
        self.passphrase.returnPressed.connect(self._on_submit)
        self.passphrase.textChanged.connect(lambda _text: self.error.setText(""))
        self.submit = button("Unlock", primary=True)
        self.submit.clicked.connect(self._on_submit)
        self.show_typed = show_typing(self.passphrase)
        self.demo_hint = label("", name="hint", selectable=False)
        self.demo_hint.hide()
        self.forgot_button = button("Forgot your passphrase?")
        self.forgot_button.clicked.connect(self.forgot)
        column = centered_column(
            label("Welcome back", name="title", selectable=False),
            label(f"Type your passphrase to open “{vault_name}”.", name="hint", selectable=False),
            self.demo_hint,
            self.passphrase,
            self.show_typed,
            self.error,
            self.submit,
            self.forgot_button,
        )
        inner = QWidget()
        centred = QVBoxLayout(inner)
        centred.addStretch(1)
        centred.addWidget(column)
        centred.addStretch(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolled(inner))  # large type on a small screen: it scrolls

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.passphrase.setFocus()

    def set_demo_hint(self, passphrase: str) -> None:
        self.demo_hint.setText(f"This is the DEMO journal; its passphrase is “{passphrase}”.")
        self.demo_hint.show()

    def _on_submit(self) -> None:
        if not self.passphrase.text():
            self.error.setText("Type your passphrase first.")
            return
        self.set_busy(True)
        self.unlock_requested.emit(self.passphrase.text())

    def set_busy(self, busy: bool) -> None:
        self.submit.setEnabled(not busy)
        self.passphrase.setReadOnly(busy)
        self.submit.setText("Opening…" if busy else "Unlock")

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error.setText(message)
        announce(self.error)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def clear(self) -> None:
        self.passphrase.clear()
        self.error.setText("")
        self.set_busy(False)


class RecoverPage(QWidget):
    recover_requested = Signal(str, str)
    back = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.code = QLineEdit()
        self.code.setAccessibleName("Recovery code")
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XX")
        self.passphrase = passphrase_field("New passphrase")
        self.repeat = passphrase_field("Repeat new passphrase")
        self.error = label("", name="error")
        self.error.setAccessibleName("Problem")
        self.submit = button("Recover my journal", primary=True)
        self.submit.clicked.connect(self._on_submit)
        self.repeat.returnPressed.connect(self._on_submit)
        self.back_button = button("Back")
        self.back_button.clicked.connect(self.back)
        column = centered_column(
            label("Recover with your recovery code", name="title"),
            label(
                "Type the code you kept when you created your journal, then choose a new "
                "passphrase. Your entries stay exactly as they are.",
                name="hint",
            ),
            self.code,
            self.passphrase,
            self.repeat,
            self.error,
            self.submit,
            self.back_button,
        )
        # Scrolls on a 1024×600 screen at large type rather than being cut off.
        inner = QWidget()
        middle = QVBoxLayout(inner)
        middle.addStretch(1)
        middle.addWidget(column)
        middle.addStretch(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolled(inner))

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.code.setFocus()

    def _on_submit(self) -> None:
        new = self.passphrase.text()
        if not self.code.text().strip():
            self.show_error("Type your recovery code first.")
        elif not (verdict := judge(new)).accepted:
            self.show_error(verdict.message)
        elif new != self.repeat.text():
            self.show_error("The two new passphrases are not the same.")
        else:
            self.set_busy(True)
            self.recover_requested.emit(self.code.text(), new)

    def set_busy(self, busy: bool) -> None:
        self.submit.setEnabled(not busy)
        self.submit.setText("Opening…" if busy else "Recover my journal")

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error.setText(message)

    def clear(self) -> None:
        for field in (self.code, self.passphrase, self.repeat):
            field.clear()
        self.error.setText("")
        self.set_busy(False)
