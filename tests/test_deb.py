"""The .deb as a person on Debian gets it: packaging/build-deb makes it, apt
installs it (with its dependencies, and no Python from the system), and the
installed tree is a working Afterglow: the commands, the desktop app started
offscreen, and the desktop knowing the .agb file type and its handler.

Installs into the real system (/opt/afterglow, /usr/share): the machine must
be root and throw-away, like the CI's Debian 12. The package is removed again
at the end."""

from __future__ import annotations

import io
import os
import platform
import shutil
import signal
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyrage
import pytest
from pypdf import PdfReader

from journal import APP_ID, __version__

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "correct horse battery staple"
MIME_TYPE = "application/x-afterglow-bundle"
MIME_ICON = "application-x-afterglow-bundle"
DEB_NAME = f"afterglow_{__version__}_amd64.deb"
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

DPKG_DEB = shutil.which("dpkg-deb")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        platform.system() != "Linux" or not Path("/etc/debian_version").exists(),
        reason="the .deb is built and installed on Debian only",
    ),
    pytest.mark.skipif(DPKG_DEB is None, reason="dpkg-deb is not installed"),
]


def _tool(name: str) -> str:
    found = shutil.which(name, path=SYSTEM_PATH)
    assert found, f"{name} is not installed"
    return found


def _system_env(home: Path, **extra: str) -> dict[str, str]:
    """A desktop session's environment with nothing of the checkout or its
    virtual environment in it, so the installed /usr/bin/afterglow runs."""
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return {
        "PATH": SYSTEM_PATH,
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "XDG_RUNTIME_DIR": str(runtime),
        **extra,
    }


def _run(
    command: list[str],
    *,
    env: dict[str, str],
    stdin: str = "",
    timeout: float = 120,
    cwd: Path | None = None,
) -> str:
    done = subprocess.run(
        command,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=cwd,
        check=False,
    )
    assert done.returncode == 0, f"{command}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deb")
    work = tmp_path_factory.mktemp("deb-work")
    env = {**os.environ, "TMPDIR": str(work)}
    printed = _run([str(ROOT / "packaging" / "build-deb"), str(out)], env=env, timeout=900)
    path = Path(printed.strip().splitlines()[-1])
    assert path == out / DEB_NAME and path.is_file()
    return path


