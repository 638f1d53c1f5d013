"""Assessments: create, read, list, delete, submit and acknowledge changed content, and the result of each
(organisations themselves live in services/organisations/organisations.py)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from backend.content.changes import started_questions
from backend.schemas.views import (
    AssessmentCreate,
    AssessmentPublic,
    AssessmentResultPublic,
    ContentAcknowledge,
    ResultView,
)
from backend.services.assessments.answers import answered_count
from backend.services.assessments.content_changes import content_change_of
from backend.services.assessments.results import frozen, rescore, scored
from backend.services.assessments.roadmaps import carry_roadmap, ensure_items, freeze_roadmap
from backend.services.kernel.audit import record
from backend.services.kernel.context import Context, get_assessment, get_organisation
from backend.services.kernel.errors import Conflict, Invalid, NotFound
from backend.services.organisations.sizes import assessed_organisation_is_small
from backend.storage.db import IntegrityError, Session
from backend.storage.queries.answers import ANSWER_FIELDS, answer_counts, answer_values, answers_of, change_row
from backend.storage.queries.assessments import add_snapshot, assessment_for, assessments_of, previous_assessment
from backend.storage.tables import Answer, AnswerChange, Assessment, utcnow


def assessment_public(
    ctx: Context, session: Session, row: Assessment, values: Mapping[str, str] | None = None
) -> AssessmentPublic:
    """The public view of an assessment, with how much of it is answered and what content changed under a draft."""
    if values is None:
        values = answer_values(session, [row.id]).get(row.id, {})
    answered, asked = answered_count(ctx.content.plans.get(row.questionnaire_id), values)
    data = row.model_dump(exclude={"started_questions"})
    return AssessmentPublic(
        **data, answered=answered, questions=asked, content_change=content_change_of(ctx, session, row)
    )


def create_assessment(
    ctx: Context, organisation_id: int, data: AssessmentCreate, created_by: str = ""
) -> AssessmentPublic:
    """Start an assessment for a period, optionally from a baseline; open roadmap steps carry over.

    History and the audit log name the signed-in user; created_by names the app's own callers (demo data).
    """
    by = ctx.who or created_by
    plan = ctx.content.plans.get(data.questionnaire_id)
    if plan is None:
        known = sorted(ctx.content.plans)
        raise Invalid(
            f"questionnaire '{data.questionnaire_id}' does not exist; use one of: {', '.join(known)}",
            field="questionnaire_id",
            allowed=known,
        )
    with _one_per_period(ctx, organisation_id, plan.questionnaire.id, data.period), ctx.db.write() as session:
        organisation = get_organisation(session, organisation_id)
        if organisation.archived_at is not None:
            raise Conflict(
                f"{organisation.name} is archived; restore it on its page before starting an assessment",
                field="organisation_id",
            )
        existing = assessment_for(session, organisation_id, plan.questionnaire.id, data.period)
        if existing is not None:
            raise _already_assessed(ctx, existing)
        baseline = None
        if data.baseline_assessment_id is not None:
            baseline = session.get(Assessment, data.baseline_assessment_id)
            if baseline is None or baseline.organisation_id != organisation_id:
                raise NotFound(
                    f"baseline assessment {data.baseline_assessment_id} not found in organisation {organisation_id}",
                    field="baseline_assessment_id",
                )
        row = Assessment(
            organisation_id=organisation_id,
            period=data.period,
            questionnaire_id=plan.questionnaire.id,
            questionnaire_version=plan.questionnaire.version,
            content_hash=plan.content_hash,
            kind=data.kind,
            baseline_assessment_id=data.baseline_assessment_id,
            started_questions=started_questions(plan),
        )
        session.add(row)
        session.flush()
        copied = _copy_answers(session, baseline, row, set(plan.questions), by) if baseline else 0
        record(
            session,
            organisation_id,
            by,
            "assessment.create",
            "assessment",
            row.id,
            None,
            {
                "period": row.period,
                "questionnaire_id": row.questionnaire_id,
                "questionnaire_version": row.questionnaire_version,
                "kind": row.kind,
                "baseline_assessment_id": row.baseline_assessment_id,
                "answers_copied": copied,
            },
        )
        previous = baseline or previous_assessment(session, organisation_id, data.period)
        if previous is not None and previous.id != row.id:
            carry_roadmap(ctx, session, previous, row)
        ensure_items(ctx, session, [row.id])
        return assessment_public(ctx, session, row)


def _already_assessed(ctx: Context, existing: Assessment) -> Conflict:
    # A second assessment of the same period would compete with the first in the trend.
    plan = ctx.content.plans.get(existing.questionnaire_id)
    title = plan.questionnaire.title if plan else existing.questionnaire_id
    return Conflict(
        f"this organisation already has a {title} assessment for {existing.period} (assessment {existing.id}, {existing.status}); "
        f"open it at /assessments/{existing.id}/answer, or choose another period",
        field="period",
        assessment_id=existing.id,
        period=existing.period,
        questionnaire_id=existing.questionnaire_id,
        status=existing.status,
        url=f"/assessments/{existing.id}/answer",
    )


@contextmanager
def _one_per_period(ctx: Context, organisation_id: int, questionnaire_id: str, period: str) -> Iterator[None]:
    """Turn the unique constraint's refusal, when two requests race past the check, into the same 409."""
    try:
        yield
    except IntegrityError:
        with ctx.db.read() as session:
            existing = assessment_for(session, organisation_id, questionnaire_id, period)
        if existing is None:
            raise  # another constraint: not ours to explain
        raise _already_assessed(ctx, existing) from None


