"""The sealed files of the sync folder: encrypted, authenticated and padded.

Every file Afterglow puts in a sync folder (a segment of a device's changes,
or an attachment's bytes) is::

    b"AGS1" | kind (b"S" or b"B") | epoch (4 bytes, big-endian) | nonce (12) | AES-GCM

The associated data binds the file to its journal, its device's folder, its
kind and its epoch, so a file of another journal, one copied into another
device's folder, or a blob renamed as a segment fails authentication. The
plaintext is an 8-byte length, the body, and zeros up to a Padmé size
(Nikitin et al., 2019) of at least 4096 bytes: a file's size leaks
O(log log size) bits and costs at most 12 % of padding.

A file that fails any check raises `SyncFileUnreadable`; the caller cannot
tell a tampered file from one the sync engine has not finished copying, and
should try it again when it changes. A file refused for good raises a
`Refused` carrying its sentence. The names of the folder's files are
recognised here too: Afterglow's own, an engine's temporaries, and its
conflict copies.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from journal.core.errors import SyncFileUnreadable

MAGIC = b"AGS1"
SEGMENT = b"S"
BLOB = b"B"
KEY_BYTES = 32
MIN_PADDED = 4096
MAX_SEGMENT_BYTES = 64 * 1024 * 1024
MAX_JSON_BYTES = 256 * 1024 * 1024  # what a segment may inflate to
_NONCE = 12
_TAG = 16
_LENGTH = 8
_HEADER = len(MAGIC) + 1 + 4
_MAX_EPOCH = 2**32 - 1
_DIGEST = re.compile(r"[0-9a-f]{64}")
_SEALED_NAME = re.compile(r"[0-9a-f]{32}")
# Files a sync engine is still bringing: ignored without a word.
_IN_TRANSFER = re.compile(
    r"\.syncthing\..*\.tmp"  # Syncthing's temporary
    r"|~syncthing~.*\.tmp"  # Syncthing's temporary on Windows
    r"|\.[0-9a-f]{32}\.[0-9a-f]{12}\.tmp"  # a writer's atomic_write_bytes, mid-write
    r"|\..*\.~[0-9a-f]+"  # the Nextcloud client's partial download
)
_CONFLICT_COPIES = (
    (re.compile(r".*\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]{7}.*"), "Syncthing"),
    (re.compile(r".*\(conflicted copy \d{4}-\d{2}-\d{2} \d{6}\).*"), "the Nextcloud client"),
    (re.compile(r".*\(.*conflicted copy.*\).*", re.IGNORECASE), "Dropbox"),
)
_SEGMENT_FIELDS = frozenset({"journal", "device", "seq", "prev", "payload"})
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)  # a link could point anywhere, /dev/zero included
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO must not block the scan
    | getattr(os, "O_BINARY", 0)
)


# How a refused file is spoken of: each follows the file's quoted name (`shown`).
FOLDER_UNREADABLE = (
    "One device's folder in the sync folder could not be read; it will be tried again."
)
UNREADABLE = (
    " could not be read (it may still be arriving, or it was damaged or changed); "
    "it will be tried again when it changes."
)
STALE = (
    " is older than what was already applied from that device (perhaps an old file "
    "copied under a new name), so it was ignored."
)
DUPLICATE = " is a second copy of a file already taken from that device, so it was ignored."
FORKED = " claims the same place in that device's history as another file, so neither was applied."
NOT_LINKED = (
    " does not follow the file before it from that device, so it and what comes after it "
    "were not applied."
)


class Refused(Exception):
    """A file refused for good; ``reason`` ends the sentence that names it."""

    reason = " was refused."


class Oversized(Refused):
    """A file larger than its limit; raised by `read_capped` before reading it."""

    reason = " is larger than any file Afterglow writes, so it was not read."


class NotPlainFile(Refused):
    """A folder, link, FIFO or device where a file was expected."""

    reason = " is not a plain file (a folder or a link), so it was not read."


class MalformedSegment(Refused):
    """A segment that opened but does not hold what `seal_segment` makes."""

    reason = " does not hold what Afterglow writes, so nothing in it was applied."


def padme(length: int) -> int:
    """The Padmé size for ``length``: keep the top ⌊log₂ E⌋+1 bits of
    E = ⌊log₂ length⌋ significant, round the rest up."""
    if length < 2:
        return length
    exponent = length.bit_length() - 1
    low_bits = exponent - exponent.bit_length()
    mask = (1 << low_bits) - 1
    return (length + mask) & ~mask


def padded_size(body_length: int) -> int:
    """How long the plaintext of a body of ``body_length`` bytes is once padded."""
    return padme(max(MIN_PADDED, _LENGTH + body_length))


def sealed_size(body_length: int) -> int:
    """The size of the file that holds a body of ``body_length`` bytes."""
    return _HEADER + _NONCE + padded_size(body_length) + _TAG


def associated_data(kind: bytes, journal_id: str, device_id: str, epoch: int) -> bytes:
    return (
        b"afterglow-sync/1/"
        + journal_id.encode("ascii")
        + b"/"
        + device_id.encode("ascii")
        + b"/"
        + kind
        + epoch.to_bytes(4, "big")
    )


def seal(
    body: bytes, *, kind: bytes, journal_id: str, device_id: str, key: bytes, epoch: int
) -> bytes:
    """The file's bytes for ``body``. Raises ValueError for a key that is not
    32 bytes or an epoch outside 0…2³²−1 (the caller's bug)."""
    if len(key) != KEY_BYTES:
        raise ValueError("a sync key is 32 bytes")
    if not 0 <= epoch <= _MAX_EPOCH:
        raise ValueError("a key epoch is an unsigned 32-bit number")
    padding = padded_size(len(body)) - _LENGTH - len(body)
    plaintext = b"".join((len(body).to_bytes(_LENGTH, "big"), body, bytes(padding)))
    header = MAGIC + kind + epoch.to_bytes(4, "big")
    nonce = secrets.token_bytes(_NONCE)
    aad = associated_data(kind, journal_id, device_id, epoch)
    return b"".join((header, nonce, AESGCM(key).encrypt(nonce, plaintext, aad)))


def open_sealed(
    data: bytes, *, kind: bytes, journal_id: str, device_id: str, keys: Mapping[int, bytes]
) -> bytes:
    """The body sealed in ``data``. Raises `SyncFileUnreadable` if the file is
    not of this kind, journal and device, its epoch's key is not in ``keys``,
    or a single byte of it was changed, cut off or added."""
    if len(data) < _HEADER + _NONCE + MIN_PADDED + _TAG:
        raise SyncFileUnreadable()
    if data[: len(MAGIC)] != MAGIC or data[len(MAGIC) : len(MAGIC) + 1] != kind:
        raise SyncFileUnreadable()
    epoch = int.from_bytes(data[len(MAGIC) + 1 : _HEADER], "big")
    key = keys.get(epoch)
    if key is None:
        raise SyncFileUnreadable()
    nonce = data[_HEADER : _HEADER + _NONCE]
    aad = associated_data(kind, journal_id, device_id, epoch)
    try:
        plaintext = AESGCM(key).decrypt(nonce, data[_HEADER + _NONCE :], aad)
    except InvalidTag:
        raise SyncFileUnreadable() from None
    length = int.from_bytes(plaintext[:_LENGTH], "big")
    if len(plaintext) != padded_size(length) or plaintext[_LENGTH + length :].strip(b"\0"):
        raise SyncFileUnreadable()
    return plaintext[_LENGTH : _LENGTH + length]


def seal_segment(
    *,
    journal_id: str,
    device_id: str,
    key: bytes,
    epoch: int,
    seq: int,
    prev: str,
    payload: Mapping[str, Any],
) -> bytes:
    """A segment file holding ``payload`` at place ``seq`` of the device's
    chain, after the file of digest ``prev``. ValueError if the file would pass
    MAX_SEGMENT_BYTES (split the changes) or for arguments `_pack_segment` refuses."""
    body = _pack_segment(
        journal_id=journal_id, device_id=device_id, seq=seq, prev=prev, payload=payload
    )
    sealed = seal(
        body, kind=SEGMENT, journal_id=journal_id, device_id=device_id, key=key, epoch=epoch
    )
    if len(sealed) > MAX_SEGMENT_BYTES:
        raise ValueError("a segment is at most MAX_SEGMENT_BYTES; split the changes")
    return sealed


def open_segment(
    data: bytes, *, journal_id: str, device_id: str, keys: Mapping[int, bytes]
) -> tuple[int, str, dict[str, Any]]:
    """``(seq, prev, payload)`` of a segment file. Raises `SyncFileUnreadable`
    or `MalformedSegment`."""
    body = open_sealed(data, kind=SEGMENT, journal_id=journal_id, device_id=device_id, keys=keys)
    return _unpack_segment(body, journal_id=journal_id, device_id=device_id)


def blob_name(name_key: bytes, content_hash: str) -> str:
    """A blob's file name: keyed, so equal attachments share it but it says nothing."""
    if len(name_key) < 16:
        raise ValueError("a blob name key is at least 16 bytes")
    if not _DIGEST.fullmatch(content_hash):
        raise ValueError("a content hash is 64 lowercase hex digits")
    return hmac.new(name_key, bytes.fromhex(content_hash), hashlib.sha256).hexdigest()[:32]


def open_blob(
    data: bytes,
    *,
    journal_id: str,
    device_id: str,
    keys: Mapping[int, bytes],
    content_hash: str,
    max_bytes: int,
) -> bytes:
    """The attachment sealed in a blob file, if it is ``content_hash``'s and at
    most ``max_bytes``; otherwise `SyncFileUnreadable`."""
    body = open_sealed(data, kind=BLOB, journal_id=journal_id, device_id=device_id, keys=keys)
    if len(body) > max_bytes or hashlib.sha256(body).hexdigest() != content_hash:
        raise SyncFileUnreadable()
    return body


def _pack_segment(
    *, journal_id: str, device_id: str, seq: int, prev: str, payload: Mapping[str, Any]
) -> bytes:
    """A segment's body: zlib-compressed JSON naming its journal, device, place
    in the chain (``seq`` from 1; ``prev``, the digest of the file before, ""
    only for seq 1) and the caller's ``payload``. ValueError for a payload
    that is not JSON or a seq or prev that no chain has."""
    if not _valid_place(seq, prev):
        raise ValueError("seq counts from 1; prev is the previous file's digest, '' for seq 1")
    doc = {"journal": journal_id, "device": device_id, "seq": seq, "prev": prev}
    text = json.dumps({**doc, "payload": dict(payload)}, ensure_ascii=False, allow_nan=False)
    return zlib.compress(text.encode("utf-8"))


def _unpack_segment(
    body: bytes, *, journal_id: str, device_id: str
) -> tuple[int, str, dict[str, Any]]:
    """``(seq, prev, payload)`` of a segment's body. Raises `MalformedSegment`
    unless it is exactly what `_pack_segment` makes for this journal and device
    (and inflates to at most MAX_JSON_BYTES)."""
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(body, MAX_JSON_BYTES + 1)
        if len(text) > MAX_JSON_BYTES or not inflater.eof or inflater.unused_data:
            raise MalformedSegment()
        doc = json.loads(text.decode("utf-8"), parse_constant=_no_constant)
    except (zlib.error, ValueError, RecursionError):
        raise MalformedSegment() from None
    if not isinstance(doc, dict) or doc.keys() != _SEGMENT_FIELDS:
        raise MalformedSegment()
    seq, prev, payload = doc["seq"], doc["prev"], doc["payload"]
    if doc["journal"] != journal_id or doc["device"] != device_id:
        raise MalformedSegment()
    if not _valid_place(seq, prev) or not isinstance(payload, dict):
        raise MalformedSegment()
    return seq, prev, payload


def _valid_place(seq: object, prev: object) -> bool:
    if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq < 2**63:
        return False
    return isinstance(prev, str) and (prev == "" if seq == 1 else bool(_DIGEST.fullmatch(prev)))


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def read_capped(path: Path, limit: int) -> bytes:
    """The bytes of the plain file at ``path``, read only if at most ``limit``
    bytes (checked on the open file before reading, and again while reading).

    Raises `Oversized`, `NotPlainFile` (links are not followed, FIFOs do not
    block), FileNotFoundError, or another OSError.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotPlainFile() from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotPlainFile()
        if info.st_size > limit:
            raise Oversized()
        chunks = []
        total = 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise Oversized()
        return b"".join(chunks)
    finally:
        os.close(fd)


def is_sealed_name(name: str) -> bool:
    """Whether ``name`` is one Afterglow gives a segment or blob (32 lowercase hex)."""
    return bool(_SEALED_NAME.fullmatch(name))


def in_transfer(name: str) -> bool:
    """Whether ``name`` is a sync engine's (or a writer's) file still being written."""
    return bool(_IN_TRANSFER.fullmatch(name))


def shown(name: str) -> str:
    """A file name fit for a sentence: quoted, printable, and not too long."""
    printable = "".join(c if c.isprintable() else "?" for c in name)
    return f"“{printable[:80]}…”" if len(printable) > 80 else f"“{printable}”"


def ignored_sentence(name: str) -> str:
    """What to say of a file Afterglow did not write, naming the engine of a conflict copy."""
    for pattern, engine in _CONFLICT_COPIES:
        if pattern.fullmatch(name):
            return (
                f"{shown(name)} is a conflict copy made by {engine}; Afterglow never writes "
                "a file twice, so nothing in it is needed and it was ignored."
            )
    return (
        f"{shown(name)} is not a file Afterglow wrote (perhaps a sync engine's conflict "
        "copy); it was ignored."
    )
