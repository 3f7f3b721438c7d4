"""The conflicts a person decides, described for reading: which entry (or
session, motif, check-in) and which of its texts, with every version.

`journal.core.sync.merge.conflicts` names a conflict by global ids; this
module adds what a screen shows — the entry it belongs to, the prompt an
answer was written for — and keeps the exact values, so deciding hands one
of them back to `merge.choose` unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from journal.core.sync import merge, rows
from journal.core.sync.changes import Value
from journal.core.sync.config import load_config
from journal.core.vault.db import Database

# What each conflicting field is, in the person's words.
FIELDS = {
    ("entries", "title"): "The entry's title",
    ("sessions", "notes"): "The session's notes",
    ("sessions", "intention"): "The session's intention",
    ("motifs", "feeling"): "What the motif feels like",
    ("motifs", "meaning"): "What the motif means",
    ("checkins", "note"): "The check-in's note",
}


@dataclass(frozen=True)
class Conflict:
    """One text changed on two computers. ``versions``: the one shown now
    first, then the others (each exactly as `merge.choose` takes it);
    ``entry_id``: the local entry it belongs to, if it belongs to one;
    ``what``: the prompt's text for an answer, else which text it is;
    ``where``: the entry's title, the motif's name or the date (may be "")."""

    table: str
    gid: str
    field: str
    versions: tuple[Value, ...]
    entry_id: int | None
    what: str
    where: str


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _describe(
    db: Database, table: str, local: int | None, name: str
) -> tuple[int | None, str, str]:
    what = FIELDS.get((table, name), "A text")
    if local is None:
        return None, what, ""
    if table == "answers":
        row = db.query_one(
            "SELECT a.entry_id, a.prompt_text, e.title FROM answers a "
            "JOIN entries e ON e.id = a.entry_id WHERE a.id = ?",
            (local,),
        )
        if row is None:
            return None, "An answer", ""
        return int(row[0]), _text(row[1]) or "An answer", _text(row[2])
    if table == "entries":
        title = db.scalar("SELECT title FROM entries WHERE id = ?", (local,))
        return local, what, _text(title)
    if table == "sessions":
        return (
            None,
            what,
            _text(db.scalar("SELECT started_at FROM sessions WHERE id = ?", (local,)))[:10],
        )
    if table == "motifs":
        return None, what, _text(db.scalar("SELECT name FROM motifs WHERE id = ?", (local,)))
    if table == "checkins":
        return (
            None,
            what,
            _text(db.scalar("SELECT taken_at FROM checkins WHERE id = ?", (local,)))[:10],
        )
    return None, what, ""


def pending(db: Database) -> list[Conflict]:
    """Every conflict waiting for the person, described; [] when none."""
    found = []
    for table, gid, name, versions in merge.conflicts(db):
        entry_id, what, where = _describe(db, table, rows.local_for(db, table, gid), name)
        found.append(Conflict(table, gid, name, tuple(versions), entry_id, what, where))
    return found


def decide(db: Database, conflict: Conflict, value: Value) -> None:
    """Keep ``value`` (one of the conflict's versions): every computer shows
    it once they sync, and the conflict ends. ValueError for another value."""
    if value not in conflict.versions:
        raise ValueError("not one of the conflict's versions")
    merge.choose(db, load_config(db).device, conflict.table, conflict.gid, conflict.field, value)
