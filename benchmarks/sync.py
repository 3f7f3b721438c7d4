"""Sync through a folder: how long the home computer takes to apply what
the laptop wrote, and how big the folder is once compacted.

The laptop's journal is `benchmarks.data.populate`'s (fixed seed, no
attachments), set up in a sync folder in the scratch space; the home
computer joins before the laptop writes it, so what is measured is one
`engine.sync_now` that reads, verifies and merges every change. Each run
starts from copies of the same home vault and folder, so runs are alike.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.data import PASSPHRASE, populate
from benchmarks.figures import Figure, median, timed
from journal.core.sync import compaction, engine, joining
from journal.core.sync.config import load_config
from journal.core.vault import keyfile as kf
from journal.core.vault import vault as vaults

# Key derivation is measured elsewhere; here it would only slow every run.
FAST = kf.KdfParams(memory_kib=64, time_cost=1, parallelism=1)
CHANGES_PER_ENTRY = 5  # an entry and its four answers


def _size(where: Path) -> int:
    return sum(p.stat().st_size for p in where.rglob("*") if p.is_file())


def _vault_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


def sync_figures(scratch: Path, *, changes: int, repeat: int) -> list[Figure]:
    """Apply ``changes`` changes from another device (time), and the folder's
    size once compacted against the vault's."""
    base = scratch / "sync"
    laptop_path, home_path = base / "laptop" / "j.vault", base / "home" / "j.vault"
    shared = base / "Sync"
    shared.mkdir(parents=True)
    laptop, _code = vaults.create(laptop_path, PASSPHRASE, kdf=FAST)
    try:
        joining.setup(laptop, shared, device_name="Laptop", passphrase=PASSPHRASE, kdf=FAST)
        home, _ = joining.join(shared, home_path, PASSPHRASE, device_name="Home")
        home.close()
        populate(
            laptop,
            entries=changes // CHANGES_PER_ENTRY,
            sessions=max(1, changes // 200),
            motifs=0,
            attachment_bytes=0,
        )
        sent = engine.sync_now(laptop).sent
        pristine_home, pristine_folder = base / "home-before", base / "Sync-before"
        shutil.copytree(home_path.parent, pristine_home)
        shutil.copytree(shared, pristine_folder)
        times, received = [], 0
        for _run in range(repeat):
            shutil.rmtree(home_path.parent)
            shutil.copytree(pristine_home, home_path.parent)
            shutil.rmtree(shared)
            shutil.copytree(pristine_folder, shared)
            home = vaults.unlock(home_path, PASSPHRASE)
            try:
                report: list[engine.SyncReport] = []
                times.append(timed(lambda: report.append(engine.sync_now(home))) / 1000)  # noqa: B023
                received = report[0].received
                assert not report[0].problems, report[0].problems
            finally:
                home.close()
        engine.sync_now(laptop)  # takes home's acks, so compaction may prune
        compaction.compact(laptop, load_config(laptop.db))
        folder_bytes = _size(next(shared.iterdir()))
    finally:
        laptop.close()
    vault_bytes = _vault_size(laptop_path)  # closed: its write-ahead log checkpointed
    ratio = folder_bytes / vault_bytes
    return [
        Figure(
            f"sync: apply {changes:,} changes from another device",
            "s",
            times,
            note=f"{sent:,} changes sent, {received:,} received and merged in one `sync now`"
            f" (median of {repeat}: {median(times):.1f} s)",
        ),
        Figure(
            "sync: folder after compaction (× the vault's size)",
            "×",
            [ratio],
            "≤ 1.5 ×",
            ok=ratio <= 1.5,
            note=f"folder {folder_bytes / 1e6:.1f} MB, vault {vault_bytes / 1e6:.1f} MB "
            f"({changes:,} changes, no attachments)",
        ),
    ]
