"""Make any user text safe for ReportLab's paragraph markup."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from bidi import get_display

from backend.reports.fonts import FALLBACK, register_fonts

# Hebrew, Arabic, Syriac, Thaana, NKo and their presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")

# Characters that break or bloat layout: controls other than tab and newline.
_CONTROL = {c: None for c in range(32) if c not in (9, 10)} | {0x7F: None}


def esc(text: object) -> str:
    """Escape &, <, > and quotes, drop control characters, and set glyphs the body font
    lacks (emoji, symbols) in the fallback font so they print instead of vanishing."""
    raw = str(text).translate(_CONTROL)
    if _RTL.search(raw):
        # ReportLab lays text out left to right: put right-to-left runs in visual order,
        # line by line, which is also what PDF readers turn back into logical order.
        raw = "\n".join(get_display(line) for line in raw.split("\n"))
    extra = register_fonts()
    if not extra or all(ord(c) not in extra for c in raw):
        return escape(raw, {'"': "&quot;", "'": "&#39;"}).replace("\n", "<br/>")
    out, run, in_extra = [], [], False
    for char in raw:
        wanted = ord(char) in extra
        if wanted != in_extra and run:
            out.append(_run("".join(run), in_extra))
            run = []
        run.append(char)
        in_extra = wanted
    out.append(_run("".join(run), in_extra))
    return "".join(out)


def _run(text: str, fallback: bool) -> str:
    safe = escape(text, {'"': "&quot;", "'": "&#39;"}).replace("\n", "<br/>")
    return f'<font name="{FALLBACK}">{safe}</font>' if fallback else safe
