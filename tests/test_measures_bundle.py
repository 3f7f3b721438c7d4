"""Measures in the bundle and the report: the definitions travel with the
answers, the standing (baseline, previous bundle, response, remission) is
computed by the patient's app and checked by the reader, a clinician's own
questionnaire needs no code on either side, and the therapist's first screen
says what matters first. Hostile measures are refused."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from html import unescape
from typing import Any

import pyrage
import pytest

from journal.core.checkins.instruments import INSTRUMENTS
from journal.core.errors import BundleInvalid
from journal.core.journal.demo import populate
from journal.core.model import Answer, CheckinKind, Entry, Phase, Session
from journal.core.sharing import bundle, glance, report, share
from journal.core.text import short_day
from journal.core.vault import vault as vaults
from tests.helpers import seal
from tests.test_measures import GOOD

_IDENTITY = pyrage.x25519.Identity.generate()


def _files(vault: vaults.Vault, *, now: datetime | None = None) -> dict[str, bytes]:
    now = now or datetime.now().astimezone()
    content = share.collect(vault, share.offer(vault, everything=True), now=now)
    return bundle.archive_files(content, report_html=report.report_html(content))


def _read(files: dict[str, bytes]) -> share.BundleContent:
    sealed = seal(files, str(_IDENTITY.to_public()))
    return bundle.read_bundle(sealed, identities=[str(_IDENTITY)]).content


def _calm_journal(vault: vaults.Vault, tmp_path: Any) -> None:
    """A clinician's own questionnaire, filled twice around a session."""
    path = tmp_path / "calm.toml"
    path.write_text(GOOD)
    vault.instruments.import_file(path)
    now = datetime.now().astimezone()
    vault.sessions.add(Session(started_at=now - timedelta(days=3), mood_before=3, mood_after=6))
    vault.checkins.add("calm-scale", [0, 1], taken_at=now - timedelta(days=4))
    vault.checkins.add("calm-scale", [2, 2], taken_at=now - timedelta(days=1))


def test_the_bundle_carries_each_definition_and_the_standing(vault: vaults.Vault) -> None:
    populate(vault)
    files = _files(vault)
    assert {n for n in files if n.startswith("instruments/")} == {
        "instruments/phq9.toml",
        "instruments/gad7.toml",
        "instruments/ebi.toml",
    }
    assert files["instruments/phq9.toml"] == INSTRUMENTS[CheckinKind.PHQ9].source.encode()
    outcomes = {r["instrument"]: r for r in json.loads(files["outcomes.json"])}
    phq = outcomes["phq9"]
    # The demo's PHQ-9: 15 before the first session, 5 at the latest (−67 %).
    assert (phq["baseline"], phq["latest"], phq["previous"]) == (15, 5, None)
    assert phq["response"] is True and phq["remission"] is False
    assert phq["note"] == "a standard research definition, not a diagnosis"
    assert outcomes["gad7"]["remission"] is True
    assert outcomes["ebi"]["response"] is None  # its authors define none
    content = _read(files)
    assert {s.kind: (s.baseline, s.latest) for s in content.standings}["phq9"] == (15, 5)
    assert content.instruments[CheckinKind.PHQ9].version == "1"


def test_the_standing_counts_from_the_previous_bundle(vault: vaults.Vault) -> None:
    populate(vault)
    sent = datetime.now().astimezone() - timedelta(days=10)
    share.record_export(vault, sent)
    now = datetime.now().astimezone()
    vault.checkins.add(CheckinKind.PHQ9, [0, 1, 0, 1, 0, 0, 0, 0, 0], taken_at=now)
    content = _read(_files(vault, now=now))
    phq = next(s for s in content.standings if s.kind == CheckinKind.PHQ9)
    # The demo's PHQ-9 are 15, 12, 8, 5 (days 42, 35, 21, 7): the last one
    # before the bundle of 10 days ago is the 8.
    assert (phq.previous, phq.latest) == (8, 2) and phq.in_remission
    html = report.report_html(content)
    assert "−6 (−75%)" in html and "since the last bundle, 8 on" in html


