"""Don't know is not absent: evidence per criterion, the in-place rule, gating on assessed rungs,
findings and triggers that never rest on unknowns alone, and the quick check judged on what it asks."""

import pytest
from pydantic import ValidationError

from backend.content.bundle import build_bundle
from backend.content.conditions import Assessed
from backend.content.schema import Question, Questionnaire, Rubric
from backend.labels import provisional_text
from backend.scoring.conditions import evaluate
from backend.scoring.engine import score_assessment
from backend.scoring.models import Answer
from backend.scoring.roadmap import facts_of, plan_roadmap
from tests.helpers import answers, score_tiny


def variant(tiny, questions=None, rubric=None):
    """The tiny content with some questions (by id) or one rubric's top-level fields changed."""
    data = tiny.questionnaires["t"].model_dump(mode="json", by_alias=True, exclude_none=True)
    for section in data["sections"]:
        for q in section["questions"]:
            q.update((questions or {}).get(q["id"], {}))
    rubrics = dict(tiny.rubrics)
    for model, changes in (rubric or {}).items():
        rubrics[model] = Rubric.model_validate(
            {**rubrics[model].model_dump(mode="json", by_alias=True, exclude_none=True), **changes}
        )
    return build_bundle(rubrics, {"t": Questionnaire.model_validate(data)})


def score(bundle, **values):
    return score_assessment(bundle, "t", answers(**values))


# --- evidence and the in-place rule ------------------------------------------------------------


def test_a_criterion_with_under_half_its_questions_answered_is_not_assessed(tiny):
    # l1a weighs 1, l1b weighs 3: one answered out of four by weight
    l1 = score_tiny(tiny, t__l1a="always", t__l1b="dont_know").criteria["ladder.l1"]
    assert (l1.evidence, l1.assessed, l1.met, l1.status, l1.band) == (
        0.25,
        False,
        False,
        "not assessed",
        "not assessed",
    )
    assert l1.score == 1.0  # the partial average is kept to explain, never used to decide


def test_half_the_questions_answered_is_enough_to_assess(tiny):
    l1 = score_tiny(tiny, t__l1a="dont_know", t__l1b="always").criteria["ladder.l1"]
    assert (l1.evidence, l1.assessed, l1.met, l1.status) == (0.75, True, True, "in place")


def test_a_criterion_the_questionnaire_does_not_ask_is_not_asked(content):
    result = score_assessment(content, "executive-quick-check", [])
    unasked = [c for c in result.criteria.values() if c.status == "not asked"]
    assert unasked and all(c.asked == 0 and not c.assessed and c.evidence is None for c in unasked)


def test_defining_questions_in_place_carry_a_criterion_from_the_rubrics_floor(tiny):
    bundle = variant(tiny, {"t.l1b": {"weight": 1, "defining": True}})
    l1 = score(bundle, t__l1a="never", t__l1b="always").criteria["ladder.l1"]
    assert l1.score == 0.5 and l1.met and l1.status == "in place"
    plain = variant(tiny, {"t.l1b": {"weight": 1}})
    assert not score(plain, t__l1a="never", t__l1b="always").criteria["ladder.l1"].met
    higher_floor = variant(tiny, {"t.l1b": {"weight": 1, "defining": True}}, {"ladder": {"defining_floor": 0.6}})
    assert not score(higher_floor, t__l1a="never", t__l1b="always").criteria["ladder.l1"].met


def test_a_defining_question_below_its_bar_does_not_carry_the_criterion(tiny):
    bundle = variant(tiny, {"t.l1a": {"defining": True}, "t.l1b": {"weight": 1}})
    l1 = score(bundle, t__l1a="sometimes", t__l1b="always").criteria["ladder.l1"]
    assert l1.score == 0.75 and l1.met  # the average alone reaches the threshold
    l1 = score(bundle, t__l1a="sometimes", t__l1b="sometimes").criteria["ladder.l1"]
    assert l1.score == 0.5 and not l1.met


# --- questions a screening answer hides ----------------------------------------------------------


