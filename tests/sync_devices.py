"""Devices of one journal for sync tests: real vaults exchanging changes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from journal.core.model import Answer, Entry, Session
from journal.core.sync import merge, store
from journal.core.sync.changes import Change
from journal.core.vault import vault as vaults
from journal.core.vault.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE


@dataclass
class Device:
    vault: Vault
    id: str
    blobs: dict[str, bytes]
    log: list[list[Change]] = field(default_factory=list)

    @property
    def db(self):  # type: ignore[no-untyped-def]
        return self.vault.db

    def send(self) -> list[Change]:
        """Capture what changed here into the next batch of the device's log."""
        merge.merge(
            self.db, self.id, [], blob_sink=self.blobs.__setitem__, blob_source=self.blobs.get
        )
        with self.db.transaction():
            batch = store.unsent(self.db)
            self.db.execute("UPDATE sync_changes SET sent = 1 WHERE sent = 0")
        self.log.append(batch)
        return batch

    def receive(self, batch: list[Change]) -> merge.Merged:
        return merge.merge(
            self.db, self.id, batch, blob_sink=self.blobs.__setitem__, blob_source=self.blobs.get
        )

    def content(self) -> dict:  # type: ignore[type-arg]
        return merge.rows.journal_content(self.db)


def make_devices(tmp_path: Path, count: int) -> list[Device]:
    journal = secrets.token_hex(16)
    blobs: dict[str, bytes] = {}
    devices = []
    for index in range(count):
        vault, _code = vaults.create(tmp_path / f"d{index}" / "j.vault", PASSPHRASE, kdf=FAST_KDF)
        with vault.db.transaction():
            store.set_meta(vault.db, store.JOURNAL_KEY, journal)
            merge.mark_everything(vault.db)
        devices.append(Device(vault, f"{index:02d}" + secrets.token_hex(15), blobs))
    return devices


def entry(title: str, *texts: str, session_id: int | None = None) -> Entry:
    return Entry(
        title=title,
        session_id=session_id,
        answers=[
            Answer(prompt_key=f"p{i}", prompt_text=f"Prompt {i}", text=t)
            for i, t in enumerate(texts)
        ],
    )


def session(notes: str = "") -> Session:
    return Session(started_at=datetime(2026, 11, 30, 9, 0), notes=notes)
