"""Sharing with the therapist: `export`, `bundle verify`, `open`."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from journal.cli.commands import Commands, open_journal, open_vault, vault_path
from journal.cli.console import EXIT_OK, Console, terminal_safe
from journal.core.errors import BundleInvalid, InvalidInput, JournalError
from journal.core.text import count


def add_commands(commands: Commands) -> None:
    export = commands.add(
        "export",
        cmd_export,
        "export an encrypted bundle for your therapist (private items never go)",
    )
    export.add_argument("--out", required=True, metavar="FILE.agb")
    period = export.add_mutually_exclusive_group()
    period.add_argument(
        "--since",
        type=_parse_day,
        metavar="DATE",
        help="share from this date (default: since the last export)",
    )
    period.add_argument(
        "--sessions",
        type=_parse_range,
        metavar="A..B",
        help="share these sessions (numbers as in the timeline)",
    )
    to = export.add_mutually_exclusive_group(required=True)
    to.add_argument(
        "--share-code",
        action="store_true",
        help="encrypt to a new share code, printed on standard output",
    )
    to.add_argument("--to", metavar="age1…", help="encrypt to your therapist's key")
    export.add_argument(
        "--for",
        dest="recipient_name",
        default="",
        metavar="NAME",
        help="with --share-code: whom it is for (default “my therapist”); bundles to one "
        "recipient carry the same pseudonymous patient id",
    )
    export.add_argument(
        "--pdf", metavar="FILE.pdf", help="also write the report as a password-protected PDF"
    )
    export.add_argument("--alias", default="", help="a name to show on the report")
    export.add_argument(
        "--force", action="store_true", help="replace FILE.agb (or the PDF) if it exists"
    )

    bundle = commands.add("bundle", cmd_bundle_verify, "check a bundle without showing its content")
    actions = bundle.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("verify", help="print a summary and check integrity").add_argument("file")
    commands.add("open", cmd_open, "read a bundle in the therapist's reader").add_argument("file")


def _parse_day(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value).astimezone()
    except ValueError:
        raise argparse.ArgumentTypeError("use a date such as 2026-11-01") from None


def _parse_range(value: str) -> tuple[int, int]:
    first, sep, last = value.partition("..")
    try:
        start, end = int(first), int(last if sep else first)
    except ValueError:
        raise argparse.ArgumentTypeError("use session numbers such as 3..7") from None
    if start < 1 or end < start:
        raise argparse.ArgumentTypeError("use session numbers such as 3..7") from None
    return start, end


def cmd_export(args: argparse.Namespace, console: Console) -> int:
    from journal.core.sharing import share
    from journal.core.vault.repositories.keys import is_valid_recipient
    from journal.export import export_for_therapy

    out = Path(args.out)
    if args.to and not is_valid_recipient(args.to):
        raise InvalidInput("That is not a therapist key: it should start with “age1”.")
    for target in (out, Path(args.pdf) if args.pdf else None):
        if target is not None and target.exists() and not args.force:
            raise InvalidInput(
                f"{target} already exists; nothing was written. Choose another name, or add "
                "--force to replace it."
            )
    with open_journal(args, console) as vault:
        session_ids = None
        if args.sessions:
            start, end = args.sessions
            session_ids = {
                s.id for s in vault.sessions.all() if s.id is not None and start <= s.id <= end
            }
        selection = share.offer(vault, since=args.since, session_ids=session_ids)
        selection.alias = args.alias
        result = export_for_therapy(
            vault,
            selection,
            bundle_path=out,
            share_code=args.share_code,
            recipient=args.to,
            pdf_in_bundle=bool(args.pdf),
            protected_pdf_path=Path(args.pdf) if args.pdf else None,
            recipient_name=args.recipient_name,
        )
    counts = result.counts
    console.err(
        f"Wrote {out} ({count(counts['sessions'], 'session')}, "
        f"{count(counts['entries'], 'entry')}, {count(counts['checkins'], 'check-in')}). "
        "Private items were left out."
    )
    if result.share_code is not None:
        console.out(result.share_code)
        console.err(
            "Tell this share code to your therapist in person or by phone — not in "
            "the message that carries the file."
        )
    if result.pdf_password is not None:
        console.out(result.pdf_password)
        console.err(
            f"Wrote {args.pdf}, protected by the password above. Its protection is "
            "only as strong as that password: share it the same careful way."
        )
    return EXIT_OK


def _open_bundle(args: argparse.Namespace, console: Console) -> Any:
    from journal.core.sharing import bundle

    data = bundle.load(Path(args.file))
    if bundle.needs_share_code(data):
        return bundle.read_bundle(data, share_code=console.secret("Share code: "))
    with open_vault(args, console) as vault:
        identities = vault.keys.identity_secrets()
    return bundle.read_bundle(data, identities=identities)


def cmd_bundle_verify(args: argparse.Namespace, console: Console) -> int:
    opened = _open_bundle(args, console)
    manifest = opened.manifest
    period = manifest.get("period") or {}
    singular = {"sessions": "session", "entries": "entry", "checkins": "check-in"}
    counts = ", ".join(
        count(int(n), singular.get(str(k), terminal_safe(str(k)).rstrip("s")))
        for k, n in manifest.get("counts", {}).items()
        if isinstance(n, int)
    )
    console.out(f"Afterglow bundle, format version {manifest['version']}")
    console.out(f"created: {terminal_safe(str(manifest.get('created')))}")
    console.out(
        f"period:  {terminal_safe(str(period.get('from') or 'the beginning'))} to "
        f"{terminal_safe(str(period.get('to') or 'creation'))}"
    )
    console.out(f"holds:   {counts}")
    used = [i for kind, i in sorted(opened.content.instruments.items()) if kind != "mood"]
    if used:
        console.out(
            "questionnaires: "
            + ", ".join(
                terminal_safe(
                    f"{i.title} ({'' if i.builtin else 'a clinic’s own, '}version {i.version})"
                )
                for i in used
            )
        )
    console.out(f"integrity: all {len(manifest['files'])} files match their checksums")
    return EXIT_OK


def checked_bundle_path(text: str) -> Path:
    """The bundle to read, said in a sentence when it isn't one (a missing
    file, a folder, another kind of file) — before any window opens."""
    from journal.core.sharing import bundle

    path = Path(text).expanduser()
    if path.is_dir():
        raise BundleInvalid(
            f"{path.name} is a folder, not a bundle. Choose the .agb file you were sent."
        )
    if not path.is_file():
        raise BundleInvalid(
            f"There is no file {path.name} here. Check the name and where it was saved."
        )
    bundle.file_needs_share_code(path)  # the age header; the sentence if it is not a bundle
    return path.absolute()


def cmd_open(args: argparse.Namespace, console: Console) -> int:
    path = checked_bundle_path(args.file)
    try:
        from journal.ui.app import FORWARDED, forward_bundle, run_reader
    except ImportError as error:
        raise JournalError(
            f"The reader cannot start: a Qt library is missing ({error.name or error})."
        ) from None
    if forward_bundle(path, vault_path(args)):
        console.out(FORWARDED)
        return EXIT_OK
    return run_reader(path, vault_path(args))
