"""Every file in a sync folder is hostile: the engine refuses it with a sentence.

Two real vaults joined through a folder in ``tmp_path``: the laptop writes,
then the folder is damaged the way an engine, a person or an attacker might
damage it, then `engine.sync_now` on the home computer must refuse the file
with a sentence (quoting nothing of the journal), apply nothing from it, and
leave its journal as it was; what follows on the chain still applies when
the chain allows it.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from journal.core.errors import JournalError, WrongPassphrase, WrongRecoveryCode
from journal.core.model import Attachment, AttachmentKind, Motif
from journal.core.sync import engine, joining, rows
from journal.core.sync.config import load_config
from journal.core.vault import vault as vaults
from journal.core.vault.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import flip_bytes
from tests.sync_devices import entry, session

CANARY = "canary-5e1d-harbour-lantern"
GIB = 1 << 30
Pair = tuple[Path, Vault, Vault]


@pytest.fixture
def pair(tmp_path: Path, vault: Vault) -> Iterator[tuple[Path, Vault, Vault]]:
    """(the shared folder, the laptop, the home computer), synced once."""
    shared = tmp_path / "Sync"
    shared.mkdir()
    joining.setup(vault, shared, device_name="Laptop", passphrase=PASSPHRASE, kdf=FAST_KDF)
    home, _report = joining.join(
        shared, tmp_path / "home" / "j.vault", PASSPHRASE, device_name="Home"
    )
    engine.sync_now(vault)  # takes home's acks, so the next laptop segment is news only
    engine.sync_now(home)
    try:
        yield shared, vault, home
    finally:
        home.close()


def _own_dir(vault: Vault) -> Path:
    config = load_config(vault.db)
    return config.root / f"afterglow-{config.journal}" / config.device


def _segments_since(vault: Vault, seq: int) -> list[Path]:
    """The vault's own segment files after ``seq``, oldest first."""
    config = load_config(vault.db)
    names = vault.db.query(
        "SELECT name FROM sync_files WHERE device = ? AND seq > ? ORDER BY seq",
        (config.device, seq),
    )
    return [_own_dir(vault) / str(row[0]) for row in names]


def _head(vault: Vault) -> int:
    config = load_config(vault.db)
    return int(
        vault.db.scalar("SELECT max(seq) FROM sync_files WHERE device = ?", (config.device,)) or 0
    )


def _write(vault: Vault, title: str) -> list[Path]:
    """Add an entry on ``vault``, sync it; the segment files that sync wrote
    (none if the vault went on as a new device)."""
    head = _head(vault)
    vault.entries.add(entry(title, f"{title} {CANARY}"))
    engine.sync_now(vault)
    return _segments_since(vault, head)


def _titles(vault: Vault) -> set[str]:
    return {e.title for e in vault.entries.all()}


def _refused(home: Vault, before: dict[Any, Any], *, expect: str = "") -> engine.SyncReport:
    """Sync ``home``; it must report a problem (with ``expect`` in it), quote
    no journal content, and keep its journal as ``before``."""
    report = engine.sync_now(home)
    assert report.problems, report
    for sentence in report.problems:
        assert CANARY not in sentence
        assert sentence.endswith(".")
    if expect:
        assert any(expect in sentence for sentence in report.problems), report.problems
    assert rows.journal_content(home.db) == before
    return report


def _converged(laptop: Vault, home: Vault) -> None:
    engine.sync_now(home)
    assert rows.journal_content(home.db) == rows.journal_content(laptop.db)


