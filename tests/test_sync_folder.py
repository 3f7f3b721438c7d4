"""The sync folder's files (`journal.core.sync.folder`): real files in tmp_path,
written and read back, then damaged, moved, replayed and replaced the ways a
sync engine, a crash or an attacker would."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import tracemalloc
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.core.errors import (
    JournalError,
    OutputUnwritable,
    SyncBlobDamaged,
    SyncBlobMissing,
    SyncFileUnreadable,
    SyncFolderUnavailable,
)
from journal.core.sync import envelope, folder
from journal.core.sync.folder import DeviceCursor, Scan

JOURNAL = "0" * 31 + "1"
OTHER_JOURNAL = "0" * 31 + "2"
ALICE = "a" * 32  # the device that writes
BOB = "b" * 32  # the device that reads
CAROL = "c" * 32
KEY = bytes(range(32))
KEYS = {7: KEY}
NAME_KEY = b"n" * 32
CANARY = "CANARY-hummingbird-7f3a"


def write_chain(root: Path, count: int, *, device: str = ALICE, first: int = 1, prev: str = ""):
    refs = []
    for seq in range(first, first + count):
        payload = {"n": seq, "text": f"{CANARY} number {seq}"}
        refs.append(folder.write_segment(root, JOURNAL, device, KEY, 7, seq, prev, payload))
        prev = refs[-1].digest
    return refs


def read(root: Path, known: dict[str, DeviceCursor] | None = None, keys=KEYS) -> Scan:
    return folder.scan(root, JOURNAL, keys, known=known or {}, own_device=BOB)


def seqs(result: Scan, device: str = ALICE) -> list[int]:
    return [segment.seq for segment in result.segments.get(device, [])]


def segment_path(root: Path, name: str, device: str = ALICE) -> Path:
    return folder.device_dir(root, JOURNAL, device) / name


def only_problem(result: Scan):
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


def all_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


# --- round trip -----------------------------------------------------------------------------


def test_segments_round_trip_in_order_and_chain(tmp_path: Path) -> None:
    refs = write_chain(tmp_path, 3)
    result = read(tmp_path)
    assert result.problems == [] and result.waiting == []
    assert result.devices == (ALICE,)
    segments = result.segments[ALICE]
    assert [s.seq for s in segments] == [1, 2, 3]
    assert [s.payload["n"] for s in segments] == [1, 2, 3]
    assert [s.name for s in segments] == [r.name for r in refs]
    assert [s.digest for s in segments] == [r.digest for r in refs]
    assert segments[0].prev == "" and segments[1].prev == refs[0].digest
    digest = hashlib.sha256(segment_path(tmp_path, refs[2].name).read_bytes()).hexdigest()
    assert refs[2].digest == digest


def test_a_cursor_reads_only_what_is_new(tmp_path: Path) -> None:
    refs = write_chain(tmp_path, 2)
    first = read(tmp_path)
    cursor = DeviceCursor().advanced(first.segments[ALICE], first.settled(ALICE))
    assert cursor == DeviceCursor(2, refs[1].digest, frozenset(r.name for r in refs))
    assert read(tmp_path, {ALICE: cursor}).segments == {}
    write_chain(tmp_path, 2, first=3, prev=refs[1].digest)
    assert seqs(read(tmp_path, {ALICE: cursor})) == [3, 4]


def test_own_segments_are_not_returned(tmp_path: Path) -> None:
    write_chain(tmp_path, 2, device=BOB)
    write_chain(tmp_path, 1, device=CAROL)
    result = read(tmp_path)
    assert set(result.segments) == {CAROL}
    assert result.devices == (BOB, CAROL)


def test_several_devices_are_read_each_on_its_own_chain(tmp_path: Path) -> None:
    write_chain(tmp_path, 2, device=ALICE)
    write_chain(tmp_path, 3, device=CAROL)
    result = read(tmp_path)
    assert seqs(result, ALICE) == [1, 2] and seqs(result, CAROL) == [1, 2, 3]


def test_files_are_private_and_only_in_the_device_folder(tmp_path: Path) -> None:
    write_chain(tmp_path, 2)
    folder.write_blob(tmp_path, JOURNAL, ALICE, KEY, 7, NAME_KEY, b"picture bytes")
    folder.write_key_file(tmp_path, JOURNAL, ALICE, b'{"key": "file"}')
    own = folder.device_dir(tmp_path, JOURNAL, ALICE)
    files = all_files(tmp_path)
    assert len(files) == 4
    assert all(own in p.parents for p in files)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    assert stat.S_IMODE(own.stat().st_mode) == 0o700
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"afterglow-{JOURNAL}"]


def test_no_plaintext_in_any_file(tmp_path: Path) -> None:
    write_chain(tmp_path, 3)
    folder.write_segment(tmp_path, JOURNAL, ALICE, KEY, 7, 4, "a" * 64, {"t": CANARY * 500})
    folder.write_blob(tmp_path, JOURNAL, ALICE, KEY, 7, NAME_KEY, CANARY.encode() * 100)
    needles = [CANARY.encode(), CANARY.encode("utf-16-le"), b"hummingbird", b'"payload"']
    needles.append(zlib.compress(CANARY.encode())[2:12])
    for path in all_files(tmp_path):
        data = path.read_bytes()
        assert not any(needle in data for needle in needles), path
        assert CANARY not in path.name


def test_names_reveal_nothing(tmp_path: Path) -> None:
    refs = write_chain(tmp_path, 2)
    assert all(envelope.is_sealed_name(r.name) for r in refs)
    data = b"the same picture"
    content_hash = folder.write_blob(tmp_path, JOURNAL, ALICE, KEY, 7, NAME_KEY, data)
    (blob,) = (folder.device_dir(tmp_path, JOURNAL, ALICE) / "blobs").iterdir()
    assert content_hash == hashlib.sha256(data).hexdigest()
    assert blob.name not in content_hash
    assert blob.name == envelope.blob_name(NAME_KEY, content_hash)
    assert blob.name != envelope.blob_name(b"m" * 32, content_hash)


# --- padding ----------------------------------------------------------------------------------


def test_small_payloads_pad_to_one_size(tmp_path: Path) -> None:
    small = folder.write_segment(tmp_path, JOURNAL, ALICE, KEY, 7, 1, "", {"t": "x" * 10})
    bigger = folder.write_segment(
        tmp_path, JOURNAL, ALICE, KEY, 7, 2, small.digest, {"t": os.urandom(1500).hex()}
    )
    sizes = {segment_path(tmp_path, ref.name).stat().st_size for ref in (small, bigger)}
    assert sizes == {envelope.sealed_size(0)}


def test_padme_is_monotone_bounded_and_coarse() -> None:
    sizes = [envelope.padded_size(n) for n in range(0, 300_000, 97)]
    assert sizes == sorted(sizes)
    assert min(sizes) == envelope.MIN_PADDED
    for n in range(envelope.MIN_PADDED, 5_000_000, 9_973):
        assert n <= envelope.padme(n) <= n * 1.12
    assert len(set(sizes)) < len(sizes) / 10
    assert [envelope.padme(n) for n in (4096, 4097, 5000, 1 << 20)] == [4096, 4352, 5120, 1 << 20]


def test_blob_sizes_are_padded(tmp_path: Path) -> None:
    for size in (1, 100, 4000):
        folder.write_blob(tmp_path, JOURNAL, ALICE, KEY, 7, NAME_KEY, os.urandom(size))
    blobs = folder.device_dir(tmp_path, JOURNAL, ALICE) / "blobs"
    assert {p.stat().st_size for p in blobs.iterdir()} == {envelope.sealed_size(0)}


# --- damaged, foreign and half-written files --------------------------------------------------


def test_every_kind_of_changed_byte_is_refused_and_retried(tmp_path: Path) -> None:
    (ref,) = write_chain(tmp_path, 1)
    path = segment_path(tmp_path, ref.name)
    original = path.read_bytes()
    header, nonce_end = 9, 21
    positions = {
        "magic": 0,
        "kind": 4,
        "epoch": 8,
        "nonce": header + 3,
        "ciphertext start": nonce_end,
        "ciphertext middle": len(original) // 2,
        "tag": len(original) - 1,
    }
    for where, position in positions.items():
        damaged = bytearray(original)
        damaged[position] ^= 0x01
        path.write_bytes(bytes(damaged))
        result = read(tmp_path)
        assert result.segments == {}, where
        problem = only_problem(result)
        assert problem.retry and problem.name == ref.name, where
        assert "tried again" in problem.sentence
    path.write_bytes(original)
    assert seqs(read(tmp_path)) == [1]


@pytest.mark.parametrize("keep", [0, 3, 9, 21, 40, 4000, -16, -1])
def test_a_truncated_file_is_refused_until_it_is_whole(tmp_path: Path, keep: int) -> None:
    (ref,) = write_chain(tmp_path, 1)
    path = segment_path(tmp_path, ref.name)
    whole = path.read_bytes()
    path.write_bytes(whole[:keep])
    result = read(tmp_path)
    assert result.segments == {} and only_problem(result).retry
    path.write_bytes(whole)  # the engine finishes copying it
    assert seqs(read(tmp_path)) == [1]


def test_an_extended_file_is_refused(tmp_path: Path) -> None:
    (ref,) = write_chain(tmp_path, 1)
    path = segment_path(tmp_path, ref.name)
    path.write_bytes(path.read_bytes() + b"\0")
    assert only_problem(read(tmp_path)).retry


def test_a_file_copied_into_another_devices_folder_is_refused(tmp_path: Path) -> None:
    (ref,) = write_chain(tmp_path, 1, device=ALICE)
    write_chain(tmp_path, 1, device=CAROL)
    shutil.copy(segment_path(tmp_path, ref.name), segment_path(tmp_path, ref.name, CAROL))
    result = read(tmp_path)
    assert seqs(result, CAROL) == [1] and seqs(result, ALICE) == [1]
    problem = only_problem(result)
    assert (problem.device_id, problem.name, problem.retry) == (CAROL, ref.name, True)


def test_a_file_of_another_journal_is_refused(tmp_path: Path) -> None:
    other = folder.write_segment(tmp_path, OTHER_JOURNAL, ALICE, KEY, 7, 1, "", {"n": 1})
    source = folder.device_dir(tmp_path, OTHER_JOURNAL, ALICE) / other.name
    folder.device_dir(tmp_path, JOURNAL, ALICE).mkdir(parents=True)
    shutil.copy(source, segment_path(tmp_path, other.name))
    result = read(tmp_path)
    assert result.segments == {} and only_problem(result).retry
    assert folder.find_journals(tmp_path) == sorted([JOURNAL, OTHER_JOURNAL])


def test_an_unknown_epoch_or_wrong_key_is_refused(tmp_path: Path) -> None:
    write_chain(tmp_path, 1)
    assert only_problem(read(tmp_path, keys={8: KEY})).retry
    assert only_problem(read(tmp_path, keys={7: bytes(32)})).retry
    assert seqs(read(tmp_path, keys={6: bytes(32), 7: KEY})) == [1]


def test_a_blob_renamed_as_a_segment_is_refused(tmp_path: Path) -> None:
    folder.write_blob(tmp_path, JOURNAL, ALICE, KEY, 7, NAME_KEY, b"bytes")
    own = folder.device_dir(tmp_path, JOURNAL, ALICE)
    (blob,) = (own / "blobs").iterdir()
    shutil.copy(blob, own / blob.name)
    assert only_problem(read(tmp_path)).retry


def test_a_huge_sparse_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    write_chain(tmp_path, 1)
    huge = segment_path(tmp_path, "f" * 32)
    huge.touch()
    os.truncate(huge, 1 << 30)
    tracemalloc.start()
    result = read(tmp_path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 4 << 20  # reading the 1 GB would allocate it; no wall-clock limit in a unit test
    assert seqs(result) == [1]
    problem = only_problem(result)
    assert problem.name == huge.name and not problem.retry
    assert "larger than any file" in problem.sentence


def test_folders_links_and_fifos_named_like_segments_are_refused(tmp_path: Path) -> None:
    (ref,) = write_chain(tmp_path, 1)
    (segment_path(tmp_path, "1" * 32)).mkdir()
    os.symlink(segment_path(tmp_path, ref.name), segment_path(tmp_path, "2" * 32))
    os.symlink("/dev/zero", segment_path(tmp_path, "3" * 32))
    os.mkfifo(segment_path(tmp_path, "4" * 32))
    result = read(tmp_path)
    assert seqs(result) == [1]
    refused = {p.name: p for p in result.problems}
    assert set(refused) == {"1" * 32, "2" * 32, "3" * 32, "4" * 32}
    assert all("not a plain file" in p.sentence and not p.retry for p in refused.values())


# --- names Afterglow did not write -------------------------------------------------------------


def test_stray_and_conflict_copy_names_are_ignored_and_reported_once(tmp_path: Path) -> None:
    (ref,) = write_chain(tmp_path, 1)
    whole = segment_path(tmp_path, ref.name).read_bytes()
    names = {
        f"{ref.name}.sync-conflict-20260102-131415-ABCDEF7": "Syncthing",
        f"{ref.name} (Kim's conflicted copy 2026-01-02)": "Dropbox",
        f"{ref.name} (conflicted copy 2026-01-02 131415)": "Nextcloud",
        "notes.txt": "not a file Afterglow wrote",
        "A" * 32: "not a file Afterglow wrote",
        "key.sync-conflict-20260102-131415-ABCDEF7": "Syncthing",
        "bad\nname\t?" * 20: "not a file Afterglow wrote",
    }
    for name in names:
        segment_path(tmp_path, name).write_bytes(whole)
    result = read(tmp_path)
    assert seqs(result) == [1]
    by_name = {p.name: p for p in result.problems}
    assert set(by_name) == set(names)
    for name, expected in names.items():
        problem = by_name[name]
        assert expected in problem.sentence and "ignored" in problem.sentence
        assert not problem.retry and "\n" not in problem.sentence
        assert len(problem.sentence) < 240
    cursor = DeviceCursor().advanced(result.segments[ALICE], result.settled(ALICE))
    assert read(tmp_path, {ALICE: cursor}).problems == []


def test_engines_temporaries_are_ignored_silently(tmp_path: Path) -> None:
    write_chain(tmp_path, 1)
    own = folder.device_dir(tmp_path, JOURNAL, ALICE)
    for name in (
        f".syncthing.{'d' * 32}.tmp",
        f"~syncthing~{'d' * 32}.tmp",
        f".{'d' * 32}.{'e' * 12}.tmp",
        f".{'d' * 32}.~1a2b3c",
    ):
        (own / name).write_bytes(b"half")
    result = read(tmp_path)
    assert seqs(result) == [1] and result.problems == [] and result.waiting == []


def test_stray_files_outside_device_folders_are_not_read(tmp_path: Path) -> None:
    write_chain(tmp_path, 1)
    (folder.journal_dir(tmp_path, JOURNAL) / ".stfolder").mkdir()
    (folder.journal_dir(tmp_path, JOURNAL) / "desktop.ini").write_text("x")
    (folder.journal_dir(tmp_path, JOURNAL) / "not-a-device").mkdir()
    (tmp_path / "afterglow-nothex").mkdir()
    result = read(tmp_path)
    assert seqs(result) == [1] and result.problems == [] and result.devices == (ALICE,)
    assert folder.find_journals(tmp_path) == [JOURNAL]


# --- the chain: replays, duplicates, forks, gaps -----------------------------------------------


def test_an_old_segment_replayed_under_a_new_name_is_refused(tmp_path: Path) -> None:
    refs = write_chain(tmp_path, 3)
    cursor = DeviceCursor(3, refs[2].digest, frozenset(r.name for r in refs))
    shutil.copy(segment_path(tmp_path, refs[0].name), segment_path(tmp_path, "9" * 32))
    result = read(tmp_path, {ALICE: cursor})
    assert result.segments == {}
    problem = only_problem(result)
    assert problem.name == "9" * 32 and not problem.retry and "older" in problem.sentence


def test_a_second_copy_of_the_next_segment_is_applied_once(tmp_path: Path) -> None:
    refs = write_chain(tmp_path, 2)
    copy = segment_path(tmp_path, "0" * 32)
    shutil.copy(segment_path(tmp_path, refs[1].name), copy)
    cursor = DeviceCursor(1, refs[0].digest, frozenset({refs[0].name}))
    result = read(tmp_path, {ALICE: cursor})
    assert seqs(result) == [2]
    assert "second copy" in only_problem(result).sentence


def test_two_different_files_at_one_place_are_both_refused(tmp_path: Path) -> None:
    (first,) = write_chain(tmp_path, 1)
    for text in ("one", "two"):
        folder.write_segment(tmp_path, JOURNAL, ALICE, KEY, 7, 2, first.digest, {"t": text})
    result = read(tmp_path, {ALICE: DeviceCursor(1, first.digest, frozenset({first.name}))})
    assert result.segments == {}
    assert len(result.problems) == 2
    assert all("same place" in p.sentence for p in result.problems)


def test_a_segment_off_the_chain_stops_that_device(tmp_path: Path) -> None:
    refs = write_chain(tmp_path, 1)
    bad = folder.write_segment(tmp_path, JOURNAL, ALICE, KEY, 7, 2, "e" * 64, {"n": 2})
    later = folder.write_segment(tmp_path, JOURNAL, ALICE, KEY, 7, 3, bad.digest, {"n": 3})
    write_chain(tmp_path, 1, device=CAROL)
    result = read(tmp_path, {ALICE: DeviceCursor(1, refs[0].digest, frozenset({refs[0].name}))})
    assert seqs(result, ALICE) == [] and seqs(result, CAROL) == [1]
    problem = only_problem(result)
    assert problem.name == bad.name and "does not follow" in problem.sentence
    assert [w.name for w in result.waiting] == [later.name]


def test_a_gap_waits_until_the_missing_segment_arrives(tmp_path: Path) -> None:
    refs = write_chain(tmp_path, 4)
    in_transit = tmp_path / "elsewhere"
    shutil.move(segment_path(tmp_path, refs[1].name), in_transit)
    result = read(tmp_path, {ALICE: DeviceCursor()})
    # Seen for the first time: the chain to the newest starts after the gap.
    assert seqs(result) == [3, 4] and [w.seq for w in result.waiting] == [1]
    first = read(tmp_path, {ALICE: DeviceCursor(1, refs[0].digest, frozenset({refs[0].name}))})
    assert first.segments == {} and first.problems == []
    assert sorted(w.seq for w in first.waiting) == [3, 4]
    shutil.move(in_transit, segment_path(tmp_path, refs[1].name))
    cursor = DeviceCursor(1, refs[0].digest, frozenset({refs[0].name}))
    assert seqs(read(tmp_path, {ALICE: cursor})) == [2, 3, 4]


def test_a_new_reader_starts_where_a_pruned_chain_begins(tmp_path: Path) -> None:
    refs = write_chain(tmp_path, 6)
    folder.remove_own_segments(tmp_path, JOURNAL, ALICE, [r.name for r in refs[:3]])
    result = read(tmp_path)
    assert seqs(result) == [4, 5, 6] and result.problems == []
    assert result.segments[ALICE][0].prev == refs[2].digest


def test_a_leftover_of_an_interrupted_prune_is_not_the_start(tmp_path: Path) -> None:
    refs = write_chain(tmp_path, 6)
    folder.remove_own_segments(tmp_path, JOURNAL, ALICE, [refs[1].name, refs[2].name])
    result = read(tmp_path)
    assert seqs(result) == [4, 5, 6]
    assert [w.name for w in result.waiting] == [refs[0].name]


def test_a_known_device_needs_the_next_seq_linked_to_its_digest(tmp_path: Path) -> None:
    refs = write_chain(tmp_path, 3)
    wrong = DeviceCursor(1, "f" * 64, frozenset({refs[0].name}))
    result = read(tmp_path, {ALICE: wrong})
    assert result.segments == {}
    assert "does not follow" in only_problem(result).sentence


# --- what is inside a file that opens -----------------------------------------------------------


def seal_body(root: Path, body: bytes, *, journal: str = JOURNAL, device: str = ALICE) -> str:
    """A segment file with any body, sealed with the right key (as only a key holder could)."""
    sealed = envelope.seal(
        body, kind=envelope.SEGMENT, journal_id=journal, device_id=device, key=KEY, epoch=7
    )
    name = hashlib.sha256(body).hexdigest()[:32]
    directory = folder.device_dir(root, JOURNAL, device)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(sealed)
    return name


def doc(**changes: Any) -> bytes:
    fields: dict[str, Any] = {"journal": JOURNAL, "device": ALICE, "seq": 1, "prev": ""}
    fields["payload"] = {}
    fields.update(changes)
    return zlib.compress(json.dumps(fields).encode())


@pytest.mark.parametrize(
    "body",
    [
        b"not zlib",
        zlib.compress(b"\xff\xfe not utf-8"),
        zlib.compress(b"[1, 2]"),
        zlib.compress(b'{"journal": NaN}'),
        zlib.compress(b"[" * 100_000 + b"]" * 100_000),
        doc(journal=OTHER_JOURNAL),
        doc(device=CAROL),
        doc(seq=0),
        doc(seq=True),
        doc(seq="1"),
        doc(seq=2, prev=""),
        doc(prev="a" * 64),
        doc(payload=[1]),
        doc(extra=1),
        doc()[:-4],
        doc() + b"trailing",
    ],
)
def test_a_segment_not_of_the_expected_shape_is_refused(tmp_path: Path, body: bytes) -> None:
    name = seal_body(tmp_path, body)
    result = read(tmp_path)
    assert result.segments == {}
    problem = only_problem(result)
    assert problem.name == name and not problem.retry
    assert "does not hold what Afterglow writes" in problem.sentence


def test_a_compression_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(envelope, "MAX_JSON_BYTES", 100_000)
    seal_body(tmp_path, doc(payload={"t": "x" * 200_000}))
    assert "does not hold" in only_problem(read(tmp_path)).sentence


def test_a_well_formed_body_sealed_by_hand_is_accepted(tmp_path: Path) -> None:
    seal_body(tmp_path, doc(payload={"ok": True}))
    assert read(tmp_path).segments[ALICE][0].payload == {"ok": True}


# --- blobs --------------------------------------------------------------------------------------


def test_a_blob_round_trips_from_any_device(tmp_path: Path) -> None:
    data = os.urandom(10_000)
    content_hash = folder.write_blob(tmp_path, JOURNAL, ALICE, KEY, 7, NAME_KEY, data)
    assert folder.read_blob(tmp_path, JOURNAL, KEYS, NAME_KEY, content_hash, 10_000) == data
    write_chain(tmp_path, 1, device=CAROL)  # a device without it is passed over
    assert folder.read_blob(tmp_path, JOURNAL, KEYS, NAME_KEY, content_hash, 1 << 20) == data


def test_writing_a_blob_twice_changes_nothing(tmp_path: Path) -> None:
    folder.write_blob(tmp_path, JOURNAL, ALICE, KEY, 7, NAME_KEY, b"once")
    (blob,) = (folder.device_dir(tmp_path, JOURNAL, ALICE) / "blobs").iterdir()
    before = blob.read_bytes()
    folder.write_blob(tmp_path, JOURNAL, ALICE, KEY, 7, NAME_KEY, b"once")
    assert blob.read_bytes() == before and len(all_files(tmp_path)) == 1


def test_a_missing_blob_says_it_has_not_arrived(tmp_path: Path) -> None:
    write_chain(tmp_path, 1)
    with pytest.raises(SyncBlobMissing):
        folder.read_blob(tmp_path, JOURNAL, KEYS, NAME_KEY, "0" * 64, 100)


def test_a_damaged_or_substituted_blob_is_refused(tmp_path: Path) -> None:
    wanted = folder.write_blob(tmp_path, JOURNAL, ALICE, KEY, 7, NAME_KEY, b"the real one")
    other = folder.write_blob(tmp_path, JOURNAL, ALICE, KEY, 7, NAME_KEY, b"another one")
    blobs = folder.device_dir(tmp_path, JOURNAL, ALICE) / "blobs"
    real = blobs / envelope.blob_name(NAME_KEY, wanted)
    shutil.copy(blobs / envelope.blob_name(NAME_KEY, other), real)
    with pytest.raises(SyncBlobDamaged) as caught:
        folder.read_blob(tmp_path, JOURNAL, KEYS, NAME_KEY, wanted, 100)
    assert isinstance(caught.value, JournalError) and "damaged" in caught.value.message
    real.write_bytes(real.read_bytes()[:-1])
    with pytest.raises(SyncBlobDamaged):
        folder.read_blob(tmp_path, JOURNAL, KEYS, NAME_KEY, wanted, 100)


def test_an_intact_copy_on_another_device_is_used(tmp_path: Path) -> None:
    data = b"shared picture"
    wanted = folder.write_blob(tmp_path, JOURNAL, ALICE, KEY, 7, NAME_KEY, data)
    folder.write_blob(tmp_path, JOURNAL, CAROL, KEY, 7, NAME_KEY, data)
    alice = (
        folder.device_dir(tmp_path, JOURNAL, ALICE) / "blobs" / envelope.blob_name(NAME_KEY, wanted)
    )
    alice.write_bytes(b"garbage")
    assert folder.read_blob(tmp_path, JOURNAL, KEYS, NAME_KEY, wanted, 100) == data


def test_a_blob_larger_than_asked_is_not_read(tmp_path: Path) -> None:
    wanted = folder.write_blob(tmp_path, JOURNAL, ALICE, KEY, 7, NAME_KEY, os.urandom(9000))
    with pytest.raises(SyncBlobDamaged):
        folder.read_blob(tmp_path, JOURNAL, KEYS, NAME_KEY, wanted, 5000)
    path = (
        folder.device_dir(tmp_path, JOURNAL, ALICE) / "blobs" / envelope.blob_name(NAME_KEY, wanted)
    )
    os.truncate(path, 1 << 30)
    tracemalloc.start()
    with pytest.raises(SyncBlobDamaged):
        folder.read_blob(tmp_path, JOURNAL, KEYS, NAME_KEY, wanted, 1 << 20)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 4 << 20


# --- key files, pruning, the folder itself ------------------------------------------------------


def test_key_files_are_placed_and_read_per_device(tmp_path: Path) -> None:
    folder.write_key_file(tmp_path, JOURNAL, ALICE, b"alice's")
    folder.write_key_file(tmp_path, JOURNAL, CAROL, b"carol's")
    folder.write_key_file(tmp_path, JOURNAL, CAROL, b"carol's, rotated")
    write_chain(tmp_path, 1, device=BOB)
    assert folder.read_key_files(tmp_path, JOURNAL) == {
        ALICE: b"alice's",
        CAROL: b"carol's, rotated",
    }
    os.truncate(folder.device_dir(tmp_path, JOURNAL, ALICE) / "key", 1 << 30)
    assert set(folder.read_key_files(tmp_path, JOURNAL)) == {CAROL}
    with pytest.raises(ValueError):
        folder.write_key_file(tmp_path, JOURNAL, ALICE, bytes(folder.MAX_KEY_FILE_BYTES + 1))


def test_removing_own_segments_touches_only_those(tmp_path: Path) -> None:
    refs = write_chain(tmp_path, 3)
    write_chain(tmp_path, 1, device=CAROL)
    folder.remove_own_segments(tmp_path, JOURNAL, ALICE, [refs[0].name, "7" * 32])
    assert len(all_files(tmp_path)) == 3
    for bad in ("../" + CAROL, "key", refs[1].name.upper()):
        with pytest.raises(ValueError):
            folder.remove_own_segments(tmp_path, JOURNAL, ALICE, [bad])
    assert len(all_files(tmp_path)) == 3


def test_a_missing_sync_folder_is_never_created(tmp_path: Path) -> None:
    gone = tmp_path / "unmounted"
    with pytest.raises(SyncFolderUnavailable):
        folder.write_segment(gone, JOURNAL, ALICE, KEY, 7, 1, "", {})
    with pytest.raises(SyncFolderUnavailable):
        read(gone)
    with pytest.raises(SyncFolderUnavailable):
        folder.find_journals(gone)
    assert not gone.exists()
    assert read(tmp_path) == Scan()  # the folder is there, the journal not yet


def test_an_unwritable_place_is_a_sentence(tmp_path: Path) -> None:
    (tmp_path / f"afterglow-{JOURNAL}").write_bytes(b"a file where the folder goes")
    with pytest.raises(OutputUnwritable) as caught:
        folder.write_segment(tmp_path, JOURNAL, ALICE, KEY, 7, 1, "", {})
    assert caught.value.message.endswith(".")
    with pytest.raises(OutputUnwritable):
        folder.write_blob(tmp_path, JOURNAL, ALICE, KEY, 7, NAME_KEY, b"x")


def test_arguments_no_caller_should_pass_are_bugs(tmp_path: Path) -> None:
    write = folder.write_segment
    for args in (
        ("X" * 32, ALICE, KEY, 7, 1, "", {}),
        (JOURNAL, "../" + ALICE, KEY, 7, 1, "", {}),
        (JOURNAL, ALICE, KEY[:16], 7, 1, "", {}),
        (JOURNAL, ALICE, KEY, -1, 1, "", {}),
        (JOURNAL, ALICE, KEY, 7, 0, "", {}),
        (JOURNAL, ALICE, KEY, 7, 2, "", {}),
        (JOURNAL, ALICE, KEY, 7, 1, "", {"x": float("nan")}),
    ):
        with pytest.raises(ValueError):
            write(tmp_path, *args)  # type: ignore[arg-type]
    assert all_files(tmp_path) == []


def test_the_errors_are_sentences() -> None:
    for error in (SyncFolderUnavailable(), SyncFileUnreadable(), SyncBlobMissing()):
        assert isinstance(error, JournalError)
        assert error.message.endswith(".") and error.message[0].isupper()


# --- fuzz ---------------------------------------------------------------------------------------

_FILE_SIZE = envelope.sealed_size(0)


@pytest.fixture(scope="module")
def one_segment(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, bytes]:
    root = tmp_path_factory.mktemp("fuzz")
    (ref,) = write_chain(root, 1)
    path = segment_path(root, ref.name)
    return root, path, path.read_bytes()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flips=st.lists(st.tuples(st.integers(0, _FILE_SIZE - 1), st.integers(1, 255)), max_size=4),
    cut=st.one_of(st.none(), st.integers(0, _FILE_SIZE)),
    tail=st.binary(max_size=8),
)
def test_random_damage_is_always_refused_never_a_crash(
    one_segment: tuple[Path, Path, bytes],
    flips: list[tuple[int, int]],
    cut: int | None,
    tail: bytes,
) -> None:
    root, path, whole = one_segment
    assert len(whole) == _FILE_SIZE
    damaged = bytearray(whole)
    for position, mask in flips:
        damaged[position] ^= mask
    data = bytes(damaged[:cut] if cut is not None else damaged) + tail
    path.write_bytes(data)
    try:
        result = read(root)
    finally:
        path.write_bytes(whole)
    if data == whole:
        assert seqs(result) == [1]
    else:
        assert result.segments == {} and result.waiting == []
        assert only_problem(result).retry


@settings(max_examples=40, deadline=None)
@given(
    payload=st.dictionaries(
        st.text(max_size=8),
        st.recursive(
            st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.text(max_size=20),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
            max_leaves=10,
        ),
        max_size=5,
    )
)
def test_any_json_payload_round_trips(payload: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        folder.write_segment(root, JOURNAL, ALICE, KEY, 7, 1, "", payload)
        assert read(root).segments[ALICE][0].payload == payload
