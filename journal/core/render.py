"""An entry as safe HTML for reading (the app, and later the report)."""

from __future__ import annotations

import html
from collections.abc import Callable

from journal.core.markdown import render
from journal.core.model import Answer, Entry, PromptKind


def answer_value_text(answer: Answer) -> str:
    """A non-text answer in words: "7 out of 10", "Nausea, Dizziness"."""
    value = answer.value
    if value is None or value == []:
        return ""
    if answer.kind is PromptKind.SCALE:
        return f"{value} out of 10"
    if isinstance(value, list):
        names = [str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value]
        return ", ".join(n for n in names if n)
    return str(value)


def entry_html(entry: Entry, *, image_allowed: Callable[[int], bool] | None = None) -> str:
    """Sanitised HTML of an entry's answers, each under its prompt.

    Prompt texts and values are escaped; answer text goes through the
    Markdown renderer and its sanitiser."""
    parts = []
    for answer in entry.answers:
        if answer.prompt_text:
            parts.append(f"<h3>{html.escape(answer.prompt_text)}</h3>")
        if answer.text:
            parts.append(render(answer.text, image_allowed=image_allowed))
        value = answer_value_text(answer)
        if value:
            parts.append(f"<p><b>{html.escape(value)}</b></p>")
        if answer.private:
            parts.append("<p><i>Private — never shared.</i></p>")
    return "\n".join(parts) or "<p><i>Nothing written yet.</i></p>"
