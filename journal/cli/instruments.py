"""Questionnaires: `instruments list|show|import|validate`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from journal.cli.commands import Commands, open_vault
from journal.cli.console import EXIT_OK, Console, terminal_safe
from journal.core.errors import InstrumentInvalid

if TYPE_CHECKING:
    from journal.core.checkins.definitions import Instrument


def add_commands(commands: Commands) -> None:
    group = commands.add(
        "instruments",
        cmd_instruments,
        "list or show the questionnaires, or import one your clinician gave you",
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="list the questionnaires")
    actions.add_parser("show", help="show a questionnaire's questions and scoring").add_argument(
        "id"
    )
    actions.add_parser("import", help="import a questionnaire file").add_argument("file")
    actions.add_parser(
        "validate", help="check a questionnaire file (no vault needed)"
    ).add_argument("file")


def _read(path: Path) -> str:
    from journal.core.checkins.instrument_file import MAX_INSTRUMENT_BYTES

    try:
        if path.stat().st_size > MAX_INSTRUMENT_BYTES:
            raise InstrumentInvalid(f"{path.name}: the file is too large to be a questionnaire.")
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise InstrumentInvalid(f"{path.name}: the file could not be read as text.") from None


def _show(instrument: Instrument, console: Console) -> None:
    from journal.core.checkins.instruments import number

    console.out(
        f"{terminal_safe(instrument.label)}  [{instrument.id}, version {instrument.version}]"
    )
    for line in (instrument.name, instrument.citation, instrument.licence):
        if line:
            console.out(terminal_safe(line))
    if instrument.stem:
        console.out(terminal_safe(instrument.stem))
    for number_, item in enumerate(instrument.items, start=1):
        console.out(f"  {number_}. {terminal_safe(item)}")
    if instrument.scale:
        scale = instrument.scale
        console.out(
            f"Answers: {scale.minimum} ({terminal_safe(scale.low)}) to {scale.maximum} "
            f"({terminal_safe(scale.high)})."
        )
    else:
        answers = ", ".join(f"{v} {terminal_safe(o)}" for v, o in enumerate(instrument.options))
        console.out(f"Answers: {answers}.")
    how = "the mean of the answers" if instrument.scoring == "mean" else "the sum of the answers"
    console.out(f"Score: {how}, {number(instrument.min_total)} to {number(instrument.max_total)}.")
    for band in instrument.bands:
        console.out(f"  {number(band.low)}–{number(band.high)}: {terminal_safe(band.name)}")
    if instrument.outcome.note:
        console.out(terminal_safe(instrument.outcome.note))


def cmd_instruments(args: argparse.Namespace, console: Console) -> int:
    from journal.core.checkins.instrument_file import parse_instrument

    if args.action == "validate":
        path = Path(args.file)
        instrument = parse_instrument(_read(path), name=path.name)
        console.out(
            f"{path.name} is a valid questionnaire: {terminal_safe(instrument.title)} "
            f"({len(instrument.items)} items)."
        )
        return EXIT_OK
    with open_vault(args, console) as vault:
        if args.action == "list":
            for instrument in vault.instruments.all():
                console.out(
                    f"{instrument.id:<14} {terminal_safe(instrument.label)}  "
                    f"({len(instrument.items)} items)"
                )
        elif args.action == "show":
            _show(vault.instruments.get(args.id), console)
        elif args.action == "import":
            path = Path(args.file)
            instrument = vault.instruments.add_source(_read(path), name=path.name)
            console.out(
                f'Imported "{terminal_safe(instrument.title)}" as {instrument.id}. '
                f"Record it with: afterglow checkin {instrument.id} ANSWERS"
            )
    return EXIT_OK
