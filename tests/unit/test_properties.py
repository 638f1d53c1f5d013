"""Properties that must hold for any answers to any of our questionnaires."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.content.schema import DONT_KNOW, NOT_APPLICABLE
from backend.scoring.engine import score_assessment
from backend.scoring.models import Answer
from tests.conftest import examples

SETTINGS = settings(max_examples=examples(150), suppress_health_check=[HealthCheck.function_scoped_fixture])
FEWER = settings(SETTINGS, max_examples=examples(60))
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
                assert after.models[model].level is not None and after.models[model].level >= result.level

    check()


def test_the_level_is_the_highest_rung_the_evidence_supports(case):
    bundle, qid = case

    @SETTINGS
    @given(answer_sets(bundle.plan(qid)))
    def check(answers):
        result = score_assessment(bundle, qid, answers)
        for model in result.models.values():
            if model.kind not in ("ladder", "stages"):
                continue
            if model.level is None:
                assert not any(result.criteria[c].assessed for c in model.criteria)
                assert model.level_name == "Not assessed" and not model.provisional
                continue
            assert all(s.status != "not in place" for s in model.steps if s.number <= model.level)
            assert model.level == 0 or model.steps[model.level - 1].status == "in place"
            assert not any(
                s.status == "in place" and all(b.status != "not in place" for b in model.steps if b.number < s.number)
                for s in model.steps
                if s.number > model.level
            )
            assert model.not_assessed == tuple(
                s.number for s in model.steps if s.number <= model.level + 1 and s.status == "not assessed"
            )
            assert model.provisional == bool(model.not_assessed)
            assert model.level <= model.progress < model.level + 1 or model.progress == model.steps[-1].number
            assert all(result.criteria[c].met <= result.criteria[c].assessed for c in model.criteria)

    check()


def _dont_know_able(plan):
    return [q for q in plan.questionnaire.questions if q.allow_dont_know and q.id not in plan.controlling]


def _criticals(result):
    return {f.id for f in result.findings if f.severity == "critical"}


def test_a_dont_know_never_creates_a_critical_finding_nor_silently_raises_a_level(case):
    # Under the gating rule a not-assessed rung does not block, so a don't know that turns an
    # assessed gap into an unknown may lift the level: the result must then be provisional.
    # The only other way up is the average: dropping an answer below the others lifts its criterion.
    bundle, qid = case
    plan = bundle.plan(qid)

    @FEWER
    @given(answer_sets(plan), st.sampled_from(_dont_know_able(plan)))
    def check(answers, question):
        before = score_assessment(bundle, qid, answers)
        after = score_assessment(bundle, qid, with_answer(answers, question.id, DONT_KNOW))
        assert _criticals(after) <= _criticals(before)
        flipped = after.criteria[question.criterion].met and not before.criteria[question.criterion].met
        for model, result in after.models.items():
            old = before.models[model].level
            if result.level is not None and old is not None and result.level > old:
                assert result.provisional or flipped

    check()


def test_answering_a_dont_know_with_the_top_option_lowers_only_a_provisional_level(case):
    bundle, qid = case
    plan = bundle.plan(qid)

    @FEWER
    @given(answer_sets(plan), st.sampled_from(_dont_know_able(plan)))
    def check(answers, question):
        top = max(question.options, key=lambda o: o.score).value
        before = score_assessment(bundle, qid, with_answer(answers, question.id, DONT_KNOW))
        after = score_assessment(bundle, qid, with_answer(answers, question.id, top))
        for model, result in before.models.items():
            if result.level is None:
                continue
            new = after.models[model].level
            assert new is not None
            if new < result.level:
                rung = next(s.number for s in result.steps if question.criterion in s.criteria)
                assert result.provisional and rung in result.not_assessed

    check()


def test_an_all_dont_know_answer_set_is_not_assessed(case):
    bundle, qid = case
    plan = bundle.plan(qid)
    answers = {q.id: Answer(q.id, DONT_KNOW) for q in plan.questionnaire.questions if q.allow_dont_know}
    result = score_assessment(bundle, qid, answers)
    for model in result.models.values():
        if model.kind in ("ladder", "stages"):
            assert model.level is None and model.level_name == "Not assessed" and model.assessed is False
    assert not _criticals(result)
    assert all(f.code == "assessment.not_assessed" for f in result.findings)


def test_every_finding_names_the_answers_it_rests_on(case):
    bundle, qid = case

    @FEWER
    @given(answer_sets(bundle.plan(qid)))
    def check(answers):
        result = score_assessment(bundle, qid, answers)
        for finding in result.findings:
            assert any(c.status != "hidden" for c in finding.contributions), finding.id
            assert ".level" not in finding.explanation and finding.model + "." not in finding.explanation

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
        assert score_assessment(bundle, qid, answers) == score_assessment(
            bundle, qid, dict(reversed(list(answers.items())))
        )

    check()
