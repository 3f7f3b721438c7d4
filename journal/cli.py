"""The `afterglow` command: the desktop app by default, subcommands for scripts.

Passphrases and recovery codes come from the terminal, or — when standard
input is not a terminal — from its first lines, one secret per line. They are
never read from arguments or the environment (both leak into process lists
and shell history).

Exit status: 0 success, 1 a failure the person can act on (one sentence on
stderr), 2 a usage error, 70 a bug in Afterglow.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from journal import __version__
from journal.core.errors import InvalidInput, JournalError, VaultNotFound
from journal.core.hardening import disable_core_dumps, install_quiet_excepthook
from journal.core.vault.paths import VAULT_ENV, VaultPaths, default_vault_path

if TYPE_CHECKING:  # each command imports what it needs: `afterglow` alone starts fast
    from journal.core.templates import Template
    from journal.core.vault.repositories.search import SearchHit
    from journal.core.vault.vault import Vault

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 70


class Console:
    """Where the command reads secrets and text and writes results.

    ``stdin_is_tty`` decides how secrets are read: with a hidden prompt on the
    terminal, or one per line from standard input.
    """

    def __init__(
        self,
        stdin: TextIO,
        stdout: TextIO,
        stderr: TextIO,
        *,
        stdin_is_tty: bool,
        prompt_secret: Callable[[str], str] = getpass.getpass,
    ) -> None:
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.interactive = stdin_is_tty
        self._prompt_secret = prompt_secret

    def secret(self, prompt: str, *, confirm: str | None = None) -> str:
        if not self.interactive:
            line = self.stdin.readline()
            if not line:
                raise InvalidInput(f"Expected a line on standard input: {prompt.rstrip(': ')}.")
            return line.rstrip("\r\n")
        value = self._prompt_secret(prompt)
        if confirm is not None and self._prompt_secret(confirm) != value:
            raise InvalidInput("The two passphrases are not the same; nothing was changed.")
        return value

    def ask(self, prompt: str) -> str:
        """One visible line from the person (not a secret)."""
        print(prompt, end="", file=self.stderr, flush=True)
        return self.stdin.readline().rstrip("\r\n")

    def rest_of_input(self) -> str:
        if self.interactive:
            self.err("Type your entry, then press Ctrl-D on a new line to save it.")
        return self.stdin.read()

    def out(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def err(self, text: str) -> None:
        print(text, file=self.stderr)


def _vault_path(args: argparse.Namespace) -> Path:
    return Path(args.vault).expanduser() if args.vault else default_vault_path()


def _existing_vault_path(args: argparse.Namespace) -> Path:
    """The vault's path; raises `VaultNotFound` before any secret is asked."""
    path = _vault_path(args)
    if not VaultPaths(path).exists():
        raise VaultNotFound()
    return path


def _open(args: argparse.Namespace, console: Console) -> Vault:
    from journal.core.vault import vault as vaults

    return vaults.unlock(_existing_vault_path(args), console.secret("Passphrase: "))


# --- commands ---------------------------------------------------------------


def cmd_gui(args: argparse.Namespace, console: Console) -> int:
    try:
        from journal.ui.app import run as run_app
    except ImportError as error:
        raise JournalError(
            f"The desktop app cannot start: a Qt library is missing ({error.name or error}). "
            "Install Afterglow with its dependencies, or use the commands in `afterglow --help`."
        ) from None
    return run_app(_vault_path(args), demo=args.demo)


def cmd_init(args: argparse.Namespace, console: Console) -> int:
    from journal.core.vault import vault as vaults

    path = _vault_path(args)
    if VaultPaths(path).exists():
        raise JournalError(f"A vault already exists at {path}. Nothing was changed.")
    passphrase = console.secret("Choose a passphrase: ", confirm="Repeat the passphrase: ")
    vault, code = vaults.create(path, passphrase)
    vault.close()
    console.out(f"Created your encrypted journal at {path}")
    console.out()
    console.out("Your recovery code (shown only this once):")
    console.out()
    console.out(f"    {code}")
    console.out()
    console.out("If you forget your passphrase, this code is the only way back in.")
    console.out("Write it on paper and keep it somewhere safe, away from this computer.")
    return EXIT_OK


