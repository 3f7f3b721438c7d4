"""A folder of Markdown diaries (plain folders, Obsidian daily notes), or one
Markdown file: each ``.md`` file is a free entry. Its date comes from YAML
front matter (``date``), else from the file name (``2024-03-05.md``,
``2024-03-05 Some title.md``), else from when the file was last changed (the
preview says how many). Pictures linked with a relative path inside the
folder (``![](pics/a.png)``, Obsidian's ``![[a.png]]``) come along."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from journal.core.errors import ImportInvalid, InvalidInput
from journal.core.imagery import media
from journal.core.imports.plan import ImportPlan, Skipped, Source, identity, text_entry
from journal.core.imports.reading import (
    Budget,
    FolderTooLarge,
    decode,
    folder_files,
    read_bytes,
    refuse,
)
from journal.core.model import Attachment

_SUFFIXES = (".md", ".markdown")
_MAX_MARKDOWN_BYTES = 16 * 1024 * 1024
_MAX_FRONT_MATTER = 64 * 1024
_NAME_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[ T_](\d{2})[:.h-]?(\d{2}))?(?:\s*[-–—_]?\s*(.*))?\Z"
)
_LINK = re.compile(r"!\[([^\]\n]{0,300})\]\(\s*<?([^)\s>]{1,500})>?(?:\s+\"[^\"\n]*\")?\s*\)")
_WIKI = re.compile(r"!\[\[([^\]|\n]{1,300})(?:\|[^\]\n]*)?\]\]")


def read_markdown(path: Path) -> ImportPlan:
    """One ``.md`` file or a folder of them."""
    if path.is_dir():
        root, files = path, folder_files(path)
        pages = [f for f in files if f.suffix.lower() in _SUFFIXES]
        if not pages:
            raise refuse(
                f"The folder {path.name}",
                "holds no Markdown (.md) files",
                "Choose the folder your diary's .md files are in",
            )
    else:
        root, files, pages = path.parent, [path], [path]
    plan = ImportPlan(Source.MARKDOWN, path.name)
    budget = Budget(path.name)
    by_name = {f.name.casefold(): f for f in files}
    undated = 0
    for page in pages:
        try:
            text = decode(budget.spend(read_bytes(page, limit=_MAX_MARKDOWN_BYTES)), page.name)
        except FolderTooLarge:
            raise
        except ImportInvalid:
            plan.skipped.add(
                "1 file is not UTF-8 text or too large", "{n} files are not UTF-8 text or too large"
            )
            continue
        meta, body = _front_matter(text)
        written, title = _when_and_title(page, meta)
        body, pictures = _pictures(body, page, root.resolve(), by_name, plan.skipped, budget)
        body = body.strip()
        if not body and not pictures:
            plan.skipped.add("1 file is empty", "{n} files are empty")
            continue
        if written is None:
            try:
                written = datetime.fromtimestamp(page.stat().st_mtime).astimezone()
            except (OSError, ValueError, OverflowError):
                plan.skipped.add("1 file has no date", "{n} files have no date")
                continue
            undated += 1
        plan.entries.append(
            text_entry(
                identity(Source.MARKDOWN, written.isoformat(), title, body),
                body,
                title=title,
                source=Source.MARKDOWN,
                written=written,
                media=pictures,
                tags=_tags(meta.get("tags")),
            )
        )
    if undated:
        plan.notes.append(
            "The date of 1 file comes from when it was last changed (it has no date in its "
            "name or front matter)."
            if undated == 1
            else f"The dates of {undated} files come from when they were last changed (they "
            "have no date in their names or front matter)."
        )
    return plan


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0 or end > _MAX_FRONT_MATTER:
        return {}, text
    try:
        meta = yaml.safe_load(text[3:end])
    except (yaml.YAMLError, RecursionError, ValueError):
        return {}, text
    rest = text[end + 4 :]
    meta = _whole_characters(meta)
    return (meta if isinstance(meta, dict) else {}), rest.split("\n", 1)[1] if "\n" in rest else ""


def _whole_characters(value: Any) -> Any:
    """YAML's ``"\\ud800\\udc00"`` escapes give UTF-16 halves, not characters:
    each pair becomes its character, a lone half U+FFFD (text must be UTF-8)."""
    if isinstance(value, str):
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if isinstance(value, dict):
        return {_whole_characters(k): _whole_characters(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole_characters(v) for v in value]
    return value


def _when_and_title(page: Path, meta: dict[str, Any]) -> tuple[datetime | None, str]:
    """When the page was written (None: nothing says), and its title."""
    given = meta.get("title")
    title = given if isinstance(given, str) else ""
    written = _moment(meta.get("date"))
    match = _NAME_DATE.match(page.stem)
    if written is None and match:
        y, m, d, hh, mm, rest = match.groups()
        try:
            written = datetime.combine(
                date(int(y), int(m), int(d)), time(int(hh or 12), int(mm or 0))
            ).astimezone()
        except (ValueError, OverflowError):
            written = None
        return written, (title or rest or "").strip()
    if not title and not match:
        title = page.stem
    return written, title.strip()


def _moment(value: Any) -> datetime | None:
    try:
        if isinstance(value, datetime):
            return value.astimezone()  # a time without a zone is the computer's
        if isinstance(value, date):
            return datetime.combine(value, time(12, 0)).astimezone()
        if isinstance(value, str) and value.strip():
            text = value.strip()
            if len(text) == 10:
                return datetime.combine(date.fromisoformat(text), time(12, 0)).astimezone()
            return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone()
    except (ValueError, OverflowError, OSError):
        return None
    return None


def _tags(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [t for t in re.split(r"[,\s]+", value) if t]
    if not isinstance(value, list):
        return []
    return [
        str(t).strip().lstrip("#") for t in value if isinstance(t, str | int) and str(t).strip()
    ][:100]


def _pictures(
    body: str,
    page: Path,
    root: Path,
    by_name: dict[str, Path],
    skipped: Skipped,
    budget: Budget,
) -> tuple[str, list[tuple[Attachment, bytes]]]:
    """The body without the links of the pictures that came along, and those pictures."""
    found: list[tuple[Attachment, bytes]] = []

    def take(target: Path | None) -> bool:
        if target is None:
            skipped.add("1 linked picture is missing", "{n} linked pictures are missing")
            return False
        try:
            resolved = target.resolve()
        except (OSError, RuntimeError):
            resolved = None
        if resolved is None or not resolved.is_relative_to(root):
            skipped.add(
                "1 picture link points outside the folder and was left as it is",
                "{n} picture links point outside the folder and were left as they are",
            )
            return False
        if not resolved.is_file():
            skipped.add("1 linked picture is missing", "{n} linked pictures are missing")
            return False
        try:
            found.append(
                media.prepare_file(
                    budget.spend(read_bytes(resolved, limit=media.MAX_ATTACHMENT_BYTES)),
                    resolved.name,
                    sound=False,
                )
            )
        except FolderTooLarge:
            raise
        except (ImportInvalid, InvalidInput):
            skipped.add("1 linked picture can't be read", "{n} linked pictures can't be read")
            return False
        return True

    def link(match: re.Match[str]) -> str:
        target = unquote(match.group(2))
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # a web address: left as text
            return match.group(0)
        return "" if take(page.parent / target) else match.group(0)

    def wiki(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if Path(name).suffix.lower() in _SUFFIXES or "." not in name:
            return match.group(0)  # an embedded note, not a picture
        target = by_name.get(Path(name).name.casefold()) or (page.parent / name)
        return "" if take(target if target.exists() else None) else match.group(0)

    body = _LINK.sub(link, body)
    body = _WIKI.sub(wiki, body)
    return body, found
