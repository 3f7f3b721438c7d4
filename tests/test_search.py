from __future__ import annotations

import time
from datetime import datetime

import pytest

from journal.core.model import Answer, Entry, Motif, Session
from journal.core.vault import vault as vaults
from journal.core.vault.repositories import search
from journal.core.vault.repositories.search import match_expression, query_terms


def _entry(vault: vaults.Vault, text: str, title: str = "") -> int:
    entry = vault.entries.add(Entry(title=title, answers=[Answer("text", "Prompt", text=text)]))
    assert entry.id is not None
    return entry.id


def test_ranked_best_match_first(vault: vaults.Vault) -> None:
    weak = _entry(
        vault,
        "On the way home I saw the sea for a moment, then traffic, "
        "shops, a long road, rain on the windows, a bus and more traffic.",
    )
    strong = _entry(vault, "The sea. The sea was everywhere, the sea was me.")
    titled = _entry(vault, "Nothing much happened.", title="Sea")
    ranked = [h.entry_id for h in vault.search("sea")]
    assert ranked[0] == titled  # a title match weighs more
    assert ranked.index(strong) < ranked.index(weak)


def test_snippet_highlights_the_matched_words(vault: vaults.Vault) -> None:
    _entry(vault, "I was floating above a violet ocean and heard my grandmother laugh.")
    (hit,) = vault.search("violet oce")
    highlighted = [p.text for p in hit.snippet if p.highlighted]
    assert highlighted == ["violet", "ocean"]
    assert "floating above a violet ocean" in hit.snippet_text
    assert hit.kind == "answer" and hit.label == "Prompt"


def test_prefix_matching_for_search_as_you_type(vault: vaults.Vault) -> None:
    entry_id = _entry(vault, "kaleidoscope")
    for typed in ("ka", "kal", "kalei", "kaleidoscope"):
        assert [h.entry_id for h in vault.search(typed)] == [entry_id]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Un océan de lumière", "ocean lumiere"),
        ("Un ocean de lumiere", "océan lumière"),
        ("Große Wärme im Bauch", "grosse"[:3] + " warme"),
        ("ÇA VA", "ca va"),
    ],
)
def test_diacritics_and_case_insensitive(vault: vaults.Vault, stored: str, typed: str) -> None:
    entry_id = _entry(vault, stored)
    assert [h.entry_id for h in vault.search(typed)] == [entry_id]


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        '""',
        "*",
        "AND",
        "OR NOT",
        "NEAR(a b)",
        "title:door",
        "^door",
        "door)",
        "(",
        "a -b",
        "{title}: x",
        "'; DROP TABLE entries; --",
        "\x00",
        "   ",
        "…",
        "🙂",
    ],
)
def test_query_syntax_never_reaches_fts(vault: vaults.Vault, hostile: str) -> None:
    _entry(vault, "a door and a window")
    vault.search(hostile)  # must not raise
    assert vault.entries.count() == 1


def test_query_terms_split_like_the_index() -> None:
    assert query_terms("door-in the_sea, 'blue'!") == ["door", "in", "the", "sea", "blue"]
    assert match_expression("  ...  ") is None
    assert match_expression('a"b') == '"a"* "b"*'


def test_emoji_are_found_and_separate_words(vault: vaults.Vault) -> None:
    """Emoji are searchable (issue: "emoji are not searchable"), alone or with
    words, and still separate the words beside them."""
    entry_id = _entry(vault, "it felt like🌊everywhere")
    other = _entry(vault, "a quiet 🌙 night")
    (hit,) = vault.search("🌊")
    assert hit.entry_id == entry_id
    assert [p.text for p in hit.snippet if p.highlighted] == ["🌊"]
    assert [h.entry_id for h in vault.search("like 🌊 everywhere")] == [entry_id]
    assert [h.entry_id for h in vault.search("every")] == [entry_id]
    assert [h.entry_id for h in vault.search("night 🌙")] == [other]
    assert vault.search("night 🌊") == []


def test_a_nul_or_an_escape_never_cuts_or_colours_a_snippet(vault: vaults.Vault) -> None:
    _entry(vault, "before\x00after the door \x1b[31mred\x1b[0m end")
    (hit,) = vault.search("door")
    assert "after the door" in hit.snippet_text
    assert "\x00" not in hit.snippet_text and "\x1b" not in hit.snippet_text
    assert "red" in hit.snippet_text


def _search_seconds(vault: vaults.Vault, query: str) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        hits = vault.search(query)
        times.append(time.perf_counter() - start)
        assert len(hits) == 1
    return sorted(times)[1]


