"""The vault's schema and its migrations.

``PRAGMA user_version`` holds the schema version. Each migration is a list of
statements applied in one transaction together with the version bump, so a
crash mid-migration leaves the previous version intact. A vault whose version
is newer than this app knows is refused (`VaultTooNew`), never "downgraded".
"""

from __future__ import annotations

from journal.core.errors import VaultTooNew
from journal.core.vault.db import Database
from journal.core.vault.synced import schema_statements as _sync_statements

_V1 = [
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        route TEXT NOT NULL DEFAULT 'other',
        dose TEXT NOT NULL DEFAULT '',
        setting TEXT NOT NULL DEFAULT '',
        intention TEXT NOT NULL DEFAULT '',
        music TEXT NOT NULL DEFAULT '',
        mood_before INTEGER CHECK (mood_before BETWEEN 0 AND 10),
        mood_after INTEGER CHECK (mood_after BETWEEN 0 AND 10),
        after_effects TEXT NOT NULL DEFAULT '[]',
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX sessions_started ON sessions(started_at)",
    """CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
        phase TEXT NOT NULL DEFAULT 'free',
        template_id TEXT,
        title TEXT NOT NULL DEFAULT '',
        private INTEGER NOT NULL DEFAULT 0,
        reflection_of INTEGER REFERENCES entries(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        edited_at TEXT
    )""",
    "CREATE INDEX entries_session ON entries(session_id)",
    "CREATE INDEX entries_created ON entries(created_at)",
    "CREATE INDEX entries_reflection ON entries(reflection_of)",
    """CREATE TABLE answers (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        prompt_key TEXT NOT NULL,
        prompt_text TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'text',
        body TEXT NOT NULL DEFAULT '',
        value TEXT,
        private INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX answers_entry ON answers(entry_id, position)",
    """CREATE TABLE motifs (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'image',
        feeling TEXT NOT NULL DEFAULT '',
        meaning TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX motifs_name ON motifs(name COLLATE NOCASE)",
    """CREATE TABLE motif_links (
        motif_id INTEGER NOT NULL REFERENCES motifs(id) ON DELETE CASCADE,
        entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        PRIMARY KEY (motif_id, entry_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX motif_links_entry ON motif_links(entry_id)",
    """CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER REFERENCES entries(id) ON DELETE CASCADE,
        motif_id INTEGER REFERENCES motifs(id) ON DELETE SET NULL,
        kind TEXT NOT NULL,
        mime TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        size INTEGER NOT NULL,
        private INTEGER NOT NULL DEFAULT 0,
        data BLOB NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX attachments_entry ON attachments(entry_id)",
    """CREATE TABLE checkins (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        taken_at TEXT NOT NULL,
        answers TEXT NOT NULL DEFAULT '[]',
        total INTEGER NOT NULL,
        band TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
        flagged INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX checkins_taken ON checkins(kind, taken_at)",
    """CREATE TABLE templates (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        imported_at TEXT NOT NULL
    )""",
    """CREATE TABLE drafts (
        key TEXT PRIMARY KEY,
        payload TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
]

# Full-text search: one FTS5 table over entry titles, answers, motifs and
# session notes, kept current by triggers. unicode61 with remove_diacritics 2
# makes "ocean" find "océan"; the prefix indexes make search-as-you-type fast.
# A row's FTS rowid is ``source id * 8 + kind code`` so triggers find it by
# rowid (a lookup, not a scan of the index).
# Per kind: (code, table, entry id, title, body); "{r}" stands for the row.
FTS_KINDS = {
    "entry": (1, "entries", "{r}.id", "{r}.title", "''"),
    "answer": (2, "answers", "{r}.entry_id", "''", "{r}.body"),
    "motif": (3, "motifs", "NULL", "{r}.name", "{r}.feeling || ' ' || {r}.meaning"),
    "session": (
        4,
        "sessions",
        "NULL",
        "{r}.setting",
        "{r}.intention || ' ' || {r}.music || ' ' || {r}.notes || ' ' || {r}.dose",
    ),
}
FTS_ROWID_FACTOR = 8


def _fts_statements() -> list[str]:
    statements = [
        """CREATE VIRTUAL TABLE search_index USING fts5(
            entry_id UNINDEXED, title, body,
            tokenize = 'unicode61 remove_diacritics 2',
            prefix = '2 3 4'
        )"""
    ]
    insert = "INSERT INTO search_index(rowid, entry_id, title, body)"
    for code, table, entry, title, body in FTS_KINDS.values():

        def values(row: str, code: int = code, cols: tuple[str, ...] = (entry, title, body)) -> str:
            exprs = ", ".join(col.replace("{r}", row) for col in cols)
            return f"{row}.id * {FTS_ROWID_FACTOR} + {code}, {exprs}"

        delete = f"DELETE FROM search_index WHERE rowid = old.id * {FTS_ROWID_FACTOR} + {code};"
        statements += [
            f"CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN "
            f"{insert} VALUES ({values('new')}); END",
            f"CREATE TRIGGER {table}_fts_update AFTER UPDATE ON {table} BEGIN "
            f"{delete} {insert} VALUES ({values('new')}); END",
            f"CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN {delete} END",
            f"{insert} SELECT {values(table)} FROM {table}",
        ]
    return statements


_V3 = [
    # Small facts about the vault itself, such as when it was last shared.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # Therapists' public keys a patient shares with (age X25519 recipients).
    """CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        recipient TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    )""",
    # A therapist's own sharing keys (age X25519 identities), kept only here.
    """CREATE TABLE identities (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        secret TEXT NOT NULL,
        recipient TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
]

# The timeline's preview of an entry (its first written answer), kept on the
# entry by triggers: the home screen reads 10,000 entries without reading
# 10,000 answers. The entries' search trigger now fires only for the title,
# so keeping the preview current never rewrites the search index.
_PREVIEW = (
    "coalesce((SELECT substr(a.body, 1, 200) FROM answers a WHERE a.entry_id = {id} "
    "AND a.body != '' ORDER BY a.position LIMIT 1), '')"
)


def _preview_statements() -> list[str]:
    code = FTS_KINDS["entry"][0]
    entry_fts = (
        f"DELETE FROM search_index WHERE rowid = old.id * {FTS_ROWID_FACTOR} + {code}; "
        "INSERT INTO search_index(rowid, entry_id, title, body) "
        f"VALUES (new.id * {FTS_ROWID_FACTOR} + {code}, new.id, new.title, '');"
    )
    refresh = "UPDATE entries SET preview = {expr} WHERE id = {row}.entry_id;"
    return [
        "ALTER TABLE entries ADD COLUMN preview TEXT NOT NULL DEFAULT ''",
        f"UPDATE entries SET preview = {_PREVIEW.format(id='entries.id')}",
        "DROP TRIGGER entries_fts_update",
        f"CREATE TRIGGER entries_fts_update AFTER UPDATE OF title ON entries BEGIN {entry_fts} END",
        "CREATE TRIGGER answers_preview_insert AFTER INSERT ON answers BEGIN "
        + refresh.format(expr=_PREVIEW.format(id="new.entry_id"), row="new")
        + " END",
        "CREATE TRIGGER answers_preview_update AFTER UPDATE OF body, position, entry_id "
        "ON answers BEGIN "
        + refresh.format(expr=_PREVIEW.format(id="new.entry_id"), row="new")
        + refresh.format(expr=_PREVIEW.format(id="old.entry_id"), row="old")
        + " END",
        "CREATE TRIGGER answers_preview_delete AFTER DELETE ON answers BEGIN "
        + refresh.format(expr=_PREVIEW.format(id="old.entry_id"), row="old")
        + " END",
    ]


_V5 = [
    # The questionnaires' unscored last question (how difficult the problems make life).
    "ALTER TABLE checkins ADD COLUMN difficulty INTEGER CHECK (difficulty BETWEEN 0 AND 3)",
]

_V6 = [
    # Where an attachment belongs inside its entry: the prompt it was made
    # for ('' = the entry as a whole), shown right under that answer.
    "ALTER TABLE attachments ADD COLUMN prompt_key TEXT NOT NULL DEFAULT ''",
    # A voice note's length in seconds (NULL for pictures).
    "ALTER TABLE attachments ADD COLUMN seconds REAL",
    "CREATE INDEX attachments_motif ON attachments(motif_id)",
]

_V7 = [
    # Questionnaires a clinician handed over, kept as their TOML source (the
    # built-in ones are files of the app).
    "CREATE TABLE instruments (id TEXT PRIMARY KEY, source TEXT NOT NULL, "
    "imported_at TEXT NOT NULL)",
]

_V8 = [
    # Guided meditations done, before a session or on their own.
    """CREATE TABLE meditations (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('breathing', 'body_scan')),
        started_at TEXT NOT NULL,
        seconds INTEGER NOT NULL CHECK (seconds BETWEEN 1 AND 7200),
        breaths_per_minute INTEGER CHECK (breaths_per_minute BETWEEN 1 AND 30),
        session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX meditations_started ON meditations(started_at)",
    "CREATE INDEX meditations_session ON meditations(session_id)",
    # The treatment day's checklist as ticked for a session (a JSON list).
    "ALTER TABLE sessions ADD COLUMN checklist TEXT NOT NULL DEFAULT '[]'",
]

_V9 = [
    # Where an imported entry came from ("Day One", "jrnl", …; "" for one written here).
    "ALTER TABLE entries ADD COLUMN source TEXT NOT NULL DEFAULT ''",
    # What an import brought in, by the source's own identity of each item, so a
    # second import of the same file adds only what is new.
    """CREATE TABLE imported (
        key TEXT PRIMARY KEY,
        kind TEXT NOT NULL
            CHECK (kind IN ('entry', 'session', 'checkin', 'meditation', 'attachment')),
        record_id INTEGER NOT NULL,
        imported_at TEXT NOT NULL
    )""",
]

_V10 = [
    # A random secret of this journal: each bundle's pseudonymous patient id is
    # derived from it and the recipient, so bundles to one therapist group
    # together and two therapists cannot link a patient by it.
    "INSERT OR IGNORE INTO meta (key, value) "
    "VALUES ('patient_id_secret', lower(hex(randomblob(32))))",
    # The therapist's workspace (a vault whose meta 'role' is 'therapist'):
    # patients by display name, the bundles kept (their verified, decrypted
    # archive, inside the encrypted vault), the agenda items marked discussed,
    # and the therapist's own appointment notes (never exported).
    """CREATE TABLE patients (
        id INTEGER PRIMARY KEY,
        pseudonym TEXT UNIQUE,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE kept_bundles (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        digest TEXT NOT NULL UNIQUE,
        made_at TEXT NOT NULL,
        kept_at TEXT NOT NULL,
        archive BLOB NOT NULL
    )""",
    "CREATE INDEX kept_bundles_patient ON kept_bundles(patient_id, made_at)",
    """CREATE TABLE discussed (
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        item TEXT NOT NULL,
        discussed_at TEXT NOT NULL,
        PRIMARY KEY (patient_id, item)
    ) WITHOUT ROWID""",
    """CREATE TABLE appointment_notes (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        body TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX appointment_notes_patient ON appointment_notes(patient_id, day)",
]

_V11 = [
    # The timeline read a page at a time (`journal.core.journal.timeline.page`):
    # each of its orders is a range of one of these, so a page costs the same
    # in a journal of any size. (session_id, created_at) serves a session's
    # entries oldest first and those outside any session newest first; it
    # replaces the index on session_id alone, as its prefix.
    "CREATE INDEX entries_session_created ON entries(session_id, created_at)",
    "DROP INDEX entries_session",
    # Sessions newest first, those of one moment in the order added.
    "CREATE INDEX sessions_timeline ON sessions(started_at DESC, id)",
    # A session's meditations oldest first; those on their own newest first.
    "CREATE INDEX meditations_session_started ON meditations(session_id, started_at)",
    "DROP INDEX meditations_session",
    "CREATE INDEX meditations_alone ON meditations(started_at DESC, id) WHERE session_id IS NULL",
]

_V12 = [
    # A search hit's label (the entry's title, the prompt answered) read from
    # these small covering indexes, not from the entry's and the answer's rows:
    # search as you type then touches a third fewer pages (about 5,100 instead
    # of 7,500 per 279 keystrokes at 10,000 entries), so with what opening
    # entries and the timeline read it stays within the page cache, and
    # decrypted pages are not decrypted again.
    "CREATE INDEX entries_label ON entries(id, title)",
    "CREATE INDEX answers_label ON answers(id, prompt_text)",
]

# Sync (`journal.core.sync`): a global id for every record, the triggers that
# mark changed records, and the sync state (`journal.core.vault.synced`).
_V13 = _sync_statements()

MIGRATIONS: list[list[str]] = [
    _V1,
    _fts_statements(),
    _V3,
    _preview_statements(),
    _V5,
    _V6,
    _V7,
    _V8,
    _V9,
    _V10,
    _V11,
    _V12,
    _V13,
]
LATEST = len(MIGRATIONS)


def migrate(db: Database, *, target: int = LATEST) -> int:
    """Bring the vault up to ``target``, one transaction per migration.

    Returns the version found before migrating. Raises `VaultTooNew` when the
    vault is newer than this app.
    """
    found = int(db.pragma("user_version"))
    if found > LATEST:
        raise VaultTooNew()
    for version in range(found + 1, target + 1):
        with db.transaction():
            for statement in MIGRATIONS[version - 1]:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {version}")
    return found
