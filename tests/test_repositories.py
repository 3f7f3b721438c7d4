"""Round trips of every entity through a real encrypted vault."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from journal.core.errors import InvalidInput, NotFound, TemplateInvalid
from journal.core.model import (
    Answer,
    Attachment,
    AttachmentKind,
    CheckinKind,
    Entry,
    Motif,
    MotifKind,
    Phase,
    PromptKind,
    Route,
    Session,
)
from journal.core.vault import vault as vaults
from tests.conftest import PASSPHRASE, FakeClock


def _session(**changes: object) -> Session:
    values: dict[str, object] = {
        "started_at": datetime(2026, 11, 2, 10, 0).astimezone(),
        "route": Route.IV,
        "dose": "0.5 mg/kg",
        "setting": "Clinic, recovery chair by the window",
        "intention": "Be gentler with myself",
        "music": "Low piano",
        "mood_before": 3,
        "mood_after": 6,
        "after_effects": ["Dizziness", "Tiredness"],
        "notes": "Nurse checked blood pressure twice",
    }
    values.update(changes)
    return Session(**values)  # type: ignore[arg-type]


def test_session_round_trip_survives_reopening(vault: vaults.Vault) -> None:
    stored = vault.sessions.add(_session())
    assert stored.id is not None and stored.created_at is not None
    path = vault.paths.database
    vault.close()
    with vaults.unlock(path, PASSPHRASE) as again:
        loaded = again.sessions.get(stored.id)
    assert loaded == stored
    assert loaded.started_at == datetime(2026, 11, 2, 10, 0).astimezone()
    assert loaded.after_effects == ["Dizziness", "Tiredness"]


def test_sessions_newest_first_and_update(vault: vaults.Vault) -> None:
    older = vault.sessions.add(_session(started_at=datetime(2026, 10, 1, 9).astimezone()))
    newer = vault.sessions.add(_session(started_at=datetime(2026, 11, 1, 9).astimezone()))
    assert [s.id for s in vault.sessions.all()] == [newer.id, older.id]
    assert vault.sessions.latest() == newer
    older.mood_after = 8
    assert vault.sessions.update(older).mood_after == 8


@pytest.mark.parametrize("mood", [-1, 11, 3.5, True])
def test_session_moods_must_be_0_to_10(vault: vaults.Vault, mood: object) -> None:
    with pytest.raises(InvalidInput):
        vault.sessions.add(_session(mood_before=mood))
    assert vault.sessions.count() == 0


def _guided_entry(session_id: int | None) -> Entry:
    return Entry(
        phase=Phase.RIGHT_AFTER,
        title="After the third infusion",
        session_id=session_id,
        template_id="right-after-gentle",
        answers=[
            Answer("first", "What is the first thing you remember?", text="A *door* in the sea"),
            Answer(
                "metaphors",
                "It felt like…",
                kind=PromptKind.MOTIFS,
                value=[
                    {"name": "a door in the ocean", "kind": "image", "feeling": "calm"},
                    {"name": "floating", "kind": "metaphor"},
                ],
            ),
            Answer(
                "after_effects",
                "Any after-effects?",
                kind=PromptKind.AFTER_EFFECTS,
                value=["Nausea"],
            ),
            Answer("mood_after", "How is your mood now?", kind=PromptKind.SCALE, value=7),
            Answer("hard", "Hard to say?", text="only for me", private=True),
        ],
    )


def test_entry_round_trip_keeps_prompt_text_and_values(vault: vaults.Vault) -> None:
    session = vault.sessions.add(_session())
    stored = vault.entries.add(_guided_entry(session.id))
    loaded = vault.entries.get(stored.id)  # type: ignore[arg-type]
    assert loaded == stored
    assert loaded.answers[0].prompt_text == "What is the first thing you remember?"
    assert loaded.answers[1].value[0]["name"] == "a door in the ocean"  # type: ignore[index]
    assert loaded.answers[3].value == 7
    assert loaded.answers[4].private is True
    assert loaded.edited_at is None
    assert vault.entries.ids(session_id=session.id) == [stored.id]


def test_motif_answers_create_and_link_motifs_once(vault: vaults.Vault) -> None:
    first = vault.entries.add(_guided_entry(None))
    second = vault.entries.add(_guided_entry(None))
    door = vault.motifs.find_by_name("A DOOR IN THE OCEAN ")
    assert door is not None
    assert door.kind is MotifKind.IMAGE and door.feeling == "calm"
    assert door.entry_ids == [first.id, second.id]
    assert vault.motifs.count() == 2


def test_editing_records_when_and_reflections_leave_the_raw_entry(
    vault: vaults.Vault, clock: FakeClock
) -> None:
    raw = vault.entries.add(_guided_entry(None))
    clock.advance(days=1)
    reflection = vault.entries.add_reflection(
        raw.id,
        Entry(phase=Phase.NEXT_DAY, answers=[Answer("text", "", text="Now I see it")]),  # type: ignore[arg-type]
    )
    assert reflection.reflection_of == raw.id
    assert vault.entries.get(raw.id) == raw  # type: ignore[arg-type]
    assert vault.entries.reflections_of(raw.id) == [reflection]  # type: ignore[arg-type]
    clock.advance(hours=2)
    raw.answers[0].text = "A door in the sea, and a key"
    edited = vault.entries.update(raw)
    assert edited.edited_at == clock.now.replace(microsecond=0)
    assert edited.created_at is not None and edited.created_at < edited.edited_at


def test_reflection_of_a_missing_entry_is_refused(vault: vaults.Vault) -> None:
    with pytest.raises(NotFound):
        vault.entries.add(Entry(reflection_of=999))
    assert vault.entries.count() == 0


def test_invalid_answer_saves_nothing(vault: vaults.Vault) -> None:
    entry = _guided_entry(None)
    entry.answers[3].value = 12
    with pytest.raises(InvalidInput):
        vault.entries.add(entry)
    assert vault.entries.count() == 0
    assert vault.motifs.count() == 0


def test_deleting_an_entry_removes_answers_and_links(vault: vaults.Vault) -> None:
    entry = vault.entries.add(_guided_entry(None))
    vault.entries.delete(entry.id)  # type: ignore[arg-type]
    assert vault.db.scalar("SELECT count(*) FROM answers") == 0
    assert vault.db.scalar("SELECT count(*) FROM motif_links") == 0
    assert [hit.kind for hit in vault.search("door")] == ["motif"]  # the motif stays


def test_motif_usage_puts_recurring_first_and_merge_keeps_links(vault: vaults.Vault) -> None:
    s1 = vault.sessions.add(_session(started_at=datetime(2026, 9, 1, 9).astimezone()))
    s2 = vault.sessions.add(_session(started_at=datetime(2026, 10, 1, 9).astimezone()))
    e1 = vault.entries.add(Entry(session_id=s1.id))
    e2 = vault.entries.add(Entry(session_id=s2.id))
    e3 = vault.entries.add(Entry(session_id=s2.id))
    sea = vault.motifs.add(Motif("the sea", entry_ids=[e1.id, e2.id]))  # type: ignore[list-item]
    ocean = vault.motifs.add(Motif("ocean", kind=MotifKind.METAPHOR, entry_ids=[e2.id, e3.id]))  # type: ignore[list-item]
    once = vault.motifs.add(Motif("a red kite", entry_ids=[e3.id]))  # type: ignore[list-item]
    sketch = vault.attachments.add(
        Attachment(AttachmentKind.SKETCH, "image/png", motif_id=ocean.id), b"\x89PNG..."
    )
    usage = vault.motifs.usage()
    assert [u.motif.name for u in usage] == ["the sea", "ocean", "a red kite"]
    assert usage[0].session_ids == (s1.id, s2.id)
    merged = vault.motifs.merge(sea.id, ocean.id)  # type: ignore[arg-type]
    assert merged.entry_ids == [e1.id, e2.id, e3.id]
    assert vault.attachments.get(sketch.id).motif_id == sea.id  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        vault.motifs.get(ocean.id)  # type: ignore[arg-type]
    assert [m.name for m in vault.motifs.for_entry(e3.id)] == ["a red kite", "the sea"]  # type: ignore[arg-type]
    assert once.id is not None


def test_motif_needs_a_name(vault: vaults.Vault) -> None:
    with pytest.raises(InvalidInput):
        vault.motifs.add(Motif("   "))


def test_attachment_blob_round_trip(vault: vaults.Vault) -> None:
    entry = vault.entries.add(Entry())
    data = bytes(range(256)) * 1000
    stored = vault.attachments.add(
        Attachment(
            AttachmentKind.AUDIO, "audio/wav", name="voice.wav", entry_id=entry.id, private=True
        ),
        data,
    )
    assert stored.size == len(data) and stored.private
    assert vault.attachments.data(stored.id) == data  # type: ignore[arg-type]
    assert vault.attachments.for_entry(entry.id) == [stored]  # type: ignore[arg-type]
    vault.entries.delete(entry.id)  # type: ignore[arg-type]
    assert not vault.attachments.exists(stored.id)  # type: ignore[arg-type]


def test_oversized_attachment_is_refused(
    vault: vaults.Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal.core.imagery import media

    monkeypatch.setattr(media, "MAX_ATTACHMENT_BYTES", 1000)
    with pytest.raises(InvalidInput, match="too large"):
        vault.attachments.add(Attachment(AttachmentKind.IMAGE, "image/png"), b"x" * 1001)


def test_checkins_are_scored_and_stored(vault: vaults.Vault, clock: FakeClock) -> None:
    mood = vault.checkins.add(CheckinKind.MOOD, [6], note="steadier")
    phq = vault.checkins.add(CheckinKind.PHQ9, [1, 2, 1, 1, 0, 1, 1, 0, 1])
    clock.advance(days=14)
    gad = vault.checkins.add(CheckinKind.GAD7, [3, 3, 3, 3, 3, 0, 0])
    assert (mood.total, mood.note) == (6, "steadier")
    assert (phq.total, phq.band, phq.flagged) == (8, "mild", True)
    assert (gad.total, gad.band, gad.flagged) == (15, "severe", False)
    assert vault.checkins.all(CheckinKind.PHQ9) == [phq]
    assert vault.checkins.latest(CheckinKind.GAD7) == gad
    assert [c.id for c in vault.checkins.all()] == [mood.id, phq.id, gad.id]


@pytest.mark.parametrize(
    ("kind", "answers"),
    [
        (CheckinKind.PHQ9, [0] * 8),
        (CheckinKind.PHQ9, [0] * 8 + [4]),
        (CheckinKind.GAD7, [0] * 6 + [-1]),
        (CheckinKind.MOOD, [11]),
        (CheckinKind.MOOD, ["5"]),
    ],
)
def test_bad_checkins_save_nothing(
    vault: vaults.Vault, kind: CheckinKind, answers: list[int]
) -> None:
    with pytest.raises(InvalidInput):
        vault.checkins.add(kind, answers)
    assert vault.checkins.all() == []


def test_drafts_save_replace_load_delete(vault: vaults.Vault, clock: FakeClock) -> None:
    assert vault.drafts.load("recall") is None
    vault.drafts.save("recall", {"answers": {"first": "a do"}})
    clock.advance(seconds=1)
    vault.drafts.save("recall", {"answers": {"first": "a door"}})
    assert vault.drafts.load("recall") == {"answers": {"first": "a door"}}
    assert vault.drafts.updated_at("recall") == clock.now.replace(microsecond=0)
    assert vault.drafts.keys() == ["recall"]
    vault.drafts.delete("recall")
    assert vault.drafts.load("recall") is None


_CUSTOM = """
id = "my-evening"
title = "My evening check"
phase = "integration"

