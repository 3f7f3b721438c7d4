"""Where a vault lives and the files beside it (cheap to import: the app's
window asks before anything heavy is loaded)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

VAULT_ENV = "AFTERGLOW_VAULT"
APP_NAME = "Afterglow"
VAULT_FILENAME = "journal.vault"


def default_vault_path() -> Path:
    """``$AFTERGLOW_VAULT`` if set, else the platform's user data folder."""
    env = os.environ.get(VAULT_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs  # only when no path is given: ~7 ms a command need not pay

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / VAULT_FILENAME


class VaultPaths(NamedTuple):
    database: Path

    @property
    def keyfile(self) -> Path:
        return self.database.with_name(self.database.name + ".keys")

    @property
    def lockfile(self) -> Path:
        return self.database.with_name(self.database.name + ".lock")

    @property
    def wal(self) -> Path:
        return self.database.with_name(self.database.name + "-wal")

    @property
    def rollback_journal(self) -> Path:
        """SQLite's journal while a new vault is made, before it switches to WAL."""
        return self.database.with_name(self.database.name + "-journal")

    @property
    def shm(self) -> Path:
        return self.database.with_name(self.database.name + "-shm")

    @property
    def creating(self) -> Path:
        """Present while a new vault is not yet confirmed (its recovery code not shown)."""
        return self.database.with_name(self.database.name + ".creating")

    @property
    def made_by_create(self) -> tuple[Path, ...]:
        """Every file making a new vault writes, the `creating` marker last:
        what is removed when a creation fails or was interrupted."""
        return (
            self.database,
            self.wal,
            self.shm,
            self.rollback_journal,
            self.keyfile,
            self.creating,
        )

    @property
    def restore_intent(self) -> Path:
        """Present from the moment a restore is committed until it is complete."""
        return self.database.with_name(self.database.name + ".restore-intent")

    @property
    def staged_database(self) -> Path:
        return self.database.with_name(self.database.name + ".restoring")

    @property
    def staged_keyfile(self) -> Path:
        return self.keyfile.with_name(self.keyfile.name + ".restoring")

    @property
    def name(self) -> str:
        return self.database.stem

    def exists(self) -> bool:
        """A vault is here (an unfinished creation is not a vault yet)."""
        if self.creating.exists():
            return False
        return self.database.exists() or self.keyfile.exists() or self.restore_intent.exists()
