"""The sync page: how syncing through the folder stands, "Sync now", and the
conflicts to decide — each text changed on two computers, both versions in
full, with "Keep this one" under each — and the other computers, each with
"Remove this computer…" (a lost or retired one). While a sync runs (asked
for or by itself), "Stop syncing" beside "Sync now" stops it after the file
it is writing. The flow behind it is `journal.ui.flows.syncing`; this page
only shows and forwards."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from journal.ui.widgets import (
    ResponsiveRow,
    announce,
    button,
    button_row,
    centered_column,
    label,
    scrolled,
)

if TYPE_CHECKING:
    from journal.core.sync.conflicts import Conflict
    from journal.core.sync.status import DeviceSeen, SyncStatus


def local_time(moment: str) -> str:
    """A UTC ISO time as this computer's local time, as a person says it
    ("Thursday 3 December at 14:05"); "" for no time."""
    if not moment:
        return ""
    try:
        when = datetime.fromisoformat(moment).astimezone()
    except ValueError:
        return ""
    today = datetime.now().astimezone().date()
    day = "today" if when.date() == today else f"{when:%A} {when.day} {when:%B}"
    if when.year != today.year:
        day += f" {when.year}"
    return f"{day} at {when:%H:%M}"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def status_lines(status: SyncStatus) -> list[str]:
    """The status as sentences, one a line (no journal content)."""
    if not status.set_up:
        return [
            "This journal does not sync yet. Choose a folder that Syncthing, Nextcloud, "
            "Dropbox or a USB stick moves between your computers; Afterglow writes only "
            "encrypted files there."
        ]
    when = local_time(status.last_synced)
    names = [d.name or "a computer without a name" for d in status.devices]
    lines = [
        f"This computer is “{status.device_name}”.",
        f"Sync folder: {status.folder}",
        f"Last synced {when}." if when else "Not synced yet.",
        f"Other computers seen: {', '.join(names)}."
        if names
        else "No other computer has synced yet.",
        f"Waiting to send: {_count(status.to_send, 'change', 'changes')}."
        if status.to_send
        else "Everything written here has been sent.",
    ]
    if status.pending:
        lines.append(
            f"Waiting for what they need: {_count(status.pending, 'item', 'items')} "
            "(they are added once the rest arrives)."
        )
    if status.conflicts:
        lines.append(f"To decide: {_count(status.conflicts, 'text', 'texts')} — see above.")
    return lines


class ConflictCard(QWidget):
    """One conflict: which text, of what, and each version with its button.
    ``keep(object value)``."""

    keep = Signal(object)

    def __init__(self, conflict: Conflict, number: int) -> None:
        super().__init__()
        self.setObjectName("offer")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        from journal.ui import theme  # the colours of the theme shown now

        accent = theme.current().accent
        self.setStyleSheet(
            f"QLabel#version {{ border-left: 4px solid {accent}; padding: 4px 0 4px 14px; }}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        heading = conflict.what + (f" — in “{conflict.where}”" if conflict.where else "")
        layout.addWidget(label(heading, name="strong"))
        layout.addWidget(
            label("Written differently on two computers. Which one should stay?", name="hint")
        )
        self.buttons = []
        for index, value in enumerate(conflict.versions, start=1):
            text = "" if value is None else str(value)
            now = " — the one shown now" if index == 1 else ""
            layout.addWidget(label(f"Version {index}{now}", name="hint"))
            shown = label(text or "(empty)", name="version")
            shown.setAccessibleName(f"Version {index} of conflict {number}")
            layout.addWidget(shown)
            keep = button("Keep this one", accessible=f"Keep version {index} of conflict {number}")
            keep.clicked.connect(lambda _checked=False, v=value: self.keep.emit(v))
            layout.addWidget(keep, 0, Qt.AlignmentFlag.AlignLeft)
            self.buttons.append(keep)


def computer_name(device: DeviceSeen) -> str:
    return device.name or "a computer without a name"


class ComputerRow(ResponsiveRow):
    """Another computer: its name, when last heard from, and "Remove this
    computer…" (``remove``)."""

    remove = Signal()

    def __init__(self, device: DeviceSeen) -> None:
        name = computer_name(device)
        when = local_time(device.last_seen)
        said = f"“{name}”" + (f" — last heard from {when}" if when else "")
        self.said = label(said)
        self.said.setAccessibleName(f"Other computer: {said}")
        self.button = button("Remove this computer…", accessible=f"Remove “{name}”…")
        super().__init__(self.said, self.button, stretches=(1, 0))
        self.button.clicked.connect(self.remove)


