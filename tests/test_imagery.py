"""Sketches, pictures and voice notes in entries, motifs and bundles, and the
motif catalog (core, no Qt)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timedelta

import pyrage
import pytest
from PIL import Image

from journal.core.errors import InvalidInput
from journal.core.imagery import media
from journal.core.journal import catalog, recall
from journal.core.journal.render import entry_html
from journal.core.model import Answer, Attachment, AttachmentKind, Entry, Motif, PromptKind, Session
from journal.core.sharing import bundle, report, share
from journal.core.vault import schema
from journal.core.vault import vault as vaults


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (40, 90, 160)).save(out, "PNG")
    return media.prepare_image(out.getvalue()).data


PNG = _png()
WAV = media.encode_wav(b"\0\1" * 16_000, rate=16_000, channels=1, sample_width=2)


def _sketch(vault: vaults.Vault, **kw: object) -> Attachment:
    return vault.attachments.add(Attachment(AttachmentKind.SKETCH, "image/png", **kw), PNG)  # type: ignore[arg-type]


def test_schema_6_adds_placement_and_length(vault: vaults.Vault) -> None:
    assert vault.db.pragma("user_version") == schema.LATEST >= 6
    note = vault.attachments.add(
        Attachment(AttachmentKind.AUDIO, "audio/wav", prompt_key="first", seconds=1.0), WAV
    )
    assert (note.prompt_key, note.seconds, note.label) == ("first", 1.0, "Voice note (0:01)")


def test_a_recall_sketch_lands_under_its_prompt(vault: vaults.Vault) -> None:
    # Made during the recall: stored at once (nothing lost), placed on finish.
    sketch = _sketch(vault, prompt_key="images")
    stale = _sketch(vault, prompt_key="first")  # from a recall that was replaced
    kept_for_motif = _sketch(vault, motif_id=vault.motifs.add(Motif("a door")).id)
    draft = recall.RecallDraft("right-after-gentle", texts={"first": "Warm light."})
    draft.attachments = {"images": [sketch.id or 0]}
    recall.save_draft(vault, draft)
    loaded = recall.load_draft(vault)
    assert loaded is not None and loaded.attachment_ids() == {sketch.id}
    entry = recall.finish(vault, loaded)
    # A prompt answered only with a sketch still has its place.
    assert [a.prompt_key for a in entry.answers] == ["first", "images"]
    placed = vault.attachments.get(sketch.id or 0)
    assert (placed.entry_id, placed.prompt_key) == (entry.id, "images")
    assert not vault.attachments.exists(stale.id or 0)
    assert vault.attachments.exists(kept_for_motif.id or 0)
    html = entry_html(entry, attachments=vault.attachments.for_entry(entry.id or 0))
    images_heading = html.index(entry.answers[1].prompt_text)
    assert html.index(f'src="attachment:{sketch.id}"') > images_heading


def test_an_empty_draft_with_a_voice_note_is_not_empty() -> None:
    draft = recall.RecallDraft("free", attachments={"text": [3]})
    assert not draft.is_empty()
    assert recall.RecallDraft.from_payload(draft.to_payload()).attachments == {"text": [3]}


def test_the_catalog_shows_sessions_passages_and_pictures(vault: vaults.Vault) -> None:
    when = datetime(2026, 10, 1, 9).astimezone()
    s1 = vault.sessions.add(Session(started_at=when))
    s2 = vault.sessions.add(Session(started_at=when + timedelta(days=14)))
    long_text = "Before. " * 80 + "Then the sea opened, slow and green. " + "After. " * 80
    e1 = vault.entries.add(
        Entry(session_id=s1.id, answers=[Answer("first", "First", text=long_text)])
    )
    e2 = vault.entries.add(
        Entry(
            session_id=s2.id,
            answers=[
                Answer(
                    "metaphors",
                    "It felt like…",
                    kind=PromptKind.MOTIFS,
                    value=[{"name": "the sea", "kind": "metaphor", "feeling": "calm"}],
                ),
            ],
        )
    )
    sea = vault.motifs.find_by_name("the sea")
    assert sea is not None and sea.id is not None
    vault.motifs.link(sea.id, e1.id or 0)
    picture = _sketch(vault, motif_id=sea.id)
    detail = catalog.motif_detail(vault, sea.id)
    assert [s for s, _ in detail.sessions] == [s1.id, s2.id]
    assert [p.entry_id for p in detail.passages] == [e1.id, e2.id]
    first = detail.passages[0].text
    assert "the sea opened" in first and first.startswith("…") and len(first) < 300
    assert detail.passages[1].text == "the sea — calm"
    assert [a.id for a in detail.attachments] == [picture.id]


def test_rename_refuses_a_name_in_use_and_merge_keeps_every_link(vault: vaults.Vault) -> None:
    e1, e2 = vault.entries.add(Entry()), vault.entries.add(Entry())
    sea = vault.motifs.add(Motif("the sea", entry_ids=[e1.id or 0]))
    ocean = vault.motifs.add(Motif("ocean", entry_ids=[e2.id or 0]))
    sea_sketch = _sketch(vault, motif_id=sea.id, entry_id=e1.id)
    ocean_sketch = _sketch(vault, motif_id=ocean.id)
    with pytest.raises(InvalidInput, match=r"already a motif called “ocean”.*Merge"):
        catalog.rename(vault, sea.id or 0, " OCEAN ")
    assert vault.motifs.get(sea.id or 0).name == "the sea"
    assert catalog.rename(vault, sea.id or 0, "the wide sea").name == "the wide sea"
    merged = vault.motifs.merge(ocean.id or 0, sea.id or 0)
    assert merged.entry_ids == [e1.id, e2.id]
    assert {a.id for a in vault.attachments.for_motif(ocean.id or 0)} == {
        sea_sketch.id,
        ocean_sketch.id,
    }
    assert [m.name for m in vault.motifs.for_entry(e1.id or 0)] == ["ocean"]


def test_linking_an_attachment_to_a_motif(vault: vaults.Vault) -> None:
    sketch = _sketch(vault)
    door = vault.motifs.add(Motif("a door"))
    assert vault.attachments.set_motif(sketch.id or 0, door.id).motif_id == door.id
    assert vault.attachments.set_motif(sketch.id or 0, None).motif_id is None
    with pytest.raises(Exception, match="no longer exists"):
        vault.attachments.set_motif(sketch.id or 0, 999)


def test_a_bundle_carries_shared_attachments_and_not_private_ones(vault: vaults.Vault) -> None:
    session = vault.sessions.add(
        Session(started_at=datetime.now().astimezone() - timedelta(days=1))
    )
    entry = vault.entries.add(
        Entry(
            session_id=session.id, answers=[Answer("images", "Images and colours", text="Green.")]
        )
    )
    door = vault.motifs.add(Motif("a door", entry_ids=[entry.id or 0]))
    shared = _sketch(vault, entry_id=entry.id, prompt_key="images", name="the door")
    secret = _sketch(vault, entry_id=entry.id, name="canary-private", private=True)
    voice = vault.attachments.add(
        Attachment(AttachmentKind.AUDIO, "audio/wav", entry_id=entry.id, seconds=1.0), WAV
    )
    motif_only = _sketch(vault, motif_id=door.id, name="door again")
    motif_private = _sketch(vault, motif_id=door.id, name="canary-motif", private=True)
    content = share.collect(vault, share.offer(vault), now=datetime.now().astimezone())
    data = bundle.write_bundle(
        content,
        report_html=report.report_html(content, images_as_files=True),
        share_code="a-b-c-d-e-f",
    )
    files = zipfile.ZipFile(io.BytesIO(pyrage.passphrase.decrypt(data, "a-b-c-d-e-f")))
    names = [n for n in files.namelist() if n.startswith("attachments/")]
    assert sorted(names) == sorted(
        [
            f"attachments/{shared.id}-the-door.png",
            f"attachments/{voice.id}-audio.wav",
            f"attachments/{motif_only.id}-door-again.png",
        ]
    )
    assert files.read(f"attachments/{shared.id}-the-door.png") == PNG
    records = {r["id"]: r for r in json.loads(files.read("attachments.json"))}
    assert records[shared.id]["prompt_key"] == "images" and records[voice.id]["seconds"] == 1.0
    html = files.read("report.html").decode()
    assert "canary" not in html and secret.id not in records and motif_private.id not in records
    # The sketch under its prompt, the voice note named, the motif's picture in the index.
    assert html.index("Images and colours") < html.index(f"attachments/{shared.id}-the-door.png")
    assert f"Voice note (0:01): <code>attachments/{voice.id}-audio.wav</code>" in html
    index = html.index("Images and metaphors across sessions")
    assert html.index(f"attachments/{motif_only.id}-door-again.png") > index
    # The entry's Markdown links its sketch under its answer, and its voice note.
    (markdown,) = [files.read(n).decode() for n in files.namelist() if n.startswith("entries/")]
    sketch_link = f"![Sketch](../attachments/{shared.id}-the-door.png)"
    assert markdown.index("## Images and colours") < markdown.index(sketch_link)
    assert f"[Voice note (0:01)](../attachments/{voice.id}-audio.wav)" in markdown
    assert "canary" not in markdown
    opened = bundle.read_bundle(data, share_code="a-b-c-d-e-f")
    back = {meta.id: meta for meta, _ in opened.content.attachments}
    assert back[voice.id or 0].seconds == 1.0 and back[shared.id or 0].prompt_key == "images"


def test_a_private_answers_sketch_stays_private(vault: vaults.Vault) -> None:
    sketch = _sketch(vault, prompt_key="images")
    draft = recall.RecallDraft("right-after-gentle", private=["images"])
    draft.attachments = {"images": [sketch.id or 0]}
    entry = recall.finish(vault, draft)
    placed = vault.attachments.get(sketch.id or 0)
    assert placed.entry_id == entry.id and placed.private
    content = share.collect(
        vault, share.offer(vault, everything=True), now=datetime.now().astimezone()
    )
    assert content.attachments == []
