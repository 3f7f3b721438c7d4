"""Copying secrets: marked for clipboard managers and cleared after 30 s."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QTimer
from PySide6.QtGui import QClipboard

CLEAR_AFTER_MS = 30_000


def copy_secret(clipboard: QClipboard, text: str) -> None:
    """Put ``text`` on the clipboard, hinted as secret (KDE's and most
    managers' convention), and clear it after 30 seconds if it is still ours."""
    data = QMimeData()
    data.setText(text)
    data.setData("x-kde-passwordManagerHint", b"secret")
    clipboard.setMimeData(data)

    def clear_if_ours() -> None:
        if clipboard.text() == text:
            clipboard.clear()

    QTimer.singleShot(CLEAR_AFTER_MS, clipboard, clear_if_ours)
