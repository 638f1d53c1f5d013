"""Charts drawn once with reportlab.graphics: placed in the PDF, rendered to SVG for the web."""

from __future__ import annotations

from collections.abc import Mapping
from math import cos, hypot, pi, sin

from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Path, Polygon, PolyLine, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.utils import simpleSplit
from reportlab.lib.validators import isString

from backend.labels import NOT_ASSESSED, PROVISIONAL, cell_text, change_text, percent_text, rung_noun, sentence
from backend.reports.fonts import BODY, BOLD, fit, register_fonts
from backend.reports.styles import ACCENT, GOOD, INK, MUTED
from backend.schemas.views import CriterionView, ModelView, PeriodPoint
from backend.scoring.movement import BETTER, LOST, NEW, SAME, UNKNOWN, WORSE, change, not_asked, scored

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
    # One path of many strokes, not a line each: a page of hatched cells stays a few kilobytes of SVG.
    hatch = Path(strokeColor=HATCH, strokeWidth=0.6, fillColor=None)
    for c in range(step, int(width + height), step):  # 45 degree lines x' + y' = c, clipped to the box
        x0, y0 = (c, 0) if c <= width else (width, c - width)
        x1, y1 = (0, c) if c <= height else (c - height, height)
        hatch.moveTo(x + x0, y + y0)
        hatch.lineTo(x + x1, y + y1)
    mark.add(hatch)
    mark.add(Rect(x, y, width, height, fillColor=None, strokeColor=MUTED, strokeWidth=0.8, strokeDashArray=(2, 2)))
    return mark


# The smallest text a chart prints (issue 18: readable on paper and on a projected page).
SMALL = 8
LINE = 9  # the distance between wrapped lines at that size


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
        drawing.add(_text(bar_x + 4, y + rung_h / 2 - 3, label, SMALL, WHITE if counted else INK))
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
    label_w, cells_w = 170, width - 172
    # Each row as tall as its longest text: a stage name or an element's name over its state, wrapped, never cut.
    laid = []
    for step in model.steps:
        mark = "✓ " if step.counted else ("• " if step.in_place else "")
        label = _wrap(f"{mark}{step.number}. {step.name}", label_w - 8, SMALL, bold=step.counted)
        cell_w = cells_w / len(step.criteria)
        names = {cid: _wrap(criteria[cid].name, cell_w - 6, SMALL) for cid in step.criteria}
        lines = max(len(label), *(len(n) + 1 for n in names.values()))
        laid.append((step, label, names, cell_w, max(lines * LINE + 6, height / len(model.steps))))
    drawing = Drawing(width, sum(row[-1] for row in laid) + 6)
    y = drawing.height - 3
    for step, label, names, cell_w, row_h in laid:
        y -= row_h
        top = y + row_h / 2 - 3 + (len(label) - 1) * LINE / 2
        for n, line in enumerate(label):
            drawing.add(_text(label_w - 6, top - LINE * n, line, SMALL, INK, bold=step.counted, anchor="end"))
        if stage_links and step.number in stage_links:
            drawing.add(link_box(0, y, label_w, row_h, stage_links[step.number]))
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
            name = names[cid]
            top = y + row_h / 2 - 3 + len(name) * LINE / 2  # the name's lines and the state, centred
            for n, line in enumerate(name):
                drawing.add(_text(x + 4, top - LINE * n, line, SMALL, colour))
            drawing.add(_text(x + 4, top - LINE * len(name), state, SMALL, colour, bold=not scored))
            if element_links and cid in element_links:
                drawing.add(link_box(x + 1, y + 1, cell_w - 2, row_h - 2, element_links[cid]))
    return drawing


RADAR_MIN = 3  # a radar needs three spokes to have a shape


