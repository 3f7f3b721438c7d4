"""A patient read across every bundle kept: the records merged by their ids
(bundles overlap; the newest bundle's version of a record wins), what is new
since the previous bundle, the agenda with its "discussed" marks, search, and
the appointment notes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from journal.core.checkins.definitions import Instrument
from journal.core.model import Attachment, Checkin, Entry, Meditation, Motif, Phase, Session
from journal.core.sharing import bundle
from journal.core.sharing.bundle import OpenedBundle
from journal.core.sharing.glance import agenda_items
from journal.core.sharing.measures import Standing
from journal.core.sharing.share import BundleContent
from journal.core.text import folded
from journal.core.vault.repositories.workspace import AppointmentNote, KeptBundle, Patient
from journal.core.vault.vault import Vault

T = TypeVar("T", Entry, Session, Checkin, Motif, Meditation)


@dataclass(frozen=True)
class AgendaItem:
    key: str  # the entry's id and a hash of the item: stable across bundles
    text: str
    entry_id: int | None
    written: datetime | None
    discussed: bool


@dataclass
class NewSince:
    """What the newest bundle holds that no earlier bundle had."""

    since: datetime | None  # when the previous bundle was made; None: the first bundle
    entries: list[Entry] = field(default_factory=list)
    checkins: list[Checkin] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.entries or self.checkins or self.sessions)


@dataclass
class PatientView:
    patient: Patient
    bundles: list[KeptBundle]
    content: BundleContent  # the union of every bundle
    new: NewSince
    agenda: list[AgendaItem]
    notes: list[AppointmentNote]


@dataclass(frozen=True)
class Hit:
    entry: Entry
    snippet: str


def _by_id(records: Iterable[T]) -> dict[int, T]:
    return {r.id: r for r in records if r.id is not None}


def merge(opened: list[OpenedBundle]) -> BundleContent:
    """The union of bundles (oldest first); a record in several takes the
    newest bundle's version, and a motif keeps every entry it was seen in."""
    entries: dict[int, Entry] = {}
    sessions: dict[int, Session] = {}
    checkins: dict[int, Checkin] = {}
    motifs: dict[int, Motif] = {}
    meditations: dict[int, Meditation] = {}
    attachments: dict[int, tuple[Attachment, bytes]] = {}
    instruments: dict[str, Instrument] = {}
    standings: dict[str, Standing] = {}
    links: dict[int, set[int]] = {}
    for item in opened:
        c = item.content
        entries.update(_by_id(c.entries))
        sessions.update(_by_id(c.sessions))
        checkins.update(_by_id(c.checkins))
        meditations.update(_by_id(c.meditations))
        for motif in c.motifs:
            if motif.id is not None:
                motifs[motif.id] = motif
                links.setdefault(motif.id, set()).update(motif.entry_ids)
        attachments.update({meta.id: (meta, data) for meta, data in c.attachments if meta.id})
        instruments.update(c.instruments)
        standings.update({s.kind: s for s in c.standings})
    for motif_id, motif in motifs.items():
        motif.entry_ids = sorted(i for i in links[motif_id] if i in entries)
    latest = opened[-1].content
    starts = [o.content.period_from for o in opened]
    return BundleContent(
        created_at=latest.created_at,
        alias=latest.alias,
        period_from=None if None in starts else min(s for s in starts if s is not None),
        period_to=latest.period_to,
        sessions=sorted(sessions.values(), key=lambda s: s.started_at),
        entries=sorted(entries.values(), key=lambda e: (e.created_at is None, e.created_at)),
        motifs=sorted(motifs.values(), key=lambda m: m.name.casefold()),
        checkins=sorted(checkins.values(), key=lambda c: c.taken_at),
        attachments=list(attachments.values()),
        instruments=instruments,
        standings=list(standings.values()),
        meditations=sorted(meditations.values(), key=lambda m: m.started_at),
        patient_id=latest.patient_id,
    )


def new_since(opened: list[OpenedBundle]) -> NewSince:
    if len(opened) < 2:
        return NewSince(None)
    *earlier, latest = opened
    seen: dict[str, set[int | None]] = {"entries": set(), "checkins": set(), "sessions": set()}
    for item in earlier:
        seen["entries"].update(e.id for e in item.content.entries)
        seen["checkins"].update(c.id for c in item.content.checkins)
        seen["sessions"].update(s.id for s in item.content.sessions)
    c = latest.content
    return NewSince(
        since=earlier[-1].content.created_at,
        entries=[e for e in c.entries if e.id not in seen["entries"]],
        checkins=[x for x in c.checkins if x.id not in seen["checkins"]],
        sessions=[s for s in c.sessions if s.id not in seen["sessions"]],
    )


def agenda(entries: Iterable[Entry], discussed: set[str]) -> list[AgendaItem]:
    """Each item the patient put on their agenda, in every bundle kept, with
    the therapist's mark."""
    items = []
    for entry in entries:
        if entry.phase is not Phase.BEFORE_THERAPY:
            continue
        for text in agenda_items([entry]):
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
            key = f"{entry.id}:{digest}"
            items.append(AgendaItem(key, text, entry.id, entry.created_at, key in discussed))
    return items


def patient_view(vault: Vault, patient_id: int) -> PatientView:
    """Everything the patient's page shows, read from the kept archives
    (verified again: the vault is trusted, but a bug must not show garbage)."""
    work = vault.workspace
    patient = work.patient(patient_id)
    kept = work.bundles(patient_id)
    opened = [bundle.read_archive(work.archive(b.id)) for b in kept]
    content = (
        merge(opened)
        if opened
        else BundleContent(
            created_at=patient.last_made_at or datetime.now().astimezone(),
            alias="",
            period_from=None,
            period_to=None,
            sessions=[],
            entries=[],
            motifs=[],
            checkins=[],
            attachments=[],
        )
    )
    return PatientView(
        patient=patient,
        bundles=kept,
        content=content,
        new=new_since(opened),
        agenda=agenda(content.entries, work.discussed(patient_id)),
        notes=work.notes(patient_id),
    )


def search(content: BundleContent, query: str) -> list[Hit]:
    """Entries of the patient holding every word of ``query`` (case and
    accents ignored), newest first, each with the line it was found in."""
    words = folded(query).split()
    if not words:
        return []
    hits = []
    for entry in reversed(content.entries):
        lines = [entry.title] + [
            line for a in entry.answers for line in (a.prompt_text, *a.text.splitlines())
        ]
        whole = folded("\n".join(lines))
        if all(word in whole for word in words):
            found = next(
                (line for line in lines if any(w in folded(line) for w in words)), entry.title
            )
            hits.append(Hit(entry, " ".join(found.split())[:200]))
    return hits
