"""Render a story to PDF bytes: page numbers "page X of Y", outline, table of contents, metadata."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from functools import lru_cache
from typing import Literal

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from backend.labels import DRAFT_HEADER, DRAFT_MARK
from backend.reports.contents import Heading, finish_page
from backend.reports.fonts import BODY, BOLD, fit, font_file, line_font
from backend.reports.story import anchor, full_story, summary_story
from backend.reports.styles import BAD, MUTED, RULE
from backend.schemas.report import ReportData

MARGIN = 18 * mm
FOOTER_SIZE = 7.5
Variant = Literal["full", "summary"]


@lru_cache(maxsize=1)
def draft_mark() -> ImageReader:
    """The word DRAFT as a faint picture, not as text: a reader copying or searching the page's text gets the text
    alone, never the watermark's letters threaded through it. One image, embedded once per file."""
    font = ImageFont.truetype(str(font_file(BOLD)), 240)
    left, top, right, bottom = font.getbbox(DRAFT_MARK)
    image = Image.new("RGBA", (right - left + 20, bottom - top + 20), (0, 0, 0, 0))
    ImageDraw.Draw(image).text((10 - left, 10 - top), DRAFT_MARK, font=font, fill=(155, 28, 28, 34))
    return ImageReader(image)


class NumberedCanvas(Canvas):
    """Holds each page until the end so every footer can say how many pages there are."""

    def __init__(
        self,
        *args,
        footer: str = "",
        footer_tail: str = "",
        dated: datetime | None = None,
        draft: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if dated is not None:
            stamp = self._doc._timeStamp  # ReportLab keeps the creation date here; there is no public setter
            stamp.YMDhms, stamp.dhh, stamp.dmm = dated.astimezone(UTC).timetuple()[:6], 0, 0
        self._pages: list[dict] = []
        self.contents_slots: dict = {}  # filled as the contents page is drawn, read when the document is finished
        self.headings: dict[str, Heading] = {}
        self._footer = footer
        self._footer_tail = footer_tail
        self._draft = draft

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            finish_page(self, self._pageNumber)
            self._draw_footer(total)
            if self._draft:
                self._draw_draft()
            super().showPage()
        super().save()

    def _draw_draft(self) -> None:
        """A draft says so on every page: a running header, and a light watermark that leaves the text readable."""
        width, height = self._pagesize
        self.setFont(BODY, FOOTER_SIZE + 1)
        self.setFillColor(BAD)
        self.drawString(MARGIN, height - 10 * mm, DRAFT_HEADER)
        self.saveState()
        self.translate(width / 2, height / 2)
        self.rotate(50)
        mark = draft_mark()
        wide, high = mark.getSize()
        shown = 150 * mm  # the word's width on the page
        self.drawImage(mark, -shown / 2, -shown * high / wide / 2, shown, shown * high / wide, mask="auto")
        self.restoreState()

    def _draw_footer(self, total: int) -> None:
        width, _ = self._pagesize
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, 12 * mm, width - MARGIN, 12 * mm)
        self.setFillColor(MUTED)
        pages = f"page {self._pageNumber} of {total}"
        font = line_font(self._footer)
        # A canvas string never wraps: a long organisation name would run off the page and over the page number.
        tail = stringWidth(self._footer_tail, font, FOOTER_SIZE) + stringWidth(pages, BODY, FOOTER_SIZE)
        room = width - 2 * MARGIN - tail - 6 * mm
        self.setFont(font, FOOTER_SIZE)
        self.drawString(MARGIN, 8 * mm, fit(self._footer, room, font, FOOTER_SIZE) + self._footer_tail)
        self.setFont(BODY, FOOTER_SIZE)
        self.drawRightString(width - MARGIN, 8 * mm, pages)


class ReportTemplate(BaseDocTemplate):
    """One frame per page; headings become outline entries and table-of-contents lines."""

    def __init__(self, buffer, **metadata):
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=16 * mm,
            **metadata,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self._heading_count = 0

    def afterFlowable(self, flowable) -> None:  # noqa: N802 (ReportLab's name)
        level = {"H1": 0, "H2": 1}.get(getattr(getattr(flowable, "style", None), "name", ""))
        if level is None:
            return
        key = anchor(self._heading_count)
        self._heading_count += 1
        top = self.frame._y + flowable.height  # the frame's cursor sits just under the heading
        page = self.canv.getPageNumber()
        self.canv.headings[key] = Heading(key, flowable.getPlainText(), level, page, top)


def render_pdf(
    story: list,
    *,
    title: str,
    author: str,
    subject: str,
    footer: str,
    footer_tail: str = "",
    dated: datetime | None = None,
    draft: bool = False,
) -> bytes:
    """Lay the story out in one pass and return the PDF bytes; the footer is shortened to fit, its tail never.
    `dated` is the creation date the file records (now when None); a draft is marked on every page."""
    buffer = io.BytesIO()
    # Invariant: the file's id is a digest of its content, not of the moment, so the same report is the same bytes.
    doc = ReportTemplate(buffer, title=title, author=author, subject=subject, creator="Tribewise", invariant=True)
    doc.build(
        story,
        canvasmaker=lambda *args, **kwargs: NumberedCanvas(
            *args, footer=footer, footer_tail=footer_tail, dated=dated or datetime.now(UTC), draft=draft, **kwargs
        ),
    )
    return buffer.getvalue()


def render_report(data: ReportData, variant: Variant = "full") -> bytes:
    """The PDF bytes of the full report or its one-page summary."""
    name, period = data.organisation.name, data.assessment.period
    story = full_story(data) if variant == "full" else summary_story(data)
    return render_pdf(
        story,
        title=f"{name}: social customer maturity roadmap, {period}" + (" (summary)" if variant == "summary" else ""),
        author="Tribewise",
        subject=f"Socialfication level, Solis stage and roadmap for {name}, {period}",
        footer=name,
        footer_tail=f" · {period} · Tribewise",
        dated=data.generated_at,
        draft=data.assessment.status != "submitted",
    )
