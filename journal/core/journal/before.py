"""Before a session: the session made ahead (today, the route remembered from
the last one), its intention and mood before, the treatment day's checklist,
the meditations done, and the session that is waiting for its recall.

Rules kept here, once:
- a session made ahead is "waiting" until a right-after entry is written for
  it, for up to `WAITING_HOURS`; "About this session" then opens it filled in
  rather than making a second session;
- the checklist is the patient's own list (kept in the vault), starting from
  the built-in one or a clinic's file; ticks are kept on the session;
- a meditation done on its own belongs to the waiting session, if there is one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from journal.core.errors import TemplateInvalid
from journal.core.model import Meditation, Phase, Route, Session
from journal.core.practice.checklist import (
    MAX_FILE_BYTES,
    Checklist,
    checked_items,
    default_checklist,
    parse_checklist,
)
from journal.core.vault.vault import Vault

WAITING_HOURS = 16
CHECKLIST_KEY = "checklist"
NEXT_SESSION_KEY = "next_session"


def start_session(vault: Vault, now: datetime) -> Session:
    """A session for today, made before it happens, with the route of the last one."""
    last = vault.sessions.latest()
    route = last.route if last is not None else Route.OTHER
    return vault.sessions.add(Session(started_at=now, route=route))


def _prepared(vault: Vault, session: Session) -> bool:
    """Made ahead: it has a before-phase entry or a meditation, and no right-after entry yet."""
    assert session.id is not None
    phases = vault.entries.phases(session.id)
    if Phase.RIGHT_AFTER in phases:
        return False
    return Phase.BEFORE in phases or bool(vault.meditations.for_session(session.id))


def waiting_session(vault: Vault, now: datetime) -> Session | None:
    """The session made ahead within the last hours that has no recall yet."""
    session = vault.sessions.latest()
    if session is None or session.id is None:
        return None
    age = now - session.started_at
    if not timedelta(hours=-1) <= age <= timedelta(hours=WAITING_HOURS):
        return None
    return session if _prepared(vault, session) else None


def opening_line(intention: str) -> str:
    """What the right-after recall says first, quietly, when an intention was set."""
    text = " ".join(intention.split())
    return f"You came in wanting: “{text}”" if text else ""


# -- the checklist ---------------------------------------------------------


def checklist(vault: Vault) -> Checklist:
    """The patient's list (the built-in one until they change it)."""
    kept = vault.preferences.get(CHECKLIST_KEY)
    if isinstance(kept, dict) and isinstance(kept.get("items"), list):
        items = tuple(str(i) for i in kept["items"])
        return Checklist(str(kept.get("title") or "Treatment day"), items)
    return default_checklist()


def set_checklist(vault: Vault, items: list[str], title: str | None = None) -> Checklist:
    """Keep an edited (or a clinic's) list; raises `TemplateInvalid` when too long."""
    kept = Checklist(title or checklist(vault).title, checked_items(items))
    vault.preferences.set(CHECKLIST_KEY, {"title": kept.title, "items": list(kept.items)})
    return kept


def import_checklist(vault: Vault, path: Path) -> Checklist:
    """A clinic's checklist file, checked, as the patient's list (nothing kept
    when it is refused)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise TemplateInvalid(f"{path.name}: the file is larger than 64 KB.")
        data = path.read_bytes()
    except OSError:
        raise TemplateInvalid(f"{path.name}: the file could not be read.") from None
    made = parse_checklist(data, name=path.name)
    return set_checklist(vault, list(made.items), made.title)


def tick(vault: Vault, session_id: int, ticked: list[str]) -> Session:
    session = vault.sessions.get(session_id)
    session.checklist = list(dict.fromkeys(ticked))
    return vault.sessions.update(session)


# -- the next session ------------------------------------------------------


def next_session(vault: Vault) -> date | None:
    return vault.preferences.get_date(NEXT_SESSION_KEY)


def set_next_session(vault: Vault, day: date | None) -> None:
    vault.preferences.set_date(NEXT_SESSION_KEY, day)


@dataclass(frozen=True)
class Suggestion:
    """Whether the home suggests "Before my session" first, and why."""

    before_first: bool
    waiting: Session | None


def suggestion(vault: Vault, now: datetime) -> Suggestion:
    waiting = waiting_session(vault, now)
    planned = next_session(vault)
    return Suggestion(planned == now.date() and waiting is None, waiting)


# -- meditations ---------------------------------------------------------------


def record_meditation(vault: Vault, meditation: Meditation, now: datetime) -> Meditation:
    """Store a meditation; one done on its own joins the session waiting for its recall."""
    if meditation.session_id is None:
        waiting = waiting_session(vault, now)
        if waiting is not None:
            meditation.session_id = waiting.id
    return vault.meditations.add(meditation)


def meditation_count(meditations: list[Meditation]) -> str:
    """ "You meditated 3 times (15 minutes) since …" — the words after "You"."""
    if not meditations:
        return ""
    minutes = sum(m.minutes for m in meditations)
    times = "once" if len(meditations) == 1 else f"{len(meditations)} times"
    return f"meditated {times} ({minutes} minutes in all)"
