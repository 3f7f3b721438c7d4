"""Entry Markdown to safe HTML: Python-Markdown, then the nh3 sanitiser.

Python-Markdown passes raw HTML such as ``<script>`` straight through, and
extensions like ``attr_list`` can add ``on*`` attributes, so its output is
never trusted: raw HTML is escaped at the Markdown stage *and* the result
goes through an allowlist sanitiser. Links may use http(s) and mailto;
images may only show attachments of the same vault or bundle
(``attachment:ID``) — no remote images, no ``data:`` or ``javascript:`` URLs.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import markdown as md
import nh3

ATTACHMENT_SCHEME = "attachment"
_ATTACHMENT_REF = re.compile(r"attachment:(\d{1,18})\Z")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "b",
        "i",
        "blockquote",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "a",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "del",
        "sup",
        "sub",
        "dl",
        "dt",
        "dd",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
LINK_SCHEMES = frozenset({"http", "https", "mailto", ATTACHMENT_SCHEME})


def attachment_id(src: str) -> int | None:
    """The attachment id an ``attachment:ID`` reference names, else None."""
    match = _ATTACHMENT_REF.match(src.strip())
    return int(match.group(1)) if match else None


_converters = threading.local()


def _markdown() -> md.Markdown:
    """This thread's converter, reset for a new text. Building one costs a
    millisecond of setting up its parser; a report renders thousands of
    answers, and a converter is not safe to share between threads."""
    converter: md.Markdown | None = getattr(_converters, "converter", None)
    if converter is None:
        converter = md.Markdown(extensions=["sane_lists", "tables", "fenced_code"])
        # Escape raw HTML instead of passing it through.
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.deregister("html")
        _converters.converter = converter
    converter.reset()
    return converter


def render(text: str, *, image_allowed: Callable[[int], bool] | None = None) -> str:
    """Render entry Markdown to sanitised HTML.

    ``image_allowed(attachment_id)`` says whether an image may be shown; an
    ``<img>`` whose source is anything else (remote, ``data:``, a path) keeps
    no source at all. Without a predicate no image is shown.
    """
    text = text.replace("\x00", "\ufffd")

    def filter_attribute(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            ref = attachment_id(value)
            if ref is None or image_allowed is None or not image_allowed(ref):
                return None
            return f"{ATTACHMENT_SCHEME}:{ref}"
        if attribute == "href":
            scheme = _SCHEME.match(value.strip())
            if scheme is None:  # relative paths could reach local files
                return value if value.startswith("#") else None
            if scheme.group(1).lower() == ATTACHMENT_SCHEME:
                return value if attachment_id(value) is not None else None
        return value

    html = _markdown().convert(text)
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(LINK_SCHEMES),
        attribute_filter=filter_attribute,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
