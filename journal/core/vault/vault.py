"""The vault: one SQLCipher database plus its key file, opened and locked.

A vault lives at ``PATH`` with its key file at ``PATH.keys`` and an OS lock
at ``PATH.lock`` (held while open, released by the kernel if the process
dies, so a crash leaves no stale lock).

Opening is all-or-nothing: a wrong passphrase is detected when unwrapping
the key, before the database file is touched, so no byte of any file changes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from journal.core.errors import (
    JournalError,
    StorageError,
    VaultCorrupt,
    VaultExists,
    VaultNotFound,
    VaultReadOnly,
    VaultTooNew,
    WrongPassphrase,
    WrongRecoveryCode,
)
from journal.core.fsutil import make_private_dir, storage_error
from journal.core.oslock import OsLock
from journal.core.vault import connection, intents, schema
from journal.core.vault import keyfile as kf
from journal.core.vault.connection import Clock, acquire_lock, local_now
from journal.core.vault.db import Database, translate
from journal.core.vault.paths import (  # noqa: F401 (re-exported: vaults.VaultPaths and friends)
    APP_NAME,
    VAULT_ENV,
    VAULT_FILENAME,
    VaultPaths,
    default_vault_path,
)
from journal.core.vault.repositories import Repositories
from journal.core.vault.repositories.workspace import THERAPIST

if TYPE_CHECKING:
    from journal.core.vault.repositories.attachments import AttachmentRepository
    from journal.core.vault.repositories.checkins import CheckinRepository
    from journal.core.vault.repositories.drafts import DraftRepository
    from journal.core.vault.repositories.entries import EntryRepository
    from journal.core.vault.repositories.imported import ImportedRepository
    from journal.core.vault.repositories.instruments import InstrumentRepository
    from journal.core.vault.repositories.keys import KeyRepository
    from journal.core.vault.repositories.meditations import MeditationRepository
    from journal.core.vault.repositories.motifs import MotifRepository
    from journal.core.vault.repositories.preferences import PreferenceRepository
    from journal.core.vault.repositories.search import SearchRepository
    from journal.core.vault.repositories.sessions import SessionRepository
    from journal.core.vault.repositories.templates import TemplateRepository
    from journal.core.vault.repositories.workspace import WorkspaceRepository


class Vault:
    """An unlocked vault. Use from the thread that opened it; `close` locks it.

    Repositories are reached as attributes: ``vault.sessions``,
    ``vault.entries``, ``vault.motifs``, ``vault.attachments``,
    ``vault.checkins``, ``vault.instruments``, ``vault.templates``,
    ``vault.drafts``, ``vault.keys``, ``vault.search``, ``vault.meditations``,
    ``vault.preferences``, ``vault.imported``, ``vault.workspace`` (a
    therapist's patients and kept bundles).
    """

    def __init__(
        self,
        paths: VaultPaths,
        db: Database,
        lock: OsLock | None,
        key: bytes,
        *,
        clock: Clock = local_now,
    ) -> None:
        """``lock`` None: a read-only vault (`read_only`); every write refuses
        with `VaultReadOnly`."""
        self.paths = paths
        self.db = db
        self._lock = lock
        # Kept for backups (a backup is keyed like its vault); SQLCipher holds it anyway.
        self._key = key
        self.repos = Repositories(db, clock=clock)

    @property
    def sessions(self) -> SessionRepository:
        return self.repos.sessions

    @property
    def entries(self) -> EntryRepository:
        return self.repos.entries

    @property
    def motifs(self) -> MotifRepository:
        return self.repos.motifs

    @property
    def attachments(self) -> AttachmentRepository:
        return self.repos.attachments

    @property
    def checkins(self) -> CheckinRepository:
        return self.repos.checkins

    @property
    def instruments(self) -> InstrumentRepository:
        return self.repos.instruments

    @property
    def templates(self) -> TemplateRepository:
        return self.repos.templates

    @property
    def drafts(self) -> DraftRepository:
        return self.repos.drafts

    @property
    def keys(self) -> KeyRepository:
        return self.repos.keys

    @property
    def search(self) -> SearchRepository:
        return self.repos.search

    @property
    def meditations(self) -> MeditationRepository:
        return self.repos.meditations

    @property
    def preferences(self) -> PreferenceRepository:
        return self.repos.preferences

    @property
    def imported(self) -> ImportedRepository:
        return self.repos.imported

    @property
    def workspace(self) -> WorkspaceRepository:
        return self.repos.workspace

    @property
    def is_open(self) -> bool:
        return self.db.is_open

    @property
    def is_workspace(self) -> bool:
        """A therapist's workspace (patients' bundles), not a journal."""
        return self.workspace.role() == THERAPIST

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    def confirm_created(self) -> None:
        """The person has seen the recovery code of this new vault (see `create`)."""
        try:
            intents.confirm_created(self.paths)
        except OSError as error:
            raise storage_error(error) from None

    def backup_database(self, target: Path) -> None:
        """Copy the database to ``target`` (a new file, readable by the owner
        only) with SQLite's backup API — a consistent snapshot, never a copy of
        the live file — encrypted with the same key, as a self-contained file
        (no WAL beside it). A damaged page of the vault raises `VaultDamaged`;
        the target's failures raise OSError or `StorageError`."""
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            copy = sqlcipher3.connect(str(target), isolation_level=None)
        except sqlcipher3.Error as error:
            raise (translate(error) or StorageError()) from None
        try:
            copy.execute("PRAGMA cipher_log_level = NONE")
            copy.execute(f"PRAGMA key = \"x'{self._key.hex()}'\"")
            with self.db.translated_errors():
                self.db.connection.backup(copy, pages=256)
            copy.execute("PRAGMA journal_mode = DELETE").fetchone()
        except sqlcipher3.Error as error:
            raise (translate(error) or StorageError()) from None
        finally:
            copy.close()

    def close(self) -> None:
        """Lock: close the database (checkpointing the WAL) and release the lock."""
        self._key = b""
        try:
            self.db.close()
        finally:
            if self._lock is not None and self._lock.is_locked:
                self._lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check(self) -> list[str]:
        """Integrity problems found (empty when healthy): SQLite's own check,
        SQLCipher's per-page HMAC check and foreign keys."""
        problems: list[str] = []
        try:
            problems += [
                f"page check: {row[0]}" for row in self.db.query("PRAGMA cipher_integrity_check")
            ]
            problems += [
                f"structure: {row[0]}"
                for row in self.db.query("PRAGMA integrity_check")
                if row[0] != "ok"
            ]
            problems += [
                f"broken link in table {row[0]}"
                for row in self.db.query("PRAGMA foreign_key_check")
            ]
        except JournalError as error:
            problems.append(error.message)
        return problems


