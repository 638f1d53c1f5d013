"""Render a story to PDF bytes: page numbers "page X of Y", outline, table of contents, metadata."""

from __future__ import annotations

import io
from typing import Literal

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from backend.reports.fonts import BODY, fit
from backend.reports.story import anchor, full_story, summary_story
from backend.reports.styles import MUTED, RULE
from backend.schemas.report import ReportData

MARGIN = 18 * mm
FOOTER_SIZE = 7.5
Variant = Literal["full", "summary"]


class NumberedCanvas(Canvas):
    """Holds each page until the end so every footer can say how many pages there are."""

    def __init__(self, *args, footer: str = "", footer_tail: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._footer = footer
        self._footer_tail = footer_tail

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        width, _ = self._pagesize
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, 12 * mm, width - MARGIN, 12 * mm)
        self.setFont(BODY, FOOTER_SIZE)
        self.setFillColor(MUTED)
        pages = f"page {self._pageNumber} of {total}"
        # A canvas string never wraps: a long organisation name would run off the page and over the page number.
        room = width - 2 * MARGIN - stringWidth(self._footer_tail + pages, BODY, FOOTER_SIZE) - 6 * mm
        self.drawString(MARGIN, 8 * mm, fit(self._footer, room, BODY, FOOTER_SIZE) + self._footer_tail)
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
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=level > 0)


def render_pdf(story: list, *, title: str, author: str, subject: str, footer: str, footer_tail: str = "") -> bytes:
    """Lay the story out in one pass and return the PDF bytes; the footer is shortened to fit, its tail never."""
    buffer = io.BytesIO()
    doc = ReportTemplate(buffer, title=title, author=author, subject=subject, creator="Tribewise")
    doc.build(
        story,
        canvasmaker=lambda *args, **kwargs: NumberedCanvas(*args, footer=footer, footer_tail=footer_tail, **kwargs),
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
    )
