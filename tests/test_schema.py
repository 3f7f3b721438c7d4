"""Migrations: from the first schema, one transaction each, never downgrade."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal.core.model import Answer, Entry
from journal.core.vault import schema
from journal.core.vault import vault as vaults
from journal.core.vault.db import Database
from tests.conftest import FAST_KDF, PASSPHRASE


def _tables(db: Database) -> set[str]:
    return {r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type IN ('table')")}


def test_new_vault_is_at_the_latest_version(vault: vaults.Vault) -> None:
    assert vault.db.pragma("user_version") == schema.LATEST
    assert {
        "sessions",
        "entries",
        "answers",
        "motifs",
        "motif_links",
        "attachments",
        "checkins",
        "templates",
        "drafts",
        "search_index",
    } <= _tables(vault.db)


def test_migrating_a_first_schema_vault_indexes_its_existing_text(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Build a vault that stopped at schema 1 (before search existed) ...
    monkeypatch.setattr(schema, "LATEST", 1)
    original = schema.migrate
    monkeypatch.setattr(schema, "migrate", lambda db, target=1: original(db, target=1))
    vault, _ = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    assert vault.db.pragma("user_version") == 1
    assert "search_index" not in _tables(vault.db)
    vault.db.execute(
        "INSERT INTO entries (id, phase, title, created_at, updated_at) "
        "VALUES (1, 'free', 'Old title', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')"
    )
    vault.db.execute(
        "INSERT INTO answers (entry_id, position, prompt_key, prompt_text, body) "
        "VALUES (1, 0, 'text', '', 'a lighthouse in fog')"
    )
    vault.close()
    monkeypatch.undo()
    # ... and open it with the current app.
    with vaults.unlock(vault_path, PASSPHRASE) as upgraded:
        assert upgraded.db.pragma("user_version") == schema.LATEST
        hits = upgraded.search("lighthouse")
        assert [(h.kind, h.entry_id) for h in hits] == [("answer", 1)]
        assert upgraded.search("old tit")[0].kind == "entry"
        # Schema 4 keeps each entry's preview; the upgrade fills it in.
        assert upgraded.entries.summaries()[0].preview == "a lighthouse in fog"


def test_the_preview_follows_the_answers(vault: vaults.Vault) -> None:
    def preview(entry_id: int) -> str:
        return next(s.preview_line for s in vault.entries.summaries() if s.id == entry_id)

    entry = vault.entries.add(
        Entry(answers=[Answer("a", "", text=""), Answer("b", "", text="second   answer")])
    )
    assert entry.id is not None
    assert preview(entry.id) == "second answer"  # the first answer with text
    entry.answers[0].text = "now the first has words"
    vault.entries.update(entry)
    assert preview(entry.id) == "now the first has words"
    entry.answers = []
    vault.entries.update(entry)
    assert preview(entry.id) == ""
    # Keeping the preview never touches the search index's copy of the title.
    assert vault.search("words") == []


def test_a_failing_migration_leaves_the_previous_version(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = schema.migrate
    monkeypatch.setattr(schema, "migrate", lambda db, target=1: original(db, target=1))
    vault, _ = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    vault.close()
    monkeypatch.undo()
    broken = [*schema.MIGRATIONS[1], "CREATE TABLE oops (x"]
    monkeypatch.setattr(schema, "MIGRATIONS", [schema.MIGRATIONS[0], broken])
    with pytest.raises(Exception, match=r"syntax|incomplete"):
        vaults.unlock(vault_path, PASSPHRASE)
    monkeypatch.undo()
    monkeypatch.setattr(schema, "LATEST", 1)
    monkeypatch.setattr(schema, "migrate", lambda db, target=1: original(db, target=1))
    with vaults.unlock(vault_path, PASSPHRASE) as again:
        assert again.db.pragma("user_version") == 1
        assert "search_index" not in _tables(again.db)
