"""Small pieces of the report's HTML, shared by its sections: escaping, the
reading type scale, inline SVG charts and plain tables.

The report is read in a browser, in Afterglow's reader (Qt rich text) and as
a PDF (Qt again). Qt sizes headings relative to the document's default font
and ignores their own ``font-size``; so for Qt every size follows that
default — `READING_PT` in the reader and the PDF, the patient's own text
size in the preview — and the browser's sizes sit in an ``@media all`` block,
which Qt's style sheet parser passes over. Sizes are in points (Qt resolves
pixels against the printer's resolution: tiny on paper).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence

# A desk reading size for a therapist (11.5 pt, about 15 px body), headings modest.
READING_PT = 11.5

STYLE = f"""
body {{ font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif;
       line-height: 1.35; color: #1f1d1a; background: #ffffff; margin: 12px; max-width: 60em; }}
@media all {{
  body, p, li, td, th, h4 {{ font-size: {READING_PT}pt; }}
  h1 {{ font-size: 19pt; }} h2 {{ font-size: 16pt; }} h3 {{ font-size: 13.5pt; }}
  h1 small {{ font-size: {READING_PT}pt; }} small {{ font-size: 10pt; }}
}}
h1 {{ margin-bottom: 0.1em; }} h1 small {{ font-weight: normal; }} h2 {{ margin-top: 1.2em; }}
h3 {{ margin-bottom: 0.2em; }} h4 {{ margin-bottom: 0; }}
.muted {{ color: #4a4640; }} table.flag, table.flag td {{ border: 2px solid #a3261a; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #c9c3b8;
     padding: 0.25em 0.5em; text-align: left; vertical-align: top; }}
img {{ max-width: 100%; }}
table.compact td, table.compact th {{ line-height: 1.15; padding: 0.2em 0.45em; }}
"""


def e(text: object) -> str:
    """Escaped for HTML text and attribute values."""
    return html.escape(str(text))


def chart(svg: str, alt: str, width: int, height: int) -> str:
    """An SVG chart inlined as a ``data:`` image, with its words as ``alt``."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<img src="data:image/svg+xml;base64,{data}" width="{width}" height="{height}" '
        f'alt="{e(alt)}">'
    )


def chart_paragraph(svg: str, alt: str, width: int, height: int, *, tight: bool = False) -> str:
    """The chart as a paragraph of its own; ``tight``: without the paragraph's
    margins (in a table cell)."""
    # line-height 100%: the body's 1.35 would otherwise add 35% of the chart below it.
    margin = "; margin: 0" if tight else ""
    return f'<p style="line-height: 100%{margin}">{chart(svg, alt, width, height)}</p>'


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    escaped: bool = False,
    full: bool = True,
    widths: Sequence[int] = (),
    compact: bool = False,
) -> str:
    """A table, full width unless not ``full`` (then as wide as its cells);
    cells are escaped unless ``escaped`` (already HTML). ``widths``: each
    column's share in percent (Qt's own sharing starves text beside a picture);
    ``compact``: tighter lines, for the first screen."""
    cell = str if escaped else e
    shares = [f' width="{w}%"' for w in widths] or [""] * len(headers)
    head = "".join(f"<th{w}>{e(h)}</th>" for h, w in zip(headers, shares, strict=True))

    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    width = ' width="100%"' if full else ""
    kind = ' class="compact"' if compact else ""
    return f"<table{width}{kind}><tr>{head}</tr>{body}</table>"
