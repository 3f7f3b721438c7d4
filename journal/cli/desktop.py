"""`afterglow --install-desktop-integration` / `--remove-desktop-integration`:
for an install into the person's home (pip, a checkout), the desktop entry,
icons, AppStream metainfo and the bundle's file type in
``~/.local/share`` (``$XDG_DATA_HOME``), so Afterglow is in the menu and a
double-clicked ``.agb`` opens in its reader. The .deb installs the same
files system-wide."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

from journal import APP_ID
from journal.cli.console import EXIT_OK, Console
from journal.core.errors import StorageError
from journal.core.fsutil import atomic_write_bytes

MIME_ICON = "application-x-afterglow-bundle"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def launcher() -> str:
    """How the desktop starts this Afterglow: the `afterglow` script this
    command runs from, else the one on PATH, else this Python with ``-m journal``."""
    here = Path(sys.argv[0])
    if here.name == "afterglow" and here.exists():
        return str(here.absolute())
    found = shutil.which("afterglow")
    return found or f"{sys.executable} -m journal"


def _files(exec_line: str) -> dict[Path, bytes]:
    """Where each file goes under the data home, and its bytes."""
    desktop = resources.files("journal.resources.desktop")
    icons = resources.files("journal.resources.icons")
    entry = (desktop / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    entry = "\n".join(
        f"Exec={exec_line} %f" if line.startswith("Exec=") else line for line in entry.splitlines()
    )
    files: dict[Path, bytes] = {
        Path("applications") / f"{APP_ID}.desktop": (entry + "\n").encode("utf-8"),
        Path("metainfo") / f"{APP_ID}.metainfo.xml": (
            desktop / f"{APP_ID}.metainfo.xml"
        ).read_bytes(),
        Path("mime") / "packages" / f"{APP_ID}.mime.xml": (
            desktop / f"{APP_ID}.mime.xml"
        ).read_bytes(),
        Path("icons/hicolor/scalable/apps") / f"{APP_ID}.svg": (
            icons / f"{APP_ID}.svg"
        ).read_bytes(),
        Path("icons/hicolor/scalable/mimetypes") / f"{MIME_ICON}.svg": (
            icons / f"{MIME_ICON}.svg"
        ).read_bytes(),
    }
    for size in SIZES:
        folder = icons / "hicolor" / f"{size}x{size}"
        for kind, name in (("apps", APP_ID), ("mimetypes", MIME_ICON)):
            png = folder / kind / f"{name}.png"
            if png.is_file():
                files[Path(f"icons/hicolor/{size}x{size}/{kind}/{name}.png")] = png.read_bytes()
    return files


def _refresh(home: Path) -> None:
    """The desktop's caches of file types and handlers, where the tools exist."""
    for command in (
        ["update-mime-database", str(home / "mime")],
        ["update-desktop-database", "-q", str(home / "applications")],
    ):
        tool = shutil.which(command[0])
        if tool and Path(command[-1]).is_dir():
            subprocess.run([tool, *command[1:]], check=False, capture_output=True, timeout=60)


def install(home: Path | None = None, exec_line: str | None = None) -> list[Path]:
    home = home or data_home()
    written = []
    try:
        for relative, data in _files(exec_line or launcher()).items():
            target = home / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, data, mode=0o644)
            written.append(target)
    except OSError as error:
        raise StorageError(
            f"The desktop integration could not be written to {home} ({error.strerror})."
        ) from None
    _refresh(home)
    return written


def remove(home: Path | None = None) -> list[Path]:
    home = home or data_home()
    removed = []
    for relative in _files("afterglow"):
        target = home / relative
        if target.exists():
            target.unlink()
            removed.append(target)
    _refresh(home)
    return removed


def cmd_install(args: argparse.Namespace, console: Console) -> int:
    written = install()
    console.out(
        f"Afterglow is now in your applications menu, and .agb bundles open with it "
        f"({len(written)} files in {data_home()}). "
        "`afterglow --remove-desktop-integration` takes them away."
    )
    return EXIT_OK


def cmd_remove(args: argparse.Namespace, console: Console) -> int:
    removed = remove()
    console.out(f"Removed Afterglow's desktop entry, icons and file type ({len(removed)} files).")
    return EXIT_OK