@pytest.fixture(scope="module")
def installed(deb: Path) -> Iterator[Path]:
    """/usr/bin/afterglow from the package installed with apt; removed afterwards."""
    apt = _tool("apt-get")
    env = {"PATH": SYSTEM_PATH, "DEBIAN_FRONTEND": "noninteractive", "LANG": "C.UTF-8"}
    try:
        # Recommends (Wayland, printing) are the desktop's business, not the test's.
        _run(
            [apt, "install", "-y", "--no-install-recommends", "--reinstall", str(deb)],
            env=env,
            timeout=600,
        )
        yield Path("/usr/bin/afterglow")
    finally:
        _run([apt, "purge", "-y", "afterglow"], env=env, timeout=600)
        assert not Path("/opt/afterglow").exists()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def test_the_package_holds_the_app_and_its_desktop_files(deb: Path) -> None:
    listing = subprocess.run(
        [str(DPKG_DEB), "-c", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    paths = {line.split()[5].removeprefix(".") for line in listing.splitlines()}
    share = "/usr/share"
    expected = {
        "/opt/afterglow/",
        "/opt/afterglow/afterglow",
        "/usr/bin/afterglow",
        f"{share}/applications/{APP_ID}.desktop",
        f"{share}/metainfo/{APP_ID}.metainfo.xml",
        f"{share}/mime/packages/{APP_ID}.mime.xml",
        f"{share}/icons/hicolor/scalable/apps/{APP_ID}.svg",
        f"{share}/icons/hicolor/scalable/mimetypes/{MIME_ICON}.svg",
        *(
            f"{share}/icons/hicolor/{n}x{n}/{kind}/{name}.png"
            for n in (16, 24, 32, 48, 64, 128, 256, 512)
            for kind, name in (("apps", APP_ID), ("mimetypes", MIME_ICON))
        ),
        # The resources, where importlib.resources finds them in the frozen app.
        "/opt/afterglow/_internal/journal/resources/templates/free.toml",
        "/opt/afterglow/_internal/journal/resources/checklists/treatment-day.toml",
        f"/opt/afterglow/_internal/journal/resources/desktop/{APP_ID}.desktop",
        "/opt/afterglow/_internal/xkcdpass/static/eff-long",
        # The style sheet's check marks and arrows, where theme.icons_folder()
        # looks: the frozen package's __path__ under _internal/.
        *(
            f"/opt/afterglow/_internal/journal/resources/icons/{svg.name}"
            for svg in (ROOT / "resources" / "icons").glob("*.svg")
        ),
        # The Qt modules the app uses, and the plugins for sound and SVG.
        "/opt/afterglow/_internal/PySide6/QtMultimedia.abi3.so",
        "/opt/afterglow/_internal/PySide6/QtCharts.abi3.so",
        "/opt/afterglow/_internal/PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so",
        "/opt/afterglow/_internal/PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "/opt/afterglow/_internal/PySide6/Qt/plugins/platforms/libqxcb.so",
    }
    assert expected <= paths, sorted(expected - paths)
    assert "./usr/bin/afterglow -> /opt/afterglow/afterglow" in listing
    unused = ("QtWebEngine", "Qt3D", "QtQuick3D", "QtQuickControls2", "QtPdf", "QtDesigner")
    assert not [p for p in paths if "/PySide6/" in p and p.rsplit("/", 1)[-1].startswith(unused)]
    assert not [p for p in paths if "/translations/" in p]


def test_the_package_depends_on_no_python(deb: Path) -> None:
    def field(name: str) -> str:
        return subprocess.run(
            [str(DPKG_DEB), "-f", str(deb), name], capture_output=True, text=True, check=True
        ).stdout.strip()

    assert field("Package") == "afterglow"
    assert field("Version") == __version__
    assert field("Architecture") == "amd64"
    depends = [part.split()[0] for part in field("Depends").split(",")]
    assert "libc6" in depends and "libpulse0" in depends and "shared-mime-info" in depends
    assert not [name for name in depends if "python" in name or "pip" in name], depends


def test_the_installed_commands_keep_a_journal(installed: Path, home: Path) -> None:
    env = _system_env(home)
    assert shutil.which("afterglow", path=env["PATH"]) == str(installed)
    assert installed.resolve() == Path("/opt/afterglow/afterglow")
    assert _run([str(installed), "--version"], env=env).strip() == f"Afterglow {__version__}"

    afterglow = [str(installed), "--vault", str(home / "v" / "journal.vault")]
    created = _run([*afterglow, "init"], env=env, stdin=f"{PASSPHRASE}\n" * 2)
    assert "recovery code" in created
    templates = _run([*afterglow, "templates", "list"], env=env, stdin=PASSPHRASE)
    assert "free" in templates and "built-in" in templates
    entry = "The lantern by the harbour stayed warm all evening"
    _run([*afterglow, "add", "--title", "After", entry], env=env, stdin=PASSPHRASE)
    found = _run([*afterglow, "search", "harbour"], env=env, stdin=PASSPHRASE)
    assert "After" in found and "harbour" in found

    archive = home / "everything.age"
    _run(
        [*afterglow, "export-all", "--out", str(archive)],
        env=env,
        stdin=f"{PASSPHRASE}\n" * 3,
    )
    plain = pyrage.passphrase.decrypt(archive.read_bytes(), PASSPHRASE)
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        assert any(entry in z.read(name).decode("utf-8", "replace") for name in z.namelist())

    # A bundle and its PDF report: age, the word list and Qt's PDF writer, frozen.
    bundle, pdf = home / "for-therapist.agb", home / "report.pdf"
    words = _run(
        [*afterglow, "export", "--out", str(bundle), "--share-code", "--pdf", str(pdf)],
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        stdin=PASSPHRASE,
    ).splitlines()
    share_code, pdf_password = words[0], words[1]
    assert bundle.read_bytes().startswith(b"age-encryption.org/v1\n")
    checked = _run([str(installed), "bundle", "verify", str(bundle)], env=env, stdin=share_code)
    assert "1 entry" in checked and "match their checksums" in checked
    reader = PdfReader(pdf)
    assert reader.is_encrypted and reader.decrypt(pdf_password)
    assert "lantern" in "".join(page.extract_text() for page in reader.pages)


def test_the_installed_app_starts_and_closes_on_sigterm(installed: Path, home: Path) -> None:
    env = _system_env(home)
    vault = home / "v" / "journal.vault"
    _run([str(installed), "--vault", str(vault), "init"], env=env, stdin=f"{PASSPHRASE}\n" * 2)
    app = subprocess.Popen(
        [str(installed), "--vault", str(vault)],
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        early = app.wait(timeout=8)
    except subprocess.TimeoutExpired:
        early = None
    app.send_signal(signal.SIGTERM)
    out, err = app.communicate(timeout=60)
    assert early is None, f"the app exited by itself ({early}): {out}\n{err}"
    assert app.returncode == 0, f"{app.returncode}: {out}\n{err}"
    assert "Traceback" not in err, err


def test_the_desktop_knows_the_bundle_type_and_its_app(installed: Path, home: Path) -> None:
    # GNOME's way of telling a file's type (gio, the shared MIME database);
    # without a desktop, xdg-mime would ask `file`, which knows no .agb.
    _tool("gio")
    env = _system_env(home, XDG_CURRENT_DESKTOP="GNOME")
    xdg_mime = _tool("xdg-mime")
    handler = _run([xdg_mime, "query", "default", MIME_TYPE], env=env).strip()
    assert handler == f"{APP_ID}.desktop"

    content = b"age-encryption.org/v1\n-> scrypt c2FsdHNhbHRzYWx0c2FsdA 18\n"
    named, unnamed = home / "from-client.agb", home / "letter"
    for path in (named, unnamed):
        path.write_bytes(content)
        assert _run([xdg_mime, "query", "filetype", str(path)], env=env).strip() == MIME_TYPE
