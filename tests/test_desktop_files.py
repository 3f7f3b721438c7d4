"""Afterglow's identity on the desktop: the desktop entry, the AppStream
metainfo and the bundle's file type pass the freedesktop validators and agree
with each other; the icons are safe plain SVG, and the committed PNGs exist at
every size, are drawn, and are what `packaging/make-icons` renders today."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pyrage
import pytest
import yaml
from PIL import Image, ImageChops, ImageStat

from journal.core.sharing import bundle

ROOT = Path(__file__).resolve().parent.parent
DESKTOP = ROOT / "resources" / "desktop"
ICONS = ROOT / "resources" / "icons"
APP_ID = "org.afterglowjournal.Afterglow"
MIME_TYPE = "application/x-afterglow-bundle"
MIME_ICON = "application-x-afterglow-bundle"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
PNGS = [
    ICONS / "hicolor" / f"{size}x{size}" / context / f"{name}.png"
    for size in SIZES
    for name, context in ((APP_ID, "apps"), (MIME_ICON, "mimetypes"))
]
SVG = "{http://www.w3.org/2000/svg}"


def _tool(name: str) -> str:
    """The freedesktop tool on PATH; the test is skipped, saying so, when it is missing."""
    found = shutil.which(name)
    if found is None:
        pytest.skip(
            f"{name} is not installed (Debian: desktop-file-utils, appstream, shared-mime-info)"
        )
    return found


def _run(*command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, env=env)


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP / f"{APP_ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def _parse(path: Path) -> ET.Element:
    """One of our own XML files (not from outside: no hostile-XML concerns)."""
    return ET.parse(path).getroot()  # noqa: S314


# The desktop entry


def test_desktop_entry_passes_desktop_file_validate() -> None:
    result = _run(_tool("desktop-file-validate"), str(DESKTOP / f"{APP_ID}.desktop"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "" and result.stderr == ""  # not even a hint


def test_desktop_entry_names_the_command_icon_and_file_type() -> None:
    entry = _desktop_entry()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    command, field_code = entry["Exec"].split()
    assert command in scripts and field_code == "%f"
    assert entry["Icon"] == APP_ID
    assert (ICONS / f"{APP_ID}.svg").is_file()
    assert entry["MimeType"] == f"{MIME_TYPE};"
    assert entry["Terminal"] == "false"


# The AppStream metainfo


def test_metainfo_passes_appstreamcli_validate() -> None:
    result = _run(
        _tool("appstreamcli"),
        "validate",
        "--no-net",
        "--strict",
        "--pedantic",
        "--format",
        "yaml",
        str(DESKTOP / f"{APP_ID}.metainfo.xml"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = yaml.safe_load(result.stdout)
    assert report["Passed"] is True  # YAML reads its "yes" as true
    issues = [
        f"{issue['severity']}: {issue['tag']} (line {issue.get('line')})"
        for issue in report.get("Issues") or ()
        # The one pedantic note: the ID has capitals, as reverse-DNS IDs with
        # the app's name usually do; the ID is fixed (icons, settings, Wayland).
        if not (issue["severity"] == "pedantic" and issue["tag"] == "cid-contains-uppercase-letter")
    ]
    assert issues == []


def test_metainfo_agrees_with_the_desktop_entry_and_the_file_type() -> None:
    component = _parse(DESKTOP / f"{APP_ID}.metainfo.xml")
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable[@type='desktop-id']") == f"{APP_ID}.desktop"
    assert component.findtext("provides/mediatype") == MIME_TYPE
    assert component.findtext("provides/binary") == _desktop_entry()["Exec"].split()[0]
    assert component.findtext("name") == _desktop_entry()["Name"]
    description = " ".join(component.find("description").itertext())  # type: ignore[union-attr]
    assert "Afterglow makes no network connections." in " ".join(description.split())
    screenshots = component.findall("screenshots/screenshot")
    assert screenshots[0].get("type") == "default"
    assert all(shot.findtext("caption") for shot in screenshots)


# The bundle's file type


@pytest.fixture
def mime_database(tmp_path: Path) -> Path:
    """A private shared-mime-info database holding only Afterglow's package."""
    packages = tmp_path / "mime" / "packages"
    packages.mkdir(parents=True)
    shutil.copy(DESKTOP / f"{APP_ID}.mime.xml", packages)
    result = _run(_tool("update-mime-database"), str(tmp_path / "mime"))
    assert result.returncode == 0, result.stderr
    return tmp_path / "mime"


