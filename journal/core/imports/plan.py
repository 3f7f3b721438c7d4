"""What an import would bring in: read from the source, checked, not yet stored.

A parser turns a file or folder into an `ImportPlan`; the preview shows it;
`journal.core.imports.apply` stores it in one transaction. Every item carries
its identity in the source (`key`), so a second import adds only what is new.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from journal.core.model import Answer, Attachment, Entry, Phase, PromptKind, Session

if TYPE_CHECKING:
    from journal.core.sharing.share import BundleContent


class Source(StrEnum):
    DAYONE = "dayone"
    JRNL = "jrnl"
    MINIDIARY = "minidiary"
    MARKDOWN = "markdown"
    AFTERFLOW = "afterflow"
    AFTERGLOW = "afterglow"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Source.DAYONE: "Day One",
    Source.JRNL: "jrnl",
    Source.MINIDIARY: "Mini Diary",
    Source.MARKDOWN: "Markdown files",
    Source.AFTERFLOW: "Afterflow",
    Source.AFTERGLOW: "Afterglow",
}


def identity(source: Source, *parts: str) -> str:
    """An item's identity when its source gives it none: a hash of the source,
    its date and its text (kept only inside the vault)."""
    digest = hashlib.sha256("\x1f".join((source.value, *parts)).encode("utf-8")).hexdigest()
    return f"{source.value}:{digest}"


@dataclass
class NewEntry:
    key: str
    entry: Entry
    media: list[tuple[Attachment, bytes]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # Lines added under the text, such as "Starred in Day One."
    notes: list[str] = field(default_factory=list)


@dataclass
class NewSession:
    key: str
    session: Session
    entries: list[NewEntry] = field(default_factory=list)


@dataclass
class Skipped:
    """What was left out, and why: counted by reason, said in plain words."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, one: str, many: str, n: int = 1) -> None:
        """``one`` and ``many``: "1 entry is empty" / "3 entries are empty", with
        ``{n}`` standing for the number."""
        self.counts[(one, many)] = self.counts.get((one, many), 0) + n

    def lines(self) -> list[str]:
        return [(one if n == 1 else many).format(n=n) for (one, many), n in self.counts.items()]

    def __bool__(self) -> bool:
        return bool(self.counts)


@dataclass
class AfterglowJournal:
    """An Afterglow export of everything: the whole journal, with its own ids."""

    content: BundleContent
    templates: list[str] = field(default_factory=list)  # TOML sources
    checklist: bytes | None = None


@dataclass
class ImportPlan:
    source: Source
    name: str  # the file or folder, as the person chose it (never its contents)
    entries: list[NewEntry] = field(default_factory=list)
    sessions: list[NewSession] = field(default_factory=list)
    journal: AfterglowJournal | None = None
    skipped: Skipped = field(default_factory=Skipped)
    notes: list[str] = field(default_factory=list)

    def all_entries(self) -> list[NewEntry]:
        return [*self.entries, *(e for s in self.sessions for e in s.entries)]

    @property
    def entry_count(self) -> int:
        if self.journal is not None:
            return len(self.journal.content.entries)
        return len(self.all_entries())

    @property
    def session_count(self) -> int:
        if self.journal is not None:
            return len(self.journal.content.sessions)
        return len(self.sessions)

    @property
    def media_count(self) -> int:
        if self.journal is not None:
            return len(self.journal.content.attachments)
        return sum(len(e.media) for e in self.all_entries())

    @property
    def item_count(self) -> int:
        return self.entry_count + self.session_count

    def moments(self) -> list[datetime]:
        if self.journal is not None:
            content = self.journal.content
            found = [e.created_at for e in content.entries if e.created_at]
            return sorted([*found, *(s.started_at for s in content.sessions)])
        found = [e.entry.created_at for e in self.all_entries() if e.entry.created_at]
        return sorted([*found, *(s.session.started_at for s in self.sessions)])


def text_entry(
    key: str,
    text: str,
    *,
    source: Source,
    written: datetime,
    title: str = "",
    edited: datetime | None = None,
    phase: Phase = Phase.FREE,
    media: list[tuple[Attachment, bytes]] | None = None,
    tags: list[str] | None = None,
    notes: list[str] | None = None,
    from_label: str | None = None,
) -> NewEntry:
    """A free entry of one text answer, as `afterglow add` writes one."""
    return NewEntry(
        key=key,
        entry=Entry(
            phase=phase,
            title=title,
            created_at=written,
            edited_at=edited,
            source=from_label or source.label,
            answers=[Answer(prompt_key="text", prompt_text="", kind=PromptKind.TEXT, text=text)],
        ),
        media=media or [],
        tags=tags or [],
        notes=notes or [],
    )
