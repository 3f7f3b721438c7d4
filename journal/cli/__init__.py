"""The `afterglow` command: the desktop app by default, subcommands for scripts.

Each command group is a module of its own (`vault`, `journal`, `templates`,
`safekeeping`, `checkins`, `instruments`, `sharing`) that adds its sub-commands; this module
builds the parser from them and runs the chosen handler.

Passphrases and recovery codes come from the terminal, or — when standard
input is not a terminal — from its first lines, one secret per line. They are
never read from arguments or the environment (both leak into process lists
and shell history).

Exit status: 0 success, 1 a failure the person can act on (one sentence on
stderr), 2 a usage error, 70 a bug in Afterglow.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from journal import __version__
from journal.cli import (
    checkins,
    importing,
    instruments,
    journal,
    patients,
    safekeeping,
    sharing,
    templates,
    vault,
)
from journal.cli.commands import Commands, vault_path
from journal.cli.console import EXIT_BUG, EXIT_FAILED, Console
from journal.core.errors import JournalError
from journal.core.hardening import disable_core_dumps, install_quiet_excepthook
from journal.core.vault.paths import VAULT_ENV, default_vault_path

__all__ = ["Console", "build_parser", "main", "run"]


def cmd_gui(args: argparse.Namespace, console: Console) -> int:
    """No command: the desktop app."""
    try:
        from journal.ui.app import run as run_app
    except ImportError as error:
        raise JournalError(
            f"The desktop app cannot start: a Qt library is missing ({error.name or error}). "
            "Install Afterglow with its dependencies, or use the commands in `afterglow --help`."
        ) from None
    return run_app(vault_path(args), demo=args.demo)


def cmd_install_desktop(args: argparse.Namespace, console: Console) -> int:
    from journal.cli import desktop

    return desktop.cmd_install(args, console)


def cmd_remove_desktop(args: argparse.Namespace, console: Console) -> int:
    from journal.cli import desktop

    return desktop.cmd_remove(args, console)


def build_parser() -> argparse.ArgumentParser:
    return _build()[0]


def _build() -> tuple[argparse.ArgumentParser, set[str]]:
    """The parser, and the names of its commands."""
    parser = argparse.ArgumentParser(
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
        help=f"the vault file (default: ${VAULT_ENV} or {default_vault_path()})",
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
    for group in (
        vault,
        journal,
        templates,
        safekeeping,
        importing,
        checkins,
        instruments,
        sharing,
        patients,
    ):
        group.add_commands(commands)
    return parser, commands.names


def with_open_command(argv: Sequence[str], commands: set[str]) -> list[str]:
    """``afterglow FILE.agb`` (a desktop entry's ``Exec=afterglow %f``) means
    ``afterglow open FILE.agb``: a first argument that is no command, and is
    a file or ends in ``.agb``, is the bundle (a mistyped command stays one)."""
    words = list(argv)
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--vault":
            index += 2
            continue
        if word.startswith("-"):
            index += 1
            continue
        if word not in commands and (word.lower().endswith(".agb") or Path(word).exists()):
            words.insert(index, "open")
        break
    return words


def run(argv: Sequence[str] | None, console: Console) -> int:
    """Parse ``argv`` and run the command; returns the exit status."""
    parser, names = _build()
    words = sys.argv[1:] if argv is None else list(argv)
    try:
        args = parser.parse_args(with_open_command(words, names))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return int(args.handler(args, console))
    except JournalError as error:
        console.err(error.message)
        return EXIT_FAILED
    except KeyboardInterrupt:
        console.err("Stopped.")
        return EXIT_FAILED
    except Exception as error:  # a bug: say so, without content that may be in the message
        console.err(
            f"Afterglow hit an unexpected problem ({type(error).__name__}). This is a bug; "
            "please report it. Your saved entries are safe."
        )
        return EXIT_BUG


def main(argv: Sequence[str] | None = None) -> int:
    disable_core_dumps()
    install_quiet_excepthook()
    console = Console(sys.stdin, sys.stdout, sys.stderr, stdin_is_tty=sys.stdin.isatty())
    return run(argv, console)
