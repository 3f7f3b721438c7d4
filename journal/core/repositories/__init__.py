"""Repositories: the only code that runs SQL on the vault's domain tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from journal.core.db import Database
from journal.core.repositories.attachments import AttachmentRepository
from journal.core.repositories.checkins import CheckinRepository
from journal.core.repositories.drafts import DraftRepository
from journal.core.repositories.entries import EntryRepository
from journal.core.repositories.keys import KeyRepository
from journal.core.repositories.motifs import MotifRepository
from journal.core.repositories.search import SearchRepository
from journal.core.repositories.sessions import SessionRepository
from journal.core.repositories.templates import TemplateRepository


class Repositories:
    """All repositories of one open vault, sharing its database and clock."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime]) -> None:
        self.sessions = SessionRepository(db, clock=clock)
        self.motifs = MotifRepository(db, clock=clock)
        self.entries = EntryRepository(db, clock=clock, motifs=self.motifs)
        self.attachments = AttachmentRepository(db, clock=clock)
        self.checkins = CheckinRepository(db, clock=clock)
        self.templates = TemplateRepository(db, clock=clock)
        self.drafts = DraftRepository(db, clock=clock)
        self.keys = KeyRepository(db, clock=clock)
        self.search = SearchRepository(db)
