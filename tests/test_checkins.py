"""Check-ins: scoring and bands at every total, answer parsing, safety,
trends and their charts, the CLI, and what a bundle carries."""

from __future__ import annotations

import base64
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pyrage
import pytest

from journal.core.checkins import crisis, instruments, trends
from journal.core.errors import InvalidInput
from journal.core.model import Answer, Checkin, CheckinKind, Entry, Phase, Session
from journal.core.sharing import bundle, charts, report, share
from journal.core.vault import keyfile as kf
from journal.core.vault import vault as vaults
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import snapshot
from tests.test_cli import cli

# The bands as the questionnaires' authors publish them, written out again
# here rather than read from the code under test.
PHQ9_EXPECTED = (
    ["minimal"] * 5 + ["mild"] * 5 + ["moderate"] * 5 + ["moderately severe"] * 5 + ["severe"] * 8
)
GAD7_EXPECTED = ["minimal"] * 5 + ["mild"] * 5 + ["moderate"] * 5 + ["severe"] * 7
SVG = "{http://www.w3.org/2000/svg}"
CODE = "amber-river-tiger-lamp-oxygen-violet"


def _answers(total: int, count: int) -> list[int]:
    """Answers adding up to ``total``, filled from the first item (so item 9
    of the PHQ-9 stays 0 while the total allows)."""
    answers = [0] * count
    remaining = total
    for index in range(count):
        answers[index] = min(3, remaining)
        remaining -= answers[index]
    assert remaining == 0
    return answers


@pytest.mark.parametrize("total", range(28))
def test_every_phq9_total_has_its_band(total: int) -> None:
    result = instruments.score(CheckinKind.PHQ9, _answers(total, 9))
    assert (result.total, result.band) == (total, PHQ9_EXPECTED[total])
    assert result.flagged == (total > 24)  # item 9 is only used once the others are full


@pytest.mark.parametrize("total", range(22))
def test_every_gad7_total_has_its_band(total: int) -> None:
    result = instruments.score(CheckinKind.GAD7, _answers(total, 7))
    assert (result.total, result.band, result.flagged) == (total, GAD7_EXPECTED[total], False)


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_any_item9_answer_above_zero_is_flagged(item9: int) -> None:
    assert instruments.score(CheckinKind.PHQ9, [0] * 8 + [item9]).flagged
    assert not instruments.score(CheckinKind.PHQ9, [3] * 8 + [0]).flagged