def cmd_passwd(args: argparse.Namespace, console: Console) -> int:
    from journal.core.vault import vault as vaults

    path = _existing_vault_path(args)
    old = console.secret("Current passphrase: ")
    new = console.secret("New passphrase: ", confirm="Repeat the new passphrase: ")
    vaults.change_passphrase(path, old, new)
    console.out("Passphrase changed. Your recovery code still works.")
    return EXIT_OK


def cmd_recover(args: argparse.Namespace, console: Console) -> int:
    from journal.core.vault import vault as vaults

    path = _existing_vault_path(args)
    code = console.secret("Recovery code: ")
    new = console.secret("New passphrase: ", confirm="Repeat the new passphrase: ")
    vaults.recover(path, code, new).close()
    console.out("Your vault is open again with the new passphrase. Keep the recovery code.")
    return EXIT_OK


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    with _open(args, console) as vault:
        problems = vault.check()
    if problems:
        console.err("The vault has problems; restore it from a backup:")
        for problem in problems:
            console.err(f"  {problem}")
        return EXIT_FAILED
    console.out(
        "The vault is healthy: every page decrypts and verifies, and its structure is intact."
    )
    return EXIT_OK


def cmd_add(args: argparse.Namespace, console: Console) -> int:
    from journal.core.model import Answer, Entry, Phase, PromptKind

    with _open(args, console) as vault:
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


def _format_hit(hit: SearchHit, *, ansi: bool) -> str:
    on, off = ("\x1b[1;7m", "\x1b[0m") if ansi else ("**", "**")
    snippet = "".join(
        f"{on}{part.text}{off}" if part.highlighted else part.text for part in hit.snippet
    )
    snippet = " ".join(snippet.split())
    where = {"entry": "entry", "answer": "entry", "motif": "motif", "session": "session"}[hit.kind]
    number = hit.entry_id if hit.entry_id is not None else hit.ref_id
    return f"{where} {number}: {hit.label}\n    {snippet}"


def cmd_search(args: argparse.Namespace, console: Console) -> int:
    with _open(args, console) as vault:
        hits = vault.search(args.query, limit=args.limit)
    if not hits:
        console.out("No matches.")
        return EXIT_OK
    ansi = console.stdout.isatty()
    for hit in hits:
        console.out(_format_hit(hit, ansi=ansi))
    return EXIT_OK


def _show_template(template: Template, console: Console) -> None:
    from journal.core.model import PromptKind

    origin = "built-in" if template.builtin else "yours"
    minutes = f", about {template.minutes} min" if template.minutes else ""
    console.out(f"{template.title}  [{template.id}, {template.phase.label}, {origin}{minutes}]")
    if template.description:
        console.out(template.description)
    for number, prompt in enumerate(template.prompts, start=1):
        kind = "" if prompt.kind is PromptKind.TEXT else f"  ({prompt.kind.value})"
        console.out(f"  {number}. {prompt.text}{kind}")


