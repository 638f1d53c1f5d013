"""What reminders are read from: who may be reminded about which organisation, each organisation's assessments,
when each draft was last worked on, and the roadmap steps due in a quarter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func
from sqlalchemy import select as sa_select

from backend.storage.db import Session, connection_of
from backend.storage.tables import Answer, Assessment, Membership, Organisation, RoadmapItem, User


class Recipient(NamedTuple):
    """A member who may be reminded about an organisation: signed up (a password chosen), reminders on."""

    organisation_id: int
    organisation: str
    cadence_quarters: int
    user_id: int
    email: str
    member_role: str


def recipients(session: Session) -> list[Recipient]:
    """Every member of an active organisation who has reminders on, by organisation."""
    org, member, user = Organisation.__table__, Membership.__table__, User.__table__
    query = (
        sa_select(org.c.id, org.c.name, org.c.cadence_quarters, user.c.id, user.c.email, member.c.role)
        .join(member, member.c.organisation_id == org.c.id)
        .join(user, user.c.id == member.c.user_id)
        .where(org.c.archived_at.is_(None), user.c.reminders.is_(True), user.c.password_hash != "")
        .order_by(org.c.id, user.c.email)
    )
    return [Recipient(*row) for row in connection_of(session).execute(query)]


def last_worked_on(session: Session, assessment_ids: Sequence[int]) -> dict[int, datetime]:
    """When each of these assessments was last worked on: its latest answer, or its creation without any."""
    if not assessment_ids:
        return {}
    answers = (
        sa_select(Answer.__table__.c.assessment_id, func.max(Answer.__table__.c.answered_at).label("last"))
        .where(Answer.__table__.c.assessment_id.in_(list(assessment_ids)))
        .group_by(Answer.__table__.c.assessment_id)
        .subquery()
    )
    table = Assessment.__table__
    query = (
        sa_select(table.c.id, func.coalesce(answers.c.last, table.c.created_at))
        .outerjoin(answers, answers.c.assessment_id == table.c.id)
        .where(table.c.id.in_(list(assessment_ids)))
    )
    return dict(connection_of(session).execute(query).all())


def steps_due(session: Session, assessment_ids: Sequence[int], quarter: str) -> dict[int, list[tuple[str, str]]]:
    """Per assessment, the roadmap steps due in the quarter and not done or dropped: (recommendation id, owner)."""
    if not assessment_ids:
        return {}
    table = RoadmapItem.__table__
    query = (
        sa_select(table.c.assessment_id, table.c.recommendation_id, table.c.owner)
        .where(
            table.c.assessment_id.in_(list(assessment_ids)),
            table.c.due_period == quarter,
            table.c.status.not_in(("done", "dropped")),
        )
        .order_by(table.c.assessment_id, table.c.position, table.c.id)
    )
    found: dict[int, list[tuple[str, str]]] = {}
    for assessment_id, recommendation_id, owner in connection_of(session).execute(query):
        found.setdefault(assessment_id, []).append((recommendation_id, owner))
    return found
