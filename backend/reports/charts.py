"""Charts drawn once with reportlab.graphics: placed in the PDF, rendered to SVG for the web."""

from __future__ import annotations

from collections.abc import Mapping
from math import cos, pi, sin

from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.utils import simpleSplit
from reportlab.lib.validators import isString

from backend.labels import NOT_ASSESSED, PROVISIONAL
from backend.reports.fonts import BODY, BOLD, register_fonts
from backend.reports.styles import ACCENT, GOOD, INK, MUTED
from backend.schemas.views import CriterionView, ModelView, PeriodPoint

REACHED = GOOD
PARTIAL = colors.HexColor("#f0b429")
ABSENT = colors.HexColor("#d9dde3")
AHEAD = colors.HexColor("#9fb3c8")
HATCH = colors.HexColor("#c3cad3")
WHITE = colors.white
CLEAR = colors.Color(1, 1, 1, alpha=0)

# A chart element's link on a web page: where it goes and its accessible name (the PDF draws no links).
Link = tuple[str, str]
_LINK_ATTRS = {"hrefURL": AttrMapValue(isString), "hrefTitle": AttrMapValue(isString)}


class LinkBox(Rect):
    """A clear box over a chart element that the SVG renders as a link (renderSVG reads hrefURL and hrefTitle)."""

    _attrMap = AttrMap(BASE=Rect, **_LINK_ATTRS)


class LinkArea(Polygon):
    """A clear area over a chart element that the SVG renders as a link."""

    _attrMap = AttrMap(BASE=Polygon, **_LINK_ATTRS)


def link_box(x: float, y: float, width: float, height: float, link: Link) -> LinkBox:
    """A clear box over (x, y, width, height) linking to the answers behind what it covers."""
    return LinkBox(x, y, width, height, fillColor=CLEAR, strokeColor=None, hrefURL=link[0], hrefTitle=link[1])


def band_colour(score: float | None, threshold: float) -> colors.Color:
    """Green when in place, amber when under way, grey when absent or unassessed."""
    if score is None:
        return ABSENT
    if score + 1e-9 >= threshold:
        return REACHED
    return PARTIAL if score >= threshold / 2 else ABSENT


def not_assessed_mark(x: float, y: float, width: float, height: float) -> Group:
    """The mark for a rung, stage or element that was not assessed: white, hatched, in a dashed frame, so it never
    reads as an empty (zero) bar or cell; the words "Not assessed" go beside or inside it."""
    mark = Group(Rect(x, y, width, height, fillColor=WHITE, strokeColor=None))
    step = 6
    for c in range(step, int(width + height), step):  # 45 degree lines x' + y' = c, clipped to the box
        x0, y0 = (c, 0) if c <= width else (width, c - width)
        x1, y1 = (0, c) if c <= height else (c - height, height)
        mark.add(Line(x + x0, y + y0, x + x1, y + y1, strokeColor=HATCH, strokeWidth=0.6))
    mark.add(Rect(x, y, width, height, fillColor=None, strokeColor=MUTED, strokeWidth=0.8, strokeDashArray=(2, 2)))
    return mark


def _text(
    x: float, y: float, text: str, size: float = 8, colour=INK, bold: bool = False, anchor: str = "start"
) -> String:
    return String(x, y, text, fontName=BOLD if bold else BODY, fontSize=size, fillColor=colour, textAnchor=anchor)


def _wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """A label broken at its spaces into lines that fit `width`: a long name wraps, it is never cut short."""
    return simpleSplit(text, BOLD if bold else BODY, size, width) or [""]


