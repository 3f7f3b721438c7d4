"""The `afterglow` command's argparse parser: the app's options and the
sub-commands of the groups asked for.

Loaded only for a command (or help, or a word that is no command):
`afterglow`, `afterglow --demo` and `afterglow --vault PATH` open the app
without it (`journal.cli.app_arguments`): building even an empty parser
costs the window's start ~2 ms (argparse itself PySide6 imports anyway).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from journal import __version__
from journal.cli import COMMANDS, cmd_gui, cmd_install_desktop, cmd_remove_desktop
from journal.cli.commands import Commands
from journal.core.vault.paths import VAULT_ENV, default_vault_path


def _columns() -> int:
    """The terminal's width, found as `shutil.get_terminal_size` finds it."""
    with contextlib.suppress(KeyError, ValueError):
        if (columns := int(os.environ["COLUMNS"])) > 0:
            return columns
    stdout = sys.__stdout__
    try:
        return os.get_terminal_size(stdout.fileno()).columns or 80 if stdout else 80
    except (ValueError, OSError):
        return 80


class _Formatter(argparse.HelpFormatter):
    """argparse makes a formatter for every argument added (to check its
    metavar); the stock one imports `shutil` (and bz2, lzma) each run to ask
    the terminal's width, a few ms of every command's start."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_columns() - 2)  # as argparse leaves a margin


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose sub-parsers (made as its type) share `_Formatter`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def build_parser(groups: Sequence[str] = tuple(COMMANDS)) -> argparse.ArgumentParser:
    """The parser with the commands of ``groups`` (all of them unless told)."""
    whole = len(groups) == len(COMMANDS)
    parser = _Parser(
        prog="afterglow",
        description="Afterglow: an encrypted journal for ketamine-assisted therapy. "
        "Without a command it opens the desktop app.",
        epilog="Passphrases are read from the terminal, or one per line from standard input "
        "when it is not a terminal.",
    )
    parser.add_argument("--version", action="version", version=f"Afterglow {__version__}")
    parser.add_argument(
        "--vault",
        metavar="PATH",
        # The default is looked up only for the help people read.
        help=f"the vault file (default: ${VAULT_ENV} or {default_vault_path()})"
        if whole
        else "the vault file",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a temporary sample journal (clearly marked DEMO, deleted on exit)",
    )
    for flag, handler, text in (
        (
            "--install-desktop-integration",
            cmd_install_desktop,
            "put Afterglow in your applications menu and let .agb bundles open with it "
            "(files in ~/.local/share)",
        ),
        ("--remove-desktop-integration", cmd_remove_desktop, "take those files away again"),
    ):
        parser.add_argument(flag, dest="handler", action="store_const", const=handler, help=text)
    parser.set_defaults(handler=cmd_gui)
    commands = Commands(parser)
    for group in groups:
        importlib.import_module(f"journal.cli.{group}").add_commands(commands)
    return parser