def cmd_templates(args: argparse.Namespace, console: Console) -> int:
    from journal.core.templates import parse_template

    if args.action == "validate":
        path = Path(args.file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise JournalError(f"{path.name}: the file could not be read as text.") from None
        template = parse_template(text, name=path.name)
        console.out(
            f"{path.name} is a valid template: {template.title} ({len(template.prompts)} prompts)."
        )
        return EXIT_OK
    with _open(args, console) as vault:
        if args.action == "list":
            for template in vault.templates.all():
                origin = "built-in" if template.builtin else "yours"
                console.out(
                    f"{template.id:<22} {template.title}  ({template.phase.label}, "
                    f"{len(template.prompts)} prompts, {origin})"
                )
        elif args.action == "show":
            _show_template(vault.templates.get(args.id), console)
        elif args.action == "import":
            template = vault.templates.import_file(Path(args.file))
            console.out(f'Imported "{template.title}" as {template.id}.')
        elif args.action == "export":
            vault.templates.export_file(args.id, Path(args.file))
            console.out(f"Wrote {args.file}.")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace, console: Console) -> int:
    from journal.core.vault import backup

    path = _vault_path(args)
    if args.action == "list":
        found = backup.list_backups(backup.backups_folder(path))
        if not found:
            console.out("No backups yet. `afterglow backup` makes one now.")
        for info in found:
            console.out(f"{info.name}  {backup.describe(info)}")
        return EXIT_OK
    with _open(args, console) as vault:
        if args.to:
            info = backup.make_backup(vault, Path(args.to).expanduser(), kind=backup.MANUAL)
        else:
            info = backup.make_backup(vault, backup.backups_folder(path), kind=backup.MANUAL)
    console.out(f"Backed up to {info.path}")
    console.out("It is encrypted: restoring it needs the passphrase you have today.")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, console: Console) -> int:
    from journal.core.vault import backup

    path = _vault_path(args)
    given = Path(args.backup).expanduser()
    folder = given if given.is_dir() else backup.backups_folder(path) / args.backup
    if not folder.is_dir():
        raise InvalidInput(
            f"There is no backup called {args.backup}. `afterglow backup list` shows them."
        )
    passphrase = console.secret("Passphrase of the backup: ")
    kept = backup.restore(path, folder, passphrase)
    console.out(f"Restored the backup of {backup.describe(backup.read_info(folder))}.")
    if kept is not None:
        console.out(f"The journal it replaced is kept as backup {kept.name}.")
    return EXIT_OK


