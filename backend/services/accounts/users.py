"""Users: create, sign in (rate-limited across workers), change password, accept an invitation."""

from __future__ import annotations

import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from pydantic import BaseModel, Field

from backend.labels import moment_text
from backend.schemas.base import ClosedInput
from backend.schemas.types import Email
from backend.services.accounts.tokens import token_hash
from backend.services.kernel.access import USER_ROLES, Actor, actor_of
from backend.services.kernel.context import Context
from backend.services.kernel.errors import Conflict, Invalid, NotFound, TooManyRequests, Unauthorised
from backend.services.kernel.signing import sign, unsign
from backend.services.mail.compose import compose
from backend.services.mail.outbox import deliver_due, queue
from backend.storage.db import Connection, Session
from backend.storage.queries.accounts import (
    bump_session_epoch,
    failed_sign_ins,
    forget_sign_ins,
    invitation_with_nonce,
    mark_sign_in_succeeded,
    revoke_invitations,
    revoke_tokens,
    spend_invitation,
    user_row,
    user_with_email,
    users_by_email,
)
from backend.storage.tables import Invitation, LoginAttempt, User, utcnow

MIN_PASSWORD = 10
INVITATION_DAYS = 7
WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 30
# argon2 takes tens of milliseconds of CPU on purpose: every use of it runs outside any transaction,
# never while a write holds the database (on SQLite, every other writer) and a handler thread waits.
_hasher = PasswordHasher()


class UserPublic(BaseModel):
    id: int
    email: str
    role: str
    invited: bool = Field(description="True until the user has chosen a password")


class UserCreated(UserPublic):
    invitation_url: str = Field(
        default="",
        description="Where an invited user chooses their password (valid 7 days, once); only in the answer to whoever issued it",
    )


class UserCreate(ClosedInput):
    email: Email
    role: str = Field(default="member", json_schema_extra={"enum": list(USER_ROLES)})
    password: str = Field(
        default="",
        max_length=1000,
        description=f"Leave empty to send an invitation instead; else at least {MIN_PASSWORD} characters",
        json_schema_extra={"any_of": [{"maxLength": 0}, {"minLength": MIN_PASSWORD}]},
    )


def hash_password(password: str) -> str:
    """The password's argon2 hash (tens of milliseconds of CPU: call it outside any transaction)."""
    return _hasher.hash(password)


def check_password(password: str) -> None:
    """Refuse passwords too short to resist guessing."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"the password is {len(password)} characters long; use at least {MIN_PASSWORD}", field="password")


def user_public(user: User) -> UserPublic:
    """The public view of a user (never the hash)."""
    return UserPublic(id=user.id, email=user.email, role=user.role, invited=not user.password_hash)


def issue_link(session: Session, secret: bytes, user: User, issuer: str, purpose: str) -> tuple[Invitation, str]:
    """A new single-use link for the user ('invitation' or 'reset', the first part of its path); their older unused
    links of either kind stop working. The stored row and the link's path."""
    now = utcnow()
    revoke_invitations(session, user.id, now)
    # The link carries the nonce; the table keeps only its hash, so a leaked table opens no account.
    nonce = secrets.token_urlsafe(32)
    row = Invitation(
        user_id=user.id, nonce_hash=token_hash(nonce), created_by=(issuer or "command line")[:254], created_at=now
    )
    session.add(row)
    session.flush()
    return row, f"/{purpose}/" + sign(secret, purpose, {"u": user.id, "n": nonce})


def issue_invitation(session: Session, ctx: Context, user: User, where: str = "") -> str:
    """A new invitation link for the user, shown only to its issuer and mailed to the user (`where`: what they were
    invited to, for the mail); their older unused links stop working."""
    row, path = issue_link(session, ctx.secret, user, ctx.who, "invitation")
    if ctx.mail is not None:
        invited_to = (
            f"you take part in the assessments of {where}"
            if where
            else (
                "consultants and teams assess how their organisations engage customers socially and plan what to do next"
            )
        )
        queue(
            session,
            compose(
                "invitation",
                f"invitation:{row.id}",
                user.email,
                "You are invited to Tribewise",
                issuer=ctx.who or "An administrator",
                what=invited_to,
                link=ctx.mail.base_url + path,
                days=INVITATION_DAYS,
                email=user.email,
                base_url=ctx.mail.base_url,
            ),
        )
    return path