def test_mime_database_maps_the_glob_magic_and_icon(mime_database: Path) -> None:
    globs = (mime_database / "globs2").read_text(encoding="utf-8").splitlines()
    assert f"50:{MIME_TYPE}:*.agb" in globs
    magic = (mime_database / "magic").read_bytes()
    assert f"[60:{MIME_TYPE}]".encode() in magic
    assert b"age-encryption.org/v1" in magic
    assert f"{MIME_TYPE}:{MIME_ICON}" in (mime_database / "icons").read_text(encoding="utf-8")
    assert f"{MIME_TYPE} application/octet-stream" in (mime_database / "subclasses").read_text(
        encoding="utf-8"
    )


def test_a_real_bundle_is_recognised_by_name_and_by_content(
    mime_database: Path, tmp_path: Path
) -> None:
    """Through Qt's reader of the shared MIME database, as a file manager or
    the app's own file dialog would see it: a bundle encrypted the way the
    app encrypts one is the type by its name, and by its bytes alone."""
    recipient = str(pyrage.x25519.Identity.generate().to_public())
    data = bundle.encrypt(b"a bundle's zip", recipients=[recipient])
    (tmp_path / "session-3.agb").write_bytes(data)
    (tmp_path / "no-extension").write_bytes(data)
    probe = (
        "import sys\n"
        "from PySide6.QtCore import QMimeDatabase\n"
        "db = QMimeDatabase()\n"
        "for name in sys.argv[1:]:\n"
        "    t = db.mimeTypeForFile(name)\n"
        "    print(t.name(), t.iconName(), t.comment(), sep='|')\n"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(mime_database.parent), "XDG_DATA_DIRS": "/nowhere"}
    result = _run(
        sys.executable,
        "-c",
        probe,
        str(tmp_path / "session-3.agb"),
        str(tmp_path / "no-extension"),
        env=env,
    )
    assert result.returncode == 0, result.stderr
    expected = f"{MIME_TYPE}|{MIME_ICON}|Afterglow bundle"
    assert result.stdout.splitlines() == [expected, expected]


# The icons


@pytest.mark.parametrize("name", [APP_ID, MIME_ICON])
def test_svg_icon_is_plain_and_self_contained(name: str) -> None:
    path = ICONS / f"{name}.svg"
    text = path.read_text(encoding="utf-8")
    root = _parse(path)
    assert root.tag == f"{SVG}svg" and root.get("version") == "1.1"
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    assert width == height
    lowered = text.lower()
    assert "<script" not in lowered and 'href="http' not in lowered
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert not tags & {"script", "text", "image", "foreignObject", "style", "a"}
    for element in root.iter():
        for attribute, value in element.attrib.items():
            # Only references inside the file: a gradient by its id, never a URL.
            if attribute.endswith("href") or "url(" in value:
                assert value.startswith(("#", "url(#")), f"{attribute}={value} in {name}.svg"


@pytest.mark.parametrize("path", PNGS, ids=lambda p: str(p.relative_to(ICONS)))
def test_png_icon_exists_at_its_size_and_is_drawn(path: Path) -> None:
    size = int(path.parent.parent.name.split("x")[0])
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (size, size)
        alpha = image.convert("RGBA").getchannel("A")
    drawn = size * size - alpha.histogram()[0]
    # Not blank, and a real shape: well over a quarter of the square is painted.
    assert drawn > size * size // 4
    # A transparent margin: the corners of the rounded square / page stay clear.
    assert alpha.getpixel((0, 0)) == 0


def test_committed_pngs_are_what_make_icons_renders(tmp_path: Path) -> None:
    """A changed SVG without a new run of packaging/make-icons fails here.
    A small tolerance allows another Qt's anti-aliasing."""
    result = _run(
        sys.executable,
        str(ROOT / "packaging" / "make-icons"),
        str(tmp_path),
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # Qt warns here of SVG features it cannot draw
    for committed in PNGS:
        fresh = tmp_path / committed.relative_to(ICONS / "hicolor")
        with Image.open(committed) as old, Image.open(fresh) as new:
            difference = ImageChops.difference(old.convert("RGBA"), new.convert("RGBA"))
        worst = max(ImageStat.Stat(difference).mean)
        assert worst < 1.5, f"{committed.relative_to(ROOT)} is stale: run packaging/make-icons"
