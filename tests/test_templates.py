from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.errors import TemplateInvalid
from journal.core.model import Phase, PromptKind
from journal.core.templates import builtin_templates, parse_template


def test_builtins_cover_the_treatment() -> None:
    templates = {t.id: t for t in builtin_templates()}
    assert set(templates) == {
        "intention",
        "right-after-gentle",
        "imagery-metaphors",
        "next-day",
        "integration",
        "before-therapy",
        "free",
    }
    assert {t.phase for t in templates.values()} >= {
        Phase.BEFORE,
        Phase.RIGHT_AFTER,
        Phase.NEXT_DAY,
        Phase.INTEGRATION,
        Phase.BEFORE_THERAPY,
    }
    assert all(t.builtin and t.description and t.minutes for t in templates.values())


def test_right_after_is_short_and_gentle() -> None:
    gentle = next(t for t in builtin_templates() if t.id == "right-after-gentle")
    assert gentle.title == "Right after — gentle"
    assert len(gentle.prompts) <= 8
    assert all(len(p.text) <= 60 for p in gentle.prompts)  # short enough to read when dizzy
    kinds = [p.kind for p in gentle.prompts]
    assert PromptKind.MOTIFS in kinds and PromptKind.AFTER_EFFECTS in kinds
    assert gentle.prompts[-1].kind is PromptKind.SCALE  # mood after


def test_integration_asks_about_practice() -> None:
    integration = next(t for t in builtin_templates() if t.id == "integration")
    practice = next(p for p in integration.prompts if p.key == "practice")
    assert "Meditation or breathing" in practice.options


GOOD = """\
id = "mine"
title = "Mine"
phase = "free"

[[prompts]]
key = "a"
text = "First?"

[[prompts]]
key = "b"
kind = "choice"
text = "Pick"
options = ["x", "y"]
"""


def test_a_good_file_parses() -> None:
    template = parse_template(GOOD, name="mine.toml")
    assert [p.key for p in template.prompts] == ["a", "b"]
    assert template.prompts[1].options == ("x", "y")
    assert template.source == GOOD


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda s: s.replace('phase = "free"', 'phase = "later"'),
            "mine.toml, line 3: phase must be one of before, right_after",
        ),
        (
            lambda s: s.replace('id = "mine"', 'id = "My Template"'),
            "mine.toml, line 1: id must be lowercase",
        ),
        (
            lambda s: s.replace('kind = "choice"', 'kind = "slider"'),
            'mine.toml, line 11: prompt 2 has kind "slider"; use one of text, scale',
        ),
        (
            lambda s: s.replace('key = "b"', 'key = "a"'),
            'mine.toml, line 10: prompt 2 repeats the key "a"',
        ),
        (
            lambda s: s.replace('text = "First?"', 'txt = "First?"'),
            'mine.toml, line 7: prompt 1 has an unknown setting "txt"',
        ),
        (
            lambda s: s.replace('options = ["x", "y"]', 'options = ["x"]'),
            "mine.toml, line 13: prompt 2 is a choice and needs at least two options",
        ),
        (
            lambda s: s.replace('title = "Mine"', 'title = ""'),
            "mine.toml, line 2: title must be a non-empty text",
        ),
        (
            lambda s: s.replace('title = "Mine"', 'title = "Mine"\nminutes = 0'),
            "mine.toml, line 3: minutes must be a whole number",
        ),
        (
            lambda s: s.replace('text = "Pick"', 'text = "Pick'),
            "mine.toml, line 12: this is not valid TOML",
        ),
        (lambda s: s.split("[[prompts]]")[0], "mine.toml: the template has no prompts"),
        (lambda s: "colour = 1\n" + s, 'mine.toml, line 1: unknown setting "colour"'),
    ],
)
def test_errors_name_file_line_and_problem(change: object, message: str) -> None:
    with pytest.raises(TemplateInvalid) as caught:
        parse_template(change(GOOD), name="mine.toml")  # type: ignore[operator]
    assert str(caught.value).startswith(message), str(caught.value)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_a_template_or_a_clear_error(text: str) -> None:
    try:
        parse_template(text, name="fuzz.toml")
    except TemplateInvalid as error:
        assert str(error).startswith("fuzz.toml")
