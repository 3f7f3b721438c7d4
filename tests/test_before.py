"""Before the session, in the core: the session made ahead and what it keeps
(intention, mood before, the checklist's ticks, meditations), the pacer's
clock, the tones, the checklist file, and meditations in the bundle."""

from __future__ import annotations

import itertools
import json
import math
import re
from array import array
from datetime import date, datetime, timedelta
from html import unescape

import pyrage
import pytest

from journal.core.errors import BundleInvalid, InvalidInput, TemplateInvalid
from journal.core.journal import before, recall, timeline
from journal.core.journal.demo import populate
from journal.core.model import Meditation, MeditationKind, Phase, Route, Session
from journal.core.practice import pacer, tones
from journal.core.practice.checklist import MAX_ITEMS, default_checklist, parse_checklist
from journal.core.sharing import bundle, report, share
from journal.core.vault import vault as vaults
from tests.conftest import FakeClock
from tests.helpers import seal

_IDENTITY = pyrage.x25519.Identity.generate()


def _before_recall(vault: vaults.Vault, session_id: int, **answers: object) -> None:
    draft = recall.RecallDraft("intention", session_id=session_id)
    for key, value in answers.items():
        if isinstance(value, str):
            draft.texts[key] = value
        else:
            draft.values[key] = value
    recall.finish(vault, draft)


# -- the session made ahead ------------------------------------------------------


def test_before_session_keeps_intention_and_mood_on_the_session(
    vault: vaults.Vault, clock: FakeClock
) -> None:
    vault.sessions.add(Session(started_at=clock.now - timedelta(days=14), route=Route.INTRANASAL))
    session = before.start_session(vault, clock.now)
    assert session.route is Route.INTRANASAL  # remembered from the last one
    assert session.started_at == clock.now
    assert before.waiting_session(vault, clock.now) is None  # nothing written yet
    assert session.id is not None
    _before_recall(vault, session.id, intention="  To meet the ocean 🌊  ", mood_before=4)
    kept = vault.sessions.get(session.id)
    assert (kept.intention, kept.mood_before) == ("To meet the ocean 🌊", 4)
    clock.advance(hours=3)
    assert before.waiting_session(vault, clock.now) == kept
    assert before.opening_line(kept.intention) == "You came in wanting: “To meet the ocean 🌊”"
    # The recall right after ends the wait.
    draft = recall.RecallDraft("right-after-gentle", session_id=session.id)
    draft.texts["first"] = "Warm light"
    recall.finish(vault, draft)
    assert before.waiting_session(vault, clock.now) is None


def test_a_private_intention_stays_off_the_session(vault: vaults.Vault, clock: FakeClock) -> None:
    session = before.start_session(vault, clock.now)
    assert session.id is not None
    draft = recall.RecallDraft("intention", session_id=session.id)
    draft.texts["intention"] = "Something only for me"
    draft.private.append("intention")
    draft.values["mood_before"] = 6
    recall.finish(vault, draft)
    kept = vault.sessions.get(session.id)
    assert (kept.intention, kept.mood_before) == ("", 6)


def test_a_session_waits_only_for_hours(vault: vaults.Vault, clock: FakeClock) -> None:
    session = before.start_session(vault, clock.now)
    assert session.id is not None
    _before_recall(vault, session.id, intention="Rest")
    assert before.waiting_session(vault, clock.now + timedelta(hours=15)) is not None
    assert before.waiting_session(vault, clock.now + timedelta(hours=17)) is None


def test_home_suggests_before_on_the_day_of_the_next_session(
    vault: vaults.Vault, clock: FakeClock
) -> None:
    assert before.next_session(vault) is None
    assert not before.suggestion(vault, clock.now).before_first
    before.set_next_session(vault, clock.now.date())
    assert before.next_session(vault) == clock.now.date()
    assert before.suggestion(vault, clock.now).before_first
    assert not before.suggestion(vault, clock.now + timedelta(days=1)).before_first
    before.set_next_session(vault, None)
    assert before.next_session(vault) is None
    before.set_next_session(vault, date(2027, 1, 5))
    assert before.next_session(vault) == date(2027, 1, 5)


# -- the checklist ---------------------------------------------------------------


