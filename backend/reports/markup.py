"""Make any user text safe for ReportLab's paragraph markup."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby
from xml.sax.saxutils import escape

from bidi import get_display

from backend.reports.fonts import CJK, CJK_TEXT, FALLBACK, register_cjk, register_fallback, register_fonts

# Hebrew, Arabic, Syriac, Thaana, NKo and their presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")

# Characters that break or bloat layout: controls other than tab and newline.
_CONTROL = {c: None for c in range(32) if c not in (9, 10)} | {0x7F: None}


def esc(text: object) -> str:
    """Escape &, <, > and quotes, drop control characters, and set glyphs the body font lacks (emoji and symbols,
    Chinese, Japanese and Korean) in a font that has them, so they print instead of vanishing."""
    raw = str(text).translate(_CONTROL)
    if _RTL.search(raw):
        # ReportLab lays text out left to right: put right-to-left runs in visual order,
        # line by line, which is also what PDF readers turn back into logical order.
        raw = "\n".join(get_display(line) for line in raw.split("\n"))
    if not _beyond_body().search(raw):  # most text: every character is in the body font
        return _escaped(raw)
    others = {FALLBACK: register_fallback()}
    if CJK_TEXT.search(raw):
        others[CJK] = register_cjk()

    def font_of(char: str) -> str | None:
        return next((name for name, points in others.items() if ord(char) in points), None)

    out = []
    for font, run in groupby(raw, key=font_of):
        safe = _escaped("".join(run))
        out.append(f'<font name="{font}">{safe}</font>' if font else safe)
    return "".join(out)


@lru_cache(maxsize=1)
def _beyond_body() -> re.Pattern:
    """A pattern matching any character the body font lacks (line breaks and tabs aside, which are not drawn)."""
    ranges, points = [], sorted(register_fonts() | {9, 10})
    for point in points:
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    spans = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile(f"[^{spans}]")


def _escaped(text: str) -> str:
    return escape(text, {'"': "&quot;", "'": "&#39;"}).replace("\n", "<br/>")
