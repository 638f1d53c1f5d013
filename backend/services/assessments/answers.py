"""Saving answers with optimistic concurrency and a full change history."""

from __future__ import annotations

from collections.abc import Mapping
from threading import Lock

from cachetools import LRUCache, cached

from backend.content.bundle import QuestionnairePlan
from backend.content.schema import NOT_APPLICABLE, Question
from backend.schemas.views import AnswerChangePublic, AnswerPublic, AnswerPut
from backend.scoring.engine import visible_questions
from backend.scoring.models import Answer as ScoredAnswer
from backend.services.kernel.audit import record
from backend.services.kernel.context import Context, get_assessment
from backend.services.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from backend.storage.db import Connection, IntegrityError, Session
from backend.storage.queries.answers import (
    ANSWER_FIELDS,
    answer_of,
    answers_of,
    change_row,
    history_of,
    locked_answer,
    versions_of,
    write_answer,
)
from backend.storage.queries.assessments import assessment_state
from backend.storage.tables import Answer, utcnow


def to_answer(plan: QuestionnairePlan, values: Mapping[str, str]) -> frozenset[str]:
    """The questions an assessment asks, given its answers: those whose show_if holds (as the scoring decides)."""
    return visible_questions(plan, {qid: ScoredAnswer(qid, value) for qid, value in values.items()})


def is_answered(question: Question, value: str | None) -> bool:
    """An answer counts when it is one the question accepts today: an option, or don't know / not applicable where allowed."""
    return value is not None and value in question.accepted


# The portfolio counts every client's draft on each view; the counts of the last thousand sets of answers are kept.
@cached(
    LRUCache(maxsize=1024),
    key=lambda plan, values: (plan and plan.content_hash, plan and plan.questionnaire.id, frozenset(values.items())),
    lock=Lock(),
)
def answered_count(plan: QuestionnairePlan | None, values: Mapping[str, str]) -> tuple[int, int]:
    """(answered, asked): the one rule pages, API, PDF and CLI count by.

    Asked are the questions whose show_if holds; answered are those of them with an answer they accept. An answer
    to a question now hidden, or one no longer among its options, does not count. Without the questionnaire (content
    no longer has it) nothing is known to be asked: (0, 0).
    """
    if plan is None:
        return 0, 0
    asked = to_answer(plan, values)
    return sum(1 for qid in asked if is_answered(plan.questions[qid], values.get(qid))), len(asked)


def answer_public(row: Answer) -> AnswerPublic:
    """The public view of a stored answer."""
    return AnswerPublic.model_construct(**{name: getattr(row, name) for name in AnswerPublic.model_fields})


def ensure_draft(state: Mapping) -> None:
    """Submitted assessments are frozen history."""
    if state["status"] != "draft":
        raise Conflict(
            f"assessment {state['id']} ({state['period']}) is submitted and its answers are frozen; "
            "start the next period's assessment with this one as its baseline to change answers",
            field="status",
        )


def validate_answer(ctx: Context, questionnaire_id: str, question_id: str, data: AnswerPut) -> Question:
    """The question answered, or a 404/400 saying what is wrong with the answer and which values fit."""
    plan = ctx.plan_of(questionnaire_id)
    question = plan.questions.get(question_id)
    if question is None:
        raise NotFound(
            f"question '{question_id}' is not in questionnaire '{questionnaire_id}'",
            field="question_id",
            allowed=list(plan.questions),
        )
    allowed = question.allowed_values()
    if data.value not in allowed:
        raise Invalid(
            f"value '{data.value}' is not an answer to {question_id}; use one of: {', '.join(allowed)}",
            field="value",
            allowed=allowed,
        )
    if data.value == NOT_APPLICABLE and not data.reason.strip():
        raise Invalid("say why this question does not apply: “Not applicable” needs a reason", field="reason")
    return question


def _conflict(ctx: Context, assessment_id: int, question_id: str, expected: int | None) -> Conflict:
    with ctx.db.read() as session:
        row = answer_of(session, assessment_id, question_id)
    current = answer_public(row).model_dump(mode="json") if row else None
    return Conflict(
        f"answer to {question_id} was changed by someone else (you expected version {expected}, it is at "
        f"{row.version if row else 0}); reload it, then save again with expected_version set to the current version",
        field="expected_version",
        current=current,
    )


def answerer(ctx: Context, organisation_id: int, asked: str) -> str:
    """Whose answer it is: the signed-in user, or whoever a consultant of the organisation (or an admin) names."""
    actor = ctx.actor
    if actor is None:
        return asked  # the app itself: demo data, benchmarks, the command line
    if not asked.strip() or asked.strip().lower() == actor.email.lower():
        return actor.email
    # A proxy answer ("the CEO said...") is a consultant's call; anyone else answers as themselves.
    if actor.is_admin or actor.roles.get(organisation_id) == "consultant":
        return asked
    raise Forbidden(
        f"only a consultant of this organisation may save an answer on someone else's behalf (answered_by '{asked}'); "
        f"leave answered_by out, or set it to your own email ({actor.email}), to answer as yourself",
        field="answered_by",
    )


