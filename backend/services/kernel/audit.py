"""The audit log: who created organisations and assessments, submitted them, changed answers, roadmap steps,
memberships and share links, and how."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from backend.services.kernel.context import Context, get_organisation
from backend.storage.db import Connection, Session
from backend.storage.queries.audit import events_of, insert_event
from backend.storage.queries.roadmaps import periods_of_items
from backend.storage.tables import utcnow


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
    insert_event(
        db,
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
        rows = events_of(session, organisation_id, limit, before_id)
        return [AuditEventPublic.model_validate(r, from_attributes=True) for r in rows]


def step_periods(ctx: Context, events: list[AuditEventPublic]) -> dict[int, str]:
    """The period of each roadmap step the events name, so the log can say which roadmap it is on."""
    items = [int(e.entity_id.split(" ")[0]) for e in events if e.entity == "roadmap_item"]
    with ctx.db.read() as session:
        return periods_of_items(session, items)
