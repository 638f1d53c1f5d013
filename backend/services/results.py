"""Score stored answers and turn results and roadmaps into their public views."""

from __future__ import annotations

from typing import Iterable, Sequence

from backend.content.bundle import ContentBundle
from backend.scoring.engine import score_assessment
from backend.scoring.export import jsonable
from backend.scoring.models import Answer, AssessmentResult, Contribution
from backend.scoring.roadmap import Roadmap, plan_roadmap
from backend.services.views import ContributionView, CriterionView, FindingView, ModelView, Rescore, ResultView
from backend.storage import tables


def score_rows(content: ContentBundle, questionnaire_id: str, rows: Iterable[tables.Answer]) -> AssessmentResult:
    """Score stored answer rows against the current content."""
    answers = [Answer(r.question_id, r.value, note=r.note, evidence=r.evidence, reason=r.reason) for r in rows]
    return score_assessment(content, questionnaire_id, answers)


def _contributions(items: Sequence[Contribution]) -> list[ContributionView]:
    return [ContributionView.model_construct(**jsonable(c)) for c in items]


def result_view(result: AssessmentResult) -> ResultView:
    """The public view of a scored result."""
    models = []
    for m in result.models.values():
        data = jsonable(m)
        names = {s.number: s.name for s in m.steps}
        data["not_assessed"] = [names[n] for n in m.not_assessed]
        models.append(ModelView.model_validate(data))
    criteria = [
        CriterionView(
            id=c.id, model=c.model, name=c.name, score=c.score, coverage=c.coverage, threshold=c.threshold,
            band=c.band, met=c.met, answered=c.answered, asked=c.asked, answers=_contributions(c.contributions),
            evidence=c.evidence, assessed=c.assessed, status=c.status,
        )
        for c in result.criteria.values()
    ]
    findings = [
        FindingView(
            id=f.id, code=f.code, model=f.model, title=f.title, explanation=f.explanation, severity=f.severity,
            criteria=list(f.criteria), answers=_contributions(f.contributions),
        )
        for f in result.findings
    ]
    return ResultView(
        questionnaire_id=result.questionnaire_id, questionnaire_version=result.questionnaire_version,
        content_hash=result.content_hash, models=models, criteria=criteria, findings=findings,
        confidence=jsonable(result.confidence),
    )


def planned_steps(content: ContentBundle, roadmap: Roadmap) -> dict:
    """The roadmap's text and reasons as they stand now (frozen into the snapshot on submit)."""
    items = []
    for item in roadmap.items:
        rec = item.recommendation
        items.append({
            "recommendation_id": item.id, "model": item.model, "credit": item.credit,
            "horizon": item.horizon, "position": item.position, "title": rec.title, "what": rec.what,
            "why": rec.why, "effort": rec.effort, "impact": rec.impact, "owner_role": rec.owner,
            "success_measure": rec.success_measure, "prerequisites": list(item.prerequisites),
            "tasks": [t.model_dump() for t in rec.tasks],
            "reasons": [{"kind": r.kind, "text": r.text, "criterion": r.criterion, "finding": r.finding, "question": r.question} for r in item.reasons],
        })
    return {"items": items, "deferred": list(roadmap.deferred)}


def step_from_content(content: ContentBundle, recommendation_id: str) -> dict | None:
    """The text of a recommendation that is not (or no longer) triggered."""
    found = content.recommendations.get(recommendation_id)
    if found is None:
        return None
    model, rec = found
    return {
        "recommendation_id": rec.id, "model": model, "credit": content.rubrics[model].author,
        "horizon": "", "position": 0, "title": rec.title, "what": rec.what, "why": rec.why,
        "effort": rec.effort, "impact": rec.impact, "owner_role": rec.owner, "success_measure": rec.success_measure,
        "prerequisites": list(rec.prerequisites), "tasks": [t.model_dump() for t in rec.tasks], "reasons": [],
    }


def live_plan(content: ContentBundle, result: AssessmentResult) -> dict:
    """Plan the roadmap for a live result and return its static parts."""
    return planned_steps(content, plan_roadmap(content, result))


def rescore(stored: ResultView, live: ResultView) -> Rescore:
    """What changes when the same answers are scored with today's content."""
    before_levels = {m.model: m.level for m in stored.models}
    after_levels = {m.model: m.level for m in live.models}
    before_scores = {c.id: c.score for c in stored.criteria}
    after_scores = {c.id: c.score for c in live.criteria}
    before_findings = {f.id for f in stored.findings}
    after_findings = {f.id for f in live.findings}
    return Rescore(
        content_hash=live.content_hash,
        levels={m: [before_levels.get(m), after_levels.get(m)] for m in sorted(set(before_levels) | set(after_levels)) if before_levels.get(m) != after_levels.get(m)},
        criteria={c: [before_scores.get(c), after_scores.get(c)] for c in sorted(set(before_scores) | set(after_scores)) if before_scores.get(c) != after_scores.get(c)},
        findings_added=sorted(after_findings - before_findings),
        findings_removed=sorted(before_findings - after_findings),
    )
