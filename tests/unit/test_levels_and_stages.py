"""Gated levels, stages, progress figures and the findings gating raises."""

import pytest

from backend.content.checks import summary_problems
from backend.scoring.confidence import confidence_of
from tests.helpers import score_tiny


def test_no_answers_means_not_assessed_never_the_floor(tiny):
    result = score_tiny(tiny)
    for model in ("ladder", "stages"):
        assert result.level(model) is None
        assert result.models[model].level_name == "Not assessed"
        assert result.models[model].assessed is False
    assert result.models["ladder"].not_assessed == (1, 2, 3)


def test_every_level_answered_lowest_is_the_floor(tiny):
    result = score_tiny(tiny, t__l1a="never", t__l1b="never", t__l2a="never", t__l3a="never")
    assert result.level("ladder") == 0
    assert result.models["ladder"].level_name == "Ground"
    assert result.models["ladder"].provisional is False


def test_level_two_needs_level_one(tiny):
    result = score_tiny(tiny, t__l1a="never", t__l1b="never", t__l2a="always")
    assert result.level("ladder") == 0


def test_level_three_needs_levels_one_and_two(tiny):
    result = score_tiny(tiny, t__l1a="always", t__l1b="always", t__l2a="never", t__l3a="always")
    assert result.level("ladder") == 1


def test_all_levels_in_place_reach_the_top(tiny):
    result = score_tiny(tiny, t__l1a="always", t__l1b="always", t__l2a="always", t__l3a="always")
    assert result.level("ladder") == 3
    assert result.models["ladder"].progress == 3.0


def test_progress_adds_the_share_of_the_next_threshold(tiny):
    # level 1 met; level 2 scores 0.5 of a 0.7 threshold -> 1 + 0.5/0.7
    result = score_tiny(tiny, t__l1a="always", t__l1b="always", t__l2a="sometimes")
    assert result.models["ladder"].progress == pytest.approx(1 + 0.5 / 0.7, abs=1e-4)


def test_a_level_above_the_gate_is_reported_not_counted(tiny):
    result = score_tiny(tiny, t__l1a="always", t__l1b="always", t__l2a="never", t__l3a="always")
    ahead = [f for f in result.findings if f.code == "ladder.ahead_of_foundation"]
    assert [f.id for f in ahead] == ["ladder.ahead_of_foundation.level3"]
    assert "2 (Two)" in ahead[0].explanation
    assert ahead[0].summary == "Level 3 practices are in place before level 2, so level 3 does not count yet."
    assert {c.question_id for c in ahead[0].contributions} == {"t.l3a", "t.l2a"}


def test_a_stage_is_in_place_when_every_assessed_element_is(tiny):
    result = score_tiny(tiny, t__a="always", t__b="dont_know", t__c="always")
    assert result.level("stages") == 2  # b has no evidence: it lowers confidence, not the stage


def test_a_stage_with_one_element_missing_is_not_in_place(tiny):
    result = score_tiny(tiny, t__a="always", t__b="never", t__c="always")
    assert result.level("stages") == 0


def test_working_beyond_the_next_stage_raises_an_out_of_order_finding(tiny):
    # stage 1 is in place, so stage 2 is the next to reach; d in stage 3 is beyond it.
    result = score_tiny(tiny, t__a="always", t__b="always", t__c="never", t__d="always")
    ids = [f.id for f in result.findings if f.code == "stages.out_of_order"]
    assert ids == ["stages.out_of_order"]


def test_several_stages_ahead_make_one_finding_listing_them_all(tiny):
    result = score_tiny(tiny, t__a="never", t__b="never", t__c="always", t__d="always", t__e="always")
    found = [f for f in result.findings if f.code == "stages.out_of_order"]
    assert len(found) == 1
    assert found[0].title == "Stages 2 (Second), 3 (Third) started before earlier stages"
    assert "C, D, E are in place while stage(s) 1 (First) are not (A, B missing)" in found[0].explanation
    assert found[0].criteria == ("stages.s2.c", "stages.s3.d", "stages.s3.e", "stages.s1.a", "stages.s1.b")
    assert found[0].summary == (
        "Work has started on stages 2 and 3 while stage 1 is not in place, so it lacks the groundwork that stage gives."
    )


def test_an_element_of_the_next_stage_is_normal_progress(tiny):
    result = score_tiny(tiny, t__a="never", t__b="always")
    assert "stages.out_of_order" not in result.finding_codes()


