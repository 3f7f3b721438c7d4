"""Which of the vault's tables travel between devices, and how each is named.

A *record* is one row of a synced table, known on every device by its global
id (``gid``): for tables keyed by an integer the id is random and kept in
``sync_ids`` beside the local row id (a migration gives existing rows one, a
trigger each new row); for tables keyed by a name (templates, drafts,
questionnaires, contacts by their public key, preferences) the name itself is
the global id, so the same template added on two computers is one record; a
motif link is named by its two ends.

Triggers mark a changed record in ``sync_dirty`` while sync is set up (the
``sync:journal`` meta row exists), in the same transaction as the change: no
code path that writes the vault can forget to tell sync. Capture
(`journal.core.sync.merge.capture`) later reads only the marked records.

Deliberately not synced: the search index and the entries' preview (derived
here from what is synced), the therapist's workspace tables, the sharing
identities (a therapist's secret keys stay on the computer that made them),
the import bookkeeping (``imported``, keyed by local row ids) and the vault's
own meta (ids, secrets, sync state).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

SYNC_ON = "EXISTS (SELECT 1 FROM meta WHERE key = 'sync:journal')"
PREFERENCE_PREFIX = "preference:"


class SyncedTable(NamedTuple):
    """``key``: the local key column; ``natural``: the key is the global id.
    ``refs``: columns holding another record's local id, by the table named;
    ``required``: those refs a row cannot exist without (NOT NULL);
    ``owners``: refs that may be empty, but when set the row cannot exist
    without that record (ON DELETE CASCADE: an entry's pictures);
    ``texts``: what a person writes, where two devices' edits are both kept;
    ``blob``: a column whose bytes travel as a content-addressed file."""

    name: str
    columns: tuple[str, ...]
    key: str = "id"
    natural: bool = False
    refs: Mapping[str, str] = MappingProxyType({})  # one shared default: read-only
    required: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()
    texts: frozenset[str] = frozenset()
    blob: str | None = None
    where: str = ""  # for meta: only the journal's preferences

    @property
    def pair(self) -> bool:
        return self.name == "motif_links"


TABLES: tuple[SyncedTable, ...] = (
    SyncedTable(
        "sessions",
        (
            "started_at",
            "route",
            "dose",
            "setting",
            "intention",
            "music",
            "mood_before",
            "mood_after",
            "after_effects",
            "notes",
            "created_at",
            "updated_at",
            "checklist",
        ),
        texts=frozenset({"notes", "intention"}),
    ),
    SyncedTable(
        "entries",
        (
            "session_id",
            "phase",
            "template_id",
            "title",
            "private",
            "reflection_of",
            "created_at",
            "updated_at",
            "edited_at",
            "source",
        ),
        refs={"session_id": "sessions", "reflection_of": "entries"},
        texts=frozenset({"title"}),
    ),
    SyncedTable(
        "answers",
        ("entry_id", "position", "prompt_key", "prompt_text", "kind", "body", "value", "private"),
        refs={"entry_id": "entries"},
        required=frozenset({"entry_id"}),
        texts=frozenset({"body"}),
    ),
    SyncedTable(
        "motifs",
        ("name", "kind", "feeling", "meaning", "created_at"),
        texts=frozenset({"feeling", "meaning"}),
    ),
    SyncedTable(
        "motif_links",
        ("motif_id", "entry_id"),
        key="",
        refs={"motif_id": "motifs", "entry_id": "entries"},
        required=frozenset({"motif_id", "entry_id"}),
    ),
    SyncedTable(
        "attachments",
        (
            "entry_id",
            "motif_id",
            "kind",
            "mime",
            "name",
            "size",
            "private",
            "data",
            "created_at",
            "prompt_key",
            "seconds",
        ),
        refs={"entry_id": "entries", "motif_id": "motifs"},
        owners=frozenset({"entry_id"}),  # (a motif's pictures stay when it goes: SET NULL)
        blob="data",
    ),
    SyncedTable(
        "checkins",
        (
            "kind",
            "taken_at",
            "answers",
            "total",
            "band",
            "note",
            "session_id",
            "flagged",
            "difficulty",
        ),
        refs={"session_id": "sessions"},
        texts=frozenset({"note"}),
    ),
    SyncedTable(
        "meditations",
        ("kind", "started_at", "seconds", "breaths_per_minute", "session_id", "created_at"),
        refs={"session_id": "sessions"},
    ),
    SyncedTable("templates", ("source", "imported_at"), natural=True),
    SyncedTable("instruments", ("source", "imported_at"), natural=True),
    SyncedTable("drafts", ("payload", "updated_at"), key="key", natural=True),
    SyncedTable("contacts", ("name", "created_at"), key="recipient", natural=True),
    SyncedTable(
        "meta",
        ("value",),
        key="key",
        natural=True,
        where=f"key LIKE '{PREFERENCE_PREFIX}%'",
    ),
)
BY_NAME = {table.name: table for table in TABLES}
ID_TABLES = tuple(table for table in TABLES if not table.natural and not table.pair)


def _gid_of(table: str, local_id: str) -> str:
    return f"(SELECT gid FROM sync_ids WHERE tbl = '{table}' AND local_id = {local_id})"


def _gid_expression(table: SyncedTable, row: str) -> str:
    if table.pair:
        motif = _gid_of("motifs", f"{row}.motif_id")
        entry = _gid_of("entries", f"{row}.entry_id")
        return f"{motif} || ':' || {entry}"
    if table.natural:
        return f"{row}.{table.key}"
    return _gid_of(table.name, f"{row}.id")


def _mark(table: SyncedTable, row: str) -> str:
    """Mark the record of ``row`` changed, while sync is set up."""
    gid = _gid_expression(table, row)
    condition = f"{gid} IS NOT NULL AND {SYNC_ON}"
    if table.where:
        condition += f" AND {row}.{table.where}"
    # Not INSERT OR IGNORE: a foreign key's action (an entry's reflections
    # losing their link) runs this trigger under its own conflict rule.
    return (
        f"INSERT INTO sync_dirty (tbl, gid) SELECT '{table.name}', {gid} "
        f"WHERE {condition} AND NOT EXISTS (SELECT 1 FROM sync_dirty "
        f"WHERE tbl = '{table.name}' AND gid = {gid});"
    )


def trigger_statements() -> list[str]:
    """Schema 13: a global id for every existing row, and the triggers that
    give new rows one and mark changed records."""
    statements = [
        "CREATE TABLE sync_ids (tbl TEXT NOT NULL, local_id INTEGER NOT NULL, "
        "gid TEXT NOT NULL, PRIMARY KEY (tbl, local_id)) WITHOUT ROWID",
        "CREATE UNIQUE INDEX sync_ids_gid ON sync_ids(tbl, gid)",
        "CREATE TABLE sync_dirty (tbl TEXT NOT NULL, gid TEXT NOT NULL, "
        "PRIMARY KEY (tbl, gid)) WITHOUT ROWID",
    ]
    for table in ID_TABLES:
        statements.append(
            f"INSERT INTO sync_ids (tbl, local_id, gid) SELECT '{table.name}', id, "
            f"lower(hex(randomblob(16))) FROM {table.name}"
        )
    for table in TABLES:
        name = table.name
        give_id = (
            f"DELETE FROM sync_ids WHERE tbl = '{name}' AND local_id = new.id; "
            f"INSERT INTO sync_ids (tbl, local_id, gid) "
            f"VALUES ('{name}', new.id, lower(hex(randomblob(16)))); "
            if table in ID_TABLES
            else ""
        )
        statements += [
            f"CREATE TRIGGER sync_{name}_insert AFTER INSERT ON {name} BEGIN "
            f"{give_id}{_mark(table, 'new')} END",
            f"CREATE TRIGGER sync_{name}_update AFTER UPDATE ON {name} BEGIN "
            f"{_mark(table, 'old')} {_mark(table, 'new')} END",
            f"CREATE TRIGGER sync_{name}_delete AFTER DELETE ON {name} BEGIN "
            f"{_mark(table, 'old')} END",
        ]
    return statements


def children(parent: str) -> list[tuple[SyncedTable, str]]:
    """The tables, and their column, whose rows cannot exist without a row of ``parent``."""
    return [
        (table, column)
        for table in TABLES
        for column in sorted(table.required | table.owners)
        if table.refs[column] == parent
    ]


def _required_refs() -> dict[str, str]:
    columns: dict[str, list[str]] = {}
    for table in TABLES:
        for column in sorted(table.required):
            columns.setdefault(column, []).append(f"'{table.name}'")
    return {column: ", ".join(names) for column, names in columns.items()}


def schema_statements() -> list[str]:
    """Schema 13: what sync keeps in the vault (`journal.core.sync.store`)."""
    return [
        *trigger_statements(),
        # Every change held, own and received; ``sent`` is 0 for this
        # device's changes not yet written to the sync folder.
        """CREATE TABLE sync_changes (
            tbl TEXT NOT NULL,
            gid TEXT NOT NULL,
            device TEXT NOT NULL,
            hlc INTEGER NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            fields TEXT NOT NULL,
            seen TEXT NOT NULL,
            sent INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (tbl, gid, device, hlc)
        ) WITHOUT ROWID""",
        "CREATE INDEX sync_changes_unsent ON sync_changes(sent) WHERE sent = 0",
        # The records that cannot exist without another (an entry's answers,
        # a motif's links), found by the record they need.
        *(
            f"CREATE INDEX sync_changes_{column} ON sync_changes("
            f"json_extract(fields, '$.{column}')) WHERE tbl IN ({tables})"
            for column, tables in _required_refs().items()
        ),
        # Records the state holds alive that could not be written yet (their
        # entry, or an attachment's bytes, has not arrived).
        "CREATE TABLE sync_pending (tbl TEXT NOT NULL, gid TEXT NOT NULL, "
        "PRIMARY KEY (tbl, gid)) WITHOUT ROWID",
        # Written fields changed on two devices that had not seen each other's edit.
        "CREATE TABLE sync_conflicts (tbl TEXT NOT NULL, gid TEXT NOT NULL, "
        "field TEXT NOT NULL, PRIMARY KEY (tbl, gid, field)) WITHOUT ROWID",
        # What was read from each device's files: the newest segment applied
        # and every file name seen (so only new files are read).
        """CREATE TABLE sync_files (
            device TEXT NOT NULL,
            name TEXT NOT NULL,
            seq INTEGER NOT NULL,
            digest TEXT NOT NULL,
            PRIMARY KEY (device, name)
        ) WITHOUT ROWID""",
        # The devices of this journal as their own files describe them.
        """CREATE TABLE sync_devices (
            device TEXT PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            seq INTEGER NOT NULL DEFAULT 0,
            digest TEXT NOT NULL DEFAULT '',
            acks TEXT NOT NULL DEFAULT '{}',
            last_seen TEXT NOT NULL DEFAULT '',
            recipient TEXT NOT NULL DEFAULT '',
            removed INTEGER NOT NULL DEFAULT 0
        )""",
        # A segment being written: its exact bytes, so a crash between the
        # vault's commit and the file's rename rewrites the same file.
        "CREATE TABLE sync_outbox (seq INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "data BLOB NOT NULL, digest TEXT NOT NULL)",
    ]
