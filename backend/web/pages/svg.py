"""The PDF's charts as inline SVG for the pages: one drawing code, so page and report agree."""

from __future__ import annotations

import itertools
import re

from markupsafe import Markup
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing

_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
_PLACEHOLDERS = re.compile(r"\s*<title>\.\.\.</title>\s*<desc>\.\.\.</desc>")
_STYLE = re.compile(r'style="([^"]*)"')
_numbers = itertools.count(1)


def _attributes(match: re.Match) -> str:
    # The page's Content-Security-Policy forbids inline style; SVG presentation attributes carry the same.
    pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)


def inline_svg(drawing: Drawing, label: str) -> Markup:
    """The drawing as an <svg> element labelled for screen readers (role img, a title).

    ReportLab escapes the text it draws, and the label is escaped here, so user text stays inert.
    """
    svg = _PLACEHOLDERS.sub("", _PROLOGUE.sub("", renderSVG.drawToString(drawing), count=1), count=1)
    svg = _STYLE.sub(_attributes, svg)
    number = next(_numbers)  # several charts on one page: ids must differ
    svg = svg.replace('id="clip"', f'id="chart-clip-{number}"').replace("url(#clip)", f"url(#chart-clip-{number})")
    svg = svg.replace('id="group"', f'id="chart-{number}"')
    opening = Markup('<svg role="img" aria-label="{}" focusable="false" class="chart" ').format(label)
    head, sep, rest = svg.replace("<svg ", str(opening), 1).partition(">")
    return Markup(head + sep + str(Markup("<title>{}</title>").format(label)) + rest)
