"""Charts drawn once with reportlab.graphics: placed in the PDF, rendered to SVG for the web."""

from __future__ import annotations

from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors

from backend.reports.fonts import BODY, BOLD, register_fonts
from backend.reports.styles import ACCENT, GOOD, INK, MUTED
from backend.schemas.views import CriterionView, ModelView, PeriodPoint

REACHED = GOOD
PARTIAL = colors.HexColor("#f0b429")
ABSENT = colors.HexColor("#d9dde3")
AHEAD = colors.HexColor("#9fb3c8")
WHITE = colors.white


def band_colour(score: float | None, threshold: float) -> colors.Color:
    """Green when in place, amber when under way, grey when absent or unassessed."""
    if score is None:
        return ABSENT
    if score + 1e-9 >= threshold:
        return REACHED
    return PARTIAL if score >= threshold / 2 else ABSENT


def _text(
    x: float, y: float, text: str, size: float = 8, colour=INK, bold: bool = False, anchor: str = "start"
) -> String:
    return String(x, y, text, fontName=BOLD if bold else BODY, fontSize=size, fillColor=colour, textAnchor=anchor)


def level_ladder(model: ModelView, floor_name: str = "Anonymous", width: float = 240, height: float = 190) -> Drawing:
    """Rungs 0..top, bottom up: counted levels filled, the next one filled by its progress,
    levels in place above the gate shown pale ('ahead of your foundation')."""
    register_fonts()
    drawing = Drawing(width, height)
    rungs = [(0, floor_name, True, model.level is not None, 1.0)] + [
        (s.number, s.name, s.in_place, s.counted, s.progress) for s in model.steps
    ]
    unknown = {s.number for s in model.steps if s.status == "not assessed"}
    gap, rung_h = 4, (height - 4 * (len(rungs) + 1)) / len(rungs)
    bar_x, bar_w = 96, width - 100
    for i, (number, name, in_place, counted, progress) in enumerate(rungs):
        y = 4 + i * (rung_h + gap)
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
            label = "not assessed"
        drawing.add(_text(bar_x + 4, y + rung_h / 2 - 3, label, 7, WHITE if counted else INK))
        drawing.add(
            _text(bar_x - 6, y + rung_h / 2 - 3, f"{number}  {name}", 8, INK, bold=number == model.level, anchor="end")
        )
    drawing.add(Rect(bar_x - 1, 3, bar_w + 2, height - 6, fillColor=None, strokeColor=MUTED, strokeWidth=0.5))
    return drawing


def solis_heatmap(
    model: ModelView, criteria: dict[str, CriterionView], width: float = 480, height: float = 250
) -> Drawing:
    """Stages 1-10 as rows, their elements as cells coloured by score, stage reached marked."""
    register_fonts()
    drawing = Drawing(width, height)
    rows = len(model.steps)
    row_h = (height - 6) / rows
    label_w, cells_w = 170, width - 172
    for i, step in enumerate(model.steps):
        y = height - 3 - (i + 1) * row_h
        mark = "✓ " if step.counted else ("• " if step.in_place else "")
        drawing.add(
            _text(
                label_w - 6,
                y + row_h / 2 - 3,
                f"{mark}{step.number}. {step.name}"[:42],
                7,
                INK,
                bold=step.counted,
                anchor="end",
            )
        )
        cell_w = cells_w / len(step.criteria)
        for j, cid in enumerate(step.criteria):
            c = criteria[cid]
            fill = band_colour(c.score if c.assessed else None, c.threshold)
            drawing.add(Rect(label_w + j * cell_w + 1, y + 1, cell_w - 2, row_h - 2, fillColor=fill, strokeColor=WHITE))
            score = "–" if c.score is None or not c.assessed else f"{c.score:.0%}"
            drawing.add(
                _text(
                    label_w + j * cell_w + 4,
                    y + row_h / 2 - 3,
                    f"{c.name[:26]} {score}",
                    6.5,
                    WHITE if fill == REACHED else INK,
                )
            )
    return drawing


RADAR_MIN = 3  # a radar needs three spokes to have a shape


def stack_radar(criteria: list[CriterionView], width: float = 300, height: float = 240) -> Drawing:
    """The social stack as a radar: one spoke per element, 0-100 %."""
    register_fonts()
    drawing = Drawing(width, height)
    radar = SpiderChart()
    radar.x, radar.y, radar.width, radar.height = 50, 20, width - 100, height - 40
    radar.data = [[(c.score or 0.0) * 100 if c.assessed else 0.0 for c in criteria]]
    radar.labels = [c.name for c in criteria]
    radar.spokeLabels.fontName = BODY
    radar.spokeLabels.fontSize = 7
    radar.strands[0].fillColor = colors.Color(0.043, 0.325, 0.58, alpha=0.25)
    radar.strands[0].strokeColor = ACCENT
    radar.strands[0].strokeWidth = 1.5
    radar.spokes.strokeColor = ABSENT
    drawing.add(radar)
    return drawing


def trend(points: list[PeriodPoint], width: float = 480, height: float = 170) -> Drawing:
    """Socialfication progress (0-5) and Solis stage progress (0-10, halved) over periods."""
    register_fonts()
    drawing = Drawing(width, height)
    if not points:
        drawing.add(_text(width / 2, height / 2, "No periods assessed yet", 9, MUTED, anchor="middle"))
        return drawing
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 36, 30, width - 60, height - 50
    # A period whose model was not assessed leaves a gap in its line, never a fall to zero;
    # a line with no assessed period at all is drawn flat at zero (ReportLab needs a point).
    series = [
        [p.progress for p in points],
        [None if p.stage_progress is None else p.stage_progress / 2 for p in points],
    ]
    chart.data = [line if any(v is not None for v in line) else [0.0] * len(line) for line in series]
    chart.categoryAxis.categoryNames = [p.period for p in points]
    chart.categoryAxis.labels.fontName = BODY
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 5, 1
    chart.valueAxis.labels.fontName = BODY
    chart.valueAxis.labels.fontSize = 7
    chart.lines[0].strokeColor, chart.lines[0].strokeWidth = ACCENT, 2
    chart.lines[1].strokeColor, chart.lines[1].strokeWidth = REACHED, 1.5
    chart.lines[1].strokeDashArray = (3, 2)
    chart.joinedLines = 1
    drawing.add(chart)
    drawing.add(_text(36, height - 12, "— socialfication level (0-5)", 7, ACCENT))
    drawing.add(_text(200, height - 12, "- - Solis stage ÷ 2 (0-10 scale halved)", 7, REACHED))
    return drawing
