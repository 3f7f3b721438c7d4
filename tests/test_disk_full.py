"""A full disk mid-write: a typed error, no partial write, nothing lost.

Two ways to make the disk refuse: a child process that limits the size of
files it may write (RLIMIT_FSIZE, the kernel refuses with EFBIG), and a real
full file system: a 2 MiB tmpfs mounted in a private mount namespace (where
the machine allows ``unshare``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from journal.core.model import Answer, Entry
from journal.core.vault import vault as vaults
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import snapshot

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE semantics")

_CHILD = textwrap.dedent(
    """
    import resource, sys
    from journal.core.vault import vault
    from journal.core.errors import JournalError
    from journal.core.model import Answer, Entry
    path, action, passphrase = sys.argv[1], sys.argv[2], sys.argv[3]

    def limit(nbytes):
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))

    try:
        if action == "entry":
            v = vault.unlock(path, passphrase)
            p = v.paths
            limit(max(f.stat().st_size for f in (p.database, p.wal, p.shm) if f.exists()) + 65536)
            v.entries.add(Entry(answers=[Answer("k", "", text="full " * 400_000)]))
        else:
            limit(64)
            vault.change_passphrase(path, passphrase, "another good passphrase")
    except JournalError as error:
        print(type(error).__name__, error)
        sys.exit(1)
    print("no error")
    """
)


def _run_child(path: Path, action: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), action, PASSPHRASE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_refused_write_while_saving_an_entry_loses_nothing(vault_path: Path) -> None:
    vault, _ = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    kept = vault.entries.add(Entry(answers=[Answer("k", "", text="saved before")]))
    vault.close()
    result = _run_child(vault_path, "entry")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("StorageError The journal could not be written")
    assert "Traceback" not in result.stderr
    with vaults.unlock(vault_path, PASSPHRASE) as again:
        assert again.check() == []
        assert again.entries.count() == 1
        assert again.entries.get(kept.id).text == "saved before"  # type: ignore[arg-type]


@pytest.mark.slow
def test_disk_full_while_changing_the_passphrase_keeps_the_old_key_file(vault_path: Path) -> None:
    vault, _ = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    vault.close()
    before = snapshot(vault_path.parent)
    result = _run_child(vault_path, "passwd")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("DiskFull")
    assert snapshot(vault_path.parent) == before  # no temp file left, key file unchanged
    vaults.unlock(vault_path, PASSPHRASE).close()


_FILL = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from journal.core.vault import vault, keyfile as kf
    from journal.core.errors import DiskFull
    from journal.core.model import Answer, Entry
    folder, passphrase = Path(sys.argv[1]), sys.argv[2]
    ballast = folder / "ballast"
    ballast.write_bytes(b"x" * 300_000)
    v, _ = vault.create(folder / "j.vault", passphrase, kdf=kf.KdfParams(64, 1, 1))
    kept = 0
    try:
        for i in range(1000):
            v.entries.add(Entry(answers=[Answer("k", "", text=f"{i} " + "words " * 8000)]))
            kept += 1
        print("never full")
    except DiskFull as error:
        print("DiskFull", kept, error)
    v.close()
    ballast.unlink()  # the person frees some space
    with vault.unlock(folder / "j.vault", passphrase) as again:
        print("count", again.entries.count(), "problems", len(again.check()))
    """
)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare")
def test_real_full_disk_gives_disk_full_and_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "small-disk"
    folder.mkdir()
    script = tmp_path / "fill.py"
    script.write_text(_FILL, encoding="utf-8")
    result = subprocess.run(
        [
            shutil.which("unshare") or "unshare",
            "-rm",
            "sh",
            "-c",
            f'mount -t tmpfs -o size=2m tmpfs "{folder}" && exec "{sys.executable}" "{script}" '
            f'"{folder}" "$0"',
            PASSPHRASE,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=Path.cwd(),
    )
    if "mount" in result.stderr and result.returncode != 0 and not result.stdout:
        pytest.skip(f"this machine does not allow a private tmpfs: {result.stderr.strip()}")
    assert result.returncode == 0, result.stdout + result.stderr
    first, second = result.stdout.splitlines()[:2]
    word, kept, *_ = first.split(" ", 2)
    assert word == "DiskFull" and int(kept) > 0, first
    assert "The disk is full, so nothing was saved." in first
    assert second == f"count {kept} problems 0"
