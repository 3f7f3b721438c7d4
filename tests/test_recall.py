"""Guided recall drafts and finishing them into entries (core, no Qt)."""

from __future__ import annotations

from datetime import datetime

from journal.core.journal import recall
from journal.core.journal.demo import populate
from journal.core.model import Phase, PromptKind, Session
from journal.core.vault import vault as vaults


def _session(vault: vaults.Vault) -> int:
    session = vault.sessions.add(
        Session(started_at=datetime(2026, 11, 2, 10).astimezone(), mood_before=3)
    )
    assert session.id is not None
    return session.id


def test_draft_round_trips_through_the_vault(vault: vaults.Vault) -> None:
    draft = recall.RecallDraft(
        "right-after-gentle",
        session_id=_session(vault),
        position=2,
        texts={"first": "sand 🌊"},
        values={"mood_after": 6},
        private=["first"],
    )
    recall.save_draft(vault, draft)
    assert recall.load_draft(vault) == draft


def test_finish_stores_answered_prompts_and_updates_the_session(vault: vaults.Vault) -> None:
    session_id = _session(vault)
    draft = recall.RecallDraft(
        "right-after-gentle",
        session_id=session_id,
        texts={"first": "A door in the sea", "images": "   ", "body": "light"},
        values={
            "metaphors": [{"name": "floating", "kind": "metaphor"}],
            "after_effects": ["Nausea", "Dizziness"],
            "mood_after": 7,
        },
        private=["body"],
    )
    recall.save_draft(vault, draft)
    entry = recall.finish(vault, draft)
    assert [a.prompt_key for a in entry.answers] == [
        "first",
        "metaphors",
        "body",
        "after_effects",
        "mood_after",
    ]
    assert entry.answers[0].prompt_text == "What is the first thing you remember?"
    assert entry.phase is Phase.RIGHT_AFTER and entry.title == "Right after — gentle"
    assert entry.answers[2].private
    assert entry.answers[1].kind is PromptKind.MOTIFS
    session = vault.sessions.get(session_id)
    assert (session.mood_after, session.after_effects) == (7, ["Nausea", "Dizziness"])
    assert vault.motifs.find_by_name("floating") is not None
    assert recall.load_draft(vault) is None


def test_an_empty_draft_is_empty() -> None:
    assert recall.RecallDraft("x", texts={"a": "  "}, values={"b": []}).is_empty()
    assert not recall.RecallDraft("x", values={"b": 0}).is_empty()


def test_summaries_for_the_timeline(vault: vaults.Vault) -> None:
    populate(vault)
    summaries = vault.entries.summaries()
    assert len(summaries) == vault.entries.count() == 10
    assert summaries[0].title == "For Thursday's appointment"
    assert [s.created_at for s in summaries] == sorted(
        (s.created_at for s in summaries), reverse=True
    )
    right_after = next(s for s in summaries if s.title == "Session 1 — right after")
    assert right_after.preview.startswith("The ceiling dissolved")
    assert vault.motifs.usage()[0].motif.name == "a door in the ocean"
    assert len(vault.checkins.all()) == 24  # 4 sessions: PHQ-9, GAD-7, 3 moods, the EBI
