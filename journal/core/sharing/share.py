"""What a patient shares: choosing items, and the rule that private items
never leave the vault.

`offer` proposes everything shareable in a period; the patient may leave
things out; `collect` gathers the chosen items into a `BundleContent`,
applying the privacy rule again, so no caller can bypass it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from journal.core.checkins.definitions import Instrument
from journal.core.model import Attachment, Checkin, Entry, Meditation, Motif, Session
from journal.core.sharing import measures
from journal.core.sharing.measures import Standing
from journal.core.vault.vault import Vault

LAST_EXPORT_KEY = "last_export_at"
_DAY = timedelta(days=1)


@dataclass
class Selection:
    """Ids of what goes into a bundle; ``excluded_answers`` are answer ids
    left out of otherwise included entries."""

    session_ids: set[int] = field(default_factory=set)
    entry_ids: set[int] = field(default_factory=set)
    excluded_answers: set[int] = field(default_factory=set)
    motif_ids: set[int] = field(default_factory=set)
    checkin_ids: set[int] = field(default_factory=set)
    attachment_ids: set[int] = field(default_factory=set)
    meditation_ids: set[int] = field(default_factory=set)
    period_from: datetime | None = None
    period_to: datetime | None = None
    alias: str = ""


@dataclass
class BundleContent:
    """Everything a bundle holds, as plain data (written by the patient's app,
    read back by the therapist's)."""

    created_at: datetime
    alias: str
    period_from: datetime | None
    period_to: datetime | None
    sessions: list[Session]
    entries: list[Entry]
    motifs: list[Motif]
    checkins: list[Checkin]
    attachments: list[tuple[Attachment, bytes]]
    # The questionnaires the check-ins use, and their standing (`measures`).
    instruments: dict[str, Instrument] = field(default_factory=dict)
    standings: list[Standing] = field(default_factory=list)
    # Meditations before the shared sessions, and those done in the period.
    meditations: list[Meditation] = field(default_factory=list)
    # The pseudonymous patient id (`pseudonym`): the same for every bundle of
    # this journal to one recipient, different for another; "" in older bundles.
    patient_id: str = ""

    def meditations_of(self, session_id: int | None) -> list[Meditation]:
        return [m for m in self.meditations if m.session_id == session_id]

    def counts(self) -> dict[str, int]:
        return {
            "sessions": len(self.sessions),
            "entries": len(self.entries),
            "motifs": len(self.motifs),
            "checkins": len(self.checkins),
            "attachments": len(self.attachments),
        }


def shareable_entry(entry: Entry) -> Entry | None:
    """The entry without its private answers; None if the entry is private."""
    if entry.private:
        return None
    return replace(entry, answers=[a for a in entry.answers if not a.private])


def last_export(vault: Vault) -> datetime | None:
    value = vault.db.scalar("SELECT value FROM meta WHERE key = ?", (LAST_EXPORT_KEY,))
    return None if value is None else datetime.fromisoformat(str(value)).astimezone()


def record_export(vault: Vault, when: datetime) -> None:
    """Remember when the patient last shared (the next period starts there);
    a read-only journal remembers nothing, and the export still stands."""
    if vault.read_only:
        return
    with vault.db.transaction():
        vault.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (LAST_EXPORT_KEY, when.isoformat(timespec="seconds")),
        )


def _within(moment: datetime | None, start: datetime | None, end: datetime | None) -> bool:
    if moment is None:
        return False
    return (start is None or moment >= start) and (end is None or moment <= end)


