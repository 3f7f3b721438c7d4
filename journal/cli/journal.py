"""Writing and finding: `add`, `search`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from journal.cli.commands import Commands, open_journal, open_vault, positive
from journal.cli.console import EXIT_OK, Console, terminal_safe
from journal.core.errors import InvalidInput

if TYPE_CHECKING:
    from journal.core.vault.repositories.search import SearchHit


def add_commands(commands: Commands) -> None:
    add = commands.add("add", cmd_add, "add a quick free entry; prints its id")
    add.add_argument("text", nargs="?", help="the entry text (default: read standard input)")
    add.add_argument("--title", default="", help="a title for the entry")
    add.add_argument(
        "--session", type=_session_ref, metavar="latest|ID", help="tie the entry to a session"
    )
    add.add_argument(
        "--private", action="store_true", help="mark the entry private: it never leaves the vault"
    )
    search = commands.add("search", cmd_search, "search the journal; best matches first")
    search.add_argument("query")
    search.add_argument("--limit", type=positive, default=20, metavar="N")


def _session_ref(value: str) -> str | int:
    if value == "latest":
        return value
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError('use "latest" or a session number') from None


# What `add` and `search` use once the vault is open, imported while Argon2id runs.
_ADDING = (
    "journal.core.model",
    "journal.core.vault.repositories.entries",
    "journal.core.vault.repositories.motifs",
)
_SEARCHING = ("journal.core.vault.repositories.search",)


def cmd_add(args: argparse.Namespace, console: Console) -> int:
    with open_journal(args, console, meanwhile=_ADDING) as vault:
        from journal.core.model import Answer, Entry, Phase, PromptKind

        text = args.text if args.text is not None else console.rest_of_input()
        if not text.strip() and not args.title.strip():
            raise InvalidInput("The entry is empty, so nothing was saved.")
        session_id = None
        if args.session == "latest":
            latest = vault.sessions.latest()
            if latest is None:
                raise InvalidInput("There are no sessions yet; leave out --session.")
            session_id = latest.id
        elif args.session is not None:
            session_id = vault.sessions.get(args.session).id
        entry = vault.entries.add(
            Entry(
                phase=Phase.FREE,
                title=args.title,
                session_id=session_id,
                private=args.private,
                answers=[
                    Answer(prompt_key="text", prompt_text="", kind=PromptKind.TEXT, text=text)
                ],
            )
        )
    console.out(str(entry.id))
    return EXIT_OK


def format_hit(hit: SearchHit, *, ansi: bool) -> str:
    on, off = ("\x1b[1;7m", "\x1b[0m") if ansi else ("**", "**")
    snippet = "".join(
        f"{on}{terminal_safe(part.text)}{off}" if part.highlighted else terminal_safe(part.text)
        for part in hit.snippet
    )
    snippet = " ".join(snippet.split())
    where = {"entry": "entry", "answer": "entry", "motif": "motif", "session": "session"}[hit.kind]
    number = hit.entry_id if hit.entry_id is not None else hit.ref_id
    return f"{where} {number}: {terminal_safe(hit.label)}\n    {snippet}"


def cmd_search(args: argparse.Namespace, console: Console) -> int:
    with open_vault(args, console, meanwhile=_SEARCHING) as vault:
        hits = vault.search(args.query, limit=args.limit)
    if not hits:
        console.out("No matches.")
        return EXIT_OK
    ansi = console.stdout.isatty()
    for hit in hits:
        console.out(format_hit(hit, ansi=ansi))
    return EXIT_OK