PLAIN_WARNING = (
    "This writes your whole journal — private entries included — as ordinary, "
    "UNENCRYPTED files that anyone with access to this computer or drive can read."
)


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
        with _open(args, console) as vault:
            result = archive.export_plain(vault, folder, now=now)
        console.out(f"Wrote {result.entries} entries, unencrypted, to {result.path}")
        return EXIT_OK
    out = Path(args.out).expanduser()
    with _open(args, console) as vault:
        secret = console.secret(
            "Passphrase for the export: ", confirm="Repeat the passphrase for the export: "
        )
        result = archive.export_encrypted(vault, out, secret, now=now)
    console.out(f"Wrote {result.entries} entries to {result.path}, encrypted with age.")
    console.out(f"Open it anywhere with: age -d {out.name} > journal.zip && unzip journal.zip")
    return EXIT_OK


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
    with _open(args, console) as vault:
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

    with _open(args, console) as vault:
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
            line += f"  “{checkin.note}”"
        console.out(line)
    return EXIT_OK


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
    with _open(args, console) as vault:
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
        )
    counts = result.counts
    console.err(
        f"Wrote {out} ({counts['sessions']} sessions, {counts['entries']} entries, "
        f"{counts['checkins']} check-ins). Private items were left out."
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
    with _open(args, console) as vault:
        identities = vault.keys.identity_secrets()
    return bundle.read_bundle(data, identities=identities)


def cmd_bundle_verify(args: argparse.Namespace, console: Console) -> int:
    opened = _open_bundle(args, console)
    manifest = opened.manifest
    period = manifest.get("period") or {}
    counts = ", ".join(f"{n} {k}" for k, n in manifest.get("counts", {}).items())
    console.out(f"Afterglow bundle, format version {manifest['version']}")
    console.out(f"created: {manifest.get('created')}")
    console.out(
        f"period:  {period.get('from') or 'the beginning'} to {period.get('to') or 'creation'}"
    )
    console.out(f"holds:   {counts}")
    console.out(f"integrity: all {len(manifest['files'])} files match their checksums")
    return EXIT_OK


def cmd_open(args: argparse.Namespace, console: Console) -> int:
    try:
        from journal.ui.app import run_reader
    except ImportError as error:
        raise JournalError(
            f"The reader cannot start: a Qt library is missing ({error.name or error})."
        ) from None
    return run_reader(Path(args.file), _vault_path(args))


# --- argument parsing -------------------------------------------------------


def _session_ref(value: str) -> str | int:
    if value == "latest":
        return value
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError('use "latest" or a session number') from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="afterglow",
        description="Afterglow: an encrypted journal for ketamine-assisted therapy. "
        "Without a command it opens the desktop app.",
        epilog="Passphrases are read from the terminal, or one per line from standard input "
        "when it is not a terminal.",
    )
    parser.add_argument("--version", action="version", version=f"Afterglow {__version__}")
    parser.add_argument(
        "--vault",
        metavar="PATH",
        help=f"the vault file (default: ${VAULT_ENV} or {default_vault_path()})",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a temporary sample journal (clearly marked DEMO, deleted on exit)",
    )
    parser.set_defaults(handler=cmd_gui)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(
        name: str, handler: Callable[[argparse.Namespace, Console], int], help_text: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    command("init", cmd_init, "create a new vault and show its recovery code")
    command("passwd", cmd_passwd, "change the passphrase (the recovery code stays valid)")
    command("recover", cmd_recover, "set a new passphrase using the recovery code")
    command("check", cmd_check, "verify the vault's integrity")

    add = command("add", cmd_add, "add a quick free entry; prints its id")
    add.add_argument("text", nargs="?", help="the entry text (default: read standard input)")
    add.add_argument("--title", default="", help="a title for the entry")
    add.add_argument(
        "--session", type=_session_ref, metavar="latest|ID", help="tie the entry to a session"
    )
    add.add_argument(
        "--private", action="store_true", help="mark the entry private: it never leaves the vault"
    )

    search = command("search", cmd_search, "search the journal; best matches first")
    search.add_argument("query")
    search.add_argument("--limit", type=_positive, default=20, metavar="N")

    templates = command("templates", cmd_templates, "list, show, import or export templates")
    actions = templates.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="list the templates")
    actions.add_parser("show", help="show a template's prompts").add_argument("id")
    actions.add_parser("import", help="import a template file").add_argument("file")
    export = actions.add_parser("export", help="write a template to a file")
    export.add_argument("id")
    export.add_argument("file")
    actions.add_parser("validate", help="check a template file (no vault needed)").add_argument(
        "file"
    )

    export_all = command(
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

    backup_command = command(
        "backup", cmd_backup, "make an encrypted backup now, or list the backups"
    )
    backup_command.add_argument(
        "action", nargs="?", choices=["list"], help="list the backups instead of making one"
    )
    backup_command.add_argument(
        "--to", metavar="DIR", help="write the backup into DIR (a USB stick, for example)"
    )
    command(
        "restore",
        cmd_restore,
        "replace the journal with a backup (checked first; the replaced journal is kept)",
    ).add_argument("backup", metavar="BACKUP", help="a name from `backup list`, or a folder")

    checkin = command(
        "checkin", cmd_checkin, "record a mood, PHQ-9 or GAD-7 check-in, or list them"
    )
    checkin_actions = checkin.add_subparsers(dest="action", metavar="ACTION", required=True)
    mood = checkin_actions.add_parser("mood", help="your mood now, 0 (very low) to 10 (very good)")
    mood.add_argument("answers", nargs=1, metavar="N")
    mood.add_argument("--note", default="", help="a few words about how you are")
    for name, title, count in (("phq9", "PHQ-9", 9), ("gad7", "GAD-7", 7)):
        questionnaire = checkin_actions.add_parser(
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
    checkin_actions.add_parser("list", help="every check-in, oldest first")
    checkin.set_defaults(note="", country=None, difficulty=None)

    export = command(
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
        "--pdf", metavar="FILE.pdf", help="also write the report as a password-protected PDF"
    )
    export.add_argument("--alias", default="", help="a name to show on the report")

    bundle = command("bundle", cmd_bundle_verify, "check a bundle without showing its content")
    bundle_actions = bundle.add_subparsers(dest="action", metavar="ACTION", required=True)
    bundle_actions.add_parser("verify", help="print a summary and check integrity").add_argument(
        "file"
    )
    command("open", cmd_open, "read a bundle in the therapist's reader").add_argument("file")
    return parser


def run(argv: Sequence[str] | None, console: Console) -> int:
    """Parse ``argv`` and run the command; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return int(args.handler(args, console))
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


def main(argv: Sequence[str] | None = None) -> int:
    disable_core_dumps()
    install_quiet_excepthook()
    console = Console(sys.stdin, sys.stdout, sys.stderr, stdin_is_tty=sys.stdin.isatty())
    return run(argv, console)
