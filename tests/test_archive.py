"""Export of everything: encrypted by default, plain only when confirmed."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

import pyrage
import pytest

from journal.core.errors import InvalidInput, WeakPassphrase
from journal.core.journal.demo import populate
from journal.core.model import Answer, Attachment, AttachmentKind, Entry
from journal.core.sharing import archive
from journal.core.vault import keyfile as kf
from journal.core.vault import vault as vaults
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import snapshot
from tests.test_cli import cli

SECRET = "Privatecanary42"
EXPORT_PASSPHRASE = "lantern meadow quiet harbour"
TEMPLATE = """id = "my-evening"
title = "My evening check"
phase = "free"

[[prompts]]
key = "light"
text = "What light did I notice today?"
"""


@pytest.fixture
def full_vault(vault: vaults.Vault) -> vaults.Vault:
    populate(vault)
    entry = vault.entries.add(
        Entry(
            title=f"private {SECRET}",
            private=True,
            answers=[Answer("t", "Only for me", text=f"whole {SECRET}")],
        )
    )
    vault.attachments.add(
        Attachment(AttachmentKind.IMAGE, "image/png", name="kept.png", entry_id=entry.id),
        b"\x89PNG\r\n\x1a\n" + b"\x01" * 64,
    )
    vault.templates.add_source(TEMPLATE)
    return vault


def _check(files: dict[str, bytes], vault: vaults.Vault) -> None:
    manifest = json.loads(files["manifest.json"])
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(files[name]).hexdigest() == digest
    assert set(manifest["files"]) == set(files) - {"manifest.json"}
    entries = json.loads(files["entries.json"])
    assert len(entries) == len(vault.entries.summaries())
    private = next(e for e in entries if e["private"])
    assert private["answers"][0]["text"] == f"whole {SECRET}"
    markdown = next(
        v.decode() for k, v in files.items() if k.startswith("entries/") and SECRET.encode() in v
    )
    assert "private: true" in markdown
    assert any(k.startswith("attachments/") and k.endswith("-kept.png") for k in files)
    assert files["templates/my-evening.toml"].decode() == TEMPLATE
    assert b"Afterglow" in files["README.txt"]
    assert len(json.loads(files["checkins.json"])) == len(vault.checkins.all())


def test_encrypted_export_opens_with_plain_age_and_zip(
    full_vault: vaults.Vault, tmp_path: Path
) -> None:
    out = tmp_path / "everything.age"
    result = archive.export_encrypted(
        full_vault, out, EXPORT_PASSPHRASE, now=datetime.now().astimezone()
    )
    assert result.encrypted and result.path == out
    data = out.read_bytes()
    assert SECRET.encode() not in data and data.startswith(b"age-encryption.org/v1")
    plain = pyrage.passphrase.decrypt(data, EXPORT_PASSPHRASE)
    archive_zip = zipfile.ZipFile(io.BytesIO(plain))
    _check({n: archive_zip.read(n) for n in archive_zip.namelist()}, full_vault)


def test_weak_export_passphrase_writes_nothing(full_vault: vaults.Vault, tmp_path: Path) -> None:
    with pytest.raises(WeakPassphrase):
        archive.export_encrypted(full_vault, tmp_path / "x.age", "short", now=datetime.now())
    assert not (tmp_path / "x.age").exists()


def test_plain_export_needs_a_new_or_empty_folder(full_vault: vaults.Vault, tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me")
    before = snapshot(folder)
    with pytest.raises(InvalidInput, match="new or empty folder"):
        archive.export_plain(full_vault, folder, now=datetime.now().astimezone())
    assert snapshot(folder) == before
    result = archive.export_plain(full_vault, tmp_path / "new", now=datetime.now().astimezone())
    files = {
        str(p.relative_to(result.path)): p.read_bytes()
        for p in result.path.rglob("*")
        if p.is_file()
    }
    _check(files, full_vault)
    assert all(p.stat().st_mode & 0o077 == 0 for p in result.path.rglob("*") if p.is_file())


def test_cli_export_all(vault_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kf, "DEFAULT_KDF", FAST_KDF)
    vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)[0].close()
    assert cli(vault_path, "add", "hello there", stdin=f"{PASSPHRASE}\n").code == 0
    out = tmp_path / "all.age"
    done = cli(
        vault_path, "export-all", "--out", str(out), stdin=f"{PASSPHRASE}\n{EXPORT_PASSPHRASE}\n"
    )
    assert done.code == 0 and "encrypted with age" in done.out
    opened = zipfile.ZipFile(
        io.BytesIO(pyrage.passphrase.decrypt(out.read_bytes(), EXPORT_PASSPHRASE))
    )
    assert json.loads(opened.read("entries.json"))[0]["answers"][0]["text"] == "hello there"
    refused = cli(vault_path, "export-all", "--plain", str(tmp_path / "p"), stdin=f"{PASSPHRASE}\n")
    assert refused.code == 1 and "UNENCRYPTED" in refused.err and not (tmp_path / "p").exists()
    plain = cli(
        vault_path,
        "export-all",
        "--plain",
        str(tmp_path / "p"),
        "--yes-unencrypted",
        stdin=f"{PASSPHRASE}\n",
    )
    assert plain.code == 0 and (tmp_path / "p" / "entries.json").exists()
