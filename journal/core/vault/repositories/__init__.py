"""Repositories: the only code that runs SQL on the vault's domain tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from journal.core.vault.db import Database

if TYPE_CHECKING:
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
    """All repositories of one open vault, sharing its database and clock.

    Each is made — and its module imported — the first time it is used: a
    command such as `afterglow search` needs two of the fourteen, and
    importing them all (the questionnaires' definitions, the imagery's media
    types) cost a third of its start-up.
    """

    def __init__(self, db: Database, *, clock: Callable[[], datetime]) -> None:
        self._db = db
        self._clock = clock

    @cached_property
    def sessions(self) -> SessionRepository:
        from journal.core.vault.repositories.sessions import SessionRepository

        return SessionRepository(self._db, clock=self._clock)

    @cached_property
    def motifs(self) -> MotifRepository:
        from journal.core.vault.repositories.motifs import MotifRepository

        return MotifRepository(self._db, clock=self._clock)

    @cached_property
    def entries(self) -> EntryRepository:
        from journal.core.vault.repositories.entries import EntryRepository

        return EntryRepository(self._db, clock=self._clock, motifs=self.motifs)

    @cached_property
    def attachments(self) -> AttachmentRepository:
        from journal.core.vault.repositories.attachments import AttachmentRepository

        return AttachmentRepository(self._db, clock=self._clock)

    @cached_property
    def instruments(self) -> InstrumentRepository:
        from journal.core.vault.repositories.instruments import InstrumentRepository

        return InstrumentRepository(self._db, clock=self._clock)

    @cached_property
    def checkins(self) -> CheckinRepository:
        from journal.core.vault.repositories.checkins import CheckinRepository

        return CheckinRepository(self._db, clock=self._clock, instruments=self.instruments)

    @cached_property
    def templates(self) -> TemplateRepository:
        from journal.core.vault.repositories.templates import TemplateRepository

        return TemplateRepository(self._db, clock=self._clock)

    @cached_property
    def drafts(self) -> DraftRepository:
        from journal.core.vault.repositories.drafts import DraftRepository

        return DraftRepository(self._db, clock=self._clock)

    @cached_property
    def keys(self) -> KeyRepository:
        from journal.core.vault.repositories.keys import KeyRepository

        return KeyRepository(self._db, clock=self._clock)

    @cached_property
    def meditations(self) -> MeditationRepository:
        from journal.core.vault.repositories.meditations import MeditationRepository

        return MeditationRepository(self._db, clock=self._clock)

    @cached_property
    def preferences(self) -> PreferenceRepository:
        from journal.core.vault.repositories.preferences import PreferenceRepository

        return PreferenceRepository(self._db, clock=self._clock)

    @cached_property
    def imported(self) -> ImportedRepository:
        from journal.core.vault.repositories.imported import ImportedRepository

        return ImportedRepository(self._db, clock=self._clock)

    @cached_property
    def search(self) -> SearchRepository:
        from journal.core.vault.repositories.search import SearchRepository

        return SearchRepository(self._db)

    @cached_property
    def workspace(self) -> WorkspaceRepository:
        from journal.core.vault.repositories.workspace import WorkspaceRepository

        return WorkspaceRepository(self._db, clock=self._clock)