def user_by_email(session: Session, email: str) -> User | None:
    """A user by (normalised) email."""
    return user_with_email(session, email.strip().lower())


def add_user(session: Session, email: str, role: str, password_hash: str = "") -> User:
    """Insert a user; without a password hash they are invited and sign in once they choose one."""
    if role not in USER_ROLES:
        raise Invalid(
            f"role '{role}' does not exist; use one of: {', '.join(USER_ROLES)}", field="role", allowed=list(USER_ROLES)
        )
    if user_by_email(session, email) is not None:
        raise Conflict(f"a user with the email {email} already exists", field="email")
    user = User(email=email, role=role, password_hash=password_hash)
    session.add(user)
    session.flush()
    return user


def create_user(ctx: Context, data: UserCreate) -> UserCreated:
    """Create a user (admins, and the CLI for the first admin); without a password, an invitation for the creator."""
    if data.password:
        check_password(data.password)
    password_hash = _hasher.hash(data.password) if data.password else ""
    with ctx.db.write() as session:
        user = add_user(session, data.email, data.role, password_hash)
        url = "" if password_hash else issue_invitation(session, ctx, user)
        created = UserCreated(**user_public(user).model_dump(), invitation_url=url)
    deliver_due(ctx)
    return created


def list_users(ctx: Context) -> list[UserPublic]:
    """Every user, by email."""
    with ctx.db.read() as session:
        return [user_public(u) for u in users_by_email(session)]


def _check_rate(session: Session, email: str, address: str) -> None:
    now = utcnow()
    since = now - WINDOW
    for field, value, limit, whom in (
        ("email", email, MAX_FAILURES_PER_EMAIL, "this account"),
        ("address", address, MAX_FAILURES_PER_ADDRESS, "your network address"),
    ):
        count, oldest = failed_sign_ins(session, field, value, since)
        if count >= limit:
            reason = f"too many failed sign-ins for {whom} in the last {WINDOW.seconds // 60} minutes"
            raise TooManyRequests.until(reason, oldest, WINDOW, now, ", or ask an admin to reset the password")


def _verified(password_hash: str, password: str) -> bool:
    """Whether the password matches the hash; with no hash (unknown email, invited user) the same work is done."""
    if not password_hash:
        _hasher.hash(password)  # timing does not tell which emails exist
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def _same_password(session: Session, user_id: int, password_hash: str) -> User:
    """The user, re-read in this transaction, if their password is still the one checked outside it."""
    user = session.get(User, user_id)
    if user is None or user.password_hash != password_hash:
        raise Unauthorised("the password was changed or reset meanwhile; sign in with the new one", field="password")
    return user


def authenticate(ctx: Context, email: str, password: str, address: str) -> Actor:
    """Check an email and password; every attempt is stored so the limit holds across workers."""
    email = email.strip().lower()[:254]  # lower-casing can lengthen text (İ); the column holds 254
    with ctx.db.write() as session:
        forget_sign_ins(session, utcnow() - timedelta(days=1))
        _check_rate(session, email, address)
        user = user_by_email(session, email)
        # Counted as a failure until the password checks out, so parallel guesses cannot pass the limit.
        attempt = LoginAttempt(email=email, address=address[:64], succeeded=False)
        session.add(attempt)
    password_hash = user.password_hash if user is not None else ""
    if not _verified(password_hash, password):
        raise Unauthorised("the email or password is wrong; check both and try again", field="password")
    rehashed = _hasher.hash(password) if _hasher.check_needs_rehash(password_hash) else ""
    with ctx.db.write() as session:
        mark_sign_in_succeeded(session, attempt.id)
        user = _same_password(session, user.id, password_hash)
        if rehashed:
            user.password_hash = rehashed
            session.add(user)
        return actor_of(session, user)


def change_password(ctx: Context, user_id: int, current: str, new: str) -> Actor:
    """Change a password after checking the current one; the new epoch signs out every other session."""
    check_password(new)
    with ctx.db.read() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("your account no longer exists")
        password_hash = user.password_hash
    if not _verified(password_hash, current):
        raise Invalid("the current password is wrong; type the one you signed in with", field="current_password")
    new_hash = _hasher.hash(new)
    with ctx.db.write() as session:
        user = _same_password(session, user_id, password_hash)
        store_password(session, ctx, user, new_hash)
        actor = actor_of(session, user)
    deliver_due(ctx)
    return actor


