"""Fuzzing the readers of untrusted input (bundles and templates; the
Markdown sanitiser is fuzzed in test_markdown.py): whatever comes in, the
result is content or a typed error with a sentence — never a crash, never a
hang. Bundles are sealed to an X25519 key here, so each example is fast."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import Any

import pyrage
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from journal.core.errors import JournalError, TemplateInvalid
from journal.core.journal.demo import populate
from journal.core.practice.checklist import parse_checklist
from journal.core.sharing import bundle, report, share
from journal.core.templates import parse_template
from journal.core.vault import vault as vaults
from tests.helpers import seal

FIXTURE = [HealthCheck.function_scoped_fixture]  # the module's bundle files are read only
IDENTITY = pyrage.x25519.Identity.generate()
RECIPIENT = str(IDENTITY.to_public())
RECORD_FILES = (
    "entries.json",
    "sessions.json",
    "checkins.json",
    "motifs.json",
    "attachments.json",
    "meditations.json",
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
    ),
    max_leaves=30,
)


class Files(dict[str, bytes]):
    """The files of a valid bundle (a short repr for Hypothesis's reports)."""

    def __repr__(self) -> str:
        return f"<{len(self)} bundle files>"


@pytest.fixture(scope="module")
def valid_files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    from journal.core.vault.keyfile import KdfParams

    path = tmp_path_factory.mktemp("fuzz") / "journal.vault"
    vault, _ = vaults.create(path, "fuzzing passphrase words", kdf=KdfParams(64, 1, 1))
    populate(vault)
    content = share.collect(
        vault, share.offer(vault, everything=True), now=datetime.now().astimezone()
    )
    vault.close()
    return Files(bundle.archive_files(content, report_html=report.report_html(content)))


def _seal(files: dict[str, bytes], *, rehash: bool = True) -> bytes:
    return seal(files, RECIPIENT, rehash=rehash)


def _read(data: bytes) -> bundle.OpenedBundle | None:
    """Open; on success also render the report as the reader does."""
    try:
        opened = bundle.read_bundle(data, identities=[str(IDENTITY)])
    except JournalError as error:
        assert error.message.strip()
        return None
    report.report_html(opened.content)
    return opened


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2048))
def test_any_bytes_are_refused_with_a_sentence(data: bytes) -> None:
    assert _read(data) is None


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=4096))
def test_sealed_garbage_is_refused(data: bytes) -> None:
    assert _read(bundle.encrypt(data, recipients=[RECIPIENT])) is None


@settings(max_examples=200, deadline=None, suppress_health_check=FIXTURE)
@given(name=st.sampled_from(RECORD_FILES), value=json_values, index=st.integers(0, 5))
def test_hostile_records_are_type_checked(
    valid_files: dict[str, bytes], name: str, value: Any, index: int
) -> None:
    files = dict(valid_files)
    records = json.loads(files[name])
    target = records[index] if records and index < len(records) else None
    if isinstance(target, dict) and isinstance(value, dict):
        target.update(value)  # a record with extra, mistyped or hostile fields
        files[name] = json.dumps(records).encode()
    else:
        files[name] = json.dumps(value).encode()
    _read(_seal(files))


@settings(max_examples=200, deadline=None, suppress_health_check=FIXTURE)
@given(
    name=st.sampled_from(RECORD_FILES),
    field=st.text(max_size=15),
    value=json_values,
)
def test_one_field_of_one_record_replaced(
    valid_files: dict[str, bytes], name: str, field: str, value: Any
) -> None:
    files = dict(valid_files)
    records = json.loads(files[name])
    if not records:
        return
    key = field if field else next(iter(records[0]), "id")
    records[0][key] = value
    files[name] = json.dumps(records).encode()
    _read(_seal(files))


@settings(max_examples=120, deadline=None, suppress_health_check=FIXTURE)
@given(offset=st.integers(min_value=0), flips=st.binary(min_size=1, max_size=8))
@example(offset=44, flips=b"\x00")  # damaged deflate data: once escaped as zlib.error
def test_damaged_archive_bytes(valid_files: dict[str, bytes], offset: int, flips: bytes) -> None:
    archive = bytearray(bundle.zip_files(valid_files, when=datetime(2026, 1, 1)))
    start = offset % len(archive)
    for i, byte in enumerate(flips):
        if start + i < len(archive):
            archive[start + i] ^= byte or 1
    _read(bundle.encrypt(bytes(archive), recipients=[RECIPIENT]))


def test_an_unknown_zip_version_is_refused(valid_files: dict[str, bytes]) -> None:
    """Found by the fuzzer: a damaged "version needed" field made zipfile raise
    NotImplementedError instead of a refusal."""
    archive = bytearray(bundle.zip_files(valid_files, when=datetime(2026, 1, 1)))
    central = archive.index(b"PK\x01\x02")
    archive[central + 6 : central + 8] = (84).to_bytes(2, "little")  # "zip version 8.4"
    assert _read(bundle.encrypt(bytes(archive), recipients=[RECIPIENT])) is None


def test_a_zip_entry_flagged_as_password_protected_is_refused(
    valid_files: dict[str, bytes],
) -> None:
    """Found by the fuzzer: a damaged flag bit saying "encrypted with a ZIP
    password" made zipfile raise RuntimeError instead of a refusal."""
    archive = bytearray(bundle.zip_files(valid_files, when=datetime(2026, 1, 1)))
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = archive.index(signature)
        archive[start + flags_at] |= 0x1
    assert _read(bundle.encrypt(bytes(archive), recipients=[RECIPIENT])) is None


