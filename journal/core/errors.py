"""Errors typed by who is to blame.

Every `JournalError` is an expected failure caused by the environment or by
the person's input; ``str(error)`` is one sentence saying what happened and
what to do next, fit to show as is. Anything else that escapes is a bug.
Messages never include entry text, titles or other content.
"""

from __future__ import annotations


class JournalError(Exception):
    """An expected failure a person can act on."""

    default_message = "Something went wrong."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)

    @property
    def message(self) -> str:
        return str(self.args[0])


class WrongPassphrase(JournalError):
    default_message = "That passphrase doesn't open this journal. Check it and try again."


class WrongRecoveryCode(JournalError):
    default_message = (
        "That recovery code doesn't open this journal. Check each group of characters "
        "against the code you stored and try again."
    )


class WeakPassphrase(JournalError):
    """Carries the sentence of `journal.core.vault.passphrase.judge`."""

    default_message = "Please choose a passphrase of at least 8 characters."


class VaultNotFound(JournalError):
    default_message = (
        "There is no vault here yet. Create one with `afterglow init` or choose "
        "another location with --vault."
    )


class VaultExists(JournalError):
    default_message = (
        "A vault already exists here. Open it, or choose another location with --vault."
    )


class KeyFileMissing(JournalError):
    default_message = (
        "The key file next to your vault is missing, so the vault cannot be opened. "
        "Restore the key file from a backup of the same vault."
    )


class KeyFileCorrupt(JournalError):
    default_message = (
        "The key file next to your vault is damaged. Restore it from a backup of the "
        "same vault; your passphrase has not been changed."
    )


class VaultCorrupt(JournalError):
    default_message = (
        "The vault file is damaged or does not belong to this key file. Nothing was "
        "changed; restore the vault from a backup."
    )


class VaultDamaged(VaultCorrupt):
    """A damaged page found while the vault was in use: nothing more is written."""

    default_message = (
        "Part of the vault is damaged, so nothing more can be saved to it. Run "
        "`afterglow check` to see what is affected, then restore it from a backup."
    )


class VaultReadOnly(JournalError):
    default_message = (
        "This journal is on a drive or folder that can't be written, so changes can't be "
        "saved. You can read everything; copy the journal to a writable folder to write again."
    )


class VaultInUse(JournalError):
    default_message = (
        "This journal is already open in another Afterglow window or command. "
        "Close it there, then try again."
    )


class VaultLocked(JournalError):
    default_message = "The journal is locked. Unlock it with your passphrase to continue."


class VaultTooNew(JournalError):
    default_message = (
        "This journal was written by a newer version of Afterglow. Update Afterglow to "
        "open it; nothing was changed."
    )


class DiskFull(JournalError):
    default_message = (
        "The disk is full, so nothing was saved. Free some space, then try again; "
        "what was saved before is safe."
    )


class StorageError(JournalError):
    default_message = (
        "The journal could not be written (the disk refused the write). Nothing was "
        "saved; check the drive, then try again."
    )


class OutputUnwritable(JournalError):
    """A file the person asked for (an export, a backup, a template) could not be
    written where they chose; the vault is not involved."""

    default_message = (
        "That file could not be written there. Choose another folder; nothing was written."
    )


class InvalidInput(JournalError):
    default_message = "That value can't be saved."


class NotFound(JournalError):
    default_message = "That item no longer exists in the journal."


class TemplateInvalid(JournalError):
    default_message = "That template file is not valid."


class InstrumentInvalid(JournalError):
    default_message = "That questionnaire file is not valid."


class BundleInvalid(JournalError):
    default_message = (
        "This file is not a readable Afterglow bundle: it is damaged, incomplete or was "
        "changed after it was made. Ask for the file to be sent again; nothing was saved."
    )


class ImportInvalid(JournalError):
    default_message = (
        "Afterglow can't read this file as a journal to import. Nothing was changed in "
        "your journal; export it again from the other app and try once more."
    )


class ImportCancelled(JournalError):
    default_message = "The import was cancelled; your journal is as it was."


class WrongShareCode(JournalError):
    default_message = (
        "That share code doesn't open this bundle. Check the six words with the person "
        "who sent it and try again."
    )


class SyncFolderUnavailable(JournalError):
    default_message = (
        "The sync folder can't be read (is its drive connected?), so nothing was synced. "
        "Check the folder, then sync again."
    )


class SyncFileUnreadable(JournalError):
    """A file in the sync folder failed authentication: damaged, changed, not of
    this journal or device, or still arriving (a half-copied file looks the same)."""

    default_message = (
        "A file in the sync folder could not be read (it may still be arriving, or it "
        "was damaged or changed); it will be tried again when it changes."
    )


class SyncBlobMissing(JournalError):
    default_message = (
        "An attachment has not arrived in the sync folder yet; it will be added when "
        "your sync engine brings it."
    )


class SyncBlobDamaged(SyncFileUnreadable):
    default_message = (
        "An attachment in the sync folder is damaged or was changed, so it was not used; "
        "it will be tried again when the file changes."
    )


class SyncNotSetUp(JournalError):
    default_message = (
        "This journal does not sync through a folder yet. Choose “Use a synced folder” "
        "(or run `afterglow sync setup FOLDER`) first."
    )


class SyncAlreadySetUp(JournalError):
    default_message = (
        "This journal already syncs through a folder, so nothing was changed. "
        "See `afterglow sync status` for where."
    )


class SyncNothingToJoin(JournalError):
    default_message = (
        "There is no Afterglow journal in this folder yet. Wait until your sync app shows "
        "the folder up to date (or check you chose the right folder), then try again."
    )


class SyncDeviceRemoved(JournalError):
    default_message = (
        "This computer was removed from your journal's sync on another computer, so it no "
        "longer syncs. Your journal here is unchanged; to sync again, join from the folder."
    )
