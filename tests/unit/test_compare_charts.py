"""The charts of two periods compared (reports/charts.py): where each stands on a ladder, two radars on one set of
spokes and the stage heat map's changes; no figure is never drawn or read as a zero."""

import re

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Group, PolyLine, Rect

from backend.reports import charts
from backend.reports.styles import INK, MUTED
from backend.schemas.views import ConfidenceView, CriterionView, ModelView, StepView

PERIODS = ("2026-Q1", "2026-Q2")


def texts(drawing) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", renderSVG.drawToString(drawing))


def criterion(cid: str, score: float | None, status: str = "", assessed: bool = True) -> CriterionView:
    return CriterionView(
        id=cid,
        model="solis",
        name=cid.split(".")[-1].capitalize(),
        score=score,
        coverage=1.0,
        threshold=0.6,
        band="",
        met=False,
        answered=1,
        asked=1,
        answers=[],
        assessed=assessed,
        status=status or ("in place" if assessed else "not assessed"),
    )


def ladder(level: int | None, provisional: bool = False, unknown: tuple[int, ...] = ()) -> ModelView:
    steps = [
        StepView(
            number=n,
            name=f"Rung {n}",
            criteria=[],
            in_place=level is not None and n <= level,
            counted=level is not None and n <= level,
            assessed=n not in unknown,
            progress=1.0 if level is not None and n <= level else 0.0,
            status="not assessed" if n in unknown else "",
        )
        for n in range(1, 6)
    ]
    return model_view("socialfication", "ladder", level, steps, provisional=provisional)


def model_view(model: str, kind: str, level: int | None, steps: list[StepView], **extra) -> ModelView:
    confidence = ConfidenceView(coverage=1, depth=1, agreement=None, value=1, label="high")
    criteria = [c for s in steps for c in s.criteria]
    progress = None if level is None else float(level)
    return ModelView(
        model=model,
        kind=kind,
        title=model.capitalize(),
        author="",
        level=level,
        level_name=None,
        progress=progress,
        steps=steps,
        criteria=criteria,
        confidence=confidence,
        **extra,
    )


def frames(drawing) -> list[Rect]:
    """The heavy frames that mark where a period stands."""
    return [r for r in drawing.contents if isinstance(r, Rect) and r.strokeWidth == 2 and r.strokeColor == INK]


def arrows(drawing) -> list[Group]:
    return [g for g in drawing.contents if isinstance(g, Group) and len(g.contents) == 2]


def test_a_ladder_pair_frames_where_each_period_stands_and_draws_the_move():
    drawing = charts.ladder_pair(ladder(2), ladder(3, provisional=True), PERIODS, "Anonymous")
    said = texts(drawing)
    assert {"2026-Q1", "2026-Q2", "Level 2", "Level 3", "provisional", "Anonymous", "Rung 5"} <= set(said)
    assert [round(f.y) for f in frames(drawing)] == [42, 62] and len(arrows(drawing)) == 1


def test_a_period_with_no_level_reads_not_assessed_with_no_frame_no_arrow_and_every_rung_hatched():
    drawing = charts.ladder_pair(None, ladder(None), PERIODS, "Anonymous")
    assert texts(drawing).count("Not assessed") == 2 and "Level 0" not in texts(drawing)
    assert frames(drawing) == [] and arrows(drawing) == []
    hatched = [g for g in drawing.contents if isinstance(g, Group) and g.contents[-1].strokeDashArray == (2, 2)]
    assert len(hatched) == 2 * 6  # both columns, the floor included: nothing is level 0


def test_level_zero_is_a_position_with_its_frame_not_a_missing_one():
    drawing = charts.ladder_pair(ladder(0), ladder(1), PERIODS, "Anonymous")
    assert "Level 0" in texts(drawing) and len(frames(drawing)) == 2 and len(arrows(drawing)) == 1


def _radar_centre(drawing) -> tuple[float, float]:
    spider = next(c for c in drawing.contents if isinstance(c, SpiderChart))
    return spider.x + spider.width / 2, spider.y + spider.height / 2