@settings(max_examples=80, deadline=None, suppress_health_check=FIXTURE)
@given(offset=st.integers(min_value=0), byte=st.integers(1, 255))
def test_damaged_ciphertext(valid_files: dict[str, bytes], offset: int, byte: int) -> None:
    sealed = bytearray(_seal(valid_files))
    sealed[offset % len(sealed)] ^= byte
    assert _read(bytes(sealed)) is None  # age's authentication catches any change


def test_the_untouched_bundle_opens(valid_files: dict[str, bytes]) -> None:
    opened = _read(_seal(valid_files, rehash=False))
    assert opened is not None and opened.content.entries


# --- templates: structured fuzzing (plain text is fuzzed in test_templates.py) ----------

toml_scalars = st.one_of(
    st.text(max_size=20).map(json.dumps),
    st.integers(-5, 20).map(str),
    st.sampled_from(["true", "false", "[]", '["a", "b"]', "1.5", '""']),
)
kinds = st.sampled_from(["text", "scale", "choice", "motifs", "after_effects", "nope", ""])


@st.composite
def templates(draw: st.DrawFn) -> str:
    lines = []
    for key in ("id", "title", "phase", "description", "minutes"):
        if draw(st.booleans()):
            lines.append(f"{key} = {draw(toml_scalars)}")
    for _ in range(draw(st.integers(0, 4))):
        lines.append("[[prompts]]")
        for key in ("key", "text", "hint", "low", "high", "choices", "optional", "private"):
            if draw(st.booleans()):
                lines.append(f"{key} = {draw(toml_scalars)}")
        if draw(st.booleans()):
            lines.append(f"kind = {json.dumps(draw(kinds))}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(templates())
def test_structured_templates_load_or_say_why(text: str) -> None:
    try:
        template = parse_template(text, name="fuzz.toml")
    except TemplateInvalid as error:
        assert str(error).startswith("fuzz.toml")
    else:
        assert template.id and template.prompts


@st.composite
def checklists(draw: st.DrawFn) -> bytes:
    lines = []
    for key in ("title", "items", "extra"):
        if draw(st.booleans()):
            if key == "items" and draw(st.booleans()):
                items = draw(st.lists(st.text(max_size=40), max_size=40))
                value = "[" + ", ".join(json.dumps(i) for i in items) + "]"
            else:
                value = draw(toml_scalars)
            lines.append(f"{key} = {value}")
    text = "\n".join(lines) + "\n"
    return text.encode() if draw(st.booleans()) else draw(st.binary(max_size=64)) + text.encode()


@settings(max_examples=300, deadline=None)
@given(checklists())
def test_checklist_files_load_or_say_why(data: bytes) -> None:
    try:
        made = parse_checklist(data, name="clinic.toml")
    except TemplateInvalid as error:
        assert str(error).startswith("clinic.toml")
    else:
        assert made.title and 1 <= len(made.items) <= 30
        assert all(item.strip() and len(item) <= 200 for item in made.items)


def test_fuzzing_reaches_valid_records(valid_files: dict[str, bytes]) -> None:
    """The record fuzzers start from a bundle that opens, with records to damage."""
    for name in RECORD_FILES:
        assert isinstance(json.loads(valid_files[name]), list)
    assert json.loads(valid_files["entries.json"])
    unpacked = zipfile.ZipFile(io.BytesIO(bundle.zip_files(valid_files, when=datetime(2026, 1, 1))))
    assert set(unpacked.namelist()) == set(valid_files)


def _media_seeds() -> list[bytes]:
    """Valid files of each kind the journal takes in, to be damaged."""
    from PIL import Image

    from journal.core.imagery import media

    seeds = []
    for fmt in ("PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF"):
        out = io.BytesIO()
        Image.new("RGB", (24, 16), (10, 120, 200)).save(out, fmt)
        seeds.append(out.getvalue())
    seeds.append(media.encode_wav(b"\x01\x02" * 400, rate=8000, channels=1, sample_width=2))
    return seeds


MEDIA_SEEDS = _media_seeds()


@settings(max_examples=300, deadline=None)
# Found by this test: a zeroed WAV chunk header made `wave` raise RuntimeError.
@example(seed=MEDIA_SEEDS[-1], cuts=[(36, b"\0" * 5)], truncate=0)
@given(
    seed=st.sampled_from(MEDIA_SEEDS),
    cuts=st.lists(st.tuples(st.integers(0, 4000), st.binary(max_size=8)), max_size=4),
    truncate=st.integers(0, 4000),
)
def test_damaged_pictures_and_sounds_give_a_sentence(
    seed: bytes, cuts: list[tuple[int, bytes]], truncate: int
) -> None:
    """Pictures and sound files from disk, damaged anywhere: kept (then clean)
    or refused with a sentence — never a crash."""
    from journal.core.imagery import media

    data = bytearray(seed)
    for at, junk in cuts:
        at %= max(1, len(data))
        data[at : at + len(junk)] = junk
    if truncate:
        data = data[: max(1, len(data) - truncate % len(data))]
    for prepare in (media.prepare_image, media.prepare_audio):
        try:
            kept = prepare(bytes(data))
        except JournalError as error:
            assert error.message.endswith("Nothing was added.")
        else:
            assert kept.data
