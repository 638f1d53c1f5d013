"""Chart labels name every stage and element whole: a long name wraps onto a second line, it is never cut."""

from reportlab.graphics.shapes import Group, String

from backend.reports import charts
from backend.scoring.engine import score_assessment
from backend.services.assessments.results import result_view


def texts(node) -> list[str]:
    """Every string a drawing shows, in drawing order."""
    if isinstance(node, String):
        return [node.text]
    if isinstance(node, Group):  # a Drawing is one too
        return [t for child in node.contents for t in texts(child)]
    return []


def test_the_heat_map_names_each_stage_and_element_whole_wrapping_the_long_ones(content):
    view = result_view(score_assessment(content, "full-diagnostic", []))
    solis = next(m for m in view.models if m.kind == "stages")
    drawing = charts.solis_heatmap(solis, {c.id: c for c in view.criteria})
    shown = texts(drawing)
    read = " ".join(shown)
    for step in solis.steps:
        assert f"{step.number}. {step.name}" in read, step.name
    for cid in solis.criteria:
        assert next(c.name for c in view.criteria if c.id == cid) in read
    # 'Humanizing the Brand and Defining the Experience' is wider than the label column: two whole lines.
    humanizing = next(i for i, line in enumerate(shown) if line.startswith("6. Humanizing"))
    assert f"{shown[humanizing]} {shown[humanizing + 1]}" == "6. Humanizing the Brand and Defining the Experience"
    assert "Community Building /" in read and "Recruitment" in read


def sizes(node) -> list[float]:
    """The font size of every string a drawing shows."""
    if isinstance(node, String):
        return [node.fontSize]
    if isinstance(node, Group):
        return [s for child in node.contents for s in sizes(child)]
    return []


def test_no_chart_prints_text_smaller_than_8_points(content):
    view = result_view(score_assessment(content, "full-diagnostic", []))
    by_kind = {m.kind: m for m in view.models}
    criteria = {c.id: c for c in view.criteria}
    drawings = [
        charts.solis_heatmap(by_kind["stages"], criteria),
        charts.level_ladder(by_kind["ladder"]),
        charts.stack_radar([criteria[c] for c in by_kind["profile"].criteria]),
    ]
    for drawing in drawings:
        assert min(sizes(drawing)) >= charts.SMALL == 8
