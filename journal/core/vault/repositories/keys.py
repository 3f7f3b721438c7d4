"""Sharing keys: a therapist's own age identities, and the therapist keys
(age recipients) a patient shares with, remembered as named contacts."""

from __future__ import annotations

from dataclasses import dataclass

import pyrage

from journal.core.errors import InvalidInput, NotFound
from journal.core.text import MAX_SHORT_CHARS, checked_text
from journal.core.vault.repositories.base import Repository


@dataclass(frozen=True)
class Contact:
    id: int
    name: str
    recipient: str


@dataclass(frozen=True)
class SharingKey:
    """One of the therapist's own keys; ``recipient`` is the public part."""

    id: int
    name: str
    recipient: str


def is_valid_recipient(text: str) -> bool:
    """True for an age X25519 public key (``age1…``)."""
    try:
        pyrage.x25519.Recipient.from_str(text.strip())
    except Exception:  # pyrage raises several error types for malformed keys
        return False
    return True


class KeyRepository(Repository):
    def create_identity(self, name: str = "My sharing key") -> SharingKey:
        """A new X25519 key pair; the secret never leaves the vault."""
        identity = pyrage.x25519.Identity.generate()
        recipient = str(identity.to_public())
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO identities (name, secret, recipient, created_at) VALUES (?, ?, ?, ?)",
                (
                    checked_text(name, what="name", max_chars=MAX_SHORT_CHARS),
                    str(identity),
                    recipient,
                    self._now(),
                ),
            )
        return SharingKey(int(cursor.lastrowid), name, recipient)

    def sharing_keys(self) -> list[SharingKey]:
        rows = self._db.query("SELECT id, name, recipient FROM identities ORDER BY id")
        return [SharingKey(int(r["id"]), str(r["name"]), str(r["recipient"])) for r in rows]

    def identity_secrets(self) -> list[str]:
        """Secret keys, to open bundles made for this therapist (in memory only)."""
        return [str(r[0]) for r in self._db.query("SELECT secret FROM identities ORDER BY id")]

    def add_contact(self, name: str, recipient: str) -> Contact:
        """Remember a therapist's public key under a name. Raises `InvalidInput`
        for anything that is not an age X25519 public key."""
        recipient = recipient.strip()
        if not is_valid_recipient(recipient):
            raise InvalidInput(
                "That is not a therapist key. A key starts with “age1” and is 62 characters "
                "long; copy it again from your therapist's file or message."
            )
        name = checked_text(name, what="name", max_chars=MAX_SHORT_CHARS).strip() or "My therapist"
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO contacts (name, recipient, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT(recipient) DO UPDATE SET name = excluded.name",
                (name, recipient, self._now()),
            )
        row = self._db.query_one("SELECT id FROM contacts WHERE recipient = ?", (recipient,))
        if row is None:
            raise NotFound()
        return Contact(int(row["id"]), name, recipient)

    def contacts(self) -> list[Contact]:
        rows = self._db.query("SELECT id, name, recipient FROM contacts ORDER BY name")
        return [Contact(int(r["id"]), str(r["name"]), str(r["recipient"])) for r in rows]
