"""Progress over periods and the comparison of two assessments."""

from __future__ import annotations

from backend.content.roles import HEADLINE, STAGE
from backend.schemas.views import (
    AnswerDifference,
    AssessmentPublic,
    ComparePublic,
    PeriodPoint,
    ProgressPublic,
    ScoreChange,
)
from backend.scoring.movement import BETTER, WORSE, change, scored
from backend.services.assessments.assessments import assessment_public, result_of
from backend.services.kernel.context import Context, get_assessment, get_organisation
from backend.services.kernel.errors import NotFound
from backend.storage.queries.answers import answers_of
from backend.storage.queries.assessments import assessments_of, snapshot_scores
from backend.storage.queries.roadmaps import roadmap_rows
from backend.storage.tables import Assessment

# What an answer says beside its value, compared between two periods.
COMPARED = ("note", "reason", "evidence")


def _representative(rows: list[Assessment]) -> list[Assessment]:
    """One assessment per period: the latest submitted one, else the latest draft."""
    chosen: dict[str, Assessment] = {}
    for row in rows:  # ordered by period, then creation
        best = chosen.get(row.period)
        if best is None or row.status == "submitted" or best.status != "submitted":
            chosen[row.period] = row
    return [chosen[p] for p in sorted(chosen)]


def progress(ctx: Context, organisation_id: int) -> ProgressPublic:
    """Every period in order with level, progress, stage and criterion scores."""
    points = []
    with ctx.db.read() as session:
        get_organisation(session, organisation_id)
        rows = _representative(list(assessments_of(session, organisation_id)))
        # A submitted period's figures come from its snapshot's summaries, not its whole result.
        frozen = snapshot_scores(session, [r.id for r in rows if r.status == "submitted"])
        for row in rows:
            if row.id in frozen:
                models, scores = frozen[row.id]
                confidence, criteria = scores.get("confidence"), scores.get("criteria", {})
            elif row.status == "draft" and row.questionnaire_id in ctx.content.plans:
                view, _ = result_of(ctx, session, row)
                models = [
                    m.model_dump(include={"model", "kind", "level", "progress", "provisional"}) for m in view.models
                ]
                confidence, criteria = view.confidence.label, {c.id: c.score for c in view.criteria}
            else:
                continue
            points.append(_point(row, models, confidence, criteria))
    return ProgressPublic(organisation_id=organisation_id, periods=points)


def _point(row: Assessment, models: list[dict], confidence: str | None, criteria: dict) -> PeriodPoint:
    sf, solis = (next((m for m in models if m.get("kind") == kind), None) for kind in (HEADLINE, STAGE))
    return PeriodPoint(
        period=row.period,
        assessment_id=row.id,
        questionnaire_id=row.questionnaire_id,
        status=row.status,
        level=sf and sf.get("level"),
        progress=sf and sf.get("progress"),
        stage=solis and solis.get("level"),
        stage_progress=solis and solis.get("progress"),
        confidence=confidence,
        criteria=criteria,
        provisional=bool(sf and sf.get("provisional")),
        stage_provisional=bool(solis and solis.get("provisional")),
    )


def known_at(points: list[PeriodPoint], assessment: AssessmentPublic) -> list[PeriodPoint]:
    """The trend as it stood for an assessment's report: the periods before its own and its own point, never a later
    one; a submitted report keeps only submitted periods, so a draft still changing can never change a frozen report."""
    return [
        p
        for p in points
        if p.assessment_id == assessment.id
        or (p.period < assessment.period and (assessment.status != "submitted" or p.status == "submitted"))
    ]


def default_pair(points: list[PeriodPoint]) -> tuple[int | None, int | None]:
    """The two periods compared unless others are picked: the last two submitted periods of the trend (where a
    period's latest submitted assessment stands for it), so a newer draft never becomes the default; (None, None)
    when fewer than two periods are submitted."""
    latest = [p.assessment_id for p in points if p.status == "submitted"]
    return (latest[-2], latest[-1]) if len(latest) >= 2 else (None, None)


def latest_pair(points: list[PeriodPoint], periods: list[AssessmentPublic]) -> tuple[int | None, int | None]:
    """The latest two periods whatever their status (the trend's, else all the assessments'): what can be compared
    when fewer than two periods are submitted."""
    latest = [p.assessment_id for p in points] if len(points) >= 2 else [a.id for a in periods]
    return (latest[-2], latest[-1]) if len(latest) >= 2 else (None, None)