def create(
    path: Path,
    passphrase: str,
    *,
    kdf: kf.KdfParams | None = None,
    clock: Clock = local_now,
    pending: bool = False,
    therapist: bool = False,
) -> tuple[Vault, str]:
    """Create a new vault at ``path``; return it (open) and its recovery code.
    ``therapist``: a workspace for receiving patients' bundles, with its
    sharing key made at once (a vault is a journal or a workspace for good).

    The recovery code is returned once and stored nowhere in the clear.
    ``pending``: the vault stays unconfirmed until `Vault.confirm_created` —
    call it once the person has seen the code; a crash before then removes
    the new vault at the next start (it holds nothing yet, and its code was
    never seen). Raises `WeakPassphrase`, `VaultExists`, `DiskFull`,
    `StorageError`.
    """
    paths = VaultPaths(Path(path))
    kf.check_passphrase_strength(passphrase, context=[paths.name])
    vault_key = os.urandom(kf.KEY_BYTES)  # the kernel's CSPRNG, as secrets uses
    recovery_code = kf.new_recovery_code()
    keyfile = kf.new_keyfile(vault_key, passphrase, recovery_code, params=kdf or kf.DEFAULT_KDF)
    return _make(paths, vault_key, keyfile, clock, pending, therapist), recovery_code


def adopt(path: Path, key: bytes, keyfile: kf.KeyFile, *, pending: bool = False) -> Vault:
    """A new vault opened by an existing key and key file: a computer joining
    a synced journal (``pending``: kept only once `Vault.confirm_created`)."""
    return _make(VaultPaths(Path(path)), key, keyfile, local_now, pending, False)


