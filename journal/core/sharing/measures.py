"""The measures a bundle carries: the definition of every questionnaire its
check-ins use (so a reader without it scores and labels them the same way,
and the report says which version was used), and each questionnaire's
standing computed by the patient's app from the whole journal — the baseline,
the score at the previous bundle, the latest, response and remission.

Both are written as ``instruments/<id>.toml`` and ``outcomes.json``; both are
untrusted when read: definitions are validated like any instrument file, and
every number must lie within its definition's range. Bundles made before
these files existed read as before (the built-in definitions apply).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from journal.core.checkins import outcomes
from journal.core.checkins.definitions import Instrument
from journal.core.checkins.instrument_file import parse_instrument
from journal.core.checkins.instruments import INSTRUMENTS
from journal.core.errors import BundleInvalid, InstrumentInvalid
from journal.core.model import Checkin, CheckinKind, Session

MAX_INSTRUMENTS = 20


@dataclass(frozen=True)
class Standing(outcomes.Findings):
    """One questionnaire's standing as shared: numbers and the sentence."""

    kind: str
    version: str
    latest: float
    latest_at: datetime
    baseline: float
    baseline_at: datetime
    previous: float | None  # at the previous bundle, if there was one
    previous_at: datetime | None
    responded: bool | None
    in_remission: bool | None
    meaningful: bool | None
    above_screening: bool | None
    sentence: str


def standings(
    instruments: Mapping[str, Instrument],
    shared: Iterable[Checkin],
    history: Iterable[Checkin],
    sessions: Iterable[Session],
    previous_export: datetime | None,
) -> list[Standing]:
    """For each questionnaire among the ``shared`` check-ins: its standing from
    the whole ``history`` (the baseline may predate the period shared)."""
    shared_kinds = {c.kind for c in shared if c.kind != CheckinKind.MOOD}
    everything = list(history)
    sessions = list(sessions)
    found = []
    for kind in sorted(shared_kinds):
        instrument = instruments.get(kind)
        if instrument is None:
            continue
        own = [c for c in everything if c.kind == kind]
        progress = outcomes.progress(instrument, own, sessions)
        if progress.baseline is None or progress.latest is None:
            continue
        before = [c for c in own if previous_export and c.taken_at < previous_export]
        previous = max(before, key=lambda c: c.taken_at) if before else None
        found.append(
            Standing(
                kind=kind,
                version=instrument.version,
                latest=progress.latest.total,
                latest_at=progress.latest.taken_at,
                baseline=progress.baseline.total,
                baseline_at=progress.baseline.taken_at,
                previous=None if previous is None else previous.total,
                previous_at=None if previous is None else previous.taken_at,
                responded=progress.responded,
                in_remission=progress.in_remission,
                meaningful=progress.meaningful,
                above_screening=progress.above_screening,
                sentence=progress.sentence,
            )
        )
    return found


# --- in the bundle -------------------------------------------------------------------


def definition_files(
    instruments: Mapping[str, Instrument], kinds: Iterable[str]
) -> dict[str, bytes]:
    """``instruments/<id>.toml`` for each questionnaire the check-ins use."""
    files = {}
    for kind in sorted(set(kinds) - {CheckinKind.MOOD}):
        instrument = instruments.get(kind)
        if instrument is not None and instrument.source:
            files[f"instruments/{kind}.toml"] = instrument.source.encode("utf-8")
    return files


def read_definitions(files: Mapping[str, bytes]) -> dict[str, Instrument]:
    """The definitions a bundle carries, each checked like an instrument file;
    the built-ins fill in what an older bundle does not carry."""
    names = [n for n in files if n.startswith("instruments/") and n.endswith(".toml")]
    if len(names) > MAX_INSTRUMENTS:
        raise BundleInvalid("This bundle describes more questionnaires than Afterglow accepts.")
    found: dict[str, Instrument] = dict(INSTRUMENTS)
    for name in sorted(names):
        try:
            instrument = parse_instrument(files[name].decode("utf-8"), name=name)
        except (UnicodeDecodeError, InstrumentInvalid):
            raise BundleInvalid(
                "A questionnaire in this bundle is not described properly, so the bundle was "
                "refused. Ask for it to be made again."
            ) from None
        if name != f"instruments/{instrument.id}.toml":
            raise BundleInvalid()
        kind = CheckinKind.of(instrument.id)
        found[kind] = replace(instrument, id=kind, builtin=kind in INSTRUMENTS)
    return found


