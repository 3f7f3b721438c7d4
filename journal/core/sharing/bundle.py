"""Bundle format v1 (``*.agb``): an age-encrypted ZIP archive.

Writing: records → files (manifest with the SHA-256 of every other file) →
ZIP in memory → age, to a share code (scrypt) or to therapist keys (X25519).
Reading treats the file as hostile: size caps, the age header checked
before any key derivation, decryption in memory, ZIP names allowlisted (no
traversal, no absolute paths), sizes and compression ratios capped while
reading, every hash verified, every record type-checked. Nothing is
written to disk. See docs/bundle-format.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyrage

from journal import __version__
from journal.core import safezip
from journal.core.errors import BundleInvalid, WrongShareCode
from journal.core.sharing import measures, records
from journal.core.sharing.share import BundleContent
from journal.core.sharing.sharecode import normalize_share_code

FORMAT = "afterglow-bundle"
VERSION = 1
AGE_MAGIC = b"age-encryption.org/v1\n"
MAX_BUNDLE_BYTES = 512 * 1024 * 1024
MAX_FILES = 5_000
MAX_FILE_BYTES = 128 * 1024 * 1024
MAX_TOTAL_BYTES = 768 * 1024 * 1024
MAX_RATIO = 200
# rage picks the scrypt work factor for about a second of work on the writing
# machine (2^18–2^21 in practice, 256 MiB–2 GiB of memory); more is refused.
MAX_SCRYPT_LOG_N = 21
_HEADER_BYTES = 64 * 1024
_NAME = re.compile(
    r"(manifest\.json|report\.html|report\.pdf|entries\.json|sessions\.json|checkins\.json"
    r"|motifs\.json|attachments\.json|outcomes\.json|meditations\.json|entries/[A-Za-z0-9._-]{1,120}\.md"
    r"|instruments/[a-z][a-z0-9-]{1,31}\.toml"
    r"|attachments/[A-Za-z0-9][A-Za-z0-9._-]{0,159})\Z"
)


_PATIENT_ID = re.compile(r"[a-z2-7]{26}\Z")


@dataclass
class OpenedBundle:
    manifest: dict[str, Any]
    content: BundleContent
    files: dict[str, bytes]
    # The decrypted ZIP as verified (what a therapist's workspace keeps).
    archive: bytes = b""

    @property
    def digest(self) -> str:
        """The bundle's identity: the SHA-256 of its manifest, which holds the
        SHA-256 of every other file (the same bundle encrypted again has it too)."""
        return hashlib.sha256(self.files["manifest.json"]).hexdigest()

    @property
    def report_pdf(self) -> bytes | None:
        return self.files.get("report.pdf")


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def archive_files(
    content: BundleContent,
    *,
    report_html: str,
    extra_files: dict[str, bytes] | None = None,
    personal: bool = False,
) -> dict[str, bytes]:
    """Every file of the archive, manifest included. Extra files must have
    names a bundle reader accepts, unless ``personal``: the patient's own
    export of everything, which carries templates, a README, the checklist as
    ticked and the private flags of attachments as well."""
    files: dict[str, bytes] = {"report.html": report_html.encode("utf-8")}
    files["entries.json"] = _json([records.entry_record(e) for e in content.entries])
    metas = [meta for meta, _data in content.attachments]
    for number, entry in enumerate(content.entries, start=1):
        name = f"entries/{number:04d}-{records.slug(entry.title, entry.phase.value)}.md"
        files[name] = records.entry_markdown(entry, metas).encode("utf-8")
    files["sessions.json"] = _json(
        [records.session_record(s, personal=personal) for s in content.sessions]
    )
    files["checkins.json"] = _json([records.checkin_record(c) for c in content.checkins])
    files.update(measures.definition_files(content.instruments, (c.kind for c in content.checkins)))
    files["outcomes.json"] = _json([measures.standing_record(s) for s in content.standings])
    files["motifs.json"] = _json([records.motif_record(m) for m in content.motifs])
    if content.meditations:  # only when there are some: older readers know the rest
        files["meditations.json"] = _json(
            [records.meditation_record(m) for m in content.meditations]
        )
    attachment_records = []
    for meta, data in content.attachments:
        name = records.attachment_file_name(meta)
        files[name] = data
        attachment_records.append(records.attachment_record(meta, name, personal=personal))
    files["attachments.json"] = _json(attachment_records)
    for name, data in (extra_files or {}).items():
        if not personal and not _NAME.match(name):
            raise ValueError(f"not a bundle file name: {name}")
        files[name] = data
    files["manifest.json"] = _json(
        {
            "format": FORMAT,
            "version": VERSION,
            "app_version": __version__,
            "created": content.created_at.isoformat(timespec="seconds"),
            "patient_alias": content.alias,
            **({"patient_id": content.patient_id} if content.patient_id else {}),
            "period": {
                "from": content.period_from.isoformat(timespec="seconds")
                if content.period_from
                else None,
                "to": content.period_to.isoformat(timespec="seconds")
                if content.period_to
                else None,
            },
            "counts": content.counts(),
            "files": {
                name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())
            },
        }
    )
    return files


def zip_files(files: dict[str, bytes], *, when: datetime) -> bytes:
    """The ZIP archive, in memory. Attachments (images and audio, compressed
    already) are stored as they are; text is deflated at the fastest level,
    which keeps most of the gain at a fraction of the time."""
    buffer = io.BytesIO()
    stamp = (max(1980, when.year), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ["manifest.json", *sorted(n for n in files if n != "manifest.json")]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            if name.startswith("attachments/"):
                info.compress_type = zipfile.ZIP_STORED
                archive.writestr(info, files[name])
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, files[name], compresslevel=1)
    return buffer.getvalue()


def encrypt(data: bytes, *, share_code: str | None = None, recipients: Sequence[str] = ()) -> bytes:
    """age-encrypt in memory, to a share code or to X25519 recipients (``age1…``)."""
    if share_code is not None:
        return bytes(pyrage.passphrase.encrypt(data, normalize_share_code(share_code)))
    if not recipients:
        raise ValueError("a share code or at least one recipient is needed")
    parsed = [pyrage.x25519.Recipient.from_str(r.strip()) for r in recipients]
    return bytes(pyrage.encrypt(data, parsed))


def write_bundle(
    content: BundleContent,
    *,
    report_html: str,
    share_code: str | None = None,
    recipients: Sequence[str] = (),
    extra_files: dict[str, bytes] | None = None,
) -> bytes:
    """The encrypted bundle's bytes; the caller writes them (atomically)."""
    files = archive_files(content, report_html=report_html, extra_files=extra_files)
    return encrypt(
        zip_files(files, when=content.created_at), share_code=share_code, recipients=recipients
    )


