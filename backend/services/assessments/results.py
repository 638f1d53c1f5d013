"""Score stored answers and turn results and roadmaps into their public views."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cached_property
from threading import Lock
from typing import NamedTuple

from cachetools import LRUCache, cached

from backend.content.bundle import ContentBundle
from backend.content.schema import Recommendation
from backend.schemas.views import ContributionView, CriterionView, FindingView, ModelView, Rescore, ResultView
from backend.scoring.engine import score_assessment
from backend.scoring.export import jsonable
from backend.scoring.models import Answer, AssessmentResult, Contribution
from backend.scoring.roadmap import (
    UNASSESSED,
    UNASSESSED_CREDIT,
    UNASSESSED_MODEL,
    Roadmap,
    plan_roadmap,
    unassessed_recommendation,
)
from backend.scoring.workshop import with_agreement
from backend.storage import tables
from backend.storage.db import Session
from backend.storage.queries.answers import AnswerFacts, answer_facts
from backend.storage.queries.assessments import snapshot_of
from backend.storage.queries.workshops import agreement_spreads


def score_rows(
    content: ContentBundle, questionnaire_id: str, rows: Iterable[tables.Answer | AnswerFacts]
) -> AssessmentResult:
    """Score stored answer rows against the current content."""
    answers = [Answer(r.question_id, r.value, note=r.note, evidence=r.evidence, reason=r.reason) for r in rows]
    return score_assessment(content, questionnaire_id, answers)


class Scored:
    """One set of answers scored against one content: the result, its public view and its plans, each worked
    out once. Shared between requests: read it, never change it."""

    def __init__(self, content: ContentBundle, result: AssessmentResult) -> None:
        self.content, self.result = content, result
        self._plans: dict[bool, dict] = {}

    @cached_property
    def view(self) -> ResultView:
        return result_view(self.result)

    def plan(self, small: bool) -> dict:
        """The roadmap's steps for an organisation of under ~50 people (small) or not."""
        if small not in self._plans:
            self._plans[small] = live_plan(self.content, self.result, small)
        return self._plans[small]


class Frozen(NamedTuple):
    """What a submitted assessment froze: its result, its roadmap's steps and the content hash it was scored with."""

    view: ResultView
    steps: dict
    content_hash: str


# A snapshot never changes once written: the last few, validated, are kept per process (history and compare
# read every quarter's). Keyed by the assessment and the moment it was submitted, which no other row shares.
@cached(
    LRUCache(maxsize=64), key=lambda session, assessment_id, submitted_at: (assessment_id, submitted_at), lock=Lock()
)
def frozen(session: Session, assessment_id: int, submitted_at: datetime | None) -> Frozen:
    """A submitted assessment's frozen result and roadmap."""
    snapshot = snapshot_of(session, assessment_id)
    return Frozen(ResultView.model_validate(snapshot.result), snapshot.roadmap, snapshot.content_hash)


def scored(content: ContentBundle, session: Session, assessment_id: int, questionnaire_id: str) -> Scored:
    """Score an assessment's stored answers; where a workshop agreed them, confidence is times the group's agreement."""
    # An agreed answer papers over how far apart the group was: a split group makes the result less sure.
    spreads = agreement_spreads(session, assessment_id)
    return _scored(
        content, questionnaire_id, tuple(answer_facts(session, assessment_id)), tuple(sorted(spreads.items()))
    )


# A result is read many times between changes to its answers (a page, its charts, the roadmap, the PDF): the last
# few scorings are kept (~0.3 MB each for the full diagnostic), keyed by everything scoring reads, so a changed
# answer, a new agreement or new content is a new entry and nothing has to be cleared.
@cached(LRUCache(maxsize=64), key=lambda content, *facts: (content.content_hash, *facts), lock=Lock())
def _scored(
    content: ContentBundle,
    questionnaire_id: str,
    answers: tuple[AnswerFacts, ...],
    spreads: tuple[tuple[str, float], ...],
) -> Scored:
    return Scored(content, with_agreement(score_rows(content, questionnaire_id, answers), dict(spreads)))


_CONTRIBUTION = tuple(ContributionView.model_fields)