def save_answer(ctx: Context, assessment_id: int, question_id: str, data: AnswerPut) -> tuple[AnswerPublic, bool]:
    """Store an answer; returns it and whether it was created. 409 on a stale expected_version.

    Nothing else is written: a draft's result and roadmap are worked out from its answers when read.
    """
    saved, created, _ = _store_answer(ctx, assessment_id, question_id, data)
    return saved, created


def _store_answer(
    ctx: Context, assessment_id: int, question_id: str, data: AnswerPut
) -> tuple[AnswerPublic, bool, bool]:
    try:
        with ctx.db.transaction() as conn:
            return store_answer_in(ctx, conn, assessment_id, question_id, data)
    except IntegrityError:
        # Two first answers to the same question at once: the unique constraint let one in.
        raise _conflict(ctx, assessment_id, question_id, data.expected_version) from None


def store_answer_in(
    ctx: Context, conn: Session | Connection, assessment_id: int, question_id: str, data: AnswerPut
) -> tuple[AnswerPublic, bool, bool]:
    """Save an answer within a write transaction the caller holds (several answers saved as one, as a workshop's
    accepted medians are); returns it, whether it was created and whether anything changed."""
    assessment = assessment_state(conn, assessment_id)
    if assessment is None:
        raise NotFound(f"assessment {assessment_id} not found", field="assessment_id")
    answered_by = answerer(ctx, assessment["organisation_id"], data.answered_by)
    ensure_draft(assessment)
    validate_answer(ctx, assessment["questionnaire_id"], question_id, data)
    row = locked_answer(conn, assessment_id, question_id)
    current = row["version"] if row else 0
    if data.expected_version is not None and data.expected_version != current:
        raise _conflict(ctx, assessment_id, question_id, data.expected_version)
    new = {
        "value": data.value,
        "reason": data.reason,
        "note": data.note,
        "evidence": data.evidence,
        "answered_by": answered_by,
    }
    changed = [name for name in ANSWER_FIELDS if row is None or row[name] != new[name]]
    if not changed and not row["copied_from"]:
        return AnswerPublic.model_validate(dict(row)), False, False  # a repeated save changes nothing
    # The same answer saved again over one copied from a baseline confirms it: reviewed, no longer copied.
    now = utcnow()
    # answered_by names whose answer it is (a workshop, a proxy); the history and the
    # audit log always name the signed-in user who saved it.
    by = ctx.who or answered_by
    values = new | {
        "assessment_id": assessment_id,
        "question_id": question_id,
        "answered_at": now,
        "version": current + 1,
        "copied_from": "",
    }
    write_answer(
        conn,
        row["id"] if row else None,
        values,
        change_row(
            row,
            new,
            assessment_id=assessment_id,
            question_id=question_id,
            changed_by=by,
            changed_at=now,
            version=current + 1,
        ),
    )
    record(
        conn,
        assessment["organisation_id"],
        by,
        "answer.save" if changed else "answer.confirm",
        "answer",
        f"{assessment_id}/{question_id}",
        {name: row[name] for name in changed} if row else None,
        {name: new[name] for name in changed} if changed else {"copied_from": row["copied_from"]},
    )
    return AnswerPublic.model_validate(values), current == 0, True


def list_answers(ctx: Context, assessment_id: int) -> list[AnswerPublic]:
    """Every answer stored for an assessment."""
    with ctx.db.read() as session:
        get_assessment(session, assessment_id)
        return [answer_public(r) for r in answers_of(session, assessment_id)]


def answer_history(ctx: Context, assessment_id: int) -> list[AnswerChangePublic]:
    """Every change to an assessment's answers: who, when, old and new."""
    return _changes(ctx, assessment_id, lambda session: history_of(session, assessment_id))


def answer_versions(ctx: Context, assessment_id: int, question_id: str) -> list[AnswerChangePublic]:
    """Every version of one answer, the newest first: what it was set to, by whom, when."""
    return _changes(ctx, assessment_id, lambda session: versions_of(session, assessment_id, question_id))


def _changes(ctx: Context, assessment_id: int, read) -> list[AnswerChangePublic]:
    with ctx.db.read() as session:
        get_assessment(session, assessment_id)
        return [AnswerChangePublic.model_validate(r, from_attributes=True) for r in read(session)]


def restore_answer(
    ctx: Context, assessment_id: int, question_id: str, version: int, expected_version: int
) -> AnswerPublic:
    """Give an answer again as it was at an earlier version (value, reason, note and evidence), as a new version
    saved by the signed-in user; 409 when the answer changed since the page showed it."""
    found = next((c for c in answer_versions(ctx, assessment_id, question_id) if c.version == version), None)
    if found is None:
        raise NotFound(
            f"this answer has no version {version}; pick one of the versions its history lists", field="version"
        )
    earlier = AnswerPut(
        value=found.new_value,
        reason=found.new_reason,
        note=found.new_note,
        evidence=found.new_evidence,
        expected_version=expected_version,
    )
    return save_answer(ctx, assessment_id, question_id, earlier)[0]
