"""Score a set of answers against the content: criteria, levels, stages, findings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from backend.content.bundle import ContentBundle, CriterionInfo, QuestionnairePlan
from backend.content.checks import ASSESSMENT_FINDINGS
from backend.content.conditions import walk
from backend.content.schema import FindingRule, Question, Rubric
from backend.scoring.conditions import Facts, evaluate, floors_of, gap_is_certain
from backend.scoring.confidence import confidence_of
from backend.scoring.findings import ladder_findings, stage_findings
from backend.scoring.inplace import (
    APPLICABLE,
    EPSILON,
    SCORED,
    in_place,
    settled_status,
)
from backend.scoring.models import (
    ASSESSED_AT,
    Answer,
    AssessmentResult,
    Contribution,
    CriterionResult,
    Finding,
    ModelResult,
    Step,
)

SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


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


def _hidden(q: Question, questions: Mapping[str, Question], answers: Mapping[str, Answer]) -> Contribution:
    """A question its screening answer hid: skipped, or absent ("we have none") when the content says so.

    Absent needs a real answer to the screening question: when that was "don't know" or is still
    blank, the hidden question is unknown too, never absent."""
    if q.if_hidden != "absent":
        return Contribution(q.id, "hidden", q.weight, text=q.text, defining=q.defining)
    screens = [
        questions[a.answer_ref.question]
        for a in walk(q.show_if)
        if a.answer_ref is not None and a.answer_ref.question in questions
    ]
    for screen in screens:
        given = answers.get(screen.id)
        if given is None or given.status == "dont_know":
            status = "unanswered" if given is None else "dont_know"
            said = "is not answered yet" if given is None else "was answered don't know"
            return Contribution(
                q.id, status, q.weight, label=f"not asked: '{screen.text}' {said}", text=q.text, defining=q.defining
            )
    label = "not asked: a screening answer made it absent"
    for screen in screens:
        given = answers[screen.id]
        option = screen.option_label(given.value) or "not applicable"
        label = f"not asked: '{screen.text}' was answered '{option}'"
        break
    return Contribution(q.id, "absent", q.weight, label=label, score=0.0, text=q.text, defining=q.defining)


def _contribution(
    q: Question, answer: Answer | None, visible: bool, questions: Mapping[str, Question], answers: Mapping[str, Answer]
) -> Contribution:
    if not visible:
        return _hidden(q, questions, answers)
    if answer is None:
        return Contribution(q.id, "unanswered", q.weight, text=q.text, defining=q.defining)
    if answer.status != "answered":
        return Contribution(
            q.id, answer.status, q.weight, value=answer.value, note=answer.note, text=q.text, defining=q.defining
        )
    option = next((o for o in q.options if o.value == answer.value), None)
    if option is None:  # an answer to an option that newer content no longer has
        return Contribution(
            q.id, "unanswered", q.weight, value=answer.value, note=answer.note, text=q.text, defining=q.defining
        )
    return Contribution(
        q.id, "answered", q.weight, answer.value, option.label, option.score, answer.note, q.text, q.defining
    )


def band_of(rubric: Rubric, score: float | None) -> str:
    """The rubric's label for a score (bands run from the highest minimum down)."""
    if score is None:
        return "not assessed"
    return next(b.label for b in rubric.bands if score + EPSILON >= b.min)


def score_criterion(
    info: CriterionInfo,
    rubric: Rubric,
    questions: tuple[Question, ...],
    answers: Mapping[str, Answer],
    visible: frozenset[str],
    all_questions: Mapping[str, Question] | None = None,
) -> CriterionResult:
    """Weighted mean of answered scores, the evidence behind it, and whether it is in place.

    Evidence is the answered share (by weight) of the questions that apply: 'don't know' and
    blanks count against it, 'n/a' and skipped questions drop out. Below half it is not assessed."""
    everything = all_questions or {q.id: q for q in questions}
    contributions = tuple(_contribution(q, answers.get(q.id), q.id in visible, everything, answers) for q in questions)
    answered = [c for c in contributions if c.status in SCORED]
    applicable_weight = sum(c.weight for c in contributions if c.status in APPLICABLE)
    answered_weight = sum(c.weight for c in answered)
    score = sum(c.weight * c.score for c in answered) / answered_weight if answered else None
    evidence = answered_weight / applicable_weight if applicable_weight else None
    assessed = evidence is not None and evidence + EPSILON >= ASSESSED_AT
    met = assessed and in_place(score, contributions, info.threshold, rubric.defining_floor)
    certain = False
    if not questions:
        status = "not asked"
    elif evidence is None:
        status = "not applicable"
    elif not assessed:
        status = settled_status(contributions, info.threshold, rubric.defining_floor)
        certain = status != "not assessed"
        met = status == "in place"
    else:
        status = "in place" if met else "not in place"
    band = band_of(rubric, score) if assessed else status
    return CriterionResult(
        info.id,
        info.model,
        info.name,
        score,
        evidence,
        info.threshold,
        band,
        met,
        len(answered),
        sum(1 for c in contributions if c.status != "hidden"),
        contributions,
        evidence,
        assessed,
        status,
        certain,
    )


