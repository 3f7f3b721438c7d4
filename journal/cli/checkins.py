"""Check-ins: `checkin mood|phq9|gad7|list`."""

from __future__ import annotations

import argparse

from journal.cli.commands import Commands, open_vault
from journal.cli.console import EXIT_OK, Console, terminal_safe


def add_commands(commands: Commands) -> None:
    checkin = commands.add(
        "checkin", cmd_checkin, "record a mood, PHQ-9 or GAD-7 check-in, or list them"
    )
    actions = checkin.add_subparsers(dest="action", metavar="ACTION", required=True)
    mood = actions.add_parser("mood", help="your mood now, 0 (very low) to 10 (very good)")
    mood.add_argument("answers", nargs=1, metavar="N")
    mood.add_argument("--note", default="", help="a few words about how you are")
    for name, title, count in (("phq9", "PHQ-9", 9), ("gad7", "GAD-7", 7)):
        questionnaire = actions.add_parser(
            name,
            help=f"{title}: {count} answers from 0 (not at all) to 3 (nearly every day)",
            description=f"{title} over the last 2 weeks: {count} answers, each 0 = not at all, "
            "1 = several days, 2 = more than half the days, 3 = nearly every day.",
        )
        questionnaire.add_argument(
            "answers", nargs="+", metavar="A1,…,A" + str(count), help="commas or spaces between"
        )
        questionnaire.add_argument(
            "--difficulty",
            type=int,
            metavar="0-3",
            help="the unscored last question: how difficult these problems make work, home "
            "and people (0 not at all … 3 extremely)",
        )
        questionnaire.add_argument(
            "--country",
            metavar="CC",
            help="two-letter country code for crisis numbers (default: the app's setting)",
        )
    actions.add_parser("list", help="every check-in, oldest first")
    checkin.set_defaults(note="", country=None, difficulty=None)


def _crisis_country(args: argparse.Namespace) -> str:
    """The country for crisis numbers: --country, else the app's setting."""
    from journal.core.checkins import crisis

    if args.country:
        return str(args.country)
    try:
        from journal.ui.settings import Settings
    except ImportError:  # Qt missing: the general list still helps
        return crisis.OTHER
    return Settings().crisis_country


def cmd_checkin(args: argparse.Namespace, console: Console) -> int:
    from journal.core.checkins import crisis, instruments
    from journal.core.model import CheckinKind
    from journal.core.text import day

    if args.action == "list":
        return _list_checkins(args, console)
    kind = {"mood": CheckinKind.MOOD, "phq9": CheckinKind.PHQ9, "gad7": CheckinKind.GAD7}[
        args.action
    ]
    # Checked (count, range) before any secret is asked or the vault opened.
    answers = instruments.parse_answers(kind, " ".join(args.answers))
    note = args.note if kind is CheckinKind.MOOD else ""
    difficulty = instruments.check_difficulty(args.difficulty)
    with open_vault(args, console) as vault:
        first = vault.checkins.first(kind)
        checkin = vault.checkins.add(kind, answers, note=note, difficulty=difficulty)
    title = instruments.INSTRUMENTS[kind].title
    if kind is CheckinKind.MOOD:
        console.out(f"Mood {checkin.total} of 10 saved.")
        return EXIT_OK
    maximum = instruments.INSTRUMENTS[kind].max_total
    console.out(f"{title} total {checkin.total} of {maximum}: {checkin.band}. Saved.")
    if first is not None:
        console.out(
            f"Change from your first {title} ({day(first.taken_at)}): "
            f"{instruments.change(first.total, checkin.total).text()}."
        )
    if checkin.flagged:
        console.out()
        console.out("You said you have had thoughts that you would be better off dead or of")
        console.out("hurting yourself. Thank you for answering honestly.")
        console.out()
        console.out(crisis.safety_text(_crisis_country(args)))
        console.out()
        console.out("This answer is marked for your therapist when you share your check-ins.")
    return EXIT_OK


def _list_checkins(args: argparse.Namespace, console: Console) -> int:
    from journal.core.checkins import instruments

    with open_vault(args, console) as vault:
        checkins = vault.checkins.all()
    if not checkins:
        console.out("No check-ins yet. Try: afterglow checkin mood 6")
        return EXIT_OK
    for checkin in checkins:
        instrument = instruments.INSTRUMENTS[checkin.kind]
        when = f"{checkin.taken_at.astimezone():%Y-%m-%d %H:%M}"
        line = f"{when}  {instrument.title:<6} {checkin.total:>2} / {instrument.max_total:<2}"
        if checkin.band:
            line += f"  {checkin.band}"
        if checkin.flagged:
            line += f"  [item 9 answered {checkin.answers[instruments.PHQ9_SAFETY_ITEM]}]"
        if checkin.difficulty is not None:
            line += f"  ({instruments.DIFFICULTY_OPTIONS[checkin.difficulty].lower()})"
        if checkin.note:
            line += f"  “{terminal_safe(checkin.note)}”"
        console.out(line)
    return EXIT_OK
