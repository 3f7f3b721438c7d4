"""The `afterglow` command: the desktop app by default, subcommands for scripts.

Each command group is a module of its own (`vault`, `journal`, `templates`,
`safekeeping`, `importing`, `checkins`, `instruments`, `sharing`, `patients`,
`sync`)
that adds its sub-commands. This module knows which group has which command
(`COMMANDS`), so a command imports and builds only its own group: `afterglow
search` does not pay for the parsers and imports of thirty other commands.
``--help`` and a word that is no command build them all.

Once a command has run without Qt, the process leaves with `os._exit` after
flushing its output: the vault is closed by then (every handler uses it in a
``with``), and the interpreter's teardown of modules it will never use again
is a fifth of a short command's time.

Passphrases and recovery codes come from the terminal, or — when standard
input is not a terminal — from its first lines, one secret per line. They are
never read from arguments or the environment (both leak into process lists
and shell history).

Exit status: 0 success, 1 a failure the person can act on (one sentence on
stderr), 2 a usage error, 70 a bug in Afterglow.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from journal.cli.commands import vault_path_from
from journal.cli.console import EXIT_BUG, EXIT_FAILED, Console
from journal.core.errors import JournalError
from journal.core.hardening import disable_core_dumps, install_quiet_excepthook

if TYPE_CHECKING:  # argparse is loaded for commands only (journal.cli.parsing)
    import argparse

# Each group's commands, in the order `--help` lists the groups. A test checks
# this against what each group module adds.
COMMANDS: dict[str, tuple[str, ...]] = {
    "vault": ("init", "passwd", "recover", "check"),
    "journal": ("add", "search"),
    "templates": ("templates",),
    "safekeeping": ("export-all", "backup", "restore"),
    "importing": ("import",),
    "checkins": ("checkin",),
    "instruments": ("instruments",),
    "sharing": ("export", "bundle", "open"),
    "patients": ("key", "patients"),
    "sync": ("sync",),
}
GROUP_OF = {name: group for group, names in COMMANDS.items() for name in names}

__all__ = ["Console", "app_arguments", "main", "run"]


def cmd_gui(args: argparse.Namespace, console: Console) -> int:
    """No command: the desktop app."""
    return open_app(args.vault, demo=args.demo)


def open_app(vault: str | None, *, demo: bool) -> int:
    """The desktop app on the vault ``vault`` names (the default one if
    none), or the demo."""
    try:
        from journal.ui.app import run as run_app
        from journal.ui.app import run_demo
    except ImportError as error:
        raise JournalError(
            f"The desktop app cannot start: a Qt library is missing ({error.name or error}). "
            "Install Afterglow with its dependencies, or use the commands in `afterglow --help`."
        ) from None
    if demo:  # its own folder: the default vault path (platformdirs, ~3 ms) is not looked up
        return run_demo()
    return run_app(vault_path_from(vault))


def cmd_install_desktop(args: argparse.Namespace, console: Console) -> int:
    from journal.cli import desktop

    return desktop.cmd_install(args, console)


def cmd_remove_desktop(args: argparse.Namespace, console: Console) -> int:
    from journal.cli import desktop

    return desktop.cmd_remove(args, console)


def _first_word(words: Sequence[str]) -> int | None:
    """Where the first word that is no option (nor ``--vault``'s value) is."""
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--vault":
            index += 2
        elif word.startswith("-"):
            index += 1
        else:
            return index
    return None


def with_open_command(argv: Sequence[str]) -> list[str]:
    """``afterglow FILE.agb`` (a desktop entry's ``Exec=afterglow %f``) means
    ``afterglow open FILE.agb``: a first argument that is no command, and is
    a file or ends in ``.agb``, is the bundle (a mistyped command stays one)."""
    words = list(argv)
    index = _first_word(words)
    if index is not None:
        word = words[index]
        if word not in GROUP_OF and (word.lower().endswith(".agb") or Path(word).exists()):
            words.insert(index, "open")
    return words


def groups_for(words: Sequence[str]) -> tuple[str, ...]:
    """The command groups ``words`` need: the chosen command's, none for the
    app itself, every group for help or a word that is no command (so the
    error lists them all)."""
    if "-h" in words or "--help" in words:
        return tuple(COMMANDS)
    index = _first_word(words)
    if index is None:
        return ()
    group = GROUP_OF.get(words[index])
    return (group,) if group else tuple(COMMANDS)


def app_arguments(words: Sequence[str]) -> tuple[str | None, bool] | None:
    """The vault and the demo flag of a command line that only opens the
    app — ``afterglow``, ``afterglow --demo``, ``afterglow --vault PATH`` (or
    ``--vault=PATH``) — read without building argparse's parser (~2 ms of the
    window's start); None for anything else, which argparse reads (a test
    checks both agree on every form read here)."""
    match list(words):
        case []:
            return None, False
        case ["--demo"]:
            return None, True
        case ["--vault", path] if not path.startswith("-"):
            return path, False
        case [word] if word.startswith("--vault="):
            return word.removeprefix("--vault="), False
    return None


def run(argv: Sequence[str] | None, console: Console) -> int:
    """Parse ``argv`` and run the command; returns the exit status."""
    words = with_open_command(sys.argv[1:] if argv is None else argv)
    app = app_arguments(words)
    if app is not None:
        vault, demo = app
        return _reported(lambda: open_app(vault, demo=demo), console)
    from journal.cli.parsing import build_parser

    parser = build_parser(groups_for(words))
    try:
        args = parser.parse_args(words)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return _reported(lambda: int(args.handler(args, console)), console)


def _reported(command: Callable[[], int], console: Console) -> int:
    """Run ``command``; what went wrong becomes one sentence and a status."""
    try:
        return command()
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


def main(argv: Sequence[str] | None = None, *, leave: bool = True) -> int:
    """The `afterglow` command. With ``leave`` (the default) a command that
    never loaded Qt ends the process itself once its output is flushed."""
    disable_core_dumps()
    install_quiet_excepthook()
    words = sys.argv[1:] if argv is None else list(argv)
    if words == ["_report-pdf"]:  # journal.pdf.RENDER_COMMAND, without importing Qt here
        from journal.pdf import render_child

        return render_child()
    console = Console(sys.stdin, sys.stdout, sys.stderr, stdin_is_tty=sys.stdin.isatty())
    status = run(argv, console)
    if leave and "PySide6" not in sys.modules:
        # Qt's objects (QSettings among them) save in their destructors, so
        # the app and the reader leave the ordinary way.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to say
                stream.flush()
        os._exit(status)
    return status
