"""The roadmap planner: what triggers, in which order, in which horizon, and why."""

from backend.scoring.engine import score_assessment
from backend.scoring.roadmap import CAPS, UNASSESSED, plan_roadmap
from backend.scoring.models import Answer
from tests.helpers import score_tiny


def plan(bundle, **values):
    return plan_roadmap(bundle, score_tiny(bundle, **values))


def steps(roadmap):
    """The planned steps other than the built-in one that completes an unassessed questionnaire."""
    return [i for i in roadmap.items if i.id != UNASSESSED]


def test_only_recommendations_whose_trigger_holds_are_planned(tiny):
    roadmap = plan(tiny, t__l1a="always", t__l1b="always", t__l2a="always", t__l3a="always", t__p="always", t__y="always")
    assert [i.id for i in steps(roadmap)] == []


def test_prerequisites_come_before_what_depends_on_them(tiny):
    roadmap = plan(tiny, t__p="always", t__y="always", t__l1a="sometimes")
    ids = [i.id for i in steps(roadmap)]
    assert ids.index("step1") < ids.index("step2") < ids.index("step3")


def test_work_after_a_large_prerequisite_waits_a_horizon(tiny):
    roadmap = plan(tiny, t__p="always", t__y="always", t__l1a="sometimes")
    horizon = {i.id: i.horizon for i in roadmap.items}
    assert horizon["step1"] == "now"
    assert horizon["step2"] == "now"  # step1 is small: both fit this quarter
    assert horizon["step3"] == "next"  # step2 is large: step3 starts after it


def test_urgent_steps_come_first_among_steps_as_near(tiny):
    roadmap = plan(tiny, t__p="never", t__l1a="always", t__l1b="always")  # level 1: step2 and the audit build level 2
    assert [i.id for i in steps(roadmap)][:2] == ["audit", "step2"]
    assert steps(roadmap)[0].horizon == "now"


def test_lower_gates_come_before_higher_ones(tiny):
    roadmap = plan(tiny, t__p="always", t__l1a="sometimes", t__y="never")
    ids = [i.id for i in steps(roadmap)]
    assert ids.index("step1") < ids.index("boost_y")  # gate 1 before gate 2


def test_each_step_says_why_with_the_answers_behind_it(tiny):
    roadmap = plan(tiny, t__p="always", t__y="never")
    boost = next(i for i in roadmap.items if i.id == "boost_y")
    assert boost.reasons[0].criterion == "prof.y"
    assert "Y (prof.y) scores 0.00 (below 0.50)" == boost.reasons[0].text
    assert [c.question_id for c in boost.reasons[0].contributions] == ["t.y", "t.y_follow"]
    assert boost.credit == "Pat Profile"


def test_a_finding_can_trigger_a_step(tiny):
    roadmap = plan(tiny, t__a="never", t__b="never", t__c="always")
    reorder = next(i for i in roadmap.items if i.id == "reorder")
    assert reorder.reasons[0].finding == "stages.out_of_order.stage2"


def test_an_answer_can_trigger_a_step(tiny):
    assert "never_l1a" in [i.id for i in plan(tiny, t__l1a="never").items]
    assert "never_l1a" not in [i.id for i in plan(tiny, t__l1a="always").items]


def test_horizons_respect_their_caps(content):
    plan = content.plan("full-diagnostic")
    lowest = [Answer(q.id, min(q.options, key=lambda o: o.score).value) for q in plan.questionnaire.questions]
    roadmap = plan_roadmap(content, score_assessment(content, "full-diagnostic", lowest))
    for name, cap in CAPS.items():
        assert len(roadmap.horizon(name)) == cap
    assert roadmap.deferred, "a company weak everywhere triggers more than fits in a year"
    assert [i.position for i in roadmap.items] == list(range(1, len(roadmap.items) + 1))


def test_planning_is_deterministic(tiny):
    assert plan(tiny, t__l1a="never") == plan(tiny, t__l1a="never")


def test_an_empty_questionnaire_gets_only_the_step_that_completes_it(content):
    for qid in ("full-diagnostic", "executive-quick-check"):
        roadmap = plan_roadmap(content, score_assessment(content, qid, []))
        assert [i.id for i in roadmap.items] == [UNASSESSED] and not roadmap.deferred


def test_an_unanswered_criterion_that_was_asked_raises_its_finding(tiny):
    result = score_tiny(tiny)
    assert "check.no_p" in result.finding_codes()
    assert "was asked but has no answer yet" in next(f for f in result.findings if f.code == "check.no_p").explanation