# --- reading ------------------------------------------------------------------


def _stanzas(data: bytes) -> list[list[bytes]]:
    """The recipient stanzas of an age header, checked before any key is derived."""
    if not data.startswith(AGE_MAGIC):
        raise BundleInvalid(
            "This file is not an Afterglow bundle (it is not age-encrypted). Check that you "
            "chose the .agb file you were sent."
        )
    end = data.find(b"\n---", 0, _HEADER_BYTES)
    if end < 0:
        raise BundleInvalid()
    lines = data[len(AGE_MAGIC) : end].split(b"\n")
    stanzas = [line.split(b" ")[1:] for line in lines if line.startswith(b"-> ")]
    if not stanzas:
        raise BundleInvalid()
    for stanza in stanzas:
        if stanza and stanza[0] == b"scrypt":
            try:
                log_n = int(stanza[-1])
            except ValueError:
                raise BundleInvalid() from None
            if not 1 <= log_n <= MAX_SCRYPT_LOG_N or len(stanzas) != 1:
                raise BundleInvalid(
                    "This bundle asks for an unreasonable amount of work to open, so it was "
                    "refused. Ask for it to be made again with Afterglow."
                )
    return stanzas


def needs_share_code(data: bytes) -> bool:
    """True for a bundle made with a share code, False for one made to keys."""
    return any(s and s[0] == b"scrypt" for s in _stanzas(data))


def load(path: Path) -> bytes:
    """A bundle file's bytes, refusing an oversized file before reading it."""
    try:
        if path.stat().st_size > MAX_BUNDLE_BYTES:
            raise BundleInvalid("This bundle is larger than Afterglow accepts (512 MB).")
        return path.read_bytes()
    except OSError:
        raise BundleInvalid(
            f"{path.name} could not be read. Check that the file is still there."
        ) from None


def file_needs_share_code(path: Path) -> bool:
    """Like `needs_share_code`, reading only the header of the file."""
    try:
        with path.open("rb") as stream:
            return needs_share_code(stream.read(_HEADER_BYTES))
    except OSError:
        raise BundleInvalid(
            f"{path.name} could not be read. Check that the file is still there."
        ) from None


def decrypt(data: bytes, *, share_code: str | None = None, identities: Sequence[str] = ()) -> bytes:
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleInvalid("This bundle is larger than Afterglow accepts (512 MB).")
    by_code = needs_share_code(data)
    if by_code:
        if share_code is None:
            raise WrongShareCode("This bundle opens with a share code; type the six words.")
        try:
            return bytes(pyrage.passphrase.decrypt(data, normalize_share_code(share_code)))
        except pyrage.DecryptError:
            raise WrongShareCode(
                "That share code doesn't open this bundle, or the file was damaged on the way. "
                "Check the six words; if they are right, ask for the file to be sent again."
            ) from None
    if not identities:
        raise BundleInvalid(
            "This bundle was made for a therapist's key, not a share code. "
            "Open it in the vault that holds that key."
        )
    try:
        keys = [pyrage.x25519.Identity.from_str(i.strip()) for i in identities]
        return bytes(pyrage.decrypt(data, keys))
    except pyrage.DecryptError:
        raise BundleInvalid(
            "This bundle was not made for your key, or it was damaged on the way. Ask the "
            "patient to export it again to your current key."
        ) from None
    except pyrage.IdentityError:
        raise BundleInvalid("Your stored sharing key is damaged.") from None


