"""File → Import from another journal…: read the chosen file or folder off
the GUI thread, show what was found, then store it on the vault thread in
one transaction, with progress and Cancel (a cancelled import keeps nothing).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from journal.core.errors import ImportCancelled, WrongPassphrase
from journal.ui import dialogs
from journal.ui.pages.import_page import ImportPage
from journal.ui.shell import Shell

if TYPE_CHECKING:
    from journal.core.imports.apply import ImportResult, Preview
    from journal.core.imports.plan import ImportPlan
    from journal.core.vault.vault import Vault

FILE_FILTER = "Journal exports (*.zip *.json *.csv *.md *.markdown *.age);;All files (*)"


class _Progress(QObject):
    """Carries progress from the vault thread to the page (a queued signal)."""

    moved = Signal(int, int)


class ImportFlow(QObject):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.page = ImportPage()
        self._path: Path | None = None
        self._plan: ImportPlan | None = None
        self._cancel = threading.Event()
        self._busy = False
        self._progress = _Progress(self)
        self._progress.moved.connect(self.page.show_progress)
        self.page.choose_file.connect(self._choose_file)
        self.page.choose_folder.connect(self._choose_folder)
        self.page.passphrase_given.connect(self._read_encrypted)
        self.page.confirmed.connect(self._import)
        self.page.cancel.connect(self._cancel_step)
        self.page.finished.connect(shell.go_home)

    def pages(self) -> dict[str, QWidget]:
        return {"import": self.page}

    def clear(self) -> None:
        self._cancel.set()  # an import under way stops and keeps nothing
        self._plan = None
        self._path = None
        self.page.clear()

    # -- steps ---------------------------------------------------------------------

    def start(self) -> None:
        if not self.shell.unlocked:
            return
        self._plan = None
        self.page.show_choose()
        self.shell.show_page("import")

    def _choose_file(self) -> None:
        path = dialogs.open_file_name(self.shell.widget, "Import which file?", FILE_FILTER)
        if path is not None:
            self._read(path)

    def _choose_folder(self) -> None:
        path = dialogs.existing_directory(self.shell.widget, "Import which folder?")
        if path is not None:
            self._read(path)

    def _read(self, path: Path, passphrase: str | None = None) -> None:
        from journal.core.imports import afterglow, sources

        self._path = path
        self._cancel = threading.Event()
        cancel = self._cancel
        self.page.show_working(f"Reading {path.name}…")

        def read() -> ImportPlan:
            return sources.read(path, passphrase=passphrase)

        def failed(error: BaseException) -> None:
            if cancel.is_set():
                return
            if isinstance(error, afterglow.PassphraseNeeded):
                self.page.ask_passphrase()
            elif isinstance(error, WrongPassphrase):
                self.page.ask_passphrase(error.message)
            else:
                self.shell.show_failure(
                    error,
                    self.page.show_choose,
                    bug_text="Afterglow hit a bug while reading that file; nothing was changed.",
                )

        def read_done(plan: ImportPlan) -> None:
            if not cancel.is_set():
                self._preview(plan)

        self.shell.run(read, read_done, failed)

    def _read_encrypted(self, passphrase: str) -> None:
        if self._path is not None:
            self._read(self._path, passphrase)

    def _preview(self, plan: ImportPlan) -> None:
        from journal.core.imports import apply

        self._plan = plan

        def shown(preview: Preview) -> None:
            if self._plan is plan:
                has_tags = any(e.tags for e in plan.all_entries())
                self.page.show_preview(preview.lines(), has_tags=has_tags)

        self.shell.submit(lambda vault: apply.preview(vault, plan), shown, self._failed)

    def _import(self, tags_as_motifs: bool) -> None:
        from journal.core.imports import apply

        plan = self._plan
        if plan is None or self._busy:
            return
        self._cancel = threading.Event()
        cancel = self._cancel
        moved = self._progress.moved
        self._busy = True
        self.page.show_working("Importing… Nothing is kept until all of it is in.")

        def store(vault: Vault) -> ImportResult:
            return apply.apply(
                vault,
                plan,
                tags_as_motifs=tags_as_motifs,
                progress=lambda done, total: moved.emit(done, total),
                cancelled=cancel.is_set,
            )

        def done(result: ImportResult) -> None:
            self._busy = False
            self._plan = None
            self.page.show_done(result.sentence())
            self.shell.status("Import finished.")

        def failed(error: BaseException) -> None:
            self._busy = False
            if isinstance(error, ImportCancelled):
                self.page.show_choose(error.message)
                return
            self._failed(error)

        self.shell.submit(store, done, failed)

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.shell.show_failure(
            error,
            self.page.show_choose,
            bug_text="Afterglow hit a bug while importing; nothing was changed.",
        )

    def _cancel_step(self) -> None:
        self._cancel.set()
        if self._busy:
            self.page.working_text.setText("Cancelling… nothing of this import is kept.")
            return
        self._plan = None
        self.shell.go_home()
