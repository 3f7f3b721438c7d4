"""Questionnaires in a vault: the built-ins plus those a clinician handed over.

An imported instrument is stored as its TOML source, validated on the way in
and again whenever it is read, so the vault needs nothing outside itself.
"""

from __future__ import annotations

from pathlib import Path

from journal.core.checkins.definitions import Instrument
from journal.core.checkins.instrument_file import MAX_INSTRUMENT_BYTES, parse_instrument
from journal.core.checkins.instruments import INSTRUMENTS, builtin_instruments
from journal.core.errors import InstrumentInvalid, NotFound
from journal.core.vault.repositories.base import Repository


class InstrumentRepository(Repository):
    def custom(self) -> list[Instrument]:
        rows = self._db.query("SELECT id, source FROM instruments ORDER BY id")
        return [parse_instrument(r["source"], name=f"{r['id']}.toml") for r in rows]

    def all(self) -> list[Instrument]:
        """The questionnaires to offer: the built-ins, then the imported ones."""
        return [*builtin_instruments(), *self.custom()]

    def get(self, kind: str) -> Instrument:
        """A built-in (mood included) or an imported instrument, by id."""
        if kind in INSTRUMENTS:
            return INSTRUMENTS[kind]
        row = self._db.query_one("SELECT source FROM instruments WHERE id = ?", (kind,))
        if row is None:
            raise NotFound(f'There is no questionnaire called "{kind}" in this journal.')
        return parse_instrument(row["source"], name=f"{kind}.toml")

    def by_kind(self) -> dict[str, Instrument]:
        """Every instrument by id, for scoring, trends and reports."""
        return {**INSTRUMENTS, **{i.id: i for i in self.custom()}}

    def add_source(self, text: str, *, name: str = "questionnaire") -> Instrument:
        """Validate TOML text and store it; an imported instrument with the same id
        is replaced. Raises `InstrumentInvalid`."""
        instrument = parse_instrument(text, name=name)
        if instrument.id in INSTRUMENTS:
            raise InstrumentInvalid(
                f'{name}: the id "{instrument.id}" belongs to a questionnaire that comes with '
                "Afterglow; give this one another id."
            )
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO instruments (id, source, imported_at) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET source = excluded.source, "
                "imported_at = excluded.imported_at",
                (instrument.id, text, self._now()),
            )
        return instrument

    def import_file(self, path: Path) -> Instrument:
        """Import a questionnaire file into the vault. Raises `InstrumentInvalid`."""
        path = Path(path)
        try:
            if path.stat().st_size > MAX_INSTRUMENT_BYTES:
                raise InstrumentInvalid(
                    f"{path.name}: the file is too large to be a questionnaire."
                )
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InstrumentInvalid(f"{path.name}: the file is not UTF-8 text.") from None
        except OSError:
            raise InstrumentInvalid(f"{path.name}: the file could not be read.") from None
        return self.add_source(text, name=path.name)