def check_scores(checkins: Iterable[Checkin], known: Mapping[str, Instrument]) -> list[Checkin]:
    """Every check-in of a bundle scored the way its definition says: a score
    outside the definition (or a questionnaire it does not describe) is
    refused; the band and the safety flag are the definition's (a flag the
    patient's app raised is never dropped)."""
    scored = []
    for checkin in checkins:
        instrument = known.get(checkin.kind)
        if instrument is None:
            raise BundleInvalid(
                "This bundle holds answers to a questionnaire it does not describe, so it was "
                "refused. Ask for it to be made again with a current Afterglow."
            )
        try:
            score = instrument.score(checkin.answers)
        except Exception:
            raise BundleInvalid(_OUT_OF_RANGE) from None
        if not math.isclose(score.total, checkin.total, abs_tol=0.05):
            raise BundleInvalid(_OUT_OF_RANGE)
        if checkin.difficulty is not None and (
            instrument.followup is None or checkin.difficulty >= len(instrument.followup.options)
        ):
            raise BundleInvalid(_OUT_OF_RANGE)
        scored.append(
            replace(
                checkin,
                band=score.band or checkin.band,
                flagged=checkin.flagged or score.flagged,
            )
        )
    return scored


_OUT_OF_RANGE = (
    "A check-in in this bundle does not match its questionnaire (a score out of its range, "
    "or answers that do not add up), so the bundle was refused."
)


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def standing_record(s: Standing) -> dict[str, Any]:
    return {
        "instrument": str(s.kind),
        "version": s.version,
        "latest": s.latest,
        "latest_at": _time(s.latest_at),
        "baseline": s.baseline,
        "baseline_at": _time(s.baseline_at),
        "previous": s.previous,
        "previous_at": _time(s.previous_at),
        "response": s.responded,
        "remission": s.in_remission,
        "meaningful_change": s.meaningful,
        "above_screening_line": s.above_screening,
        "sentence": s.sentence,
        "note": "a standard research definition, not a diagnosis",
    }


def read_standing(record: Any, known: Mapping[str, Instrument]) -> Standing:
    """One ``outcomes.json`` record, every field checked against its definition."""
    if not isinstance(record, dict):
        raise BundleInvalid()
    kind = CheckinKind.of(str(record.get("instrument", "")))
    instrument = known.get(kind)
    if instrument is None:
        raise BundleInvalid()

    def score(key: str, *, optional: bool = False) -> float | None:
        value = record.get(key)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise BundleInvalid()
        if not instrument.min_total - 1e-9 <= value <= instrument.max_total + 1e-9:
            raise BundleInvalid(_OUT_OF_RANGE)
        return value

    def moment(key: str, *, optional: bool = False) -> datetime | None:
        value = record.get(key)
        if value is None and optional:
            return None
        try:
            return datetime.fromisoformat(str(value)).astimezone()
        except ValueError:
            raise BundleInvalid() from None

    def flag(key: str) -> bool | None:
        value = record.get(key)
        if value is not None and not isinstance(value, bool):
            raise BundleInvalid()
        return value

    sentence = record.get("sentence", "")
    version = record.get("version", "")
    if not isinstance(sentence, str) or len(sentence) > 600 or not isinstance(version, str):
        raise BundleInvalid()
    latest, baseline = score("latest"), score("baseline")
    latest_at, baseline_at = moment("latest_at"), moment("baseline_at")
    assert latest is not None and baseline is not None
    assert latest_at is not None and baseline_at is not None
    return Standing(
        kind=kind,
        version=version[:20],
        latest=latest,
        latest_at=latest_at,
        baseline=baseline,
        baseline_at=baseline_at,
        previous=score("previous", optional=True),
        previous_at=moment("previous_at", optional=True),
        responded=flag("response"),
        in_remission=flag("remission"),
        meaningful=flag("meaningful_change"),
        above_screening=flag("above_screening_line"),
        sentence=sentence,
    )
