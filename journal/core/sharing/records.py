"""Bundle records as JSON and Markdown, and back — with every field checked,
because a bundle is untrusted input."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from journal.core.errors import BundleInvalid
from journal.core.imagery.media import extension
from journal.core.journal.render import answer_value_text
from journal.core.model import (
    Answer,
    Attachment,
    AttachmentKind,
    Checkin,
    CheckinKind,
    Entry,
    Meditation,
    MeditationKind,
    Motif,
    MotifKind,
    Phase,
    PromptKind,
    Route,
    Session,
)


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def session_record(s: Session, *, personal: bool = False) -> dict[str, Any]:
    """A session as JSON; ``personal`` adds what only the patient's own export
    carries (the treatment day's checklist as ticked)."""
    extra = {"checklist": s.checklist} if personal else {}
    return {
        "id": s.id,
        "started_at": _time(s.started_at),
        "route": s.route.value,
        "route_label": s.route.label,
        "dose": s.dose,
        "setting": s.setting,
        "intention": s.intention,
        "music": s.music,
        "mood_before": s.mood_before,
        "mood_after": s.mood_after,
        "after_effects": s.after_effects,
        "notes": s.notes,
        **extra,
    }


def meditation_record(m: Meditation) -> dict[str, Any]:
    return {
        "id": m.id,
        "kind": m.kind.value,
        "started_at": _time(m.started_at),
        "seconds": m.seconds,
        "breaths_per_minute": m.breaths_per_minute,
        "session_id": m.session_id,
        "summary": m.summary,
    }


def entry_record(e: Entry) -> dict[str, Any]:
    return {
        "id": e.id,
        "session_id": e.session_id,
        "phase": e.phase.value,
        "title": e.title,
        "template_id": e.template_id,
        "reflection_of": e.reflection_of,
        "created_at": _time(e.created_at),
        "edited_at": _time(e.edited_at),
        "private": e.private,
        "source": e.source,
        "answers": [
            {
                "id": a.id,
                "prompt_key": a.prompt_key,
                "prompt_text": a.prompt_text,
                "kind": a.kind.value,
                "text": a.text,
                "value": a.value,
                "private": a.private,
            }
            for a in e.answers
        ],
    }


def motif_record(m: Motif) -> dict[str, Any]:
    return {
        "id": m.id,
        "name": m.name,
        "kind": m.kind.value,
        "feeling": m.feeling,
        "meaning": m.meaning,
        "entry_ids": m.entry_ids,
    }


def checkin_record(c: Checkin) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": str(c.kind),
        "taken_at": _time(c.taken_at),
        "answers": c.answers,
        "total": c.total,
        "band": c.band,
        "note": c.note,
        "session_id": c.session_id,
        "flagged": c.flagged,
        "difficulty": c.difficulty,
    }


def attachment_record(a: Attachment, file_name: str, *, personal: bool = False) -> dict[str, Any]:
    """An attachment's metadata; ``personal`` adds its private flag (bundles
    never hold a private attachment)."""
    extra = {"private": a.private} if personal else {}
    return {
        "id": a.id,
        "entry_id": a.entry_id,
        "motif_id": a.motif_id,
        "kind": a.kind.value,
        "mime": a.mime,
        "name": a.name,
        "size": a.size,
        "prompt_key": a.prompt_key,
        "seconds": a.seconds,
        "file": file_name,
        **extra,
    }


def _attachment_markdown(meta: Attachment) -> str:
    """A link from ``entries/`` to the attachment's file beside it: a picture
    shows in any Markdown viewer, a voice note opens in a player."""
    target = "../" + attachment_file_name(meta)
    return f"![{meta.label}]({target})" if meta.is_picture else f"[{meta.label}]({target})"