def _contributions(items: Sequence[Contribution]) -> list[ContributionView]:
    # Every field is a plain value: read straight off the dataclass (a generic walk was half a cold read's time).
    return [ContributionView.model_construct(**{name: getattr(c, name) for name in _CONTRIBUTION}) for c in items]


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
            id=c.id,
            model=c.model,
            name=c.name,
            score=c.score,
            coverage=c.coverage,
            threshold=c.threshold,
            band=c.band,
            met=c.met,
            answered=c.answered,
            asked=c.asked,
            answers=_contributions(c.contributions),
            evidence=c.evidence,
            assessed=c.assessed,
            status=c.status,
        )
        for c in result.criteria.values()
    ]
    findings = [
        FindingView(
            id=f.id,
            code=f.code,
            model=f.model,
            title=f.title,
            explanation=f.explanation,
            summary=f.summary,
            severity=f.severity,
            criteria=list(f.criteria),
            answers=_contributions(f.contributions),
        )
        for f in result.findings
    ]
    return ResultView(
        questionnaire_id=result.questionnaire_id,
        questionnaire_version=result.questionnaire_version,
        content_hash=result.content_hash,
        models=models,
        criteria=criteria,
        findings=findings,
        confidence=jsonable(result.confidence),
    )


def _step_text(rec: Recommendation, small: bool) -> dict:
    """The words of a step in the variant used, with Kolsky's caution when it opens a channel."""
    variant = rec.small if small and rec.small is not None else None
    caution = rec.opens_channel.model_dump() if rec.opens_channel else None
    return {
        "title": rec.title,
        "summary": rec.summary,
        "what": (variant or rec).what,
        "why": rec.why,
        "effort": (variant or rec).effort,
        "impact": rec.impact,
        "owner_role": (variant or rec).owner,
        "success_measure": rec.success_measure,
        "tasks": [t.model_dump() for t in (variant or rec).tasks],
        "variant": "small" if variant else "standard",
        "opens_channel": caution,
    }


def planned_steps(content: ContentBundle, roadmap: Roadmap) -> dict:
    """The roadmap's text and reasons as they stand now (frozen into the snapshot on submit)."""
    items = []
    for item in roadmap.items:
        items.append(
            {
                "recommendation_id": item.id,
                "model": item.model,
                "credit": item.credit,
                "credits": list(item.credits),
                "models": list(item.models),
                "merged": list(item.merged),
                "horizon": item.horizon,
                "position": item.position,
                **_step_text(item.recommendation, item.small),
                "prerequisites": list(item.prerequisites),
                "reasons": [
                    {
                        "kind": r.kind,
                        "text": r.text,
                        "criterion": r.criterion,
                        "finding": r.finding,
                        "question": r.question,
                    }
                    for r in item.reasons
                ],
            }
        )
    return {"items": items, "deferred": list(roadmap.deferred)}


def step_from_content(content: ContentBundle, recommendation_id: str, small: bool = False) -> dict | None:
    """The text of a recommendation that is not (or no longer) triggered."""
    if recommendation_id == UNASSESSED:
        model, rec, credit = (
            UNASSESSED_MODEL,
            unassessed_recommendation("the sections left unanswered"),
            UNASSESSED_CREDIT,
        )
    elif recommendation_id in content.recommendations:
        model, rec = content.recommendations[recommendation_id]
        credit = content.rubrics[model].author
    else:
        return None
    return {
        "recommendation_id": rec.id,
        "model": model,
        "credit": credit,
        "credits": [credit],
        "models": [model],
        "merged": [],
        "horizon": "",
        "position": 0,
        **_step_text(rec, small),
        "prerequisites": list(rec.prerequisites),
        "reasons": [],
    }


def live_plan(content: ContentBundle, result: AssessmentResult, small: bool = False) -> dict:
    """Plan the roadmap for a live result (small: the organisation has under ~50 people) and return its static parts."""
    return planned_steps(content, plan_roadmap(content, result, small))


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
        levels={
            m: [before_levels.get(m), after_levels.get(m)]
            for m in sorted(set(before_levels) | set(after_levels))
            if before_levels.get(m) != after_levels.get(m)
        },
        criteria={
            c: [before_scores.get(c), after_scores.get(c)]
            for c in sorted(set(before_scores) | set(after_scores))
            if before_scores.get(c) != after_scores.get(c)
        },
        findings_added=sorted(after_findings - before_findings),
        findings_removed=sorted(before_findings - after_findings),
    )
