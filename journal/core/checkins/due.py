"""When a questionnaire is due, and which one the home screen may offer.

A questionnaire is due two weeks after it was last filled (`instruments.is_due`).
The home offers the first due one of `OFFER_ORDER`, gently: once two weeks
have passed, or — never filled — once there is something in the journal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from journal.core.model import Checkin, CheckinKind

OFFER_ORDER = (CheckinKind.PHQ9, CheckinKind.GAD7)


@dataclass(frozen=True)
class CheckinStatus:
    """When each questionnaire was last filled (what the check-in page shows)."""

    latest: dict[str, Checkin | None]
    now: datetime

    @classmethod
    def of(
        cls,
        latest: Callable[[str], Checkin | None],
        now: datetime,
        kinds: Iterable[str] = OFFER_ORDER,
    ) -> CheckinStatus:
        """From the vault's ``checkins.latest`` (call it on the vault thread)."""
        return cls(latest={kind: latest(kind) for kind in kinds}, now=now)

    def due(self, kind: str, period_days: int = 14) -> bool:
        """Never filled, or its recall period (two weeks for PHQ-9 and GAD-7) has passed."""
        last = self.latest.get(kind)
        if last is None:
            return True
        return self.now - last.taken_at >= timedelta(days=period_days)

    def offer(self, *, has_journal: bool) -> tuple[CheckinKind, bool] | None:
        """The questionnaire to offer and whether it would be the first of its
        kind, or None."""
        for kind in OFFER_ORDER:
            never = self.latest.get(kind) is None
            if self.due(kind) and (has_journal or not never):
                return kind, never
        return None
