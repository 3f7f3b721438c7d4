"""`afterglow --install-desktop-integration` for an install into the home:
the desktop entry (pointing at this Afterglow), icons, metainfo and the
bundle's file type land in $XDG_DATA_HOME, the desktop's own tools then say
a .agb is Afterglow's, and `--remove-desktop-integration` takes it all away."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from journal import APP_ID
from journal.cli import desktop
from tests.test_cli import cli

TOOLS = ("desktop-file-validate", "update-mime-database", "update-desktop-database", "xdg-mime")


def _xdg(data: Path, *args: str) -> str:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(data.parent),
        "XDG_DATA_HOME": str(data),
        "XDG_DATA_DIRS": str(data),
        "XDG_CONFIG_HOME": str(data.parent / "config"),
    }
    done = subprocess.run(
        [str(shutil.which("xdg-mime")), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.stdout.strip()


@pytest.mark.skipif(not all(shutil.which(t) for t in TOOLS), reason="the freedesktop tools")
def test_install_and_remove_in_the_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    result = cli(tmp_path / "v" / "journal.vault", "--install-desktop-integration")
    assert result.code == 0 and "applications menu" in result.out
    entry = data / "applications" / f"{APP_ID}.desktop"
    assert "Exec=" in entry.read_text() and " %f" in entry.read_text()
    check = subprocess.run(
        [str(shutil.which("desktop-file-validate")), str(entry)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    for size in desktop.SIZES:
        assert (data / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    # The home's MIME database knows the type by name and by the age header.
    assert "application/x-afterglow-bundle:*.agb" in (data / "mime" / "globs2").read_text()
    assert b"age-encryption.org/v1" in (data / "mime" / "magic").read_bytes()
    assert _xdg(data, "query", "default", "application/x-afterglow-bundle") == f"{APP_ID}.desktop"

    removed = cli(tmp_path / "v" / "journal.vault", "--remove-desktop-integration")
    assert removed.code == 0
    assert not entry.exists() and not (data / "mime/packages" / f"{APP_ID}.mime.xml").exists()
    assert not list(data.rglob(f"{APP_ID}*"))


def test_the_entry_runs_this_afterglow(tmp_path: Path) -> None:
    desktop.install(tmp_path, exec_line="/opt/somewhere/bin/afterglow")
    text = (tmp_path / "applications" / f"{APP_ID}.desktop").read_text()
    assert "Exec=/opt/somewhere/bin/afterglow %f" in text.splitlines()
