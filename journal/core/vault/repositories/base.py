"""What every repository shares: the database and the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from journal.core.text import stamp
from journal.core.vault.db import Database


class Repository:
    def __init__(self, db: Database, *, clock: Callable[[], datetime]) -> None:
        self._db = db
        self._clock = clock

    def _now(self) -> str:
        return stamp(self._clock())
