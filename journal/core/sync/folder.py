"""A journal's files in a sync folder: each device's hash-chained segments, blobs and key.

The layout, inside the folder a sync engine (Syncthing, Nextcloud, Dropbox, a
USB stick) moves between computers::

    <root>/afterglow-<journal_id>/<device_id>/<32 hex>         a segment
    <root>/afterglow-<journal_id>/<device_id>/blobs/<32 hex>   a blob (attachment bytes)
    <root>/afterglow-<journal_id>/<device_id>/key              the device's key file

A device writes only in its own folder, so no file is ever written by two
devices. Names are random (segments) or keyed (blobs) and every file is
sealed by `journal.core.sync.envelope`, so names and sizes say nothing. A
segment holds the caller's payload, its seq and the SHA-256 of the device's
previous segment file: each device's segments form a chain. `scan` returns
only what extends the chain already applied; anything else (conflict copies,
stray, damaged, foreign, replayed or out-of-chain files) is refused with one
sentence quoting no content. This module knows nothing of the journal's tables.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from journal.core.errors import (
    SyncBlobDamaged,
    SyncBlobMissing,
    SyncFileUnreadable,
    SyncFolderUnavailable,
)
from journal.core.fsutil import atomic_write_bytes, fsync_dir, output_error
from journal.core.sync import envelope
from journal.core.sync.envelope import NotPlainFile, Oversized, Refused, shown

MAX_SEGMENT_BYTES = envelope.MAX_SEGMENT_BYTES
MAX_KEY_FILE_BYTES = 64 * 1024
KEY_FILE = "key"
BLOBS = "blobs"
JOURNAL_PREFIX = "afterglow-"

_JOURNAL_DIR = re.compile(JOURNAL_PREFIX + r"([0-9a-f]{32})")


@dataclass(frozen=True)
class SegmentRef:
    """A segment this device wrote: ``digest`` is the ``prev`` of its next one."""

    name: str
    seq: int
    digest: str


@dataclass(frozen=True)
class Segment:
    """A verified segment of another device, ready to be applied."""

    name: str
    seq: int
    digest: str
    prev: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class DeviceCursor:
    """What the reader has applied from one device: the newest segment's seq
    and digest, and every name it need not read again — the segments applied
    and the files refused for good (``Problem.retry`` false), so each refusal
    is reported once."""

    seq: int = 0
    digest: str = ""
    names_seen: frozenset[str] = frozenset()

    def advanced(self, applied: Sequence[Segment], settled: Iterable[str] = ()) -> DeviceCursor:
        """This cursor after applying ``applied`` (in order) and settling the
        names ``settled`` (`Scan.settled`)."""
        names = self.names_seen | {segment.name for segment in applied} | set(settled)
        if not applied:
            return replace(self, names_seen=frozenset(names))
        return DeviceCursor(applied[-1].seq, applied[-1].digest, frozenset(names))


@dataclass(frozen=True)
class Problem:
    """A file refused or ignored. ``retry``: it may still be arriving, so it
    is read again next time (never put its name in ``names_seen``)."""

    device_id: str
    name: str
    sentence: str
    retry: bool = False


@dataclass(frozen=True)
class Waiting:
    """A verified segment that cannot be applied yet: one before it is missing."""

    device_id: str
    name: str
    seq: int


@dataclass(frozen=True)
class Scan:
    """``segments``: per device, verified and contiguous in seq order (devices
    with nothing new are absent); ``devices``: every device folder present."""

    segments: dict[str, list[Segment]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)
    devices: tuple[str, ...] = ()

    def settled(self, device_id: str) -> frozenset[str]:
        """The names of ``device_id``'s files refused for good."""
        return frozenset(
            p.name for p in self.problems if p.device_id == device_id and not p.retry and p.name
        )


def journal_dir(root: Path, journal_id: str) -> Path:
    return root / f"{JOURNAL_PREFIX}{_checked_id(journal_id)}"


