"""The Python distribution as a stranger gets it: `python -m build` makes a
wheel and an sdist that pass `twine check`, and the wheel alone, installed
into a fresh virtual environment with no checkout beside it, is a working
`afterglow` with every resource (templates, questionnaires, checklists,
icons, the desktop files) and its dependencies' data (the word lists)."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from journal import APP_ID, __version__

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "correct horse battery staple"
pytestmark = pytest.mark.slow


def _run(
    command: list[str],
    *,
    cwd: Path,
    stdin: str = "",
    timeout: int = 600,
    extra: dict[str, str] | None = None,
) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", **(extra or {}))
    done = subprocess.run(
        command,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], cwd=ROOT)
    return out


def test_wheel_and_sdist_pass_twine_check(dist: Path) -> None:
    files = sorted(dist.iterdir())
    assert [f.name for f in files] == [
        f"afterglow_journal-{__version__}-py3-none-any.whl",
        f"afterglow_journal-{__version__}.tar.gz",
    ]
    report = _run([sys.executable, "-m", "twine", "check", "--strict", *map(str, files)], cwd=dist)
    assert report.count("PASSED") == 2
    names = set(zipfile.ZipFile(files[0]).namelist())
    for resource in (
        "journal/resources/templates/right-after-gentle.toml",
        "journal/resources/instruments/phq9.toml",
        "journal/resources/checklists/treatment-day.toml",
        f"journal/resources/icons/{APP_ID}.svg",
        f"journal/resources/icons/hicolor/16x16/apps/{APP_ID}.png",
        f"journal/resources/desktop/{APP_ID}.desktop",
        f"journal/resources/desktop/{APP_ID}.metainfo.xml",
        f"journal/resources/desktop/{APP_ID}.mime.xml",
    ):
        assert resource in names, resource


def test_the_wheel_alone_is_a_working_afterglow(dist: Path, tmp_path: Path) -> None:
    home = tmp_path / "elsewhere"  # no checkout here: only the installed package can answer
    home.mkdir()
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    wheel = next(dist.glob("*.whl"))
    _run([str(python), "-m", "pip", "install", "-q", str(wheel)], cwd=home, timeout=900)
    afterglow = str(target / "bin" / "afterglow")
    assert _run([afterglow, "--version"], cwd=home).strip() == f"Afterglow {__version__}"
    vault = str(home / "v" / "journal.vault")
    _run([afterglow, "--vault", vault, "init"], cwd=home, stdin=PASSPHRASE + "\n")
    listed = _run(
        [afterglow, "--vault", vault, "templates", "list"], cwd=home, stdin=PASSPHRASE + "\n"
    )
    assert "right-after-gentle" in listed
    _run(
        [afterglow, "--vault", vault, "add", "A door in the ocean", "--title", "After session 3"],
        cwd=home,
        stdin=PASSPHRASE + "\n",
    )
    found = _run(
        [afterglow, "--vault", vault, "search", "ocean"], cwd=home, stdin=PASSPHRASE + "\n"
    )
    assert "After session 3" in found
    _run(
        [afterglow, "--vault", vault, "export-all", "--out", str(home / "all.age")],
        cwd=home,
        stdin=f"{PASSPHRASE}\nlantern meadow quiet harbour\nlantern meadow quiet harbour\n",
    )
    assert (home / "all.age").read_bytes().startswith(b"age-encryption.org/v1\n")
    # A share code is six words of the EFF list that xkcdpass carries as data.
    shared = _run(
        [afterglow, "--vault", vault, "export", "--out", str(home / "x.agb"), "--share-code"],
        cwd=home,
        stdin=PASSPHRASE + "\n",
    )
    assert len(shared.strip().split("-")) == 6 and (home / "x.agb").is_file()
    verified = _run(
        [afterglow, "bundle", "verify", str(home / "x.agb")],
        cwd=home,
        stdin=shared.replace("-", " "),
    )
    assert "integrity" in verified
    # The desktop files, installed from the wheel into the person's home.
    data = home / "share"
    _run([afterglow, "--install-desktop-integration"], cwd=home, extra={"XDG_DATA_HOME": str(data)})
    entry = (data / "applications" / f"{APP_ID}.desktop").read_text()
    assert f"Exec={afterglow} %f" in entry
    assert (data / "icons/hicolor/48x48/apps" / f"{APP_ID}.png").is_file()
