"""Users, their sign-in attempts, invitations and API tokens, and who is asking on each request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from sqlalchemy import bindparam, delete, func, update
from sqlalchemy import select as sa_select
from sqlmodel import select

from backend.storage.db import Connection, Session, connection_of
from backend.storage.tables import ApiToken, Invitation, LoginAttempt, Membership, User

# Who is asking, and may they: run before every request, so built once with bound parameters.
USER = User.__table__
TOKEN = ApiToken.__table__
MEMBERSHIP = Membership.__table__
_USER_COLUMNS = (USER.c.id, USER.c.email, USER.c.role, USER.c.session_epoch, USER.c.password_hash)
# A user's memberships come with the user, one row per membership: one statement for who is asking.
_MEMBERSHIP_COLUMNS = (MEMBERSHIP.c.organisation_id.label("member_of"), MEMBERSHIP.c.role.label("member_role"))
_TOKEN_OWNER = (
    sa_select(TOKEN.c.id.label("token_id"), TOKEN.c.last_used_at, *_USER_COLUMNS, *_MEMBERSHIP_COLUMNS)
    .join(USER, USER.c.id == TOKEN.c.user_id)
    .outerjoin(MEMBERSHIP, MEMBERSHIP.c.user_id == USER.c.id)
    .where(TOKEN.c.token_hash == bindparam("token_hash"), TOKEN.c.revoked_at.is_(None))
)
_USER = (
    sa_select(*_USER_COLUMNS, *_MEMBERSHIP_COLUMNS)
    .outerjoin(MEMBERSHIP, MEMBERSHIP.c.user_id == USER.c.id)
    .where(USER.c.id == bindparam("user_id"))
)
_ROLES = sa_select(MEMBERSHIP.c.organisation_id, MEMBERSHIP.c.role).where(MEMBERSHIP.c.user_id == bindparam("user_id"))


def _with_roles(rows: Sequence) -> tuple[object, dict[int, str]] | None:
    """The user row of a user-with-memberships read, and their role per organisation; None for no rows."""
    if not rows:
        return None
    return rows[0], {r.member_of: r.member_role for r in rows if r.member_of is not None}


def token_owner(db: Session | Connection, token_hash: str) -> tuple[object, dict[int, str]] | None:
    """The live token with this hash and its user (token_id, last_used_at, id, email, role,
    session_epoch...), with the user's role per organisation; or None."""
    return _with_roles(connection_of(db).execute(_TOKEN_OWNER, {"token_hash": token_hash}).all())


def user_row(db: Session | Connection, user_id: int) -> tuple[object, dict[int, str]] | None:
    """A user's id, email, role, session epoch and password hash, with their role per organisation; or None."""
    return _with_roles(connection_of(db).execute(_USER, {"user_id": user_id}).all())


def roles_of(db: Session | Connection, user_id: int) -> dict[int, str]:
    """The user's role in each organisation they belong to."""
    return dict(connection_of(db).execute(_ROLES, {"user_id": user_id}).all())


def user_with_email(session: Session, email: str) -> User | None:
    """The user with exactly this email, if any."""
    return session.exec(select(User).where(User.email == email)).first()


def users_by_email(session: Session) -> Sequence[User]:
    """Every user, by email."""
    return session.exec(select(User).order_by(User.email)).all()


def bump_session_epoch(session: Session, user_id: int) -> None:
    """Add one to the user's session epoch in the database, whatever this session has read of it."""
    session.exec(update(User).where(User.id == user_id).values(session_epoch=User.session_epoch + 1))


def failed_sign_ins(
    session: Session, field: Literal["email", "address"], value: str, since: datetime
) -> tuple[int, datetime | None]:
    """How many sign-ins failed for an email or network address since a time, and when the oldest of them was."""
    query = select(func.count(), func.min(LoginAttempt.attempted_at)).where(
        getattr(LoginAttempt, field) == value,
        LoginAttempt.succeeded.is_(False),
        LoginAttempt.attempted_at >= since,
    )
    return session.exec(query).one()


def forget_sign_ins(session: Session, before: datetime) -> None:
    """Delete the sign-in attempts made before a time."""
    session.exec(delete(LoginAttempt).where(LoginAttempt.attempted_at < before))


def mark_sign_in_succeeded(session: Session, attempt_id: int) -> None:
    """Record that a sign-in attempt's password checked out."""
    session.exec(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True))


def _open_invitations():
    return Invitation.used_at.is_(None), Invitation.revoked_at.is_(None)


def revoke_invitations(session: Session, user_id: int, at: datetime) -> None:
    """Mark every unused, unrevoked invitation of the user revoked at a time."""
    session.exec(update(Invitation).where(Invitation.user_id == user_id, *_open_invitations()).values(revoked_at=at))


def spend_invitation(session: Session, invitation_id: int, at: datetime) -> bool:
    """Mark an invitation used, if it is still unused and unrevoked; whether it was (PostgreSQL waits on the row)."""
    spent = session.exec(
        update(Invitation).where(Invitation.id == invitation_id, *_open_invitations()).values(used_at=at)
    )
    return spent.rowcount == 1


def invitation_with_nonce(session: Session, nonce_hash: str) -> tuple[Invitation, User] | None:
    """The invitation whose nonce has this hash, and its user; or None."""
    query = (
        select(Invitation, User).join(User, User.id == Invitation.user_id).where(Invitation.nonce_hash == nonce_hash)
    )
    return session.exec(query).first()


def tokens_of(session: Session, user_id: int) -> Sequence[ApiToken]:
    """The user's API tokens, newest first."""
    return session.exec(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())).all()


def revoke_tokens(session: Session, user_id: int, at: datetime) -> None:
    """Mark every live API token of the user revoked at a time."""
    session.exec(
        update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None)).values(revoked_at=at)
    )


def set_reminders(session: Session, user_id: int, on: bool) -> str:
    """Turn a user's reminders on or off; their address ('' when the user no longer exists)."""
    user = session.get(User, user_id)
    if user is None:
        return ""
    user.reminders = on
    session.add(user)
    return user.email


def reminders_of(session: Session, user_id: int) -> bool:
    """Whether the user has reminders on (off for a user who no longer exists)."""
    user = session.get(User, user_id)
    return bool(user and user.reminders)
