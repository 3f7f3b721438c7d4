"""When a questionnaire is due, and which one the home screen may offer.

A questionnaire is due two weeks after it was last filled (`instruments.is_due`).
The home offers the first due one of `OFFER_ORDER`, gently: once two weeks
have passed, or — never filled — once there is something in the journal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from journal.core.checkins import instruments
from journal.core.model import Checkin, CheckinKind

OFFER_ORDER = (CheckinKind.PHQ9, CheckinKind.GAD7)


@dataclass(frozen=True)
class CheckinStatus:
    """When each questionnaire was last filled (what the check-in page shows)."""

    latest: dict[CheckinKind, Checkin | None]
    now: datetime

    @classmethod
    def of(cls, latest: Callable[[CheckinKind], Checkin | None], now: datetime) -> CheckinStatus:
        """From the vault's ``checkins.latest`` (call it on the vault thread)."""
        return cls(latest={kind: latest(kind) for kind in OFFER_ORDER}, now=now)

    def due(self, kind: CheckinKind) -> bool:
        last = self.latest.get(kind)
        return instruments.is_due(None if last is None else last.taken_at, self.now)

    def offer(self, *, has_journal: bool) -> tuple[CheckinKind, bool] | None:
        """The questionnaire to offer and whether it would be the first of its
        kind, or None."""
        for kind in OFFER_ORDER:
            never = self.latest.get(kind) is None
            if self.due(kind) and (has_journal or not never):
                return kind, never
        return None
