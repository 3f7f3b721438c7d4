"""Afterglow's own export of everything, taken back in: the age-encrypted ZIP
(opened with the passphrase it was made with) or the unencrypted folder.

It is read the way a bundle is (in memory, names checked, every file's
SHA-256 against the manifest, every record type-checked), then kept as the
whole journal with its own ids; `journal.core.imports.apply` stores it with
new ids and every link between its records kept."""

from __future__ import annotations

from pathlib import Path

import pyrage

from journal.core import safezip
from journal.core.errors import BundleInvalid, ImportInvalid, WrongPassphrase
from journal.core.imports.plan import AfterglowJournal, ImportPlan, Source
from journal.core.imports.reading import (
    MAX_FILE_BYTES,
    ZIP_LIMITS,
    decode,
    folder_files,
    read_bytes,
    refuse,
)
from journal.core.sharing import bundle


class PassphraseNeeded(ImportInvalid):
    default_message = (
        "This is an encrypted Afterglow export; type the passphrase you chose when you exported it."
    )


def is_encrypted(data: bytes) -> bool:
    return data.startswith(bundle.AGE_MAGIC)


def is_export_folder(path: Path) -> bool:
    return (path / "manifest.json").is_file() and (path / "entries.json").is_file()


def read_encrypted(data: bytes, name: str, passphrase: str | None) -> ImportPlan:
    try:
        by_passphrase = bundle.needs_share_code(data)  # the header, checked before any work
    except BundleInvalid:
        raise refuse(
            name, "is damaged (its encryption header can't be read)", "Export it again"
        ) from None
    if not by_passphrase:
        raise refuse(
            name,
            "is a bundle made for a therapist's key, not an export of everything",
            "Open it with File → Open a bundle instead",
        )
    if passphrase is None:
        raise PassphraseNeeded()
    try:
        plain = bytes(pyrage.passphrase.decrypt(data, passphrase))
    except pyrage.DecryptError:
        raise WrongPassphrase(
            "That passphrase doesn't open this export, or the file was damaged. Check the "
            "passphrase you chose when you exported it and try again."
        ) from None
    try:
        files = bundle.unzip(plain, accept=safezip.plain_name)
    except BundleInvalid:
        raise refuse(name, "is damaged inside", "Export everything again") from None
    return read_files(files, name)


def read_folder(root: Path) -> ImportPlan:
    files: dict[str, bytes] = {}
    total = 0
    for path in folder_files(root):
        data = read_bytes(path, limit=ZIP_LIMITS.file_bytes)
        total += len(data)
        if total > MAX_FILE_BYTES:
            raise refuse(
                f"The folder {root.name}",
                "is larger than Afterglow imports",
                "Choose a smaller export",
            )
        files[path.relative_to(root).as_posix()] = data
    return read_files(files, root.name)


def read_files(files: dict[str, bytes], name: str) -> ImportPlan:
    try:
        manifest = bundle.verify_manifest(files)
        content = bundle.read_content(manifest, files)
    except BundleInvalid:
        raise refuse(
            name,
            "is not a readable Afterglow export (it is damaged, incomplete or was changed "
            "after it was made)",
            "Export everything again from the journal it came from",
        ) from None
    templates = [
        decode(data, n)
        for n, data in sorted(files.items())
        if n.startswith("templates/") and n.endswith(".toml")
    ]
    plan = ImportPlan(Source.AFTERGLOW, name)
    plan.journal = AfterglowJournal(content, templates, files.get("checklist.toml"))
    return plan
