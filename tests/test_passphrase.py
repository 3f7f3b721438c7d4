"""Passphrase strength, judged the way attackers guess (zxcvbn): one rule,
one function, the same sentences in core, the app and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal.core.errors import WeakPassphrase
from journal.core.vault import keyfile as kf
from journal.core.vault.passphrase import FAIR, STRONG, judge, suggest
from tests.conftest import FAST_KDF
from tests.test_cli import cli

# Each is among the first guesses of any cracking dictionary; the old
# character-pool estimate called every one of them "Strong".
FIRST_GUESSES = [
    "password123456",
    "iloveyou2026!",
    "qwertyuiopasdfgh",
    "Summer2026Summer2026",
    "Password1!Password1!",
]


@pytest.mark.parametrize("passphrase", FIRST_GUESSES)
def test_the_first_guesses_are_refused_or_warned(passphrase: str) -> None:
    verdict = judge(passphrase)
    assert verdict.level < STRONG and verdict.message != "Strong."
    if verdict.accepted:
        assert verdict.level == FAIR and "harder to guess" in verdict.message


@pytest.mark.parametrize(
    ("passphrase", "why"),
    [
        ("password123456", "very common password"),
        ("qwertyuiopasdfgh", "very common password"),
        ("Password1!Password1!", "Repeating a part"),
        ("xcvbnm,.", "Rows of keys"),
        ("abcdefghijklmnop", "Sequences"),
        ("afterglow2026", "Afterglow or your therapy"),
        ("ketamine afterglow", "Afterglow or your therapy"),  # spaces fool no guessing tool
        ("therapy therapy", "Repeating a part"),
        ("short", "at least 8 characters"),
    ],
)
def test_a_refusal_says_why_in_one_kind_sentence(passphrase: str, why: str) -> None:
    verdict = judge(passphrase)
    assert not verdict.accepted and why in verdict.message
    assert verdict.message.count(".") <= 1 and len(verdict.message) < 150


@pytest.mark.parametrize(
    "passphrase",
    ["correct horse battery staple", "kettle river autumn violin", "tidy-lantern-oboe-fjord"],
)
def test_random_word_sequences_are_strong(passphrase: str) -> None:
    assert judge(passphrase).level == STRONG


def test_a_suggested_passphrase_is_six_list_words_and_strong() -> None:
    made = {suggest() for _ in range(20)}
    assert len(made) == 20
    for passphrase in made:
        assert len(passphrase.split(" ")) == 6 and judge(passphrase).level == STRONG


def test_the_journals_name_counts_as_guessable() -> None:
    assert judge("moonwatcher 1990").accepted
    assert not judge("moonwatcher 1990", context=["moonwatcher"]).accepted


def test_long_input_is_judged_quickly_by_its_beginning() -> None:
    assert not judge("a" * 5000).accepted
    assert judge("tidy lantern oboe fjord " + "x" * 5000).level == STRONG


@pytest.mark.parametrize("passphrase", ["password123456", "Password1!Password1!", "short"])
def test_core_and_command_line_refuse_with_the_same_sentence(
    passphrase: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kf, "DEFAULT_KDF", FAST_KDF)
    sentence = judge(passphrase, context=["journal"]).message
    with pytest.raises(WeakPassphrase) as refused:
        kf.check_passphrase_strength(passphrase, context=["journal"])
    assert refused.value.message == sentence
    path = tmp_path / "journal.vault"
    made = cli(path, "init", stdin=f"{passphrase}\n")
    assert made.code == 1 and made.err.strip() == sentence and not path.exists()
    assert cli(path, "init", stdin="correct horse battery staple\n").code == 0
    for command, stdin in (
        ("passwd", f"correct horse battery staple\n{passphrase}\n"),
        ("recover", f"NOT-A-CODE\n{passphrase}\n"),
    ):
        result = cli(path, command, stdin=stdin)
        assert result.code == 1 and result.err.strip() == sentence, (command, result.err)
