"""The therapist's appointment notes for one patient: a list by date, and the
note being written — its date and its Markdown text. The flow saves what is
typed (`edited` starts its autosave); this page only shows and asks."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from journal.core.vault.repositories.workspace import AppointmentNote
from journal.core.workspace.record import day_text
from journal.ui.item_views import wrapping_list
from journal.ui.widgets import ResponsiveRow, button, label

ID_ROLE = Qt.ItemDataRole.UserRole + 1
PLACEHOLDER = (
    "Your notes of this appointment, in Markdown. Saved as you type. They stay in this "
    "workspace; only a clinical record you export holds the notes you choose."
)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def note_line(note: AppointmentNote) -> str:
    first = next((line.strip() for line in note.body.splitlines() if line.strip()), "")
    first = first.lstrip("#*-> ").strip()
    shown = first if len(first) <= 40 else first[:39].rstrip(" .,;:") + "…"
    return f"{day_text(note)}\n{shown or '(empty)'}"


class NotesTab(QWidget):
    """Emits ``chosen(int)`` (a note moved to in the list; Enter goes on to
    its text), ``new_note``,
    ``delete_note``, ``edited`` (the person changed the text or the date) and
    ``export_record``."""

    chosen = Signal(int)
    new_note = Signal()
    delete_note = Signal()
    edited = Signal()
    export_record = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[AppointmentNote] = []
        self.list = wrapping_list("Appointment notes")
        self.list.currentItemChanged.connect(self._on_chosen)
        self.list.itemActivated.connect(lambda _item: self._write())
        self.day = QDateEdit()
        self.day.setAccessibleName("Date of the appointment")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("d MMMM yyyy")
        self.day.dateChanged.connect(lambda _d: self.edited.emit())
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Appointment note")
        self.editor.setPlaceholderText(PLACEHOLDER)
        self.editor.setTabChangesFocus(True)
        self.editor.textChanged.connect(self.edited)
        self.saved = label("", name="hint", wrap=False)
        self.saved.setAccessibleName("Note saved")
        self.new_button = button("New note", accessible="New note for today")
        self.delete_button = button("Delete note…")
        self.export_button = button("Export for the clinical record…")
        self.new_button.clicked.connect(self.new_note)
        self.delete_button.clicked.connect(self.delete_note)
        self.export_button.clicked.connect(self.export_record)
        actions = ResponsiveRow(self.new_button, self.delete_button, self.export_button)
        when = QHBoxLayout()
        caption = label("Appointment on", wrap=False)
        caption.setBuddy(self.day)
        when.addWidget(caption)
        when.addWidget(self.day)
        when.addStretch(1)
        when.addWidget(self.saved)
        # The note's date over both columns: the list keeps its width at large type.
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addWidget(self.list, 2)
        columns.addWidget(self.editor, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(when)
        layout.addLayout(columns, 1)
        layout.addWidget(actions)
        # Each takes the height there is: their own preferred heights never make
        # the patient's page scroll.
        for widget in (self.list, self.editor):
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
            widget.setMinimumHeight(110)

    # -- what the flow shows ---------------------------------------------------------

    def show_notes(self, notes: list[AppointmentNote], *, current: int | None) -> None:
        """The list (newest first), with the note ``current`` highlighted."""
        self.notes = sorted(notes, key=lambda n: (n.day, n.id), reverse=True)
        with QSignalBlocker(self.list):
            self.list.clear()
            for note in self.notes:
                item = QListWidgetItem(note_line(note))
                item.setData(ID_ROLE, note.id)
                self.list.addItem(item)
                if note.id == current:
                    self.list.setCurrentItem(item)
            if current is None:
                self.list.setCurrentRow(-1)
        self.export_button.setEnabled(True)

    def edit(self, note: AppointmentNote | None, today: date) -> None:
        """Put ``note`` in the editor — or, None, a new note for ``today``
        (nothing is saved until something is typed)."""
        with QSignalBlocker(self.editor), QSignalBlocker(self.day):
            self.editor.setPlainText(note.body if note is not None else "")
            self.day.setDate(_qdate(note.day if note is not None else today))
        self.editor.document().clearUndoRedoStacks()
        self.delete_button.setEnabled(note is not None)
        self.saved.setText("")

    def saved_note(self, note: AppointmentNote) -> None:
        """A save came back: the list shows the note's new date and first line."""
        others = [n for n in self.notes if n.id != note.id]
        self.show_notes([*others, note], current=note.id)
        self.delete_button.setEnabled(True)
        self.saved.setText("Saved.")

    def body(self) -> str:
        return self.editor.toPlainText()

    def day_chosen(self) -> date:
        chosen = self.day.date().toPython()
        assert isinstance(chosen, date)
        return chosen

    def set_read_only(self, read_only: bool) -> None:
        self.editor.setReadOnly(read_only)
        self.day.setReadOnly(read_only)
        for widget in (self.new_button, self.delete_button):
            widget.setVisible(not read_only)

    def clear(self) -> None:
        self.notes = []
        with QSignalBlocker(self.list), QSignalBlocker(self.editor), QSignalBlocker(self.day):
            self.list.clear()
            self.editor.clear()
        self.editor.document().clearUndoRedoStacks()
        self.saved.setText("")

    def _write(self) -> None:
        self.editor.setFocus()

    def _on_chosen(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is not None:
            self.chosen.emit(int(item.data(ID_ROLE)))
