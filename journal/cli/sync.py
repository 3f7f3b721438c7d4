"""Sync through a folder another program moves: `afterglow sync …` (set up, join, remove…).

Afterglow never talks to a server: these commands write sealed files into a
folder that Syncthing, Nextcloud, Dropbox or a USB stick carries between
computers, and merge what the other computers wrote there
(`journal.core.sync`, `docs/sync.md`). What they print is about sync only —
counts, device names, folders — never an entry's content.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from journal.cli.commands import WORKSPACE, Commands, existing_vault_path, positive, vault_path
from journal.cli.console import EXIT_OK, Console, terminal_safe
from journal.core.errors import InvalidInput, NotFound, VaultExists
from journal.core.text import count
from journal.core.vault.paths import VaultPaths

if TYPE_CHECKING:
    from journal.core.sync.changes import Value
    from journal.core.sync.engine import SyncReport
    from journal.core.sync.status import SyncStatus
    from journal.core.vault.vault import Vault

Conflict = tuple[str, str, str, list["Value"]]  # as `merge.conflicts` gives them

# What a conflict's text is, by table and field, as a person would say it.
_WHAT = {
    ("sessions", "notes"): "the notes of session {id}",
    ("sessions", "intention"): "the intention of session {id}",
    ("entries", "title"): "the title of entry {id}",
    ("answers", "body"): "an answer in entry {id}",
    ("motifs", "feeling"): "the feeling of motif {id}",
    ("motifs", "meaning"): "the meaning of motif {id}",
    ("checkins", "note"): "the note of check-in {id}",
}


def add_commands(commands: Commands) -> None:
    sync = commands.add(
        "sync",
        cmd_sync,
        "sync this journal through a folder that Syncthing, Nextcloud, Dropbox or a USB "
        "stick moves between your computers (end-to-end encrypted; see docs/sync.md)",
    )
    actions = sync.add_subparsers(dest="action", metavar="ACTION", required=True)
    setup = actions.add_parser(
        "setup", help="start syncing this journal through FOLDER (the first computer)"
    )
    setup.add_argument("folder", metavar="FOLDER", help="a folder your sync app shares")
    setup.add_argument("--name", help="this computer's name (default: its host name)")
    setup.add_argument(
        "--with-recovery-code",
        action="store_true",
        help="let other computers join with the recovery code too (asked after the passphrase)",
    )
    join = actions.add_parser(
        "join",
        help="make this computer's vault from the journal synced in FOLDER (the next computers)",
    )
    join.add_argument("folder", metavar="FOLDER", help="the same shared folder, on this computer")
    join.add_argument("--name", help="this computer's name (default: its host name)")
    join.add_argument(
        "--recovery-code",
        action="store_true",
        help="join with the recovery code instead of the passphrase (asked, never an argument)",
    )
    actions.add_parser("now", help="sync once: write what changed here, merge what others wrote")
    actions.add_parser("status", help="where this journal syncs, when it last did, what waits")
    actions.add_parser("devices", help="the computers that share this journal")
    remove = actions.add_parser(
        "remove",
        help="remove a lost or retired computer: it reads nothing written from now on",
    )
    remove.add_argument("computer", metavar="NAME", help="its name, as `sync devices` shows it")
    remove.add_argument(
        "--with-recovery-code",
        action="store_true",
        help="let new computers still join with the recovery code (asked after the passphrase)",
    )
    conflicts = actions.add_parser(
        "conflicts",
        help="texts changed on two computers: list them, or keep one version "
        "(`sync conflicts N --keep V`)",
    )
    conflicts.add_argument(
        "number", metavar="N", nargs="?", type=positive, help="the conflict to decide"
    )
    conflicts.add_argument(
        "--keep", metavar="V", type=positive, help="the version of conflict N to keep"
    )


def cmd_sync(args: argparse.Namespace, console: Console) -> int:
    handler = {
        "setup": _setup,
        "join": _join,
        "now": _now,
        "status": _status,
        "devices": _devices,
        "remove": _remove,
        "conflicts": _conflicts,
    }[args.action]
    handler(args, console)
    return EXIT_OK


def _device_name(args: argparse.Namespace) -> str:
    from journal.core.sync.config import this_computer

    return str(args.name) if args.name is not None else this_computer()


def _folder(args: argparse.Namespace) -> Path:
    return Path(args.folder).expanduser().absolute()


def _unlocked(path: Path, passphrase: str) -> Vault:
    from journal.core.vault import vault as vaults

    vault = vaults.unlock(path, passphrase)
    if vault.is_workspace:
        vault.close()
        raise InvalidInput(WORKSPACE)
    return vault


def _open(args: argparse.Namespace, console: Console) -> Vault:
    return _unlocked(existing_vault_path(args), console.secret("Passphrase: "))


def _setup(args: argparse.Namespace, console: Console) -> None:
    from journal.core.sync import joining
    from journal.core.vault import keyfile as kf

    path = existing_vault_path(args)
    root = _folder(args)
    passphrase = console.secret("Passphrase: ")
    code = console.secret("Recovery code: ") if args.with_recovery_code else None
    with _unlocked(path, passphrase) as vault:
        report = joining.setup(
            vault,
            root,
            device_name=_device_name(args),
            passphrase=passphrase,
            recovery_code=code,
            kdf=kf.DEFAULT_KDF,
        )
        name = terminal_safe(_config_name(vault))
    console.out(f"This journal now syncs through {root} as “{name}”.")
    console.out(f"Wrote {count(report.sent, 'change')} there, encrypted.")
    _say_problems(report.problems, console)
    how = "its passphrase or recovery code" if code else "its passphrase"
    console.out(
        f"On your other computer, once your sync app has brought the folder there, run "
        f"`afterglow sync join FOLDER` with {how}."
    )


def _config_name(vault: Vault) -> str:
    from journal.core.sync.config import load_config

    return load_config(vault.db).device_name


def _join(args: argparse.Namespace, console: Console) -> None:
    from journal.core.sync import joining

    path = vault_path(args)
    if VaultPaths(path).exists():
        raise VaultExists(
            f"A vault already exists at {path}, so nothing was joined. Choose another "
            "place with --vault, or use `afterglow sync setup` on that journal instead."
        )
    root = _folder(args)
    prompt = "Recovery code: " if args.recovery_code else "Passphrase: "
    secret = console.secret(prompt)
    vault, report = joining.join(
        root, path, secret, device_name=_device_name(args), recovery=args.recovery_code
    )
    with vault:
        name = terminal_safe(_config_name(vault))
    console.out(f"Joined the journal synced in {root} as “{name}”.")
    console.out(
        f"Your vault is at {path}; the same passphrase and recovery code as on your "
        "other computer open it."
    )
    console.out(f"Received {count(report.received, 'change')}.")
    _say_waiting(report, console)
    _say_problems(report.problems, console)


def _now(args: argparse.Namespace, console: Console) -> None:
    from journal.core.sync import engine

    with _open(args, console) as vault:
        report = engine.sync_now(vault)
    console.out(
        f"Synced: sent {count(report.sent, 'change')}, received "
        f"{count(report.received, 'change')}; {count(len(report.devices), 'other computer')} "
        "in the folder."
    )
    _say_waiting(report, console)
    _say_problems(report.problems, console)


def _say_waiting(report: SyncReport, console: Console) -> None:
    if report.waiting:
        console.out(
            f"{count(report.waiting, 'file')} from other computers wait for earlier ones "
            "your sync app has not brought yet."
        )
    if report.pending:
        console.out(
            f"{count(report.pending, 'record')} wait for what they need to arrive "
            "(an entry, an attachment's bytes)."
        )
    if report.conflicts:
        console.out(
            f"{count(report.conflicts, 'text')} changed on two computers: both versions are "
            "kept until you choose (`afterglow sync conflicts`)."
        )


def _say_problems(problems: list[str], console: Console) -> None:
    for problem in problems:
        console.err(problem)


def _when(stamp: str) -> str:
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return "at an unknown time"
    return f"{moment.astimezone():%d %B %Y at %H:%M}".lstrip("0")


def _shown_status(args: argparse.Namespace, console: Console) -> SyncStatus | None:
    """The journal's sync status; None (said so) if it does not sync."""
    from journal.core.sync import status

    with _open(args, console) as vault:
        shown = status.status(vault.db)
    if not shown.set_up:
        console.out(
            "This journal does not sync through a folder. Start with `afterglow sync setup FOLDER`."
        )
        return None
    return shown


