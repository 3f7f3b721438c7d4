"""Check-ins: `checkin INSTRUMENT ANSWERS` (mood, PHQ-9, GAD-7, the EBI, the
PCL-5 or a questionnaire a clinician handed over), `checkin list`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from journal.cli.commands import Commands, open_journal, open_vault
from journal.cli.console import EXIT_OK, Console, terminal_safe
from journal.core.errors import InvalidInput

if TYPE_CHECKING:
    from journal.core.checkins.definitions import Instrument
    from journal.core.model import Checkin
    from journal.core.vault.vault import Vault


def add_commands(commands: Commands) -> None:
    checkin = commands.add(
        "checkin",
        cmd_checkin,
        "record a mood or a questionnaire (PHQ-9, GAD-7, EBI, PCL-5, or one from your "
        "clinician), or list them",
    )
    checkin.epilog = (
        "Examples: checkin mood 6 --note steadier · checkin phq9 1,1,0,2,1,0,1,0,0 · "
        "checkin gad7 1 2 1 0 1 0 0 --difficulty 1 · checkin ebi 60 40 70 50 30 80 · "
        "checkin list. PHQ-9 and GAD-7 answers are 0 (not at all) to 3 (nearly every day); "
        "PCL-5 answers 0 (not at all) to 4 (extremely); EBI answers 0 to 100. "
        "`afterglow instruments list` shows every questionnaire."
    )
    checkin.add_argument(
        "instrument", metavar="INSTRUMENT", help="mood, phq9, gad7, ebi, pcl5, another id, or list"
    )
    checkin.add_argument(
        "answers", nargs="*", metavar="ANSWER", help="the answers, with commas or spaces between"
    )
    checkin.add_argument("--note", default="", help="with mood: a few words about how you are")
    checkin.add_argument(
        "--difficulty",
        type=int,
        metavar="0-3",
        help="PHQ-9, GAD-7: the unscored last question — how difficult these problems make "
        "work, home and people (0 not at all … 3 extremely)",
    )
    checkin.add_argument(
        "--session",
        metavar="latest|ID",
        help="the session the answers are about (the EBI: the latest session unless given)",
    )
    checkin.add_argument(
        "--country",
        metavar="CC",
        help="two-letter country code for crisis numbers (default: the app's setting)",
    )


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
    from journal.core.checkins import instruments
    from journal.core.model import CheckinKind

    kind = CheckinKind.of(args.instrument.lower())
    if kind == "list":
        if args.answers:
            raise InvalidInput("`checkin list` takes no answers.")
        return _list_checkins(args, console)
    built_in = instruments.INSTRUMENTS.get(kind)
    # A built-in's answers are checked (count, range) before any secret is asked.
    if built_in is not None:
        _check_flags(built_in, args)
        answers = instruments.parse_answers(kind, " ".join(args.answers))
    with open_journal(args, console) as vault:
        instrument = vault.instruments.get(kind)
        _check_flags(instrument, args)
        answers = instruments.parse_answers(kind, " ".join(args.answers), instrument)
        session_id = _session_for(vault, instrument, args.session)
        first = vault.checkins.first(kind)
        checkin = vault.checkins.add(
            kind,
            answers,
            note=args.note if kind == CheckinKind.MOOD else "",
            difficulty=instruments.check_difficulty(args.difficulty),
            session_id=session_id,
        )
        from journal.core.checkins import outcomes

        standing = outcomes.progress(instrument, vault.checkins.all(kind), vault.sessions.all())
    _say_saved(console, instrument, checkin, first, standing.sentence)
    if checkin.flagged:
        from journal.core.checkins import crisis

        console.out()
        console.out("You said you have had thoughts that you would be better off dead or of")
        console.out("hurting yourself. Thank you for answering honestly.")
        console.out()
        console.out(crisis.safety_text(_crisis_country(args)))
        console.out()
        console.out("This answer is marked for your therapist when you share your check-ins.")
    return EXIT_OK


def _check_flags(instrument: Instrument, args: argparse.Namespace) -> None:
    from journal.core.model import CheckinKind

    if args.note and instrument.id != CheckinKind.MOOD:
        raise InvalidInput("--note goes with a mood check-in; nothing was saved.")
    if args.difficulty is not None and instrument.followup is None:
        raise InvalidInput(f"{instrument.title} has no difficulty question; nothing was saved.")


def _session_for(vault: Vault, instrument: Instrument, given: str | None) -> int | None:
    """The session a check-in is about: given, or — for an instrument about one
    session (the EBI) — the latest."""
    if given is None and not instrument.per_session:
        return None
    if given is None or given == "latest":
        latest = vault.sessions.latest()
        if latest is None:
            if given == "latest":
                raise InvalidInput("There are no sessions yet; leave out --session.")
            return None
        return latest.id
    if not given.isdigit():
        raise InvalidInput("Use --session latest or a session number; nothing was saved.")
    return vault.sessions.get(int(given)).id


def _say_saved(
    console: Console,
    instrument: Instrument,
    checkin: Checkin,
    first: Checkin | None,
    standing: str,
) -> None:
    from journal.core.checkins.instruments import change, number
    from journal.core.model import CheckinKind
    from journal.core.text import day

    title = instrument.title
    if instrument.id == CheckinKind.MOOD:
        console.out(f"Mood {number(checkin.total)} of 10 saved.")
        return
    band = f": {checkin.band}" if checkin.band else ""
    what = "mean" if instrument.scoring == "mean" else "total"
    console.out(
        f"{title} {what} {number(checkin.total)} of {number(instrument.max_total)}{band}. Saved."
    )
    if first is not None:
        console.out(
            f"Change from your first {title} ({day(first.taken_at)}): "
            f"{change(first.total, checkin.total).text()}."
        )
        console.out(standing)


def _list_checkins(args: argparse.Namespace, console: Console) -> int:
    from journal.core.checkins.instruments import number

    with open_vault(args, console) as vault:
        checkins = vault.checkins.all()
        known = vault.instruments.by_kind()
    if not checkins:
        console.out("No check-ins yet. Try: afterglow checkin mood 6")
        return EXIT_OK
    for checkin in checkins:
        instrument = known.get(checkin.kind)
        title = instrument.title if instrument else str(checkin.kind)
        top = number(instrument.max_total) if instrument else "?"
        when = f"{checkin.taken_at.astimezone():%Y-%m-%d %H:%M}"
        line = f"{when}  {title:<6} {number(checkin.total):>2} / {top:<2}"
        if checkin.band:
            line += f"  {checkin.band}"
        if checkin.flagged and instrument is not None:
            for item in instrument.safety:
                if checkin.answers[item.item] > item.above:
                    line += f"  [item {item.item + 1} answered {checkin.answers[item.item]}]"
        if checkin.difficulty is not None and instrument and instrument.followup:
            line += f"  ({instrument.followup.options[checkin.difficulty].lower()})"
        if checkin.note:
            line += f"  “{terminal_safe(checkin.note)}”"
        console.out(line)
    return EXIT_OK
