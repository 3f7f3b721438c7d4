"""Conflicts described for the window, and decided: two real vaults, a real folder."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from journal.core.sync import conflicts, engine, joining
from journal.core.vault.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.sync_devices import entry


def _conflicting(tmp_path: Path, vault: Vault) -> tuple[Vault, int]:
    """Two computers that both rewrote the first answer and the title."""
    shared = tmp_path / "Sync"
    shared.mkdir()
    made = vault.entries.add(entry("By the sea", "the waves"))
    assert made.id is not None
    joining.setup(vault, shared, device_name="Laptop", passphrase=PASSPHRASE, kdf=FAST_KDF)
    other, _ = joining.join(shared, tmp_path / "home" / "j.vault", PASSPHRASE, device_name="Home")
    here = vault.entries.get(made.id)
    here.answers[0] = replace(here.answers[0], text="written on the laptop")
    vault.entries.update(replace(here, title="Laptop title"))
    (there,) = other.entries.all()
    there.answers[0] = replace(there.answers[0], text="written at home")
    other.entries.update(replace(there, title="Home title"))
    engine.sync_now(vault)
    engine.sync_now(other)
    engine.sync_now(vault)
    return other, made.id


def test_conflicts_name_their_entry_and_prompt(tmp_path: Path, vault: Vault) -> None:
    other, entry_id = _conflicting(tmp_path, vault)
    try:
        found = {c.table: c for c in conflicts.pending(vault.db)}
        assert set(found) == {"answers", "entries"}
        answer = found["answers"]
        assert answer.entry_id == entry_id
        assert answer.what == "Prompt 0"
        assert answer.field == "body"
        assert sorted(map(str, answer.versions)) == ["written at home", "written on the laptop"]
        title = found["entries"]
        assert (title.entry_id, title.what) == (entry_id, "The entry's title")
        assert title.where in {"Laptop title", "Home title"}
        assert conflicts.pending(other.db) != []
    finally:
        other.close()


def test_deciding_ends_the_conflict_on_both(tmp_path: Path, vault: Vault) -> None:
    other, entry_id = _conflicting(tmp_path, vault)
    try:
        for conflict in conflicts.pending(vault.db):
            keep = next(v for v in conflict.versions if "home" in str(v).lower())
            conflicts.decide(vault.db, conflict, keep)
        assert conflicts.pending(vault.db) == []
        engine.sync_now(vault)
        engine.sync_now(other)
        assert conflicts.pending(other.db) == []
        got = other.entries.get(other.entries.all()[0].id or 0)
        assert (got.title, got.answers[0].text) == ("Home title", "written at home")
        assert vault.entries.get(entry_id).answers[0].text == "written at home"
    finally:
        other.close()


def test_only_a_shown_version_can_be_kept(tmp_path: Path, vault: Vault) -> None:
    other, _ = _conflicting(tmp_path, vault)
    try:
        conflict = conflicts.pending(vault.db)[0]
        with pytest.raises(ValueError):
            conflicts.decide(vault.db, conflict, "something else")
    finally:
        other.close()


def test_no_conflicts_when_nothing_clashed(vault: Vault) -> None:
    assert conflicts.pending(vault.db) == []