def test_search_is_linear_in_an_entry_with_many_matches(vault: vaults.Vault) -> None:
    """A 2 MB entry with a word 100,000 times costs about what a 2 MB entry with
    it once does (FTS5's own snippet() took ~50 s on the first)."""
    many = "lantern " * 100_000 + "x" * (2_000_000 - 800_000)
    once = "lantern " + "y" * (2_000_000 - 8)
    _entry(vault, many, title="many")
    _entry(vault, once.replace("lantern", "beacon"), title="once")
    slow, fast = _search_seconds(vault, "lantern"), _search_seconds(vault, "beacon")
    assert slow < 10 * fast + 0.05, (slow, fast)


def test_motifs_and_sessions_are_searched(vault: vaults.Vault) -> None:
    vault.motifs.add(Motif("a lighthouse", feeling="safe", meaning="someone watching over me"))
    session = vault.sessions.add(
        Session(
            started_at=datetime(2026, 11, 2, 10).astimezone(),
            intention="meet the lighthouse keeper",
            setting="Harbour clinic",
        )
    )
    kinds = {h.kind for h in vault.search("lighthouse")}
    assert kinds == {"motif", "session"}
    (hit,) = vault.search("harbour")
    assert (hit.kind, hit.ref_id, hit.entry_id) == ("session", session.id, None)
    assert hit.label == "Session of 02 November 2026"
    assert vault.search("watching")[0].label == "a lighthouse"


def test_index_follows_updates_and_deletes(vault: vaults.Vault) -> None:
    entry = vault.entries.add(Entry(answers=[Answer("text", "", text="a red balloon")]))
    entry.answers[0].text = "a blue kite"
    vault.entries.update(entry)
    assert vault.search("balloon") == []
    assert [h.entry_id for h in vault.search("kite")] == [entry.id]
    vault.entries.delete(entry.id)  # type: ignore[arg-type]
    assert vault.search("kite") == []


def test_limit(vault: vaults.Vault) -> None:
    for i in range(30):
        _entry(vault, f"river number {i}")
    assert len(vault.search("river", limit=5)) == 5
    assert vault.search("river", limit=0) == []


def test_labels_say_where_the_match_is(vault: vaults.Vault) -> None:
    vault.entries.add(
        Entry(title="Morning", answers=[Answer("k", "How do you feel?", text="mist")])
    )
    vault.entries.add(Entry(answers=[Answer("k", "", text="fog")]))
    assert vault.search("mist")[0].label == "Morning — How do you feel?"
    assert vault.search("fog")[0].label == "Untitled entry"


def test_labels_are_read_from_covering_indexes(
    vault: vaults.Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not from the entries' and answers' rows: what search as you type reads
    stays small enough to keep in the page cache beside what opening entries
    reads (no page decrypted twice)."""
    vault.entries.add(Entry(title="Morning", answers=[Answer("k", "Feel?", text="mist")]))
    made: list[tuple[str, object]] = []
    scalar = vault.db.scalar

    def recording(sql: str, params: object = ()) -> object:
        made.append((sql, params))
        return scalar(sql, params)  # type: ignore[arg-type]

    monkeypatch.setattr(vault.db, "scalar", recording)
    assert vault.search("mist")[0].label == "Morning — Feel?"
    monkeypatch.undo()
    labels = [(sql, params) for sql, params in made if "count(*)" not in sql]
    assert len(labels) == 2
    for sql, params in labels:
        (plan,) = [r[3] for r in vault.db.query(f"EXPLAIN QUERY PLAN {sql}", params)]  # type: ignore[arg-type]
        assert "USING COVERING INDEX" in plan, plan


def test_broad_queries_list_the_newest_matches_first(
    vault: vaults.Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ranking every match of a very broad query is what made typing the first
    letters slow; past the bound the newest come first, and narrowing ranks again."""
    monkeypatch.setattr(search, "BROAD_QUERY_MATCHES", 4)
    texts = [
        "door door door door door window",  # the best match for "door", written first
        "a door",
        "another door",
        "the door again",
        "door, at last",
    ]
    ids = [
        vault.entries.add(Entry(title=f"e{n}", answers=[Answer("t", "", text=t)])).id
        for n, t in enumerate(texts)
    ]
    broad = vault.search("door")
    assert [h.entry_id for h in broad] == list(reversed(ids))  # five matches: newest first
    narrow = vault.search("door window")
    assert [h.entry_id for h in narrow] == [ids[0]]
    monkeypatch.setattr(search, "BROAD_QUERY_MATCHES", 50)
    assert vault.search("door")[0].entry_id == ids[0]  # ranked: most doors first
