"""What an import stored, and storing one item: once (an item an earlier
import brought is not stored again), in a savepoint (an item refused for its
own fault leaves no trace and is counted; a full disk stops everything)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from journal.core.errors import InvalidInput, NotFound
from journal.core.imports.plan import Skipped
from journal.core.vault.repositories.imported import Kind
from journal.core.vault.vault import Vault


class Stored(Protocol):
    id: int | None


def count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


@dataclass
class ImportResult:
    entries: int = 0
    sessions: int = 0
    attachments: int = 0
    checkins: int = 0
    already: int = 0
    refused: Skipped = field(default_factory=Skipped)

    def sentence(self) -> str:
        added = [
            count(self.entries, "entry", "entries"),
            *([count(self.sessions, "session", "sessions")] if self.sessions else []),
            *(
                [count(self.attachments, "picture or recording", "pictures and recordings")]
                if self.attachments
                else []
            ),
            *([count(self.checkins, "check-in", "check-ins")] if self.checkins else []),
        ]
        text = "Imported " + ", ".join(added) + "."
        if self.already:
            text += f" {count(self.already, 'item was', 'items were')} already in your journal."
        for line in self.refused.lines():
            text += f" {line[0].upper()}{line[1:]}."
        return text


def once(
    vault: Vault, result: ImportResult, key: str, kind: Kind, store: Callable[[], Stored]
) -> int | None:
    """Store an item unless an earlier import brought it; its new id, or None
    when it was there already or was refused (counted in ``result``)."""
    if vault.imported.find(key) is not None:
        result.already += 1
        return None
    try:
        with vault.db.transaction():  # a savepoint: a refused item leaves no trace
            record_id = store().id
            assert record_id is not None
            vault.imported.remember(key, kind, record_id)
    except (InvalidInput, NotFound) as error:  # this item's fault; a full disk stops it all
        reason = str(error).rstrip(".")
        result.refused.add(
            f"1 item could not be kept ({reason})", f"{{n}} items could not be kept ({reason})"
        )
        return None
    if kind == "session":
        result.sessions += 1
    elif kind == "entry":
        result.entries += 1
    elif kind == "checkin":
        result.checkins += 1
    return record_id
