"""Hostile and broken import files: each is refused with one sentence (exit
status 1 in the CLI, no traceback) and the journal's files are byte for byte
as they were. And every parser fuzzed: a plan or a sentence, nothing else."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.core.errors import ImportInvalid, JournalError
from journal.core.imports import afterflow, diaries, sources
from journal.core.imports.plan import Source
from journal.core.vault import keyfile as kf
from tests import import_fixtures as fx
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import snapshot
from tests.test_cli import cli

FIXTURE = [HealthCheck.function_scoped_fixture]


@pytest.fixture
def vault_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(kf, "DEFAULT_KDF", FAST_KDF)
    path = tmp_path / "v" / "journal.vault"
    assert cli(path, "init", stdin=PASSPHRASE + "\n").code == 0
    return path


def _zip_with(name: str, data: bytes = b"{}") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo(name), data)
    return out.getvalue()


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Journal.json", b"\0" * (300 * 1024 * 1024))
    return out.getvalue()


def _write(data: bytes, name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _huge(folder: Path) -> Path:
    path = folder / "huge.json"
    with path.open("wb") as stream:  # sparse: 2 GB on paper, nothing on disk
        stream.truncate(2 * 1024**3)
    return path


def _empty_folder(folder: Path) -> Path:
    (folder / "empty").mkdir()
    return folder / "empty"


def _many_files(folder: Path) -> Path:
    root = folder / "many"
    root.mkdir()
    for n in range(100_000):
        os.close(os.open(root / f"{n}.md", os.O_CREAT | os.O_WRONLY, 0o600))
    return root


HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "zip path traversal": (
        _write(_zip_with("../../evil.json"), "a.zip"),
        "points outside the archive",
    ),
    "zip absolute path": (
        _write(_zip_with("/etc/evil.json"), "a.zip"),
        "points outside the archive",
    ),
    "zip bomb": (_write(_bomb(), "bomb.zip"), "too large or too compressed"),
    "2 GB JSON": (_huge, "is too large to import"),
    "deep nesting": (_write(b"[" * 100_000 + b"]" * 100_000, "deep.json"), "nested too deeply"),
    "invalid UTF-8": (_write(b'{"entries": ["\xff\xfe"]}', "bad.json"), "is not text in UTF-8"),
    "dates out of range": (
        _write(
            json.dumps(
                {"entries": [{"title": "x", "body": "y", "date": "99999-01-01", "time": "25:61"}]}
            ).encode(),
            "jrnl.json",
        ),
        "There is nothing to import in jrnl.json. 1 entry has a date Afterglow can't read.",
    ),
    "CSV missing a column": (
        _write(b"Date,Treatment Type,Administration\n", "a.csv"),
        "has no 'Intention', 'Mood Before'",
    ),
    "CSV rows of the wrong width": (
        _write((fx.AFTERFLOW_HEADER + "\n1,2,3\n").encode(), "a.csv"),
        "1 row has the wrong number of values",
    ),
    "binary named .json": (_write(bytes(range(256)) * 4, "photo.json"), "doesn't recognise"),
    "empty file": (_write(b"", "empty.json"), "is empty"),
    "empty folder": (_empty_folder, "holds no Markdown (.md) files"),
    "folder of 100,000 files": (_many_files, "holds more than 20,000 files"),
    "no such file": (lambda folder: folder / "nothing-here.json", "There is no file or folder"),
    "JSON of another shape": (_write(b'{"hello": "world"}', "other.json"), "doesn't recognise"),
    "Day One ZIP without a journal": (
        _write(fx.zip_of({"photos/a.jpeg": b"x"}), "dayone.zip"),
        "holds no Day One journal",
    ),
    "a ZIP with a password": (
        _write(
            fx.zip_of({"Journal.json": b"{}"})
            .replace(b"PK\x03\x04\x14\x00\x00\x00", b"PK\x03\x04\x14\x00\x01\x00", 1)
            .replace(
                b"PK\x01\x02\x14\x03\x14\x00\x00\x00", b"PK\x01\x02\x14\x03\x14\x00\x01\x00", 1
            ),
            "locked.zip",
        ),
        "ZIP password",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_gets_a_sentence_and_changes_nothing(
    case: str, vault_file: Path, tmp_path: Path
) -> None:
    make, expected = HOSTILE[case]
    folder = tmp_path / "input"
    folder.mkdir()
    path = make(folder)
    before = snapshot(vault_file.parent)
    result = cli(vault_file, "import", str(path), "--yes", stdin=PASSPHRASE + "\n")
    assert result.code == 1, result.out
    assert expected in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert snapshot(vault_file.parent) == before


def test_a_folder_too_large_to_read_at_once_is_refused(
    vault_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file within its limit, all of them together over the ceiling (made
    small here: 8 MB for 12 files of 1 MB) — refused, not read whole."""
    from journal.core.imports import reading

    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 8 * 1024 * 1024)
    root = tmp_path / "large"
    root.mkdir()
    for n in range(12):
        (root / f"2024-01-{n + 1:02d}.md").write_bytes(b"words " * (1024 * 1024 // 6))
    before = snapshot(vault_file.parent)
    result = cli(vault_file, "import", str(root), "--yes", stdin=PASSPHRASE + "\n")
    assert result.code == 1 and "holds more than Afterglow imports at once" in result.err
    assert snapshot(vault_file.parent) == before


def test_a_real_process_exits_1_without_a_traceback(vault_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    path.write_bytes(_zip_with("../evil.json"))
    before = snapshot(vault_file.parent)
    done = subprocess.run(
        [sys.executable, "-m", "journal", "--vault", str(vault_file), "import", str(path), "--yes"],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "points outside the archive" in done.stderr
    assert snapshot(vault_file.parent) == before


# --- fuzzing -------------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=30,
)
_field = st.sampled_from(
    [
        "uuid",
        "creationDate",
        "modifiedDate",
        "timeZone",
        "text",
        "tags",
        "starred",
        "photos",
        "audios",
        "title",
        "body",
        "date",
        "time",
        "dateUpdated",
    ]
)
_record = st.dictionaries(
    _field,
    _json
    | st.sampled_from(
        ["2024-03-05", "23:30", "2024-03-05T23:30:00Z", "Europe/Berlin", "Not/AZone", "9999-99-99"]
    ),
    max_size=8,
)


def _either(read: Callable[[], Any]) -> None:
    try:
        read()
    except (ImportInvalid, JournalError) as error:
        assert str(error) and "Traceback" not in str(error)


@given(entries=st.lists(_record, max_size=6), kind=st.sampled_from(["dayone", "jrnl"]))
@settings(max_examples=150, deadline=None)
def test_fuzzed_diary_records(entries: list[dict[str, Any]], kind: str) -> None:
    data = json.dumps({"entries": entries}).encode()
    if kind == "dayone":
        _either(lambda: diaries.read_dayone({"Journal.json": data}, "Journal.json"))
    else:
        _either(lambda: diaries.read_jrnl({"entries": entries}, "jrnl.json"))


@given(
    entries=st.dictionaries(
        st.text(max_size=12) | st.just("2024-02-30"), _json | _record, max_size=6
    )
)
@settings(max_examples=100, deadline=None)
def test_fuzzed_mini_diary(entries: dict[str, Any]) -> None:
    _either(lambda: diaries.read_minidiary({"entries": entries}, "md.json"))


@given(
    rows=st.lists(
        st.lists(
            st.text(max_size=20)
            | st.sampled_from(
                [
                    "Dec 1, 2024 at 10:30 AM",
                    "Feb 30, 2024 at 13:99 PM",
                    "'=cmd",
                    "Intravenous (IV)",
                    "11",
                ]
            ),
            min_size=0,
            max_size=10,
        ),
        max_size=6,
    )
)
@settings(max_examples=150, deadline=None)
def test_fuzzed_afterflow_csv(rows: list[list[str]]) -> None:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(afterflow.COLUMNS)
    writer.writerows(rows)
    _either(lambda: afterflow.read_afterflow(out.getvalue().encode(), "a.csv"))


@given(st.binary(max_size=3000))
@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURE)
def test_any_bytes_as_any_format(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "input.bin"
    path.write_bytes(data)
    for source in (None, *Source):
        if source is Source.MARKDOWN:
            continue
        _either(lambda s=source: sources.read(path, source=s))


@given(
    text=st.text(max_size=400),
    front=st.dictionaries(st.sampled_from(["date", "title", "tags"]), _json, max_size=3),
)
@settings(max_examples=100, deadline=None, suppress_health_check=FIXTURE)
def test_fuzzed_markdown_pages(tmp_path: Path, text: str, front: dict[str, Any]) -> None:
    page = tmp_path / "page.md"
    lines = "".join(f"{k}: {json.dumps(v)}\n" for k, v in front.items())
    page.write_text(f"---\n{lines}---\n{text}", encoding="utf-8", errors="surrogatepass")
    _either(lambda: sources.read(page))


def test_front_matter_escapes_of_utf16_halves_become_characters(tmp_path: Path) -> None:
    """Found by the fuzzer: JSON-escaped front matter (``"\\ud800\\udc00"``)
    reaches YAML as two halves of a character, which UTF-8 cannot hold."""
    page = tmp_path / "page.md"
    title = json.dumps("\U00010000 and a lone \ud800")  # ascii: the halves escaped
    page.write_text(f"---\ntitle: {title}\n---\n0", encoding="utf-8")
    plan = sources.read(page)
    assert [item.entry.title for item in plan.entries] == ["\U00010000 and a lone \ufffd"]


@given(offset=st.integers(min_value=0), flips=st.binary(min_size=1, max_size=8))
@settings(max_examples=100, deadline=None)
def test_damaged_day_one_archives(offset: int, flips: bytes) -> None:
    data = bytearray(_DAYONE)
    start = offset % len(data)
    for i, b in enumerate(flips):
        data[(start + i) % len(data)] ^= b or 1
    _either(lambda: diaries.read_dayone_zip(bytes(data), "Export.zip"))


_DAYONE = fx.dayone_zip()