def test_checklist_defaults_edits_and_ticks(vault: vaults.Vault, clock: FakeClock) -> None:
    default = before.checklist(vault)
    assert default == default_checklist()
    assert any("ride home" in item and "as my clinic told me" in item for item in default.items)
    kept = before.set_checklist(vault, ["  Ride   home arranged ", "", "Ride home arranged", "Tea"])
    assert kept.items == ("Ride home arranged", "Tea")
    assert before.checklist(vault).items == ("Ride home arranged", "Tea")
    session = before.start_session(vault, clock.now)
    assert session.id is not None
    assert before.tick(vault, session.id, ["Tea", "Tea"]).checklist == ["Tea"]
    assert vault.sessions.get(session.id).checklist == ["Tea"]
    with pytest.raises(TemplateInvalid, match="at most 30"):
        before.set_checklist(vault, [f"item {i}" for i in range(MAX_ITEMS + 1)])
    assert before.checklist(vault).items == ("Ride home arranged", "Tea")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b'title = "x"\nitems = "ride"\n', "line 2: items must be a list"),
        (b'items = ["ok", 3]\n', "line 1: every item must be text"),
        (b'items = ["ok"]\nwhen = 1\n', "line 2: unknown key"),
        (b'title = ""\nitems = ["ok"]\n', "line 1: title must be text"),
        (b"items = [\n", "not valid TOML"),
        (b'items = ["   "]\n', "line 1: every item is empty"),
        (b"\xff\xfe", "not UTF-8"),
        (b'items = ["' + b"a" * 201 + b'"]\n', "longer than 200"),
        (b"items = [" + b'"x", ' * 14000 + b"]\n", "larger than 64 KB"),
        (b"items = [" + b", ".join(b'"%d"' % i for i in range(31)) + b"]\n", "at most 30"),
    ],
)
def test_hostile_checklist_files_are_refused_with_the_line(text: bytes, message: str) -> None:
    with pytest.raises(TemplateInvalid, match=message) as error:
        parse_checklist(text, name="clinic.toml")
    assert str(error.value).startswith("clinic.toml")


def test_a_clinics_checklist_file_is_read() -> None:
    made = parse_checklist(
        'title = "Klinik am See"\nitems = ["Fahrt nach Hause geklärt", "Handy lautlos"]\n'.encode()
    )
    assert made.title == "Klinik am See"
    assert made.items == ("Fahrt nach Hause geklärt", "Handy lautlos")


# -- the pacer and the tones -------------------------------------------------------


def test_pacer_follows_the_chosen_rhythm() -> None:
    plan = pacer.Plan(MeditationKind.BREATHING, minutes=3, breaths_per_minute=6)
    assert plan.breath == 10.0  # 6 a minute: in 4 s, out 6 s
    assert plan.at(0).words == "Breathe in" and plan.at(0).size == pytest.approx(pacer.SMALLEST)
    assert plan.at(2).size == pytest.approx((1 + pacer.SMALLEST) / 2)  # half-way in
    assert plan.at(3.99).words == "Breathe in"
    assert plan.at(4.0).words == "Breathe out" and plan.at(4.0).size == pytest.approx(1.0)
    assert plan.at(9.99).words == "Breathe out"
    assert plan.at(10.0).words == "Breathe in" and plan.at(10.0).step == 1
    assert plan.at(179.9).step == 17
    assert plan.at(180).finished and not plan.at(179.9).finished
    slow = pacer.Plan(MeditationKind.BREATHING, minutes=5, breaths_per_minute=4)
    assert slow.at(5.9).words == "Breathe in" and slow.at(6.0).words == "Breathe out"
    # Every turn rings once: two a breath, none counted twice over split intervals.
    assert plan.turns(0, 60) == 12 - 1 + 1  # 6 breaths: 6 outs, 5 ins after the start, 60 s in
    assert sum(plan.turns(t / 10, (t + 1) / 10) for t in range(600)) == plan.turns(0, 60)


def test_body_scan_says_one_sentence_at_a_time() -> None:
    plan = pacer.Plan(MeditationKind.BODY_SCAN, minutes=10)
    each = 600 / len(pacer.BODY_SCAN)
    assert plan.at(0).words == pacer.BODY_SCAN[0]
    assert plan.at(each - 0.01).words == pacer.BODY_SCAN[0]
    assert plan.at(each).words == pacer.BODY_SCAN[1]
    assert plan.at(599).words == pacer.BODY_SCAN[-1]
    assert {plan.at(t).size for t in range(0, 600, 7)} == {1.0}  # no shape moves
    assert plan.turns(0, 600) == len(pacer.BODY_SCAN)  # the last one is the end


def test_tones_are_made_in_memory() -> None:
    data = tones.tone(tones.IN_HZ, 0.5)
    samples = array("h")
    samples.frombytes(data)
    assert len(samples) == int(0.5 * tones.RATE)
    peak = max(abs(s) for s in samples)
    assert 0.1 * 32767 < peak <= 0.18 * 32767 + 1  # soft, never full scale
    assert abs(samples[0]) < 200  # starts from silence: no click
    assert max(abs(s) for s in samples[-200:]) < peak * 0.1  # fades out
    # It is the asked pitch: one upward zero crossing per cycle.
    crossings = sum(1 for a, b in itertools.pairwise(samples) if a < 0 <= b)
    assert math.isclose(crossings / 0.5, tones.IN_HZ, rel_tol=0.02)


