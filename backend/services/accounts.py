"""Users: create, sign in (rate-limited across workers), change password, accept an invitation."""

from __future__ import annotations

import math
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import Connection, delete, func, update
from sqlmodel import Session, select

from backend.services.access import USER_ROLES, Actor, actor_of
from backend.services.context import Context
from backend.services.errors import Conflict, Invalid, NotFound, TooManyRequests, Unauthorised
from backend.services.signing import sign, unsign
from backend.storage import repository as repo
from backend.services.views import Input
from backend.storage.tables import ApiToken, LoginAttempt, User, utcnow

MIN_PASSWORD = 10
INVITATION_DAYS = 7
WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 30
_hasher = PasswordHasher()


class UserPublic(BaseModel):
    id: int
    email: str
    role: str
    invited: bool = Field(description="True until the user has chosen a password")


class UserCreated(UserPublic):
    invitation_url: str = Field(default="", description="Where an invited user chooses their password (valid 7 days)")


class UserCreate(Input):
    email: str = Field(min_length=3, max_length=254)
    role: str = "member"
    password: str = Field(default="", max_length=1000, description="Leave empty to send an invitation instead")

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return normalise_email(value)


def normalise_email(value: str) -> str:
    """Trimmed, lower-case; an error that says what an email looks like otherwise."""
    email = value.strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        raise ValueError(f"'{value}' is not an email address: use the form name@example.com")
    return email


def check_password(password: str) -> None:
    """Refuse passwords too short to resist guessing."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"the password is {len(password)} characters long; use at least {MIN_PASSWORD}", field="password")


def user_public(user: User) -> UserPublic:
    """The public view of a user (never the hash)."""
    return UserPublic(id=user.id, email=user.email, role=user.role, invited=not user.password_hash)


def invitation_path(secret: bytes, user: User) -> str:
    """The link where an invited user chooses their password; it dies once used or replaced."""
    return "/invitation/" + sign(secret, "invitation", {"u": user.id, "e": user.session_epoch})


def _created(secret: bytes, user: User) -> UserCreated:
    url = invitation_path(secret, user) if not user.password_hash else ""
    return UserCreated(**user_public(user).model_dump(), invitation_url=url)


def user_by_email(session: Session, email: str) -> User | None:
    """A user by (normalised) email."""
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def add_user(session: Session, email: str, role: str, password: str = "") -> User:
    """Insert a user; without a password they are invited and sign in once they choose one."""
    if role not in USER_ROLES:
        raise Invalid(f"role '{role}' does not exist; use one of: {', '.join(USER_ROLES)}", field="role", allowed=list(USER_ROLES))
    if user_by_email(session, email) is not None:
        raise Conflict(f"a user with the email {email} already exists", field="email")
    if password:
        check_password(password)
    user = User(email=email, role=role, password_hash=_hasher.hash(password) if password else "")
    session.add(user)
    session.flush()
    return user


def create_user(ctx: Context, data: UserCreate) -> UserCreated:
    """Create a user (admins, and the CLI for the first admin); without a password, an invitation."""
    with ctx.db.write() as session:
        return _created(ctx.secret, add_user(session, data.email, data.role, data.password))


def list_users(ctx: Context) -> list[UserPublic]:
    """Every user, by email."""
    with ctx.db.read() as session:
        return [user_public(u) for u in session.exec(select(User).order_by(User.email)).all()]


def _failures(session: Session, column, value: str, since) -> tuple[int, object]:
    query = select(func.count(), func.min(LoginAttempt.attempted_at)).where(
        column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since,
    )
    return session.exec(query).one()


def _check_rate(session: Session, email: str, address: str) -> None:
    now = utcnow()
    since = now - WINDOW
    for column, value, limit, whom in (
        (LoginAttempt.email, email, MAX_FAILURES_PER_EMAIL, "this account"),
        (LoginAttempt.address, address, MAX_FAILURES_PER_ADDRESS, "your network address"),
    ):
        count, oldest = _failures(session, column, value, since)
        if count >= limit:
            wait = max(1, math.ceil((oldest + WINDOW - now).total_seconds()))
            raise TooManyRequests(
                f"too many failed sign-ins for {whom} in the last {WINDOW.seconds // 60} minutes; "
                f"try again in {math.ceil(wait / 60)} minute(s), or ask an admin to reset the password",
                retry_after=wait,
            )


def authenticate(ctx: Context, email: str, password: str, address: str) -> Actor:
    """Check an email and password; every attempt is stored so the limit holds across workers."""
    email = email.strip().lower()[:254]  # lower-casing can lengthen text (İ); the column holds 254
    with ctx.db.write() as session:
        session.exec(delete(LoginAttempt).where(LoginAttempt.attempted_at < utcnow() - timedelta(days=1)))
        _check_rate(session, email, address)
        user = user_by_email(session, email)
        ok = False
        if user is not None and user.password_hash:
            try:
                ok = _hasher.verify(user.password_hash, password)
            except (VerifyMismatchError, InvalidHashError):
                ok = False
        else:
            _hasher.hash(password)  # the same work either way: timing does not tell which emails exist
        session.add(LoginAttempt(email=email, address=address[:64], succeeded=ok))
    if not ok:
        raise Unauthorised("the email or password is wrong; check both and try again", field="password")
    with ctx.db.write() as session:
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
            session.add(user)
        return actor_of(session, user)


def change_password(ctx: Context, user_id: int, current: str, new: str) -> Actor:
    """Change a password after checking the current one; the new epoch signs out every other session."""
    check_password(new)
    with ctx.db.write() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("your account no longer exists")
        try:
            _hasher.verify(user.password_hash, current)
        except (VerifyMismatchError, InvalidHashError):
            raise Invalid("the current password is wrong; type the one you signed in with", field="current_password") from None
        _set_password(session, user, new)
        return actor_of(session, user)


def _set_password(session: Session, user: User, password: str) -> None:
    user.password_hash = _hasher.hash(password)
    user.session_epoch += 1
    session.add(user)
    session.flush()


def set_password(ctx: Context, email: str, password: str) -> None:
    """Set a password from the command line (a forgotten admin password, say)."""
    check_password(password)
    with ctx.db.write() as session:
        user = user_by_email(session, email)
        if user is None:
            raise NotFound(f"no user has the email {email}; create one with 'tribewise users create'", field="email")
        _set_password(session, user, password)


def accept_invitation(ctx: Context, token: str, password: str) -> Actor:
    """Set an invited user's first password; the invitation works once."""
    check_password(password)
    with ctx.db.write() as session:
        user = _invited(ctx, session, token)
        _set_password(session, user, password)
        return actor_of(session, user)