def _make(
    paths: VaultPaths, key: bytes, keyfile: kf.KeyFile, clock: Clock, pending: bool, therapist: bool
) -> Vault:
    if paths.exists():
        raise VaultExists()
    try:
        make_private_dir(paths.database.parent)
        lock = acquire_lock(paths)
    except OSError as error:
        raise storage_error(error) from None
    try:
        try:
            intents.finish_interrupted(paths)  # an earlier creation's leftovers
            intents.mark_creating(paths)
        except OSError as error:
            raise storage_error(error) from None
        try:
            kf.write(paths.keyfile, keyfile)
            fd = os.open(paths.database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
            db = connection.connect(paths, key)
            schema.migrate(db)
            if therapist:
                repos = Repositories(db, clock=clock)
                repos.workspace.set_role(THERAPIST)
                repos.keys.create_identity()
        except BaseException:
            for leftover in paths.made_by_create:
                leftover.unlink(missing_ok=True)
            raise
    except BaseException:
        lock.release()
        raise
    vault = Vault(paths, db, lock, key, clock=clock)
    if not pending:
        vault.confirm_created()
    return vault


def _open_with_key(paths: VaultPaths, vault_key: bytes, lock: OsLock | None, clock: Clock) -> Vault:
    """Open the vault (holding ``lock``, or read-only without one); only a
    vault that has a schema is a journal."""
    try:
        connection.check_size(paths)
        db = connection.connect(paths, vault_key, read_only=lock is None)
        try:
            version = int(db.pragma("user_version"))
            if version == 0:
                raise VaultCorrupt(
                    "The vault file holds no journal (it is empty or was replaced), so "
                    "nothing was opened or changed. Restore it from a backup."
                )
            if lock is None:
                if version < schema.LATEST:
                    raise VaultReadOnly(
                        "This journal was written by an older Afterglow and must be "
                        "updated once on a writable drive before it can be read here."
                    )
                if version > schema.LATEST:
                    raise VaultTooNew()
            else:
                schema.migrate(db)
        except BaseException:
            db.close()
            raise
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return Vault(paths, db, lock, vault_key, clock=clock)


@contextlib.contextmanager
def _opening(paths: VaultPaths) -> Iterator[OsLock | None]:
    """Hold the vault's lock (None: read-only) while it is opened, after
    finishing what a crash interrupted. The lock is released on failure and
    handed to the opened vault on success (call `keep`)."""
    if not (paths.exists() or intents.interrupted(paths)):
        raise VaultNotFound()
    lock = connection.lock_or_read_only(paths)
    try:
        if lock is None:
            if intents.interrupted(paths):
                raise VaultReadOnly(
                    "Afterglow was interrupted while changing this journal, and the drive "
                    "can't be written, so it can't be finished here. Open it on a writable drive."
                )
        else:
            try:
                intents.finish_interrupted(paths)
            except OSError as error:
                raise storage_error(error) from None
        yield lock
    except BaseException:
        if lock is not None and lock.is_locked:
            lock.release()
        raise


def _require(paths: VaultPaths) -> kf.KeyFile:
    if not paths.database.exists():
        if not paths.keyfile.exists():
            raise VaultNotFound()
        raise VaultCorrupt(
            "The vault file is missing (only its key file is here). Restore the "
            "vault from a backup."
        )
    return kf.read(paths.keyfile)


def unlock(
    path: Path, passphrase: str, *, clock: Clock = local_now, early: kf.Derivation | None = None
) -> Vault:
    """Open the vault with the passphrase (read-only where it can't be written);
    ``early``: its slot's Argon2id already under way (`kf.unwrap_key`). Raises
    `WrongPassphrase` (nothing on disk changes), `VaultNotFound`, `KeyFileMissing`,
    `KeyFileCorrupt`, `VaultCorrupt`, `VaultInUse`, `VaultTooNew`, `VaultReadOnly`."""
    paths = VaultPaths(Path(path))
    with _opening(paths) as lock:
        keyfile = _require(paths)
        secret = kf.normalize_passphrase(passphrase)
        key = kf.unwrap_key(keyfile, kf.PASSPHRASE_SLOT, secret, early=early)
        if key is None:
            raise WrongPassphrase()
        return _open_with_key(paths, key, lock, clock)


def _verify_key(paths: VaultPaths, key: bytes) -> None:
    """The key opens this vault's database (a key file of another vault does not)."""
    _open_with_key(paths, key, None, local_now).db.close()


def change_passphrase(path: Path, old: str, new: str, *, kdf: kf.KdfParams | None = None) -> None:
    """Rewrap the vault key under a new passphrase (atomic; the database is
    not re-encrypted). Holds the vault's lock. Raises `WrongPassphrase`,
    `WeakPassphrase`, `VaultInUse`, `VaultReadOnly`, `VaultCorrupt` (the key
    file belongs to another vault: nothing is changed)."""
    paths = VaultPaths(Path(path))
    kf.check_passphrase_strength(new, context=[paths.name])
    with _opening(paths) as lock:
        try:
            if lock is None:
                raise VaultReadOnly()
            keyfile = _require(paths)
            key = kf.unwrap_key(keyfile, kf.PASSPHRASE_SLOT, kf.normalize_passphrase(old))
            if key is None:
                raise WrongPassphrase()
            _verify_key(paths, key)
            kf.write(
                paths.keyfile, kf.rewrap_passphrase(keyfile, key, new, params=kdf or kf.DEFAULT_KDF)
            )
        finally:
            if lock is not None:
                lock.release()


def recover(
    path: Path,
    recovery_code: str,
    new_passphrase: str,
    *,
    kdf: kf.KdfParams | None = None,
    clock: Clock = local_now,
) -> Vault:
    """Open the vault with its recovery code and set a new passphrase.

    The recovery code stays valid. Raises `WrongRecoveryCode`, `WeakPassphrase`
    and the errors of `unlock`.
    """
    paths = VaultPaths(Path(path))
    kf.check_passphrase_strength(new_passphrase, context=[paths.name])
    with _opening(paths) as lock:
        if lock is None:
            raise VaultReadOnly()
        keyfile = _require(paths)
        key = kf.unwrap_key(keyfile, kf.RECOVERY_SLOT, kf.normalize_recovery_code(recovery_code))
        if key is None:
            raise WrongRecoveryCode()
        vault = _open_with_key(paths, key, lock, clock)
    try:
        kf.write(
            paths.keyfile,
            kf.rewrap_passphrase(keyfile, key, new_passphrase, params=kdf or kf.DEFAULT_KDF),
        )
    except BaseException:
        vault.close()
        raise
    return vault