def test_bands_cover_every_total_once() -> None:
    for kind, expected in ((CheckinKind.PHQ9, PHQ9_EXPECTED), (CheckinKind.GAD7, GAD7_EXPECTED)):
        covered = [b.name for b in trends.bands(kind) for _ in range(b.low, b.high + 1)]
        assert covered == expected


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (CheckinKind.PHQ9, "1,2", "needs 9 answers; 2 were given"),
        (CheckinKind.PHQ9, "1,2,1,1,0,1,1,0,1,0", "needs 9 answers; 10 were given"),
        (CheckinKind.PHQ9, "", "needs 9 answers; 0 were given"),
        (CheckinKind.PHQ9, "1,2,1,1,0,1,1,0,x", 'Answer 9 of PHQ-9 \\("x"\\) is not a whole'),
        (CheckinKind.GAD7, "1,2,1,-1,0,1,1", "Answer 4 of GAD-7"),
        (CheckinKind.GAD7, "1,2,1,1,0,1,4", "Answer 7 of GAD-7 must be from 0 to 3"),
        (CheckinKind.GAD7, "1,2,1,1.5,0,1,1", "Answer 4 of GAD-7"),
        (CheckinKind.MOOD, "11", "Mood is one whole number from 0 to 10"),
        (CheckinKind.MOOD, "six", "Mood is one whole number from 0 to 10"),
        (CheckinKind.MOOD, "5 6", "Mood is one whole number from 0 to 10"),
    ],
)
def test_wrong_answers_are_refused_with_a_sentence(
    kind: CheckinKind, text: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        instruments.parse_answers(kind, text)
    assert caught.value.message.lower().rstrip(".").endswith("nothing was saved")


def test_answers_may_be_separated_by_commas_or_spaces() -> None:
    assert instruments.parse_answers(CheckinKind.GAD7, " 1, 2 3,0  0,1,3 ") == [1, 2, 3, 0, 0, 1, 3]


def test_change_from_first_in_points_and_percent() -> None:
    assert instruments.change(18, 9).text() == "-9 points (-50%)"
    assert instruments.change(10, 12).text() == "+2 points (+20%)"
    assert instruments.change(0, 3).text() == "+3 points"  # no percent of nothing


def test_questionnaires_are_due_after_two_weeks() -> None:
    now = datetime(2026, 11, 23, 12).astimezone()
    assert instruments.is_due(None, now)
    assert not instruments.is_due(now - timedelta(days=13, hours=23), now)
    assert instruments.is_due(now - timedelta(days=14), now)


def test_crisis_numbers_by_country() -> None:
    general = crisis.safety_text(crisis.OTHER)
    assert "988" in general and "116 123" in general and "not monitored" in general
    assert "911" in crisis.safety_text("us") and "988" in crisis.safety_text("US")
    assert "116 123" in crisis.safety_text("IE") and "999" in crisis.safety_text("GB")
    assert crisis.region("XX") is crisis.REGIONS[crisis.OTHER]
    assert all(r.lines and r.emergency for r in crisis.REGIONS.values())


# --- trends and charts --------------------------------------------------------


def _dated_vault(vault: vaults.Vault) -> vaults.Vault:
    start = datetime(2026, 9, 1, 10).astimezone()
    phq = [[2, 2, 2, 2, 2, 2, 2, 1, 1], [2, 2, 1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 0, 1, 0, 0, 0]]
    for week, answers in enumerate(phq):
        when = start + timedelta(days=14 * week)
        vault.sessions.add(Session(started_at=when, mood_before=3 + week, mood_after=6 + week))
        vault.checkins.add(CheckinKind.PHQ9, answers, taken_at=when - timedelta(hours=1))
        vault.checkins.add(CheckinKind.GAD7, [1] * 7, taken_at=when - timedelta(hours=1))
        vault.checkins.add(
            CheckinKind.MOOD, [5], note="<b>ok</b> & calm", taken_at=when + timedelta(days=3)
        )
    return vault


def test_trends_carry_every_point_with_its_sentence(vault: vaults.Vault) -> None:
    data = trends.build(_dated_vault(vault).sessions.all(), vault.checkins.all())
    phq = data.score(CheckinKind.PHQ9)
    assert [p.value for p in phq.points] == [16, 9, 5]
    assert [p.flagged for p in phq.points] == [True, False, False]
    assert phq.points[2].text.endswith("PHQ-9 5 of 27, mild; -11 points (-69%) from the first.")
    assert "first 16 (moderately severe)" in phq.summary and "-11 points (-69%)" in phq.summary
    assert [(p.before, p.after) for p in data.mood.pairs] == [(3, 6), (4, 7), (5, 8)]
    assert "on average 3.0 points higher" in data.mood.summary
    assert len(data.mood.daily) == 3 and len(data.session_times) == 3


def _points(svg: str, kind: str = "point") -> list[ET.Element]:
    root = ET.fromstring(svg)  # noqa: S314 (our own SVG; parsing proves it well-formed)
    return [c for c in root.iter(f"{SVG}circle") if kind in c.get("class", "").split()]


def test_report_charts_have_one_point_per_value(vault: vaults.Vault) -> None:
    data = trends.build(_dated_vault(vault).sessions.all(), vault.checkins.all())
    phq_svg = charts.score_chart(data.score(CheckinKind.PHQ9), data.session_times)
    assert len(_points(phq_svg)) == 3 and len(_points(phq_svg, "flag")) == 1
    root = ET.fromstring(phq_svg)  # noqa: S314 (our own SVG)
    assert len([r for r in root.iter(f"{SVG}rect") if r.get("class") == "band"]) == 5
    assert len([x for x in root.iter(f"{SVG}line") if x.get("class") == "session"]) == 3
    mood_svg = charts.mood_chart(data.mood, data.session_times)
    assert len(_points(mood_svg, "before")) == 3 and len(_points(mood_svg, "after")) == 3
    assert len(_points(mood_svg, "daily")) == 3
    assert "<b>" not in mood_svg and "&lt;b&gt;ok&lt;/b&gt; &amp; calm" in mood_svg
    # Higher values are drawn higher up.
    ys = [float(c.get("cy", "0")) for c in _points(phq_svg)]
    assert ys[0] < ys[1] < ys[2]


# --- bundle -------------------------------------------------------------------


def test_bundle_carries_checkins_and_puts_the_flag_first(vault: vaults.Vault) -> None:
    _dated_vault(vault)
    vault.entries.add(
        Entry(phase=Phase.BEFORE_THERAPY, answers=[Answer("t", "Topic", text="my agenda")])
    )
    selection = share.offer(vault)
    content = share.collect(vault, selection, now=datetime.now().astimezone())
    data = bundle.write_bundle(content, report_html=report.report_html(content), share_code=CODE)
    files = zipfile.ZipFile(io.BytesIO(pyrage.passphrase.decrypt(data, CODE)))
    records = json.loads(files.read("checkins.json"))
    phq = [r for r in records if r["kind"] == "phq9"]
    assert len(records) == 9 and len(phq) == 3
    assert phq[0]["answers"] == [2, 2, 2, 2, 2, 2, 2, 1, 1]
    assert (phq[0]["total"], phq[0]["band"], phq[0]["flagged"]) == (16, "moderately severe", True)
    assert (
        datetime.fromisoformat(phq[0]["taken_at"])
        == vault.checkins.all(CheckinKind.PHQ9)[0].taken_at
    )
    html = files.read("report.html").decode()
    assert html.index("Please note first") < html.index("my agenda") < html.index("Trends")
    assert "item 9 (thoughts of self-harm) answered 1 of 3" in html
    svgs = [
        base64.b64decode(m).decode()
        for m in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    ]
    # Each chart says what it is in its label: "Mood over time. …", "PHQ-9 totals over time. …"
    labels = [ET.fromstring(s).get("aria-label", "") for s in svgs]  # noqa: S314 (our own SVG)
    over_time = [
        s
        for s, label in zip(svgs, labels, strict=True)
        if label.startswith("Mood over time.") or " totals over time." in label
    ]
    assert len(over_time) == 3  # mood, PHQ-9, GAD-7
    assert [len(_points(s, "after")) for s in over_time[:1]] == [3]
    assert [len(_points(s)) for s in over_time[1:]] == [3, 3]
    # The first screen's small trends and the change around each infusion, for both.
    assert sum("sessions as dashed lines" in label for label in labels) == 2
    assert sum("around each infusion" in label for label in labels) == 2


# --- command line -------------------------------------------------------------


@pytest.fixture
def cli_vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(kf, "DEFAULT_KDF", FAST_KDF)
    path = tmp_path / "v" / "journal.vault"
    assert cli(path, "init", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n").code == 0
    return path


def _run(path: Path, *args: str) -> tuple[int, str, str]:
    result = cli(path, "checkin", *args, stdin=f"{PASSPHRASE}\n")
    return result.code, result.out, result.err


def test_cli_checkins_print_total_band_and_change(cli_vault: Path) -> None:
    assert _run(cli_vault, "mood", "6", "--note", "steadier")[:2] == (0, "Mood 6 of 10 saved.\n")
    code, out, _ = _run(cli_vault, "phq9", "2,2,2,2,2,2,2,1,0")
    assert code == 0 and out == "PHQ-9 total 15 of 27: moderately severe. Saved.\n"
    code, out, _ = _run(cli_vault, "phq9", "1", "1", "1", "1", "1", "1", "1", "0", "0")
    assert out.splitlines()[1].endswith("-8 points (-53%).")
    assert "not monitored" not in out
    code, out, _ = _run(cli_vault, "gad7", "3,3,3,3,3,0,0")
    assert out.startswith("GAD-7 total 15 of 21: severe.")
    code, out, _ = _run(cli_vault, "list")
    lines = out.splitlines()
    assert len(lines) == 4 and "“steadier”" in lines[0] and "moderately severe" in lines[1]


def test_cli_item9_prints_the_safety_text(cli_vault: Path) -> None:
    code, out, _ = _run(cli_vault, "phq9", "0,0,0,0,0,0,0,0,2", "--country", "US")
    assert code == 0 and out.startswith("PHQ-9 total 2 of 27: minimal. Saved.")
    assert "not monitored by anyone" in out and "call 911 now" in out and "988" in out
    assert "[item 9 answered 2]" in _run(cli_vault, "list")[1]


@pytest.mark.parametrize(
    "args",
    [
        ("phq9", "1,2,3"),
        ("phq9", "1,1,1,1,1,1,1,1,9"),
        ("gad7", "a,b,c,d,e,f,g"),
        ("mood", "12"),
        ("mood", "-1"),
    ],
)
def test_cli_bad_answers_save_nothing(cli_vault: Path, args: tuple[str, ...]) -> None:
    before = snapshot(cli_vault.parent)
    code, out, err = _run(cli_vault, *args)
    assert code in (1, 2) and out == ""
    assert err.strip()
    assert snapshot(cli_vault.parent) == before


def test_a_single_score_charts_with_distinct_dates() -> None:
    now = datetime(2026, 11, 23, 10).astimezone()
    checkin = Checkin(CheckinKind.PHQ9, now, [1] * 9, 9, "mild", flagged=True, id=1)
    data = trends.build([], [checkin])
    svg = charts.score_chart(data.score(CheckinKind.PHQ9), data.session_times)
    labels = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]  # noqa: S314 (our own SVG)
    dates = [label for label in labels if label and label[:2].strip().isdigit() and "Nov" in label]
    assert dates and len(dates) == len(set(dates))
    assert len(_points(svg)) == 1 and len(_points(svg, "flag")) == 1


def test_the_unscored_difficulty_answer(vault: vaults.Vault) -> None:
    gad = vault.checkins.add(CheckinKind.GAD7, [1] * 7, difficulty=2)
    assert (gad.total, gad.difficulty) == (7, 2)
    assert vault.checkins.set_difficulty(gad.id or 0, 1).difficulty == 1
    before = vault.checkins.all()
    for bad in (4, -1, True):
        with pytest.raises(InvalidInput, match="difficulty"):
            vault.checkins.add(CheckinKind.PHQ9, [1] * 9, difficulty=bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="no difficulty"):
        vault.checkins.add(CheckinKind.MOOD, [5], difficulty=1)
    assert vault.checkins.all() == before
    data = trends.build([], vault.checkins.all())
    assert data.score(CheckinKind.GAD7).points[0].text.endswith("daily life: somewhat difficult.")


def test_difficulty_travels_in_the_bundle_and_the_report(vault: vaults.Vault) -> None:
    vault.checkins.add(CheckinKind.PHQ9, [2] * 8 + [0], difficulty=3)
    content = share.collect(vault, share.offer(vault), now=datetime.now().astimezone())
    data = bundle.write_bundle(content, report_html=report.report_html(content), share_code=CODE)
    opened = bundle.read_bundle(data, share_code=CODE)
    assert [c.difficulty for c in opened.content.checkins] == [3]
    assert "Extremely difficult" in report.report_html(opened.content)


def test_cli_difficulty(cli_vault: Path) -> None:
    code, _, _ = _run(cli_vault, "gad7", "1,1,1,0,0,0,0", "--difficulty", "1")
    assert code == 0
    assert "(somewhat difficult)" in _run(cli_vault, "list")[1]
    code, _, err = _run(cli_vault, "gad7", "1,1,1,0,0,0,0", "--difficulty", "7")
    assert code == 1 and "difficulty answer must be from 0" in err
