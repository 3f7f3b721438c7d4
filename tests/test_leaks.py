"""A canary written through every entity must appear in no file in the clear:
not in the vault, its WAL and shared-memory files, the key file, the temp
folder or anywhere in the (test's private) home folder."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from journal.core.model import (
    Answer,
    Attachment,
    AttachmentKind,
    CheckinKind,
    Entry,
    Motif,
    PromptKind,
    Session,
)
from journal.core.vault import keyfile as kf
from journal.core.vault import vault as vaults
from tests.conftest import FAST_KDF, PASSPHRASE

CANARY = "Zebracanary7Q"


def _encodings(text: str) -> list[bytes]:
    forms = {text, text.lower(), text.upper()}
    return [f.encode(enc) for f in forms for enc in ("utf-8", "utf-16-le", "utf-16-be")]


def _files_containing(root: Path, needles: list[bytes]) -> list[Path]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if any(needle in data for needle in needles):
                hits.append(path)
    return hits


def _write_everything(vault: vaults.Vault) -> None:
    c = CANARY
    session = vault.sessions.add(
        Session(
            started_at=datetime(2026, 11, 2, 10).astimezone(),
            dose=f"dose {c}",
            setting=f"setting {c}",
            intention=f"intention {c}",
            music=f"music {c}",
            after_effects=[f"effect {c}"],
            notes=f"notes {c}",
        )
    )
    entry = vault.entries.add(
        Entry(
            title=f"title {c}",
            session_id=session.id,
            answers=[
                Answer("a", f"prompt {c}", text=f"answer {c} " * 50),
                Answer("m", "It felt like", kind=PromptKind.MOTIFS, value=[{"name": f"motif {c}"}]),
                Answer("p", "private", text=f"private {c}", private=True),
            ],
        )
    )
    vault.entries.add_reflection(entry.id, Entry(title=f"reflection {c}"))  # type: ignore[arg-type]
    vault.motifs.add(Motif(f"image {c}", feeling=f"feeling {c}", meaning=f"meaning {c}"))
    vault.attachments.add(
        Attachment(AttachmentKind.SKETCH, "image/png", name=f"sketch {c}.png", entry_id=entry.id),
        f"blob {c}".encode() * 100,
    )
    vault.checkins.add(CheckinKind.MOOD, [5], note=f"note {c}")
    vault.drafts.save("recall", {"answer": f"draft {c}"})
    vault.templates.add_source(
        f'id = "canary"\ntitle = "template {c}"\nphase = "free"\n'
        f'[[prompts]]\nkey = "k"\ntext = "text {c}"\n'
    )
    assert vault.search(c)


def test_canary_is_nowhere_in_the_clear(vault_path: Path, home: Path) -> None:
    vault, _ = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    _write_everything(vault)
    needles = _encodings(CANARY)
    # While open: the WAL holds recent pages.
    assert vault.paths.wal.exists()
    assert _files_containing(vault_path.parent, needles) == []
    vault.close()
    vaults.unlock(vault_path, PASSPHRASE).close()
    assert _files_containing(vault_path.parent, needles) == []
    assert _files_containing(home, needles) == []  # includes TMPDIR and XDG folders
    assert list((home / "tmp").iterdir()) == []
    assert sorted(p.name for p in vault_path.parent.iterdir()) == [
        "journal.vault",
        "journal.vault.keys",
        "journal.vault.lock",
    ]


def _decrypted_pages(path: Path, key: bytes, page_size: int = 4096) -> list[bytes]:
    """Decrypt a SQLCipher 4 file page by page (AES-256-CBC, with the IV in each
    page's reserved tail; page 1 starts with the 16-byte salt)."""
    data = path.read_bytes()
    reserve = 80  # 16-byte IV + 64-byte HMAC-SHA512
    pages = []
    for number, start in enumerate(range(0, len(data), page_size)):
        page = data[start : start + page_size]
        body_start = 16 if number == 0 else 0
        iv = page[page_size - reserve : page_size - reserve + 16]
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        pages.append(
            decryptor.update(page[body_start : page_size - reserve]) + decryptor.finalize()
        )
    return pages


def test_deleted_text_is_overwritten(vault_path: Path) -> None:
    """secure_delete: a deleted entry leaves nothing behind even for someone
    who holds the key and reads the free pages."""
    vault, _ = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    keep = vault.entries.add(Entry(answers=[Answer("a", "", text=f"kept {CANARY} " * 300)]))
    gone = vault.entries.add(Entry(answers=[Answer("a", "", text=f"gone {CANARY} " * 300)]))
    vault.entries.delete(gone.id)  # type: ignore[arg-type]
    vault.close()
    keyfile = kf.read(vault.paths.keyfile)
    key = kf.unwrap_key(keyfile, kf.PASSPHRASE_SLOT, kf.normalize_passphrase(PASSPHRASE))
    assert key is not None
    pages = _decrypted_pages(vault_path, key)
    assert pages[0].startswith(b"\x10\x00")  # decrypted: the page size field (4096)
    assert any(f"kept {CANARY}".encode() in page for page in pages)  # the check can see text
    assert not any(f"gone {CANARY}".encode() in page for page in pages)
    assert keep.id is not None


def test_canary_is_nowhere_in_a_sync_folder(vault_path: Path, home: Path) -> None:
    """Every entity synced to a second computer through a folder: the folder,
    both vaults and the home folder hold the canary nowhere in the clear."""
    from journal.core.sync import engine, joining

    shared = home / "Sync"
    shared.mkdir()
    vault, _ = vaults.create(vault_path, PASSPHRASE, kdf=FAST_KDF)
    _write_everything(vault)
    joining.setup(vault, shared, device_name="Laptop", passphrase=PASSPHRASE, kdf=FAST_KDF)
    other, _report = joining.join(
        shared, home / "second" / "journal.vault", PASSPHRASE, device_name="Home"
    )
    try:
        assert other.entries.count() == vault.entries.count() > 0
        other.entries.update(other.entries.all()[0])
        engine.sync_now(other)
        engine.sync_now(vault)
        needles = _encodings(CANARY)
        assert _files_containing(shared, needles) == []
        assert _files_containing(home, needles) == []
        for path in shared.rglob("*"):
            assert CANARY.lower() not in path.name.lower()
    finally:
        other.close()
        vault.close()