def store_password(session: Session, ctx: Context, user: User, password_hash: str) -> None:
    """Set a (new) password, signing out every session; a user who had one is told by mail it changed."""
    changed = bool(user.password_hash)
    user.password_hash = password_hash
    user.session_epoch += 1
    session.add(user)
    session.flush()
    if changed and ctx.mail is not None:
        when = utcnow()
        queue(
            session,
            compose(
                "password_changed",
                f"password_changed:{user.id}:{user.session_epoch}",
                user.email,
                "Your Tribewise password was changed",
                email=user.email,
                when=moment_text(when),
                base_url=ctx.mail.base_url,
            ),
        )


def set_password(ctx: Context, email: str, password: str) -> None:
    """Set a password from the command line (a forgotten admin password, say)."""
    check_password(password)
    password_hash = _hasher.hash(password)
    with ctx.db.write() as session:
        user = user_by_email(session, email)
        if user is None:
            raise NotFound(f"no user has the email {email}; create one with 'tribewise users create'", field="email")
        store_password(session, ctx, user, password_hash)
    deliver_due(ctx)


def accept_invitation(ctx: Context, token: str, password: str) -> Actor:
    """Set an invited user's first password; the invitation works once."""
    check_password(password)
    read_invitation(ctx, token)  # a spent or altered link costs no hashing
    password_hash = _hasher.hash(password)
    with ctx.db.write() as session:
        invitation, user = _invitation(session, ctx.secret, token)
        # Only the first of two concurrent acceptances finds the link unused (PostgreSQL waits on the row).
        if not spend_invitation(session, invitation.id, utcnow()):
            raise Invalid(USED, field="token")
        store_password(session, ctx, user, password_hash)
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
        revoke_tokens(session, user_id, utcnow())
        url = issue_invitation(session, ctx, user)
        created = UserCreated(**user_public(user).model_dump(), invitation_url=url)
    deliver_due(ctx)
    return created


def read_invitation(ctx: Context, token: str) -> str:
    """The email an invitation link is for; a clear error when it is spent, replaced, altered or too old."""
    with ctx.db.read() as session:
        return _invitation(session, ctx.secret, token)[1].email


USED = "this invitation has already been used; sign in with the password chosen then, or ask an admin to reset it"


def _invitation(session: Session, secret: bytes, token: str) -> tuple[Invitation, User]:
    """The stored invitation a link carries the nonce of, and its user, while the link may still be used."""
    payload = unsign(secret, "invitation", token, max_age=INVITATION_DAYS * 86400)
    if isinstance(payload, dict) and "e" in payload and "n" not in payload:
        raise Invalid(
            "this invitation link was issued before an upgrade that made links single-use and stopped working then; "
            "ask an admin to reset your account for a new link",
            field="token",
        )
    invitation, user = stored_link(session, payload, "invitation", USED)
    if user.password_hash:
        raise Invalid(USED, field="token")
    return invitation, user


def stored_link(session: Session, payload: object, noun: str, used: str) -> tuple[Invitation, User]:
    """The stored link (an invitation or a reset, `noun` in messages) whose nonce a signed payload carries, and its
    user, while it is unused and the user's newest; a clear 400 otherwise (`used`: what to say when it was used)."""
    nonce = payload.get("n") if isinstance(payload, dict) else None
    found = invitation_with_nonce(session, token_hash(nonce)) if isinstance(nonce, str) else None
    if found is None or found[0].user_id != payload.get("u"):
        raise Invalid(
            f"this {noun} link is not one we issued; copy the whole link you were sent, or ask for a new one",
            field="token",
        )
    invitation, user = found
    if invitation.used_at is not None:
        raise Invalid(used, field="token")
    if invitation.revoked_at is not None:
        raise Invalid(
            f"this {noun} link was replaced by a newer one; use the newest link you were sent, or ask for a new one",
            field="token",
        )
    return invitation, user


def session_actor(db: Session | Connection, user_id: int, epoch: int) -> Actor | None:
    """The actor of a session, or None when the user is gone or the session predates a password change."""
    found = user_row(db, user_id)
    if found is None:
        return None
    user, roles = found
    if user.session_epoch != epoch or not user.password_hash:
        return None
    return actor_of(db, user, roles)


def end_sessions(ctx: Context, user_id: int) -> None:
    """Sign a user out on the server: a new epoch makes every session cookie issued before it worthless."""
    with ctx.db.write() as session:
        bump_session_epoch(session, user_id)
