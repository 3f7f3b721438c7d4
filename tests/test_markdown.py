"""The sanitiser against XSS vectors: the output is parsed and every tag,
attribute and URL checked against the allowlist."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.journal.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    '<img src="attachment:1" onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    "![remote](https://tracker.example/pixel.gif)",
    "![local](/etc/passwd)",
    "![relative](../secret.png)",
    "![fileurl](file:///etc/passwd)",
    '![x](attachment:1 "title" onerror="alert(1)")',
    '[x](https://ok.example){: onclick="alert(1)"}',
    'text{: onmouseover=alert(1) }\n{: onclick="alert(1)" }',
    "<form action=javascript:alert(1)><input type=submit></form>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<style>@import 'https://evil.example/x.css';</style>",
    '<base href="https://evil.example/">',
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<video><source onerror=alert(1)></video>",
    '<p title="</p><script>alert(1)</script>">x</p>',
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "`<script>alert(1)</script>` and\n\n    <script>alert(1)</script>",
    "> <img src=x onerror=alert(1)>\n> quoted",
    "* <a href=javascript:alert(1)>list</a>",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    '<a href="https://ok.example" target=_blank>ok</a>',
    '[x](#top" onclick="alert(1))',
    '<IMG SRC="jav\u0000ascript:alert(1)">',
    "<img src=`javascript:alert(1)`>",
    "\x00<script>alert(1)</script>",
]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []  # comments, declarations, processing instructions

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        self.other.append(data)

    def handle_decl(self, decl: str) -> None:
        self.other.append(decl)

    def handle_pi(self, data: str) -> None:
        self.other.append(data)

    def unknown_decl(self, data: str) -> None:
        self.other.append(data)


def _assert_safe(html: str) -> None:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), name
            if name == "rel":
                assert tag == "a"
                continue
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()), (tag, name)
            if name == "href":
                assert value is not None
                assert value.startswith(("https:", "http:", "mailto:", "attachment:", "#")), value
            if name == "src":
                assert value is not None
                assert value.startswith("attachment:"), value
    assert not collector.other, collector.other


def test_there_are_at_least_forty_vectors() -> None:
    assert len(VECTORS) >= 40


@pytest.mark.parametrize("vector", VECTORS)
def test_vector_is_neutralised(vector: str) -> None:
    _assert_safe(render(vector, image_allowed=lambda _id: True))
    _assert_safe(render(vector))


def test_hostile_text_survives_only_as_visible_text() -> None:
    html = render('<a href="javascript:alert(1)">x</a>')
    assert html == '<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</p>'


def test_raw_html_is_shown_as_text_not_dropped() -> None:
    html = render("I wrote <b>bold</b> by hand")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_ordinary_markdown_renders() -> None:
    html = render(
        "# Title\n\n*soft* and **strong**\n\n- one\n- two\n\n> quoted\n\n[a link](https://example.org)"
    )
    for fragment in (
        "<h1>Title</h1>",
        "<em>soft</em>",
        "<strong>strong</strong>",
        "<li>one</li>",
        "<blockquote>",
        'href="https://example.org"',
    ):
        assert fragment in html


def test_images_only_from_attachments_of_this_vault() -> None:
    known = {7}
    html = render(
        "![sketch](attachment:7) ![other](attachment:8)", image_allowed=known.__contains__
    )
    assert 'src="attachment:7"' in html
    assert "attachment:8" not in html
    assert "src=" not in render("![sketch](attachment:7)")  # no predicate, no images


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("<>\"'=/:;&#() [](){}!*`\nabcjsvrpt0onerrlkx-")), max_size=120
    )
)
def test_fuzzed_markup_stays_safe(text: str) -> None:
    _assert_safe(render(text, image_allowed=lambda _id: True))