def delete_assessment(ctx: Context, assessment_id: int) -> None:
    """Delete a draft with its answers, history, roadmap and workshop; a submitted assessment is history and stays."""
    with ctx.db.write() as session:
        assessment = get_assessment(session, assessment_id)
        if assessment.status == "submitted":
            raise Conflict(
                f"assessment {assessment_id} ({assessment.period}) is submitted and part of the organisation's history; "
                "only drafts can be deleted",
                field="status",
                status=assessment.status,
            )
        answered = answer_counts(session, [assessment_id]).get(assessment_id, 0)
        before = {
            "period": assessment.period,
            "questionnaire_id": assessment.questionnaire_id,
            "kind": assessment.kind,
            "answered": answered,
        }
        organisation_id = assessment.organisation_id
        session.delete(assessment)  # the database deletes what belongs to it (ON DELETE CASCADE)
        session.flush()
        record(session, organisation_id, ctx.who, "assessment.delete", "assessment", assessment_id, before, None)


def _copy_answers(session: Session, baseline: Assessment, target: Assessment, questions: set[str], by: str) -> int:
    copied = 0
    for old in answers_of(session, baseline.id):
        if old.question_id not in questions:
            continue  # the new questionnaire does not ask it
        # The copy keeps whose answer it was; the history names who started the assessment from it.
        fields = {name: getattr(old, name) for name in ANSWER_FIELDS}
        session.add(Answer(assessment_id=target.id, question_id=old.question_id, copied_from=baseline.period, **fields))
        session.add(
            AnswerChange(
                **change_row(
                    None,
                    fields,
                    assessment_id=target.id,
                    question_id=old.question_id,
                    changed_by=by or f"baseline {baseline.period}",
                    version=1,
                )
            )
        )
        copied += 1
    return copied


def read_assessment(ctx: Context, assessment_id: int) -> AssessmentPublic:
    """One assessment."""
    with ctx.db.read() as session:
        return assessment_public(ctx, session, get_assessment(session, assessment_id))


def list_assessments(ctx: Context, organisation_id: int) -> list[AssessmentPublic]:
    """An organisation's assessments, oldest period first."""
    with ctx.db.read() as session:
        get_organisation(session, organisation_id)
        rows = assessments_of(session, organisation_id)
        values = answer_values(session, [r.id for r in rows])
        return [assessment_public(ctx, session, r, values.get(r.id, {})) for r in rows]


def result_of(ctx: Context, session: Session, assessment: Assessment) -> tuple[ResultView, ResultView | None]:
    """The assessment's result: the frozen snapshot once submitted, else scored live.

    The second value is today's scoring of a submitted assessment when content has changed since.
    """
    if assessment.status == "submitted":
        snapshot = frozen(session, assessment.id, assessment.submitted_at)
        plan = ctx.content.plans.get(assessment.questionnaire_id)
        if plan is None or plan.content_hash == snapshot.content_hash:
            return snapshot.view, None
        return snapshot.view, scored(ctx.content, session, assessment.id, assessment.questionnaire_id).view
    plan = ctx.plan(assessment)
    return scored(ctx.content, session, assessment.id, plan.questionnaire.id).view, None


def assessment_result(ctx: Context, assessment_id: int) -> AssessmentResultPublic:
    """Per model the level or stage, progress, criteria with their answers, findings, confidence."""
    with ctx.db.read() as session:
        assessment = get_assessment(session, assessment_id)
        view, today = result_of(ctx, session, assessment)
        frozen = assessment.status == "submitted"
        plan = ctx.content.plans.get(assessment.questionnaire_id)
        # A frozen result differs from today's content when its snapshot does; a draft is scored with today's
        # content, so it differs when the content it was started with does.
        changed = plan is not None and (view.content_hash if frozen else assessment.content_hash) != plan.content_hash
        return AssessmentResultPublic(
            assessment_id=assessment.id,
            status=assessment.status,
            frozen=frozen,
            result=view,
            content_changed=changed,
            rescore=rescore(view, today) if today else None,
        )


