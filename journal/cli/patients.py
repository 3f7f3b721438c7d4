"""The therapist's workspace: `key`, `patients list|keep|show|rename|remove`.

A workspace is made with `afterglow init --therapist`. Bundles kept are
stored inside it (encrypted); names given to patients stay in it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from journal.cli.commands import Commands, open_vault
from journal.cli.console import EXIT_OK, Console, terminal_safe
from journal.core.errors import InvalidInput, NotFound
from journal.core.text import count, day

if TYPE_CHECKING:
    from journal.core.vault.repositories.workspace import Patient
    from journal.core.vault.vault import Vault


def add_commands(commands: Commands) -> None:
    commands.add(
        "key",
        cmd_key,
        "print your public sharing key (age1…) to give to patients, creating it if needed",
    )
    patients = commands.add(
        "patients", cmd_patients, "a therapist's workspace: the patients and their bundles"
    )
    actions = patients.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="every patient, with their bundles")
    keep = actions.add_parser(
        "keep", help="keep a bundle in the workspace (the .agb file may then be deleted)"
    )
    keep.add_argument("file", metavar="FILE.agb")
    group = keep.add_mutually_exclusive_group()
    group.add_argument(
        "--patient",
        metavar="NAME",
        help="an older bundle without a patient id: put it with this patient",
    )
    group.add_argument("--as", dest="new_name", metavar="NAME", help="the name of a new patient")
    actions.add_parser("show", help="a patient across every bundle kept").add_argument("name")
    rename = actions.add_parser("rename", help="give a patient another name")
    rename.add_argument("old")
    rename.add_argument("new")
    remove = actions.add_parser(
        "remove", help="delete every bundle and note of a patient from the workspace"
    )
    remove.add_argument("name")
    remove.add_argument("--yes", action="store_true", help="do not ask to confirm")


def cmd_key(args: argparse.Namespace, console: Console) -> int:
    with open_vault(args, console) as vault:
        keys = vault.keys.sharing_keys() or [vault.keys.create_identity()]
    console.out(keys[0].recipient)
    console.err(
        "Give this key to your patients: Afterglow then encrypts their bundles for your "
        "workspace only. It is public; it cannot open anything by itself."
    )
    return EXIT_OK


def cmd_patients(args: argparse.Namespace, console: Console) -> int:
    handler = {
        "list": _list,
        "keep": _keep,
        "show": _show,
        "rename": _rename,
        "remove": _remove,
    }[args.action]
    if args.action == "keep":
        from journal.cli.sharing import checked_bundle_path

        checked_bundle_path(args.file)  # a sentence before the passphrase is asked
    with open_vault(args, console) as vault:
        from journal.core.workspace.keeping import require_workspace

        require_workspace(vault)
        handler(vault, args, console)
    return EXIT_OK


def _named(vault: Vault, name: str) -> Patient:
    found = vault.workspace.by_name(name)
    if found is None:
        raise NotFound(
            f"There is no patient called “{terminal_safe(name)}” in this workspace; "
            "`afterglow patients list` shows their names."
        )
    return found


def _list(vault: Vault, _args: argparse.Namespace, console: Console) -> None:
    patients = vault.workspace.patients()
    if not patients:
        console.out("No patients yet. Keep a bundle with `afterglow patients keep FILE.agb`.")
        return
    for patient in patients:
        newest = f", newest made {day(patient.last_made_at)}" if patient.last_made_at else ""
        console.out(f"{terminal_safe(patient.name)}: {count(patient.bundles, 'bundle')}{newest}")


def _keep(vault: Vault, args: argparse.Namespace, console: Console) -> None:
    from journal.core.sharing import bundle
    from journal.core.workspace import keeping

    data = bundle.load(Path(args.file))
    code = console.secret("Share code: ") if bundle.needs_share_code(data) else None
    opened = keeping.open_file(vault, data, share_code=code)
    chosen = _named(vault, args.patient).id if args.patient else None
    kept = keeping.keep(vault, opened, patient_id=chosen, new_name=args.new_name)
    name = terminal_safe(kept.patient.name)
    if kept.already:
        console.out(f"This bundle was kept already, under {name}; nothing changed.")
        return
    made = day(opened.content.created_at)
    if kept.new_patient:
        console.out(f"Kept the bundle made {made} under a new patient, {name}.")
        console.err(
            f"Give them a name you will recognise: afterglow patients rename “{name}” NAME "
            "(names stay in this workspace)."
        )
    else:
        console.out(
            f"Kept the bundle made {made} under {name} "
            f"({count(kept.patient.bundles, 'bundle')} now)."
        )
    console.err(f"Everything is inside the workspace now; you can delete {Path(args.file).name}.")


def _show(vault: Vault, args: argparse.Namespace, console: Console) -> None:
    from journal.core.workspace.view import patient_view

    view = patient_view(vault, _named(vault, args.name).id)
    content = view.content
    console.out(terminal_safe(view.patient.name))
    console.out(
        f"{count(len(view.bundles), 'bundle')}: "
        + ", ".join(f"made {day(b.made_at)}" for b in view.bundles)
    )
    console.out(
        f"Across them: {count(len(content.sessions), 'session')}, "
        f"{count(len(content.entries), 'entry')}, {count(len(content.checkins), 'check-in')}."
    )
    if view.new.since is not None:
        console.out()
        console.out(f"New since the bundle made {day(view.new.since)}:")
        if view.new.empty:
            console.out("  nothing new")
        for session in view.new.sessions:
            console.out(f"  session of {day(session.started_at)}")
        for entry in view.new.entries:
            title = entry.title or entry.phase.label
            console.out(f"  entry: {terminal_safe(title)} ({day(entry.created_at)})")
        for checkin in view.new.checkins:
            console.out(f"  check-in: {terminal_safe(checkin.kind)} ({day(checkin.taken_at)})")
    standings = [s for s in content.standings if s.sentence]
    if standings:
        console.out()
        console.out("Measures:")
        for standing in standings:
            console.out(f"  {terminal_safe(standing.sentence)}")
    if view.agenda:
        console.out()
        console.out("On the agenda:")
        for item in view.agenda:
            console.out(f"  [{'x' if item.discussed else ' '}] {terminal_safe(item.text)}")
    if view.notes:
        console.out()
        console.out("Your appointment notes:")
        for note in view.notes:
            console.out(f"  {note.day.isoformat()}")
            for line in note.body.splitlines():
                console.out(f"    {terminal_safe(line)}")


def _rename(vault: Vault, args: argparse.Namespace, console: Console) -> None:
    patient = vault.workspace.rename(_named(vault, args.old).id, args.new)
    console.out(f"Renamed to {terminal_safe(patient.name)}.")


def _remove(vault: Vault, args: argparse.Namespace, console: Console) -> None:
    patient = _named(vault, args.name)
    notes = len(vault.workspace.notes(patient.id))
    what = (
        f"{count(patient.bundles, 'bundle')} and {count(notes, 'appointment note')} "
        f"of {terminal_safe(patient.name)}"
    )
    if not args.yes:
        answer = console.ask(f"Delete {what} from this workspace for good? Type yes: ")
        if answer.strip().casefold() != "yes":
            raise InvalidInput("Nothing was removed.")
    vault.workspace.remove(patient.id)
    console.out(f"Removed {what}.")
