"""Assessments: by organisation and period, their state, frozen snapshots and workshop participants."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import RowMapping, and_, bindparam, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import defer
from sqlmodel import select

from backend.storage.db import Connection, Session, connection_of
from backend.storage.tables import Assessment, Participant, ResultSnapshot

# The questions as a draft was started with (tens of KB each) are read only when its content changed: a list
# of assessments leaves them for the rows that need them.
_LIGHT = defer(Assessment.started_questions)


def assessments_of(session: Session, organisation_id: int) -> Sequence[Assessment]:
    """An organisation's assessments, oldest period first."""
    query = select(Assessment).options(_LIGHT).where(Assessment.organisation_id == organisation_id)
    return session.exec(query.order_by(Assessment.period, Assessment.created_at, Assessment.id)).all()


class AssessmentHead(NamedTuple):
    """What a list of many organisations' assessments needs of each: no answers, no stored questions."""

    id: int
    organisation_id: int
    period: str
    status: str
    questionnaire_id: str
    submitted_at: datetime | None


def assessments_of_organisations(session: Session, organisation_ids: Sequence[int]) -> list[AssessmentHead]:
    """Every assessment of the given organisations, by organisation, then oldest period first: plain rows, not
    ORM objects (the portfolio of a consultant with 200 clients reads 2,400 of them)."""
    if not organisation_ids:
        return []
    table = Assessment.__table__
    query = (
        sa_select(*(table.c[name] for name in AssessmentHead._fields))
        .where(table.c.organisation_id.in_(list(organisation_ids)))
        .order_by(table.c.organisation_id, table.c.period, table.c.created_at, table.c.id)
    )
    return [AssessmentHead(*row) for row in connection_of(session).execute(query)]


def latest_submitted(session: Session, organisation_ids: Sequence[int] | None) -> dict[int, AssessmentHead]:
    """Each organisation's latest submitted assessment (of the given organisations, or of all with None), for those
    that submitted one: of its latest submitted period, the last submitted there (the same choice as reading every
    assessment, with a twelfth of the rows). All of them is one statement without a list of a thousand ids, which
    cost PostgreSQL ~25 ms to plan and the driver as much to send."""
    if organisation_ids is not None and not organisation_ids:
        return {}
    table = Assessment.__table__
    submitted = table.c.status == "submitted"
    if organisation_ids is not None:
        submitted = and_(submitted, table.c.organisation_id.in_(list(organisation_ids)))
    latest = (
        sa_select(table.c.organisation_id, func.max(table.c.period).label("period"))
        .where(submitted)
        .group_by(table.c.organisation_id)
        .subquery()
    )
    query = (
        sa_select(*(table.c[name] for name in AssessmentHead._fields))
        .join(latest, and_(table.c.organisation_id == latest.c.organisation_id, table.c.period == latest.c.period))
        .where(table.c.status == "submitted")
        .order_by(table.c.organisation_id, table.c.created_at, table.c.id)
    )
    return {row.organisation_id: row for row in map(AssessmentHead._make, connection_of(session).execute(query))}


def previous_assessment(session: Session, organisation_id: int, period: str) -> Assessment | None:
    """The latest assessment of an earlier period (submitted preferred), if any."""
    query = (
        select(Assessment)
        .where(Assessment.organisation_id == organisation_id, Assessment.period < period)
        .order_by(Assessment.period.desc(), (Assessment.status == "submitted").desc(), Assessment.id.desc())
    )
    return session.exec(query).first()


def assessment_for(session: Session, organisation_id: int, questionnaire_id: str, period: str) -> Assessment | None:
    """The organisation's assessment of a period with a questionnaire, if it has one (there is at most one)."""
    query = select(Assessment).where(
        Assessment.organisation_id == organisation_id,
        Assessment.questionnaire_id == questionnaire_id,
        Assessment.period == period,
    )
    return session.exec(query).first()


def draft_ids(session: Session) -> Sequence[int]:
    """Every draft assessment's id."""
    return session.exec(select(Assessment.id).where(Assessment.status == "draft").order_by(Assessment.id)).all()


# Read on every answer save, so built once with a bound parameter.
ASSESSMENT = Assessment.__table__
_STATE = sa_select(
    ASSESSMENT.c.id,
    ASSESSMENT.c.organisation_id,
    ASSESSMENT.c.status,
    ASSESSMENT.c.period,
    ASSESSMENT.c.questionnaire_id,
).where(ASSESSMENT.c.id == bindparam("a_id"))


def assessment_state(db: Session | Connection, assessment_id: int) -> RowMapping | None:
    """An assessment's id, status, period and questionnaire, without loading the entity."""
    return connection_of(db).execute(_STATE, {"a_id": assessment_id}).mappings().first()


def snapshot_of(session: Session, assessment_id: int) -> ResultSnapshot | None:
    """The result frozen at submission, if submitted."""
    return session.exec(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment_id)).first()


SUMMARY = ("model", "kind", "level", "level_name", "progress", "provisional")


def add_snapshot(session: Session, assessment_id: int, content_hash: str, result: dict, roadmap: dict, **more) -> None:
    """Store a frozen result and roadmap, with its summaries copied out beside them (see ResultSnapshot)."""
    models, scores = summaries(result)
    session.add(
        ResultSnapshot(
            assessment_id=assessment_id,
            content_hash=content_hash,
            result=result,
            roadmap=roadmap,
            models=models,
            scores=scores,
            **more,
        )
    )


def summaries(result: dict) -> tuple[list[dict], dict]:
    """A frozen result's per-model summary, and its confidence label with each criterion's score."""
    models = [{name: m.get(name) for name in SUMMARY} for m in result.get("models", [])]
    scores = {
        "confidence": (result.get("confidence") or {}).get("label"),
        "criteria": {c["id"]: c.get("score") for c in result.get("criteria", [])},
    }
    return models, scores


def snapshot_models(session: Session, assessment_ids: Sequence[int]) -> dict[int, list[dict]]:
    """Each frozen result's per-model summary: model, kind, level, level name, progress, provisional."""
    if not assessment_ids:
        return {}
    query = select(ResultSnapshot.assessment_id, ResultSnapshot.models).where(
        ResultSnapshot.assessment_id.in_(list(assessment_ids))
    )
    return dict(session.exec(query).all())


def snapshot_scores(session: Session, assessment_ids: Sequence[int]) -> dict[int, tuple[list[dict], dict]]:
    """Each frozen result's per-model summary, and its confidence label with each criterion's score."""
    if not assessment_ids:
        return {}
    query = select(ResultSnapshot.assessment_id, ResultSnapshot.models, ResultSnapshot.scores).where(
        ResultSnapshot.assessment_id.in_(list(assessment_ids))
    )
    return {assessment_id: (models, scores) for assessment_id, models, scores in session.exec(query).all()}


def participants_of(session: Session, assessment_id: int) -> Sequence[Participant]:
    """An assessment's workshop participants."""
    return session.exec(
        select(Participant).where(Participant.assessment_id == assessment_id).order_by(Participant.id)
    ).all()