def test_a_tampered_byte_is_refused_until_the_file_is_whole_again(pair: Pair) -> None:
    _shared, laptop, home = pair
    before = rows.journal_content(home.db)
    first, *_ = _write(laptop, f"Tampered {CANARY}")
    good = first.read_bytes()
    flip_bytes(first, len(good) // 2, count=1)
    _refused(home, before, expect="could not be read")
    # what comes after it waits for it: the chain is never skipped
    _write(laptop, "After the tampered one")
    report = _refused(home, before)
    assert report.waiting or report.problems
    first.write_bytes(good)
    _converged(laptop, home)
    assert {f"Tampered {CANARY}", "After the tampered one"} <= _titles(home)


@pytest.mark.parametrize("keep", [0, 1, 4096, -1])
def test_a_truncated_segment_is_applied_once_it_arrives_whole(pair: Pair, keep: int) -> None:
    _shared, laptop, home = pair
    before = rows.journal_content(home.db)
    first, *_ = _write(laptop, f"Half-copied {CANARY}")
    whole = first.read_bytes()
    first.write_bytes(whole[: keep if keep >= 0 else len(whole) - 1])
    _refused(home, before)
    _refused(home, before)  # still arriving: tried again, still refused
    first.write_bytes(whole)
    _converged(laptop, home)
    assert f"Half-copied {CANARY}" in _titles(home)


def test_a_segment_of_another_journal_is_refused_and_the_chain_goes_on(
    pair: Pair, tmp_path: Path
) -> None:
    _shared, laptop, home = pair
    foreign, _code = vaults.create(tmp_path / "foreign" / "j.vault", PASSPHRASE, kdf=FAST_KDF)
    try:
        foreign.entries.add(entry(f"Foreign {CANARY}", "not ours"))
        elsewhere = tmp_path / "Elsewhere"
        elsewhere.mkdir()
        joining.setup(foreign, elsewhere, device_name="Other", passphrase=PASSPHRASE, kdf=FAST_KDF)
        stolen = _segments_since(foreign, 0)
    finally:
        foreign.close()
    before = rows.journal_content(home.db)
    for path in stolen:  # under their own names, and under the next name one would expect
        shutil.copyfile(path, _own_dir(laptop) / path.name)
        shutil.copyfile(path, _own_dir(laptop) / secrets.token_hex(16))
    _refused(home, before, expect="could not be read")
    _write(laptop, "Written after the foreign files")
    _converged(laptop, home)
    assert "Written after the foreign files" in _titles(home)
    assert f"Foreign {CANARY}" not in _titles(home)


def test_a_segment_of_another_device_copied_into_this_one_is_refused(pair: Pair) -> None:
    _shared, laptop, home = pair
    home.entries.add(entry(f"Home only {CANARY}", "home"))
    engine.sync_now(home)
    intruder = _segments_since(home, 0)[-1]
    before = rows.journal_content(home.db)
    # home's own segment, put in the laptop's folder: read as the laptop's
    shutil.copyfile(intruder, _own_dir(laptop) / secrets.token_hex(16))
    _refused(home, before, expect="could not be read")
    _write(laptop, "After the copied one")
    _converged(laptop, home)


def test_an_old_segment_replayed_under_a_new_name_is_refused(pair: Pair) -> None:
    _shared, laptop, home = pair
    old = _write(laptop, "Old title")
    made = next(e for e in laptop.entries.all() if e.title == "Old title")
    laptop.entries.update(replace(made, title=f"New title {CANARY}"))
    engine.sync_now(laptop)
    _converged(laptop, home)
    before = rows.journal_content(home.db)
    for path in old:
        shutil.copyfile(path, path.with_name(secrets.token_hex(16)))
    _refused(home, before, expect="older than what was already applied")
    assert f"New title {CANARY}" in _titles(home)
    assert "Old title" not in _titles(home)
    _write(laptop, "After the replay")
    _converged(laptop, home)


GARBAGE_NAMES = [
    "notes.txt",
    "ZZZZ",
    "A" * 32,  # upper-case hex is not a name Afterglow gives
    "0" * 31,
    "0" * 33,
    "日記 2026-12-03.md",
    "a" * 200,
    "tab\tand\x7fdelete",
    "desktop.ini",
    ".DS_Store",
]


def test_files_of_garbage_names_are_reported_once_and_never_read(pair: Pair) -> None:
    _shared, laptop, home = pair
    before = rows.journal_content(home.db)
    target = _own_dir(laptop)
    for name in GARBAGE_NAMES:
        (target / name).write_bytes(f"{CANARY} garbage".encode())
    report = _refused(home, before, expect="is not a file Afterglow wrote")
    assert len(report.problems) >= len(GARBAGE_NAMES) - 2  # .DS_Store and desktop.ini too
    for sentence in report.problems:
        assert len(sentence) < 400
        assert "\t" not in sentence and "\x7f" not in sentence
    # settled: the next sync says nothing of them again
    assert engine.sync_now(home).problems == []
    _write(laptop, "After the garbage")
    _converged(laptop, home)
    assert "After the garbage" in _titles(home)


def test_a_garbage_device_folder_is_refused(pair: Pair) -> None:
    shared, laptop, home = pair
    before = rows.journal_content(home.db)
    stranger = shared / f"afterglow-{load_config(home.db).journal}" / secrets.token_hex(16)
    stranger.mkdir()
    (stranger / secrets.token_hex(16)).write_bytes(os.urandom(5000))
    (stranger / "key").write_bytes(os.urandom(300))
    _refused(home, before, expect="could not be read")
    _write(laptop, "After the stranger")
    _converged(laptop, home)


def test_a_syncthing_conflict_copy_beside_its_segment_is_applied_once(pair: Pair) -> None:
    _shared, laptop, home = pair
    first, *_ = _write(laptop, f"Conflicted {CANARY}")
    copy = first.with_name(first.name + ".sync-conflict-20261203-101500-ABCDEFG")
    shutil.copyfile(first, copy)
    report = engine.sync_now(home)
    assert any("conflict copy made by Syncthing" in p for p in report.problems), report.problems
    assert all(CANARY not in p for p in report.problems)
    assert rows.journal_content(home.db) == rows.journal_content(laptop.db)
    assert [e.title for e in home.entries.all()].count(f"Conflicted {CANARY}") == 1


def test_a_conflict_copy_alone_is_not_applied(pair: Pair) -> None:
    _shared, laptop, home = pair
    before = rows.journal_content(home.db)
    first, *_ = _write(laptop, f"Only the copy {CANARY}")
    copy = first.with_name(first.name + ".sync-conflict-20261203-101500-ABCDEFG")
    first.rename(copy)
    _refused(home, before, expect="conflict copy made by Syncthing")
    shutil.copyfile(copy, first)  # the engine brings the file itself at last
    _converged(laptop, home)
    assert f"Only the copy {CANARY}" in _titles(home)


def test_a_syncthing_temporary_is_ignored_without_a_word(pair: Pair) -> None:
    _shared, laptop, home = pair
    before = rows.journal_content(home.db)
    first, *_ = _write(laptop, f"Arriving {CANARY}")
    whole = first.read_bytes()
    first.unlink()
    temporary = first.with_name(f".syncthing.{first.name}.tmp")
    temporary.write_bytes(whole)  # whole bytes, but not yet renamed: not read
    report = engine.sync_now(home)
    assert report.problems == []
    assert rows.journal_content(home.db) == before
    temporary.rename(first)
    _converged(laptop, home)
    assert f"Arriving {CANARY}" in _titles(home)


def _no_reads_of_big_files(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record every os.read of a file of 1 GiB or more (there must be none)."""
    big: list[int] = []
    real = os.read

    def read(fd: int, n: int) -> bytes:
        if os.fstat(fd).st_size >= GIB:
            big.append(n)
        return real(fd, n)

    monkeypatch.setattr(os, "read", read)
    return big


def test_a_sparse_gigabyte_segment_is_refused_without_being_read(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    _shared, laptop, home = pair
    before = rows.journal_content(home.db)
    huge = _own_dir(laptop) / secrets.token_hex(16)
    with huge.open("wb"):
        pass
    os.truncate(huge, GIB)
    big = _no_reads_of_big_files(monkeypatch)
    _refused(home, before, expect="larger than any file Afterglow writes")
    assert big == []
    _write(laptop, "After the huge file")
    _converged(laptop, home)
    assert big == []


def _attachment(laptop: Vault, data: bytes) -> None:
    made = laptop.entries.add(entry(f"With a picture {CANARY}", "see"))
    laptop.attachments.add(
        Attachment(
            kind=AttachmentKind.IMAGE, mime="image/png", entry_id=made.id, name=f"{CANARY}.png"
        ),
        data,
    )


def _blobs(laptop: Vault) -> list[Path]:
    return sorted((_own_dir(laptop) / "blobs").iterdir())


def _home_attachments(home: Vault) -> list[bytes]:
    ids = [int(row[0]) for row in home.db.query("SELECT id FROM attachments ORDER BY id")]
    return [home.attachments.data(attachment_id) for attachment_id in ids]


def test_a_tampered_attachment_is_refused_and_used_once_intact(pair: Pair) -> None:
    _shared, laptop, home = pair
    data = f"png {CANARY}".encode() * 50
    _attachment(laptop, data)
    engine.sync_now(laptop)
    (blob,) = _blobs(laptop)
    good = blob.read_bytes()
    flip_bytes(blob, len(good) - 5, count=1)
    report = engine.sync_now(home)
    assert any("attachment" in p for p in report.problems), report.problems
    assert all(CANARY not in p for p in report.problems)
    assert report.pending >= 1
    assert _home_attachments(home) == []
    assert "attachments" not in {table for table, _gid in rows.journal_content(home.db)}
    blob.write_bytes(good)
    _converged(laptop, home)
    assert _home_attachments(home) == [data]


def test_an_attachment_swapped_for_another_is_refused(pair: Pair) -> None:
    _shared, laptop, home = pair
    _attachment(laptop, b"first picture " * 40)
    engine.sync_now(laptop)
    first = set(_blobs(laptop))
    laptop.attachments.add(
        Attachment(kind=AttachmentKind.IMAGE, mime="image/png", name="b.png"),
        b"second picture " * 40,
    )
    engine.sync_now(laptop)
    (second,) = set(_blobs(laptop)) - first
    (one,) = first
    kept = one.read_bytes()
    shutil.copyfile(second, one)  # the right name, another attachment's sealed bytes
    report = engine.sync_now(home)
    assert any("attachment" in p for p in report.problems), report.problems
    assert _home_attachments(home) == [b"second picture " * 40]
    one.write_bytes(kept)
    _converged(laptop, home)
    assert sorted(_home_attachments(home)) == [b"first picture " * 40, b"second picture " * 40]


def test_a_sparse_gigabyte_attachment_is_not_read(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    _shared, laptop, home = pair
    _attachment(laptop, b"small picture " * 30)
    engine.sync_now(laptop)
    (blob,) = _blobs(laptop)
    good = blob.read_bytes()
    os.truncate(blob, GIB)
    big = _no_reads_of_big_files(monkeypatch)
    report = engine.sync_now(home)
    assert big == []
    assert any("attachment" in p for p in report.problems), report.problems
    assert _home_attachments(home) == []
    blob.write_bytes(good)
    _converged(laptop, home)
    assert _home_attachments(home) == [b"small picture " * 30]


def _tree(where: Path) -> dict[str, str]:
    """Every file (hashed) and folder below ``where``."""
    found = {}
    for path in where.rglob("*"):
        info = path.lstat()
        small = path.is_file() and info.st_size < GIB
        found[str(path.relative_to(where))] = (
            hashlib.sha256(path.read_bytes()).hexdigest()
            if small
            else f"{info.st_mode} {info.st_size}"
        )
    return found


def test_a_wrong_passphrase_or_recovery_code_at_join_writes_nothing(
    tmp_path: Path, new_vault: tuple[Vault, str]
) -> None:
    laptop, code = new_vault
    laptop.entries.add(entry(f"Private {CANARY}", "text"))
    shared = tmp_path / "Sync"
    shared.mkdir()
    joining.setup(
        laptop, shared, device_name="Laptop", passphrase=PASSPHRASE, recovery_code=code,
        kdf=FAST_KDF,
    )  # fmt: skip
    before = _tree(tmp_path)
    attempts = [
        (WrongPassphrase, "not the passphrase", False),
        (WrongPassphrase, "", False),
        (WrongPassphrase, code, False),  # the code typed where the passphrase goes
        (WrongRecoveryCode, "0" * 26, True),
        (WrongRecoveryCode, PASSPHRASE, True),
    ]
    for error, secret, recovery in attempts:
        with pytest.raises((error, JournalError)) as raised:
            joining.join(
                shared, tmp_path / "home" / "j.vault", secret, device_name="Home",
                recovery=recovery,
            )  # fmt: skip
        assert isinstance(raised.value, error) or not secret
        assert CANARY not in raised.value.message
        assert _tree(tmp_path) == before


def test_a_key_file_replaced_by_garbage(tmp_path: Path, pair: Pair) -> None:
    shared, laptop, home = pair
    laptop_key = _own_dir(laptop) / "key"
    home_key = _own_dir(home) / "key"
    laptop_key.write_bytes(os.urandom(700))
    # syncing needs no key file: the key is in each vault
    _write(laptop, f"Key gone {CANARY}")
    _converged(laptop, home)
    # a third computer still joins with the key file left intact
    third, _ = joining.join(shared, tmp_path / "third" / "j.vault", PASSPHRASE, device_name="Third")
    try:
        assert rows.journal_content(third.db) == rows.journal_content(laptop.db)
    finally:
        third.close()
    # with every key file garbage (or huge), joining refuses and writes nothing
    for path in _own_dir(laptop).parent.glob("*/key"):
        path.write_bytes(b"{not json" + os.urandom(200))
    os.truncate(home_key, GIB)
    before = _tree(tmp_path)
    with pytest.raises(JournalError) as raised:
        joining.join(shared, tmp_path / "fourth" / "j.vault", PASSPHRASE, device_name="Fourth")
    assert raised.value.message.endswith(".")
    assert _tree(tmp_path) == before


def test_nothing_in_the_folder_holds_the_journals_text(tmp_path: Path, vault: Vault) -> None:
    made_session = vault.sessions.add(session(notes=f"session {CANARY}"))
    made = vault.entries.add(
        entry(f"title {CANARY}", f"answer {CANARY}", session_id=made_session.id)
    )
    motif = vault.motifs.add(Motif(name=f"motif {CANARY}", feeling=f"feel {CANARY}"))
    assert motif.id is not None and made.id is not None
    vault.motifs.link(motif.id, made.id)
    vault.checkins.add("mood", [4], note=f"checkin {CANARY}")
    vault.attachments.add(
        Attachment(
            kind=AttachmentKind.IMAGE, mime="image/png", entry_id=made.id,
            name=f"{CANARY}.png",
        ),
        f"attachment bytes {CANARY}".encode() * 100,
    )  # fmt: skip
    shared = tmp_path / "Sync"
    shared.mkdir()
    joining.setup(vault, shared, device_name="Laptop", passphrase=PASSPHRASE, kdf=FAST_KDF)
    home, _ = joining.join(shared, tmp_path / "home" / "j.vault", PASSPHRASE, device_name="Home")
    try:
        home.entries.add(entry(f"home {CANARY}", f"home answer {CANARY}"))
        for _round in range(3):
            engine.sync_now(home)
            engine.sync_now(vault)
        assert rows.journal_content(home.db) == rows.journal_content(vault.db)
        assert f"title {CANARY}" in _titles(home)
        needles = [CANARY.encode(), CANARY.encode("utf-16-le"), b"harbour-lantern"]
        files = [p for p in shared.rglob("*") if p.is_file()]
        assert len(files) >= 4
        for path in files:
            data = path.read_bytes()
            for needle in needles:
                assert needle not in data, path
            assert "harbour" not in str(path.relative_to(shared))
    finally:
        home.close()


@pytest.mark.parametrize("what", ["garbage", "foreign journal", "replayed own"])
def test_a_hostile_file_in_a_devices_own_folder_does_not_renew_it(
    pair: Pair, tmp_path: Path, what: str
) -> None:
    _shared, laptop, _home = pair
    own = _own_dir(laptop)
    device = load_config(laptop.db).device
    if what == "garbage":
        data = os.urandom(5000)
    elif what == "foreign journal":
        foreign, _code = vaults.create(tmp_path / "foreign" / "j.vault", PASSPHRASE, kdf=FAST_KDF)
        try:
            elsewhere = tmp_path / "Elsewhere"
            elsewhere.mkdir()
            joining.setup(
                foreign, elsewhere, device_name="Other", passphrase=PASSPHRASE, kdf=FAST_KDF
            )
            data = _segments_since(foreign, 0)[0].read_bytes()
        finally:
            foreign.close()
    else:
        data = _segments_since(laptop, 0)[0].read_bytes()
    (own / secrets.token_hex(16)).write_bytes(data)
    report = engine.sync_now(laptop)
    assert load_config(laptop.db).device == device
    assert engine.RENEWED not in report.problems
