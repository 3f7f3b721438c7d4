"""Merging changes between real vaults: the rules of `journal.core.sync.changes`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from journal.core.model import Attachment, AttachmentKind, Motif
from journal.core.sync import merge
from tests.sync_devices import entry, make_devices, session


def exchange(*devices):  # type: ignore[no-untyped-def]
    batches = [(d, d.send()) for d in devices]
    for device in devices:
        for sender, batch in batches:
            if sender is not device:
                device.receive(batch)


def test_a_journal_reaches_the_other_device_whole(tmp_path: Path) -> None:
    a, b = make_devices(tmp_path, 2)
    s = a.vault.sessions.add(session("calm"))
    e = a.vault.entries.add(entry("The sea", "waves", "blue light", session_id=s.id))
    m = a.vault.motifs.add(Motif(name="the sea"))
    a.vault.motifs.link(m.id, e.id)
    a.vault.attachments.add(
        Attachment(kind=AttachmentKind.IMAGE, mime="image/png", entry_id=e.id), b"\x89PNG-bytes"
    )
    exchange(a, b)
    assert a.content() == b.content()
    (got,) = b.vault.entries.all()
    assert got.title == "The sea" and [x.text for x in got.answers] == ["waves", "blue light"]
    assert got.session_id is not None and b.vault.sessions.get(got.session_id).notes == "calm"
    assert b.vault.attachments.data(b.vault.attachments.for_entry(got.id)[0].id) == b"\x89PNG-bytes"


def test_edits_of_different_fields_on_two_devices_both_survive(tmp_path: Path) -> None:
    a, b = make_devices(tmp_path, 2)
    e = a.vault.entries.add(entry("Title", "first", "second"))
    exchange(a, b)
    (eb,) = b.vault.entries.all()
    a.vault.entries.update(replace(e, title="New title"))
    eb.answers[1] = replace(eb.answers[1], text="second, edited")
    b.vault.entries.update(eb)
    exchange(a, b)
    assert a.content() == b.content()
    (got,) = a.vault.entries.all()
    assert got.title == "New title"
    assert [x.text for x in got.answers] == ["first", "second, edited"]
    assert merge.conflicts(a.db) == []


def test_the_same_answer_written_on_two_devices_keeps_both(tmp_path: Path) -> None:
    a, b = make_devices(tmp_path, 2)
    e = a.vault.entries.add(entry("Title", "first"))
    exchange(a, b)
    (eb,) = b.vault.entries.all()
    ea = a.vault.entries.get(e.id)
    ea.answers[0] = replace(ea.answers[0], text="written on the laptop")
    a.vault.entries.update(ea)
    eb.answers[0] = replace(eb.answers[0], text="written at home")
    b.vault.entries.update(eb)
    exchange(a, b)
    assert a.content() == b.content()
    ((table, gid, name, versions),) = merge.conflicts(a.db)
    assert (table, name) == ("answers", "body")
    assert sorted(versions) == ["written at home", "written on the laptop"]
    assert merge.conflicts(b.db) == merge.conflicts(a.db)
    merge.choose(b.db, b.id, table, gid, name, "written at home")
    exchange(a, b)
    assert merge.conflicts(a.db) == merge.conflicts(b.db) == []
    assert a.vault.entries.get(e.id).answers[0].text == "written at home"


def test_an_edit_the_deleting_device_had_not_seen_brings_the_record_back(tmp_path: Path) -> None:
    a, b = make_devices(tmp_path, 2)
    e = a.vault.entries.add(entry("Keep me", "text"))
    exchange(a, b)
    (eb,) = b.vault.entries.all()
    a.vault.entries.delete(e.id)
    b.vault.entries.update(replace(eb, title="Edited meanwhile"))
    exchange(a, b)
    assert a.content() == b.content()
    (got,) = a.vault.entries.all()
    assert got.title == "Edited meanwhile"


def test_a_deletion_after_seeing_every_edit_removes_everywhere(tmp_path: Path) -> None:
    a, b, c = make_devices(tmp_path, 3)
    e = a.vault.entries.add(entry("Going", "text"))
    exchange(a, b, c)
    a.vault.entries.delete(e.id)
    exchange(a, b, c)
    assert a.content() == b.content() == c.content()
    assert b.vault.entries.all() == [] and c.vault.entries.all() == []


def test_duplicates_and_any_order_give_the_same_journal(tmp_path: Path) -> None:
    a, b, c = make_devices(tmp_path, 3)
    a.vault.entries.add(entry("one", "x"))
    first = a.send()
    eb = b.vault.entries.add(entry("two", "y"))
    second = b.send()
    b.vault.entries.update(replace(eb, title="two, again"))
    third = b.send()
    c.receive(third)
    c.receive(first)
    c.receive(second)
    c.receive(third)
    a.receive(second)
    a.receive(third)
    b.receive(first)
    assert a.content() == b.content() == c.content()


def test_a_picture_added_to_an_entry_deleted_elsewhere_brings_the_entry_back(
    tmp_path: Path,
) -> None:
    # Found by the convergence property: the picture stayed on one device as an
    # orphan (no entry, no motif) and was gone on the other.
    for first in (0, 1):
        a, b = make_devices(tmp_path / str(first), 2)
        e = a.vault.entries.add(entry("The sea", "waves"))
        exchange(a, b)
        a.vault.entries.delete(e.id)
        (there,) = b.vault.entries.all()
        b.vault.attachments.add(
            Attachment(kind=AttachmentKind.IMAGE, mime="image/png", entry_id=there.id), b"png"
        )
        sent = [a.send(), b.send()]
        b.receive(sent[0])
        a.receive(sent[1])
        if first:  # the other order, and each again
            a.receive(sent[1])
            b.receive(sent[0])
        assert a.content() == b.content()
        for device in (a, b):
            (kept,) = device.vault.entries.all()  # it comes back: the picture was not seen deleted
            (picture,) = device.vault.attachments.for_entry(kept.id)
            assert device.vault.attachments.data(picture.id) == b"png"