def level_ladder(
    model: ModelView,
    floor_name: str = "Anonymous",
    width: float = 240,
    height: float = 190,
    links: Mapping[int, Link] | None = None,
) -> Drawing:
    """Rungs 0..top, bottom up: counted levels filled, the next one filled by its progress,
    levels in place above the gate shown pale ('ahead of your foundation'); `links` by rung number."""
    register_fonts()
    drawing = Drawing(width, height)
    placed = model.level is not None
    rungs = [(0, floor_name, placed, placed, 1.0)] + [
        (s.number, s.name, s.in_place, s.counted, s.progress) for s in model.steps
    ]
    # With no level placed, not even the floor is known to be where the organisation stands.
    unknown = {s.number for s in model.steps if s.status == "not assessed"} | (set() if placed else {0})
    gap, rung_h = 4, (height - 4 * (len(rungs) + 1)) / len(rungs)
    bar_x, bar_w = 96, width - 100
    for i, (number, name, in_place, counted, progress) in enumerate(rungs):
        y = 4 + i * (rung_h + gap)
        if number in unknown:
            drawing.add(not_assessed_mark(bar_x, y, bar_w, rung_h))
        else:
            drawing.add(Rect(bar_x, y, bar_w, rung_h, fillColor=ABSENT, strokeColor=None))
        if counted:
            drawing.add(Rect(bar_x, y, bar_w, rung_h, fillColor=REACHED, strokeColor=None))
        elif in_place:
            drawing.add(Rect(bar_x, y, bar_w, rung_h, fillColor=AHEAD, strokeColor=None))
        elif number == (model.level or 0) + 1:
            drawing.add(Rect(bar_x, y, bar_w * progress, rung_h, fillColor=PARTIAL, strokeColor=None))
        label = (
            "ahead of foundation"
            if in_place and not counted
            else ("" if counted or number != (model.level or 0) + 1 else f"{progress:.0%} of threshold")
        )
        if number in unknown:
            label = NOT_ASSESSED
        elif number == model.level and model.provisional:
            label = PROVISIONAL
        drawing.add(_text(bar_x + 4, y + rung_h / 2 - 3, label, 7, WHITE if counted else INK))
        drawing.add(
            _text(bar_x - 6, y + rung_h / 2 - 3, f"{number}  {name}", 8, INK, bold=number == model.level, anchor="end")
        )
        if links and number in links:
            drawing.add(link_box(0, y, bar_x + bar_w, rung_h, links[number]))
    drawing.add(Rect(bar_x - 1, 3, bar_w + 2, height - 6, fillColor=None, strokeColor=MUTED, strokeWidth=0.5))
    return drawing


def solis_heatmap(
    model: ModelView,
    criteria: dict[str, CriterionView],
    width: float = 480,
    height: float = 250,
    stage_links: Mapping[int, Link] | None = None,
    element_links: Mapping[str, Link] | None = None,
) -> Drawing:
    """Stages 1-10 as rows, their elements as cells coloured by score, stage reached marked; a stage's name links
    by its number and an element's cell by its criterion id."""
    register_fonts()
    drawing = Drawing(width, height)
    rows = len(model.steps)
    row_h = (height - 6) / rows
    label_w, cells_w = 170, width - 172
    for i, step in enumerate(model.steps):
        y = height - 3 - (i + 1) * row_h
        mark = "✓ " if step.counted else ("• " if step.in_place else "")
        # A long stage name takes two lines, 8 apart, centred on the row.
        label = _wrap(f"{mark}{step.number}. {step.name}", label_w - 8, 7, bold=step.counted)
        top = y + row_h / 2 - 3 + (len(label) - 1) * 4
        for n, line in enumerate(label):
            drawing.add(_text(label_w - 6, top - 8 * n, line, 7, INK, bold=step.counted, anchor="end"))
        if stage_links and step.number in stage_links:
            drawing.add(link_box(0, y, label_w, row_h, stage_links[step.number]))
        cell_w = cells_w / len(step.criteria)
        for j, cid in enumerate(step.criteria):
            c = criteria[cid]
            x = label_w + j * cell_w
            scored = c.assessed and c.score is not None
            fill = band_colour(c.score if scored else None, c.threshold)
            if scored:
                drawing.add(Rect(x + 1, y + 1, cell_w - 2, row_h - 2, fillColor=fill, strokeColor=WHITE))
            else:
                drawing.add(not_assessed_mark(x + 1.5, y + 1.5, cell_w - 3, row_h - 3))
            # The element's name, and under it its score or why it has none (not assessed, not asked).
            state = f"{c.score:.0%}" if scored else (c.status or NOT_ASSESSED).capitalize()
            colour = WHITE if scored and fill == REACHED else INK
            name = _wrap(c.name, cell_w - 6, 6.5)
            top = y + row_h / 2 - 2.5 + len(name) * 4  # the name's lines and the state, 8 apart, centred
            for n, line in enumerate(name):
                drawing.add(_text(x + 4, top - 8 * n, line, 6.5, colour))
            drawing.add(_text(x + 4, top - 8 * len(name), state, 6.5, colour, bold=not scored))
            if element_links and cid in element_links:
                drawing.add(link_box(x + 1, y + 1, cell_w - 2, row_h - 2, element_links[cid]))
    return drawing


