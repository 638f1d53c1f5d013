"""The rules pages used to decide for themselves, now in the services the API shares."""

from backend.schemas.views import AssessmentPublic, PeriodPoint
from backend.services.assessments.history import default_pair, latest_pair
from backend.services.organisations.portfolio import next_assessment, questionnaires_offered


def point(assessment_id: int, status: str = "submitted") -> PeriodPoint:
    return PeriodPoint.model_construct(assessment_id=assessment_id, status=status)


def assessment(assessment_id: int, questionnaire_id: str = "full-diagnostic") -> AssessmentPublic:
    return AssessmentPublic.model_construct(id=assessment_id, questionnaire_id=questionnaire_id)


def test_the_shortest_questionnaire_is_offered_first(content):
    offered = questionnaires_offered(content)
    assert [len(p.questions) for p in offered] == sorted(len(p.questions) for p in offered)
    assert offered[0].questionnaire.id == "executive-quick-check"


def test_a_new_assessment_follows_its_baselines_questionnaire_and_answers(content):
    start = next_assessment(content, "2026-Q3", assessment(7, "executive-quick-check"))
    assert (start.questionnaire_id, start.period, start.kind, start.baseline_assessment_id) == (
        "executive-quick-check",
        "2026-Q3",
        "self_assessment",
        7,
    )


def test_a_first_assessment_uses_the_quick_check_and_no_baseline(content):
    start = next_assessment(content, "2026-Q1", None)
    assert (start.questionnaire_id, start.baseline_assessment_id) == (
        questionnaires_offered(content)[0].questionnaire.id,
        None,
    )


def test_a_baseline_whose_questionnaire_left_the_content_falls_back_to_the_quick_check(content):
    assert (
        next_assessment(content, "2026-Q1", assessment(3, "retired")).questionnaire_id
        == questionnaires_offered(content)[0].questionnaire.id
    )


def test_compare_defaults_to_the_last_two_submitted_periods_of_the_trend_skipping_a_newer_draft():
    assert default_pair([point(1), point(4), point(9), point(12, "draft")]) == (4, 9)


def test_with_fewer_than_two_periods_submitted_nothing_is_compared_by_default():
    assert default_pair([point(1), point(4, "draft"), point(9, "draft")]) == (None, None)


def test_what_is_offered_instead_is_the_latest_two_of_the_trend_else_of_all_the_assessments():
    assert latest_pair([point(1), point(4, "draft"), point(9, "draft")], []) == (4, 9)
    assert latest_pair([point(1)], [assessment(1), assessment(5)]) == (1, 5)
    assert latest_pair([], [assessment(1)]) == (None, None)
