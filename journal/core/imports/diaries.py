"""Diaries exported as JSON: Day One (a ZIP with one JSON per journal and its
photos and audio, or a JSON alone), jrnl (``jrnl --export json``) and Mini
Diary. Each becomes free entries at the time it was written; see
docs/import.md for what comes across."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from journal.core.errors import InvalidInput
from journal.core.imagery import media
from journal.core.imports.plan import ImportPlan, NewEntry, Skipped, Source, identity, text_entry
from journal.core.imports.reading import (
    load_json,
    local_wall_time,
    open_zip,
    refuse,
    text_of,
)
from journal.core.model import Attachment

_EMPTY = ("1 entry is empty", "{n} entries are empty")
_BAD_DATE = (
    "1 entry has a date Afterglow can't read",
    "{n} entries have a date Afterglow can't read",
)
_DAMAGED = ("1 entry is damaged", "{n} entries are damaged")
_MAX_ENTRIES = 200_000


def _entries_list(value: Any, name: str) -> list[Any]:
    if len(value) > _MAX_ENTRIES:
        raise refuse(
            name,
            f"holds more than {_MAX_ENTRIES:,} entries",
            "Export a smaller part of the journal and import each",
        )
    return list(value)


def looks_like_dayone(value: Any) -> bool:
    entries = value.get("entries") if isinstance(value, dict) else None
    return isinstance(entries, list) and any(
        isinstance(e, dict) and "creationDate" in e for e in entries[:20]
    )


def looks_like_jrnl(value: Any) -> bool:
    entries = value.get("entries") if isinstance(value, dict) else None
    return isinstance(entries, list) and any(
        isinstance(e, dict) and "body" in e and "date" in e for e in entries[:20]
    )


def looks_like_minidiary(value: Any) -> bool:
    if not isinstance(value, dict) or not isinstance(value.get("entries"), dict):
        return False
    meta = value.get("metadata")
    return (isinstance(meta, dict) and meta.get("application") == "Mini Diary") or all(
        isinstance(k, str) and _DAY.match(k) for k in list(value["entries"])[:20]
    )


# --- Day One -----------------------------------------------------------------

# ![](dayone-moment://ID) for photos, ![](dayone-moment:/audio/ID) for audio, …
_MOMENT = re.compile(r"!\[[^\]]*\]\(dayone-moment:/{1,2}(?:[A-Za-z]+/)?([A-Za-z0-9-]{1,64})\)")
# Day One escapes Markdown's punctuation in its export ("1\. step", "Hello\!").
_ESCAPED = re.compile(r"\\([.!\-()+#>~])")


def _utc(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=None).astimezone()


def read_dayone(files: dict[str, bytes], name: str) -> ImportPlan:
    """A Day One export: ``files`` are the ZIP's (or a lone JSON's) files."""
    plan = ImportPlan(Source.DAYONE, name)
    journals = {
        n: load_json(data, n)
        for n, data in sorted(files.items())
        if n.lower().endswith(".json") and "/" not in n
    }
    journals = {n: v for n, v in journals.items() if looks_like_dayone(v)}
    if not journals:
        raise refuse(
            name,
            "holds no Day One journal (no JSON file with entries)",
            "In Day One choose Export → JSON, then import the ZIP file it makes",
        )
    by_md5 = _files_by_md5(files)
    for journal_name, value in journals.items():
        label = "Day One" if len(journals) == 1 else f"Day One ({journal_name[:-5]})"
        for record in _entries_list(value["entries"], journal_name):
            found = _dayone_entry(record, by_md5, plan.skipped, label=label)
            if found is not None:
                plan.entries.append(found)
    return plan


def _files_by_md5(files: dict[str, bytes]) -> dict[str, tuple[str, bytes]]:
    found = {}
    for n, data in files.items():
        folder, _, base = n.rpartition("/")
        if folder.rsplit("/", 1)[-1] in ("photos", "audios") and "." in base:
            found[base.rsplit(".", 1)[0].lower()] = (base, data)
    return found


def _dayone_entry(
    record: Any, by_md5: dict[str, tuple[str, bytes]], skipped: Skipped, *, label: str
) -> NewEntry | None:
    if not isinstance(record, dict):
        skipped.add(*_DAMAGED)
        return None
    created = _utc(record.get("creationDate"))
    if created is None:
        skipped.add(*_BAD_DATE)
        return None
    zone = record.get("timeZone") if isinstance(record.get("timeZone"), str) else None
    written = local_wall_time(created, zone)
    modified = _utc(record.get("modifiedDate"))
    edited = (
        local_wall_time(modified, zone)
        if modified and modified - created > timedelta(minutes=1)
        else None
    )
    attached: list[tuple[Attachment, bytes]] = []
    for kind, one, many in (
        (
            "photos",
            "1 photo is missing from the archive",
            "{n} photos are missing from the archive",
        ),
        (
            "audios",
            "1 recording is missing from the archive",
            "{n} recordings are missing from the archive",
        ),
    ):
        items = record.get(kind)
        for item in items if isinstance(items, list) else []:
            md5 = item.get("md5") if isinstance(item, dict) else None
            file = by_md5.get(md5.lower()) if isinstance(md5, str) else None
            if file is None:
                skipped.add(one, many)
                continue
            try:
                attached.append(media.prepare_file(file[1], file[0], sound=kind == "audios"))
            except InvalidInput:
                skipped.add(
                    "1 picture or recording can't be read",
                    "{n} pictures or recordings can't be read",
                )
    text = _ESCAPED.sub(r"\1", _MOMENT.sub("", text_of(record, "text"))).strip()
    if not text and not attached:
        skipped.add(*_EMPTY)
        return None
    tags = (
        [t for t in record.get("tags", []) if isinstance(t, str) and t.strip()][:100]
        if isinstance(record.get("tags"), list)
        else []
    )
    uuid = record.get("uuid")
    key = (
        f"dayone:{uuid}"
        if isinstance(uuid, str) and 0 < len(uuid) <= 64
        else identity(Source.DAYONE, created.isoformat(), text)
    )
    return text_entry(
        key,
        text,
        source=Source.DAYONE,
        from_label=label,
        written=written,
        edited=edited,
        media=attached,
        tags=tags,
        notes=["Starred in Day One."] if record.get("starred") is True else [],
    )


# --- jrnl --------------------------------------------------------------------


def read_jrnl(value: dict[str, Any], name: str) -> ImportPlan:
    plan = ImportPlan(Source.JRNL, name)
    for record in _entries_list(value["entries"], name):
        if not isinstance(record, dict):
            plan.skipped.add(*_DAMAGED)
            continue
        day, clock = text_of(record, "date"), text_of(record, "time") or "00:00"
        try:
            written = datetime.combine(date.fromisoformat(day), time.fromisoformat(clock))
        except ValueError:
            plan.skipped.add(*_BAD_DATE)
            continue
        title, body = text_of(record, "title").strip(), text_of(record, "body").strip()
        if not title and not body:
            plan.skipped.add(*_EMPTY)
            continue
        tags = record.get("tags")
        plan.entries.append(
            text_entry(
                identity(Source.JRNL, day, clock, title, body),
                body,
                title=title,
                source=Source.JRNL,
                written=written.astimezone(),
                tags=[t for t in tags if isinstance(t, str)][:100]
                if isinstance(tags, list)
                else [],
                notes=["Starred in jrnl."] if record.get("starred") is True else [],
            )
        )
    return plan


# --- Mini Diary --------------------------------------------------------------

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def read_minidiary(value: dict[str, Any], name: str) -> ImportPlan:
    plan = ImportPlan(Source.MINIDIARY, name)
    plan.notes.append(
        "Mini Diary keeps one entry a day without a time of day; each is placed at noon."
    )
    for day, record in _entries_list(value["entries"].items(), name):
        if not isinstance(record, dict):
            plan.skipped.add(*_DAMAGED)
            continue
        try:
            written = datetime.combine(date.fromisoformat(str(day)), time(12, 0))
        except ValueError:
            plan.skipped.add(*_BAD_DATE)
            continue
        title, text = text_of(record, "title").strip(), text_of(record, "text").strip()
        if not title and not text:
            plan.skipped.add(*_EMPTY)
            continue
        plan.entries.append(
            text_entry(
                identity(Source.MINIDIARY, str(day), title, text),
                text,
                title=title,
                source=Source.MINIDIARY,
                written=written.astimezone(),
            )
        )
    return plan


def read_json_diary(data: bytes, name: str) -> ImportPlan | None:
    """A JSON file of one of the diaries above; None when it is none of them."""
    value = load_json(data, name)
    if looks_like_dayone(value):
        return read_dayone({"Journal.json": data}, name)
    if looks_like_jrnl(value):
        return read_jrnl(value, name)
    if looks_like_minidiary(value):
        return read_minidiary(value, name)
    return None


def read_dayone_zip(data: bytes, name: str) -> ImportPlan:
    return read_dayone(open_zip(data, name), name)
