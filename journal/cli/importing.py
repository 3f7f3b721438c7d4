"""`afterglow import PATH`: bring in a journal from another app, or
Afterglow's own export of everything. A preview first; nothing is written
until it is confirmed (``--yes`` for scripts) and never with ``--dry-run``."""

from __future__ import annotations

import argparse
from pathlib import Path

from journal.cli.commands import Commands, existing_vault_path
from journal.cli.console import EXIT_OK, Console
from journal.core.errors import InvalidInput

FORMATS = ("dayone", "jrnl", "minidiary", "markdown", "afterflow", "afterglow")


def add_commands(commands: Commands) -> None:
    command = commands.add(
        "import",
        cmd_import,
        "bring in entries from Day One, jrnl, Mini Diary, Markdown files or Afterflow, "
        "or an Afterglow export of everything (shows what it found first)",
    )
    command.add_argument("path", metavar="PATH", help="the exported file, or a folder of .md files")
    command.add_argument(
        "--format", choices=FORMATS, help="which app made it (found from the file when left out)"
    )
    command.add_argument(
        "--dry-run", action="store_true", help="show what would come in; change nothing"
    )
    command.add_argument("--yes", action="store_true", help="import without asking to confirm")
    command.add_argument(
        "--tags-as-motifs",
        action="store_true",
        help="make the entries' tags into motifs (kind: other) instead of a line of tags",
    )


def cmd_import(args: argparse.Namespace, console: Console) -> int:
    from journal.core.imports import afterglow, apply, sources
    from journal.core.imports.plan import Source
    from journal.core.vault import vault as vaults

    path = existing_vault_path(args)
    source = Source(args.format) if args.format else None
    target = Path(args.path).expanduser()
    try:
        plan = sources.read(target, source=source)
    except afterglow.PassphraseNeeded:
        passphrase = console.secret("Passphrase of the export: ")
        plan = sources.read(target, source=source, passphrase=passphrase)
    with vaults.unlock(path, console.secret("Passphrase: ")) as vault:
        preview = apply.preview(vault, plan)
        for line in preview.lines():
            console.out(line)
        if args.dry_run:
            console.out("Nothing was imported (--dry-run).")
            return EXIT_OK
        if not args.yes:
            answer = console.ask("Import this into your journal? Type YES to continue: ")
            if answer.strip().upper() != "YES":
                raise InvalidInput("Not confirmed; nothing was imported.")

        def progress(done: int, total: int) -> None:
            if total > 50 and (done == total or done % max(1, total // 20) == 0):
                console.err(f"Importing… {done * 100 // total}%")

        result = apply.apply(vault, plan, tags_as_motifs=args.tags_as_motifs, progress=progress)
    console.out(result.sentence())
    return EXIT_OK
