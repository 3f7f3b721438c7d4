"""Copying secrets: marked for clipboard managers and cleared after 30 s."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QTimer
from PySide6.QtGui import QClipboard

CLEAR_AFTER_MS = 30_000
SECRET_HINT = "x-kde-passwordManagerHint"  # noqa: S105 (a MIME type, not a secret)


def copy_secret(clipboard: QClipboard, text: str) -> None:
    """Put ``text`` on the clipboard, hinted as secret (KDE's and most
    managers' convention), and clear it after 30 seconds if it is still ours."""
    data = QMimeData()
    data.setText(text)
    data.setData(SECRET_HINT, b"secret")
    clipboard.setMimeData(data)

    def clear_if_ours() -> None:
        if clipboard.text() == text:
            clipboard.clear()

    QTimer.singleShot(CLEAR_AFTER_MS, clipboard, clear_if_ours)


def clear_secrets(clipboard: QClipboard) -> None:
    """Clear the clipboard if it holds a secret Afterglow put there (on lock
    and on quit: a recovery code must not outlive the window)."""
    data = clipboard.mimeData()
    if data is not None and data.hasFormat(SECRET_HINT):
        clipboard.clear()
