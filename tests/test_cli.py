"""The `afterglow` command: in-process for most flows, as a real process for
exit codes, standard input and the absence of tracebacks."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from journal import __version__
from journal.cli import Console, run
from journal.core.vault import keyfile as kf
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import flip_bytes, snapshot


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kf, "DEFAULT_KDF", FAST_KDF)


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


def cli(vault: Path, *args: str, stdin: str = "") -> Result:
    out, err = io.StringIO(), io.StringIO()
    console = Console(io.StringIO(stdin), out, err, stdin_is_tty=False)
    code = run(["--vault", str(vault), *args], console)
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def vault_file(tmp_path: Path) -> Path:
    path = tmp_path / "v" / "journal.vault"
    result = cli(path, "init", stdin=PASSPHRASE + "\n")
    assert result.code == 0, result.err
    return path


def _recovery_code(output: str) -> str:
    match = re.search(r"^\s+([0-9A-Z]{4}(?:-[0-9A-Z]{2,4}){6})$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_a_command_derives_its_key_once_on_its_own_thread_while_it_imports(
    vault_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`open_vault` starts Argon2id before the database's modules are needed,
    and `unlock` takes that derivation instead of making a second one."""
    threads: list[str] = []
    derive = kf.KdfParams.derive

    def counted(params: kf.KdfParams, secret: bytes, salt: bytes) -> bytes:
        threads.append(threading.current_thread().name)
        return derive(params, secret, salt)

    monkeypatch.setattr(kf.KdfParams, "derive", counted)
    result = cli(vault_file, "search", "anything", stdin=PASSPHRASE + "\n")
    assert result.code == 0, result.err
    assert threads == ["argon2id"]


def test_init_prints_the_recovery_code_once_with_advice(tmp_path: Path) -> None:
    result = cli(tmp_path / "journal.vault", "init", stdin=PASSPHRASE + "\n")
    assert result.code == 0
    _recovery_code(result.out)
    assert "keep it somewhere safe" in result.out
    again = cli(tmp_path / "journal.vault", "init", stdin=PASSPHRASE + "\n")
    assert again.code == 1 and "already exists" in again.err


def test_init_refuses_weak_passphrase(tmp_path: Path) -> None:
    result = cli(tmp_path / "journal.vault", "init", stdin="short\n")
    assert result.code == 1
    assert result.err.strip() == "Please choose a passphrase of at least 8 characters."
    assert not (tmp_path / "journal.vault").exists()


def test_add_then_search(vault_file: Path) -> None:
    first = cli(
        vault_file, "add", "A door in the océan", "--title", "Door", stdin=PASSPHRASE + "\n"
    )
    assert first.code == 0 and first.out.strip() == "1"
    second = cli(vault_file, "add", stdin=f"{PASSPHRASE}\nline one\nline two about the ocean\n")
    assert second.out.strip() == "2"
    found = cli(vault_file, "search", "ocean", stdin=PASSPHRASE + "\n")
    assert found.code == 0
    assert "entry 1: Door" in found.out and "**océan**" in found.out
    assert "entry 2" in found.out and "**ocean**" in found.out
    limited = cli(vault_file, "search", "ocean", "--limit", "1", stdin=PASSPHRASE + "\n")
    assert limited.out.count("entry ") == 1
    none = cli(vault_file, "search", "zebra", stdin=PASSPHRASE + "\n")
    assert none.out.strip() == "No matches."


def test_add_with_session_and_private(vault_file: Path) -> None:
    result = cli(vault_file, "add", "x", "--session", "latest", stdin=PASSPHRASE + "\n")
    assert result.code == 1 and "no sessions yet" in result.err
    result = cli(vault_file, "add", "x", "--session", "7", stdin=PASSPHRASE + "\n")
    assert result.code == 1 and "session no longer exists" in result.err
    assert cli(vault_file, "add", "secret", "--private", stdin=PASSPHRASE + "\n").code == 0


def test_empty_entry_is_not_saved(vault_file: Path) -> None:
    result = cli(vault_file, "add", stdin=PASSPHRASE + "\n   \n")
    assert result.code == 1 and "empty" in result.err


def test_wrong_passphrase_is_one_sentence_and_changes_nothing(vault_file: Path) -> None:
    before = snapshot(vault_file.parent)
    result = cli(vault_file, "search", "x", stdin="wrong passphrase\n")
    assert result.code == 1
    assert result.err == "That passphrase doesn't open this journal. Check it and try again.\n"
    assert snapshot(vault_file.parent) == before


