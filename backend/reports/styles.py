"""Paragraph styles and colours of the report (dark on light, readable when printed)."""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from backend.reports.fonts import BODY, BOLD, register_fonts

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
ACCENT = colors.HexColor("#0b5394")
RULE = colors.HexColor("#cbd2d9")
SHADE = colors.HexColor("#f0f4f8")
GOOD = colors.HexColor("#2f6f4f")
WARN = colors.HexColor("#8a5a00")
BAD = colors.HexColor("#9b1c1c")
SEVERITY = {"critical": BAD, "warning": WARN, "info": ACCENT}


def accent_colour(accent: str = "") -> colors.Color:
    """The organisation's accent ('#rrggbb', checked when it was set) as a colour, or else the report's own."""
    return colors.HexColor(accent) if accent else ACCENT


@lru_cache(maxsize=16)
def styles(accent: str = "") -> dict[str, ParagraphStyle]:
    """The named paragraph styles, the title and section headings in the organisation's `accent` ('#rrggbb', checked
    when it was set) or else the report's own; fonts are registered first. Cached per accent colour."""
    register_fonts()
    lead = accent_colour(accent)
    body = ParagraphStyle("Body", fontName=BODY, fontSize=9.5, leading=13, textColor=INK, spaceAfter=4)
    h2 = ParagraphStyle(
        "H2",
        parent=body,
        fontName=BOLD,
        fontSize=12,
        leading=15,
        textColor=INK,
        spaceBefore=8,
        spaceAfter=4,
        keepWithNext=1,
    )
    return {
        "body": body,
        "small": ParagraphStyle("Small", parent=body, fontSize=8, leading=10.5, textColor=MUTED),
        "cell": ParagraphStyle("Cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        "cell_bold": ParagraphStyle("CellBold", parent=body, fontName=BOLD, fontSize=8, leading=10, spaceAfter=0),
        "title": ParagraphStyle(
            "Title", parent=body, fontName=BOLD, fontSize=26, leading=32, textColor=lead, spaceAfter=14
        ),
        "subtitle": ParagraphStyle("Subtitle", parent=body, fontSize=14, leading=19, textColor=INK, spaceAfter=6),
        "h1": ParagraphStyle(
            "H1", parent=body, fontName=BOLD, fontSize=16, leading=20, textColor=lead, spaceBefore=6, spaceAfter=8
        ),
        "h2": h2,
        # A section heading over a long table that may split: kept off a page's foot by a CondPageBreak instead of
        # keepWithNext, which would carry the whole table to the next page and leave this one empty.
        "h2_over_table": ParagraphStyle("H2", parent=h2, keepWithNext=0),
        "h3": ParagraphStyle("H3", parent=h2, fontSize=10, leading=13, spaceBefore=4, spaceAfter=2),
        "facts": ParagraphStyle(
            "Facts", parent=body, fontSize=8, leading=11, backColor=SHADE, borderPadding=4, spaceBefore=2, spaceAfter=10
        ),
        "answer": ParagraphStyle("Answer", parent=body, fontSize=8, leading=10.5, spaceAfter=5),
        "big": ParagraphStyle("Big", parent=body, fontName=BOLD, fontSize=15, leading=19, textColor=INK, spaceAfter=2),
        "contents": ParagraphStyle(
            "Contents", parent=body, fontName=BOLD, fontSize=16, leading=20, textColor=lead, spaceAfter=8
        ),
        # The right indent leaves room for the page number the canvas writes in (backend.reports.contents).
        "toc1": ParagraphStyle("TOC1", parent=body, fontSize=10.5, leading=15, leftIndent=6, rightIndent=14 * mm),
        "toc2": ParagraphStyle(
            "TOC2", parent=body, fontSize=9, leading=12, leftIndent=22, rightIndent=14 * mm, textColor=MUTED
        ),
    }
