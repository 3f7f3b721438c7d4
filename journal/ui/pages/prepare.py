"""Prepare for therapy: choose what to share, preview exactly what the
therapist will read, choose how to protect it, then save the bundle.

Private items are never offered (the core removes them before this page
sees anything). Everything is ticked by default; unticking a session leaves
out its entries, unticking an answer leaves out just that answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal.core.checkins.instruments import number
from journal.core.sharing.markup import READING_PT
from journal.core.sharing.share import BundleContent, Selection
from journal.core.vault.repositories.keys import Contact
from journal.ui.widgets import ReportView, button, label, scrolled

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
_CHECKED = Qt.CheckState.Checked
_PARTIAL = Qt.CheckState.PartiallyChecked


@dataclass(frozen=True)
class SendChoice:
    """How the patient protects the bundle."""

    method: str  # "code", "key" or "pdf"
    contact: Contact | None = None
    new_key_name: str = ""
    new_key: str = ""
    include_pdf: bool = True
    recipient_name: str = ""  # with a share code: whom it is for (optional)


def _item(
    parent: QTreeWidget | QTreeWidgetItem, text: str, kind: str, ident: int | None
) -> QTreeWidgetItem:
    item = QTreeWidgetItem(parent, [text])
    item.setData(0, KIND_ROLE, kind)
    item.setData(0, ID_ROLE, ident)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
    item.setCheckState(0, _CHECKED)
    return item


class PreparePage(QWidget):
    period_changed = Signal(object)  # datetime | None
    preview_requested = Signal(object)  # Selection
    save_requested = Signal(object, object)  # Selection, SendChoice
    cancelled = Signal()
    add_key_from_file = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.steps = QStackedWidget()
        self.content: BundleContent | None = None
        self.period: datetime | None = None
        self.last_export: datetime | None = None
        # 1. What to share
        self.period_box = QComboBox()
        self.period_box.setAccessibleName("Period")
        self.period_box.activated.connect(self._on_period)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("What to share")
        self.preview_button = button("Preview", primary=True)
        self.preview_button.clicked.connect(lambda: self.preview_requested.emit(self.selection()))
        back = button("Back")
        back.clicked.connect(self.cancelled)
        step1 = QWidget()
        s1 = QVBoxLayout(step1)
        s1.addWidget(label("Prepare for therapy", name="title"))
        s1.addWidget(
            label(
                "Choose what your therapist will read. Items you marked private are "
                "never shared and are not listed.",
                name="hint",
            )
        )
        period = label("Which time", wrap=False)
        period.setBuddy(self.period_box)  # the label a screen reader says for it
        s1.addWidget(period)
        s1.addWidget(self.period_box)
        s1.addWidget(self.tree, 1)
        s1.addLayout(self._row(back, self.preview_button))
        self.steps.addWidget(step1)
        # 2. Preview
        self.preview = ReportView("Preview")
        self.to_send = button("Continue", primary=True)
        self.to_send.clicked.connect(lambda: self.steps.setCurrentIndex(2))
        back2 = button("Back")
        back2.clicked.connect(lambda: self.steps.setCurrentIndex(0))
        step2 = QWidget()
        s2 = QVBoxLayout(step2)
        s2.addWidget(label("This is exactly what your therapist will read", name="title"))
        s2.addWidget(self.preview, 1)
        s2.addLayout(self._row(back2, self.to_send))
        self.steps.addWidget(step2)
        # 3. How to protect it
        self.by_code = QRadioButton("A share code — six words you tell your therapist")
        self.by_key = QRadioButton("My therapist's key — nothing to tell")
        # A radio button's text does not wrap: short enough for a 1024-px screen.
        self.by_pdf = QRadioButton("Only a password-protected PDF")
        self.by_pdf.setAccessibleDescription("For a therapist who won't install anything")
        group = QButtonGroup(self)
        for radio in (self.by_code, self.by_key, self.by_pdf):
            group.addButton(radio)
        self.by_code.setChecked(True)
        # With a share code: whom it is for, so the therapist's workspace puts
        # the bundles for one name together (never required).
        self.recipient_name = QLineEdit()
        self.recipient_name.setAccessibleName("Who is it for?")
        self.recipient_name.setPlaceholderText("my therapist")
        self.recipient_name.setAccessibleDescription(
            "Optional. Bundles for the same name go together in your therapist's workspace"
        )
        self.recipient_label = label("Who is it for? (optional)", wrap=False)
        self.recipient_label.setBuddy(self.recipient_name)
        self.code_box = QWidget()
        cb = QHBoxLayout(self.code_box)
        cb.setContentsMargins(36, 0, 0, 0)
        cb.addWidget(self.recipient_label)
        cb.addWidget(self.recipient_name, 1)
        self.contacts = QComboBox()
        self.contacts.setAccessibleName("Therapist")
        self.new_key_name = QLineEdit()
        self.new_key_name.setAccessibleName("Therapist's name")
        self.new_key_name.setPlaceholderText("Therapist's name")
        self.new_key = QLineEdit()
        self.new_key.setAccessibleName("Therapist key")
        self.new_key.setPlaceholderText("age1… (paste the key your therapist gave you)")
        self.load_key = button("Load key from file…")
        self.load_key.clicked.connect(self.add_key_from_file)
        self.include_pdf = QCheckBox("Include a printable PDF in the bundle")
        self.include_pdf.setChecked(True)
        self.pdf_note = label(
            "A PDF's protection is only as strong as its password. Afterglow "
            "makes a long one; tell it the same careful way.",
            name="hint",
        )
        self.error = label("", name="error")
        self.error.setAccessibleName("Problem")
        self.save_button = button("Save bundle…", primary=True)
        self.save_button.clicked.connect(self._on_save)
        back3 = button("Back")
        back3.clicked.connect(lambda: self.steps.setCurrentIndex(1))
        self.key_box = QWidget()
        kb = QVBoxLayout(self.key_box)
        kb.setContentsMargins(36, 0, 0, 0)
        kb.addWidget(self.contacts)
        kb.addWidget(self.new_key_name)
        kb.addWidget(self.new_key)
        kb.addWidget(self.load_key)
        for radio in (self.by_code, self.by_key, self.by_pdf):
            radio.toggled.connect(self._update_method)
        # The choices scroll on a small screen; Back and Save stay in view.
        choices = QWidget()
        s3 = QVBoxLayout(choices)
        s3.setContentsMargins(0, 0, 0, 0)
        s3.addWidget(label("How should it be protected?", name="title"))
        s3.addWidget(self.by_code)
        s3.addWidget(self.code_box)
        s3.addWidget(self.by_key)
        s3.addWidget(self.key_box)
        s3.addWidget(self.by_pdf)
        s3.addWidget(self.pdf_note)
        s3.addWidget(self.include_pdf)
        s3.addWidget(self.error)
        s3.addStretch(1)
        step3 = QWidget()
        step3_layout = QVBoxLayout(step3)
        step3_layout.addWidget(scrolled(choices), 1)
        step3_layout.addLayout(self._row(back3, self.save_button))
        self.steps.addWidget(step3)
        # 4. Done
        self.done_title = label("", name="title")
        self.secret_label = label("", name="code")
        self.secret_label.setAccessibleName("Share code")
        self.secret_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.copy_button = button("Copy")
        self.done_note = label("", name="hint")
        self.finish_button = button("Done", primary=True)
        self.finish_button.clicked.connect(self.cancelled)
        step4 = QWidget()
        s4 = QVBoxLayout(step4)
        s4.addWidget(self.done_title)
        s4.addWidget(self.secret_label)
        s4.addWidget(self.copy_button)
        s4.addWidget(self.done_note)
        s4.addStretch(1)
        s4.addLayout(self._row(QWidget(), self.finish_button))
        self.steps.addWidget(step4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(self.steps)
        self._update_method()

    @staticmethod
    def _row(left: QWidget, right: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(left)
        row.addStretch(1)
        row.addWidget(right)
        return row

    # -- step 1 -------------------------------------------------------------------

    def start(self, last_export: datetime | None, contacts: list[Contact]) -> None:
        self.last_export = last_export
        self.period_box.clear()
        if last_export is not None:
            self.period_box.addItem(f"Since my last share ({last_export:%d %B %Y})", "last")
        self.period_box.addItem("Everything", "all")
        self.period_box.addItem("The last 30 days", "30")
        self.period_box.addItem("The last 90 days", "90")
        self.contacts.clear()
        for contact in contacts:
            self.contacts.addItem(f"{contact.name} ({contact.recipient[:12]}…)", contact)
        self.contacts.addItem("A new therapist key…", None)
        self.error.setText("")
        self.steps.setCurrentIndex(0)
        self._update_method()
        self._on_period()

    def _on_period(self, _index: int = 0) -> None:
        choice = self.period_box.currentData()
        now = datetime.now().astimezone()
        self.period = {
            "last": self.last_export,
            "all": None,
            "30": now - timedelta(days=30),
            "90": now - timedelta(days=90),
        }.get(str(choice))
        self.period_changed.emit(self.period)

    def show_offer(self, content: BundleContent) -> None:
        """Fill the tree with everything that may be shared, all ticked."""
        self.content = content
        self.tree.clear()
        sessions = {s.id: s for s in content.sessions}
        by_session: dict[int | None, list[object]] = {}
        for entry in content.entries:
            key = entry.session_id if entry.session_id in sessions else None
            by_session.setdefault(key, []).append(entry)
        for session in content.sessions:
            parent = _item(
                self.tree,
                f"Session of {session.started_at.astimezone():%d %B %Y} · {session.route.label}",
                "session",
                session.id,
            )
            self._add_entries(parent, by_session.get(session.id, []))
        if by_session.get(None):
            parent = _item(self.tree, "Other entries", "group", None)
            self._add_entries(parent, by_session[None])
        if content.checkins:
            parent = _item(self.tree, "Check-ins", "group", None)
            for c in content.checkins:
                band = f" · {c.band}" if c.band else ""
                _item(
                    parent,
                    f"{str(c.kind).upper()} {c.taken_at.astimezone():%d %b %Y}: "
                    f"{number(c.total)}{band}",
                    "checkin",
                    c.id,
                )
        if content.motifs:
            parent = _item(self.tree, "Images and metaphors", "group", None)
            for m in content.motifs:
                _item(parent, m.name, "motif", m.id)
        if content.attachments:
            parent = _item(self.tree, "Sketches, pictures and voice notes", "group", None)
            titles = {e.id: e.title or e.phase.label for e in content.entries}
            motifs = {m.id: f"“{m.name}”" for m in content.motifs}
            for a, _data in content.attachments:
                where = titles.get(a.entry_id) or motifs.get(a.motif_id)
                _item(parent, a.label + (f" · {where}" if where else ""), "attachment", a.id)
        self.tree.expandToDepth(0)
        empty = not (content.entries or content.sessions or content.checkins)
        self.preview_button.setEnabled(not empty)
        if empty:
            QTreeWidgetItem(self.tree, ["Nothing to share in this period."])

    def _add_entries(self, parent: QTreeWidgetItem, entries: list[object]) -> None:
        for entry in entries:
            item = _item(parent, entry.title or entry.phase.label, "entry", entry.id)  # type: ignore[attr-defined]
            for answer in entry.answers:  # type: ignore[attr-defined]
                text = answer.prompt_text or "Text"
                _item(item, text, "answer", answer.id)

    def selection(self) -> Selection:
        selection = Selection(period_from=self.period)
        for item in self._all_items():
            kind, ident, state = item.data(0, KIND_ROLE), item.data(0, ID_ROLE), item.checkState(0)
            included = state in (_CHECKED, _PARTIAL)
            if ident is None:
                continue
            if kind == "answer":
                if not included:
                    selection.excluded_answers.add(int(ident))
                continue
            if not included:
                continue
            target = {
                "session": selection.session_ids,
                "entry": selection.entry_ids,
                "checkin": selection.checkin_ids,
                "motif": selection.motif_ids,
                "attachment": selection.attachment_ids,
            }.get(str(kind))
            if target is not None:
                target.add(int(ident))
        return selection

    def _all_items(self) -> list[QTreeWidgetItem]:
        items: list[QTreeWidgetItem] = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            items.append(item)
            stack.extend(item.child(i) for i in range(item.childCount()))
        return items

    # -- steps 2 to 4 --------------------------------------------------------------

    def show_preview(self, html: str) -> None:
        # The therapist's report, in the patient's own (larger) type.
        app_size = QApplication.font().pointSizeF()
        self.preview.set_size(max(READING_PT, round(app_size * 0.8, 1)))
        self.preview.setHtml(html)
        self.steps.setCurrentIndex(1)
        self.to_send.setFocus()

    def _update_method(self) -> None:
        by_key = self.by_key.isChecked()
        self.key_box.setVisible(by_key)
        self.code_box.setVisible(self.by_code.isChecked())
        self.include_pdf.setVisible(not self.by_pdf.isChecked())
        self.pdf_note.setVisible(self.by_pdf.isChecked() or self.include_pdf.isChecked())
        self.save_button.setText("Save PDF…" if self.by_pdf.isChecked() else "Save bundle…")

    def choice(self) -> SendChoice:
        method = "key" if self.by_key.isChecked() else "pdf" if self.by_pdf.isChecked() else "code"
        contact = self.contacts.currentData() if method == "key" else None
        return SendChoice(
            method=method,
            contact=contact if isinstance(contact, Contact) else None,
            new_key_name=self.new_key_name.text(),
            new_key=self.new_key.text(),
            include_pdf=self.include_pdf.isChecked(),
            recipient_name=self.recipient_name.text().strip() if method == "code" else "",
        )

    def _on_save(self) -> None:
        choice = self.choice()
        if choice.method == "key" and choice.contact is None and not choice.new_key.strip():
            self.error.setText("Choose your therapist, or paste the key they gave you.")
            return
        self.error.setText("")
        self.save_requested.emit(self.selection(), choice)

    def show_error(self, message: str) -> None:
        self.error.setText(message)

    def show_done(self, method: str, secret: str, *, therapist: str = "") -> None:
        title, secret_name, note = {
            "code": (
                "Saved. Your share code:",
                "Share code",
                "Tell it to your therapist in person or by phone — not in the message that "
                "carries the file.",
            ),
            "pdf": (
                "Saved. The PDF's password:",
                "PDF password",
                "The PDF is only as safe as this password. Tell it in person or by phone, "
                "never with the file.",
            ),
            "key": (
                "Saved.",
                "",
                f"Only {therapist or 'your therapist'}'s key opens this file; you can send it "
                "the way you usually send files.",
            ),
        }[method]
        self.done_title.setText(title)
        self.secret_label.setText(secret if secret_name else "")
        self.secret_label.setAccessibleName(secret_name)
        self.secret_label.setVisible(bool(self.secret_label.text()))
        self.copy_button.setVisible(bool(self.secret_label.text()))
        self.done_note.setText(note)
        self.steps.setCurrentIndex(3)
        self.finish_button.setFocus()

    def clear(self) -> None:
        self.tree.clear()
        self.preview.clear()
        self.secret_label.setText("")
        self.new_key.clear()
        self.new_key_name.clear()
        self.recipient_name.clear()
        self.content = None
        self.steps.setCurrentIndex(0)