def test_missing_passphrase_line(vault_file: Path) -> None:
    result = cli(vault_file, "search", "x", stdin="")
    assert result.code == 1 and "Expected a line on standard input" in result.err


def test_passwd_and_recover(tmp_path: Path) -> None:
    path = tmp_path / "journal.vault"
    code = _recovery_code(cli(path, "init", stdin=PASSPHRASE + "\n").out)
    changed = cli(path, "passwd", stdin=f"{PASSPHRASE}\nsecond lantern orchard\n")
    assert changed.code == 0, changed.err
    assert cli(path, "check", stdin=PASSPHRASE + "\n").code == 1
    assert cli(path, "check", stdin="second lantern orchard\n").code == 0
    wrong = cli(path, "recover", stdin="AAAA-BBBB\nthird harbor willow\n")
    assert wrong.code == 1 and "recovery code" in wrong.err
    recovered = cli(path, "recover", stdin=f"{code.lower()}\nthird harbor willow\n")
    assert recovered.code == 0, recovered.err
    assert cli(path, "check", stdin="third harbor willow\n").code == 0


def test_check_reports_damage(vault_file: Path) -> None:
    for i in range(5):
        cli(vault_file, "add", f"{i} " + "words " * 3000, stdin=PASSPHRASE + "\n")
    healthy = cli(vault_file, "check", stdin=PASSPHRASE + "\n")
    assert healthy.code == 0 and "healthy" in healthy.out
    size = vault_file.stat().st_size
    flip_bytes(vault_file, (size // 4096 // 2) * 4096 + 64, 64)
    damaged = cli(vault_file, "check", stdin=PASSPHRASE + "\n")
    assert damaged.code == 1 and "problems" in damaged.err


def test_templates_commands(vault_file: Path, tmp_path: Path) -> None:
    listing = cli(vault_file, "templates", "list", stdin=PASSPHRASE + "\n")
    assert listing.code == 0 and "right-after-gentle" in listing.out
    shown = cli(vault_file, "templates", "show", "right-after-gentle", stdin=PASSPHRASE + "\n")
    assert "1. What is the first thing you remember?" in shown.out
    out = tmp_path / "gentle.toml"
    cli(vault_file, "templates", "export", "right-after-gentle", str(out), stdin=PASSPHRASE + "\n")
    mine = tmp_path / "mine.toml"
    mine.write_text(
        out.read_text(encoding="utf-8").replace('"right-after-gentle"', '"mine"'), encoding="utf-8"
    )
    imported = cli(vault_file, "templates", "import", str(mine), stdin=PASSPHRASE + "\n")
    assert imported.code == 0 and "as mine" in imported.out
    assert "yours" in cli(vault_file, "templates", "list", stdin=PASSPHRASE + "\n").out
    missing = cli(vault_file, "templates", "show", "nope", stdin=PASSPHRASE + "\n")
    assert missing.code == 1 and 'no template with the id "nope"' in missing.err


def test_bad_template_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\ntitle = "X"\nphase = "soon"\n', encoding="utf-8")
    result = cli(tmp_path / "none.vault", "templates", "validate", str(bad))
    assert result.code == 1
    assert result.err.startswith("bad.toml, line 3: phase must be one of")


def test_usage_errors_exit_2(vault_file: Path) -> None:
    assert cli(vault_file, "nonsense").code == 2
    assert cli(vault_file, "search").code == 2
    assert cli(vault_file, "search", "x", "--limit", "0").code == 2
    assert cli(vault_file, "add", "x", "--session", "soon").code == 2
    assert cli(vault_file, "templates").code == 2


def test_no_vault_yet(tmp_path: Path) -> None:
    result = cli(tmp_path / "nothing.vault", "search", "x", stdin=PASSPHRASE + "\n")
    assert result.code == 1 and "afterglow init" in result.err


# --- as a real process --------------------------------------------------------


def _afterglow(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "journal", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


@pytest.mark.slow
def test_real_process_exit_codes_and_no_tracebacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "journal.vault"
    monkeypatch.setenv("AFTERGLOW_VAULT", str(path))
    created = _afterglow("init", stdin=PASSPHRASE + "\n")
    assert created.returncode == 0, created.stderr
    added = _afterglow("add", "--title", "t", stdin=f"{PASSPHRASE}\nthe whale sang\n")
    assert (added.returncode, added.stdout.strip()) == (0, "1")
    found = _afterglow("search", "whale", stdin=PASSPHRASE + "\n")
    assert found.returncode == 0 and "**whale**" in found.stdout
    wrong = _afterglow("search", "whale", stdin="nope nope nope\n")
    assert wrong.returncode == 1
    assert wrong.stderr == "That passphrase doesn't open this journal. Check it and try again.\n"
    usage = _afterglow("frobnicate")
    assert usage.returncode == 2 and "invalid choice" in usage.stderr
    version = _afterglow("--version")
    assert version.stdout.strip() == f"Afterglow {__version__}"
    for result in (created, added, found, wrong, usage):
        assert "Traceback" not in result.stderr


# --- sharing -------------------------------------------------------------------


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    from journal.core.journal.demo import populate
    from journal.core.vault import vault as vaults

    path = tmp_path / "demo" / "journal.vault"
    vault, _ = vaults.create(path, PASSPHRASE, kdf=FAST_KDF)
    populate(vault)
    vault.close()
    return path


def test_export_with_share_code_then_verify(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "for-thursday.agb"
    result = cli(demo_file, "export", "--out", str(out), "--share-code", stdin=PASSPHRASE + "\n")
    assert result.code == 0, result.err
    code = result.out.strip()
    assert len(code.split("-")) == 6
    assert "in person or by phone" in result.err
    assert out.stat().st_mode & 0o077 == 0
    verified = cli(demo_file, "bundle", "verify", str(out), stdin=code + "\n")
    assert verified.code == 0, verified.err
    assert "format version 1" in verified.out and "4 sessions" in verified.out
    assert "questionnaires: EBI (version 1), GAD-7 (version 1), PHQ-9 (version 1)" in verified.out
    assert "all" in verified.out and "checksums" in verified.out
    assert "ceiling" not in verified.out  # a summary, never content
    wrong = cli(demo_file, "bundle", "verify", str(out), stdin="wrong words\n")
    assert wrong.code == 1 and "share code doesn't open" in wrong.err
    # Since the last export, nothing new: a clear message, no file.
    again = cli(
        demo_file,
        "export",
        "--out",
        str(tmp_path / "b.agb"),
        "--share-code",
        stdin=PASSPHRASE + "\n",
    )
    assert again.code == 1 and "nothing to share" in again.err
    assert not (tmp_path / "b.agb").exists()


def test_export_to_a_therapist_key_and_a_protected_pdf(demo_file: Path, tmp_path: Path) -> None:
    import io

    import pypdf
    import pyrage

    from journal.core.vault import vault as vaults

    therapist_path = tmp_path / "therapist" / "t.vault"
    therapist, _ = vaults.create(therapist_path, "quiet reading lamp evening", kdf=FAST_KDF)
    key = therapist.keys.create_identity()
    therapist.close()
    out, pdf = tmp_path / "x.agb", tmp_path / "x.pdf"
    result = cli(
        demo_file,
        "export",
        "--out",
        str(out),
        "--to",
        key.recipient,
        "--sessions",
        "1..2",
        "--pdf",
        str(pdf),
        stdin=PASSPHRASE + "\n",
    )
    assert result.code == 0, result.err
    password = result.out.strip().splitlines()[-1]
    assert len(password.split()) == 8
    assert "only as strong as that password" in result.err
    reader = pypdf.PdfReader(io.BytesIO(pdf.read_bytes()))
    assert reader.is_encrypted and not reader.decrypt("wrong")
    assert reader.decrypt(password)
    text = " ".join(reader.pages[0].extract_text().split())
    assert "What I'd like to talk about" in text or "Journal shared for therapy" in text
    verified = cli(
        therapist_path, "bundle", "verify", str(out), stdin="quiet reading lamp evening\n"
    )
    assert verified.code == 0, verified.err
    assert "2 sessions" in verified.out
    with pytest.raises(pyrage.DecryptError):
        pyrage.passphrase.decrypt(out.read_bytes(), "anything")


def test_export_refuses_a_bad_key_and_bad_ranges(demo_file: Path, tmp_path: Path) -> None:
    bad = cli(
        demo_file,
        "export",
        "--out",
        str(tmp_path / "x.agb"),
        "--to",
        "age1nope",
        stdin=PASSPHRASE + "\n",
    )
    assert bad.code == 1 and "age1" in bad.err
    assert (
        cli(demo_file, "export", "--out", "x.agb", "--share-code", "--sessions", "5..2").code == 2
    )
    assert cli(demo_file, "export", "--out", "x.agb").code == 2
    assert not (tmp_path / "x.agb").exists()


def test_verify_refuses_junk(tmp_path: Path) -> None:
    junk = tmp_path / "junk.agb"
    junk.write_bytes(b"not a bundle at all")
    result = cli(tmp_path / "none.vault", "bundle", "verify", str(junk), stdin="x\n")
    assert result.code == 1 and "not an Afterglow bundle" in result.err
