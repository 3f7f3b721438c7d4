"""One patient, read minutes before an appointment: what they want to talk
about (each item marked "discussed" as it is), what is new since the last
bundle, the report across every bundle kept (the trends), their entries with
search, the therapist's own notes, and the bundles over time — one tab each,
so a small screen shows one thing at a time."""

from __future__ import annotations

import html
from datetime import datetime
from typing import TypeVar

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from journal.core.checkins.instruments import INSTRUMENTS, number
from journal.core.journal.render import entry_html
from journal.core.model import Checkin, Entry, Session
from journal.core.sharing.share import BundleContent
from journal.core.text import count, day, short_day
from journal.core.workspace.view import AgendaItem, Hit, NewSince, PatientView
from journal.ui.item_views import wrapping_list
from journal.ui.pages.appointment_notes import NotesTab
from journal.ui.widgets import ReportView, button, label, scrolled

W = TypeVar("W", bound=QWidget)
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2
TABS = ("Overview", "Report", "Search", "Notes", "Bundles")


def filling(widget: W, minimum: int = 110) -> W:
    """``widget`` takes the height there is, down to ``minimum``: its own
    preferred height (a list's, a text view's) never makes the page scroll."""
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
    widget.setMinimumHeight(minimum)
    return widget


def _list(accessible: str) -> QListWidget:
    return filling(wrapping_list(accessible))


def when(moment: datetime | None) -> str:
    """ "29 Nov" this year, "29 Nov 2025" before."""
    return "" if moment is None else short_day(moment, year_of=datetime.now().astimezone())


def entry_title(entry: Entry) -> str:
    return entry.title or entry.phase.label


def checkin_text(checkin: Checkin, content: BundleContent) -> str:
    """ "PHQ-9 12 · moderate", "Mood 6"."""
    known = content.instruments.get(checkin.kind) or INSTRUMENTS.get(checkin.kind)
    title = known.title if known is not None else str(checkin.kind)
    band = f" · {checkin.band}" if checkin.band else ""
    return f"{title} {number(checkin.total)}{band}"


def session_text(session: Session) -> str:
    return f"Session · {when(session.started_at)} · {session.route.label}"


def new_lines(new: NewSince, content: BundleContent) -> list[tuple[str, int | None]]:
    """What is new, oldest first, each with its entry id (None: not an entry)."""
    dated: list[tuple[datetime | None, str, int | None]] = []
    for session in new.sessions:
        dated.append((session.started_at, session_text(session), None))
    for entry in new.entries:
        written = f" · {when(entry.created_at)}" if entry.created_at else ""
        dated.append((entry.created_at, f"Entry{written} · {entry_title(entry)}", entry.id))
    for checkin in new.checkins:
        text = f"Check-in · {when(checkin.taken_at)} · {checkin_text(checkin, content)}"
        dated.append((checkin.taken_at, text, None))
    dated.sort(key=lambda row: (0, row[0]) if row[0] is not None else (1,))
    return [(text, ident) for _when, text, ident in dated]


def entry_page_html(entry: Entry) -> str:
    """An entry to read: its title and date, then its answers (no pictures:
    the report shows those)."""
    written = f"<p>{html.escape(entry.phase.label)}"
    if entry.created_at is not None:
        written += f" · written {html.escape(day(entry.created_at))}"
    return (
        f"<h2>{html.escape(entry_title(entry))}</h2>{written}</p>"
        f"{entry_html(entry, image_allowed=lambda _ref: False)}"
    )


