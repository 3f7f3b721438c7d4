"""A therapist's own sharing key: create it, then give the public half to
patients — copied, saved as a file, or shown as a QR code."""

from __future__ import annotations

import io

import segno
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from journal.core.vault.repositories.keys import SharingKey
from journal.ui import dialogs
from journal.ui.widgets import button, label


def qr_png(text: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


class SharingKeyDialog(QDialog):
    def __init__(self, key: SharingKey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setWindowTitle("My sharing key")
        # Room for the wrapped explanation, the key on two lines, the code and
        # the buttons at the default text size.
        self.setMinimumSize(780, 680)
        # Shown with break opportunities, so the 62 characters wrap on a small
        # screen; Copy and Save use the key itself.
        self.recipient = label(
            "\u200b".join(key.recipient[i : i + 16] for i in range(0, len(key.recipient), 16)),
            name="code",
        )
        self.recipient.setAccessibleName("Public sharing key")
        self.recipient.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.qr = QLabel()
        self.qr.setAccessibleName("QR code of the public sharing key")
        pixmap = QPixmap()
        pixmap.loadFromData(qr_png(key.recipient))
        self.qr.setPixmap(pixmap)
        self.qr.setMinimumHeight(pixmap.height())
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = label("", name="hint")
        copy = button("Copy")
        save = button("Save as file…")
        close = button("Close", primary=True)
        copy.clicked.connect(self._copy)
        save.clicked.connect(self._save)
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(copy)
        row.addWidget(save)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                "Give this key to your patients. With it, Afterglow encrypts "
                "bundles that only your journal can open — no share code "
                "needed. It is public: it cannot open anything by itself."
            )
        )
        layout.addWidget(self.recipient)
        layout.addWidget(self.qr)
        layout.addWidget(self.status)
        layout.addLayout(row)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.key.recipient)
        self.status.setText("Copied.")

    def _save(self) -> None:
        path = dialogs.save_file_name(
            self, "Save sharing key", "afterglow-sharing-key.txt", "Text files (*.txt)"
        )
        if path is None:
            return
        try:
            path.write_text(self.key.recipient + "\n", encoding="utf-8")
        except OSError:
            self.status.setText("That file could not be written. Try another folder.")
            return
        self.status.setText(f"Saved {path.name}.")