def test_a_hidden_question_marked_absent_counts_as_answered_with_zero_and_says_why(tiny):
    bundle = variant(tiny, {"t.y_follow": {"if_hidden": "absent"}})
    y = score(bundle, t__y="never").criteria["prof.y"]
    follow = y.contributions[1]
    assert (follow.status, follow.score, follow.label) == ("absent", 0.0, "not asked: 'q' was answered 'Never'")
    assert (y.evidence, y.score, y.answered) == (1.0, 0.0, 2)


def test_a_screening_question_answered_dont_know_leaves_its_follow_ups_unknown_not_absent(tiny):
    bundle = variant(tiny, {"t.y_follow": {"if_hidden": "absent"}})
    follow = score(bundle, t__y="dont_know").criteria["prof.y"].contributions[1]
    assert (follow.status, follow.label) == ("dont_know", "not asked: 'q' was answered don't know")
    assert score(bundle).criteria["prof.y"].contributions[1].status == "unanswered"


def test_a_skipped_hidden_question_drops_out_as_before(tiny):
    y = score_tiny(tiny, t__y="never").criteria["prof.y"]
    assert y.contributions[1].status == "hidden" and y.evidence == 1.0


def test_the_schema_refuses_if_hidden_without_a_show_if(tiny):
    data = tiny.questionnaires["t"].questions[0].model_dump(mode="json", by_alias=True, exclude_none=True)
    with pytest.raises(ValidationError, match="if_hidden: absent only means something with a show_if"):
        Question.model_validate({**data, "if_hidden": "absent"})


def test_the_schema_refuses_a_defining_floor_above_the_threshold(tiny):
    with pytest.raises(ValidationError, match="defining_floor 0.8 is above the threshold 0.7"):
        variant(tiny, rubric={"ladder": {"defining_floor": 0.8}})


def test_a_criterion_the_answers_given_already_rule_out_is_not_in_place_on_thin_evidence(tiny):
    bundle = variant(tiny, {"t.l1b": {"weight": 2}})
    # one in three answered, 'never': even 'always' for the unknown leaves 0.67, under the 0.7 bar
    l1 = score(bundle, t__l1a="never", t__l1b="dont_know").criteria["ladder.l1"]
    assert (l1.assessed, l1.certain, l1.status, l1.met, l1.band) == (False, True, "not in place", False, "not in place")
    result = score(bundle, t__l1a="never", t__l1b="dont_know", t__l2a="always", t__l3a="always")
    ladder = result.models["ladder"]
    assert (ladder.level, ladder.provisional, ladder.not_assessed) == (0, False, ())
    assert "ladder.ahead_of_foundation" in result.finding_codes()
    assert "One" not in next(f for f in result.findings if f.code == "assessment.not_assessed").explanation
    planned = plan_roadmap(bundle, result)
    step1 = next(i for i in planned.items if i.id == "step1")
    assert "already ruled out by the answers given" in " ".join(r.text for r in step1.reasons)


def test_a_criterion_the_unknowns_could_still_carry_stays_not_assessed(tiny):
    l1 = score_tiny(tiny, t__l1a="never", t__l1b="dont_know").criteria["ladder.l1"]  # 'always' would give 0.75
    assert (l1.status, l1.certain) == ("not assessed", False)


def test_a_criterion_in_place_whatever_the_unknowns_say_is_in_place_on_thin_evidence(tiny):
    bundle = variant(tiny, {"t.l1a": {"weight": 2, "defining": True}}, {"ladder": {"defining_floor": 0.3}})
    l1 = score(bundle, t__l1a="always", t__l1b="dont_know").criteria["ladder.l1"]
    assert (l1.evidence, l1.assessed, l1.certain, l1.status, l1.met) == (0.4, False, True, "in place", True)


def test_all_dont_know_never_settles_a_criterion(tiny, content):
    for bundle, qid in ((tiny, "t"), (content, "full-diagnostic")):
        plan = bundle.plan(qid)
        result = score_assessment(bundle, qid, [Answer(q, "dont_know") for q in plan.questions])
        assert not any(c.certain or c.assessed for c in result.criteria.values())
        assert not any(m.assessed for m in result.models.values() if m.kind in ("ladder", "stages"))


# --- gating --------------------------------------------------------------------------------------


