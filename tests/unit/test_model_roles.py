"""Which model plays which part (headline level, stage, radar, worksheet) comes from each rubric's kind, never its id."""

from backend.content.roles import (
    CHECKLIST,
    HEADLINE,
    PROFILE,
    STAGE,
    first_of_kind,
    model_id_of_kind,
)
from backend.services.assessments.results import result_view
from backend.web.pages.result_views import chart_markup, floor_name
from tests.helpers import score_tiny


def test_each_part_is_played_by_the_first_model_of_its_kind(tiny):
    rubrics = tiny.rubrics.values()
    assert [model_id_of_kind(rubrics, kind) for kind in (HEADLINE, STAGE, PROFILE, CHECKLIST)] == [
        "ladder",
        "stages",
        "prof",
        "check",
    ]
    assert first_of_kind([], HEADLINE) is None and model_id_of_kind(rubrics, "no such kind") is None


def test_the_charts_draw_a_content_set_whose_model_ids_are_not_the_projects(tiny):
    view = result_view(score_tiny(tiny, t__l1a="always", t__l1b="always"))
    charts = chart_markup(view, floor_name(tiny))
    assert floor_name(tiny) == "Ground"  # the tiny ladder's floor, found by kind
    assert {"ladder", "heatmap"} <= set(charts)
    assert "level 1 of 3" in charts["ladder"]