def test_the_radars_overlay_before_dashed_and_hollow_after_solid_and_a_missing_score_breaks_the_outline():
    names = ["Identity", "Presence", "Sharing", "Groups"]
    drawing = charts.radar_pair(names, [0.5, None, 0.5, 0.5], [1.0, 1.0, 1.0, 1.0], PERIODS)
    cx, cy = _radar_centre(drawing)
    lines = [p for p in drawing.contents if isinstance(p, PolyLine) and len(p.points) > 4]
    before = [p for p in lines if p.strokeColor == MUTED]
    after = [p for p in lines if p.strokeColor != MUTED]
    assert all(p.strokeDashArray == (4, 2) for p in before) and all(not p.strokeDashArray for p in after)
    # Before runs from Sharing round to Identity, three points, and never through the centre where Presence is.
    assert len(before) == 1 and len(before[0].points) == 6
    points = list(zip(before[0].points[::2], before[0].points[1::2], strict=True))
    assert all(abs(x - cx) > 1 or abs(y - cy) > 1 for x, y in points)
    assert len(after) == 1 and len(after[0].points) == 10  # closed: four spokes and back to the first
    said = " ".join(texts(drawing))
    assert "(not assessed" in said and "in 2026-Q1)" in said
    assert "2026-Q1 (before)" in said and "2026-Q2 (after)" in said


def test_a_real_zero_is_drawn_at_the_centre():
    drawing = charts.radar_pair(["A", "B", "C"], [0.0, 0.0, 0.0], [0.5, 0.5, 0.5], PERIODS)
    cx, cy = _radar_centre(drawing)
    before = next(
        p for p in drawing.contents if isinstance(p, PolyLine) and p.strokeColor == MUTED and len(p.points) > 4
    )
    assert all(abs(v - c) < 1e-6 for v, c in zip(before.points, [cx, cy] * 4, strict=True))


def solis(*criteria: str) -> ModelView:
    step = StepView(
        number=1, name="Observe", criteria=list(criteria), in_place=False, counted=False, assessed=True, progress=0
    )
    return model_view("solis", "stages", 0, [step])


def test_each_heat_map_cell_says_its_change_in_words_with_a_mark():
    ids = ["s.up", "s.down", "s.same", "s.new", "s.lost", "s.none", "s.unasked"]
    before = {
        "s.up": criterion("s.up", 0.2),
        "s.down": criterion("s.down", 0.8),
        "s.same": criterion("s.same", 0.5),
        "s.new": criterion("s.new", 0.3, assessed=False),  # a score on thin evidence is no figure
        "s.lost": criterion("s.lost", 0.6),
        "s.none": criterion("s.none", None, assessed=False),
        "s.unasked": criterion("s.unasked", 0.4),
    }
    after = {
        "s.up": criterion("s.up", 0.6),
        "s.down": criterion("s.down", 0.4),
        "s.same": criterion("s.same", 0.502),
        "s.new": criterion("s.new", 0.7),
        "s.lost": criterion("s.lost", None, assessed=False),
        "s.none": criterion("s.none", None, assessed=False),
        "s.unasked": criterion("s.unasked", None, status="not asked", assessed=False),
    }
    said = texts(charts.heatmap_diff(solis(*ids), before, after, PERIODS))
    nbsp = "\u00a0"
    assert f"\u25b2 Better: 20{nbsp}% \u2192 60{nbsp}%" in said
    assert f"\u25bc Worse: 80{nbsp}% \u2192 40{nbsp}%" in said
    assert f"= Same: 50{nbsp}%" in said and f"+ Newly assessed: 70{nbsp}%" in said
    assert "\u25cb No longer assessed" in said and "Not assessed" in said
    assert "\u25cb Not asked in 2026-Q2" in said
    assert not any(f"30{nbsp}%" in t for t in said)  # the thin-evidence score before is shown nowhere


def test_change_words_name_the_period_that_did_not_ask_and_why_neither_has_a_figure():
    unasked = criterion("s.x", None, status="not asked", assessed=False)
    assert charts.change_words(unasked, criterion("s.x", 0.5), PERIODS) == "+ Not asked in 2026-Q1"
    assert charts.change_words(unasked, unasked, PERIODS) == "Not asked"
    assert (
        charts.change_words(criterion("s.x", 0.2), criterion("s.x", 0.6), PERIODS) == "\u25b2 Better, +40\u00a0points"
    )