def offer(
    vault: Vault,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    session_ids: set[int] | None = None,
    everything: bool = False,
) -> Selection:
    """Everything shareable: sessions in the period (or the given sessions),
    their entries and the entries written in the period, their motifs and
    attachments, and the check-ins of the period. Private items are never
    offered. Default period: since the last export (``everything``: all)."""
    if since is None and session_ids is None and not everything:
        since = last_export(vault)
    sessions = [
        s
        for s in vault.sessions.all()
        if (s.id in session_ids if session_ids is not None else _within(s.started_at, since, until))
    ]
    chosen_sessions = {s.id for s in sessions if s.id is not None}
    selection = Selection(session_ids=chosen_sessions, period_from=since, period_to=until)
    for summary in vault.entries.summaries():
        in_session = summary.session_id in chosen_sessions
        in_period = session_ids is None and _within(summary.created_at, since, until)
        if not (in_session or in_period):
            continue
        entry = shareable_entry(vault.entries.get(summary.id))
        if entry is None or entry.id is None:
            continue
        selection.entry_ids.add(entry.id)
        selection.motif_ids.update(m.id for m in vault.motifs.for_entry(entry.id) if m.id)
        selection.attachment_ids.update(
            a.id for a in vault.attachments.for_entry(entry.id) if a.id and not a.private
        )
    # Sketches and pictures kept for a shared motif alone (not in an entry).
    for motif_id in selection.motif_ids:
        selection.attachment_ids.update(
            a.id
            for a in vault.attachments.for_motif(motif_id)
            if a.id and not a.private and a.entry_id is None
        )
    # Check-ins of the period; for chosen sessions, those from the day before
    # the first to the day after the last (a PHQ-9 filled that morning belongs).
    window: tuple[datetime | None, datetime | None] | None = (since, until)
    if session_ids is not None:
        times = [s.started_at for s in sessions]
        window = (min(times) - _DAY, max(times) + _DAY) if times else None
    for checkin in vault.checkins.all():
        in_window = window is not None and _within(checkin.taken_at, *window)
        if checkin.id is not None and (checkin.session_id in chosen_sessions or in_window):
            selection.checkin_ids.add(checkin.id)
    # Meditations before the chosen sessions, and those on their own in the period.
    for meditation in vault.meditations.all():
        alone = meditation.session_id is None and session_ids is None
        if meditation.id is not None and (
            meditation.session_id in chosen_sessions
            or (alone and _within(meditation.started_at, since, until))
        ):
            selection.meditation_ids.add(meditation.id)
    return selection


def collect(
    vault: Vault, selection: Selection, *, now: datetime, attachment_bytes: bool = True
) -> BundleContent:
    """The chosen items, read from the vault, with every private item and
    every left-out answer removed. ``attachment_bytes`` False: the offer to
    choose from, which lists attachments but never shows them — their bytes
    are not read (each is b""), so offering a journal with gigabytes of
    pictures costs no memory for them."""
    entries = []
    for entry_id in sorted(selection.entry_ids):
        entry = shareable_entry(vault.entries.get(entry_id))
        if entry is None:
            continue
        entry.answers = [a for a in entry.answers if a.id not in selection.excluded_answers]
        entries.append(entry)
    entry_ids = {e.id for e in entries}
    motifs = []
    for motif_id in sorted(selection.motif_ids):
        motif = vault.motifs.get(motif_id)
        motif.entry_ids = [i for i in motif.entry_ids if i in entry_ids]
        motifs.append(motif)
    attachments = []
    for attachment_id in sorted(selection.attachment_ids):
        meta = vault.attachments.get(attachment_id)
        if meta.private or (meta.entry_id is not None and meta.entry_id not in entry_ids):
            continue
        data = vault.attachments.data(attachment_id) if attachment_bytes else b""
        attachments.append((meta, data))
    sessions = sorted(
        (vault.sessions.get(i) for i in selection.session_ids), key=lambda s: s.started_at
    )
    checkins = sorted(
        (vault.checkins.get(i) for i in selection.checkin_ids), key=lambda c: c.taken_at
    )
    known = vault.instruments.by_kind()
    used = {c.kind: known[c.kind] for c in checkins if c.kind in known}
    shared_standings = measures.standings(
        known, checkins, vault.checkins.all(), vault.sessions.all(), last_export(vault)
    )
    return BundleContent(
        created_at=now,
        alias=selection.alias,
        period_from=selection.period_from,
        period_to=selection.period_to,
        sessions=sessions,
        entries=entries,
        motifs=motifs,
        checkins=checkins,
        attachments=attachments,
        instruments=used,
        standings=shared_standings,
        meditations=[
            m
            for m in vault.meditations.all()
            if m.id in selection.meditation_ids
            and (m.session_id is None or m.session_id in selection.session_ids)
        ],
    )
