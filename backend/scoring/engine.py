"""Score a set of answers against the content: criteria, levels, stages, findings."""

from __future__ import annotations

from typing import Iterable, Mapping

from backend.content.bundle import ContentBundle, CriterionInfo, QuestionnairePlan
from backend.content.schema import Question, Rubric
from backend.scoring.conditions import Facts, evaluate
from backend.scoring.confidence import confidence_of
from backend.scoring.findings import ladder_findings, stage_findings
from backend.scoring.models import (
    Answer,
    AssessmentResult,
    Contribution,
    CriterionResult,
    Finding,
    ModelResult,
    Step,
)

SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}
EPSILON = 1e-9


def visible_questions(plan: QuestionnairePlan, answers: Mapping[str, Answer]) -> frozenset[str]:
    """Ids of the questions whose show_if holds, taking hidden answers as absent."""
    shown: dict[str, Answer] = {}
    visible: set[str] = set()
    no_facts = Facts({}, {}, (), shown)
    for q in plan.questionnaire.questions:
        if q.show_if is None or evaluate(q.show_if, no_facts)[0]:
            visible.add(q.id)
            if q.id in answers:
                shown[q.id] = answers[q.id]
    return frozenset(visible)


def _contribution(q: Question, answer: Answer | None, visible: bool) -> Contribution:
    if not visible:
        return Contribution(q.id, "hidden", q.weight)
    if answer is None:
        return Contribution(q.id, "unanswered", q.weight)
    if answer.status != "answered":
        return Contribution(q.id, answer.status, q.weight, value=answer.value, note=answer.note)
    option = next((o for o in q.options if o.value == answer.value), None)
    if option is None:  # an answer to an option that newer content no longer has
        return Contribution(q.id, "unanswered", q.weight, value=answer.value, note=answer.note)
    return Contribution(q.id, "answered", q.weight, answer.value, option.label, option.score, answer.note)


def band_of(rubric: Rubric, score: float | None) -> str:
    """The rubric's label for a score (bands run from the highest minimum down)."""
    if score is None:
        return "not assessed"
    return next(b.label for b in rubric.bands if score + EPSILON >= b.min)


def score_criterion(info: CriterionInfo, rubric: Rubric, questions: tuple[Question, ...], answers: Mapping[str, Answer], visible: frozenset[str]) -> CriterionResult:
    """Weighted mean of answered scores; 'don't know' lowers coverage, 'n/a' drops the question."""
    contributions = tuple(_contribution(q, answers.get(q.id), q.id in visible) for q in questions)
    answered = [c for c in contributions if c.status == "answered"]
    applicable_weight = sum(c.weight for c in contributions if c.status in ("answered", "dont_know", "unanswered"))
    answered_weight = sum(c.weight for c in answered)
    score = sum(c.weight * c.score for c in answered) / answered_weight if answered else None
    coverage = answered_weight / applicable_weight if applicable_weight else None
    met = score is not None and score + EPSILON >= info.threshold
    return CriterionResult(
        info.id, info.model, info.name, score, coverage, info.threshold, band_of(rubric, score),
        met, len(answered), sum(1 for c in contributions if c.status != "hidden"), contributions,
    )


def _progress(results: list[CriterionResult]) -> float:
    if not results:
        return 0.0
    return sum(min((r.score or 0.0) / r.threshold, 1.0) for r in results) / len(results)


def _steps(groups: list[tuple[int, str, list[CriterionResult]]]) -> tuple[Step, ...]:
    steps, all_below = [], True
    for number, name, results in groups:
        assessed = [r for r in results if r.score is not None]
        in_place = bool(assessed) and all(r.met for r in assessed)
        all_below = all_below and in_place
        steps.append(Step(number, name, tuple(r.id for r in results), in_place, all_below, bool(assessed), _progress(results)))
    return tuple(steps)


def score_model(rubric: Rubric, criteria: dict[str, CriterionResult]) -> tuple[ModelResult, list[Finding]]:
    """A model's level or stage (gated), its steps, confidence and gating findings."""
    ids = [cid for cid, _, _ in rubric.criterion_ids()]
    results = [criteria[cid] for cid in ids]
    if rubric.kind == "ladder":
        groups = [(c.level, c.name, [criteria[f"{rubric.model}.{c.id}"]]) for c in rubric.criteria]
    elif rubric.kind in ("stages", "checklist"):
        groups = [(g.number or i + 1, g.name, [criteria[f"{rubric.model}.{g.id}.{c.id}"] for c in g.criteria]) for i, g in enumerate(rubric.groups)]
    else:
        groups = []
    steps = _steps(groups)
    level = level_name = progress = None
    findings: list[Finding] = []
    if rubric.kind in ("ladder", "stages"):
        level = max((s.number for s in steps if s.counted), default=0)
        top = steps[-1].number
        progress = round(level + (steps[level].progress if level < top else 0.0), 4)
        floor_name = rubric.floor.name if rubric.floor else "Not started"
        level_name = steps[level - 1].name if level else floor_name
        make = ladder_findings if rubric.kind == "ladder" else stage_findings
        findings = make(rubric, steps, level, criteria)
    result = ModelResult(
        rubric.model, rubric.kind, rubric.title, rubric.author, level, level_name, progress,
        steps, tuple(ids), confidence_of(results),
    )
    return result, findings


def score_assessment(bundle: ContentBundle, questionnaire_id: str, answers: Mapping[str, Answer] | Iterable[Answer]) -> AssessmentResult:
    """Score answers to one questionnaire: every criterion, model and finding, explained."""
    plan = bundle.plan(questionnaire_id)
    if not isinstance(answers, Mapping):
        answers = {a.question_id: a for a in answers}
    visible = visible_questions(plan, answers)
    criteria = {
        cid: score_criterion(info, bundle.rubrics[info.model], plan.by_criterion.get(cid, ()), answers, visible)
        for cid, info in bundle.criteria.items()
    }
    models: dict[str, ModelResult] = {}
    findings: list[Finding] = []
    for name, rubric in bundle.rubrics.items():
        models[name], found = score_model(rubric, criteria)
        findings += found
    shown = {qid: a for qid, a in answers.items() if qid in visible}
    facts = Facts({m: r.level for m, r in models.items() if r.level is not None}, criteria, (), shown)
    for rubric in bundle.rubrics.values():
        for rule in rubric.findings:
            holds, reasons = evaluate(rule.when, facts)
            if holds:
                findings.append(Finding(
                    f"{rubric.model}.{rule.id}", f"{rubric.model}.{rule.id}", rubric.model, rule.title,
                    rule.explanation + " (" + "; ".join(r.text for r in reasons) + ")", rule.severity,
                    tuple(r.criterion for r in reasons if r.criterion),
                    tuple(c for r in reasons for c in r.contributions),
                ))
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.id))
    qn = plan.questionnaire
    return AssessmentResult(
        qn.id, qn.version, plan.content_hash, models, criteria, tuple(findings), dict(answers),
        confidence_of(criteria.values()), visible,
    )
