"""The audit log: who created organisations and assessments, submitted them, changed answers, roadmap steps,
memberships and share links, and how."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, insert
from sqlmodel import Session, select

from backend.services.kernel.context import Context, get_organisation
from backend.storage.repository import connection_of
from backend.storage.tables import AuditEvent, utcnow

_INSERT = insert(AuditEvent.__table__)


class AuditEventPublic(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def record(
    db: Session | Connection,
    organisation_id: int,
    actor: str,
    action: str,
    entity: str,
    entity_id: object,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Add an event to the transaction that makes the change, so neither exists without the other."""
    # A prebuilt insert, not the ORM's unit of work: every answer save writes one of these.
    connection_of(db).execute(
        _INSERT,
        {
            "organisation_id": organisation_id,
            "at": utcnow(),
            "actor": actor or "system",
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id)[:100],
            "before": before,
            "after": after,  # the column holds 100 characters
        },
    )


def audit_log(
    ctx: Context, organisation_id: int, limit: int = 200, before_id: int | None = None
) -> list[AuditEventPublic]:
    """The organisation's events, newest first; page with before_id."""
    with ctx.db.read() as session:
        get_organisation(session, organisation_id)
        query = select(AuditEvent).where(AuditEvent.organisation_id == organisation_id)
        if before_id is not None:
            query = query.where(AuditEvent.id < before_id)
        rows = session.exec(query.order_by(AuditEvent.id.desc()).limit(limit)).all()
        return [AuditEventPublic.model_validate(r, from_attributes=True) for r in rows]
