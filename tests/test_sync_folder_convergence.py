"""Convergence through a real folder, with what sync engines do to files:
a file seen half-written before it is whole, an engine's conflict copy, a
device that stays offline for a while. In the end every device holds the
same journal and nothing any device wrote is missing."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.core.sync import engine, joining, rows
from journal.core.vault import vault as vaults
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.sync_devices import entry

OPS = st.lists(
    st.tuples(
        st.sampled_from(["write", "write", "retitle", "sync", "sync", "sync", "half", "copy"]),
        st.integers(0, 2),
        st.integers(0, 5),
    ),
    min_size=5,
    max_size=25,
)


def _segments(shared: Path) -> list[Path]:
    return sorted(
        p
        for p in shared.rglob("*")
        if p.is_file() and len(p.name) == 32 and p.parent.name != "blobs"
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count=st.sampled_from([2, 3]), ops=OPS)
def test_devices_converge_through_a_folder_an_engine_moves(count: int, ops: list) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        shared = root / "Sync"
        shared.mkdir()
        first, _ = vaults.create(root / "d0" / "j.vault", PASSPHRASE, kdf=FAST_KDF)
        joining.setup(first, shared, device_name="d0", passphrase=PASSPHRASE, kdf=FAST_KDF)
        devices = [first]
        for index in range(1, count):
            joined, _ = joining.join(
                shared, root / f"d{index}" / "j.vault", PASSPHRASE, device_name=f"d{index}"
            )
            devices.append(joined)
        written: set[str] = set()
        halves: dict[Path, bytes] = {}
        try:
            for number, (op, who, pick) in enumerate(ops):
                vault = devices[who % count]
                if op == "write":
                    title = f"entry {number} on {who % count}"
                    vault.entries.add(entry(title, f"text {number}"))
                    written.add(title)
                elif op == "retitle" and vault.entries.all():
                    target = vault.entries.all()[pick % len(vault.entries.all())]
                    title = f"renamed {number}"
                    vault.entries.update(replace(target, title=title))
                    written.add(title)
                    written.discard(target.title)
                elif op == "sync":
                    engine.sync_now(vault)
                elif op == "half" and _segments(shared):
                    # The newest file arrives half-written: readers must wait for it.
                    path = _segments(shared)[-1 - pick % len(_segments(shared))]
                    if path not in halves:
                        halves[path] = path.read_bytes()
                        path.write_bytes(halves[path][: len(halves[path]) // 2])
                elif op == "copy" and _segments(shared):
                    path = _segments(shared)[pick % len(_segments(shared))]
                    shutil.copy(
                        path, path.with_name(path.name + ".sync-conflict-20261203-101500-ABCDEFG")
                    )
            for path, whole in halves.items():
                path.write_bytes(whole)  # …and then whole
            for _round in range(3):
                for vault in devices:
                    engine.sync_now(vault)
            contents = [rows.journal_content(v.db) for v in devices]
            assert all(c == contents[0] for c in contents)
            titles = {e.title for e in devices[0].entries.all()}
            # Renaming an entry another device renamed meanwhile keeps one title
            # and the other as a conflict; either way, every entry written is there.
            assert len(devices[0].entries.all()) == sum(1 for op, _w, _p in ops if op == "write")
            assert titles <= written | {t for t in titles if t.startswith("renamed")}
        finally:
            for vault in devices:
                vault.close()