def test_a_not_assessed_rung_neither_passes_nor_blocks_and_makes_the_level_provisional(tiny):
    ladder = score_tiny(tiny, t__l1a="always", t__l1b="dont_know", t__l2a="always", t__l3a="always").models["ladder"]
    assert (ladder.level, ladder.provisional, ladder.not_assessed, ladder.assessed) == (3, True, (1,), True)
    assert [s.status for s in ladder.steps] == ["not assessed", "in place", "in place"]
    assert [s.counted for s in ladder.steps] == [False, True, True]


def test_a_level_reached_over_a_rung_not_assessed_names_the_level_no_unknown_can_take_away(tiny):
    ladder = score_tiny(tiny, t__l1a="always", t__l1b="always", t__l2a="dont_know", t__l3a="always").models["ladder"]
    assert (ladder.level, ladder.confirmed, ladder.not_assessed) == (3, 1, (2,))
    assert provisional_text(ladder).endswith("was not assessed; level 1 is confirmed")
    firm = score_tiny(tiny, t__l1a="always", t__l1b="always", t__l2a="always", t__l3a="never").models["ladder"]
    assert (firm.level, firm.confirmed, provisional_text(firm)) == (2, 2, "")
    # The next rung unknown: the level itself is confirmed, so the text names only the unknown rung.
    nxt = score_tiny(tiny, t__l1a="always", t__l1b="always", t__l3a="never").models["ladder"]
    assert nxt.confirmed == nxt.level == 1 and "confirmed" not in provisional_text(nxt)


def test_an_assessed_gap_blocks_every_rung_above_it(tiny):
    ladder = score_tiny(tiny, t__l1a="always", t__l1b="always", t__l2a="never", t__l3a="always").models["ladder"]
    assert (ladder.level, ladder.provisional, ladder.not_assessed) == (1, False, ())


def test_one_answer_gives_a_provisional_level_whether_or_not_it_settles_its_rung(content):
    # Found by the property tests: "kept separate" settled level 3 as missing and gave level 0, while the higher
    # "manual look-ups" settled nothing and gave no level at all, so raising the answer took the level away.
    for value in ("separate", "manual_lookups"):
        ladder = score_assessment(content, "full-diagnostic", [Answer("fd.anticipating.blended_data", value)]).models[
            "socialfication"
        ]
        assert (ladder.level, ladder.provisional, ladder.confirmed) == (0, True, 0), value
    assert (
        score_assessment(content, "full-diagnostic", [Answer("fd.anticipating.blended_data", "dont_know")]).level(
            "socialfication"
        )
        is None
    )


def test_the_next_rung_not_assessed_makes_the_level_provisional(tiny):
    ladder = score_tiny(tiny, t__l1a="always", t__l1b="always", t__l3a="never").models["ladder"]
    assert (ladder.level, ladder.provisional, ladder.not_assessed) == (1, True, (2,))


def test_a_rung_above_the_next_one_not_assessed_leaves_the_level_firm(tiny):
    ladder = score_tiny(tiny, t__l1a="always", t__l1b="always", t__l2a="never").models["ladder"]
    assert (ladder.level, ladder.provisional) == (1, False)


def test_a_stage_with_one_element_not_assessed_is_not_assessed_unless_another_is_missing(tiny):
    stages = score_tiny(tiny, t__a="always", t__c="always").models["stages"]
    assert [s.status for s in stages.steps[:2]] == ["not assessed", "in place"]
    assert (stages.level, stages.not_assessed) == (2, (1, 3))  # stage 3 is the next rung
    assert score_tiny(tiny, t__a="never", t__c="always").models["stages"].steps[0].status == "not in place"


# --- findings --------------------------------------------------------------------------------------


def test_a_rung_merely_not_assessed_is_not_missing_for_ahead_of_foundation(tiny):
    result = score_tiny(tiny, t__l1a="dont_know", t__l1b="dont_know", t__l2a="always", t__l3a="always")
    assert "ladder.ahead_of_foundation" not in result.finding_codes()
    assert result.level("ladder") == 3 and result.models["ladder"].provisional


