"""A forgotten password, reset by e-mail: a signed link that works once, for an hour, mailed only to the account's
own address. Asking says the same whether or not the address has an account, so the form tells no one who has one."""

from __future__ import annotations

from datetime import timedelta

from backend.schemas.base import utcnow
from backend.services.accounts.users import (
    check_password,
    hash_password,
    issue_invitation,
    issue_link,
    store_password,
    stored_link,
    user_by_email,
)
from backend.services.kernel.access import Actor, actor_of
from backend.services.kernel.context import Context
from backend.services.kernel.errors import Invalid
from backend.services.kernel.signing import unsign
from backend.services.mail.compose import compose
from backend.services.mail.outbox import deliver_due, queue
from backend.storage.queries.accounts import spend_invitation
from backend.storage.queries.mail import mails_since

RESET_SECONDS = 3600
# A form anyone may post to must not make Tribewise flood someone's mailbox.
MAX_RESET_MAILS_PER_HOUR = 3
USED = "this reset link has already been used; sign in with the password chosen then, or ask for a new link"


def request_reset(ctx: Context, email: str) -> None:
    """Mail a reset link to the account with this address (an invitation again to one never accepted); nothing when
    there is none, mail cannot leave, or three were sent to it in the last hour. Never says which."""
    if ctx.mail is None:
        return
    email = email.strip().lower()[:254]
    with ctx.db.write() as session:
        user = user_by_email(session, email)
        if user is None or mails_since(session, email, ("reset", "invitation"), utcnow() - timedelta(hours=1)) >= (
            MAX_RESET_MAILS_PER_HOUR
        ):
            return
        if not user.password_hash:
            issue_invitation(session, ctx, user)
        else:
            row, path = issue_link(session, ctx.secret, user, "reset by e-mail", "reset")
            queue(
                session,
                compose(
                    "reset",
                    f"reset:{row.id}",
                    user.email,
                    "Reset your Tribewise password",
                    email=user.email,
                    link=ctx.mail.base_url + path,
                    base_url=ctx.mail.base_url,
                ),
            )
    deliver_due(ctx)


def read_reset(ctx: Context, token: str) -> str:
    """The address a reset link is for; a clear error when it is used, replaced, altered or over an hour old."""
    with ctx.db.read() as session:
        return stored_link(session, _payload(ctx, token), "reset", USED)[1].email


def complete_reset(ctx: Context, token: str, password: str) -> Actor:
    """Set the new password from a reset link (once); every other session of the account is signed out."""
    check_password(password)
    read_reset(ctx, token)  # a spent or altered link costs no hashing
    password_hash = hash_password(password)
    with ctx.db.write() as session:
        link, user = stored_link(session, _payload(ctx, token), "reset", USED)
        if not spend_invitation(session, link.id, utcnow()):
            raise Invalid(USED, field="token")
        store_password(session, ctx, user, password_hash)
        actor = actor_of(session, user)
    deliver_due(ctx)
    return actor


def _payload(ctx: Context, token: str) -> object:
    return unsign(ctx.secret, "reset", token, max_age=RESET_SECONDS)