def stack_radar(
    criteria: list[CriterionView],
    width: float = 300,
    height: float = 240,
    links: Mapping[str, Link] | None = None,
    accent: colors.Color = ACCENT,
) -> Drawing:
    """The social stack as a radar: one spoke per element, 0-100 %. An element not assessed has a dashed spoke
    labelled "Not assessed" and the shape breaks there, never dipping to the centre as a zero would. With `links`
    (by criterion id), the wedge round each spoke, its label included, links to that element. The shape is drawn in
    `accent` (a report in the organisation's colour)."""
    register_fonts()
    drawing = Drawing(width, height)
    labels = [c.name if _scored(c) else f"{c.name}\n({NOT_ASSESSED.lower()})" for c in criteria]
    centre = _spokes(drawing, labels, [not _scored(c) for c in criteria], (50, 20, width - 100, height - 40))
    _shape(drawing, [c.score if _scored(c) else None for c in criteria], centre, accent)
    cx, cy, radius = centre
    for c, angle in zip(criteria, _angles(len(criteria)), strict=True):
        if _scored(c) and c.score > 0:  # each element's figure beside its point, out along its spoke
            x, y = cx + cos(angle) * (radius * c.score + 10), cy + sin(angle) * (radius * c.score + 10)
            drawing.add(_text(x, y - 3, percent_text(c.score), SMALL, INK, bold=True, anchor="middle"))
    if any(_scored(c) and c.score == 0 for c in criteria):  # points at the centre share one figure
        drawing.add(_text(cx, cy - 12, percent_text(0), SMALL, INK, bold=True, anchor="middle"))
    for c, angle in zip(criteria, _angles(len(criteria)), strict=True):
        if links and c.id in links:
            drawing.add(_wedge(cx, cy, radius * 1.5, angle, pi / len(criteria), links[c.id]))
    return drawing


def _angles(spokes: int) -> list[float]:
    """Each spoke's angle, the first straight up, the others clockwise: where SpiderChart draws them."""
    return [pi / 2 - 2 * pi * i / spokes for i in range(spokes)]


def _spokes(
    drawing: Drawing, labels: list[str], unknown: list[bool], box: tuple, size: float = SMALL, reach: float = 1.05
) -> tuple[float, float, float]:
    """A radar's spokes and their labels in the box (x, y, width, height), a spoke with no figure dashed;
    returns the centre and the radius."""
    radar = SpiderChart()  # spokes and their labels; the shapes are drawn by _shape, with their gaps
    radar.x, radar.y, radar.width, radar.height = box
    radar.data = [[1.0] * len(labels)]
    radar.strands[0].fillColor = radar.strands[0].strokeColor = None
    radar.labels = labels
    radar.spokeLabels.fontName = BODY
    radar.spokeLabels.fontSize = size
    radar.spokes.strokeColor = ABSENT
    radar.spokes.labelRadius = reach  # where the labels sit, as a share of the radius
    for i, dashed in enumerate(unknown):
        if dashed:
            radar.spokes[i].strokeColor, radar.spokes[i].strokeDashArray, radar.spokes[i].strokeWidth = (
                MUTED,
                (2, 2),
                0.8,
            )
    drawing.add(radar)
    cx, cy, radius = radar.x + radar.width / 2, radar.y + radar.height / 2, min(radar.width, radar.height) / 2
    # Rings at a quarter, half, three quarters and all of the way, each with its figure, so a shape reads as numbers.
    for share in (0.25, 0.5, 0.75, 1.0):
        corners = [
            v for a in _angles(len(labels)) for v in (cx + cos(a) * radius * share, cy + sin(a) * radius * share)
        ]
        drawing.add(Polygon(corners, fillColor=None, strokeColor=ABSENT, strokeWidth=0.4))
        # Its figure between the first two spokes, clear of their labels and of the values at the points.
        between = pi / 2 - pi / len(labels)
        at = (cx + cos(between) * radius * share, cy + sin(between) * radius * share)
        drawing.add(_text(at[0] + 2, at[1] + 2, percent_text(share), SMALL, MUTED))
    return cx, cy, radius