def test_a_stage_merely_not_assessed_is_not_skipped_for_out_of_order(tiny):
    result = score_tiny(tiny, t__a="dont_know", t__b="dont_know", t__c="always")
    assert "stages.out_of_order" not in result.finding_codes()
    result = score_tiny(tiny, t__a="never", t__b="dont_know", t__c="always")
    finding = next(f for f in result.findings if f.code == "stages.out_of_order")
    assert "(A missing)" in finding.explanation


def test_criteria_not_assessed_raise_one_info_finding_naming_them(tiny):
    result = score_tiny(tiny, t__l1a="always", t__l1b="dont_know", t__a="dont_know")
    finding = next(f for f in result.findings if f.code == "assessment.not_assessed")
    assert finding.severity == "info" and finding.model == "assessment"
    assert finding.explanation.startswith("12 criteria not assessed: One, Two, Three, A, B,")
    assert "ladder.l1" in finding.criteria and "ladder." not in finding.explanation


def test_a_critical_finding_whose_gap_an_unknown_answer_could_close_is_a_warning(tiny):
    bundle = variant(tiny, {"t.q": {"criterion": "check.g.p"}})
    shown = next(f for f in score(bundle, t__p="never", t__q="never").findings if f.code == "check.no_p")
    assert shown.severity == "critical"
    unsure = next(f for f in score(bundle, t__p="never", t__q="dont_know").findings if f.code == "check.no_p")
    assert unsure.severity == "warning" and "warning rather than critical" in unsure.explanation
    assert "'q' answered don't know" in unsure.explanation


def test_a_finding_does_not_fire_on_a_criterion_that_is_not_assessed(tiny):
    assert "check.no_p" not in score_tiny(tiny, t__p="dont_know").finding_codes()
    assert "check.no_p" in score_tiny(tiny, t__p="never").finding_codes()


# --- conditions and reasons ------------------------------------------------------------------------


def test_level_below_needs_an_assessed_rung_that_is_not_in_place(tiny):
    def planned(**values):
        return {i.id for i in plan_roadmap(tiny, score_tiny(tiny, **values)).items}

    assert "step1" not in planned(t__l1a="dont_know", t__l1b="dont_know")
    assert "step1" in planned(t__l1a="never", t__l1b="never")
    assert "step2" not in planned(t__l1a="always", t__l1b="always", t__l2a="dont_know")


def test_a_score_test_never_holds_on_a_criterion_that_is_not_assessed(tiny):
    roadmap = plan_roadmap(tiny, score_tiny(tiny, t__y="dont_know", t__p="always"))
    assert "boost_y" not in {i.id for i in roadmap.items}


def test_the_assessed_atom_says_whether_a_criterion_has_evidence(tiny):
    facts = facts_of(score_tiny(tiny, t__x="always"))
    assert evaluate(Assessed(assessed="prof.x"), facts)[0]
    assert not evaluate(Assessed(assessed="prof.y"), facts)[0]


def test_an_answer_reason_names_the_question_text_and_the_option_label(tiny):
    roadmap = plan_roadmap(tiny, score_tiny(tiny, t__l1a="never"))
    step = next(i for i in roadmap.items if i.id == "never_l1a")
    assert step.reasons[0].text == "'q' answered 'Never'"


def test_a_criterion_reason_says_answered_dont_know_where_so(tiny):
    bundle = variant(tiny, {"t.q": {"criterion": "check.g.p"}})
    finding = next(f for f in score(bundle, t__p="never", t__q="dont_know").findings if f.code == "check.no_p")
    assert "P scores 0.00 (not in place): 'q' answered 'Never'; 'q' answered don't know" in finding.explanation


# --- the quick check ---------------------------------------------------------------------------------


def test_the_quick_check_is_judged_on_the_criteria_it_asks(content):
    plan = content.plan("executive-quick-check")
    top = [Answer(q.id, max(q.options, key=lambda o: o.score).value) for q in plan.questionnaire.questions]
    result = score_assessment(content, "executive-quick-check", top)
    assert result.confidence.coverage == 1.0 and result.confidence.label != "low"
    asked = {q.criterion for q in plan.questionnaire.questions}
    for cid, c in result.criteria.items():
        assert (c.status == "not asked") == (cid not in asked)
    for model in result.models.values():
        assert model.covered == any(c.startswith(model.model + ".") for c in asked)
