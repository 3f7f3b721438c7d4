"""Which journal a file or folder is, and reading it into an `ImportPlan`.

Detected from the contents, not the name (``--format`` forces one): an age
header is Afterglow's encrypted export; a ZIP is Day One's export (or an
unencrypted Afterglow ZIP); JSON is Day One, jrnl or Mini Diary by its
shape; a CSV with Afterflow's header is Afterflow; a folder is Afterglow's
unencrypted export when it has its manifest, else a folder of Markdown.
"""

from __future__ import annotations

from pathlib import Path

from journal.core.errors import ImportInvalid
from journal.core.imports import afterflow, afterglow, diaries, markdown
from journal.core.imports.plan import ImportPlan, Source
from journal.core.imports.reading import load_json, open_zip, read_bytes, refuse

_ZIP_MAGIC = b"PK\x03\x04"
_WHAT_WE_READ = (
    "Afterglow imports Day One (the JSON export's .zip), jrnl (jrnl --export json), "
    "Mini Diary (JSON), Afterflow (CSV), a folder of Markdown files, and its own export "
    "of everything."
)


def unknown(name: str) -> ImportInvalid:
    return ImportInvalid(
        f"Afterglow doesn't recognise {name} as a journal export. {_WHAT_WE_READ} "
        "Nothing in your journal was changed."
    )


def read(path: Path, *, source: Source | None = None, passphrase: str | None = None) -> ImportPlan:
    """Read ``path`` (a file or folder) into a plan; nothing is stored.
    Raises `ImportInvalid` (`afterglow.PassphraseNeeded` for an encrypted
    export without ``passphrase``) or `WrongPassphrase`."""
    path = Path(path)
    name = path.name or str(path)
    if not path.exists():
        raise ImportInvalid(
            f"There is no file or folder {name} here. Check the path and try again."
        )
    if path.is_dir():
        if source in (None, Source.AFTERGLOW) and afterglow.is_export_folder(path):
            return _checked(afterglow.read_folder(path))
        if source in (None, Source.MARKDOWN):
            return _checked(markdown.read_markdown(path))
        raise refuse(
            f"The folder {name}", f"is not a {source.label} export", "Choose the exported file"
        )
    if source is Source.MARKDOWN or (
        source is None and path.suffix.lower() in (".md", ".markdown")
    ):
        return _checked(markdown.read_markdown(path))
    data = read_bytes(path)
    if not data:
        raise refuse(name, "is empty", "Export the journal again from the other app")
    return _checked(_read_file(data, name, source, passphrase))


def _read_file(data: bytes, name: str, source: Source | None, passphrase: str | None) -> ImportPlan:
    if afterglow.is_encrypted(data):
        if source not in (None, Source.AFTERGLOW):
            raise unknown(name)
        return afterglow.read_encrypted(data, name, passphrase)
    if data.startswith(_ZIP_MAGIC):
        files = open_zip(data, name)
        if source is Source.AFTERGLOW or (source is None and "manifest.json" in files):
            return afterglow.read_files(files, name)
        if source in (None, Source.DAYONE):
            return diaries.read_dayone(files, name)
        raise unknown(name)
    if source is Source.AFTERFLOW or (source is None and afterflow.looks_like_afterflow(data)):
        return afterflow.read_afterflow(data, name)
    if source in (None, Source.DAYONE, Source.JRNL, Source.MINIDIARY):
        value = load_json(data, name) if data.lstrip()[:1] in (b"{", b"[") or source else None
        if value is None:
            raise unknown(name)
        readers = {
            Source.DAYONE: (
                diaries.looks_like_dayone,
                lambda: diaries.read_dayone({"Journal.json": data}, name),
            ),
            Source.JRNL: (diaries.looks_like_jrnl, lambda: diaries.read_jrnl(value, name)),
            Source.MINIDIARY: (
                diaries.looks_like_minidiary,
                lambda: diaries.read_minidiary(value, name),
            ),
        }
        for kind, (looks, reader) in readers.items():
            if source in (None, kind) and looks(value):
                return reader()
        if source is not None:
            raise refuse(
                name, f"is not a {source.label} export", "Choose the file that app exported"
            )
    raise unknown(name)


def _checked(plan: ImportPlan) -> ImportPlan:
    """A plan with nothing to bring in says so, and why, rather than importing nothing."""
    if plan.item_count or (plan.journal is not None and _anything(plan)):
        return plan
    why = " ".join(f"{line[0].upper()}{line[1:]}." for line in plan.skipped.lines())
    raise ImportInvalid(
        f"There is nothing to import in {plan.name}."
        + (f" {why}" if why else "")
        + " Nothing in your journal was changed."
    )


def _anything(plan: ImportPlan) -> bool:
    assert plan.journal is not None
    content = plan.journal.content
    return bool(content.checkins or content.meditations or content.motifs or plan.journal.templates)
