"""The journal's own preferences, kept inside the vault because they are
personal (the treatment day's checklist, the date of the next session) —
unlike the app's settings, which say only how it looks."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from journal.core.text import checked_text
from journal.core.vault.repositories.base import Repository

_PREFIX = "preference:"


class PreferenceRepository(Repository):
    def get(self, key: str, default: Any = None) -> Any:
        text = self._db.scalar("SELECT value FROM meta WHERE key = ?", (_PREFIX + key,))
        if text is None:
            return default
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return default

    def set(self, key: str, value: Any) -> None:
        text = checked_text(json.dumps(value, ensure_ascii=False), what="preference")
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (_PREFIX + key, text),
            )

    def delete(self, key: str) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM meta WHERE key = ?", (_PREFIX + key,))

    def get_date(self, key: str) -> date | None:
        """A day kept under ``key`` (the next session, the next appointment), or None."""
        value = self.get(key)
        try:
            return date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def set_date(self, key: str, day: date | None) -> None:
        if day is None:
            self.delete(key)
        else:
            self.set(key, day.isoformat())