def _status(args: argparse.Namespace, console: Console) -> None:
    shown = _shown_status(args, console)
    if shown is None:
        return
    console.out(
        f"This journal syncs through {terminal_safe(shown.folder)} as "
        f"“{terminal_safe(shown.device_name)}”."
    )
    console.out(
        f"Last synced {_when(shown.last_synced)}." if shown.last_synced else "Not synced yet."
    )
    others = ", ".join(f"“{terminal_safe(d.name)}”" for d in shown.devices)
    console.out(
        f"{count(len(shown.devices), 'other computer')} seen"
        + (f": {others}." if others else " yet.")
    )
    console.out(
        f"{count(shown.to_send, 'change')} made here wait for the next sync."
        if shown.to_send
        else "Everything made here is in the folder."
    )
    if shown.pending:
        console.out(f"{count(shown.pending, 'record')} received wait for what they need.")
    console.out(
        f"{count(shown.conflicts, 'conflict')} to decide"
        + (" (`afterglow sync conflicts`)." if shown.conflicts else ".")
    )
    _say_problems(shown.problems, console)


def _devices(args: argparse.Namespace, console: Console) -> None:
    shown = _shown_status(args, console)
    if shown is None:
        return
    console.out(f"“{terminal_safe(shown.device_name)}”: this computer.")
    for device in shown.devices:
        seen = f"last read from {_when(device.last_seen)}" if device.last_seen else "not read yet"
        console.out(
            f"“{terminal_safe(device.name)}”: {seen}, {count(device.applied, 'file')} applied."
        )
    if not shown.devices:
        console.out(
            "No other computer has joined yet (or its files have not arrived in the folder)."
        )


