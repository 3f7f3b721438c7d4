"""Changes and how they merge: the rules that make every device converge.

A `Change` is what one device did to one record: the fields it set (a
tombstone sets none), stamped with a hybrid logical clock (`Clock`) and with
``seen``, the record's version vector on that device at the time (for each
device, the newest clock of that device's changes to the record it had
applied, directly or through another change's ``seen``).

`resolve` turns the set of a record's changes into its state, and is a
function of the *set* alone: changes applied twice or in any order give the
same record on every device.

- A field's value is the one set by the newest change (by clock, then device
  id) that set it: last writer wins per field.
- Change ``a`` *dominates* ``b`` when ``a``'s device had seen ``b``
  (``a.seen[b.device] >= b.hlc``). A record is deleted only when every change
  that no other change dominates is a tombstone: an edit made on a device
  that had not seen the deletion brings the record back, nothing silently
  lost.
- For a field a person writes (`SyncedTable.texts`), every other value set
  by a change that no other setter of the field dominates is a *conflict*:
  both versions are kept, the newest is shown, and the person chooses.

`prunable` names changes that can be forgotten without changing `resolve`'s
answer for any future set (each of its fields was set again by a change that
had seen it), which keeps the vault's sync state about the size of the
journal rather than of its history.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Value = str | int | float | None
_MAX_TEXT = 16 * 1024 * 1024


@dataclass(frozen=True)
class Change:
    table: str
    gid: str
    device: str
    hlc: int
    fields: Mapping[str, Value] = field(default_factory=dict)
    seen: Mapping[str, int] = field(default_factory=dict)
    deleted: bool = False

    @property
    def order(self) -> tuple[int, str]:
        return (self.hlc, self.device)

    def dominates(self, other: Change) -> bool:
        if other.device == self.device and other.hlc == self.hlc:
            return False
        return self.seen.get(other.device, -1) >= other.hlc

    def to_json(self) -> list[Any]:
        return [
            self.table,
            self.gid,
            self.device,
            self.hlc,
            dict(self.fields),
            dict(self.seen),
            1 if self.deleted else 0,
        ]

    @classmethod
    def from_json(cls, raw: Any, *, tables: Iterable[str]) -> Change:
        """Raises ValueError for anything not shaped like a change."""
        if not isinstance(raw, list) or len(raw) != 7:
            raise ValueError("not a change")
        table, gid, device, hlc, fields, seen, deleted = raw
        if table not in set(tables) or not _is_id(gid, 512) or not _is_id(device, 64):
            raise ValueError("bad record")
        if not _is_count(hlc) or deleted not in (0, 1) or not isinstance(fields, dict):
            raise ValueError("bad change")
        if not isinstance(seen, dict) or len(seen) > 4096:
            raise ValueError("bad version vector")
        for name, value in fields.items():
            if not (isinstance(name, str) and len(name) <= 64):
                raise ValueError("bad field")
            if isinstance(value, bool) or not isinstance(value, str | int | float | None):
                raise ValueError("bad value")
            if isinstance(value, str) and len(value) > _MAX_TEXT:
                raise ValueError("value too long")
        if not all(_is_id(k, 64) and _is_count(v) for k, v in seen.items()):
            raise ValueError("bad version vector")
        if deleted and fields:
            raise ValueError("a tombstone sets no fields")
        return cls(table, gid, device, hlc, fields, seen, bool(deleted))


def _is_id(value: Any, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << 63


@dataclass(frozen=True)
class Resolved:
    """A record's state: ``alive`` or deleted, its values, and per written
    field the other versions still to be chosen between."""

    alive: bool
    values: dict[str, Value]
    conflicts: dict[str, list[Change]]


def _undominated(changes: Sequence[Change]) -> list[Change]:
    return [c for c in changes if not any(other.dominates(c) for other in changes)]


def resolve(changes: Iterable[Change], texts: Iterable[str] = ()) -> Resolved:
    ordered = sorted(changes, key=lambda c: c.order)
    alive = any(not c.deleted for c in _undominated(ordered))
    values: dict[str, Value] = {}
    for change in ordered:
        values.update(change.fields)
    conflicts: dict[str, list[Change]] = {}
    for name in texts:
        setters = [c for c in ordered if name in c.fields]
        if len(setters) < 2:
            continue
        winner = setters[-1]
        others = [
            c
            for c in _undominated(setters)
            if c is not winner and c.fields[name] != winner.fields[name]
        ]
        if others:
            conflicts[name] = others
    return Resolved(alive=alive, values=values, conflicts=conflicts)


def prunable(changes: Sequence[Change]) -> list[Change]:
    """Changes whose every field was set again by a change that had seen
    them, and tombstones an edit had seen: forgetting them changes nothing."""
    gone = []
    for change in changes:
        if change.deleted or not change.fields:
            if any(other.dominates(change) for other in changes):
                gone.append(change)
            continue
        if all(
            any(name in other.fields and other.dominates(change) for other in changes)
            for name in change.fields
        ):
            gone.append(change)
    return gone


def version_vector(changes: Iterable[Change]) -> dict[str, int]:
    vector: dict[str, int] = {}
    for change in changes:
        for device, hlc in (*change.seen.items(), (change.device, change.hlc)):
            if hlc > vector.get(device, -1):
                vector[device] = hlc
    return vector


LOGICAL_BITS = 16


class Clock:
    """A hybrid logical clock: wall-clock milliseconds in the high bits, a
    counter in the low 16, never going back and always after every clock
    this device has received, so a change made after seeing another sorts
    after it even when this computer's clock is behind."""

    def __init__(self, last: int = 0, *, wall: Callable[[], float] = time.time) -> None:
        self.last = last
        self._wall = wall

    def tick(self) -> int:
        now = int(self._wall() * 1000) << LOGICAL_BITS
        self.last = max(now, self.last + 1)
        return self.last

    def observe(self, hlc: int) -> None:
        if hlc > self.last:
            self.last = hlc
