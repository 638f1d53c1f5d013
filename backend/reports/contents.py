"""Page numbers on the contents page, and outline entries that open the right page, in one layout pass.

The contents page comes before the sections it lists, so their page numbers are not known when it is laid out.
The canvas holds every page until the end anyway (for "page X of Y"): each contents line notes where it was drawn,
each heading the page it landed on, and the canvas writes the numbers in when it finishes the document. The
bookmarks wait until then too: a page held back has no place in the file yet for a bookmark to point at.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import getAscent
from reportlab.platypus import Paragraph


@dataclass(frozen=True)
class Heading:
    """A section heading as laid out: its bookmark name, its text, its outline level, its page and its top."""

    key: str
    title: str
    level: int
    page: int
    top: float


@dataclass(frozen=True)
class Slot:
    """Where a contents line was drawn: its page, the right end of its line and its first baseline, in its style."""

    page: int
    right: float
    baseline: float
    font: str
    size: float
    colour: Color


class ContentsLine(Paragraph):
    """A contents entry that notes where it is drawn, so its heading's page number can be written beside it."""

    def __init__(self, text: str, style, key: str):
        super().__init__(text, style)
        self.key = key

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 (ReportLab's name)
        style = self.style
        canvas.contents_slots[self.key] = Slot(
            canvas.getPageNumber(),
            x + self.width,
            y + self.height - getAscent(style.fontName, style.fontSize),
            style.fontName,
            style.fontSize,
            style.textColor,
        )
        super().drawOn(canvas, x, y, _sW)


def finish_page(canvas, page: int) -> None:
    """On the page being finished: its headings' bookmarks and outline entries, and on the contents page each line's
    heading's page number, right-aligned on its line."""
    for heading in canvas.headings.values():
        if heading.page == page:
            canvas.bookmarkPage(heading.key, fit="XYZ", top=heading.top)
            canvas.addOutlineEntry(heading.title, heading.key, level=heading.level, closed=heading.level > 0)
    for key, slot in canvas.contents_slots.items():
        if slot.page == page and key in canvas.headings:
            canvas.setFont(slot.font, slot.size)
            canvas.setFillColor(slot.colour)
            canvas.drawRightString(slot.right, slot.baseline, str(canvas.headings[key].page))