def _shape(
    drawing: Drawing, values: list[float | None], centre: tuple[float, float, float], colour, hollow: bool = False
) -> None:
    """One period's shape round the spokes (0 at the centre, 1 at the rim): filled and solid, or hollow and dashed.
    A spoke with no figure breaks the outline there instead of pulling it to the centre."""
    cx, cy, radius = centre
    points = [
        None if v is None else (cx + cos(a) * radius * v, cy + sin(a) * radius * v)
        for v, a in zip(values, _angles(len(values)), strict=True)
    ]
    for run in _runs(points):
        closed = len(run) == len(points)
        outline = [v for p in (run + run[:1] if closed else run) for v in p]
        if not hollow:
            fill = [v for p in (run if closed else [(cx, cy), *run]) for v in p]
            drawing.add(Polygon(fill, fillColor=colors.Color(0.043, 0.325, 0.58, alpha=0.25), strokeColor=None))
        drawing.add(PolyLine(outline, strokeColor=colour, strokeWidth=1.5, strokeDashArray=(4, 2) if hollow else None))
    for p in points:
        if p is not None:
            drawing.add(_hollow(*p, colour) if hollow else Circle(p[0], p[1], 1.8, fillColor=colour, strokeColor=None))


def _wedge(cx: float, cy: float, reach: float, angle: float, half: float, link: Link) -> LinkArea:
    """A clear wedge round one spoke (half its angle to each neighbour), out past its label, as a link."""
    arc = [angle - half + 2 * half * k / 4 for k in range(5)]
    points = [cx, cy, *(v for a in arc for v in (cx + cos(a) * reach, cy + sin(a) * reach))]
    return LinkArea(points, fillColor=CLEAR, strokeColor=None, hrefURL=link[0], hrefTitle=link[1])


def _scored(c: CriterionView) -> bool:
    return figure_of(c) is not None


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


def trend(points: list[PeriodPoint], width: float = 480, height: float = 170, accent: colors.Color = ACCENT) -> Drawing:
    """Socialfication progress on the left scale (0-5, its line in `accent`) and Solis stage progress on the right
    scale (0-10), over periods; a period a draft stands for is drawn hollow."""
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
    chart.categoryAxis.labels.fontSize = SMALL
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 5, 1
    chart.valueAxis.labels.fontName = BODY
    chart.valueAxis.labels.fontSize = SMALL
    chart.lines[0].strokeColor, chart.lines[0].strokeWidth = accent, 2
    chart.lines[1].strokeColor, chart.lines[1].strokeWidth = REACHED, 1.5
    chart.lines[1].strokeDashArray = (3, 2)
    for i, (line, colour) in enumerate(zip(series, (accent, REACHED), strict=True)):
        chart.lines[i].symbol = makeMarker("FilledCircle", size=4, fillColor=colour, strokeColor=colour)
        if all(v is None for v in line):
            chart.lines[i].strokeColor, chart.lines[i].symbol = None, None
    chart.joinedLines = 1
    drawing.add(chart)
    column, scale = chart.width / len(points), chart.height / 5
    # The stage's own scale on the right, 0 to 10 on the same grid lines, so each line reads against its own numbers.
    right = chart.x + chart.width + 4
    for stage in range(0, 11, 2):
        drawing.add(_text(right, chart.y + stage / 2 * scale - 2.5, str(stage), SMALL, REACHED))
    for i, p in enumerate(points):
        x = chart.x + column * (i + 0.5)
        shown = (("Level", series[0][i], p.provisional, accent), ("Stage", series[1][i], p.stage_provisional, REACHED))
        missing = [noun for noun, value, _, _ in shown if value is None]
        for row, noun in enumerate(missing):
            # Above the axis, not on it: a mark on the zero line would read as a zero.
            drawing.add(
                _text(x, chart.y + 14 + 9 * row, f"{noun} {NOT_ASSESSED.lower()}", SMALL, MUTED, anchor="middle")
            )
        for _, value, provisional, colour in shown:
            if value is not None and provisional:
                drawing.add(_ring(x, chart.y + value * scale, colour))
            if value is not None and p.status == "draft":
                drawing.add(_hollow(x, chart.y + value * scale, colour))
    drawing.add(_text(36, height - 12, "— socialfication level (left, 0-5)", SMALL, accent))
    drawing.add(_text(190, height - 12, "- - Solis stage (right, 0-10)", SMALL, REACHED))
    if any(p.status == "draft" for p in points):
        drawing.add(_hollow(318, height - 9.5, MUTED))
        drawing.add(_text(325, height - 12, "draft", SMALL, MUTED))
    if any(p.provisional or p.stage_provisional for p in points):
        drawing.add(_ring(366, height - 9.5, MUTED))
        drawing.add(_text(374, height - 12, PROVISIONAL.lower(), SMALL, MUTED))
    return drawing


