"""An organisation's life after creation: archive it, restore it, delete it with everything it holds."""

from __future__ import annotations

import logging

from backend.services.audit import record
from backend.services.context import Context, get_organisation
from backend.services.errors import Conflict, Invalid
from backend.services.views import OrganisationPublic
from backend.storage.tables import utcnow

log = logging.getLogger("tribewise")


def archive_organisation(ctx: Context, organisation_id: int) -> OrganisationPublic:
    """Hide the organisation from the portfolio, keeping everything; restore_organisation undoes it."""
    with ctx.db.write() as session:
        row = get_organisation(session, organisation_id)
        if row.archived_at is not None:
            raise Conflict(f"{row.name} was already archived on {row.archived_at:%Y-%m-%d}; restore it to bring it back", field="archived_at")
        row.archived_at = utcnow()
        session.add(row)
        session.flush()
        record(session, organisation_id, ctx.who, "organisation.archive", "organisation", organisation_id, {"archived_at": None}, {"archived_at": row.archived_at.isoformat()})
        return OrganisationPublic.model_validate(row, from_attributes=True)


def restore_organisation(ctx: Context, organisation_id: int) -> OrganisationPublic:
    """Bring an archived organisation back into the portfolio."""
    with ctx.db.write() as session:
        row = get_organisation(session, organisation_id)
        if row.archived_at is None:
            raise Conflict(f"{row.name} is not archived; there is nothing to restore", field="archived_at")
        before = row.archived_at.isoformat()
        row.archived_at = None
        session.add(row)
        session.flush()
        record(session, organisation_id, ctx.who, "organisation.restore", "organisation", organisation_id, {"archived_at": before}, {"archived_at": None})
        return OrganisationPublic.model_validate(row, from_attributes=True)


def delete_organisation(ctx: Context, organisation_id: int, confirm_name: str | None = None) -> OrganisationPublic:
    """Delete the organisation and everything it holds; with confirm_name, only when it is the organisation's name."""
    with ctx.db.write() as session:
        row = get_organisation(session, organisation_id)
        if confirm_name is not None and confirm_name.strip() != row.name:
            raise Invalid(f"type the organisation's name exactly ({row.name}) to delete it", field="confirm_name")
        gone = OrganisationPublic.model_validate(row, from_attributes=True)
        session.delete(row)  # its assessments, answers, members and audit log go with it (ON DELETE CASCADE)
        session.flush()
    # The organisation's own audit log is deleted with it, so the application log keeps the record.
    log.info("organisation %d (%s) deleted by %s", gone.id, gone.name, ctx.who or "system")
    return gone
