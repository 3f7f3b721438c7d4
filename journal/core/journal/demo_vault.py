"""Where `afterglow --demo` keeps its sample journal: a temporary folder that
is removed when the demo ends, also when its start is interrupted, and —
should a demo have been killed outright — when the next demo starts.

The demo's passphrase is public (its unlock page prints it), so a costly key
derivation would protect nothing there: the sample journal is made with the
cheapest Argon2id the key file accepts, and opens at once. Every real
journal keeps `keyfile.DEFAULT_KDF`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from journal.core.oslock import OsLock

if TYPE_CHECKING:
    from journal.core.vault.vault import Vault

DEMO_PASSPHRASE = "demo lantern harbor"  # noqa: S105 (public: the demo holds only sample text)
PREFIX = "afterglow-demo-"
VAULT_NAME = "demo.vault"
# Held while a demo runs; a folder whose lock nobody holds is left over.
IN_USE = "in-use.lock"
# A folder younger than this may belong to a demo starting this very moment
# (made, not yet locked): it is never swept.
SWEEP_AFTER_S = 60.0


def open_demo_vault(folder: Path) -> Vault:
    """A new sample journal in ``folder``, open."""
    from journal.core.journal.demo import populate
    from journal.core.vault import vault as vaults
    from journal.core.vault.keyfile import KdfParams

    cheap = KdfParams(memory_kib=1024, time_cost=1, parallelism=1)  # public passphrase: see above
    vault, _ = vaults.create(folder / VAULT_NAME, DEMO_PASSPHRASE, kdf=cheap)
    try:
        populate(vault)
        vault.confirm_created()  # its recovery code protects sample text: nobody needs it
    except BaseException:
        vault.close()
        raise
    return vault


def sweep_left_over(temp: Path | None = None, *, now: float | None = None) -> list[Path]:
    """Remove the demo folders of demos that ended without cleaning up (a
    killed process, a lost power): those whose lock nobody holds. Returns them."""
    temp = Path(tempfile.gettempdir()) if temp is None else temp
    now = time.time() if now is None else now
    removed = []
    for folder in temp.glob(PREFIX + "*"):
        with contextlib.suppress(OSError):
            status = folder.lstat()
            if (
                folder.is_symlink()
                or not folder.is_dir()
                or status.st_uid != os.getuid()
                or now - status.st_mtime < SWEEP_AFTER_S
            ):
                continue
            lock = OsLock.try_acquire(folder / IN_USE)
            if lock is None:  # a demo is running there
                continue
            try:
                shutil.rmtree(folder)
            finally:
                lock.release()
            removed.append(folder)
    return removed


@contextlib.contextmanager
def demo_folder() -> Iterator[Path]:
    """A new private temporary folder for a demo, held (`IN_USE`) while the
    ``with`` lasts and removed afterwards, whatever ended it."""
    sweep_left_over()
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    try:
        lock = OsLock.try_acquire(folder / IN_USE)
        try:
            yield folder
        finally:
            if lock is not None:
                lock.release()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def demo_journal() -> Iterator[Path]:
    """A closed sample journal in a demo folder (for tests and tools that
    open it themselves); its path."""
    with demo_folder() as folder:
        open_demo_vault(folder).close()
        yield folder / VAULT_NAME
