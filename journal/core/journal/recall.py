"""Guided recall: answering a template one prompt at a time.

A `RecallDraft` is the whole state of a recall in progress. It is autosaved
into the vault (as a draft) while the patient types, so closing the window
or a crash loses at most the last second. `finish` turns it into an entry.

Rules kept here, once:
- skipped and empty prompts are not stored as answers;
- the entry keeps each prompt's text as it was answered;
- a mood-after scale and the after-effects checklist of a right-after
  template also fill in the session's mood after and after-effects;
- the intention and the mood-before scale of a before-phase template fill in
  the session's intention and mood before (so "About this session" shows them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journal.core.model import Answer, AnswerValue, Entry, Phase, PromptKind
from journal.core.templates import Template
from journal.core.vault.vault import Vault

DRAFT_KEY = "recall"
_MOOD_AFTER_KEYS = {"mood_after"}
_MOOD_BEFORE_KEYS = {"mood_before"}
_INTENTION_KEYS = {"intention"}


@dataclass
class RecallDraft:
    template_id: str
    session_id: int | None = None
    position: int = 0
    texts: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    private: list[str] = field(default_factory=list)
    title: str = ""
    # Sketches, pictures and voice notes per prompt key: already stored in the
    # vault (so nothing is lost), placed under the entry when it is finished.
    attachments: dict[str, list[int]] = field(default_factory=dict)

    def to_payload(self) -> dict[str, Any]:
        return {
            "template_id": self.template_id,
            "session_id": self.session_id,
            "position": self.position,
            "texts": self.texts,
            "values": self.values,
            "private": self.private,
            "title": self.title,
            "attachments": self.attachments,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> RecallDraft:
        return cls(
            template_id=str(payload["template_id"]),
            session_id=payload.get("session_id"),
            position=int(payload.get("position", 0)),
            texts={str(k): str(v) for k, v in dict(payload.get("texts", {})).items()},
            values=dict(payload.get("values", {})),
            private=[str(k) for k in payload.get("private", [])],
            title=str(payload.get("title", "")),
            attachments={
                str(k): [int(i) for i in v] for k, v in dict(payload.get("attachments", {})).items()
            },
        )

    def attachment_ids(self) -> set[int]:
        return {i for ids in self.attachments.values() for i in ids}

    def is_empty(self) -> bool:
        return (
            not any(t.strip() for t in self.texts.values())
            and not any(v not in (None, [], "") for v in self.values.values())
            and not self.attachment_ids()
        )


def _has_content(text: str, value: AnswerValue) -> bool:
    return bool(text.strip()) or value not in (None, [], "")


def build_entry(template: Template, draft: RecallDraft) -> Entry:
    """The entry a draft stands for (answered prompts only, in template order)."""
    answers = []
    for prompt in template.prompts:
        text = draft.texts.get(prompt.key, "")
        value = draft.values.get(prompt.key)
        if not _has_content(text, value) and not draft.attachments.get(prompt.key):
            continue
        answers.append(
            Answer(
                prompt_key=prompt.key,
                prompt_text=prompt.text,
                kind=prompt.kind,
                text=text,
                value=value,
                private=prompt.key in draft.private,
            )
        )
    return Entry(
        phase=template.phase,
        title=draft.title or template.title,
        answers=answers,
        session_id=draft.session_id,
        template_id=template.id,
    )


def save_draft(vault: Vault, draft: RecallDraft) -> None:
    vault.drafts.save(DRAFT_KEY, draft.to_payload())


def load_draft(vault: Vault) -> RecallDraft | None:
    payload = vault.drafts.load(DRAFT_KEY)
    return None if payload is None else RecallDraft.from_payload(payload)


def attach(vault: Vault, prompt_key: str, attachment_id: int) -> None:
    """Record in the saved draft that an attachment was made for a prompt, in
    the vault thread's own step: the sketch belongs to the recall even if the
    window is locked or closed before the draft is saved again."""
    draft = load_draft(vault)
    if draft is None:
        return
    ids = draft.attachments.setdefault(prompt_key, [])
    if attachment_id not in ids:
        ids.append(attachment_id)
        save_draft(vault, draft)


def finish(vault: Vault, draft: RecallDraft) -> Entry:
    """Store the entry, update the session it belongs to, drop the draft —
    all in one transaction."""
    template = vault.templates.get(draft.template_id)
    entry = build_entry(template, draft)
    with vault.db.transaction():
        stored = vault.entries.add(entry)
        assert stored.id is not None
        for key, ids in draft.attachments.items():
            for attachment_id in ids:
                if vault.attachments.exists(attachment_id):
                    vault.attachments.place(attachment_id, stored.id, key)
                    if key in draft.private:  # a private answer's sketch stays private too
                        vault.attachments.set_private(attachment_id, True)
        # Those of an earlier recall that was replaced before it was finished.
        vault.attachments.delete_unplaced()
        if draft.session_id is not None and template.phase is Phase.RIGHT_AFTER:
            session = vault.sessions.get(draft.session_id)
            for answer in stored.answers:
                if answer.prompt_key in _MOOD_AFTER_KEYS and isinstance(answer.value, int):
                    session.mood_after = answer.value
                if answer.kind is PromptKind.AFTER_EFFECTS and isinstance(answer.value, list):
                    session.after_effects = [str(v) for v in answer.value if v != "None"]
            vault.sessions.update(session)
        if draft.session_id is not None and template.phase is Phase.BEFORE:
            session = vault.sessions.get(draft.session_id)
            for answer in stored.answers:
                if answer.prompt_key in _MOOD_BEFORE_KEYS and isinstance(answer.value, int):
                    session.mood_before = answer.value
                if (
                    answer.prompt_key in _INTENTION_KEYS
                    and answer.text.strip()
                    and not answer.private
                ):
                    session.intention = answer.text.strip()
            vault.sessions.update(session)
        vault.drafts.delete(DRAFT_KEY)
    return stored