class SyncPage(QWidget):
    """Signals: ``sync_now``, ``set_up`` (not set up yet), ``back``,
    ``keep(Conflict, value)``, ``remove(str device, str name)``, ``stop``
    (stop the sync under way)."""

    sync_now = Signal()
    stop = Signal()
    set_up = Signal()
    back = Signal()
    keep = Signal(object, object)
    remove = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.summary = label("")
        self.summary.setAccessibleName("Sync status")
        self.problems = label("", name="error")
        self.problems.setAccessibleName("Sync problems")
        self.problems.hide()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName("Syncing")
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.hide()
        self.said = label("")
        self.said.setAccessibleName("Last sync")
        self.said.hide()
        self.stop_button = button("Stop syncing")
        self.stop_button.setToolTip("Stops after the file being written; what is sent stays sent.")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.hide()
        self.now = button("Sync now", primary=True)
        self.now.clicked.connect(self.sync_now)
        self.setup = button("Use a synced folder…")
        self.setup.clicked.connect(self.set_up)
        self.home = button("Home")
        self.home.setAccessibleName("Back to home")
        self.home.clicked.connect(self.back)
        self.decide_title = label("To decide", name="prompt")
        self.decide_title.hide()
        self.cards_box = QWidget()
        self.cards = QVBoxLayout(self.cards_box)
        self.cards.setContentsMargins(0, 0, 0, 0)
        self.cards.setSpacing(16)
        self.conflict_cards: list[ConflictCard] = []
        self.conflicts: list[Conflict] = []
        self.computers_title = label("Other computers", name="prompt")
        self.computers_title.hide()
        self.computers_box = QWidget()
        self.computers = QVBoxLayout(self.computers_box)
        self.computers.setContentsMargins(0, 0, 0, 0)
        self.computers.setSpacing(8)
        self.computer_rows: list[ComputerRow] = []
        self.shown_devices: list[tuple[str, str, str]] | None = None
        column = centered_column(
            label("Sync", name="title"),
            self.problems,
            self.busy,
            self.said,
            self.decide_title,
            self.cards_box,
            self.summary,
            self.setup,
            self.computers_title,
            self.computers_box,
        )
        inner = QWidget()
        stack = QVBoxLayout(inner)
        stack.addWidget(column)
        stack.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 16)
        layout.addWidget(scrolled(inner), 1)
        actions = QWidget()  # Stop syncing beside Sync now, next in the Tab order
        pair = QHBoxLayout(actions)
        pair.setContentsMargins(0, 0, 0, 0)
        pair.addWidget(self.stop_button)
        pair.addWidget(self.now)
        layout.addWidget(centered_column(button_row(self.home, actions), max_width=900))
        self.show_status(None, [])

    def show_status(self, status: SyncStatus | None, conflicts: list[Conflict]) -> None:
        """``None``: not known yet (locked, or still asking the vault)."""
        set_up = status is not None and status.set_up
        self.summary.setText("\n".join(status_lines(status)) if status is not None else "")
        self.setup.setVisible(status is not None and not set_up)
        self.now.setEnabled(set_up)
        problems = status.problems if status is not None else []
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        self._show_conflicts(conflicts)
        self._show_computers(status.devices if set_up and status is not None else [])

    def _show_conflicts(self, conflicts: list[Conflict]) -> None:
        """The cards, made again only when the conflicts changed: a sync in the
        background leaves the focus where the person is deciding."""
        if conflicts == self.conflicts:
            return
        self.conflicts = list(conflicts)
        _empty(self.cards)
        self.conflict_cards = []
        for number, conflict in enumerate(conflicts, start=1):
            card = ConflictCard(conflict, number)
            card.keep.connect(lambda value, c=conflict: self.keep.emit(c, value))
            self.cards.addWidget(card)
            self.conflict_cards.append(card)
        self.decide_title.setVisible(bool(conflicts))

    def _show_computers(self, devices: list[DeviceSeen]) -> None:
        """A row for each other computer, made again only when they changed
        (the focus stays where it is)."""
        shown = [(d.device, d.name, d.last_seen) for d in devices]
        if shown == self.shown_devices:
            return
        self.shown_devices = shown
        _empty(self.computers)
        self.computer_rows = []
        for device in devices:
            row = ComputerRow(device)
            row.button.setEnabled(self.busy.isHidden())
            name = computer_name(device)
            row.remove.connect(lambda d=device.device, n=name: self.remove.emit(d, n))
            self.computers.addWidget(row)
            self.computer_rows.append(row)
        self.computers_title.setVisible(bool(devices))

    def set_busy(self, busy: bool, *, stoppable: bool = False) -> None:
        """``stoppable``: a sync runs, and "Stop syncing" shows beside it."""
        self.busy.setVisible(busy)
        self.now.setText("Syncing…" if busy else "Sync now")
        self.now.setAccessibleName(self.now.text())
        if busy and stoppable:
            self.said.hide()  # what the last sync said is old news now
        self._show_stop(busy and stoppable)
        for card in self.conflict_cards:
            for keep in card.buttons:
                keep.setEnabled(not busy)
        for row in self.computer_rows:
            row.button.setEnabled(not busy)

    def _show_stop(self, shown: bool) -> None:
        if shown != self.stop_button.isHidden():
            return  # as it is (a "Stopping…" stays)
        had_focus = self.stop_button.hasFocus()
        self.stop_button.setText("Stop syncing")
        self.stop_button.setAccessibleName("Stop syncing")
        self.stop_button.setVisible(shown)
        if had_focus and not shown:
            self.now.setFocus()  # the focus stays on the row, not lost with the button

    def show_stopping(self) -> None:
        """Stop was asked: the button says so until the sync ends (it keeps
        the focus, and pressing it again does nothing more)."""
        self.stop_button.setText("Stopping…")
        self.stop_button.setAccessibleName("Stopping the sync")

    def show_said(self, text: str) -> None:
        """One sentence about how the last sync ended (spoken, not focused)."""
        self.said.setText(text)
        self.said.setVisible(bool(text))
        if text:
            announce(self.said)

    def show_error(self, text: str) -> None:
        self.problems.setText(text)
        self.problems.setVisible(bool(text))
        announce(self.problems)

    def clear(self) -> None:
        self.show_status(None, [])
        self.set_busy(False)
        self.show_said("")

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        (self.now if self.now.isEnabled() else self.home).setFocus()


def _empty(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()
