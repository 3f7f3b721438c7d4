"""An entry as safe HTML for reading (the app, and later the report)."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from journal.core.journal.markdown import render
from journal.core.model import Answer, Attachment, Entry, PromptKind


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


PLAY_SCHEME = "play"
PICTURE_WIDTH = 420


def attachment_html(meta: Attachment) -> str:
    """A picture shown from the vault (``attachment:ID``, which the reading
    view resolves in memory) or a voice note as a link that plays it."""
    private = " · private" if meta.private else ""
    if meta.is_picture:
        return (
            f'<p><img src="attachment:{meta.id}" width="{PICTURE_WIDTH}" '
            f'alt="{html.escape(meta.label)}"><br><i>{html.escape(meta.label + private)}</i></p>'
        )
    return f'<p><a href="{PLAY_SCHEME}:{meta.id}">▶ {html.escape(meta.label)}</a>{private}</p>'


def entry_html(
    entry: Entry,
    *,
    image_allowed: Callable[[int], bool] | None = None,
    attachments: Sequence[Attachment] = (),
) -> str:
    """Sanitised HTML of an entry's answers, each under its prompt, with the
    sketches, pictures and voice notes made for that prompt below it and the
    entry's other ones at the end.

    Prompt texts and values are escaped; answer text goes through the
    Markdown renderer and its sanitiser."""
    parts = []
    keys = {answer.prompt_key for answer in entry.answers}
    for answer in entry.answers:
        if answer.prompt_text:
            parts.append(f"<h3>{html.escape(answer.prompt_text)}</h3>")
        if answer.text:
            parts.append(render(answer.text, image_allowed=image_allowed))
        value = answer_value_text(answer)
        if value:
            parts.append(f"<p><b>{html.escape(value)}</b></p>")
        parts += [attachment_html(a) for a in attachments if a.prompt_key == answer.prompt_key]
        if answer.private:
            parts.append("<p><i>Private — never shared.</i></p>")
    parts += [attachment_html(a) for a in attachments if a.prompt_key not in keys]
    return "\n".join(parts) or "<p><i>Nothing written yet.</i></p>"
