"""Keeping the journal safe: `export-all`, `backup`, `restore`."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from journal.cli.commands import Commands, open_vault, vault_path
from journal.cli.console import EXIT_OK, Console
from journal.core.errors import InvalidInput
from journal.core.text import count

PLAIN_WARNING = (
    "This writes your whole journal — private entries included — as ordinary, "
    "UNENCRYPTED files that anyone with access to this computer or drive can read."
)


def add_commands(commands: Commands) -> None:
    export_all = commands.add(
        "export-all",
        cmd_export_all,
        "export the whole journal (private entries too) to keep: age-encrypted by default",
    )
    where = export_all.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", metavar="FILE.age", help="an encrypted archive (asks a passphrase)")
    where.add_argument("--plain", metavar="DIR", help="an UNENCRYPTED folder (asks to confirm)")
    export_all.add_argument(
        "--yes-unencrypted", action="store_true", help="confirm --plain without asking"
    )
    backup = commands.add("backup", cmd_backup, "make an encrypted backup now, or list the backups")
    backup.add_argument(
        "action", nargs="?", choices=["list"], help="list the backups instead of making one"
    )
    backup.add_argument(
        "--to", metavar="DIR", help="write the backup into DIR (a USB stick, for example)"
    )
    commands.add(
        "restore",
        cmd_restore,
        "replace the journal with a backup (checked first; the replaced journal is kept)",
    ).add_argument("backup", metavar="BACKUP", help="a name from `backup list`, or a folder")


def cmd_backup(args: argparse.Namespace, console: Console) -> int:
    from journal.core.vault import backup

    path = vault_path(args)
    if args.action == "list":
        found = backup.list_backups(backup.backups_folder(path))
        if not found:
            console.out("No backups yet. `afterglow backup` makes one now.")
        for info in found:
            console.out(f"{info.name}  {backup.describe(info)}")
        return EXIT_OK
    with open_vault(args, console) as vault:
        if args.to:
            info = backup.make_backup(vault, Path(args.to).expanduser(), kind=backup.MANUAL)
        else:
            info = backup.make_backup(vault, backup.backups_folder(path), kind=backup.MANUAL)
    console.out(f"Backed up to {info.path}")
    console.out("It is encrypted: restoring it needs the passphrase you have today.")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, console: Console) -> int:
    from journal.core.vault import backup

    path = vault_path(args)
    given = Path(args.backup).expanduser()
    folder = given if given.is_dir() else backup.backups_folder(path) / args.backup
    if not folder.is_dir():
        raise InvalidInput(
            f"There is no backup called {args.backup}. `afterglow backup list` shows them."
        )
    backup.read_info(folder)  # not a backup: say so before asking for a passphrase
    passphrase = console.secret("Passphrase of the backup: ")
    kept = backup.restore(path, folder, passphrase)
    console.out(f"Restored the backup of {backup.describe(backup.read_info(folder))}.")
    if kept is not None:
        console.out(f"The journal it replaced is kept as backup {kept.name}.")
    return EXIT_OK


def cmd_export_all(args: argparse.Namespace, console: Console) -> int:
    from journal.core.sharing import archive

    now = datetime.now().astimezone()
    if args.plain:
        folder = Path(args.plain).expanduser()
        if not args.yes_unencrypted:
            console.err(PLAIN_WARNING)
            if not console.interactive:
                raise InvalidInput(
                    "Add --yes-unencrypted to confirm the unencrypted export; nothing was written."
                )
            answer = console.ask("Type YES to continue: ")
            if answer.strip() != "YES":
                raise InvalidInput("Not confirmed; nothing was written.")
        with open_vault(args, console) as vault:
            result = archive.export_plain(vault, folder, now=now)
        console.out(f"Wrote {count(result.entries, 'entry')}, unencrypted, to {result.path}")
        return EXIT_OK
    out = Path(args.out).expanduser()
    with open_vault(args, console) as vault:
        secret = console.secret(
            "Passphrase for the export: ", confirm="Repeat the passphrase for the export: "
        )
        result = archive.export_encrypted(vault, out, secret, now=now)
    console.out(f"Wrote {count(result.entries, 'entry')} to {result.path}, encrypted with age.")
    console.out(f"Open it anywhere with: age -d {out.name} > journal.zip && unzip journal.zip")
    return EXIT_OK
