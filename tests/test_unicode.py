"""Odd Unicode and very long texts round-trip, or are refused clearly."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.core.errors import InvalidInput
from journal.core.model import Answer, Entry, Motif
from journal.core.text import MAX_TEXT_CHARS
from journal.core.vault import vault as vaults
from tests.conftest import PASSPHRASE

ODD = [
    "emoji 🌊🫧👁️‍🗨️ and flags 🇮🇪",
    "עברית מימין לשמאל with English",
    "العربية ‏RTL‏ mark",
    "Zalgo: z̸̡̛a̵͖̍l̷̼͋g̴̱̈o̵̞͆",
    "combining e\u0301 vs é",
    "NUL\x00inside\x00text",
    "zero\u200bwidth\u200djoiner\ufeffBOM",
    "\U0010fffd private use plane",
    "line\r\nbreaks\rand\ttabs",
]


@pytest.mark.parametrize("text", ODD)
def test_odd_unicode_round_trips(vault: vaults.Vault, text: str) -> None:
    entry = vault.entries.add(Entry(title=text, answers=[Answer("k", text, text=text)]))
    motif = vault.motifs.add(Motif(text.replace("\x00", "") or "x", feeling=text))
    path = vault.paths.database
    vault.close()
    with vaults.unlock(path, PASSPHRASE) as again:
        loaded = again.entries.get(entry.id)  # type: ignore[arg-type]
        assert loaded.title == text
        assert loaded.answers[0].text == text
        assert loaded.answers[0].prompt_text == text
        assert again.motifs.get(motif.id).feeling == text  # type: ignore[arg-type]


def test_one_megabyte_entry_round_trips_and_is_searchable(vault: vaults.Vault) -> None:
    text = ("word " * 200_000) + "needle"
    assert len(text) > 1_000_000
    entry = vault.entries.add(Entry(answers=[Answer("k", "", text=text)]))
    assert vault.entries.get(entry.id).text == text  # type: ignore[arg-type]
    assert [h.entry_id for h in vault.search("needle")] == [entry.id]


def test_oversized_text_is_refused_clearly(vault: vaults.Vault) -> None:
    with pytest.raises(InvalidInput, match="too long"):
        vault.entries.add(Entry(answers=[Answer("k", "", text="x" * (MAX_TEXT_CHARS + 1))]))
    assert vault.entries.count() == 0


def test_broken_surrogates_are_refused_clearly(vault: vaults.Vault) -> None:
    with pytest.raises(InvalidInput, match="broken characters"):
        vault.entries.add(Entry(answers=[Answer("k", "", text="half \ud83c a pair")]))
    assert vault.entries.count() == 0


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300))
def test_any_text_round_trips_and_search_never_fails(vault: vaults.Vault, text: str) -> None:
    entry = vault.entries.add(Entry(answers=[Answer("k", "", text=text)]))
    assert vault.entries.get(entry.id).text == text  # type: ignore[arg-type]
    vault.search(text)
    vault.search(text[:5])