def reset_invitation(ctx: Context, user_id: int) -> UserCreated:
    """An admin's reset: the password is cleared, the user signed out, a new invitation issued."""
    with ctx.db.write() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(f"user {user_id} not found", field="user_id")
        user.password_hash = ""
        user.session_epoch += 1
        session.add(user)
        # A reset is often for a leaked password: the tokens made with it go too.
        session.exec(update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow()))
        return _created(ctx.secret, user)


def read_invitation(ctx: Context, token: str) -> str:
    """The email an invitation link is for; a clear error when it is spent, altered or too old."""
    with ctx.db.read() as session:
        return _invited(ctx, session, token).email


def _invited(ctx: Context, session: Session, token: str) -> User:
    payload = unsign(ctx.secret, "invitation", token, max_age=INVITATION_DAYS * 86400)
    user = session.get(User, payload.get("u")) if isinstance(payload, dict) else None
    if user is None or user.session_epoch != payload.get("e") or user.password_hash:
        raise Invalid("this invitation has already been used or was replaced; sign in, or ask for a new one", field="token")
    return user


def session_actor(db: Session | Connection, user_id: int, epoch: int) -> Actor | None:
    """The actor of a session, or None when the user is gone or the session predates a password change."""
    found = repo.user_row(db, user_id)
    if found is None:
        return None
    user, roles = found
    if user.session_epoch != epoch or not user.password_hash:
        return None
    return actor_of(db, user, roles)


def end_sessions(ctx: Context, user_id: int) -> None:
    """Sign a user out on the server: a new epoch makes every session cookie issued before it worthless."""
    with ctx.db.write() as session:
        session.exec(update(User).where(User.id == user_id).values(session_epoch=User.session_epoch + 1))
