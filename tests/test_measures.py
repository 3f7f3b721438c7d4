"""Questionnaires as data: golden cases for every built-in instrument,
response and remission at their boundaries, change per infusion, and
instrument files that are wrong or hostile."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.checkins import instruments, outcomes
from journal.core.checkins.instrument_file import parse_instrument
from journal.core.errors import InstrumentInvalid, InvalidInput
from journal.core.model import Checkin, CheckinKind, Session
from journal.core.vault import vault as vaults
from tests.helpers import snapshot

T0 = datetime(2026, 9, 1, 9, 0).astimezone()
PHQ9, GAD7, EBI, PCL5 = (instruments.INSTRUMENTS[k] for k in ("phq9", "gad7", "ebi", "pcl5"))


def _checkin(kind: str, total: float, days: float) -> Checkin:
    return Checkin(kind=kind, taken_at=T0 + timedelta(days=days), total=total)


def _session(days: float, **mood: int) -> Session:
    return Session(started_at=T0 + timedelta(days=days), **mood)  # type: ignore[arg-type]


# --- the built-ins, worked by hand --------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "answers", "total", "band", "flagged"),
    [
        (PHQ9, [0] * 9, 0, "minimal", False),
        (PHQ9, [1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild", False),
        (PHQ9, [3, 3, 3, 3, 3, 3, 0, 0, 1], 19, "moderately severe", True),
        (PHQ9, [3] * 9, 27, "severe", True),
        (GAD7, [2, 2, 2, 2, 2, 0, 0], 10, "moderate", False),
        (GAD7, [3] * 7, 21, "severe", False),
        (EBI, [50, 60, 70, 80, 90, 100], 75.0, "", False),
        (EBI, [0, 0, 0, 0, 0, 1], 0.2, "", False),  # a mean, to one decimal
        (EBI, [100] * 6, 100.0, "", False),
        (PCL5, [4] * 20, 80, "", False),
        (PCL5, [1] * 20, 20, "", False),
        (PCL5, [2] * 16 + [0] * 4, 32, "", False),
    ],
)
def test_built_in_scores(
    instrument: instruments.Instrument,
    answers: list[int],
    total: float,
    band: str,
    flagged: bool,
) -> None:
    result = instrument.score(answers)
    assert (result.total, result.band, result.flagged) == (total, band, flagged)


def test_the_pcl5_clusters_are_its_subscales() -> None:
    answers = [4] * 5 + [3] * 2 + [2] * 7 + [1] * 6
    assert PCL5.subscale_totals(answers) == {
        "Intrusions (B)": 20,
        "Avoidance (C)": 6,
        "Negative changes in thinking and mood (D)": 14,
        "Arousal and reactivity (E)": 6,
    }


def test_the_ebi_is_about_a_session_on_a_0_to_100_line() -> None:
    assert EBI.scale is not None and (EBI.scale.minimum, EBI.scale.maximum) == (0, 100)
    assert EBI.scale.low == "No, not more than usually"
    assert EBI.timing == "day-after-session" and EBI.scoring == "mean" and len(EBI.items) == 6
    with pytest.raises(InvalidInput, match="from 0 to 100"):
        EBI.score([50, 50, 50, 50, 50, 101])


def test_every_built_in_carries_its_citation_and_licence() -> None:
    for instrument in instruments.builtin_instruments():
        assert instrument.citation and instrument.licence and instrument.items, instrument.id
        assert instrument.builtin and not instrument.label.endswith("(from your clinician)")


# --- response and remission -------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "latest", "responded", "remission", "meaningful"),
    [
        (20, 10, True, False, True),  # exactly 50 % lower: a response
        (20, 11, False, False, True),  # 45 %: not yet
        (10, 5, True, False, True),  # a PHQ-9 of exactly 5 is not remission
        (10, 4, True, True, True),
        (8, 4, True, True, False),  # 4 points: a response, not "meaningful" by points
        (12, 16, False, False, False),
        (0, 0, None, True, False),  # nothing to fall from: no response can be said
    ],
)
def test_phq9_response_and_remission_at_their_boundaries(
    first: int, latest: int, responded: bool | None, remission: bool, meaningful: bool
) -> None:
    checkins = [_checkin("phq9", first, 0), _checkin("phq9", latest, 30)]
    result = outcomes.progress(PHQ9, checkins, [_session(2)])
    assert (result.responded, result.in_remission, result.meaningful) == (
        responded,
        remission,
        meaningful,
    )
    assert outcomes.NOT_A_DIAGNOSIS in result.sentence


def test_gad7_remission_is_below_5() -> None:
    result = outcomes.progress(GAD7, [_checkin("gad7", 8, 0), _checkin("gad7", 5, 20)], [])
    assert result.responded is False and result.in_remission is False  # 37 % lower, 5
    result = outcomes.progress(GAD7, [_checkin("gad7", 12, 0), _checkin("gad7", 4, 20)], [])
    assert result.responded is True and result.in_remission is True
    assert result.markers == ("response", "remission")


def test_the_baseline_is_the_first_score_before_the_first_session() -> None:
    checkins = [_checkin("phq9", 9, 0), _checkin("phq9", 18, 5), _checkin("phq9", 8, 40)]
    # Sessions start on day 10: the baseline is the first score before it (day 0's 9).
    result = outcomes.progress(PHQ9, checkins, [_session(10)])
    assert result.baseline is not None and result.baseline.total == 9
    # With no score before the first session, the first score is the baseline.
    result = outcomes.progress(PHQ9, checkins, [_session(-3)])
    assert result.baseline is not None and result.baseline.total == 9
    later = [_checkin("phq9", 18, 12), _checkin("phq9", 8, 40)]
    result = outcomes.progress(PHQ9, [*later, _checkin("phq9", 20, 2)], [_session(3)])
    assert result.baseline is not None and result.baseline.total == 20


def test_instruments_whose_authors_define_none_say_so() -> None:
    result = outcomes.progress(EBI, [_checkin("ebi", 40, 1), _checkin("ebi", 80, 9)], [])
    assert (result.responded, result.in_remission) == (None, None)
    assert "defines no response or remission" in result.sentence


def test_the_pcl5_screening_line_is_described_as_a_screening_line() -> None:
    above = outcomes.progress(PCL5, [_checkin("pcl5", 31, 0)], [])
    below = outcomes.progress(PCL5, [_checkin("pcl5", 30, 0)], [])
    assert above.above_screening is True and below.above_screening is False
    assert "screening line" in above.sentence and outcomes.NOT_A_DIAGNOSIS in above.sentence
    assert "cut-off" in PCL5.outcome.note and "not a diagnosis" in PCL5.outcome.note


def test_change_per_infusion_pairs_the_closest_scores_around_each_session() -> None:
    sessions = [_session(10, mood_before=3, mood_after=7), _session(17), _session(40)]
    checkins = [
        _checkin("phq9", 20, 2),  # within the 14 days before infusion 1, but not the closest
        _checkin("phq9", 19, 9),  # the closest before infusion 1
        _checkin("phq9", 15, 11),  # the first after infusion 1
        _checkin("phq9", 14, 12),
        _checkin("phq9", 12, 18),  # after infusion 2
    ]
    rows = outcomes.per_infusion(PHQ9, checkins, sessions)
    assert [(r.number, _total(r.before), _total(r.after)) for r in rows] == [
        (1, 19, 15),
        (2, 14, 12),
        (3, None, None),  # nothing within 14 days before day 40, nothing after
    ]
    assert rows[0].text(PHQ9).startswith("Infusion 1 (")
    assert "before 19, after 15 (-4 points (-21%)); mood 3 → 7" in rows[0].text(PHQ9)


def _total(checkin: Checkin | None) -> float | None:
    return None if checkin is None else checkin.total


# --- instrument files that are wrong ------------------------------------------------------

GOOD = """\
id = "calm-scale"
title = "Calm"
options = ["No", "A bit", "Yes"]
items = ["I felt calm", "I slept well"]

