"""Properties that must hold for any answers to any of our questionnaires."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.content.schema import DONT_KNOW, NOT_APPLICABLE
from backend.scoring.engine import score_assessment
from backend.scoring.models import Answer

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CASES = [("tiny", "t"), ("content", "full-diagnostic"), ("content", "executive-quick-check")]


def choices(q):
    values = [o.value for o in q.options]
    if q.allow_dont_know:
        values.append(DONT_KNOW)
    if q.allow_not_applicable:
        values.append(NOT_APPLICABLE)
    return values


@st.composite
def answer_sets(draw, plan):
    picked = {}
    for q in plan.questionnaire.questions:
        value = draw(st.none() | st.sampled_from(choices(q)))
        if value is not None:
            picked[q.id] = Answer(q.id, value)
    return picked


def with_answer(answers, question_id, value):
    changed = dict(answers)
    changed[question_id] = Answer(question_id, value)
    return changed


@pytest.fixture(params=CASES, ids=[c[1] for c in CASES])
def case(request):
    bundle = request.getfixturevalue(request.param[0])
    return bundle, request.param[1]


def test_raising_an_answer_never_lowers_a_score_or_a_level(case):
    bundle, qid = case
    plan = bundle.plan(qid)
    # A question that opens a follow-up is left out: revealing a follow-up adds evidence,
    # which may rightly move a score either way.
    raisable = [q for q in plan.questionnaire.questions if q.id not in plan.controlling]

    @SETTINGS
    @given(answer_sets(plan), st.sampled_from(raisable), st.data())
    def check(answers, question, data):
        ranked = sorted(question.options, key=lambda o: o.score)
        low = data.draw(st.integers(0, len(ranked) - 2))
        high = data.draw(st.integers(low + 1, len(ranked) - 1))
        before = score_assessment(bundle, qid, with_answer(answers, question.id, ranked[low].value))
        after = score_assessment(bundle, qid, with_answer(answers, question.id, ranked[high].value))
        cid = question.criterion
        if question.id in before.visible:
            assert after.criteria[cid].score >= before.criteria[cid].score - 1e-12
        for model, result in before.models.items():
            if result.level is not None:
                assert after.models[model].level >= result.level

    check()


def test_no_level_without_every_level_below_it(case):
    bundle, qid = case

    @SETTINGS
    @given(answer_sets(bundle.plan(qid)))
    def check(answers):
        result = score_assessment(bundle, qid, answers)
        for model in result.models.values():
            if model.level is not None:
                assert all(s.in_place for s in model.steps if s.number <= model.level)
                assert model.level == 0 or model.steps[model.level - 1].counted
                assert model.level <= model.progress < model.level + 1 or model.progress == model.steps[-1].number

    check()


def test_not_applicable_never_changes_another_criterion(case):
    bundle, qid = case
    plan = bundle.plan(qid)
    candidates = [q for q in plan.questionnaire.questions if q.allow_not_applicable and q.id not in plan.controlling]

    @SETTINGS
    @given(answer_sets(plan), st.sampled_from(candidates))
    def check(answers, question):
        before = score_assessment(bundle, qid, answers)
        after = score_assessment(bundle, qid, with_answer(answers, question.id, NOT_APPLICABLE))
        for cid, result in before.criteria.items():
            if cid != question.criterion:
                assert after.criteria[cid].score == result.score
                assert after.criteria[cid].coverage == result.coverage

    check()


def test_same_input_same_output(case):
    bundle, qid = case

    @SETTINGS
    @given(answer_sets(bundle.plan(qid)))
    def check(answers):
        assert score_assessment(bundle, qid, answers) == score_assessment(bundle, qid, dict(reversed(list(answers.items()))))

    check()
