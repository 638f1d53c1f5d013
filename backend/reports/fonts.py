"""Unicode fonts for the PDF: DejaVu Sans for text, Symbola for emoji and symbols it lacks, WenQuanYi Micro Hei
for Chinese, Japanese and Korean."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

SEARCH = [
    Path(p) for p in os.environ.get("TRIBEWISE_FONT_DIRS", "/usr/share/fonts/truetype:/usr/share/fonts").split(":")
]
FAMILY = {
    "DejaVu": "DejaVuSans.ttf",
    "DejaVu-Bold": "DejaVuSans-Bold.ttf",
    "DejaVu-Oblique": "DejaVuSans-Oblique.ttf",
    "DejaVu-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}
FALLBACK_FILES = ("Symbola_hint.ttf", "Symbola.ttf")
BODY, BOLD, FALLBACK = "DejaVu", "DejaVu-Bold", "Symbola"
# Chinese, Japanese and Korean: WenQuanYi Micro Hei (Debian's fonts-wqy-microhei), loaded on first need as it is
# large (0.4 s and about 20 MB), which only a report with such text pays.
CJK, CJK_FILE, CJK_PACKAGE = "WenQuanYi", "wqy-microhei.ttc", "fonts-wqy-microhei"
# Hangul Jamo, CJK radicals to ideographs, Hangul syllables, compatibility ideographs and full-width forms.
CJK_TEXT = re.compile("[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def _find(name: str) -> Path | None:
    for folder in SEARCH:
        found = next(iter(sorted(folder.rglob(name))), None) if folder.is_dir() else None
        if found:
            return found
    return None


def font_file(name: str) -> Path:
    """Where one of the family's font files is (a registered name: BODY, BOLD); MissingFonts when it is not."""
    path = _find(FAMILY[name])
    if path is None:
        raise MissingFonts(
            f"font {FAMILY[name]} not found under {', '.join(map(str, SEARCH))}: install Debian's {FONTS_PACKAGE}"
        )
    return path


class MissingFonts(RuntimeError):
    """The Unicode fonts the PDF needs are not installed."""


FONTS_PACKAGE = "fonts-dejavu-core"


def missing_fonts() -> list[str]:
    """The font files the PDF needs that are not installed (empty when all are)."""
    return [file for file in FAMILY.values() if _find(file) is None]


@lru_cache(maxsize=1)
def register_fonts() -> frozenset[int]:
    """Register the body font family once; return the code points it has."""
    for name in FAMILY:
        pdfmetrics.registerFont(TTFont(name, str(font_file(name))))
    addMapping(BODY, 0, 0, "DejaVu")
    addMapping(BODY, 1, 0, "DejaVu-Bold")
    addMapping(BODY, 0, 1, "DejaVu-Oblique")
    addMapping(BODY, 1, 1, "DejaVu-BoldOblique")
    return frozenset(pdfmetrics.getFont(BODY).face.charToGlyph)


# Symbola, for emoji and symbols: loaded when text first needs it, as CJK is: it costs about 7 MB, and most reports
# have no character the body font lacks.
@lru_cache(maxsize=1)
def register_fallback() -> frozenset[int]:
    """Register the fallback font once, when text first needs it; the code points it adds (empty without it)."""
    fallback = next((p for p in map(_find, FALLBACK_FILES) if p), None)
    if fallback is None:
        return frozenset()
    extra = TTFont(FALLBACK, str(fallback))
    pdfmetrics.registerFont(extra)
    return frozenset(set(extra.face.charToGlyph) - register_fonts())


@lru_cache(maxsize=1)
def register_cjk() -> frozenset[int]:
    """Register the CJK font once, when text first needs it; the code points it adds (empty without it)."""
    path = _find(CJK_FILE)
    if path is None:
        return frozenset()
    font = TTFont(CJK, str(path), subfontIndex=0)
    pdfmetrics.registerFont(font)
    return frozenset(set(font.face.charToGlyph) - register_fonts())


def line_font(text: str) -> str:
    """The font for a line drawn straight on the canvas (a footer), which cannot switch fonts mid-line: the CJK font
    when the line holds such text and the font is installed (it has Latin letters too), the body font otherwise."""
    return CJK if CJK_TEXT.search(text) and register_cjk() else BODY


def fit(text: str, room: float, font: str, size: float) -> str:
    """The text, cut short with an ellipsis when it is wider than the room (in points, at this font and size)."""
    if pdfmetrics.stringWidth(text, font, size) <= room:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap writes code points above U+FFFF as five hex digits, which
    readers reject, so emoji could not be copied or searched. PDF wants UTF-16BE there."""

    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        f"/CIDSystemInfo << /Registry ({fontname}) /Ordering ({fontname}) /Supplement 0 >> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(code)}>" for i, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


ttfonts.makeToUnicodeCMap = _to_unicode_cmap
