"""Export of everything, for keeping: the journal is never trapped here.

The whole journal — private entries and answers included, since this copy is
for the patient — as the same open files a bundle holds (Markdown entries,
JSON records, attachments, a readable report) plus the patient's own
templates as TOML. By default the files are zipped in memory and encrypted
with age to a passphrase the patient chooses, so ``age -d`` and ``unzip``
alone open it years from now. A plain folder is written only when the caller
passes ``plain=True`` after warning the person, and never over an existing
file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyrage

from journal.core.errors import InvalidInput
from journal.core.fsutil import atomic_write_bytes, make_private_dir, output_error
from journal.core.journal import before
from journal.core.practice.checklist import checklist_file
from journal.core.sharing import bundle, report
from journal.core.sharing.share import BundleContent
from journal.core.vault import keyfile
from journal.core.vault.vault import Vault

README = """Afterglow — everything in this journal, exported {date}.

entries/      every entry as Markdown (private ones are marked "private: true")
entries.json  the same entries as data
sessions.json, checkins.json, motifs.json, attachments.json, meditations.json
attachments/  sketches, images and voice notes as their original files
templates/    your own prompt templates (TOML)
checklist.toml your treatment day's checklist (Afterglow can take it back in:
              Before my session → Use my clinic's list…)
report.html   the whole journal as one readable page (opens in any browser; its
              pictures are the files in attachments/)
manifest.json SHA-256 of every file

Afterglow can read entries.json again; any text editor reads the rest.
"""


@dataclass(frozen=True)
class ArchiveResult:
    path: Path
    files: int
    entries: int
    encrypted: bool


def everything(vault: Vault, *, now: datetime) -> BundleContent:
    """The whole journal as plain data, private items included."""
    entries = sorted(
        (vault.entries.get(s.id) for s in vault.entries.summaries()),
        key=lambda e: (e.created_at is None, e.created_at),
    )
    motifs = [vault.motifs.get(u.motif.id) for u in vault.motifs.usage() if u.motif.id]
    attachments = [
        (meta, vault.attachments.data(meta.id))
        for meta in vault.attachments.all()
        if meta.id is not None
    ]
    return BundleContent(
        created_at=now,
        alias="",
        period_from=None,
        period_to=None,
        sessions=vault.sessions.all(newest_first=False),
        entries=entries,
        motifs=motifs,
        checkins=vault.checkins.all(),
        attachments=attachments,
        meditations=vault.meditations.all(),
        instruments=vault.instruments.by_kind(),
    )


def archive_files(vault: Vault, *, now: datetime) -> tuple[dict[str, bytes], int]:
    content = everything(vault, now=now)
    extra = {"README.txt": README.format(date=f"{now:%d %B %Y}").encode("utf-8")}
    for template in vault.templates.custom():
        extra[f"templates/{template.id}.toml"] = template.source.encode("utf-8")
    extra["checklist.toml"] = checklist_file(before.checklist(vault))
    files = bundle.archive_files(
        content,
        report_html=report.report_html(content, images_as_files=True),
        extra_files=extra,
        personal=True,
    )
    return files, len(content.entries)


WORKSPACE = (
    "A therapist's workspace has no journal of its own to export, and its patients' "
    "bundles and your notes never leave it. Make a backup to keep it safe; nothing was written."
)


def _journal_only(vault: Vault) -> None:
    if vault.is_workspace:
        raise InvalidInput(WORKSPACE)


def export_encrypted(vault: Vault, out: Path, passphrase: str, *, now: datetime) -> ArchiveResult:
    """Write an age-encrypted ZIP of everything to ``out`` (atomically).
    Raises `WeakPassphrase`, `DiskFull`, `StorageError`; `InvalidInput` in a
    therapist's workspace (nothing of its patients is ever exported)."""
    _journal_only(vault)
    keyfile.check_passphrase_strength(passphrase)
    files, entries = archive_files(vault, now=now)
    data = bytes(pyrage.passphrase.encrypt(bundle.zip_files(files, when=now), passphrase))
    atomic_write_bytes(Path(out), data, output=True)
    return ArchiveResult(Path(out), len(files), entries, encrypted=True)


def export_plain(vault: Vault, folder: Path, *, now: datetime) -> ArchiveResult:
    """Write everything unencrypted into ``folder``, which must be new or
    empty. Only after the person was warned. Raises `InvalidInput`,
    `DiskFull`, `StorageError`; on failure nothing partial is left."""
    _journal_only(vault)
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InvalidInput(
            "Choose a new or empty folder for the unencrypted export; nothing was written."
        )
    files, entries = archive_files(vault, now=now)
    created = not folder.exists()
    try:
        make_private_dir(folder)
        for name, data in files.items():
            target = folder / name
            make_private_dir(target.parent)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
    except OSError as error:
        with contextlib.suppress(OSError):
            if created:
                shutil.rmtree(folder)
            else:
                for child in folder.iterdir():
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise output_error(error, folder) from None
    return ArchiveResult(folder, len(files), entries, encrypted=False)