RADAR_MIN = 3  # a radar needs three spokes to have a shape


def stack_radar(
    criteria: list[CriterionView], width: float = 300, height: float = 240, links: Mapping[str, Link] | None = None
) -> Drawing:
    """The social stack as a radar: one spoke per element, 0-100 %. An element not assessed has a dashed spoke
    labelled "Not assessed" and the shape breaks there, never dipping to the centre as a zero would. With `links`
    (by criterion id), the wedge round each spoke, its label included, links to that element."""
    register_fonts()
    drawing = Drawing(width, height)
    radar = SpiderChart()  # spokes and their labels; the shape is drawn below, with its gaps
    radar.x, radar.y, radar.width, radar.height = 50, 20, width - 100, height - 40
    radar.data = [[1.0] * len(criteria)]
    radar.strands[0].fillColor = radar.strands[0].strokeColor = None
    radar.labels = [c.name if _scored(c) else f"{c.name}\n({NOT_ASSESSED.lower()})" for c in criteria]
    radar.spokeLabels.fontName = BODY
    radar.spokeLabels.fontSize = 7
    radar.spokes.strokeColor = ABSENT
    for i, c in enumerate(criteria):
        if not _scored(c):
            radar.spokes[i].strokeColor, radar.spokes[i].strokeDashArray, radar.spokes[i].strokeWidth = (
                MUTED,
                (2, 2),
                0.8,
            )
    drawing.add(radar)
    radius = min(radar.width, radar.height) / 2
    cx, cy = radar.x + radar.width / 2, radar.y + radar.height / 2
    angles = [pi / 2 - 2 * pi * i / len(criteria) for i in range(len(criteria))]
    points = [
        (cx + cos(a) * radius * c.score, cy + sin(a) * radius * c.score) if _scored(c) else None
        for c, a in zip(criteria, angles, strict=True)
    ]
    for run in _runs(points):
        closed = len(run) == len(points)
        outline = [v for p in (run + run[:1] if closed else run) for v in p]
        fill = [v for p in (run if closed else [(cx, cy), *run]) for v in p]
        drawing.add(Polygon(fill, fillColor=colors.Color(0.043, 0.325, 0.58, alpha=0.25), strokeColor=None))
        drawing.add(PolyLine(outline, strokeColor=ACCENT, strokeWidth=1.5))
    for p in points:
        if p is not None:
            drawing.add(Circle(p[0], p[1], 1.8, fillColor=ACCENT, strokeColor=None))
    for c, a in zip(criteria, angles, strict=True):
        if links and c.id in links:
            drawing.add(_wedge(cx, cy, radius * 1.5, a, pi / len(criteria), links[c.id]))
    return drawing


def _wedge(cx: float, cy: float, reach: float, angle: float, half: float, link: Link) -> LinkArea:
    """A clear wedge round one spoke (half its angle to each neighbour), out past its label, as a link."""
    arc = [angle - half + 2 * half * k / 4 for k in range(5)]
    points = [cx, cy, *(v for a in arc for v in (cx + cos(a) * reach, cy + sin(a) * reach))]
    return LinkArea(points, fillColor=CLEAR, strokeColor=None, hrefURL=link[0], hrefTitle=link[1])


def _scored(c: CriterionView) -> bool:
    return c.assessed and c.score is not None


def _runs(points: list) -> list[list]:
    """The unbroken runs of points round the radar (None breaks a run; the last run joins the first round the top)."""
    if all(p is not None for p in points):
        return [points]
    start = next(i for i, p in enumerate(points) if p is None)
    runs, run = [], []
    for p in points[start:] + points[:start]:
        if p is None:
            runs.append(run)
            run = []
        else:
            run.append(p)
    return [r for r in [*runs, run] if r]