def _hollow(x: float, y: float, colour) -> Circle:
    """A point a draft stands for: an open circle, its answers may still change."""
    return Circle(x, y, 3, fillColor=colors.white, strokeColor=colour, strokeWidth=1.5)


def _ring(x: float, y: float, colour) -> Circle:
    """A dotted ring round a provisional point of the trend."""
    return Circle(x, y, 4.5, fillColor=None, strokeColor=colour, strokeWidth=1, strokeDashArray=(1.5, 1.5))


# -- two periods compared ----------------------------------------------------------------------
# Drawn narrow (300 points, a little under a phone's width, so they grow a little there) and tall, with large type,
# so they scale to any column with their text legible and never make the page scroll sideways.

# A changed cell's wash: light enough for black text, and never the only sign (each cell says its change in words).
CHANGE_FILLS = {
    BETTER: colors.HexColor("#d3ebdc"),
    WORSE: colors.HexColor("#f6d8d4"),
    SAME: WHITE,
    NEW: colors.HexColor("#dbe7f3"),
}


def ladder_pair(
    before: ModelView | None, after: ModelView | None, periods: tuple[str, str], floor_name: str, width: float = 300
) -> Drawing:
    """Where two periods stand on one ladder or stages model, side by side: the rungs bottom up (0 is
    `floor_name`), each period's column filled as its rungs are, hatched where not assessed, a heavy frame on the
    rung it stands on and an arrow from before to after. A model absent from a period is not assessed there."""
    register_fonts()
    model = after or before
    rows, row_h, gap, head = len(model.steps) + 1, 17, 3, 42
    drawing = Drawing(width, head + rows * (row_h + gap) + 4)
    number_w, column_w, arrow_w = 18, 60, 20
    columns = (number_w, number_w + column_w + arrow_w)
    names_x = columns[1] + column_w + 7
    noun = rung_noun(model)
    views = (before, after)
    for x, period, view in zip(columns, periods, views, strict=True):
        middle, room = x + column_w / 2, column_w + arrow_w - 4
        drawing.add(_text(middle, drawing.height - 12, period, 10, bold=True, anchor="middle"))
        for line, words in enumerate(_position(view, noun)):
            drawing.add(_text(middle, drawing.height - 24 - 10 * line, fit(words, room, BODY, 9), 9, anchor="middle"))
    for number in range(rows):
        y = 4 + number * (row_h + gap)
        name = floor_name if number == 0 else model.steps[number - 1].name
        drawing.add(_text(number_w - 5, y + row_h / 2 - 3.5, str(number), 9, anchor="end"))
        drawing.add(_text(names_x, y + row_h / 2 - 3.5, fit(name, width - names_x - 1, BODY, 9), 9))
        for x, view in zip(columns, views, strict=True):
            drawing.add(_rung(view, number, x, y, column_w, row_h))
    levels = [None if v is None else v.level for v in views]
    middles = [None if level is None else 4 + level * (row_h + gap) + row_h / 2 for level in levels]
    for x, middle in zip(columns, middles, strict=True):
        if middle is not None:
            frame = Rect(x - 1.5, middle - row_h / 2 - 1.5, column_w + 3, row_h + 3, fillColor=None, strokeColor=INK)
            frame.strokeWidth = 2
            drawing.add(frame)
    if None not in middles:
        drawing.add(_arrow(columns[0] + column_w + 3, middles[0], columns[1] - 3, middles[1]))
    return drawing