_REFUSED = {
    safezip.Refusal.TOO_MANY: "This bundle holds more files than Afterglow accepts.",
    safezip.Refusal.NAME: (
        "This bundle contains a file name Afterglow does not accept (for example a "
        "path outside the bundle). It was refused; nothing was saved."
    ),
    safezip.Refusal.TOO_LARGE: (
        "This bundle contains a file that is too large or too "
        "compressed to be genuine; it was refused."
    ),
    safezip.Refusal.TOTAL: "This bundle is larger than Afterglow accepts.",
}


def unzip(data: bytes, *, accept: Callable[[str], bool] | None = None) -> dict[str, bytes]:
    """The archive's files, refusing anything unexpected (names, sizes, ratios).
    Names must be a bundle's, unless ``accept`` says otherwise (the export of
    everything, which holds templates and a README too)."""
    try:
        limits = safezip.Limits(MAX_FILES, MAX_FILE_BYTES, MAX_TOTAL_BYTES, MAX_RATIO)
        return safezip.read_zip(
            data, limits=limits, accept=accept or (lambda name: bool(_NAME.match(name)))
        )
    except safezip.ZipRefused as refused:
        raise BundleInvalid(_REFUSED.get(refused.reason)) from None


def _load_json(files: dict[str, bytes], name: str) -> Any:
    try:
        return json.loads(files[name].decode("utf-8"))
    except (KeyError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise BundleInvalid() from None


def verify_manifest(files: dict[str, bytes]) -> dict[str, Any]:
    manifest = _load_json(files, "manifest.json")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleInvalid()
    version = manifest.get("version")
    if version != VERSION:
        raise BundleInvalid(
            f"This bundle uses format version {version!r}, which this Afterglow cannot read. "
            "Update Afterglow, or ask for the bundle to be made again."
        )
    listed = manifest.get("files")
    if not isinstance(listed, dict) or set(listed) != set(files) - {"manifest.json"}:
        raise BundleInvalid()
    for name, digest in listed.items():
        if hashlib.sha256(files[name]).hexdigest() != digest:
            raise BundleInvalid(
                "This bundle was changed or damaged after it was made (a checksum does not "
                "match). Ask for it to be sent again."
            )
    return manifest


def read_content(manifest: dict[str, Any], files: dict[str, bytes]) -> BundleContent:
    def records_of(name: str) -> list[Any]:
        value = _load_json(files, name)
        if not isinstance(value, list):
            raise BundleInvalid()
        return value

    def moment(value: Any) -> datetime | None:
        if value is None:
            return None
        try:
            return datetime.fromisoformat(str(value)).astimezone()
        except ValueError:
            raise BundleInvalid() from None

    attachments = []
    for record in records_of("attachments.json"):
        meta, file_name = records.read_attachment(record)
        if file_name not in files or not file_name.startswith("attachments/"):
            raise BundleInvalid()
        attachments.append((meta, files[file_name]))
    raw_period = manifest.get("period")
    period: dict[str, Any] = raw_period if isinstance(raw_period, dict) else {}
    created = moment(manifest.get("created"))
    if created is None:
        raise BundleInvalid()
    alias = manifest.get("patient_alias")
    patient_id = manifest.get("patient_id", "")
    if not isinstance(patient_id, str) or not (patient_id == "" or _PATIENT_ID.match(patient_id)):
        raise BundleInvalid()
    known = measures.read_definitions(files)
    checkins = measures.check_scores(
        [records.read_checkin(r) for r in records_of("checkins.json")], known
    )
    standings = (
        [measures.read_standing(r, known) for r in records_of("outcomes.json")]
        if "outcomes.json" in files
        else []
    )
    return BundleContent(
        created_at=created,
        alias=alias if isinstance(alias, str) else "",
        patient_id=patient_id,
        period_from=moment(period.get("from")),
        period_to=moment(period.get("to")),
        sessions=[records.read_session(r) for r in records_of("sessions.json")],
        entries=[records.read_entry(r) for r in records_of("entries.json")],
        motifs=[records.read_motif(r) for r in records_of("motifs.json")],
        checkins=checkins,
        attachments=attachments,
        instruments={c.kind: known[c.kind] for c in checkins},
        standings=standings,
        meditations=[records.read_meditation(r) for r in records_of("meditations.json")]
        if "meditations.json" in files
        else [],
    )


def read_bundle(
    data: bytes, *, share_code: str | None = None, identities: Sequence[str] = ()
) -> OpenedBundle:
    """Decrypt, unpack and verify a bundle entirely in memory.

    Raises `WrongShareCode` or `BundleInvalid` (with a sentence to show);
    nothing is written anywhere.
    """
    return read_archive(decrypt(data, share_code=share_code, identities=identities))


def read_archive(archive: bytes) -> OpenedBundle:
    """A decrypted bundle (or one kept in a workspace) unpacked and verified."""
    files = unzip(archive)
    manifest = verify_manifest(files)
    return OpenedBundle(
        manifest=manifest, content=read_content(manifest, files), files=files, archive=archive
    )
