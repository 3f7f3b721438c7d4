"""Bundles: written by the patient's app, read back independently, and
refused clearly when damaged or hostile — with nothing written anywhere."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pyrage
import pytest

from journal.core.errors import BundleInvalid, InvalidInput, WrongShareCode
from journal.core.journal.demo import populate
from journal.core.model import Answer, Attachment, AttachmentKind, Entry, Session
from journal.core.sharing import bundle, report, share
from journal.core.sharing.sharecode import new_share_code, normalize_share_code
from journal.core.vault import vault as vaults
from journal.core.words import word_list
from journal.export import export_for_therapy
from tests.helpers import snapshot

CODE = "amber-river-tiger-lamp-oxygen-violet"
SECRET = "Privatecanary42"


@pytest.fixture
def shared_vault(vault: vaults.Vault) -> vaults.Vault:
    populate(vault)
    session = vault.sessions.add(
        Session(
            started_at=datetime.now().astimezone() - timedelta(days=1),
            intention="<script>alert(1)</script>",
        )
    )
    vault.entries.add(
        Entry(
            session_id=session.id,
            title="Hostile <img src=x onerror=alert(1)>",
            answers=[
                Answer("t", "Prompt", text="<script>alert(2)</script> ok"),
                Answer("p", "Hidden", text=f"answer {SECRET}", private=True),
            ],
        )
    )
    vault.entries.add(
        Entry(
            session_id=session.id,
            title=f"entry {SECRET}",
            private=True,
            answers=[Answer("t", "x", text=f"whole {SECRET}")],
        )
    )
    entry = vault.entries.add(Entry(session_id=session.id, title="With pictures"))
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    vault.attachments.add(
        Attachment(AttachmentKind.IMAGE, "image/png", name="shared.png", entry_id=entry.id), png
    )
    vault.attachments.add(
        Attachment(
            AttachmentKind.IMAGE, "image/png", name=f"{SECRET}.png", entry_id=entry.id, private=True
        ),
        SECRET.encode() * 10,
    )
    return vault


def _bundle(vault: vaults.Vault, **kw: object) -> tuple[bytes, share.BundleContent]:
    content = share.collect(vault, share.offer(vault), now=datetime.now().astimezone())
    html = report.report_html(content)
    return bundle.write_bundle(content, report_html=html, **kw), content  # type: ignore[arg-type]


def test_share_codes_are_six_words_and_forgiving() -> None:
    code = new_share_code()
    words = code.split("-")
    assert len(words) == 6 and all(w in word_list() for w in words)
    assert len(word_list()) >= 7770  # EFF long list minus the few hyphenated words
    assert normalize_share_code(" Amber River, tiger LAMP  oxygen-violet ") == CODE


def test_share_code_bundle_opens_with_independent_age_and_zip(
    shared_vault: vaults.Vault,
) -> None:
    data, content = _bundle(shared_vault, share_code=CODE)
    plain = pyrage.passphrase.decrypt(data, CODE)  # the plain age API, not our reader
    archive = zipfile.ZipFile(io.BytesIO(plain))
    files = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "afterglow-bundle" and manifest["version"] == 1
    assert set(manifest["files"]) == set(files) - {"manifest.json"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(files[name]).hexdigest() == digest
    report_html = files["report.html"].decode()
    assert report_html.index("What I'd like to talk about") < report_html.index("Trends")
    assert "The door in the ocean — I finally went through" in report_html
    assert 'alt="Picture"' in report_html and "data:image/png;base64," in report_html
    markdown = "".join(v.decode() for k, v in files.items() if k.startswith("entries/"))
    assert "The ceiling dissolved into slow purple waves" in markdown
    assert manifest["counts"]["entries"] == len(content.entries)
    assert any(k.startswith("attachments/") for k in files)


def test_private_items_appear_nowhere(shared_vault: vaults.Vault) -> None:
    data, _ = _bundle(shared_vault, share_code=CODE)
    plain = pyrage.passphrase.decrypt(data, CODE)
    archive = zipfile.ZipFile(io.BytesIO(plain))
    for name in archive.namelist():
        assert SECRET.encode() not in archive.read(name), name
        assert SECRET not in name
    opened = bundle.read_bundle(data, share_code=CODE)
    assert all(not a.private for e in opened.content.entries for a in e.answers)


def test_hostile_text_is_sanitised_in_the_report(shared_vault: vaults.Vault) -> None:
    data, _ = _bundle(shared_vault, share_code=CODE)
    html = bundle.read_bundle(data, share_code=CODE).files["report.html"].decode()
    assert "<script" not in html.lower()
    assert "onerror" not in html.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(2)&lt;/script&gt; ok" in html
    assert "default-src 'none'" in html


def test_key_bundle_opens_with_the_therapist_identity_only(
    shared_vault: vaults.Vault, tmp_path: Path
) -> None:
    therapist, _ = vaults.create(
        tmp_path / "t" / "t.vault", "quiet reading lamp evening", kdf=shared_vault.paths and None
    )  # type: ignore[arg-type]
    key = therapist.keys.create_identity()
    assert key.recipient.startswith("age1")
    contact = shared_vault.keys.add_contact("Dr. Rivera", key.recipient)
    assert shared_vault.keys.contacts() == [contact]
    data, _ = _bundle(shared_vault, recipients=[contact.recipient])
    assert not bundle.needs_share_code(data)
    identities = therapist.keys.identity_secrets()
    plain = pyrage.decrypt(data, [pyrage.x25519.Identity.from_str(i) for i in identities])
    assert zipfile.ZipFile(io.BytesIO(plain)).read("manifest.json")
    opened = bundle.read_bundle(data, identities=identities)
    assert opened.content.sessions
    stranger = pyrage.x25519.Identity.generate()
    with pytest.raises(BundleInvalid, match="not made for your key"):
        bundle.read_bundle(data, identities=[str(stranger)])
    with pytest.raises(BundleInvalid, match="therapist's key"):
        bundle.read_bundle(data, share_code=CODE)
    therapist.close()


def test_contacts_refuse_what_is_not_a_key(vault: vaults.Vault) -> None:
    with pytest.raises(InvalidInput, match="age1"):
        vault.keys.add_contact("x", "age1notakey")
    assert vault.keys.contacts() == []


def test_round_trip_keeps_the_content(shared_vault: vaults.Vault) -> None:
    data, content = _bundle(shared_vault, share_code=CODE)
    opened = bundle.read_bundle(data, share_code=CODE.upper().replace("-", " "))
    assert [e.title for e in opened.content.entries] == [e.title for e in content.entries]
    assert [s.mood_after for s in opened.content.sessions] == [
        s.mood_after for s in content.sessions
    ]
    assert [c.total for c in opened.content.checkins] == [c.total for c in content.checkins]
    assert opened.content.attachments[0][1] == content.attachments[0][1]


def test_since_last_export_is_the_default_period(shared_vault: vaults.Vault) -> None:
    everything = share.offer(shared_vault)
    share.record_export(shared_vault, datetime.now().astimezone() - timedelta(days=10))
    recent = share.offer(shared_vault)
    assert 0 < len(recent.session_ids) < len(everything.session_ids)


# --- refusals ---------------------------------------------------------------


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _valid_files(vault: vaults.Vault) -> dict[str, bytes]:
    content = share.collect(vault, share.offer(vault), now=datetime.now().astimezone())
    return bundle.archive_files(content, report_html=report.report_html(content))


_IDENTITY = pyrage.x25519.Identity.generate()


def _reseal(files: dict[str, bytes], *, by_code: bool = False) -> bytes:
    """Re-encrypt a (tampered) archive: to a key, which is fast, unless the
    test is about share codes (scrypt takes about a second)."""
    if by_code:
        return pyrage.passphrase.encrypt(_zip(files), CODE)
    return pyrage.encrypt(_zip(files), [_IDENTITY.to_public()])


def _read(data: bytes) -> bundle.OpenedBundle:
    return bundle.read_bundle(data, identities=[str(_IDENTITY)])


@pytest.fixture
def valid(vault: vaults.Vault) -> dict[str, bytes]:
    populate(vault)
    return _valid_files(vault)


def test_wrong_code(valid: dict[str, bytes]) -> None:
    with pytest.raises(WrongShareCode):
        bundle.read_bundle(
            _reseal(valid, by_code=True), share_code="wrong-words-entirely-here-now-ok"
        )


@pytest.mark.parametrize("damage", ["truncate", "flip_payload", "flip_header"])
def test_damaged_files_are_refused(valid: dict[str, bytes], damage: str) -> None:
    data = bytearray(_reseal(valid, by_code=damage == "flip_header"))
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip_payload":
        data[-40] ^= 0x01
    else:
        data[30] ^= 0x01
    with pytest.raises((BundleInvalid, WrongShareCode)):
        if damage == "flip_header":
            bundle.read_bundle(bytes(data), share_code=CODE)
        else:
            _read(bytes(data))


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 not age", b"%PDF-1.7", b"\x00" * 100])
def test_non_age_files_are_refused(data: bytes) -> None:
    with pytest.raises(BundleInvalid, match="not an Afterglow bundle"):
        bundle.read_bundle(data, share_code=CODE)


def test_age_file_that_is_not_a_zip(valid: dict[str, bytes]) -> None:
    with pytest.raises(BundleInvalid):
        _read(pyrage.encrypt(b"just text", [_IDENTITY.to_public()]))


@pytest.mark.parametrize(
    "name",
    [
        "../evil.md",
        "/etc/passwd",
        "entries/../../x.md",
        "C:\\\\x.md",
        "attachments/../../boom",
        "unexpected.exe",
        "entries/sub/dir.md",
    ],
)
def test_hostile_names_are_refused(valid: dict[str, bytes], name: str) -> None:
    with pytest.raises(BundleInvalid, match="file name"):
        _read(_reseal({**valid, name: b"x"}))


def test_compression_bombs_are_refused(valid: dict[str, bytes]) -> None:
    bomb = {**valid, "attachments/1-bomb": b"\x00" * (20 * 1024 * 1024)}
    with pytest.raises(BundleInvalid, match="too large or too compressed"):
        _read(_reseal(bomb))


def test_oversized_archives_are_refused(
    valid: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _reseal(valid)
    monkeypatch.setattr(bundle, "MAX_BUNDLE_BYTES", len(data) - 1)
    with pytest.raises(BundleInvalid, match="larger than"):
        _read(data)
    monkeypatch.undo()
    monkeypatch.setattr(bundle, "MAX_TOTAL_BYTES", 1000)
    with pytest.raises(BundleInvalid, match="larger than"):
        _read(data)


def test_manifest_hash_mismatch(valid: dict[str, bytes]) -> None:
    tampered = {**valid, "report.html": valid["report.html"].replace(b"Trends", b"Tr3nds")}
    with pytest.raises(BundleInvalid, match="checksum"):
        _read(_reseal(tampered))


def test_unlisted_file(valid: dict[str, bytes]) -> None:
    with pytest.raises(BundleInvalid):
        _read(_reseal({**valid, "entries/9999-extra.md": b"x"}))


def test_unknown_format_version(valid: dict[str, bytes]) -> None:
    manifest = json.loads(valid["manifest.json"])
    manifest["version"] = 2
    files = {**valid, "manifest.json": json.dumps(manifest).encode()}
    with pytest.raises(BundleInvalid, match="format version 2"):
        _read(_reseal(files))


def test_records_are_type_checked(valid: dict[str, bytes]) -> None:
    sessions = json.loads(valid["sessions.json"])
    sessions[0]["mood_before"] = 99
    files = {**valid, "sessions.json": json.dumps(sessions).encode()}
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["sessions.json"] = hashlib.sha256(files["sessions.json"]).hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()
    with pytest.raises(BundleInvalid):
        _read(_reseal(files))


def test_unreasonable_scrypt_work_is_refused_before_deriving(valid: dict[str, bytes]) -> None:
    data = _reseal(valid, by_code=True)
    header_end = data.index(b"\n---")
    header = re.sub(rb"(-> scrypt \S+) \d+", rb"\1 30", data[:header_end], count=1)
    assert header != data[:header_end]
    with pytest.raises(BundleInvalid, match="unreasonable"):
        bundle.read_bundle(header + data[header_end:], share_code=CODE)


def test_reading_writes_nothing(valid: dict[str, bytes], home: Path) -> None:
    before = snapshot(home)
    data = _reseal(valid, by_code=True)
    with pytest.raises(WrongShareCode):
        bundle.read_bundle(data, share_code="nope")
    bundle.read_bundle(data, share_code=CODE)
    with pytest.raises(BundleInvalid):
        _read(_reseal({**valid, "../x": b"x"}))
    assert snapshot(home) == before


def test_chosen_sessions_bring_their_own_checkins_only(vault: vaults.Vault) -> None:
    populate(vault)
    first = min(s.id for s in vault.sessions.all() if s.id is not None)
    one = share.offer(vault, session_ids={first})
    # PHQ-9, GAD-7 and mood of that morning, and the EBI about it the next day
    assert len(one.checkin_ids) == 4
    assert share.offer(vault, session_ids=set()).checkin_ids == set()


def test_exported_bundle_holds_each_image_once(shared_vault: vaults.Vault, tmp_path: Path) -> None:
    """The report in the archive points at the image files beside it (a browser
    opens both after unzipping); the reader inlines them itself."""
    identity = pyrage.x25519.Identity.generate()
    out = tmp_path / "b.agb"
    export_for_therapy(
        shared_vault,
        share.offer(shared_vault),
        bundle_path=out,
        recipient=str(identity.to_public()),
    )
    files = zipfile.ZipFile(io.BytesIO(pyrage.decrypt(out.read_bytes(), [identity])))
    html = files.read("report.html").decode()
    found = re.findall(r'<img src="([^"]+)"', html)
    sources = [src for src in found if not src.startswith("data:image/svg+xml")]  # charts
    assert sources and not any(src.startswith("data:") for src in sources)
    assert all(src in files.namelist() for src in sources)
    assert files.getinfo(sources[0]).compress_type == zipfile.ZIP_STORED
    opened = bundle.read_bundle(out.read_bytes(), identities=[str(identity)])
    assert "data:image/png;base64," in report.report_html(opened.content)


def test_the_offer_lists_attachments_without_reading_their_bytes(vault: vaults.Vault) -> None:
    entry = vault.entries.add(Entry(title="With a picture"))
    vault.attachments.add(
        Attachment(kind=AttachmentKind.IMAGE, mime="image/png", entry_id=entry.id), b"p" * 100_000
    )
    now = datetime.now().astimezone()
    offered = share.collect(vault, share.offer(vault), now=now, attachment_bytes=False)
    ((meta, data),) = offered.attachments
    assert meta.entry_id == entry.id and data == b""
    ((_meta, whole),) = share.collect(vault, share.offer(vault), now=now).attachments
    assert whole == b"p" * 100_000