class PatientPage(QWidget):
    """Emits ``back``, ``discussed(str key, bool)``, ``query_changed(str)`` and
    the notes tab's signals (``notes``)."""

    back = Signal()
    discussed = Signal(str, bool)
    query_changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.view: PatientView | None = None
        self.back_button = button("Patients", accessible="Back to the patients")
        self.back_button.clicked.connect(self.back)
        self.name = label("", name="title")
        self.name.setAccessibleName("Patient")
        self.summary = label("", name="hint")
        self.summary.setAccessibleName("Bundles kept")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Patient")
        self.tabs.setDocumentMode(True)
        # Overview: the agenda first (what the patient wants to talk about), then what is new.
        self.agenda = _list("Agenda: what they'd like to talk about")
        self.agenda.setAccessibleDescription("Space ticks an item discussed")
        self.agenda.itemChanged.connect(self._on_agenda_changed)
        self.agenda_title = label("Agenda", name="strong")
        self.agenda_hint = label("", name="hint")
        self.agenda_hint.hide()
        self.new_title = label("New since the last bundle", name="strong")
        self.new = _list("New since the last bundle")
        self.new.setAccessibleDescription("Enter on an entry shows its text")
        self.new.itemActivated.connect(self._on_new_activated)
        self.new_hint = label("", name="hint")
        self.new_hint.hide()
        overview = QWidget()
        columns = QHBoxLayout(overview)
        columns.setContentsMargins(12, 12, 12, 12)
        columns.setSpacing(20)
        for heading, hint, widget in (
            (self.agenda_title, self.agenda_hint, self.agenda),
            (self.new_title, self.new_hint, self.new),
        ):
            column = QVBoxLayout()
            column.setSpacing(6)
            column.addWidget(heading)
            column.addWidget(hint)
            column.addWidget(widget, 1)
            columns.addLayout(column, 1)
        self._add_tab(overview, "&Overview")
        # Report: the report of every bundle together (trends across visits).
        self.report = filling(ReportView("Report across every bundle"), 150)
        self.tabs.addTab(self.report, "&Report")
        # Search: every entry (newest first), or those holding the words typed.
        self.field = QLineEdit()
        self.field.setAccessibleName("Search this patient's entries")
        self.field.setPlaceholderText("Search this patient's entries")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self.query_changed)
        self.field.returnPressed.connect(self._first_result)
        self.results = _list("Entries found")
        self.results.currentItemChanged.connect(lambda item, _old: self._show_result(item))
        self.results.itemActivated.connect(lambda _item: self._read())
        self.found = label("", name="hint")
        self.found.setAccessibleName("Search results")
        self.entry = filling(ReportView("Entry text"))  # at the report's reading size
        search = QWidget()
        search_layout = QVBoxLayout(search)
        search_layout.setContentsMargins(12, 12, 12, 12)
        search_layout.addWidget(self.field)
        search_layout.addWidget(self.found)
        split = filling(QSplitter())
        split.setChildrenCollapsible(False)
        split.addWidget(self.results)
        split.addWidget(self.entry)
        split.setSizes([2, 3])
        search_layout.addWidget(split, 1)
        self._add_tab(search, "&Search")
        self.notes = NotesTab()
        self._add_tab(self.notes, "&Notes")
        self.bundles = _list("Bundles kept, newest first")
        bundles = QWidget()
        bundles_layout = QVBoxLayout(bundles)
        bundles_layout.setContentsMargins(12, 12, 12, 12)
        bundles_layout.addWidget(
            label(
                "Each bundle is kept as it arrived, encrypted inside this workspace. "
                "The other tabs read them together; where bundles overlap, the newest "
                "one's version counts.",
                name="hint",
            )
        )
        bundles_layout.addWidget(self.bundles, 1)
        self._add_tab(bundles, "&Bundles")
        header = QHBoxLayout()
        header.setSpacing(16)
        header.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        names = QVBoxLayout()
        names.setSpacing(2)
        names.addWidget(self.name)
        names.addWidget(self.summary)
        header.addLayout(names, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

    def _add_tab(self, content: QWidget, title: str) -> None:
        """A tab whose content scrolls on its own when the type is large, so the
        name and the tabs stay in view (and a tab not yet shown never makes
        the page taller than the screen)."""
        self.tabs.addTab(scrolled(content), title)

    # -- what the flow shows ---------------------------------------------------------

    @property
    def patient_id(self) -> int | None:
        return None if self.view is None else self.view.patient.id

    def show_view(self, view: PatientView, report_html: str) -> None:
        """The patient, with ``report_html`` (their report across every bundle)."""
        same = self.view is not None and self.view.patient.id == view.patient.id
        self.view = view
        patient, bundles = view.patient, view.bundles
        self.name.setText(patient.name)
        first, last = (day(bundles[0].made_at), day(bundles[-1].made_at)) if bundles else ("", "")
        if not bundles:
            span = "No bundles kept"
        elif first == last:
            span = f"{count(len(bundles), 'bundle')}, made {last}"
        else:
            span = f"{count(len(bundles), 'bundle')}, made {when(bundles[0].made_at)} to {last}"
        self.summary.setText(f"{span} · {count(len(view.notes), 'note')}")
        self._show_agenda(view.agenda)
        self._show_new(view)
        self.report.setHtml(report_html)
        self.bundles.clear()
        for kept in reversed(bundles):
            self.bundles.addItem(
                f"Made {day(kept.made_at)}, {kept.made_at.astimezone():%H:%M}"
                f" · kept {day(kept.kept_at)}"
            )
        if not same:
            self.field.clear()
            self.tabs.setCurrentIndex(0)
        self.query_changed.emit(self.field.text())

    def _show_agenda(self, items: list[AgendaItem]) -> None:
        """Each item; those of an earlier agenda than the newest say when."""
        newest = max((i.written for i in items if i.written is not None), default=None)
        with QSignalBlocker(self.agenda):
            self.agenda.clear()
            for agenda_item in items:
                older = agenda_item.written is not None and agenda_item.written != newest
                written = f"\nfrom {when(agenda_item.written)}" if older else ""
                item = QListWidgetItem(f"{agenda_item.text}{written}")
                item.setData(KEY_ROLE, agenda_item.key)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                checked = (
                    Qt.CheckState.Checked if agenda_item.discussed else Qt.CheckState.Unchecked
                )
                item.setCheckState(checked)
                self.agenda.addItem(item)
            if items:
                self.agenda.setCurrentRow(0)
        self.agenda.setVisible(bool(items))
        self.agenda_hint.setText("Nothing on their agenda in the bundles kept.")
        self.agenda_hint.setVisible(not items)
        self._count_agenda()

    def _count_agenda(self) -> None:
        rows = [self.agenda.item(row) for row in range(self.agenda.count())]
        left = sum(1 for item in rows if item.checkState() != Qt.CheckState.Checked)
        self.agenda_title.setText(
            f"Agenda · {left} of {len(rows)} to discuss" if rows else "Agenda"
        )

    def _show_new(self, view: PatientView) -> None:
        new = view.new
        self.new.clear()
        if new.since is None:
            self.new_title.setText("New in this bundle")
            self.new_hint.setText(
                "Only one bundle kept so far: everything in it is new. The Report tab "
                "reads it in full."
                if view.bundles
                else "No bundle kept yet."
            )
        else:
            self.new_title.setText(f"New since {when(new.since)}")
            self.new_title.setAccessibleDescription(f"since the bundle made on {day(new.since)}")
            self.new_hint.setText("Nothing new since then." if new.empty else "")
            for text, ident in new_lines(new, view.content):
                item = QListWidgetItem(text)
                item.setData(ENTRY_ROLE, ident)
                self.new.addItem(item)
            if self.new.count():
                self.new.setCurrentRow(0)
        self.new.setVisible(self.new.count() > 0)
        self.new_hint.setVisible(bool(self.new_hint.text()))

    def show_hits(self, hits: list[Hit], query: str) -> None:
        self.results.clear()
        for hit in hits:
            entry = hit.entry
            written = f" · {when(entry.created_at)}" if entry.created_at else ""
            item = QListWidgetItem(f"{entry_title(entry)}{written}\n{hit.snippet}")
            item.setData(ENTRY_ROLE, entry.id)
            self.results.addItem(item)
        self.found.setText(
            ("No entry holds those words." if not hits else f"{count(len(hits), 'entry')} found.")
            if query.strip()
            else f"{count(len(hits), 'entry')}, newest first. Type to search them."
        )
        if hits:
            self.results.setCurrentRow(0)
        else:
            self.entry.clear()

    def _read(self) -> None:
        self.entry.setFocus()

    def _first_result(self) -> None:
        if self.results.count():
            self.results.setCurrentRow(0)
            self.results.setFocus()

    def _show_result(self, item: QListWidgetItem | None) -> None:
        entry = self._entry(item.data(ENTRY_ROLE)) if item is not None else None
        if entry is None:
            self.entry.clear()
            return
        self.entry.setHtml(entry_page_html(entry))

    def show_entry(self, entry_id: int) -> None:
        """The Search tab, with this entry among all of them, shown."""
        self.field.clear()
        self.tabs.setCurrentIndex(TABS.index("Search"))
        for row in range(self.results.count()):
            if self.results.item(row).data(ENTRY_ROLE) == entry_id:
                self.results.setCurrentRow(row)
                break
        self.entry.setFocus()

    def _entry(self, entry_id: object) -> Entry | None:
        if self.view is None or entry_id is None:
            return None
        return next((e for e in self.view.content.entries if e.id == entry_id), None)

    def _on_agenda_changed(self, item: QListWidgetItem) -> None:
        self.discussed.emit(str(item.data(KEY_ROLE)), item.checkState() == Qt.CheckState.Checked)
        self._count_agenda()

    def _on_new_activated(self, item: QListWidgetItem) -> None:
        ident = item.data(ENTRY_ROLE)
        if ident is not None:
            self.show_entry(int(ident))

    def set_read_only(self, read_only: bool) -> None:
        self.notes.set_read_only(read_only)

    def clear(self) -> None:
        """On lock and when the patient goes: nothing of theirs stays in a widget."""
        self.view = None
        self.name.clear()
        self.summary.clear()
        with QSignalBlocker(self.agenda):
            self.agenda.clear()
        self.new.clear()
        self.report.clear()
        with QSignalBlocker(self.field):
            self.field.clear()
        self.results.clear()
        self.entry.clear()
        self.bundles.clear()
        self.notes.clear()
        self.tabs.setCurrentIndex(0)

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt naming)
        first = self.agenda if self.agenda.isVisibleTo(self) else self.tabs.tabBar()
        (first if self.tabs.currentIndex() == 0 else self.tabs.tabBar()).setFocus()
