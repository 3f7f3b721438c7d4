"""Operations that touch several files, made safe against a crash at any
point: each writes down its intent first, and the next start — under the
vault's lock, before the vault is opened — finishes or rolls back what was
interrupted, and removes its own leftovers (but never a file that may be the
only copy of a journal).

- **Creating** a vault writes ``PATH.creating`` before anything else and
  removes it once the recovery code has been shown. A next start that finds
  it removes the unconfirmed vault: it holds nothing yet, and the person
  never saw its recovery code.
- **Restoring** stages the backup's files beside the vault
  (``PATH.restoring``, ``PATH.keys.restoring``) and copies the current vault
  into a complete, listed ``before-restore`` backup; only then does it write
  ``PATH.restore-intent`` — the commit point — and rename the staged files
  into place. A next start that finds the intent rolls forward (the renames
  are repeatable); staged files without an intent are rolled back (removed:
  the current vault was never touched).
- **Key files** are written to a temporary file and renamed; a temporary left
  by a crash holds a complete key file (perhaps under a new passphrase), so
  the next start removes it.
- **Backups** are made in ``.NAME.incomplete`` folders (always copies), which
  the next start removes.
"""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime

from journal.core.fsutil import fsync_dir, leftover_temporaries
from journal.core.vault.backup_folders import (
    backups_folder,
    recover_old_partials,
    remove_incomplete,
)
from journal.core.vault.paths import VaultPaths


def interrupted(paths: VaultPaths) -> bool:
    """Whether a crash left something for `finish_interrupted` to do here."""
    return any(
        p.exists()
        for p in (
            paths.creating,
            paths.restore_intent,
            paths.staged_database,
            paths.staged_keyfile,
        )
    ) or bool(leftover_temporaries(paths.keyfile))


def finish_interrupted(paths: VaultPaths, now: datetime | None = None) -> None:
    """Finish or roll back what a crash interrupted. Call it holding the
    vault's lock, before opening the vault. Raises OSError."""
    changed = False
    if paths.creating.exists():
        for leftover in paths.made_by_create:
            leftover.unlink(missing_ok=True)
        changed = True
    if paths.restore_intent.exists():
        complete_restore(paths)
    for leftover in (
        paths.staged_database,
        paths.staged_database.with_name(paths.staged_database.name + "-wal"),
        paths.staged_keyfile,
        *leftover_temporaries(paths.keyfile),
        *leftover_temporaries(paths.restore_intent),
    ):
        if leftover.exists():
            leftover.unlink()
            changed = True
    if changed:
        fsync_dir(paths.database.parent)
    folder = backups_folder(paths.database)
    remove_incomplete(folder)
    recover_old_partials(folder, now or datetime.now(UTC))


def mark_creating(paths: VaultPaths) -> None:
    fd = os.open(paths.creating, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    fsync_dir(paths.database.parent)


def confirm_created(paths: VaultPaths) -> None:
    """The person has seen the recovery code: the new vault is theirs to keep."""
    if paths.creating.exists():
        paths.creating.unlink()
        fsync_dir(paths.database.parent)


def complete_restore(paths: VaultPaths) -> None:
    """Roll a committed restore forward; every step can be repeated. The
    replaced vault's log files go (they are kept in its before-restore backup:
    left here, they would be replayed into the restored database)."""
    for stale in (paths.wal, paths.shm):
        stale.unlink(missing_ok=True)
    for staged, target in (
        (paths.staged_database, paths.database),
        (paths.staged_keyfile, paths.keyfile),
    ):
        if staged.exists():
            staged.replace(target)
    fsync_dir(paths.database.parent)
    with contextlib.suppress(FileNotFoundError):
        paths.restore_intent.unlink()
    fsync_dir(paths.database.parent)