def _progress(results: list[CriterionResult]) -> float:
    # Only assessed criteria move progress: a partial average on thin evidence proves nothing.
    if not results:
        return 0.0
    return sum(min((r.score or 0.0) / r.threshold, 1.0) if r.assessed else 0.0 for r in results) / len(results)


def step_status(results: list[CriterionResult]) -> str:
    """A rung is not in place when an assessed criterion is not; in place when every criterion
    that applies is assessed and in place; otherwise not assessed."""
    relevant = [r for r in results if r.status not in ("not asked", "not applicable")]
    if any(r.status == "not in place" for r in relevant):
        return "not in place"
    if relevant and all(r.status == "in place" for r in relevant):
        return "in place"
    return "not assessed"


def _steps(groups: list[tuple[int, str, list[CriterionResult]]]) -> tuple[Step, ...]:
    steps = []
    for number, name, results in groups:
        status = step_status(results)
        steps.append(
            Step(
                number,
                name,
                tuple(r.id for r in results),
                status == "in place",
                False,
                status != "not assessed",
                _progress(results),
                status,
            )
        )
    level = gated_level(tuple(steps))
    # A rung counts when it is in place at or below the level the evidence supports.
    return tuple(replace(s, counted=s.in_place and s.number <= level) for s in steps)


def gated_level(steps: tuple[Step, ...]) -> int:
    """The highest rung in place with no rung below it assessed and not in place."""
    level = 0
    for step in steps:
        if step.status == "not in place":
            break
        if step.status == "in place":
            level = step.number
    return level


def confirmed_level(steps: tuple[Step, ...]) -> int:
    """The highest rung with every rung up to it assessed and in place: the level no unknown can take away."""
    level = 0
    for step in steps:
        if step.status != "in place":
            break
        level = step.number
    return level


def score_model(rubric: Rubric, criteria: dict[str, CriterionResult]) -> tuple[ModelResult, list[Finding]]:
    """A model's level or stage (gated), its steps, confidence and gating findings."""
    ids = [cid for cid, _, _ in rubric.criterion_ids()]
    results = [criteria[cid] for cid in ids]
    if rubric.kind == "ladder":
        groups = [(c.level, c.name, [criteria[f"{rubric.model}.{c.id}"]]) for c in rubric.criteria]
    elif rubric.kind in ("stages", "checklist"):
        groups = [
            (g.number or i + 1, g.name, [criteria[f"{rubric.model}.{g.id}.{c.id}"] for c in g.criteria])
            for i, g in enumerate(rubric.groups)
        ]
    else:
        groups = []
    steps = _steps(groups)
    covered = any(r.status != "not asked" for r in results)
    asked = [r for r in results if r.status != "not asked"]
    assessed = any(r.assessed for r in results)
    level = level_name = progress = confirmed = None
    provisional, not_assessed = False, ()
    findings: list[Finding] = []
    if rubric.kind in ("ladder", "stages"):
        # Not assessed when none of the model's questions was answered with an option: then there is no level at
        # all. Any answer is evidence (the level is then provisional over the rungs it leaves unknown); a rule that
        # needed a settled rung would let a higher answer, which settles less, take the level away.
        assessed = any(
            c.status in ("answered", "absent") for s in steps for cid in s.criteria for c in criteria[cid].contributions
        )
        level = gated_level(steps) if assessed else None
        if level is None:
            level_name = "Not assessed"
            not_assessed = tuple(s.number for s in steps)
        else:
            top = steps[-1].number
            progress = round(level + (steps[level].progress if level < top else 0.0), 4)
            floor_name = rubric.floor.name if rubric.floor else "Not started"
            level_name = steps[level - 1].name if level else floor_name
            not_assessed = tuple(s.number for s in steps if s.number <= level + 1 and s.status == "not assessed")
            confirmed = confirmed_level(steps)
        provisional = assessed and bool(not_assessed)
        make = ladder_findings if rubric.kind == "ladder" else stage_findings
        findings = make(rubric, steps, level or 0, criteria)
    result = ModelResult(
        rubric.model,
        rubric.kind,
        rubric.title,
        rubric.author,
        level,
        level_name,
        progress,
        steps,
        tuple(ids),
        confidence_of(asked),
        provisional,
        not_assessed,
        assessed,
        covered,
        confirmed,
    )
    return result, findings


