"""Organisations: create one (its creator becomes its consultant), list and read them, archive, restore, and delete
one with everything it holds (assessments live in services/assessments/)."""

from __future__ import annotations

import logging

from backend.schemas.views import OrganisationCreate, OrganisationPublic
from backend.services.kernel.audit import record
from backend.services.kernel.context import Context, get_organisation
from backend.services.kernel.errors import Conflict, Invalid
from backend.storage.db import Session
from backend.storage.queries.organisations import OrganisationRow, organisation_rows_by_name, organisations_by_name
from backend.storage.tables import Membership, Organisation, utcnow

log = logging.getLogger("tribewise")


def create_organisation(ctx: Context, data: OrganisationCreate) -> OrganisationPublic:
    """Add an organisation; a consultant who adds one is its consultant."""
    with ctx.db.write() as session:
        row = Organisation(**data.model_dump())
        session.add(row)
        session.flush()
        record(session, row.id, ctx.who, "organisation.create", "organisation", row.id, None, data.model_dump())
        adopt(ctx, session, row.id)
        return OrganisationPublic.model_validate(row, from_attributes=True)


def adopt(ctx: Context, session: Session, organisation_id: int) -> None:
    """Make a non-admin creator the new organisation's consultant, so they can reach it."""
    if ctx.actor is not None and not ctx.actor.is_admin:
        session.add(Membership(organisation_id=organisation_id, user_id=ctx.actor.user_id, role="consultant"))
        record(session, organisation_id, ctx.who, "member.add", "membership", ctx.who, None, {"role": "consultant"})


def reachable_ids(ctx: Context) -> list[int] | None:
    """The ids of the organisations the actor may see; None for all of them (admins and the CLI)."""
    return None if ctx.actor is None or ctx.actor.is_admin else list(ctx.actor.roles)


def organisation_rows(ctx: Context) -> list[OrganisationRow]:
    """The organisations the actor may see, by name, with what a list of many shows of each."""
    with ctx.db.read() as session:
        return organisation_rows_by_name(session, reachable_ids(ctx))


def list_organisations(ctx: Context, include_archived: bool = True) -> list[OrganisationPublic]:
    """The organisations the actor may see (all of them for admins and the CLI), archived ones only when asked."""
    with ctx.db.read() as session:
        rows = organisations_by_name(session, list(OrganisationPublic.model_fields), reachable_ids(ctx))
    # Stored rows were validated on the way in: the public view is built without checking them again.
    return [OrganisationPublic.model_construct(**r) for r in rows if include_archived or r["archived_at"] is None]


def read_organisation(ctx: Context, organisation_id: int) -> OrganisationPublic:
    """One organisation."""
    with ctx.db.read() as session:
        return OrganisationPublic.model_validate(get_organisation(session, organisation_id), from_attributes=True)


def archive_organisation(ctx: Context, organisation_id: int) -> OrganisationPublic:
    """Hide the organisation from the portfolio, keeping everything; restore_organisation undoes it."""
    return _set_archived(ctx, organisation_id, archive=True)


def restore_organisation(ctx: Context, organisation_id: int) -> OrganisationPublic:
    """Bring an archived organisation back into the portfolio."""
    return _set_archived(ctx, organisation_id, archive=False)


def _set_archived(ctx: Context, organisation_id: int, archive: bool) -> OrganisationPublic:
    with ctx.db.write() as session:
        row = get_organisation(session, organisation_id)
        before = row.archived_at
        if archive and before is not None:
            raise Conflict(
                f"{row.name} was already archived on {before:%Y-%m-%d}; restore it to bring it back",
                field="archived_at",
            )
        if not archive and before is None:
            raise Conflict(f"{row.name} is not archived; there is nothing to restore", field="archived_at")
        row.archived_at = utcnow() if archive else None
        session.add(row)
        session.flush()
        stamp = (
            {"archived_at": before.isoformat() if before else None},
            {"archived_at": row.archived_at.isoformat() if row.archived_at else None},
        )
        record(
            session,
            organisation_id,
            ctx.who,
            "organisation.archive" if archive else "organisation.restore",
            "organisation",
            organisation_id,
            *stamp,
        )
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