def pair_offered(points: list[PeriodPoint], periods: list[AssessmentPublic]) -> tuple[int | None, int | None]:
    """The two periods a compare form starts from: the last two submitted, else the latest two whatever their status."""
    default = default_pair(points)
    return latest_pair(points, periods) if default[0] is None else default


def compare(ctx: Context, assessment_id: int, other_id: int) -> ComparePublic:
    """What improved, regressed, was resolved or is new, steps done and answers changed (older first)."""
    with ctx.db.read() as session:
        first, second = get_assessment(session, assessment_id), session.get(Assessment, other_id)
        if second is None or first.organisation_id != second.organisation_id:
            # Another organisation's assessment does not exist for this one: the same answer as an id
            # that exists nowhere, so nobody learns which ids exist elsewhere.
            raise NotFound(
                f"assessment {other_id} not found in this organisation; compare two periods of the same one",
                field="other_id",
            )
        before, after = sorted((first, second), key=lambda a: (a.period, a.created_at, a.id))
        (old, _), (new, _) = result_of(ctx, session, before), result_of(ctx, session, after)
        # A score on too little evidence is no figure: it neither rises nor falls (the same rule as the charts).
        old_scores = {c.id: scored(c.assessed, c.score) for c in old.criteria}
        changes = []
        for c in new.criteria:
            prior, now = old_scores.get(c.id), scored(c.assessed, c.score)
            if change(prior, now) in (BETTER, WORSE):
                changes.append(ScoreChange(id=c.id, name=c.name, before=prior, after=now, delta=round(now - prior, 4)))
        old_findings, new_findings = {f.id: f for f in old.findings}, {f.id: f for f in new.findings}
        done = []
        for row in list(roadmap_rows(session, before.id)) + list(roadmap_rows(session, after.id)):
            if row.status == "done" and row.recommendation_id not in done:
                done.append(row.recommendation_id)
        return ComparePublic(
            before=assessment_public(ctx, session, before),
            after=assessment_public(ctx, session, after),
            # A level or stage not assessed in either period is a row of its own ("Not assessed"), never left out.
            levels={
                m.model: [m.level, n.level]
                for m in old.models
                for n in new.models
                if m.model == n.model and m.kind in (HEADLINE, STAGE) and (m.covered or n.covered)
            },
            improved=sorted((c for c in changes if c.delta > 0), key=lambda c: -c.delta),
            regressed=sorted((c for c in changes if c.delta < 0), key=lambda c: c.delta),
            findings_resolved=[f for i, f in old_findings.items() if i not in new_findings],
            findings_new=[f for i, f in new_findings.items() if i not in old_findings],
            roadmap_done=done,
            answers_changed=_answer_changes(ctx, session, before, after),
        )


def _said(row) -> dict[str, str]:
    # Whose answer it was is not what it says: a new period answered by someone else is no change.
    return {name: getattr(row, name) if row else "" for name in COMPARED}


def _answer_changes(ctx: Context, session, before: Assessment, after: Assessment) -> list[AnswerDifference]:
    old = {a.question_id: a for a in answers_of(session, before.id)}
    new = {a.question_id: a for a in answers_of(session, after.id)}
    plan = ctx.content.plans.get(after.questionnaire_id) or ctx.content.plans.get(before.questionnaire_id)
    texts = {q.id: q.text for q in plan.questionnaire.questions} if plan else {}
    order = {qid: i for i, qid in enumerate(texts)}
    # Different questionnaires ask different questions: compare only what both asked.
    asked = set(old) | set(new) if before.questionnaire_id == after.questionnaire_id else set(old) & set(new)
    changed = []
    for qid in sorted(asked, key=lambda q: (order.get(q, len(order)), q)):
        a, b = old.get(qid), new.get(qid)
        old_said, new_said = _said(a), _said(b)
        if (a.value if a else None, old_said) != (b.value if b else None, new_said):
            changed.append(
                AnswerDifference(
                    question_id=qid,
                    text=texts.get(qid, qid),
                    before=a.value if a else None,
                    after=b.value if b else None,
                    **{f"{name}_before": old_said[name] for name in COMPARED},
                    **{f"{name}_after": new_said[name] for name in COMPARED},
                )
            )
    return changed