[[bands]]
from = 0
to = 1
label = "low"

[[bands]]
from = 2
to = 4
label = "high"
"""


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ('id = "Calm!"\n' + GOOD.split("\n", 1)[1], 1, "lowercase letters"),
        (GOOD.replace('items = ["I felt calm", "I slept well"]', 'items = "one"'), 4, "items"),
        (GOOD.replace('items = ["I felt calm", "I slept well"]\n', ""), None, "items"),
        (GOOD.replace("to = 1\n", "to = 2\n"), 12, "overlaps the one before"),
        (GOOD.replace("from = 2\n", "from = 3\n"), 12, "leaves a gap"),
        (GOOD.replace("to = 4\n", "to = 3\n"), 13, "highest total, 4"),
        (GOOD + "\n[[safety]]\nitem = 7\n", 17, "item number from 1 to 2"),
        (GOOD.replace('title = "Calm"', "title = 3"), 2, "“title” must be some text"),
        (GOOD.replace('options = ["No", "A bit", "Yes"]', 'options = ["Only one"]'), 3, "2 to"),
        ('scoring = "median"\n' + GOOD, 1, "scoring"),
        ("surprise = 1\n" + GOOD, 1, "not a field"),
        ("id = [unclosed\n", 1, "not valid TOML"),
        (
            GOOD.replace('options = ["No", "A bit", "Yes"]', "scale = { min = 5, max = 5 }"),
            3,
            "min < max",
        ),
        (GOOD + '\n[outcome]\nresponse_fall = "half"\n', 17, "must be a number"),
    ],
)
def test_a_wrong_instrument_file_names_the_line_and_what_is_wrong(
    text: str, line: int | None, what: str
) -> None:
    with pytest.raises(InstrumentInvalid) as refused:
        parse_instrument(text, name="calm.toml")
    message = refused.value.message
    assert what in message, message
    assert message.startswith(f"calm.toml, line {line}:" if line else "calm.toml"), message


def test_ten_thousand_items_or_a_huge_file_are_refused() -> None:
    many = GOOD.replace(
        'items = ["I felt calm", "I slept well"]',
        "items = [" + ", ".join('"x"' for _ in range(10_000)) + "]",
    )
    with pytest.raises(InstrumentInvalid, match="at most 100 items"):
        parse_instrument(many, name="calm.toml")
    with pytest.raises(InstrumentInvalid, match="too large"):
        parse_instrument(GOOD + "#" * 200_000, name="calm.toml")


def test_the_good_example_parses_and_scores() -> None:
    calm = parse_instrument(GOOD, name="calm.toml")
    assert calm.score([2, 1]).band == "high" and calm.label == "Calm (from your clinician)"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_the_parser_refuses_anything_with_a_sentence(text: str) -> None:
    try:
        parse_instrument(text, name="x.toml")
    except InstrumentInvalid as error:
        assert error.message.startswith("x.toml")


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["id", "title", "items", "options", "scale", "scoring", "bands",
                         "safety", "reverse", "outcome", "period_days", "followup"]),
        st.recursive(
            st.none() | st.booleans() | st.integers(-5, 200) | st.floats() | st.text(max_size=9),
            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                         max_size=4),
            max_leaves=12,
        ),
    )
)  # fmt: skip
def test_the_parser_refuses_odd_structures_with_a_sentence(doc: dict[str, object]) -> None:
    import tomli_w

    try:
        text = tomli_w.dumps({k: v for k, v in doc.items() if v is not None})
    except (TypeError, ValueError):
        return
    try:
        parse_instrument(text, name="x.toml")
    except InstrumentInvalid as error:
        assert error.message.startswith("x.toml")


def test_an_imported_instrument_is_stored_and_a_built_in_id_is_refused(
    vault: vaults.Vault, tmp_path: Path
) -> None:
    path = tmp_path / "calm.toml"
    path.write_text(GOOD)
    calm = vault.instruments.import_file(path)
    assert [i.id for i in vault.instruments.custom()] == ["calm-scale"]
    saved = vault.checkins.add("calm-scale", [2, 2])
    assert (saved.kind, saved.total, saved.band) == ("calm-scale", 4, "high")
    assert calm.label.endswith("(from your clinician)")
    before = snapshot(tmp_path / "vault")
    path.write_text(GOOD.replace('id = "calm-scale"', 'id = "phq9"'))
    with pytest.raises(InstrumentInvalid, match="comes with Afterglow"):
        vault.instruments.import_file(path)
    with pytest.raises(InvalidInput):
        vault.checkins.add(CheckinKind.PHQ9, [1, 2])
    assert vault.checkins.all(CheckinKind.PHQ9) == []
    vault.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert set(snapshot(tmp_path / "vault")) == set(before)
