"""The motif catalog: each image or metaphor with where it appeared.

For one motif: the sessions it came back in, the passages that name it (the
answer that speaks of it, cut around its first mention), and the sketches,
pictures and voice notes linked to it. The list of all motifs (recurring
first) is `MotifRepository.usage`; the report's motif index reads the same
links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from journal.core.errors import InvalidInput
from journal.core.model import Attachment, Entry, Motif, PromptKind
from journal.core.text import MAX_SHORT_CHARS, checked_text
from journal.core.vault.vault import Vault

PASSAGE_CHARS = 280


@dataclass(frozen=True)
class Passage:
    entry_id: int
    title: str
    written: datetime | None
    session_id: int | None
    prompt: str
    text: str


@dataclass(frozen=True)
class MotifDetail:
    motif: Motif
    sessions: list[tuple[int, datetime]]
    passages: list[Passage]
    attachments: list[Attachment]


def _excerpt(text: str, name: str) -> str:
    """The part of ``text`` around the first mention of ``name``."""
    flat = " ".join(text.split())
    if len(flat) <= PASSAGE_CHARS:
        return flat
    at = flat.casefold().find(name.casefold())
    start = max(0, at - PASSAGE_CHARS // 3) if at >= 0 else 0
    end = start + PASSAGE_CHARS
    return ("…" if start else "") + flat[start:end].strip() + ("…" if end < len(flat) else "")


def passage(entry: Entry, name: str) -> tuple[str, str]:
    """(prompt, text) of the answer that speaks of the motif: the one naming
    it in its text, else the motif list that holds it, else the first text."""
    folded = name.casefold()
    for answer in entry.answers:
        if folded in answer.text.casefold():
            return answer.prompt_text, _excerpt(answer.text, name)
    for answer in entry.answers:
        if answer.kind is PromptKind.MOTIFS and isinstance(answer.value, list):
            for item in answer.value:
                if isinstance(item, dict) and str(item.get("name", "")).casefold() == folded:
                    extra = " — ".join(str(item[k]) for k in ("feeling", "meaning") if item.get(k))
                    return answer.prompt_text, str(item["name"]) + (f" — {extra}" if extra else "")
    for answer in entry.answers:
        if answer.text.strip():
            return answer.prompt_text, _excerpt(answer.text, name)
    return "", ""


def motif_detail(vault: Vault, motif_id: int) -> MotifDetail:
    motif = vault.motifs.get(motif_id)
    passages = []
    sessions: dict[int, datetime] = {}
    for entry_id in motif.entry_ids:
        entry = vault.entries.get(entry_id)
        prompt, text = passage(entry, motif.name)
        passages.append(
            Passage(
                entry_id,
                entry.title or entry.phase.label,
                entry.created_at,
                entry.session_id,
                prompt,
                text,
            )
        )
        if entry.session_id is not None and entry.session_id not in sessions:
            sessions[entry.session_id] = vault.sessions.get(entry.session_id).started_at
    passages.sort(key=lambda p: (p.written is None, p.written))
    return MotifDetail(
        motif,
        sorted(sessions.items(), key=lambda item: item[1]),
        passages,
        vault.attachments.for_motif(motif_id),
    )


def rename(vault: Vault, motif_id: int, name: str) -> Motif:
    """A new name; refused when another motif already has it (merge them instead)."""
    name = checked_text(name, what="motif name", max_chars=MAX_SHORT_CHARS).strip()
    other = vault.motifs.find_by_name(name) if name else None
    if other is not None and other.id != motif_id:
        raise InvalidInput(
            f"There is already a motif called “{other.name}”. To make the two one, "
            "use Merge instead. Nothing was changed."
        )
    motif = vault.motifs.get(motif_id)
    motif.name = name
    return vault.motifs.update(motif)