# -- meditations stored, on the timeline and in the bundle -------------------------


def test_meditation_checks_and_joins_the_waiting_session(
    vault: vaults.Vault, clock: FakeClock
) -> None:
    for bad in (0, 7201, True):
        with pytest.raises(InvalidInput):
            vault.meditations.add(Meditation(MeditationKind.BREATHING, clock.now, bad))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        vault.meditations.add(Meditation(MeditationKind.BREATHING, clock.now, 60, 31))
    alone = before.record_meditation(
        vault, Meditation(MeditationKind.BODY_SCAN, clock.now, 180), clock.now
    )
    assert alone.session_id is None
    session = before.start_session(vault, clock.now)
    assert session.id is not None
    _before_recall(vault, session.id, intention="Rest")
    joined = before.record_meditation(
        vault, Meditation(MeditationKind.BREATHING, clock.now, 300, 6), clock.now
    )
    assert joined.session_id == session.id
    assert vault.meditations.for_session(session.id) == [joined]
    rows = timeline.build(vault)
    kinds = [row.kind for row in rows]
    assert kinds.count("meditation") == 2
    titles = [row.title for row in rows if row.kind == "meditation"]
    assert "Meditated 5 minutes (paced breathing)" in titles
    assert "Meditated 3 minutes (body scan)" in titles
    assert (
        before.meditation_count(vault.meditations.all()) == "meditated 2 times (8 minutes in all)"
    )


def test_meditations_travel_in_the_bundle(vault: vaults.Vault) -> None:
    now = datetime.now().astimezone()
    populate(vault, now=now)
    content = share.collect(vault, share.offer(vault, everything=True), now=now)
    assert [m.summary for m in content.meditations] == ["Meditated 5 minutes (paced breathing)"]
    html = report.report_html(content)
    files = bundle.archive_files(content, report_html=html)
    assert json.loads(files["meditations.json"])[0]["seconds"] == 300
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert "Meditated 5 minutes (paced breathing)" in text
    assert "Intention: “To go through one door”" in text
    assert "meditated 1 time (5 min), before 1 of 4 sessions" in text
    sealed = seal(files, str(_IDENTITY.to_public()))
    opened = bundle.read_bundle(sealed, identities=[str(_IDENTITY)]).content
    assert opened.meditations == content.meditations
    last = opened.sessions[-1]
    assert [m.minutes for m in opened.meditations_of(last.id)] == [5]
    # A session chosen alone takes its meditation along, nothing else.
    first = vault.sessions.all(newest_first=False)[0]
    assert first.id is not None
    alone = share.collect(vault, share.offer(vault, session_ids={first.id}), now=now)
    assert alone.meditations == []


@pytest.mark.parametrize(
    "change",
    [{"seconds": 0}, {"seconds": "300"}, {"kind": "chanting"}, {"breaths_per_minute": 99}],
)
def test_a_tampered_meditation_is_refused(vault: vaults.Vault, change: dict[str, object]) -> None:
    now = datetime.now().astimezone()
    populate(vault, now=now)
    content = share.collect(vault, share.offer(vault, everything=True), now=now)
    files = bundle.archive_files(content, report_html="")
    records = json.loads(files["meditations.json"])
    records[0].update(change)
    files["meditations.json"] = json.dumps(records).encode()
    with pytest.raises(BundleInvalid):
        bundle.read_bundle(seal(files, str(_IDENTITY.to_public())), identities=[str(_IDENTITY)])


def test_a_bundle_without_meditations_still_reads(vault: vaults.Vault) -> None:
    now = datetime.now().astimezone()
    vault.sessions.add(Session(started_at=now - timedelta(days=1)))
    content = share.collect(vault, share.offer(vault, everything=True), now=now)
    files = bundle.archive_files(content, report_html="")
    assert "meditations.json" not in files
    opened = bundle.read_bundle(
        seal(files, str(_IDENTITY.to_public())), identities=[str(_IDENTITY)]
    )
    assert opened.content.meditations == []
    assert [e.phase for e in opened.content.entries] == []
    assert Phase.BEFORE.label == "Before the session"


def test_export_of_everything_keeps_meditations_and_the_checklist(vault: vaults.Vault) -> None:
    from journal.core.sharing import archive

    now = datetime.now().astimezone()
    populate(vault, now=now)
    before.set_checklist(vault, ['Ride "home" 🚕', "Tea\\ttime"])
    files, _entries = archive.archive_files(vault, now=now)
    assert json.loads(files["meditations.json"])[0]["summary"].startswith("Meditated 5")
    back = parse_checklist(files["checklist.toml"])
    assert back.items == ('Ride "home" 🚕', "Tea\\ttime")
