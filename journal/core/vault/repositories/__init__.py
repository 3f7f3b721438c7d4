"""Repositories: the only code that runs SQL on the vault's domain tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from journal.core.vault.db import Database
from journal.core.vault.repositories.attachments import AttachmentRepository
from journal.core.vault.repositories.checkins import CheckinRepository
from journal.core.vault.repositories.drafts import DraftRepository
from journal.core.vault.repositories.entries import EntryRepository
from journal.core.vault.repositories.imported import ImportedRepository
from journal.core.vault.repositories.instruments import InstrumentRepository
from journal.core.vault.repositories.keys import KeyRepository
from journal.core.vault.repositories.meditations import MeditationRepository
from journal.core.vault.repositories.motifs import MotifRepository
from journal.core.vault.repositories.preferences import PreferenceRepository
from journal.core.vault.repositories.search import SearchRepository
from journal.core.vault.repositories.sessions import SessionRepository
from journal.core.vault.repositories.templates import TemplateRepository
from journal.core.vault.repositories.workspace import WorkspaceRepository


class Repositories:
    """All repositories of one open vault, sharing its database and clock."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime]) -> None:
        self.sessions = SessionRepository(db, clock=clock)
        self.motifs = MotifRepository(db, clock=clock)
        self.entries = EntryRepository(db, clock=clock, motifs=self.motifs)
        self.attachments = AttachmentRepository(db, clock=clock)
        self.instruments = InstrumentRepository(db, clock=clock)
        self.checkins = CheckinRepository(db, clock=clock, instruments=self.instruments)
        self.templates = TemplateRepository(db, clock=clock)
        self.drafts = DraftRepository(db, clock=clock)
        self.keys = KeyRepository(db, clock=clock)
        self.meditations = MeditationRepository(db, clock=clock)
        self.preferences = PreferenceRepository(db, clock=clock)
        self.imported = ImportedRepository(db, clock=clock)
        self.search = SearchRepository(db)
        self.workspace = WorkspaceRepository(db, clock=clock)
