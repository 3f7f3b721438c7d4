"""Bringing in a journal from another app, one step at a time on one page:
choose a file or folder → (the export's passphrase, if it has one) → what
was found → importing, with Cancel → what came in. Nothing is written until
"Import" is pressed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from journal.ui.widgets import (
    announce,
    button,
    centered_column,
    fill_with_actions,
    label,
    passphrase_field,
)

SOURCES_TEXT = (
    "Afterglow can bring in entries from Day One (its JSON export, a .zip), jrnl "
    "(jrnl --export json), Mini Diary (JSON), a folder of Markdown files (such as "
    "Obsidian daily notes), and sessions from Afterflow (CSV) — or take back its own "
    "export of everything. You will see what was found before anything is added."
)


class ImportPage(QWidget):
    """Signals: ``choose_file``, ``choose_folder``, ``passphrase_given(str)``,
    ``confirmed(bool tags_as_motifs)``, ``cancel`` (any step), ``finished``."""

    choose_file = Signal()
    choose_folder = Signal()
    passphrase_given = Signal(str)
    confirmed = Signal(bool)
    cancel = Signal()
    finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.heading = label("Bring in your journal", name="title")
        self.message = label("", name="error")
        self.message.setAccessibleName("Import message")
        self.message.hide()
        self.steps = QStackedWidget()

        # choose
        self.file_button = button("Choose a file…", primary=True)
        self.file_button.clicked.connect(self.choose_file)
        self.folder_button = button("Choose a folder…")
        self.folder_button.clicked.connect(self.choose_folder)
        choose = self._step(label(SOURCES_TEXT))

        # reading / importing
        self.working_text = label("", name="hint")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Import progress")
        self.progress.setTextVisible(False)
        working = self._step(self.working_text, self.progress)

        # the export's passphrase
        self.passphrase = passphrase_field("Passphrase of the export")
        self.passphrase.returnPressed.connect(self._give_passphrase)
        self.open_button = button("Open the export", primary=True)
        self.open_button.clicked.connect(self._give_passphrase)
        asking = self._step(
            label(
                "This is an encrypted Afterglow export. Type the passphrase you chose when "
                "you exported it."
            ),
            self.passphrase,
        )

        # what was found
        self.found = label("")
        self.found.setAccessibleName("What was found")
        self.tags = QCheckBox("Make the entries' tags into motifs (of the kind “other”)")
        self.tags.setAccessibleName("Make the entries' tags into motifs")
        self.import_button = button("Import", primary=True)
        self.import_button.clicked.connect(lambda: self.confirmed.emit(self.tags.isChecked()))
        preview = self._step(
            label("Nothing has been added yet.", name="hint"),
            self.found,
            self.tags,
        )

        # done
        self.result = label("")
        self.result.setAccessibleName("What was imported")
        self.home_button = button("Go to my journal", primary=True)
        self.home_button.clicked.connect(self.finished)
        done = self._step(self.result)

        self._choose, self._working, self._asking, self._preview, self._done = (
            choose,
            working,
            asking,
            preview,
            done,
        )
        self.cancel_button = button("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        column = centered_column(self.heading, self.message, self.steps, max_width=900)
        # Each step's own action sits in the row that stays in view, beside Cancel.
        self._actions = {
            choose: (self.folder_button, self.file_button),
            working: (),
            asking: (self.open_button,),
            preview: (self.import_button,),
            done: (self.home_button,),
        }
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        for control in (
            self.folder_button,
            self.file_button,
            self.open_button,
            self.import_button,
            self.home_button,
        ):
            row.addWidget(control)
        fill_with_actions(self, column, holder)
        self.show_choose()

    def _step(self, *widgets: QWidget) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(18)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        self.steps.addWidget(page)
        return page

    def _go(self, step: QWidget, focus: QWidget | None) -> None:
        self.steps.setCurrentWidget(step)
        self.cancel_button.setVisible(step is not self._done)
        shown = self._actions[step]
        for controls in self._actions.values():
            for control in controls:
                control.setVisible(control in shown)
        if focus is not None:
            focus.setFocus()

    # -- what the flow shows -------------------------------------------------------

    def show_choose(self, error: str = "") -> None:
        self.show_error(error)
        self.heading.setText("Bring in your journal")
        self._go(self._choose, self.file_button)

    def show_working(self, text: str) -> None:
        self.show_error("")
        self.working_text.setText(text)
        self.progress.setRange(0, 0)  # busy until the first figure comes
        self._go(self._working, self.cancel_button)

    def show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress.setAccessibleDescription(f"{done} of {total}")

    def ask_passphrase(self, error: str = "") -> None:
        self.show_error(error)
        self.passphrase.clear()
        self._go(self._asking, self.passphrase)

    def show_preview(self, lines: list[str], *, has_tags: bool) -> None:
        self.show_error("")
        self.heading.setText("What Afterglow found")
        self.found.setText("\n\n".join(lines))
        self.tags.setChecked(False)
        self.tags.setVisible(has_tags)
        self._go(self._preview, self.import_button)

    def show_done(self, sentence: str) -> None:
        self.show_error("")
        self.heading.setText("Imported")
        self.result.setText(sentence + "\n\nImported entries show where they came from.")
        self._go(self._done, self.home_button)

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        if text:
            announce(self.message)

    def clear(self) -> None:
        self.passphrase.clear()
        self.found.clear()
        self.result.clear()
        self.show_choose()

    def _give_passphrase(self) -> None:
        text = self.passphrase.text()
        self.passphrase.clear()
        if text:
            self.passphrase_given.emit(text)
