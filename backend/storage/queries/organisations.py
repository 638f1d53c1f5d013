"""Organisations, who belongs to them with which role, and which organisation an entity belongs to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import RowMapping, bindparam
from sqlalchemy import select as sa_select
from sqlmodel import select

from backend.storage.db import Connection, Session, connection_of
from backend.storage.tables import Assessment, Membership, Organisation, ShareLink, User


class OrganisationRow(NamedTuple):
    """What a list of many organisations shows of each."""

    id: int
    name: str
    sector: str
    size: str
    archived_at: datetime | None


def _by_name(columns: Sequence[str], only: Iterable[int] | None):
    """Every organisation's given columns by name, or only those with the given ids."""
    table = Organisation.__table__
    query = sa_select(*(table.c[name] for name in columns))
    if only is not None:
        query = query.where(table.c.id.in_(list(only)))
    return query.order_by(table.c.name, table.c.id)


def organisations_by_name(
    session: Session, columns: Sequence[str], only: Iterable[int] | None = None
) -> list[RowMapping]:
    """Every organisation by name, or only those with the given ids: the given columns as plain rows (an admin's
    list reads a thousand; ORM objects were two thirds of its time)."""
    return list(connection_of(session).execute(_by_name(columns, only)).mappings())


def organisation_rows_by_name(session: Session, only: Iterable[int] | None = None) -> list[OrganisationRow]:
    """Every organisation by name, or only those with the given ids, with what a list of many shows of each."""
    return list(map(OrganisationRow._make, connection_of(session).execute(_by_name(OrganisationRow._fields, only))))


def logo_of(session: Session, organisation_id: int) -> bytes | None:
    """The organisation's logo (a PNG), or None when it has none."""
    query = sa_select(Organisation.__table__.c.logo).where(Organisation.__table__.c.id == organisation_id)
    return connection_of(session).execute(query).scalar()


def has_logo(session: Session, organisation_id: int) -> bool:
    """Whether the organisation has a logo, without reading it."""
    table = Organisation.__table__
    query = sa_select(table.c.id).where(table.c.id == organisation_id, table.c.logo.is_not(None))
    return connection_of(session).execute(query).first() is not None


def members_of(session: Session, organisation_id: int) -> Sequence[tuple[Membership, User]]:
    """The organisation's memberships with their users, by email."""
    query = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == organisation_id)
        .order_by(User.email)
    )
    return session.exec(query).all()


def membership_of(session: Session, organisation_id: int, user_id: int) -> tuple[Membership, User] | None:
    """A user's membership of the organisation, with the user; or None."""
    query = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == organisation_id, Membership.user_id == user_id)
    )
    return session.exec(query).first()


def has_member_with_role(session: Session, organisation_id: int, role: str) -> bool:
    """Whether anyone holds the role in the organisation."""
    query = select(Membership.id).where(Membership.organisation_id == organisation_id, Membership.role == role)
    return session.exec(query).first() is not None


# The access check runs before every request, so its statements are built once.
ASSESSMENT = Assessment.__table__
LINK = ShareLink.__table__
_ORGANISATION_OF_ASSESSMENT = sa_select(ASSESSMENT.c.organisation_id).where(ASSESSMENT.c.id == bindparam("entity_id"))
_ORGANISATION_OF_LINK = (
    sa_select(ASSESSMENT.c.organisation_id)
    .join(LINK, LINK.c.assessment_id == ASSESSMENT.c.id)
    .where(LINK.c.id == bindparam("entity_id"))
)
ORGANISATION_OF = {"assessment_id": _ORGANISATION_OF_ASSESSMENT, "link_id": _ORGANISATION_OF_LINK}


def organisation_of_entity(db: Session | Connection, key: str, entity_id: int) -> int | None:
    """The organisation an assessment (key assessment_id) or share link (link_id) belongs to, or None."""
    return connection_of(db).execute(ORGANISATION_OF[key], {"entity_id": entity_id}).scalar()
