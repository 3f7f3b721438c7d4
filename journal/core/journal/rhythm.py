"""The next step, at the right time: the integration rhythm clinics describe —
right after the session, the next day, some days later, and before the
therapy appointment.

The home shows at most one suggestion, chosen from the journal:

1. on the day of a planned session, "Before my session" (until it is prepared);
2. a session prepared and not yet written about: the journaling afterwards;
3. within 12 hours of a session: nothing more — never a questionnaire;
4. 12 to 48 hours after it, without a next-day reflection: "Next-day
   reflection on Tuesday's session";
5. 3 to 10 days after it, without an integration entry: an integration check-in;
6. up to 2 days before the therapy appointment the patient entered (and on
   the day): "Prepare for Thursday's appointment";
7. otherwise a questionnaire whose two weeks have passed (`due`).

A suggestion the patient dismissed stays dismissed (kept in the vault), so
nothing nags. A desktop notification, when the patient turned them on, says
only which kind of step is ready — never a word of the journal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from journal.core.checkins.due import CheckinStatus
from journal.core.journal import before
from journal.core.model import CheckinKind, Phase, Session
from journal.core.vault.vault import Vault

QUIET = timedelta(hours=12)  # after a session: nothing but the journaling
NEXT_DAY = (timedelta(hours=12), timedelta(hours=48))
INTEGRATION = (timedelta(days=3), timedelta(days=10))
APPOINTMENT_AHEAD = timedelta(days=2)
APPOINTMENT_KEY = "next_appointment"
DISMISSED_KEY = "dismissed_steps"
_KEEP_DISMISSED = 50


class StepKind(StrEnum):
    BEFORE_SESSION = "before_session"
    PREPARED = "prepared"
    NEXT_DAY = "next_day"
    INTEGRATION = "integration"
    APPOINTMENT = "appointment"
    QUESTIONNAIRE = "questionnaire"


_NOTIFICATIONS = {
    StepKind.BEFORE_SESSION: "Afterglow: your session is today",
    StepKind.PREPARED: "Afterglow: your session is prepared",
    StepKind.NEXT_DAY: "Afterglow: a next-day reflection is ready",
    StepKind.INTEGRATION: "Afterglow: an integration check-in is ready",
    StepKind.APPOINTMENT: "Afterglow: time to prepare for your appointment",
    StepKind.QUESTIONNAIRE: "Afterglow: a check-in is due",
}


@dataclass(frozen=True)
class Step:
    kind: StepKind
    key: str  # what dismissing it remembers ("next_day:12")
    text: str
    action: str = ""  # the button's words ("" for the before/prepared line)
    session_id: int | None = None
    questionnaire: str | None = None
    first_time: bool = False

    @property
    def notification(self) -> str:
        """What a desktop notification may say: the kind of step, nothing more."""
        return _NOTIFICATIONS[self.kind]


def _day_name(moment: datetime | date, today: date) -> str:
    """ "Tuesday" within the last or next six days, else "5 March"."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return f"{day:%A}" if abs((day - today).days) <= 6 else f"{day:%-d %B}"


def next_appointment(vault: Vault) -> date | None:
    return vault.preferences.get_date(APPOINTMENT_KEY)


def set_next_appointment(vault: Vault, day: date | None) -> None:
    """The date of the next talk-therapy appointment (kept in the vault), or none."""
    vault.preferences.set_date(APPOINTMENT_KEY, day)


def dismissed(vault: Vault) -> set[str]:
    kept = vault.preferences.get(DISMISSED_KEY, [])
    return {str(k) for k in kept} if isinstance(kept, list) else set()


def dismiss(vault: Vault, step: Step) -> None:
    kept = [k for k in vault.preferences.get(DISMISSED_KEY, []) if k != step.key]
    vault.preferences.set(DISMISSED_KEY, [*kept, step.key][-_KEEP_DISMISSED:])


def steps(vault: Vault, now: datetime) -> list[Step]:
    """Every step that is due now, first the one to show (dismissed ones left out)."""
    found: list[Step] = []
    today = now.date()
    suggestion = before.suggestion(vault, now)
    if suggestion.before_first:
        found.append(
            Step(
                StepKind.BEFORE_SESSION,
                f"before_session:{today.isoformat()}",
                "Your session is today. When you arrive, “Before my session” helps you settle in.",
            )
        )
    if suggestion.waiting is not None:
        found.append(
            Step(
                StepKind.PREPARED,
                f"prepared:{suggestion.waiting.id}",
                "Your session is prepared. Afterwards, “Start after-session journaling” picks "
                "up from there.",
                session_id=suggestion.waiting.id,
            )
        )
    latest = _latest_session(vault, now)
    quiet = latest is not None and now - latest.started_at < QUIET
    if latest is not None and not quiet:
        found += _after_session(vault, latest, now)
    appointment = next_appointment(vault)
    if appointment is not None and timedelta(0) <= appointment - today <= APPOINTMENT_AHEAD:
        when = "today's" if appointment == today else f"{_day_name(appointment, today)}'s"
        found.append(
            Step(
                StepKind.APPOINTMENT,
                f"appointment:{appointment.isoformat()}",
                f"Prepare for {when} appointment: choose what to share with your therapist.",
                action="Prepare for therapy",
            )
        )
    if not quiet:
        status = CheckinStatus.of(vault.checkins.latest, now)
        offer = status.offer(has_journal=vault.entries.count() > 0)
        if offer is not None:
            kind, first_time = offer
            last = status.latest.get(kind)
            since = last.taken_at.date().isoformat() if last else "never"
            found.append(
                Step(
                    StepKind.QUESTIONNAIRE,
                    f"questionnaire:{kind}:{since}",
                    "",
                    action="Fill it in",
                    questionnaire=CheckinKind.of(kind),
                    first_time=first_time,
                )
            )
    hidden = dismissed(vault)
    return [s for s in found if s.key not in hidden]


def next_step(vault: Vault, now: datetime) -> Step | None:
    """The one suggestion the home shows, or None."""
    due = steps(vault, now)
    return due[0] if due else None


def _latest_session(vault: Vault, now: datetime) -> Session | None:
    for session in vault.sessions.all():  # newest first
        if session.started_at <= now:
            return session
    return None


def _after_session(vault: Vault, session: Session, now: datetime) -> list[Step]:
    assert session.id is not None
    age = now - session.started_at
    phases = vault.entries.phases(session.id)
    name = _day_name(session.started_at.astimezone(), now.date())
    if NEXT_DAY[0] <= age < NEXT_DAY[1] and Phase.NEXT_DAY not in phases:
        return [
            Step(
                StepKind.NEXT_DAY,
                f"next_day:{session.id}",
                f"Next-day reflection on {name}'s session: a few questions about how it "
                "has settled.",
                action="Reflect now",
                session_id=session.id,
            )
        ]
    if INTEGRATION[0] <= age < INTEGRATION[1] and Phase.INTEGRATION not in phases:
        return [
            Step(
                StepKind.INTEGRATION,
                f"integration:{session.id}",
                f"An integration check-in on {name}'s session: what is staying with you, "
                "and what you would like to carry into daily life.",
                action="Write it",
                session_id=session.id,
            )
        ]
    return []
