"""The `afterglow` command builds only the chosen command's group, and a
command that never loaded Qt leaves with its output whole."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from journal import cli
from journal.cli import parsing
from journal.cli.commands import Commands


def _names_added_by(group: str) -> list[str]:
    commands = Commands(argparse.ArgumentParser())
    importlib.import_module(f"journal.cli.{group}").add_commands(commands)
    return list(commands.names)


@pytest.mark.parametrize("group", list(cli.COMMANDS))
def test_the_table_names_what_each_group_adds(group: str) -> None:
    assert sorted(cli.COMMANDS[group]) == sorted(_names_added_by(group))


def test_every_group_module_is_in_the_table() -> None:
    modules = {
        p.stem
        for p in Path(cli.__file__).parent.glob("*.py")
        if "def add_commands" in p.read_text(encoding="utf-8")
    }
    assert modules == set(cli.COMMANDS)


@pytest.mark.parametrize(
    ("words", "groups"),
    [
        (["search", "whale"], ("journal",)),
        (["--vault", "search", "check"], ("vault",)),  # "search" is the vault's path here
        (["--vault=x", "export-all", "--out", "y"], ("safekeeping",)),
        ([], ()),
        (["--demo"], ()),
        (["--help"], tuple(cli.COMMANDS)),
        (["add", "-h"], tuple(cli.COMMANDS)),
        (["frobnicate"], tuple(cli.COMMANDS)),
    ],
)
def test_groups_for_a_command_line(words: list[str], groups: tuple[str, ...]) -> None:
    assert cli.groups_for(words) == groups


def test_a_bundle_file_alone_means_open(tmp_path: Path) -> None:
    assert cli.with_open_command(["for-thursday.agb"]) == ["open", "for-thursday.agb"]
    existing = tmp_path / "notes"
    existing.write_text("x", encoding="utf-8")
    assert cli.with_open_command(["--vault", "v", str(existing)]) == [
        "--vault",
        "v",
        "open",
        str(existing),
    ]
    assert cli.with_open_command(["serch", "x"]) == ["serch", "x"]  # a typo stays one
    assert cli.groups_for(cli.with_open_command(["x.agb"])) == ("sharing",)


def test_a_parser_of_one_group_has_only_its_commands() -> None:
    parser = parsing.build_parser(("journal",))
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(subparsers.choices) == {"add", "search"}


def test_the_whole_help_lists_every_command_and_the_default_vault() -> None:
    text = parsing.build_parser().format_help()
    for names in cli.COMMANDS.values():
        for name in names:
            assert name in text
    assert "default: $AFTERGLOW_VAULT or" in text


@pytest.mark.slow
def test_a_real_process_flushes_everything_before_it_leaves(tmp_path: Path) -> None:
    """`main` ends the process with os._exit: what it printed must all arrive,
    through a pipe, and the exit status must be the command's."""
    expected = parsing.build_parser().format_help()
    shown = subprocess.run(
        [sys.executable, "-m", "journal", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (shown.returncode, shown.stdout) == (0, expected)
    missing = subprocess.run(
        [sys.executable, "-m", "journal", "--vault", str(tmp_path / "none.vault"), "check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert missing.returncode == 1 and missing.stderr.startswith("There is no vault here yet.")


@pytest.mark.parametrize(
    "words",
    [
        [],
        ["--demo"],
        ["--vault", "journal.vault"],
        ["--vault", "~/somewhere/ünïcode journal.vault"],
        ["--vault", ""],
        ["--vault=journal.vault"],
        ["--vault=-odd-name"],
        ["--vault="],
    ],
)
def test_the_app_s_own_forms_are_read_as_argparse_reads_them(words: list[str]) -> None:
    """`app_arguments` reads these without argparse; both must agree."""
    args = parsing.build_parser().parse_args(words)
    assert args.handler is cli.cmd_gui
    assert cli.app_arguments(words) == (args.vault, args.demo)


@pytest.mark.parametrize(
    "words",
    [
        ["--vault"],
        ["--vault", "-x"],
        ["--demo", "--vault", "v"],
        ["--vau", "v"],
        ["-h"],
        ["--version"],
        ["search", "x"],
        ["--install-desktop-integration"],
    ],
)
def test_anything_else_goes_to_argparse(words: list[str]) -> None:
    assert cli.app_arguments(words) is None


def test_opening_the_app_loads_no_argparse() -> None:
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, journal.cli; "
            "journal.cli.open_app = lambda vault, demo: print(vault, demo, flush=True) or 0; "
            "status = journal.cli.main(['--vault', 'v'], leave=False); "
            "print('argparse' in sys.modules, status)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert shown.stdout.split() == ["v", "False", "False", "0"]
