"""Queries over the tables; services call these, handlers never build SQL."""

from __future__ import annotations

from typing import Sequence

from sqlalchemy import func, update
from sqlmodel import Session, select

from backend.storage.tables import (
    Answer,
    AnswerChange,
    Assessment,
    Organisation,
    Participant,
    ResultSnapshot,
    RoadmapItem,
    utcnow,
)


def organisations(session: Session) -> Sequence[Organisation]:
    """Every organisation, by name."""
    return session.exec(select(Organisation).order_by(Organisation.name, Organisation.id)).all()


def assessments_of(session: Session, organisation_id: int) -> Sequence[Assessment]:
    """An organisation's assessments, oldest period first."""
    query = select(Assessment).where(Assessment.organisation_id == organisation_id)
    return session.exec(query.order_by(Assessment.period, Assessment.created_at, Assessment.id)).all()


def previous_assessment(session: Session, organisation_id: int, period: str) -> Assessment | None:
    """The latest assessment of an earlier period (submitted preferred), if any."""
    query = (
        select(Assessment)
        .where(Assessment.organisation_id == organisation_id, Assessment.period < period)
        .order_by(Assessment.period.desc(), (Assessment.status == "submitted").desc(), Assessment.id.desc())
    )
    return session.exec(query).first()


def answers_of(session: Session, assessment_id: int) -> Sequence[Answer]:
    """Every stored answer of an assessment."""
    return session.exec(select(Answer).where(Answer.assessment_id == assessment_id).order_by(Answer.id)).all()


def answer_counts(session: Session, assessment_ids: Sequence[int]) -> dict[int, int]:
    """How many answers each assessment has."""
    if not assessment_ids:
        return {}
    query = select(Answer.assessment_id, func.count()).where(Answer.assessment_id.in_(assessment_ids)).group_by(Answer.assessment_id)
    return dict(session.exec(query).all())


def answer_of(session: Session, assessment_id: int, question_id: str) -> Answer | None:
    """One stored answer, or None."""
    query = select(Answer).where(Answer.assessment_id == assessment_id, Answer.question_id == question_id)
    return session.exec(query).first()


def update_answer(session: Session, row: Answer, expected: int, values: dict) -> bool:
    """Update an answer only if its version is still `expected`; False if someone else got there first."""
    done = session.execute(
        update(Answer)
        .where(Answer.id == row.id, Answer.version == expected)
        .values(**values, version=expected + 1, answered_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return done.rowcount == 1


def history_of(session: Session, assessment_id: int) -> Sequence[AnswerChange]:
    """Every answer change of an assessment, oldest first."""
    query = select(AnswerChange).where(AnswerChange.assessment_id == assessment_id)
    return session.exec(query.order_by(AnswerChange.changed_at, AnswerChange.id)).all()


def participants_of(session: Session, assessment_id: int) -> Sequence[Participant]:
    """An assessment's participants."""
    return session.exec(select(Participant).where(Participant.assessment_id == assessment_id).order_by(Participant.id)).all()


def snapshot_of(session: Session, assessment_id: int) -> ResultSnapshot | None:
    """The result frozen at submission, if submitted."""
    return session.exec(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment_id)).first()


def roadmap_rows(session: Session, assessment_id: int) -> Sequence[RoadmapItem]:
    """An assessment's stored roadmap items."""
    query = select(RoadmapItem).where(RoadmapItem.assessment_id == assessment_id)
    return session.exec(query.order_by(RoadmapItem.position, RoadmapItem.id)).all()


def periods_of_items(session: Session, item_ids: Sequence[int]) -> dict[int, str]:
    """The period of the assessment each roadmap item belongs to."""
    if not item_ids:
        return {}
    query = select(RoadmapItem.id, Assessment.period).join(Assessment, Assessment.id == RoadmapItem.assessment_id).where(RoadmapItem.id.in_(item_ids))
    return dict(session.exec(query).all())