def entry_markdown(e: Entry, attachments: Sequence[Attachment] = ()) -> str:
    """An entry as Markdown with a small front matter (values JSON-quoted, so
    YAML and JSON readers agree); its sketches, pictures and voice notes
    (those of ``attachments`` that belong to it) linked under their answers."""
    front = {
        "id": e.id,
        "title": e.title,
        "phase": e.phase.value,
        "session": e.session_id,
        "written": _time(e.created_at),
        "edited": _time(e.edited_at),
        "reflection_of": e.reflection_of,
    }
    if e.private:  # only in the patient's own export; bundles never hold private entries
        front["private"] = True
    own = [a for a in attachments if a.entry_id == e.id and a.entry_id is not None]
    lines = [
        "---",
        *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()),
        "---",
        "",
    ]
    for answer in e.answers:
        if answer.prompt_text:
            mark = " (private)" if answer.private else ""
            lines += [f"## {answer.prompt_text}{mark}", ""]
        if answer.text:
            lines += [answer.text, ""]
        value = answer_value_text(answer)
        if value:
            lines += [f"**{value}**", ""]
        lines += [_attachment_markdown(a) + "\n" for a in own if a.prompt_key == answer.prompt_key]
    keys = {answer.prompt_key for answer in e.answers}
    lines += [_attachment_markdown(a) + "\n" for a in own if a.prompt_key not in keys]
    return "\n".join(lines)


def attachment_file_name(meta: Attachment) -> str:
    """Where an attachment lives in an archive: ``attachments/ID-name.ext``,
    with its type's usual extension so any viewer opens it years from now."""
    stem = slug(Path(meta.name).stem, meta.kind.value)[:80]
    return f"attachments/{meta.id}-{stem}{extension(meta.mime)}"


def slug(text: str, fallback: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:60]
    return cleaned or fallback


# --- reading back: every field checked ----------------------------------------


def _get(record: Any, key: str, kind: type, *, optional: bool = False) -> Any:
    if not isinstance(record, dict):
        raise BundleInvalid()
    value = record.get(key)
    if value is None and optional:
        return None
    if kind is int and isinstance(value, bool):  # a bool is not a number here
        raise BundleInvalid()
    if not isinstance(value, kind):
        raise BundleInvalid()
    return value


def _moment(record: Any, key: str, *, optional: bool = False) -> datetime | None:
    text = _get(record, key, str, optional=optional)
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text).astimezone()
    except ValueError:
        raise BundleInvalid() from None


def _enum(enum: Any, value: Any) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise BundleInvalid() from None


def _flag(record: Any, key: str) -> bool:
    """A true/false field that older files leave out (read as false)."""
    return bool(_get(record, key, bool, optional=True))


def _scale(record: Any, key: str) -> int | None:
    value = _get(record, key, int, optional=True)
    if value is not None and not 0 <= value <= 10:
        raise BundleInvalid()
    return value


def _texts(record: Any, key: str) -> list[str]:
    values = _get(record, key, list)
    if not all(isinstance(v, str) for v in values):
        raise BundleInvalid()
    return list(values)


def _ints(record: Any, key: str) -> list[int]:
    values = _get(record, key, list)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise BundleInvalid()
    return list(values)


def read_session(r: Any) -> Session:
    started = _moment(r, "started_at")
    assert started is not None
    return Session(
        id=_get(r, "id", int),
        started_at=started,
        route=_enum(Route, _get(r, "route", str)),
        dose=_get(r, "dose", str),
        setting=_get(r, "setting", str),
        intention=_get(r, "intention", str),
        music=_get(r, "music", str),
        mood_before=_scale(r, "mood_before"),
        mood_after=_scale(r, "mood_after"),
        after_effects=_texts(r, "after_effects"),
        notes=_get(r, "notes", str),
        checklist=_texts(r, "checklist") if isinstance(r, dict) and "checklist" in r else [],
    )


def read_meditation(r: Any) -> Meditation:
    started = _moment(r, "started_at")
    assert started is not None
    seconds = _get(r, "seconds", int)
    pace = _get(r, "breaths_per_minute", int, optional=True)
    if not 1 <= seconds <= 7200 or (pace is not None and not 1 <= pace <= 30):
        raise BundleInvalid()
    return Meditation(
        id=_get(r, "id", int),
        kind=_enum(MeditationKind, _get(r, "kind", str)),
        started_at=started,
        seconds=seconds,
        breaths_per_minute=pace,
        session_id=_get(r, "session_id", int, optional=True),
    )