def _position(view: ModelView | None, noun: str) -> list[str]:
    """A column's head under its period: ['Level 2'], ['Stage 3', 'provisional'] or ['Not assessed']."""
    if view is None or view.level is None:
        return [NOT_ASSESSED]
    return [f"{noun.capitalize()} {view.level}", *([PROVISIONAL.lower()] if view.provisional else [])]


def _rung(view: ModelView | None, number: int, x: float, y: float, width: float, height: float):
    """One period's rung: reached, ahead of its foundation, not in place, or the not-assessed mark."""
    if view is None or view.level is None:
        return not_assessed_mark(x, y, width, height)
    if number == 0:  # where every placed organisation stands: a level of its own on a ladder, no stage yet on stages
        if rung_noun(view) == "level":
            return Rect(x, y, width, height, fillColor=REACHED, strokeColor=None)
        return Rect(x + 0.5, y + 0.5, width - 1, height - 1, fillColor=WHITE, strokeColor=MUTED, strokeWidth=0.8)
    step = next((s for s in view.steps if s.number == number), None)
    if step is None or (step.status == "not assessed" and not step.counted):
        return not_assessed_mark(x, y, width, height)
    fill = REACHED if step.counted else AHEAD if step.in_place else ABSENT
    return Rect(x, y, width, height, fillColor=fill, strokeColor=None)


def _arrow(x0: float, y0: float, x1: float, y1: float) -> Group:
    """A line from (x0, y0) with its head at (x1, y1)."""
    length = hypot(x1 - x0, y1 - y0) or 1.0
    dx, dy = (x1 - x0) / length, (y1 - y0) / length
    bx, by = x1 - 6 * dx, y1 - 6 * dy
    head = Polygon([x1, y1, bx - 3 * dy, by + 3 * dx, bx + 3 * dy, by - 3 * dx], fillColor=INK, strokeColor=None)
    return Group(Line(x0, y0, bx, by, strokeColor=INK, strokeWidth=1.2), head)


def radar_pair(
    names: list[str],
    before: list[float | None],
    after: list[float | None],
    periods: tuple[str, str],
    width: float = 300,
    height: float = 300,
) -> Drawing:
    """Two periods' radars on one set of spokes (0-100 %): before hollow and dashed, after filled and solid, with a
    legend. A spoke with no figure in a period is dashed and says where it is not assessed; that period's shape
    breaks there instead of falling to the centre as a zero would."""
    register_fonts()
    drawing = Drawing(width, height)
    missing = NOT_ASSESSED.lower()
    labels = []
    for name, b, a in zip(names, before, after, strict=True):
        if b is None and a is None:
            labels.append(f"{name}\n({missing})")
        elif b is None or a is None:
            labels.append(f"{name}\n({missing}\nin {periods[0] if b is None else periods[1]})")
        else:
            labels.append(name)
    unknown = [b is None or a is None for b, a in zip(before, after, strict=True)]
    centre = _spokes(drawing, labels, unknown, (65, 60, width - 130, height - 110), size=8.5, reach=1.3)
    _shape(drawing, before, centre, MUTED, hollow=True)
    _shape(drawing, after, centre, ACCENT)
    key_y = 10
    drawing.add(PolyLine([4, key_y, 28, key_y], strokeColor=MUTED, strokeWidth=1.5, strokeDashArray=(4, 2)))
    drawing.add(_hollow(16, key_y, MUTED))
    drawing.add(_text(33, key_y - 3.5, f"{periods[0]} (before)", 9))
    right = width / 2 + 8
    drawing.add(
        Rect(right, key_y - 5, 24, 10, fillColor=colors.Color(0.043, 0.325, 0.58, alpha=0.25), strokeColor=None)
    )
    drawing.add(PolyLine([right, key_y, right + 24, key_y], strokeColor=ACCENT, strokeWidth=1.5))
    drawing.add(Circle(right + 12, key_y, 1.8, fillColor=ACCENT, strokeColor=None))
    drawing.add(_text(right + 29, key_y - 3.5, f"{periods[1]} (after)", 9))
    return drawing