def device_dir(root: Path, journal_id: str, device_id: str) -> Path:
    return journal_dir(root, journal_id) / _checked_id(device_id)


def find_journals(root: Path) -> list[str]:
    """The ids of the journals in the sync folder ``root``, sorted."""
    return sorted(
        match.group(1) for name in _folders(root, root) if (match := _JOURNAL_DIR.fullmatch(name))
    )


def write_segment(
    root: Path,
    journal_id: str,
    device_id: str,
    key: bytes,
    epoch: int,
    seq: int,
    prev: str,
    payload: Mapping[str, Any],
) -> SegmentRef:
    """Seal ``payload`` as segment ``seq`` after the one of digest ``prev``
    ("" for seq 1), written atomically under a random name. Raises
    `SyncFolderUnavailable` if ``root`` is gone, `DiskFull`, `OutputUnwritable`;
    ValueError for what no caller should pass (not JSON, or over MAX_SEGMENT_BYTES).
    """
    device_dir(root, journal_id, device_id)  # the ids are checked before anything is sealed
    sealed = envelope.seal_segment(
        journal_id=journal_id,
        device_id=device_id,
        key=key,
        epoch=epoch,
        seq=seq,
        prev=prev,
        payload=payload,
    )
    name = secrets.token_hex(16)
    place_segment(root, journal_id, device_id, name, sealed)
    return SegmentRef(name, seq, hashlib.sha256(sealed).hexdigest())


def place_segment(root: Path, journal_id: str, device_id: str, name: str, sealed: bytes) -> None:
    """Write a segment sealed before (`envelope.seal_segment`); again is harmless."""
    _write(_own_dir(root, journal_id, device_id) / name, sealed)


def write_blob(
    root: Path,
    journal_id: str,
    device_id: str,
    key: bytes,
    epoch: int,
    name_key: bytes,
    data: bytes,
) -> str:
    """Seal ``data`` into this device's blobs, unless already there; returns
    its content hash (SHA-256 hex). Raises as `write_segment`."""
    content_hash = hashlib.sha256(data).hexdigest()
    folder = _own_dir(root, journal_id, device_id) / BLOBS
    path = folder / envelope.blob_name(name_key, content_hash)
    if path.exists():
        return content_hash
    _make_dir(folder)
    sealed = envelope.seal(
        data, kind=envelope.BLOB, journal_id=journal_id, device_id=device_id, key=key, epoch=epoch
    )
    _write(path, sealed)
    return content_hash


def read_blob(
    root: Path,
    journal_id: str,
    keys: Mapping[int, bytes],
    name_key: bytes,
    content_hash: str,
    max_bytes: int,
) -> bytes:
    """The attachment of ``content_hash`` (at most ``max_bytes``), from any
    device's blobs that holds an intact copy.

    Raises `SyncBlobMissing` if no device has it yet, `SyncBlobDamaged` if
    every copy fails (tampered, half-copied, too large, not its content), or
    `SyncFolderUnavailable`.
    """
    name = envelope.blob_name(name_key, content_hash)
    found = False
    for device_id in _device_ids(root, journal_id):
        path = device_dir(root, journal_id, device_id) / BLOBS / name
        try:
            sealed = envelope.read_capped(path, envelope.sealed_size(max_bytes))
        except FileNotFoundError:
            continue
        except (Oversized, NotPlainFile, OSError):
            found = True
            continue
        found = True
        with contextlib.suppress(SyncFileUnreadable):
            return envelope.open_blob(
                sealed,
                journal_id=journal_id,
                device_id=device_id,
                keys=keys,
                content_hash=content_hash,
                max_bytes=max_bytes,
            )
    raise SyncBlobDamaged() if found else SyncBlobMissing()