def _remove(args: argparse.Namespace, console: Console) -> None:
    from journal.core.sync import devices, status
    from journal.core.vault import keyfile as kf

    path = existing_vault_path(args)
    passphrase = console.secret("Passphrase: ")
    code = console.secret("Recovery code: ") if args.with_recovery_code else None
    with _unlocked(path, passphrase) as vault:
        wanted = str(args.computer).strip().casefold()
        found = [d for d in status.devices(vault.db) if d.name.casefold() == wanted]
        if len(found) != 1:
            raise NotFound(
                f"{count(len(found), 'other computer')} of this journal "
                f"{'is' if len(found) == 1 else 'are'} called “{terminal_safe(args.computer)}”, "
                "so nothing was changed. `afterglow sync devices` lists their names."
            )
        devices.remove_device(
            vault, found[0].device, passphrase=passphrase, recovery_code=code, kdf=kf.DEFAULT_KDF
        )
    console.out(
        f"Removed “{terminal_safe(found[0].name)}”: it reads nothing written from now on. "
        "What it already has stays on it; if whoever has it may know your passphrase, "
        "change it with `afterglow passwd`."
    )


def _conflicts(args: argparse.Namespace, console: Console) -> None:
    from journal.core.errors import SyncNotSetUp
    from journal.core.sync import merge
    from journal.core.sync.config import is_set_up, load_config

    if args.keep is not None and args.number is None:
        raise InvalidInput("Say which conflict: `afterglow sync conflicts N --keep V`.")
    with _open(args, console) as vault:
        db = vault.db
        if not is_set_up(db):
            raise SyncNotSetUp()
        found = merge.conflicts(db)
        if args.number is None:
            _list_conflicts(vault, found, console)
            return
        if args.number > len(found):
            raise NotFound(
                f"There is no conflict {args.number}; `afterglow sync conflicts` lists "
                f"{count(len(found), 'conflict')}."
            )
        table, gid, field, versions = found[args.number - 1]
        if args.keep is None:
            console.out(_conflict_line(vault, args.number, found[args.number - 1]))
            console.out(f"Keep one with `afterglow sync conflicts {args.number} --keep V`.")
            return
        if args.keep > len(versions):
            raise InvalidInput(
                f"Conflict {args.number} has {count(len(versions), 'version')}; "
                "nothing was changed."
            )
        merge.choose(db, load_config(db).device, table, gid, field, versions[args.keep - 1])
    console.out(
        f"Kept version {args.keep} of conflict {args.number}; the others are gone. "
        "Your other computers get it with the next `afterglow sync now`."
    )


def _list_conflicts(vault: Vault, found: list[Conflict], console: Console) -> None:
    if not found:
        console.out("No conflicts to decide.")
        return
    console.out(
        f"{count(len(found), 'text')} changed on two computers before they saw each other's "
        "change. Version 1 is the one shown now; every version is kept until you choose."
    )
    for number, conflict in enumerate(found, start=1):
        console.out(_conflict_line(vault, number, conflict))
    console.out("Read them in the app, then keep one with `afterglow sync conflicts N --keep V`.")


def _conflict_line(vault: Vault, number: int, conflict: Conflict) -> str:
    table, gid, field, versions = conflict
    sizes = ", ".join(
        f"version {index}: {_size(value)}" for index, value in enumerate(versions, start=1)
    )
    return f"{number}. {_what(vault, table, gid, field)} — {sizes}."


def _size(value: object) -> str:
    if value is None or value == "":
        return "empty"
    return count(len(value), "character") if isinstance(value, str) else "not text"


def _what(vault: Vault, table: str, gid: str, field: str) -> str:
    from journal.core.sync import rows

    local = rows.local_for(vault.db, table, gid)
    if table == "answers" and local is not None:
        local = vault.db.scalar("SELECT entry_id FROM answers WHERE id = ?", (local,))
    template = _WHAT.get((table, field), f"the {field} of a record in {table}")
    if local is None:
        return template.replace(" {id}", " (not here yet)").replace("{id}", "")
    return template.format(id=local)