def heatmap_diff(
    model: ModelView,
    before: Mapping[str, CriterionView],
    after: Mapping[str, CriterionView],
    periods: tuple[str, str],
    width: float = 300,
) -> Drawing:
    """A stages model's elements, stage by stage (two to a row), each cell saying how its score moved between two
    periods (a mark and words, a light wash besides): better, worse, the same, newly or no longer assessed (or not
    asked), or the not-assessed mark where neither period has a figure."""
    register_fonts()
    label_h, cell_h, gap, per_row = 16, 32, 5, 2
    rows = [step.criteria[i : i + per_row] for step in model.steps for i in range(0, len(step.criteria), per_row)]
    drawing = Drawing(width, len(model.steps) * (label_h + gap) + len(rows) * (cell_h + 3))
    y = drawing.height
    for step in model.steps:
        y -= label_h
        drawing.add(_text(1, y + 4, fit(f"{step.number}. {step.name}", width - 2, BOLD, 10), 10, bold=True))
        for i in range(0, len(step.criteria), per_row):
            y -= cell_h + 3
            row = step.criteria[i : i + per_row]
            cell_w = width / len(row)
            room = cell_w - 10
            for j, cid in enumerate(row):
                x, old, new = j * cell_w, before.get(cid), after.get(cid)
                kind = change(figure_of(old), figure_of(new))
                if kind in (LOST, UNKNOWN):
                    drawing.add(not_assessed_mark(x + 1, y + 1, cell_w - 2, cell_h - 2))
                else:
                    fill = CHANGE_FILLS[kind]
                    drawing.add(Rect(x + 1, y + 1, cell_w - 2, cell_h - 2, fillColor=fill, strokeColor=MUTED))
                drawing.add(_text(x + 5, y + cell_h - 13, fit((new or old).name, room, BODY, 9.5), 9.5))
                words = fit(_cell_words(old, new, periods), room, BOLD, 9.5)
                drawing.add(_text(x + 5, y + 6, words, 9.5, bold=True))
        y -= gap
    return drawing


def _moved(before: CriterionView | None, after: CriterionView | None, periods: tuple[str, str]) -> tuple:
    """How a criterion moved: its kind, its two figures and the period that did not ask about it ('' if both did)."""
    old, new = figure_of(before), figure_of(after)
    kind = change(old, new)
    side = not_asked(kind, before and before.status, after and after.status)
    return kind, old, new, "" if side is None else periods[side]


def figure_text(criterion: CriterionView | None) -> str:
    """A criterion's figure in a period, in words: '40 %', or why there is none ('Not assessed', 'Not asked'), as
    the results' heat map says it."""
    value = figure_of(criterion)
    if value is not None:
        return percent_text(value)
    return sentence(criterion.status) if criterion is not None and criterion.status else NOT_ASSESSED


def change_words(before: CriterionView | None, after: CriterionView | None, periods: tuple[str, str]) -> str:
    """How a criterion moved between two periods, in words with its mark ('\u25b2 Better, +40 points'); where
    neither period has a figure, why not."""
    kind, old, new, unasked = _moved(before, after, periods)
    return figure_text(after or before) if kind == UNKNOWN else change_text(kind, old, new, unasked)


def _cell_words(before: CriterionView | None, after: CriterionView | None, periods: tuple[str, str]) -> str:
    kind, old, new, unasked = _moved(before, after, periods)
    return figure_text(after or before) if kind == UNKNOWN else cell_text(kind, old, new, unasked)


def figure_of(criterion: CriterionView | None) -> float | None:
    """The figure a criterion shows in a period: None when it is not assessed there, or absent."""
    return None if criterion is None else scored(criterion.assessed, criterion.score)