def write_key_file(root: Path, journal_id: str, device_id: str, keyfile_bytes: bytes) -> None:
    """Place this device's key file (made by `journal.core.vault.keyfile`) atomically."""
    if len(keyfile_bytes) > MAX_KEY_FILE_BYTES:
        raise ValueError("a key file is at most MAX_KEY_FILE_BYTES")
    _write(_own_dir(root, journal_id, device_id) / KEY_FILE, keyfile_bytes)


def read_key_files(root: Path, journal_id: str) -> dict[str, bytes]:
    """Each device's key file, as bytes for `journal.core.vault.keyfile.loads`
    to judge; a device without a readable one (missing, not a plain file,
    larger than MAX_KEY_FILE_BYTES) is left out."""
    found = {}
    for device_id in _device_ids(root, journal_id):
        path = device_dir(root, journal_id, device_id) / KEY_FILE
        with contextlib.suppress(Oversized, NotPlainFile, OSError):
            found[device_id] = envelope.read_capped(path, MAX_KEY_FILE_BYTES)
    return found


def remove_own_segments(root: Path, journal_id: str, device_id: str, names: Iterable[str]) -> None:
    """Delete this device's segments ``names`` (compaction), in the order
    given — oldest first, so a crash leaves an unbroken chain to the newest.
    A name already gone is fine. Raises `OutputUnwritable`, or ValueError
    for a name that is not a segment's."""
    folder = device_dir(root, journal_id, device_id)
    wanted = list(names)
    if not all(envelope.is_sealed_name(name) for name in wanted):
        raise ValueError("segment names are 32 lowercase hex digits")
    for name in wanted:
        try:
            (folder / name).unlink(missing_ok=True)
        except OSError as error:
            raise output_error(error, folder / name) from None
    with contextlib.suppress(OSError):
        fsync_dir(folder)


def scan(
    root: Path,
    journal_id: str,
    keys: Mapping[int, bytes],
    *,
    known: Mapping[str, DeviceCursor],
    own_device: str,
) -> Scan:
    """What other devices wrote since ``known``.

    Only files whose names are not in their device's ``names_seen`` are read.
    From a device with ``known.seq > 0`` the segments start at seq+1 with
    ``prev`` equal to ``known.digest``. From a device not seen yet (seq 0),
    they start at the lowest seq whose chain is unbroken up to the newest
    present — the device may have pruned older ones after a snapshot; the
    caller applies them only if the first is seq 1 or a snapshot by its
    payload, and otherwise waits. Raises `SyncFolderUnavailable` if ``root``
    can't be read; a missing journal folder is an empty scan.
    """
    result = Scan(devices=tuple(_device_ids(root, journal_id)))
    for device_id in result.devices:
        if device_id == own_device:
            continue
        cursor = known.get(device_id, DeviceCursor())
        candidates = _read_device(root, journal_id, device_id, keys, cursor, result.problems)
        applied = _chain(device_id, candidates, cursor, result)
        if applied:
            result.segments[device_id] = applied
    return result


def _read_device(
    root: Path,
    journal_id: str,
    device_id: str,
    keys: Mapping[int, bytes],
    cursor: DeviceCursor,
    problems: list[Problem],
) -> list[Segment]:
    """The device's new segments that verify; the other new files become problems."""
    folder = device_dir(root, journal_id, device_id)
    try:
        names = sorted(entry.name for entry in folder.iterdir())
    except OSError:
        problems.append(Problem(device_id, "", envelope.FOLDER_UNREADABLE, retry=True))
        return []
    segments = []
    for name in names:
        if name in cursor.names_seen or name in (KEY_FILE, BLOBS) or envelope.in_transfer(name):
            continue
        if not envelope.is_sealed_name(name):
            problems.append(Problem(device_id, name, envelope.ignored_sentence(name)))
            continue
        try:
            sealed = envelope.read_capped(folder / name, MAX_SEGMENT_BYTES)
            seq, prev, payload = envelope.open_segment(
                sealed, journal_id=journal_id, device_id=device_id, keys=keys
            )
        except FileNotFoundError:
            continue
        except Refused as error:
            problems.append(Problem(device_id, name, shown(name) + error.reason))
            continue
        except (SyncFileUnreadable, OSError):
            problems.append(Problem(device_id, name, shown(name) + envelope.UNREADABLE, retry=True))
            continue
        digest = hashlib.sha256(sealed).hexdigest()
        segments.append(Segment(name, seq, digest, prev, payload))
    return segments


