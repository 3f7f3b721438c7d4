"""Search as you type: each keystroke's query runs on the vault thread;
results that arrive after a newer query are dropped by the page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from journal.core.vault.repositories.search import query_terms
from journal.ui.pages.search import SearchPage
from journal.ui.shell import Shell

if TYPE_CHECKING:
    from journal.core.vault.repositories.search import SearchHit

RESULTS = 50


class SearchFlow(QObject):
    """Owns the search page; a chosen result opens its entry or the motifs."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.page = SearchPage()
        self.page.query_changed.connect(self._on_query)
        self.page.open_hit.connect(self._on_open_hit)

    def pages(self) -> dict[str, QWidget]:
        return {"search": self.page}

    def clear(self) -> None:
        self.page.clear()

    def go_search(self) -> None:
        if not self.shell.unlocked:
            return
        self.shell.show_page("search")
        self.page.focus_field()

    def _on_query(self, query: str) -> None:
        sequence = self.page.next_sequence()
        self.shell.submit(
            lambda vault: vault.search(query, limit=RESULTS),
            lambda hits: self.page.show_results(sequence, query, hits),
        )

    def _on_open_hit(self, hit: SearchHit) -> None:
        if hit.entry_id is not None:
            self.shell.open_entry(hit.entry_id, highlight=query_terms(self.page.field.text()))
        elif hit.kind == "motif":
            self.shell.go_motifs()
        else:
            self.shell.go_home()