def trend(points: list[PeriodPoint], width: float = 480, height: float = 170) -> Drawing:
    """Socialfication progress on the left scale (0-5) and Solis stage progress on the right scale (0-10), over
    periods; a period a draft stands for is drawn hollow."""
    register_fonts()
    drawing = Drawing(width, height)
    if not points:
        drawing.add(_text(width / 2, height / 2, "No periods assessed yet", 9, MUTED, anchor="middle"))
        return drawing
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 36, 30, width - 60, height - 50
    # A period whose model was not assessed leaves a gap in its line, never a fall to zero, and says so at the
    # bottom of its column; a line with no assessed period at all is not drawn (ReportLab still needs a point).
    series = [
        [p.progress for p in points],
        [None if p.stage_progress is None else p.stage_progress / 2 for p in points],
    ]
    chart.data = [line if any(v is not None for v in line) else [0.0] * len(line) for line in series]
    chart.categoryAxis.categoryNames = [p.period + ("\ndraft" if p.status == "draft" else "") for p in points]
    chart.categoryAxis.labels.fontName = BODY
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 5, 1
    chart.valueAxis.labels.fontName = BODY
    chart.valueAxis.labels.fontSize = 7
    chart.lines[0].strokeColor, chart.lines[0].strokeWidth = ACCENT, 2
    chart.lines[1].strokeColor, chart.lines[1].strokeWidth = REACHED, 1.5
    chart.lines[1].strokeDashArray = (3, 2)
    for i, (line, colour) in enumerate(zip(series, (ACCENT, REACHED), strict=True)):
        chart.lines[i].symbol = makeMarker("FilledCircle", size=4, fillColor=colour, strokeColor=colour)
        if all(v is None for v in line):
            chart.lines[i].strokeColor, chart.lines[i].symbol = None, None
    chart.joinedLines = 1
    drawing.add(chart)
    column, scale = chart.width / len(points), chart.height / 5
    # The stage's own scale on the right, 0 to 10 on the same grid lines, so each line reads against its own numbers.
    right = chart.x + chart.width + 4
    for stage in range(0, 11, 2):
        drawing.add(_text(right, chart.y + stage / 2 * scale - 2.5, str(stage), 7, REACHED))
    for i, p in enumerate(points):
        x = chart.x + column * (i + 0.5)
        shown = (("Level", series[0][i], p.provisional, ACCENT), ("Stage", series[1][i], p.stage_provisional, REACHED))
        missing = [noun for noun, value, _, _ in shown if value is None]
        for row, noun in enumerate(missing):
            # Above the axis, not on it: a mark on the zero line would read as a zero.
            drawing.add(_text(x, chart.y + 14 + 9 * row, f"{noun} {NOT_ASSESSED.lower()}", 7, MUTED, anchor="middle"))
        for _, value, provisional, colour in shown:
            if value is not None and provisional:
                drawing.add(_ring(x, chart.y + value * scale, colour))
            if value is not None and p.status == "draft":
                drawing.add(_hollow(x, chart.y + value * scale, colour))
    drawing.add(_text(36, height - 12, "— socialfication level (left, 0-5)", 7, ACCENT))
    drawing.add(_text(180, height - 12, "- - Solis stage (right, 0-10)", 7, REACHED))
    if any(p.status == "draft" for p in points):
        drawing.add(_hollow(300, height - 9.5, MUTED))
        drawing.add(_text(307, height - 12, "draft", 7, MUTED))
    if any(p.provisional or p.stage_provisional for p in points):
        drawing.add(_ring(372, height - 9.5, MUTED))
        drawing.add(_text(380, height - 12, PROVISIONAL.lower(), 7, MUTED))
    return drawing


def _hollow(x: float, y: float, colour) -> Circle:
    """A point a draft stands for: an open circle, its answers may still change."""
    return Circle(x, y, 3, fillColor=colors.white, strokeColor=colour, strokeWidth=1.5)


def _ring(x: float, y: float, colour) -> Circle:
    """A dotted ring round a provisional point of the trend."""
    return Circle(x, y, 4.5, fillColor=None, strokeColor=colour, strokeWidth=1, strokeDashArray=(1.5, 1.5))
