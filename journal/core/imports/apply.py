"""Storing an `ImportPlan` in the open journal: all of it or none of it.

The whole import is one transaction: cancelled, crashed, a full disk or a
record refused half-way, the journal is as it was. Each item is looked up
by its identity in the source first (`vault.imported`), so a second import
of the same file adds only what is new. The search index follows by its
triggers, so what came in is searchable at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from journal.core.errors import ImportCancelled
from journal.core.imports import restore
from journal.core.imports.plan import ImportPlan, NewEntry, Source
from journal.core.imports.storing import ImportResult, count, once
from journal.core.model import Answer, Entry, MotifKind, PromptKind
from journal.core.vault.vault import Vault

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass
class Preview:
    """What an import would do to this journal, before anything is written."""

    plan: ImportPlan
    already: int  # items of the file that an earlier import brought in

    def lines(self) -> list[str]:
        """The preview in plain sentences, the same in the app and the CLI."""
        plan = self.plan
        found = [
            count(plan.entry_count, "entry", "entries"),
            *([count(plan.session_count, "session", "sessions")] if plan.session_count else []),
            *(
                [count(plan.media_count, "picture or recording", "pictures and recordings")]
                if plan.media_count
                else []
            ),
        ]
        journal = plan.journal
        if journal is not None:
            content = journal.content
            found += [
                count(len(content.checkins), "check-in", "check-ins"),
                count(len(content.motifs), "motif", "motifs"),
            ]
        lines = [f"Recognised: {_from(plan)} — " + ", ".join(found) + "."]
        moments = plan.moments()
        if moments:
            first, last = moments[0], moments[-1]
            lines.append(
                f"Written on {first:%-d %B %Y}."
                if first.date() == last.date()
                else f"Written from {first:%-d %B %Y} to {last:%-d %B %Y}."
            )
        if self.already:
            lines.append(
                f"{count(self.already, 'item is', 'items are')} already in your journal from "
                "an earlier import and will not be added again."
            )
        lines += [
            f"{line[0].upper()}{line[1:]} and will be left out." for line in plan.skipped.lines()
        ]
        lines += plan.notes
        return lines


def _from(plan: ImportPlan) -> str:
    if plan.source is Source.AFTERGLOW:
        return "an export of everything from Afterglow"
    if plan.source is Source.MARKDOWN:
        return "Markdown files"
    return f"an export from {plan.source.label}"


def preview(vault: Vault, plan: ImportPlan) -> Preview:
    keys = [e.key for e in plan.entries] + [s.key for s in plan.sessions]
    if plan.journal is not None:
        keys = [*restore.journal_keys(plan.journal)]
    return Preview(plan, already=sum(1 for key in keys if vault.imported.find(key) is not None))


def apply(
    vault: Vault,
    plan: ImportPlan,
    *,
    tags_as_motifs: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportResult:
    """Store the plan in one transaction. Raises `ImportCancelled` (nothing
    kept) when ``cancelled()`` turns true; `DiskFull` and the like likewise
    keep nothing."""
    result = ImportResult()
    total = max(1, plan.item_count + plan.media_count)
    done = 0

    def tick(n: int = 1) -> None:
        nonlocal done
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        done += n
        if progress is not None:
            progress(min(done, total), total)

    with vault.db.transaction():
        if plan.journal is not None:
            restore.Restore(vault, plan.journal, result, tick).run()
        else:
            for session in plan.sessions:
                tick()
                stored = once(
                    vault,
                    result,
                    session.key,
                    "session",
                    partial(vault.sessions.add, session.session),
                )
                if stored is None:
                    continue
                for entry in session.entries:
                    _add_entry(vault, entry, result, tags_as_motifs, tick, session_id=stored)
            for entry in plan.entries:
                _add_entry(vault, entry, result, tags_as_motifs, tick)
        if cancelled is not None and cancelled():
            raise ImportCancelled()
    return result


def _add_entry(
    vault: Vault,
    item: NewEntry,
    result: ImportResult,
    tags_as_motifs: bool,
    tick: Callable[[int], None],
    *,
    session_id: int | None = None,
) -> None:
    tick(1 + len(item.media))

    def store() -> Entry:
        lines = list(item.notes)
        if item.tags and not tags_as_motifs:
            lines.insert(0, "Tags: " + ", ".join(item.tags))
        entry = item.entry
        if lines:
            first = entry.answers[0] if entry.answers else Answer("text", "", PromptKind.TEXT)
            text = "\n\n".join(part for part in (first.text, "\n".join(lines)) if part)
            entry = replace(entry, answers=[replace(first, text=text), *entry.answers[1:]])
        stored = vault.entries.add(replace(entry, session_id=session_id), keep_times=True)
        assert stored.id is not None
        for meta, data in item.media:
            vault.attachments.add(replace(meta, entry_id=stored.id), data)
            result.attachments += 1
        if tags_as_motifs:
            for tag in item.tags:
                name = tag.strip().lstrip("@#").strip()
                if name:
                    motif = vault.motifs.find_or_add(name, kind=MotifKind.OTHER)
                    assert motif.id is not None
                    vault.motifs.link(motif.id, stored.id)
        return stored

    attachments_before = result.attachments
    if once(vault, result, item.key, "entry", store) is None:
        result.attachments = attachments_before  # a refused entry's pictures were rolled back
