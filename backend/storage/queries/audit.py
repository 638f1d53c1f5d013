"""The audit log: add an event, read an organisation's events."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert
from sqlmodel import select

from backend.storage.db import Connection, Session, connection_of
from backend.storage.tables import AuditEvent

# A prebuilt insert, not the ORM's unit of work: every answer save writes one of these.
_INSERT = insert(AuditEvent.__table__)


def insert_event(db: Session | Connection, event: dict) -> None:
    """Add an audit event (a dict of its columns) in the caller's transaction."""
    connection_of(db).execute(_INSERT, event)


def events_of(session: Session, organisation_id: int, limit: int, before_id: int | None = None) -> Sequence[AuditEvent]:
    """An organisation's newest events, at most limit of them, only those before an id when given."""
    query = select(AuditEvent).where(AuditEvent.organisation_id == organisation_id)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return session.exec(query.order_by(AuditEvent.id.desc()).limit(limit)).all()
