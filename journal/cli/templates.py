"""Prompt templates: `templates list|show|import|export|validate`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from journal.cli.commands import Commands, open_vault
from journal.cli.console import EXIT_OK, Console, terminal_safe
from journal.core.errors import JournalError
from journal.core.text import count

if TYPE_CHECKING:
    from journal.core.templates import Template


def add_commands(commands: Commands) -> None:
    templates = commands.add("templates", cmd_templates, "list, show, import or export templates")
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


def _show_template(template: Template, console: Console) -> None:
    from journal.core.model import PromptKind

    origin = "built-in" if template.builtin else "yours"
    minutes = f", about {template.minutes} min" if template.minutes else ""
    title = terminal_safe(template.title)
    console.out(f"{title}  [{template.id}, {template.phase.label}, {origin}{minutes}]")
    if template.description:
        console.out(terminal_safe(template.description))
    for number, prompt in enumerate(template.prompts, start=1):
        kind = "" if prompt.kind is PromptKind.TEXT else f"  ({prompt.kind.value})"
        console.out(f"  {number}. {terminal_safe(prompt.text)}{kind}")


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
            f"{path.name} is a valid template: {terminal_safe(template.title)} "
            f"({count(len(template.prompts), 'prompt')})."
        )
        return EXIT_OK
    with open_vault(args, console) as vault:
        if args.action == "list":
            for template in vault.templates.all():
                origin = "built-in" if template.builtin else "yours"
                console.out(
                    f"{template.id:<22} {terminal_safe(template.title)}  ({template.phase.label}, "
                    f"{count(len(template.prompts), 'prompt')}, {origin})"
                )
        elif args.action == "show":
            _show_template(vault.templates.get(args.id), console)
        elif args.action == "import":
            template = vault.templates.import_file(Path(args.file))
            console.out(f'Imported "{terminal_safe(template.title)}" as {template.id}.')
        elif args.action == "export":
            vault.templates.export_file(args.id, Path(args.file))
            console.out(f"Wrote {args.file}.")
    return EXIT_OK
