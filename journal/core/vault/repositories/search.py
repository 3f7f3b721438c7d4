"""Full-text search over the vault (FTS5): ranked, with highlighted snippets.

The person's words are never passed to FTS5 as query syntax: the query is
split into words the way the index splits text, each word is quoted and
matched as a prefix (search as you type), and all words must match. Symbols
such as emoji, which the index treats as spaces, must appear as they were
typed (matched in the passages the words found, or — a query of emoji only —
in every passage). Snippets are built in one pass (`snippets`).
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from journal.core.text import unstamp
from journal.core.vault.db import Database
from journal.core.vault.repositories import snippets
from journal.core.vault.repositories.snippets import SnippetPart
from journal.core.vault.schema import FTS_KINDS, FTS_ROWID_FACTOR

_MAX_TERMS = 16
# From this many matching passages on, a query is "broad": newest first, unranked.
BROAD_QUERY_MATCHES = 2000
_KIND_BY_CODE = {code: kind for kind, (code, *_rest) in FTS_KINDS.items()}


class SearchHit(NamedTuple):
    """One match: ``kind`` is "entry", "answer", "motif" or "session";
    ``ref_id`` the id in that kind's table; ``entry_id`` the entry to open
    (None for motifs and sessions); ``label`` says where the match is."""

    kind: str
    ref_id: int
    entry_id: int | None
    label: str
    snippet: tuple[SnippetPart, ...]

    @property
    def snippet_text(self) -> str:
        return "".join(part.text for part in self.snippet)


def query_terms(query: str) -> list[str]:
    """Split typed text into words as FTS5's unicode61 tokenizer does: letters,
    digits and marks make words; everything else (spaces, punctuation,
    symbols such as emoji) separates them."""
    terms: list[str] = []
    current: list[str] = []
    for char in unicodedata.normalize("NFC", query):
        if unicodedata.category(char)[0] not in "LNM" and unicodedata.category(char) != "Co":
            if current:
                terms.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        terms.append("".join(current))
    return terms[:_MAX_TERMS]


def query_symbols(query: str) -> list[str]:
    """The symbols typed (emoji and the like), each one on its own."""
    found: list[str] = []
    for char in query:
        if unicodedata.category(char) == "So" and char not in found:
            found.append(char)
    return found[:_MAX_TERMS]


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for typed text, or None when there is nothing
    to search for. Every word is quoted, so no FTS5 syntax gets through."""
    terms = query_terms(query)
    if not terms:
        return None
    return " ".join(f'"{term}"*' for term in terms)


class SearchRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def __call__(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """Best matches first (newest first when a query matches more than
        `BROAD_QUERY_MATCHES` passages). An empty or punctuation-only query
        finds nothing."""
        expression = match_expression(query)
        symbols = query_symbols(query)
        if (expression is None and not symbols) or limit <= 0:
            return []
        contains = "".join(" AND instr(title || ' ' || body, ?) > 0" for _ in symbols)
        if expression is None:  # only symbols: every passage is looked at, newest first
            rows = self._db.query(
                "SELECT rowid, entry_id, title, body FROM search_index "
                f"WHERE 1{contains} ORDER BY rowid DESC LIMIT ?",
                (*symbols, limit),
            )
        else:
            rows = self._db.query(
                "SELECT rowid, entry_id, title, body FROM search_index "
                f"WHERE search_index MATCH ?{contains} ORDER BY {self._order(expression)} LIMIT ?",
                (expression, *symbols, limit),
            )
        pattern = snippets.matcher(query_terms(query), symbols)
        hits = []
        for row in rows:
            ref_id, code = divmod(int(row["rowid"]), FTS_ROWID_FACTOR)
            kind = _KIND_BY_CODE[code]
            entry_id = None if row["entry_id"] is None else int(row["entry_id"])
            title, body = str(row["title"] or ""), str(row["body"] or "")
            text = (
                title
                if pattern is not None and pattern.search(unicodedata.normalize("NFD", title))
                else (body or title)
            )
            hits.append(
                SearchHit(
                    kind,
                    ref_id,
                    entry_id,
                    self._label(kind, ref_id, entry_id),
                    snippets.build(text, pattern),
                )
            )
        return hits

    def _order(self, expression: str) -> str:
        """Best first; newest first when the query is broad.

        BM25 must score every match before the best are known, so its cost
        grows with the number of matches (50–80 ms for 40,000 of them).
        Counting up to a bound is cheap; a query that broad — typically the
        first two letters typed — gets the newest matches instead, at once.
        One more letter or word narrows it, and ranking returns."""
        matches = self._db.scalar(
            "SELECT count(*) FROM (SELECT rowid FROM search_index "
            "WHERE search_index MATCH ? LIMIT ?)",
            (expression, BROAD_QUERY_MATCHES),
        )
        if int(matches or 0) >= BROAD_QUERY_MATCHES:
            return "rowid DESC"
        return "bm25(search_index, 0.0, 3.0, 1.0)"

    def _label(self, kind: str, ref_id: int, entry_id: int | None) -> str:
        if kind == "motif":
            return str(self._db.scalar("SELECT name FROM motifs WHERE id = ?", (ref_id,)) or "")
        if kind == "session":
            started = unstamp(
                self._db.scalar("SELECT started_at FROM sessions WHERE id = ?", (ref_id,))
            )
            return f"Session of {started:%d %B %Y}" if started else "Session"
        # Named: the planner would read the whole row by its id (schema v12).
        title = (
            self._db.scalar(
                "SELECT title FROM entries INDEXED BY entries_label WHERE id = ?", (entry_id,)
            )
            or ""
        )
        prompt = ""
        if kind == "answer":
            prompt = self._db.scalar(
                "SELECT prompt_text FROM answers INDEXED BY answers_label WHERE id = ?", (ref_id,)
            )
        if title and prompt:
            return f"{title} — {prompt}"
        return str(title or prompt or "Untitled entry")
