"""A sync killed in each of its windows: the next one places the same bytes
and the chain never forks.

The kill is a `Killed` (a BaseException nothing catches) raised at the
point a power cut would stop the process; the vault is then closed and
unlocked again, as the next start does, and syncing goes on. After each:
both devices converge, every entry saved before the kill is there, and no
device's folder holds two different files at one place (seq) of its chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from journal.core.sync import compaction, engine, envelope, folder, joining, rows, segments
from journal.core.sync.config import load_config
from journal.core.vault import vault as vaults
from journal.core.vault.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.sync_devices import entry


class Killed(BaseException):
    """The process died here."""


def _pair(tmp_path: Path) -> tuple[Path, Vault, Vault]:
    laptop, _code = vaults.create(tmp_path / "laptop" / "j.vault", PASSPHRASE, kdf=FAST_KDF)
    shared = tmp_path / "Sync"
    shared.mkdir()
    joining.setup(laptop, shared, device_name="Laptop", passphrase=PASSPHRASE, kdf=FAST_KDF)
    home, _ = joining.join(shared, tmp_path / "home" / "j.vault", PASSPHRASE, device_name="Home")
    engine.sync_now(laptop)
    engine.sync_now(home)
    return shared, laptop, home


def _restart(vault: Vault) -> Vault:
    path = vault.paths.database
    vault.close()
    return vaults.unlock(path, PASSPHRASE)


def _chains(shared: Path, keys: dict[int, bytes]) -> dict[tuple[str, int], set[str]]:
    """(device, seq) → the digests of the segment files there (must be one each)."""
    found: dict[tuple[str, int], set[str]] = {}
    for journal in folder.find_journals(shared):
        for path in (shared / f"afterglow-{journal}").glob("*/*"):
            if not envelope.is_sealed_name(path.name):
                continue
            data = path.read_bytes()
            seq, _prev, _payload = envelope.open_segment(
                data, journal_id=journal, device_id=path.parent.name, keys=keys
            )
            found.setdefault((path.parent.name, seq), set()).add(hashlib.sha256(data).hexdigest())
    return found


def _never_forked(shared: Path, vault: Vault) -> None:
    chains = _chains(shared, load_config(vault.db).keys)
    assert chains
    assert all(len(digests) == 1 for digests in chains.values()), chains


def _settle(laptop: Vault, home: Vault) -> None:
    for _round in range(3):
        for vault in (laptop, home):
            report = engine.sync_now(vault)
            assert not [p for p in report.problems if "claims the same place" in p], report
    assert rows.journal_content(laptop.db) == rows.journal_content(home.db)


def _kill_at(
    monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, *, after: bool = False
) -> Callable[[], int]:
    """Make ``owner.name`` kill the process (before it runs, or right after)
    on its first call; returns how many calls were made."""
    real = getattr(owner, name)
    calls = [0]

    def dying(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == 1:
            if after:
                real(*args, **kwargs)
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, dying)
    return lambda: calls[0]


def _outbox(vault: Vault) -> dict[str, bytes]:
    return {str(r[0]): bytes(r[1]) for r in vault.db.query("SELECT name, data FROM sync_outbox")}


@pytest.mark.parametrize("after", [False, True], ids=["before the file", "before the row"])
def test_a_kill_between_committing_and_placing_a_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: bool
) -> None:
    shared, laptop, home = _pair(tmp_path)
    try:
        laptop.entries.add(entry("Saved before the kill", "kept"))
        calls = _kill_at(monkeypatch, folder, "place_segment", after=after)
        with pytest.raises(Killed):
            engine.sync_now(laptop)
        assert calls() == 1
        monkeypatch.undo()
        waiting = _outbox(laptop)
        assert len(waiting) == 1  # committed, with the chain's head
        ((name, data),) = waiting.items()
        placed = Path(folder.device_dir(shared, *_ids(laptop))) / name
        assert placed.exists() == after
        laptop = _restart(laptop)
        assert _outbox(laptop) == waiting
        engine.sync_now(laptop)
        assert placed.read_bytes() == data  # the very bytes committed, not a new seal
        assert _outbox(laptop) == {}
        _never_forked(shared, laptop)
        _settle(laptop, home)
        assert "Saved before the kill" in {e.title for e in home.entries.all()}
        _never_forked(shared, laptop)
    finally:
        laptop.close()
        home.close()


def _ids(vault: Vault) -> tuple[str, str]:
    config = load_config(vault.db)
    return config.journal, config.device


def test_a_kill_mid_rename_leaves_a_temporary_nobody_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared, laptop, home = _pair(tmp_path)
    try:
        laptop.entries.add(entry("Saved before the kill", "kept"))
        before = rows.journal_content(home.db)

        def half_written(path: Path, data: bytes, **_kwargs: Any) -> None:
            # atomic_write_bytes' temporary, half-written, when the power went
            (path.parent / f".{path.name}.{'0' * 12}.tmp").write_bytes(data[: len(data) // 2])
            raise Killed

        monkeypatch.setattr(folder, "_write", half_written)
        with pytest.raises(Killed):
            engine.sync_now(laptop)
        monkeypatch.undo()
        report = engine.sync_now(home)
        assert report.problems == []
        assert rows.journal_content(home.db) == before
        leftovers = list(shared.rglob("*.tmp"))
        assert leftovers
        laptop = _restart(laptop)
        _settle(laptop, home)
        assert "Saved before the kill" in {e.title for e in home.entries.all()}
        _never_forked(shared, laptop)
        assert not any(p.exists() for p in leftovers)  # the next sync swept them
    finally:
        laptop.close()
        home.close()


def test_a_kill_while_merging_rolls_back_and_the_next_sync_applies_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared, laptop, home = _pair(tmp_path)
    try:
        laptop.entries.add(entry("From the laptop", "one"))
        engine.sync_now(laptop)
        home.entries.add(entry("Saved at home before the kill", "two"))
        before = rows.journal_content(home.db)
        _kill_at(monkeypatch, engine, "_advance")
        with pytest.raises(Killed):
            engine.sync_now(home)
        monkeypatch.undo()
        home = _restart(home)
        assert {(t, g) for t, g in before} <= set(rows.journal_content(home.db))
        _settle(laptop, home)
        titles = [e.title for e in laptop.entries.all()]
        assert sorted(titles) == ["From the laptop", "Saved at home before the kill"]
        _never_forked(shared, laptop)
    finally:
        laptop.close()
        home.close()


def test_a_kill_while_compacting_keeps_an_unbroken_chain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared, laptop, home = _pair(tmp_path)
    try:
        for index in range(6):
            laptop.entries.add(entry(f"Entry {index}", "text"))
            engine.sync_now(laptop)
            engine.sync_now(home)
        engine.sync_now(laptop)
        real = folder.remove_own_segments

        def half_removed(root: Path, journal: str, device: str, names: Any) -> None:
            wanted = list(names)
            real(root, journal, device, wanted[: len(wanted) // 2])
            raise Killed

        monkeypatch.setattr(folder, "remove_own_segments", half_removed)
        with pytest.raises(Killed):
            compaction.compact(laptop, load_config(laptop.db))
        monkeypatch.undo()
        laptop = _restart(laptop)
        laptop.entries.add(entry("Saved after the kill", "text"))
        _settle(laptop, home)
        _never_forked(shared, laptop)
        late, _ = joining.join(
            shared, tmp_path / "late" / "j.vault", PASSPHRASE, device_name="Late"
        )
        try:
            assert rows.journal_content(late.db) == rows.journal_content(laptop.db)
        finally:
            late.close()
    finally:
        laptop.close()
        home.close()


def test_outbox_bytes_are_placed_again_unchanged(tmp_path: Path) -> None:
    """`commit_segment` then `place_outbox` twice (a crash after the rename,
    before the row went): one file, the committed bytes."""
    shared, laptop, home = _pair(tmp_path)
    try:
        config = load_config(laptop.db)
        payload = engine._payload(config, laptop.db, "acks", [])
        seq = segments.commit_segment(laptop.db, config, payload, mark_sent=False)
        ((name, data),) = _outbox(laptop).items()
        for _again in range(2):
            folder.place_segment(shared, config.journal, config.device, name, data)
        segments.place_outbox(laptop.db, config)
        place = folder.device_dir(shared, config.journal, config.device)
        assert (place / name).read_bytes() == data
        assert sum(1 for (device, s) in _chains(shared, config.keys) if device == config.device
                   and s == seq) == 1  # fmt: skip
        _settle(laptop, home)
    finally:
        laptop.close()
        home.close()