def test_presence_without_listening_is_out_of_order(tiny):
    # a (listening, stage 1) absent while c (presence, stage 2) is in place: the classic case.
    result = score_tiny(tiny, t__a="never", t__b="never", t__c="always")
    finding = next(f for f in result.findings if f.code == "stages.out_of_order")
    assert finding.id == "stages.out_of_order" and finding.title == "Stage 2 (Second) started before earlier stages"
    assert "A, B missing" in finding.explanation and "Sam Stages" in finding.explanation
    assert finding.summary == (
        "Work has started on stage 2 while stage 1 is not in place, so it lacks the groundwork that stage gives."
    )
    assert {c.question_id for c in finding.contributions} == {"t.a", "t.b", "t.c"}


def test_stage_progress_averages_the_next_stage_elements(tiny):
    result = score_tiny(tiny, t__a="always", t__b="always", t__c="sometimes")
    assert result.models["stages"].progress == pytest.approx(1 + 0.5 / 0.7, abs=1e-4)


def test_rubric_findings_explain_the_facts_behind_them(tiny):
    result = score_tiny(tiny, t__p="never")
    finding = next(f for f in result.findings if f.code == "check.no_p")
    assert finding.severity == "critical"
    assert "P scores 0.00 (not in place): 'q' answered 'Never'" in finding.explanation
    assert "check.g.p" not in finding.explanation
    assert finding.criteria == ("check.g.p",)
    assert finding.summary == "Nobody does P, so Q cannot follow."  # the rule's own words, not cut from the explanation


def test_a_level_above_several_missing_ones_names_them_all_in_one_whole_sentence(tiny):
    result = score_tiny(tiny, t__l1a="never", t__l1b="never", t__l2a="never", t__l3a="always")
    ahead = next(f for f in result.findings if f.code == "ladder.ahead_of_foundation")
    assert ahead.summary == "Level 3 practices are in place before levels 1 and 2, so level 3 does not count yet."
    assert summary_problems(ahead.summary) == []


def test_a_stage_ahead_of_several_missing_ones_names_them_all_in_one_whole_sentence(tiny):
    result = score_tiny(tiny, t__a="never", t__b="always", t__c="never", t__d="always", t__e="always")
    found = next(f for f in result.findings if f.code == "stages.out_of_order")
    assert found.summary == (
        "Work has started on stage 3 while stages 1 and 2 are not in place, so it lacks the groundwork those stages give."
    )
    assert summary_problems(found.summary) == []


def test_criteria_not_assessed_say_why_in_a_whole_sentence(tiny):
    # Everything answered but the checklist's q: one criterion not assessed, then with p also left open, two.
    answered = dict(t__l1a="never", t__l1b="never", t__l2a="never", t__l3a="never", t__a="never", t__b="never")
    answered |= dict(t__c="never", t__d="never", t__e="never", t__x="never", t__y="never", t__p="never")
    one = next(f for f in score_tiny(tiny, **answered).findings if f.code == "assessment.not_assessed")
    assert one.title == "1 criterion not assessed"
    assert (
        one.summary
        == "Fewer than half of its questions have an answer, so it counts neither as in place nor as missing."
    )
    answered.pop("t__p")
    two = next(f for f in score_tiny(tiny, **answered).findings if f.code == "assessment.not_assessed")
    assert two.title == "2 criteria not assessed"
    assert two.summary == (
        "Fewer than half of their questions have an answer, so they count neither as in place nor as missing."
    )
    assert summary_problems(one.summary) == summary_problems(two.summary) == []


def test_critical_findings_come_first(tiny):
    result = score_tiny(tiny, t__a="never", t__b="never", t__d="always", t__p="never")
    assert result.findings[0].severity == "critical"


def test_confidence_is_lower_with_fewer_answers(tiny):
    full = score_tiny(
        tiny,
        **{k: "always" for k in "t__l1a t__l1b t__l2a t__l3a t__a t__b t__c t__d t__e t__x t__y t__p t__q".split()},
    )
    sparse = score_tiny(tiny, t__l1a="always")
    assert full.confidence.value > sparse.confidence.value
    assert sparse.confidence.label == "low"


def test_same_input_same_output(tiny):
    values = dict(t__l1a="always", t__l2a="sometimes", t__d="always")
    assert score_tiny(tiny, **values) == score_tiny(tiny, **values)


def test_a_criterion_asked_by_one_question_has_full_depth_once_it_is_answered(tiny):
    """The content asks one question where one practice defines a criterion; that answer is not 'shallow'."""
    result = score_tiny(tiny, t__l1a="always", t__l2a="always")
    assert confidence_of([result.criteria["ladder.l2"]]).depth == 1.0  # its only question
    assert confidence_of([result.criteria["ladder.l1"]]).depth == 0.5  # one of its two questions
