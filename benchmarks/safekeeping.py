"""Keeping a large journal safe, each command in its own process with its
time and peak memory (VmHWM): `afterglow check`, a backup, a restore of that
backup, and the export of everything."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from benchmarks.children import CLI_WITH_PEAK, Finished, run_measured
from benchmarks.data import PASSPHRASE
from benchmarks.figures import Figure

# The export's own passphrase (it must pass the strength rule).
EXPORT_PASSPHRASE = "lantern orchard quietly unfolds seventeen maps"


def scrypt_megabytes(encrypted_head: bytes) -> float:
    """The memory age's scrypt needed for a passphrase-encrypted file, read
    from the start of that file (its ``-> scrypt SALT LOG_N`` stanza): scrypt
    with r = 8 holds 1 KiB × 2^LOG_N. age tunes LOG_N to about a second of
    work on the writing machine, so a faster machine uses more memory (18 →
    256 MB, 20 → 1 GB); 0.0 if the head has no scrypt stanza."""
    for line in encrypted_head.split(b"\n")[1:4]:
        parts = line.split()
        if len(parts) == 4 and parts[:2] == [b"->", b"scrypt"] and parts[3].isdigit():
            return 2 ** int(parts[3]) / 1024
    return 0.0


def _afterglow(path: Path, *args: str, stdin: str) -> Finished:
    finished = run_measured(
        [sys.executable, "-c", CLI_WITH_PEAK, "--vault", str(path), *args], stdin=stdin
    )
    if finished.status != 0:
        raise RuntimeError(
            f"afterglow {args[0]} failed ({finished.status}): {finished.stderr.strip()[-500:]}"
        )
    return finished


def _figures(name: str, finished: Finished, target: str = "", note: str = "") -> list[Figure]:
    return [
        Figure(f"{name}, time", "s", [finished.ms / 1000], target, note=note),
        Figure(f"{name}, peak memory", "MB", [finished.peak_mb]),
    ]


def safekeeping(path: Path, scratch: Path) -> list[Figure]:
    """Check, back up, restore that backup, export everything: figures for
    each, the journal as it was at the end (restored from its own backup);
    what they wrote is removed as soon as it is measured."""
    from journal.core.vault import backup

    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e9
    about = f"a journal of {size:.1f} GB"
    figures = _figures("`afterglow check`", _afterglow(path, "check", stdin=PASSPHRASE + "\n"))
    folder = scratch / "backups"
    made = _afterglow(path, "backup", "--to", str(folder), stdin=PASSPHRASE + "\n")
    figures += _figures("`afterglow backup`", made, note=about)
    copy = next(p for p in folder.iterdir() if p.is_dir())
    restored = _afterglow(path, "restore", str(copy), stdin=PASSPHRASE + "\n")
    figures += _figures(
        "`afterglow restore` of that backup",
        restored,
        note="verifies the backup, then keeps the journal it replaces as a backup",
    )
    shutil.rmtree(folder)
    shutil.rmtree(backup.backups_folder(path), ignore_errors=True)  # the replaced journal
    out = scratch / "everything.age"
    everything = _afterglow(
        path,
        "export-all",
        "--out",
        str(out),
        stdin="\n".join([PASSPHRASE, EXPORT_PASSPHRASE, EXPORT_PASSPHRASE, ""]),
    )
    written = out.stat().st_size / 1e9
    with out.open("rb") as stream:
        scrypt = scrypt_megabytes(stream.read(256))
    out.unlink()
    figures += _figures(
        "`afterglow export-all` (encrypted)",
        everything,
        note=f"{written:.1f} GB written; age's scrypt held {scrypt:,.0f} MB of it",
    )
    return figures