def test_a_clinicians_questionnaire_travels_without_code(
    vault: vaults.Vault, tmp_path: Any
) -> None:
    _calm_journal(vault, tmp_path)
    files = _files(vault)
    assert "instruments/calm-scale.toml" in files
    content = _read(files)  # the reader's own definitions know nothing of it
    assert "calm-scale" not in INSTRUMENTS
    calm = content.instruments["calm-scale"]
    assert calm.title == "Calm" and not calm.builtin
    assert [(c.total, c.band) for c in content.checkins if c.kind == "calm-scale"] == [
        (1, "low"),
        (4, "high"),
    ]
    html = unescape(report.report_html(content))
    label = "Calm (the clinician's own questionnaire, version 1)"
    first_screen = html[html.index("At a glance") : html.index("Trends")]
    assert label in first_screen and "<b>4</b> high" in first_screen
    assert "+3 (+300%)" in first_screen and "none defined" in first_screen
    trends_part = html[html.index("<h2>Trends") :]
    assert f"<h3>{label}</h3>" in trends_part and "4 / 4" in trends_part


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ("score", "does not match its questionnaire"),
        ("total", "does not match its questionnaire"),
        ("definition", "not described properly"),
        ("definition_name", ""),
        ("unknown", "does not describe"),
        ("outcome_range", "does not match its questionnaire"),
        ("outcome_type", ""),
        ("too_many", "more questionnaires"),
    ],
)
def test_hostile_measures_are_refused(
    vault: vaults.Vault, tmp_path: Any, change: str, why: str
) -> None:
    _calm_journal(vault, tmp_path)
    files = _files(vault)
    checkins = json.loads(files["checkins.json"])
    outcomes = json.loads(files["outcomes.json"])
    if change == "score":
        checkins[-1]["answers"] = [2, 9]
    elif change == "total":
        checkins[-1]["total"] = 3
    elif change == "definition":
        files["instruments/calm-scale.toml"] = b'id = "calm-scale"\nitems = 3\n'
    elif change == "definition_name":
        files["instruments/other-name.toml"] = files.pop("instruments/calm-scale.toml")
    elif change == "unknown":
        del files["instruments/calm-scale.toml"]
    elif change == "outcome_range":
        outcomes[0]["latest"] = 99
    elif change == "outcome_type":
        outcomes[0]["response"] = "yes"
    else:
        for index in range(25):
            text = GOOD.replace('"calm-scale"', f'"calm-{index:02d}"')
            files[f"instruments/calm-{index:02d}.toml"] = text.encode()
    files["checkins.json"] = json.dumps(checkins).encode()
    files["outcomes.json"] = json.dumps(outcomes).encode()
    with pytest.raises(BundleInvalid) as refused:
        _read(files)
    assert why in refused.value.message


def test_a_safety_answer_is_flagged_even_if_the_bundle_says_not(vault: vaults.Vault) -> None:
    vault.checkins.add(CheckinKind.PHQ9, [1, 1, 0, 1, 0, 1, 0, 0, 2])
    files = _files(vault)
    checkins = json.loads(files["checkins.json"])
    checkins[0]["flagged"] = False
    files["checkins.json"] = json.dumps(checkins).encode()
    content = _read(files)
    assert content.checkins[0].flagged
    html = report.report_html(content)
    assert html.index("Please note first") < html.index("At a glance")
    assert "PHQ-9 of " in html and ": item 9 (thoughts of self-harm) answered 2 of 3." in html


def test_an_older_bundle_without_measures_reads_and_is_scored_the_same(
    vault: vaults.Vault,
) -> None:
    populate(vault)
    files = _files(vault)
    older = {
        n: d for n, d in files.items() if not n.startswith("instruments/") and n != "outcomes.json"
    }
    content = _read(older)
    assert content.standings == [] and content.instruments[CheckinKind.PHQ9].builtin
    html = report.report_html(content)
    first_screen = html[html.index("At a glance") : html.index("What I'd like to talk about")]
    # Computed from what the bundle holds: the same baseline and markers.
    assert "−10 (−67%)" in first_screen and "response, remission" in first_screen


def test_the_first_screen_says_what_matters_first(vault: vaults.Vault) -> None:
    populate(vault)
    vault.entries.add(
        Entry(
            phase=Phase.BEFORE_THERAPY,
            title="A second list",
            answers=[Answer("t", "Topic", text="1. Sleep since the last infusion\n- [ ] work")],
        )
    )
    content = share.collect(
        vault, share.offer(vault, everything=True), now=datetime.now().astimezone()
    )
    first_session = min(content.sessions, key=lambda s: s.started_at)
    html = report.report_html(content)
    first = html[html.index("At a glance") : html.index("What I'd like to talk about")]
    assert "Trends" not in first
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", first)).split())  # no-break spaces too
    for expected in (
        "PHQ-9 5 mild",
        "GAD-7 4 minimal",
        "EBI",
        "no earlier bundle",
        "a standard research definition, not a diagnosis",
        f"{short_day(first_session.started_at, year_of=content.created_at)} IV 2 → 5 Dizziness",
        "The door in the ocean — I finally went through",
        "Sleep since the last infusion",
        "work",
        "a door in the ocean (3 sessions)",
        "EBI after 4 of 4 sessions",
        "entries per session: 3, 2, 2, 2",
    ):
        assert expected in text, expected
    assert glance.agenda_items(content.entries)[-2:] == ["Sleep since the last infusion", "work"]
    # Small trends with the infusions marked, one per questionnaire.
    assert first.count('alt="PHQ-9 over time"') == 1 and first.count("data:image/svg+xml") == 3


def test_completeness_counts_against_each_rhythm(vault: vaults.Vault) -> None:
    start = datetime(2026, 9, 1, 10).astimezone()
    vault.sessions.add(Session(started_at=start + timedelta(days=2)))
    vault.checkins.add(CheckinKind.PHQ9, [1] * 9, taken_at=start)
    vault.checkins.add(CheckinKind.PHQ9, [1] * 9, taken_at=start + timedelta(days=20))
    vault.checkins.add(CheckinKind.MOOD, [5], taken_at=start + timedelta(days=1))
    selection = share.offer(vault, everything=True)
    selection.period_from, selection.period_to = start, start + timedelta(days=42)
    content = share.collect(vault, selection, now=start + timedelta(days=42))
    (line,) = glance.completeness(content)
    assert "over 42 days" in line
    # Every 14 days from the start: due on days 0, 14, 28 and 42.
    assert "PHQ-9 2 of 4 due" in line and "mood on 1 of 42 days" in line
    assert "entries per session: 0 (1 without an entry)" in line
