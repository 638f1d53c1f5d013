"""The PDF's charts as inline SVG for the pages: one drawing code, so page and report agree."""

from __future__ import annotations

import hashlib
import re

from markupsafe import Markup
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing

_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
_PLACEHOLDERS = re.compile(r"\s*<title>\.\.\.</title>\s*<desc>\.\.\.</desc>")
_STYLE = re.compile(r'style="([^"]*)"')
# ReportLab's link (xlink and a target for SVG in a frame); its title is already escaped.
_LINK = re.compile(r'<a xlink:href="(#[^"]*)" xlink:title="([^"]*)" target="_top">')


def _attributes(match: re.Match) -> str:
    # The page's Content-Security-Policy forbids inline style; SVG presentation attributes carry the same.
    pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)


def _link(match: re.Match) -> str:
    # Named by its title, which also shows on hover. Out of the tab order: the page offers the same links as text
    # beside the chart, so the keyboard does not stop at every rung and cell twice.
    href, title = match.groups()
    return f'<a href="{href}" class="chart-link" tabindex="-1" aria-label="{title}"><title>{title}</title>'


def inline_svg(drawing: Drawing, label: str) -> Markup:
    """The drawing as an <svg> element labelled for screen readers (role img, a title). A drawing with in-page links
    is a group of those links instead (an image's content is hidden from screen readers), its own words hidden:
    the label and the text beside the chart say them in order.

    ReportLab escapes the text it draws, and the label is escaped here, so user text stays inert.
    """
    svg = _PLACEHOLDERS.sub("", _PROLOGUE.sub("", renderSVG.drawToString(drawing), count=1), count=1)
    svg, links = _LINK.subn(_link, _STYLE.sub(_attributes, svg))
    if links:
        svg = svg.replace("<text ", '<text aria-hidden="true" ')
    # Several charts on one page need ids of their own; named from the chart itself (not a running count)
    # so the same page renders to the same bytes, which its ETag relies on.
    number = hashlib.blake2b(f"{label}\n{svg}".encode(), digest_size=6).hexdigest()
    svg = svg.replace('id="clip"', f'id="chart-clip-{number}"').replace("url(#clip)", f"url(#chart-clip-{number})")
    svg = svg.replace('id="group"', f'id="chart-{number}"')
    opening = Markup('<svg role="{}" aria-label="{}" focusable="false" class="chart" ').format(
        "group" if links else "img", label
    )
    head, sep, rest = svg.replace("<svg ", str(opening), 1).partition(">")
    return Markup(head + sep + str(Markup("<title>{}</title>").format(label)) + rest)
