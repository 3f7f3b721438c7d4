"""The safety screen: calm, clear, and the same wherever it appears.

Shown at once when PHQ-9 item 9 is answered above 0 (as a page), and from
Help → "If you are in crisis" at any time, locked or not (as a dialog).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from journal.core.checkins import crisis
from journal.ui.widgets import button, centered_column, label, scrolled

ANSWERED = (
    "You said you have had thoughts that you would be better off dead or of hurting "
    "yourself. Thank you for answering honestly."
)


class SafetyPanel(QWidget):
    """The message and the numbers for one country."""

    def __init__(self, *, after_answer: bool) -> None:
        super().__init__()
        self.after_answer = after_answer
        self.heading = label(
            "Please reach out to someone today" if after_answer else "If you are in crisis",
            name="title",
        )
        self.opening = label(ANSWERED if after_answer else "You do not have to face this alone.")
        self.monitored = label(crisis.NOT_MONITORED)
        self.reach_out = label(crisis.REACH_OUT)
        self.danger = label("", name="strong")
        self.numbers = QLabel()
        self.numbers.setObjectName("numbers")
        self.numbers.setWordWrap(True)
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.country = label("", name="hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        for widget in (
            self.heading,
            self.opening,
            self.danger,
            self.numbers,
            self.reach_out,
            self.monitored,
            self.country,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)  # extra height goes below, not between the lines

    def set_country(self, code: str) -> None:
        region = crisis.region(code)
        self.danger.setText(crisis.IN_DANGER.format(emergency=region.emergency))
        rows = "".join(
            f"<p style='margin: 6px 0'><b>{escape(line.name)}</b> — {escape(line.how)}</p>"
            for line in region.lines
        )
        self.numbers.setText(rows)
        where = "your region" if region.code == crisis.OTHER else region.name
        hint = f"Numbers for {where}; you can choose the country in Settings."
        if region.code == crisis.OTHER:
            hint += " " + crisis.ELSEWHERE_HINT
        self.country.setText(hint)
        self.setAccessibleDescription(
            " ".join(
                [
                    self.opening.text(),
                    self.danger.text(),
                    *(f"{line.name}: {line.how}." for line in region.lines),
                    crisis.REACH_OUT,
                    crisis.NOT_MONITORED,
                ]
            )
        )


class SafetyPage(QWidget):
    """After PHQ-9 item 9 above 0. ``continued`` goes on to the result."""

    continued = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.panel = SafetyPanel(after_answer=True)
        self.flagged = label(
            "Your answers are saved. If you share your check-ins with your therapist, this "
            "answer is shown to them first.",
            name="hint",
        )
        self.proceed = button("Continue", primary=True)
        self.proceed.clicked.connect(self.continued)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(scrolled(centered_column(self.panel, self.flagged, max_width=860)), 1)
        layout.addWidget(centered_column(self.proceed, max_width=860))

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        self.proceed.setFocus()


class CrisisDialog(QDialog):
    """Help → If you are in crisis: available at any time, locked or not."""

    def __init__(self, country: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("If you are in crisis")
        self.panel = SafetyPanel(after_answer=False)
        self.panel.set_country(country)
        close = button("Close", primary=True)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 24)
        layout.addWidget(scrolled(self.panel), 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(860, 780)