def _rule_finding(rubric: Rubric, rule: FindingRule, reasons, facts: Facts) -> Finding:
    """A rubric finding; a critical one whose gap unknown answers could close becomes a warning."""
    severity, note = rule.severity, ""
    # What makes a gap critical must hold for certain: a don't know may never escalate a finding.
    if (
        severity == "critical"
        and rule.critical_if is not None
        and not (evaluate(rule.critical_if.when, facts)[0] and gap_is_certain(rule.critical_if.when, facts))
    ):
        severity, note = "warning", " " + rule.critical_if.otherwise
    if severity == "critical" and not gap_is_certain(rule.when, facts):
        severity = "warning"
        note = " This is a warning rather than critical: some questions behind it were answered don't know or left blank, and their answers could close the gap."
    return Finding(
        id=f"{rubric.model}.{rule.id}",
        code=f"{rubric.model}.{rule.id}",
        model=rubric.model,
        title=rule.title,
        explanation=rule.explanation + " (" + "; ".join(r.text for r in reasons) + ")" + note,
        severity=severity,
        summary=rule.summary,
        criteria=tuple(dict.fromkeys(r.criterion for r in reasons if r.criterion)),
        contributions=tuple(c for r in reasons for c in r.contributions),
    )


NOT_ASSESSED_FINDING = next(iter(ASSESSMENT_FINDINGS))


def not_assessed_findings(criteria: Mapping[str, CriterionResult]) -> list[Finding]:
    """One info finding naming every criterion asked about with too few answers to judge."""
    missing = [c for c in criteria.values() if c.status == "not assessed"]
    if not missing:
        return []
    n = len(missing)
    names = ", ".join(c.name for c in missing)
    counted = f"{n} {'criterion' if n == 1 else 'criteria'}"
    return [
        Finding(
            id=NOT_ASSESSED_FINDING,
            code=NOT_ASSESSED_FINDING,
            model="assessment",
            title=f"{counted} not assessed",
            explanation=f"{counted} not assessed: {names}. Fewer than half of "
            "their questions have an answer, so they are neither counted as in place nor as missing; "
            "complete them with the people who know.",
            severity="info",
            summary=(
                f"Fewer than half of {'its' if n == 1 else 'their'} questions have an answer, so "
                f"{'it counts' if n == 1 else 'they count'} neither as in place nor as missing."
            ),
            criteria=tuple(c.id for c in missing),
            contributions=tuple(x for c in missing for x in c.contributions if x.status in ("dont_know", "unanswered")),
        )
    ]


def score_assessment(
    bundle: ContentBundle, questionnaire_id: str, answers: Mapping[str, Answer] | Iterable[Answer]
) -> AssessmentResult:
    """Score answers to one questionnaire: every criterion, model and finding, explained."""
    plan = bundle.plan(questionnaire_id)
    if not isinstance(answers, Mapping):
        answers = {a.question_id: a for a in answers}
    visible = visible_questions(plan, answers)
    criteria = {
        cid: score_criterion(
            info, bundle.rubrics[info.model], plan.by_criterion.get(cid, ()), answers, visible, plan.questions
        )
        for cid, info in bundle.criteria.items()
    }
    models: dict[str, ModelResult] = {}
    findings: list[Finding] = []
    for name, rubric in bundle.rubrics.items():
        models[name], found = score_model(rubric, criteria)
        findings += found
    shown = {qid: a for qid, a in answers.items() if qid in visible}
    facts = Facts(
        {m: r.level for m, r in models.items() if r.level is not None},
        criteria,
        (),
        shown,
        models,
        plan.questions,
        floors_of(bundle.rubrics),
    )
    for rubric in bundle.rubrics.values():
        for rule in rubric.findings:
            holds, reasons = evaluate(rule.when, facts)
            if holds:
                findings.append(_rule_finding(rubric, rule, reasons, facts))
    findings += not_assessed_findings(criteria)
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.id))
    qn = plan.questionnaire
    return AssessmentResult(
        qn.id,
        qn.version,
        plan.content_hash,
        models,
        criteria,
        tuple(findings),
        dict(answers),
        confidence_of(criteria.values()),
        visible,
    )
