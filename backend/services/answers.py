"""Saving answers with optimistic concurrency and a full change history."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from backend.content.schema import DONT_KNOW, NOT_APPLICABLE, Question
from backend.services.context import Context, get_assessment
from backend.services.errors import Conflict, Invalid, NotFound
from backend.services.views import AnswerChangePublic, AnswerPublic, AnswerPut
from backend.storage import repository as repo
from backend.storage.tables import Answer, AnswerChange, Assessment


def allowed_values(question: Question) -> list[str]:
    """Every value a question accepts: its options, then don't know / not applicable where allowed."""
    values = [o.value for o in question.options]
    if question.allow_dont_know:
        values.append(DONT_KNOW)
    if question.allow_not_applicable:
        values.append(NOT_APPLICABLE)
    return values


def answer_public(row: Answer) -> AnswerPublic:
    """The public view of a stored answer."""
    return AnswerPublic.model_validate(row, from_attributes=True)


def ensure_draft(assessment: Assessment) -> None:
    """Submitted assessments are frozen history."""
    if assessment.status != "draft":
        raise Conflict(
            f"assessment {assessment.id} ({assessment.period}) is submitted and its answers are frozen; "
            "start the next period's assessment with this one as its baseline to change answers",
            field="status",
        )


def _validate(ctx: Context, assessment: Assessment, question_id: str, data: AnswerPut) -> Question:
    plan = ctx.plan(assessment)
    question = plan.questions.get(question_id)
    if question is None:
        raise NotFound(
            f"question '{question_id}' is not in questionnaire '{assessment.questionnaire_id}'",
            field="question_id", allowed=list(plan.questions),
        )
    allowed = allowed_values(question)
    if data.value not in allowed:
        raise Invalid(f"value '{data.value}' is not an answer to {question_id}; use one of: {', '.join(allowed)}", field="value", allowed=allowed)
    if data.value == NOT_APPLICABLE and not data.reason.strip():
        raise Invalid(f"say why {question_id} does not apply: 'not_applicable' needs a reason", field="reason")
    return question


def _conflict(ctx: Context, assessment_id: int, question_id: str, expected: int | None) -> Conflict:
    with ctx.db.read() as session:
        row = repo.answer_of(session, assessment_id, question_id)
    current = answer_public(row).model_dump(mode="json") if row else None
    return Conflict(
        f"answer to {question_id} was changed by someone else (you expected version {expected}, it is at "
        f"{row.version if row else 0}); reload it, then save again with expected_version set to the current version",
        field="expected_version", current=current,
    )


def save_answer(ctx: Context, assessment_id: int, question_id: str, data: AnswerPut) -> tuple[AnswerPublic, bool]:
    """Store an answer; returns it and whether it was created. 409 on a stale expected_version."""
    try:
        with ctx.db.write() as session:
            assessment = get_assessment(session, assessment_id)
            ensure_draft(assessment)
            _validate(ctx, assessment, question_id, data)
            row = repo.answer_of(session, assessment_id, question_id)
            current = row.version if row else 0
            if data.expected_version is not None and data.expected_version != current:
                raise _conflict(ctx, assessment_id, question_id, data.expected_version)
            values = {"value": data.value, "reason": data.reason, "note": data.note, "evidence": data.evidence, "answered_by": data.answered_by}
            if row is not None and all(getattr(row, k) == v for k, v in values.items() if k != "answered_by"):
                return answer_public(row), False  # a repeated save changes nothing
            if row is None:
                row = Answer(assessment_id=assessment_id, question_id=question_id, **values)
                session.add(row)
                session.flush()
            elif not repo.update_answer(session, row, current, values):
                raise _conflict(ctx, assessment_id, question_id, current)
            session.add(AnswerChange(
                assessment_id=assessment_id, question_id=question_id, old_value=None if current == 0 else row.value,
                new_value=data.value, old_note=None if current == 0 else row.note, new_note=data.note,
                changed_by=data.answered_by, version=current + 1,
            ))
            session.flush()
            saved = repo.answer_of(session, assessment_id, question_id) if current else row
            session.refresh(saved)
            return answer_public(saved), current == 0
    except IntegrityError:
        # Two first answers to the same question at once: the unique constraint let one in.
        raise _conflict(ctx, assessment_id, question_id, data.expected_version) from None


def list_answers(ctx: Context, assessment_id: int) -> list[AnswerPublic]:
    """Every answer stored for an assessment."""
    with ctx.db.read() as session:
        get_assessment(session, assessment_id)
        return [answer_public(r) for r in repo.answers_of(session, assessment_id)]


def answer_history(ctx: Context, assessment_id: int) -> list[AnswerChangePublic]:
    """Every change to an assessment's answers: who, when, old and new."""
    with ctx.db.read() as session:
        get_assessment(session, assessment_id)
        return [AnswerChangePublic.model_validate(r, from_attributes=True) for r in repo.history_of(session, assessment_id)]
