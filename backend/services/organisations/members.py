"""Who belongs to an organisation, and with which role."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from backend.schemas.base import ClosedInput
from backend.schemas.types import Email
from backend.services.accounts.users import add_user, issue_invitation, user_by_email
from backend.services.kernel.audit import record
from backend.services.kernel.context import Context, get_organisation
from backend.services.kernel.errors import Conflict, NotFound
from backend.services.mail.outbox import deliver_due
from backend.storage.db import Session
from backend.storage.queries.organisations import has_member_with_role, members_of, membership_of
from backend.storage.tables import Membership, User

MemberRole = Literal["consultant", "member", "viewer"]


class MemberCreate(ClosedInput):
    email: Email
    role: MemberRole = "member"


class MemberPatch(ClosedInput):
    role: MemberRole


class MemberPublic(BaseModel):
    user_id: int
    email: str
    role: MemberRole
    invited: bool = Field(description="True until the user has chosen a password")
    since: datetime
    invitation_url: str = Field(
        default="",
        description="Only when this call created the user: the link where they choose a password (valid 7 days, once). "
        "Adding someone who already has an account, invited or not, adds the membership only",
    )


def _public(row: Membership, user: User, url: str = "") -> MemberPublic:
    return MemberPublic(
        user_id=user.id,
        email=user.email,
        role=row.role,
        invited=not user.password_hash,
        since=row.created_at,
        invitation_url=url,
    )


def list_members(ctx: Context, organisation_id: int) -> list[MemberPublic]:
    """The organisation's members by email."""
    with ctx.db.read() as session:
        get_organisation(session, organisation_id)
        return [_public(m, u) for m, u in members_of(session, organisation_id)]


def add_member(ctx: Context, organisation_id: int, data: MemberCreate) -> MemberPublic:
    """Give a user a role here; an unknown email becomes an invited user, with a link for whoever added them."""
    with ctx.db.write() as session:
        get_organisation(session, organisation_id)
        user = user_by_email(session, data.email)
        url = ""
        if user is None:
            # The role is this organisation's; their own role stays the lowest (only admins raise it).
            user = add_user(session, data.email, "member")
            url = issue_invitation(session, ctx, user, get_organisation(session, organisation_id).name)
        elif membership_of(session, organisation_id, user.id) is not None:
            raise Conflict(f"{data.email} is already a member here; change their role instead", field="email")
        # An existing user's invitation (even a pending one) belongs to whoever issued it: adding them
        # here must never hand out a link to their account.
        row = Membership(organisation_id=organisation_id, user_id=user.id, role=data.role)
        session.add(row)
        session.flush()
        record(session, organisation_id, ctx.who, "member.add", "membership", user.email, None, {"role": data.role})
        added = _public(row, user, url)
    deliver_due(ctx)
    return added


def _membership(session: Session, organisation_id: int, user_id: int) -> tuple[Membership, User]:
    found = membership_of(session, organisation_id, user_id)
    if found is None:
        raise NotFound(f"user {user_id} is not a member of this organisation", field="user_id")
    return found


def change_member(ctx: Context, organisation_id: int, user_id: int, data: MemberPatch) -> MemberPublic:
    """Change a member's role."""
    with ctx.db.write() as session:
        row, user = _membership(session, organisation_id, user_id)
        before = row.role
        row.role = data.role
        session.add(row)
        session.flush()
        if before == "consultant":
            _keep_a_consultant(session, organisation_id)
        record(
            session,
            organisation_id,
            ctx.who,
            "member.role",
            "membership",
            user.email,
            {"role": before},
            {"role": data.role},
        )
        return _public(row, user)


def remove_member(ctx: Context, organisation_id: int, user_id: int) -> None:
    """Take a user's access to the organisation away."""
    with ctx.db.write() as session:
        _drop(ctx, session, organisation_id, *_membership(session, organisation_id, user_id), "member.remove")


def leave(ctx: Context, organisation_id: int) -> None:
    """Take your own access to the organisation away; its last consultant cannot leave."""
    with ctx.db.write() as session:
        get_organisation(session, organisation_id)
        try:
            row, user = _membership(session, organisation_id, ctx.actor.user_id if ctx.actor else 0)
        except NotFound:
            raise Conflict(
                f"you are not a member of organisation {organisation_id}, so there is nothing to leave "
                "(admins reach every organisation without being members)",
                field="organisation_id",
            ) from None
        _drop(ctx, session, organisation_id, row, user, "member.leave")


def _drop(ctx: Context, session: Session, organisation_id: int, row: Membership, user: User, action: str) -> None:
    session.delete(row)
    session.flush()
    if row.role == "consultant":
        _keep_a_consultant(session, organisation_id)
    record(session, organisation_id, ctx.who, action, "membership", user.email, {"role": row.role}, None)


def _keep_a_consultant(session: Session, organisation_id: int) -> None:
    # An organisation whose last consultant leaves could only be managed by an admin again.
    if not has_member_with_role(session, organisation_id, "consultant"):
        raise Conflict(
            "this would leave the organisation without a consultant; make someone else consultant first", field="role"
        )
