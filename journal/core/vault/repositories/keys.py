"""Sharing keys: a therapist's own age identities, and the therapist keys
(age recipients) a patient shares with, remembered as named contacts."""

from __future__ import annotations

import base64
import hashlib
import hmac
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


SHARE_CODE_RECIPIENT = "my therapist"


def recipient_label(*, key: str | None = None, name: str = "") -> str:
    """Who a bundle is for, as the pseudonymous patient id sees it: a therapist
    key, or — for a share code — the name the patient chose (case and spacing
    do not matter; "my therapist" when none)."""
    if key:
        return "key:" + key.strip()
    return "share-code:" + (" ".join(name.split()).casefold() or SHARE_CODE_RECIPIENT)


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

    def pseudonym(self, recipient: str) -> str:
        """The patient id of this journal for ``recipient`` (`recipient_label`):
        an HMAC of it under the journal's own random secret, so every bundle to
        one therapist carries the same id, another therapist sees another, and
        neither can learn anything else from it (26 base32 letters, 130 bits)."""
        secret = self._db.scalar("SELECT value FROM meta WHERE key = 'patient_id_secret'")
        if secret is None:
            raise NotFound()
        mac = hmac.new(
            bytes.fromhex(str(secret)),
            b"afterglow patient id\0" + recipient.encode(),
            hashlib.sha256,
        )
        return base64.b32encode(mac.digest()).decode("ascii").lower()[:26]

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
