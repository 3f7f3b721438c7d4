"""Drafts: work in progress, autosaved into the vault as the patient types.

A draft is a small JSON document under a key chosen by the caller (for
example ``"recall"`` for the guided recall in progress). Saving replaces it.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from journal.core.text import checked_text, unstamp
from journal.core.vault.repositories.base import Repository


class DraftRepository(Repository):
    def save(self, key: str, payload: dict[str, Any]) -> None:
        text = checked_text(json.dumps(payload, ensure_ascii=False), what="draft")
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO drafts (key, payload, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET payload = excluded.payload, "
                "updated_at = excluded.updated_at",
                (key, text, self._now()),
            )

    def load(self, key: str) -> dict[str, Any] | None:
        text = self._db.scalar("SELECT payload FROM drafts WHERE key = ?", (key,))
        if text is None:
            return None
        payload: dict[str, Any] = json.loads(text)
        return payload

    def updated_at(self, key: str) -> datetime | None:
        return unstamp(self._db.scalar("SELECT updated_at FROM drafts WHERE key = ?", (key,)))

    def keys(self) -> list[str]:
        return [str(r[0]) for r in self._db.query("SELECT key FROM drafts ORDER BY updated_at")]

    def delete(self, key: str) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM drafts WHERE key = ?", (key,))