[[prompts]]
key = "best"
text = "What was good today?"
"""


def test_custom_template_import_export(vault: vaults.Vault, tmp_path: Path) -> None:
    source = tmp_path / "mine.toml"
    source.write_text(_CUSTOM, encoding="utf-8")
    imported = vault.templates.import_file(source)
    assert imported.id == "my-evening" and not imported.builtin
    assert vault.templates.get("my-evening").prompts[0].text == "What was good today?"
    assert [t.id for t in vault.templates.all()][-1] == "my-evening"
    out = tmp_path / "out.toml"
    vault.templates.export_file("my-evening", out)
    assert out.read_text(encoding="utf-8") == _CUSTOM
    vault.templates.export_file("right-after-gentle", tmp_path / "builtin.toml")
    assert 'id = "right-after-gentle"' in (tmp_path / "builtin.toml").read_text(encoding="utf-8")


def test_custom_template_may_not_take_a_builtin_id(vault: vaults.Vault) -> None:
    with pytest.raises(TemplateInvalid, match="built-in"):
        vault.templates.add_source(_CUSTOM.replace("my-evening", "next-day"))
    assert vault.templates.custom() == []


def test_import_of_unreadable_file_is_clear(vault: vaults.Vault, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(TemplateInvalid, match=r"bad\.toml"):
        vault.templates.import_file(bad)
    with pytest.raises(TemplateInvalid, match=r"missing\.toml"):
        vault.templates.import_file(tmp_path / "missing.toml")


def test_a_failed_inner_step_is_undone_and_the_outer_transaction_goes_on(
    vault: vaults.Vault,
) -> None:
    with vault.db.transaction():
        kept = vault.entries.add(Entry(title="kept"))
        with pytest.raises(InvalidInput), vault.db.transaction():
            vault.motifs.add(Motif("half-done"))
            vault.motifs.add(Motif("   "))  # invalid: undoes "half-done" too
    assert vault.entries.get(kept.id).title == "kept"  # type: ignore[arg-type]
    assert vault.motifs.count() == 0


def test_an_exception_rolls_back_the_whole_transaction(vault: vaults.Vault) -> None:
    with pytest.raises(RuntimeError), vault.db.transaction():
        vault.entries.add(Entry(title="lost"))
        raise RuntimeError("boom")
    assert vault.entries.count() == 0
    vault.entries.add(Entry(title="the vault still works"))
    assert vault.entries.count() == 1