def _value(raw: Any) -> Any:
    if raw is None or (isinstance(raw, (str, int)) and not isinstance(raw, bool)):
        return raw
    if isinstance(raw, list) and all(
        isinstance(v, str)
        or (
            isinstance(v, dict)
            and all(isinstance(k, str) and isinstance(x, str) for k, x in v.items())
        )
        for v in raw
    ):
        return raw
    raise BundleInvalid()


def read_entry(r: Any) -> Entry:
    answers = [
        Answer(
            id=_get(a, "id", int, optional=True),
            prompt_key=_get(a, "prompt_key", str),
            prompt_text=_get(a, "prompt_text", str),
            kind=_enum(PromptKind, _get(a, "kind", str)),
            text=_get(a, "text", str),
            value=_value(a.get("value") if isinstance(a, dict) else None),
            private=_flag(a, "private"),
        )
        for a in _get(r, "answers", list)
    ]
    return Entry(
        id=_get(r, "id", int),
        session_id=_get(r, "session_id", int, optional=True),
        phase=_enum(Phase, _get(r, "phase", str)),
        title=_get(r, "title", str),
        template_id=_get(r, "template_id", str, optional=True),
        reflection_of=_get(r, "reflection_of", int, optional=True),
        created_at=_moment(r, "created_at", optional=True),
        edited_at=_moment(r, "edited_at", optional=True),
        answers=answers,
        private=_flag(r, "private"),
        source=_get(r, "source", str, optional=True) or "",
    )


def read_motif(r: Any) -> Motif:
    return Motif(
        id=_get(r, "id", int),
        name=_get(r, "name", str),
        kind=_enum(MotifKind, _get(r, "kind", str)),
        feeling=_get(r, "feeling", str),
        meaning=_get(r, "meaning", str),
        entry_ids=_ints(r, "entry_ids"),
    )


def read_checkin(r: Any) -> Checkin:
    taken = _moment(r, "taken_at")
    assert taken is not None
    return Checkin(
        id=_get(r, "id", int),
        kind=_kind(_get(r, "kind", str)),
        taken_at=taken,
        answers=_ints(r, "answers"),
        total=_total(r),
        band=_get(r, "band", str),
        note=_get(r, "note", str),
        session_id=_get(r, "session_id", int, optional=True),
        flagged=_get(r, "flagged", bool),
        difficulty=_difficulty(r),
    )


_KIND = re.compile(r"[a-z][a-z0-9-]{1,31}\Z")


def _kind(value: str) -> str:
    """A built-in kind, or an instrument's id (its definition comes with the bundle)."""
    if not _KIND.match(value):
        raise BundleInvalid()
    return CheckinKind.of(value)


def _total(record: Any) -> float:
    value = record.get("total") if isinstance(record, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise BundleInvalid()
    return value


def _difficulty(record: Any) -> int | None:
    # Absent in older bundles; checked against its questionnaire's follow-up (`measures`).
    value = _get(record, "difficulty", int, optional=True)
    if value is not None and not 0 <= value < 11:
        raise BundleInvalid()
    return value


def _seconds(record: Any) -> float | None:
    value = record.get("seconds") if isinstance(record, dict) else None
    if value is None:  # absent in older bundles, and for pictures
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1e7:
        raise BundleInvalid()
    return float(value)


def read_attachment(r: Any) -> tuple[Attachment, str]:
    return (
        Attachment(
            id=_get(r, "id", int),
            entry_id=_get(r, "entry_id", int, optional=True),
            motif_id=_get(r, "motif_id", int, optional=True),
            kind=_enum(AttachmentKind, _get(r, "kind", str)),
            mime=_get(r, "mime", str),
            name=_get(r, "name", str),
            size=_get(r, "size", int),
            prompt_key=_get(r, "prompt_key", str, optional=True) or "",
            seconds=_seconds(r),
            private=_flag(r, "private"),
        ),
        _get(r, "file", str),
    )
