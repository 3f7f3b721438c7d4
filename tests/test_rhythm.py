"""The next step at the right time, with a fixed clock: never a
questionnaire within 12 hours of a session, the next-day reflection the
next day, an integration check-in days later, the appointment before it,
at most one suggestion, and a dismissed one never comes back."""

from __future__ import annotations

from datetime import datetime, timedelta

from journal.core.journal import before, rhythm
from journal.core.model import Answer, CheckinKind, Entry, Phase, Session
from journal.core.vault import vault as vaults

TUESDAY = datetime(2026, 11, 3, 10, 0).astimezone()  # a Tuesday


def _session(vault: vaults.Vault, when: datetime = TUESDAY) -> int:
    session = vault.sessions.add(Session(started_at=when))
    assert session.id is not None
    vault.entries.add(
        Entry(phase=Phase.RIGHT_AFTER, session_id=session.id, answers=[Answer("a", "", text="x")])
    )
    return session.id


def _kinds(vault: vaults.Vault, now: datetime) -> list[rhythm.StepKind]:
    return [s.kind for s in rhythm.steps(vault, now)]


def test_nothing_but_the_journaling_within_12_hours(vault: vaults.Vault) -> None:
    _session(vault)
    for hours in (0.5, 3, 11.9):
        assert rhythm.next_step(vault, TUESDAY + timedelta(hours=hours)) is None
    # PHQ-9 has never been filled, so it is due — but not yet.
    step = rhythm.next_step(vault, TUESDAY + timedelta(hours=60))
    assert step is not None and step.kind is rhythm.StepKind.QUESTIONNAIRE
    assert step.questionnaire == CheckinKind.PHQ9 and step.first_time


def test_the_next_day_reflection_comes_first_the_next_day(vault: vaults.Vault) -> None:
    session_id = _session(vault)
    wednesday = TUESDAY + timedelta(hours=22)
    step = rhythm.next_step(vault, wednesday)
    assert step is not None and step.kind is rhythm.StepKind.NEXT_DAY
    assert step.text.startswith("Next-day reflection on Tuesday's session")
    assert step.session_id == session_id
    assert _kinds(vault, wednesday) == [rhythm.StepKind.NEXT_DAY, rhythm.StepKind.QUESTIONNAIRE]
    vault.entries.add(
        Entry(phase=Phase.NEXT_DAY, session_id=session_id, answers=[Answer("a", "", text="y")])
    )
    assert _kinds(vault, wednesday) == [rhythm.StepKind.QUESTIONNAIRE]


def test_an_integration_check_in_some_days_later(vault: vaults.Vault) -> None:
    session_id = _session(vault)
    for checkin in (CheckinKind.PHQ9, CheckinKind.GAD7):
        vault.checkins.add(checkin, [0] * (9 if checkin == "phq9" else 7), taken_at=TUESDAY)
    saturday = TUESDAY + timedelta(days=4)
    step = rhythm.next_step(vault, saturday)
    assert step is not None and step.kind is rhythm.StepKind.INTEGRATION
    assert "Tuesday's session" in step.text and step.session_id == session_id
    assert rhythm.next_step(vault, TUESDAY + timedelta(days=11)) is None  # not forever
    vault.entries.add(
        Entry(phase=Phase.INTEGRATION, session_id=session_id, answers=[Answer("a", "", text="z")])
    )
    assert rhythm.next_step(vault, saturday) is None


def test_prepare_for_the_appointment_two_days_ahead(vault: vaults.Vault) -> None:
    rhythm.set_next_appointment(vault, (TUESDAY + timedelta(days=2)).date())  # Thursday
    assert rhythm.next_appointment(vault) == (TUESDAY + timedelta(days=2)).date()
    assert rhythm.next_step(vault, TUESDAY - timedelta(days=1)) is None  # three days ahead
    step = rhythm.next_step(vault, TUESDAY)
    assert step is not None and step.kind is rhythm.StepKind.APPOINTMENT
    assert step.text.startswith("Prepare for Thursday's appointment")
    on_the_day = rhythm.next_step(vault, TUESDAY + timedelta(days=2))
    assert on_the_day is not None and on_the_day.text.startswith("Prepare for today's appointment")
    assert rhythm.next_step(vault, TUESDAY + timedelta(days=3)) is None  # it has passed
    rhythm.set_next_appointment(vault, None)
    assert rhythm.next_appointment(vault) is None


def test_the_session_day_and_a_prepared_session(vault: vaults.Vault) -> None:
    before.set_next_session(vault, TUESDAY.date())
    morning = TUESDAY - timedelta(hours=1)
    step = rhythm.next_step(vault, morning)
    assert step is not None and step.kind is rhythm.StepKind.BEFORE_SESSION
    prepared = before.start_session(vault, morning)
    vault.entries.add(
        Entry(phase=Phase.BEFORE, session_id=prepared.id, answers=[Answer("a", "", text="i")])
    )
    step = rhythm.next_step(vault, morning + timedelta(minutes=10))
    assert step is not None and step.kind is rhythm.StepKind.PREPARED
    assert step.session_id == prepared.id


def test_a_dismissed_step_never_comes_back(vault: vaults.Vault) -> None:
    _session(vault)
    wednesday = TUESDAY + timedelta(hours=22)
    step = rhythm.next_step(vault, wednesday)
    assert step is not None
    rhythm.dismiss(vault, step)
    assert step.kind not in _kinds(vault, wednesday)
    assert step.kind not in _kinds(vault, wednesday + timedelta(hours=6))
    # A later session's next day is a new step.
    _session(vault, TUESDAY + timedelta(days=7))
    later = rhythm.next_step(vault, TUESDAY + timedelta(days=7, hours=20))
    assert later is not None and later.kind is rhythm.StepKind.NEXT_DAY


def test_notifications_say_the_kind_of_step_only(vault: vaults.Vault) -> None:
    _session(vault)
    step = rhythm.next_step(vault, TUESDAY + timedelta(hours=22))
    assert step is not None
    assert step.notification == "Afterglow: a next-day reflection is ready"
    for kind in rhythm.StepKind:
        text = rhythm.Step(kind, "k", "secret words").notification
        assert text.startswith("Afterglow: ") and "secret" not in text
