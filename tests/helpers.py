"""Helpers shared by tests."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from journal.core.sharing import bundle


def snapshot(folder: Path) -> dict[str, str]:
    """Name -> SHA-256 of every file below ``folder`` (to prove nothing changed)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def flip_bytes(path: Path, offset: int, count: int = 16) -> None:
    data = bytearray(path.read_bytes())
    for i in range(offset, min(offset + count, len(data))):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def seal(files: dict[str, bytes], recipient: str, *, rehash: bool = True) -> bytes:
    """A (tampered) archive made into a bundle for ``recipient``; with
    ``rehash`` the manifest's checksums are made to match, as a careful
    attacker would."""
    files = dict(files)
    if rehash:
        manifest = json.loads(files["manifest.json"])
        manifest["files"] = {
            name: hashlib.sha256(data).hexdigest()
            for name, data in files.items()
            if name != "manifest.json"
        }
        files["manifest.json"] = json.dumps(manifest).encode()
    return bundle.encrypt(
        bundle.zip_files(files, when=datetime(2026, 1, 1)), recipients=[recipient]
    )
