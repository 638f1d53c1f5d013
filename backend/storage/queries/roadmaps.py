"""Roadmap items: an assessment's steps, where carried steps came from, and open steps per assessment."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import select

from backend.storage.db import Session
from backend.storage.tables import Assessment, RoadmapItem


def roadmap_rows(session: Session, assessment_id: int) -> Sequence[RoadmapItem]:
    """An assessment's stored roadmap items."""
    query = select(RoadmapItem).where(RoadmapItem.assessment_id == assessment_id)
    return session.exec(query.order_by(RoadmapItem.position, RoadmapItem.id)).all()


def periods_of_items(session: Session, item_ids: Sequence[int]) -> dict[int, str]:
    """The period of the assessment each roadmap item belongs to."""
    if not item_ids:
        return {}
    query = (
        select(RoadmapItem.id, Assessment.period)
        .join(Assessment, Assessment.id == RoadmapItem.assessment_id)
        .where(RoadmapItem.id.in_(item_ids))
    )
    return dict(session.exec(query).all())


def open_step_counts(session: Session, assessment_ids: Sequence[int]) -> dict[int, int]:
    """Open roadmap steps per assessment as its roadmap shows them: in progress, or planned and triggered."""
    if not assessment_ids:
        return {}
    planned = (RoadmapItem.status == "planned") & RoadmapItem.triggered.is_(True)
    shown = (RoadmapItem.status == "in_progress") | planned
    query = (
        select(RoadmapItem.assessment_id, func.count())
        .where(RoadmapItem.assessment_id.in_(list(assessment_ids)), shown)
        .group_by(RoadmapItem.assessment_id)
    )
    return dict(session.exec(query).all())