def submit_assessment(ctx: Context, assessment_id: int) -> AssessmentPublic:
    """Freeze the result and roadmap as a snapshot; answers can no longer change."""
    with ctx.db.write() as session:
        assessment = get_assessment(session, assessment_id)
        if assessment.status == "submitted":
            raise Conflict(
                f"assessment {assessment_id} was already submitted on {assessment.submitted_at:%Y-%m-%d}",
                field="status",
            )
        plan = ctx.plan(assessment)
        change = content_change_of(ctx, session, assessment)
        if change is not None:
            raise Conflict(
                f"{change.message}. Review the questions on the questionnaire page and confirm you have seen the change "
                f"(POST /api/v1/assessments/{assessment_id}/acknowledge-content) before submitting, so the result is signed "
                "against the content it is scored with",
                field="content_change",
                content_change=change.model_dump(mode="json"),
            )
        answers = answers_of(session, assessment_id)
        if not answers:
            raise Invalid(
                f"assessment {assessment_id} has no answers yet; answer at least one question before submitting",
                field="answers",
            )
        live = scored(ctx.content, session, assessment.id, plan.questionnaire.id)
        result = live.result
        steps = live.plan(assessed_organisation_is_small(session, assessment))
        freeze_roadmap(session, assessment, steps)
        add_snapshot(session, assessment_id, plan.content_hash, live.view.model_dump(mode="json"), steps)
        assessment.status = "submitted"
        assessment.submitted_at = utcnow()
        assessment.content_hash = plan.content_hash
        assessment.questionnaire_version = plan.questionnaire.version
        session.add(assessment)
        session.flush()
        record(
            session,
            assessment.organisation_id,
            ctx.who,
            "assessment.submit",
            "assessment",
            assessment_id,
            {"status": "draft"},
            {
                "status": "submitted",
                "period": assessment.period,
                "questionnaire_id": assessment.questionnaire_id,
                "questionnaire_version": assessment.questionnaire_version,
                "answers": len(answers),
                # Flat, so the audit page shows each as a line of its own.
                # A ladder or stages model left unassessed is recorded as such (None), never silently dropped.
                **{f"level_{name}": m.level for name, m in result.models.items() if m.kind in ("ladder", "stages")},
                **{f"provisional_{name}": True for name, m in result.models.items() if m.provisional},
            },
        )
        return assessment_public(ctx, session, assessment, {a.question_id: a.value for a in answers})


def acknowledge_content(ctx: Context, assessment_id: int, data: ContentAcknowledge) -> AssessmentPublic:
    """Move a draft to today's questionnaire once someone has seen what changed; the audit log keeps who and what."""
    with ctx.db.write() as session:
        assessment = get_assessment(session, assessment_id)
        if assessment.status != "draft":
            raise Conflict(
                f"assessment {assessment_id} is submitted: it keeps the content it was scored with", field="status"
            )
        plan = ctx.plan(assessment)
        change = content_change_of(ctx, session, assessment)
        if change is None:
            return assessment_public(
                ctx, session, assessment
            )  # nothing changed (or already acknowledged): nothing to record
        if data.content_hash is not None and data.content_hash != plan.content_hash:
            raise Conflict(
                "the content changed again since you reviewed it; reload the page, review the change it shows now, then confirm",
                field="content_hash",
                content_change=change.model_dump(mode="json"),
            )
        before = {"questionnaire_version": assessment.questionnaire_version, "content_hash": assessment.content_hash}
        assessment.questionnaire_version = plan.questionnaire.version
        assessment.content_hash = plan.content_hash
        assessment.started_questions = started_questions(plan)
        assessment.content_acknowledged_at = utcnow()
        assessment.content_acknowledged_by = ctx.who
        session.add(assessment)
        session.flush()
        record(
            session,
            assessment.organisation_id,
            ctx.who,
            "assessment.content_acknowledge",
            "assessment",
            assessment_id,
            before,
            {
                "questionnaire_version": plan.questionnaire.version,
                "content_hash": plan.content_hash,
                "change": change.message,
                "new": ", ".join(r.text for r in change.new),
                "changed": ", ".join(r.text for r in change.changed),
                "removed": ", ".join(r.text for r in change.removed),
            },
        )
        return assessment_public(ctx, session, assessment)