def _chain(
    device_id: str, candidates: list[Segment], cursor: DeviceCursor, result: Scan
) -> list[Segment]:
    """The candidates that extend the device's chain from ``cursor``; the
    rest become problems (stale, duplicate, forked, not linked) or waiting."""

    def refuse(candidate: Segment, reason: str) -> None:
        result.problems.append(Problem(device_id, candidate.name, shown(candidate.name) + reason))

    by_seq: dict[int, list[Segment]] = {}
    for candidate in candidates:
        if candidate.seq <= cursor.seq:
            refuse(candidate, envelope.STALE)
        else:
            by_seq.setdefault(candidate.seq, []).append(candidate)
    if cursor.seq > 0:
        seq, digest = cursor.seq + 1, cursor.digest
    else:
        seq, digest = _base(by_seq), None
    applied = []
    while group := by_seq.pop(seq, []):
        linked = [c for c in group if digest is None or c.prev == digest]
        for candidate in group:
            if digest is not None and candidate.prev != digest:
                refuse(candidate, envelope.NOT_LINKED)
        if len({c.digest for c in linked}) > 1:
            for candidate in linked:
                refuse(candidate, envelope.FORKED)
            break
        if not linked:
            break
        first, *copies = linked
        for candidate in copies:
            refuse(candidate, envelope.DUPLICATE)
        applied.append(first)
        seq, digest = seq + 1, first.digest
    for group in by_seq.values():
        result.waiting.extend(Waiting(device_id, c.name, c.seq) for c in group)
    return applied


def _base(by_seq: Mapping[int, list[Segment]]) -> int:
    """For a device not seen yet: the lowest seq from which every seq up to the
    newest is present and each links to one before it."""
    if not by_seq:
        return 1
    seq = max(by_seq)
    while seq - 1 in by_seq:
        before = {c.digest for c in by_seq[seq - 1]}
        if not any(c.prev in before for c in by_seq[seq]):
            break
        seq -= 1
    return seq


def _checked_id(identifier: str) -> str:
    if not envelope.is_sealed_name(identifier):
        raise ValueError("journal and device ids are 32 lowercase hex digits")
    return identifier


def _folders(root: Path, where: Path) -> list[str]:
    """The names of the folders (not links) in ``where``; ``where`` missing is
    none, ``root`` missing or anything unreadable is `SyncFolderUnavailable`."""
    try:
        with os.scandir(where) as entries:
            return [entry.name for entry in entries if entry.is_dir(follow_symlinks=False)]
    except FileNotFoundError:
        if where != root and root.is_dir():
            return []
        raise SyncFolderUnavailable() from None
    except OSError:
        raise SyncFolderUnavailable() from None


def _device_ids(root: Path, journal_id: str) -> list[str]:
    return sorted(
        n for n in _folders(root, journal_dir(root, journal_id)) if envelope.is_sealed_name(n)
    )


def _own_dir(root: Path, journal_id: str, device_id: str) -> Path:
    """This device's folder, created if needed — but never the sync folder
    itself: a missing ``root`` is an unmounted drive, not a place to write."""
    folder = device_dir(root, journal_id, device_id)
    if not root.is_dir():
        raise SyncFolderUnavailable()
    _make_dir(folder.parent)
    _make_dir(folder)
    return folder


def _make_dir(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as error:
        raise output_error(error, folder) from None


def _write(path: Path, data: bytes) -> None:
    atomic_write_bytes(path, data, mode=0o600, output=True)
