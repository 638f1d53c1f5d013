"""Roadmap items: what is tracked per step (status, owner, due period, where it was carried from); a submitted
assessment's items also keep where its frozen plan placed them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, insert
from sqlalchemy.orm import aliased
from sqlmodel import select

from backend.storage.db import Session, connection_of
from backend.storage.tables import Assessment, RoadmapItem, utcnow

_INSERT = insert(RoadmapItem.__table__)
# What an item nobody tracked holds: planned, no owner or due period, never edited, not carried. The one
# statement of that rule: new items are stored with it, `tracked` and `drop_untracked` test against it.
_UNTRACKED_STATE = {"status": "planned", "owner": "", "due_period": "", "version": 1, "carried_from_id": None}
_NOT_PLACED = {"horizon": "", "position": 0, "triggered": False}


def tracked(row: RoadmapItem) -> bool:
    """Whether someone tracked the item: a status, owner or due period set, an edit, or carried from a period."""
    return any(getattr(row, name) != value for name, value in _UNTRACKED_STATE.items())


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


def item_keys(session: Session, assessment_ids: Sequence[int]) -> dict[int, set[str]]:
    """The recommendations each assessment has a stored item for."""
    keys: dict[int, set[str]] = {a: set() for a in assessment_ids}
    if assessment_ids:
        query = select(RoadmapItem.assessment_id, RoadmapItem.recommendation_id).where(
            RoadmapItem.assessment_id.in_(list(assessment_ids))
        )
        for assessment_id, key in session.exec(query).all():
            keys[assessment_id].add(key)
    return keys


def add_items(session: Session, assessment_id: int, keys: Iterable[str]) -> None:
    """Store an untracked item (planned, no owner, no due period, not placed) per recommendation, in one statement."""
    now = utcnow()
    rows = [
        {"assessment_id": assessment_id, "recommendation_id": key, **_UNTRACKED_STATE, **_NOT_PLACED, "updated_at": now}
        for key in keys
    ]
    if rows:
        connection_of(session).execute(_INSERT, rows)


def drop_untracked(session: Session, assessment_id: int) -> None:
    """Delete the items nobody tracked (planned, no owner or due period, never edited, not carried) and that the
    frozen plan does not place, unless a later period's item was carried from them."""
    carried_into = aliased(RoadmapItem)
    later = select(carried_into.id).where(carried_into.carried_from_id == RoadmapItem.id)
    untracked = [
        getattr(RoadmapItem, name).is_(None) if value is None else getattr(RoadmapItem, name) == value
        for name, value in _UNTRACKED_STATE.items()
    ]
    query = delete(RoadmapItem).where(
        RoadmapItem.assessment_id == assessment_id, RoadmapItem.triggered.is_(False), *untracked, ~later.exists()
    )
    session.exec(query)
