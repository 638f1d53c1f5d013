"""Personal access tokens for the JSON API: created and revoked by their owner."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from backend.schemas.base import ClosedInput
from backend.services.kernel.access import Actor, actor_of
from backend.services.kernel.context import Context
from backend.services.kernel.errors import NotFound
from backend.storage.db import Connection, Session
from backend.storage.queries.accounts import token_owner, tokens_of
from backend.storage.tables import ApiToken, utcnow

PREFIX = "tw_"
# Writing last_used_at on every request would make every read a write.
TOUCH_EVERY = timedelta(minutes=5)


class TokenCreate(ClosedInput):
    name: str = Field(
        default="API token", min_length=1, max_length=100, description="What the token is for, to recognise it later"
    )


class TokenPublic(BaseModel):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the token, to tell tokens apart")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'. Shown once: it cannot be read back.")


def token_hash(token: str) -> str:
    """The stored form of a random secret (token or invitation nonce), never the secret itself."""
    # They are 256 random bits: a fast hash is enough, a leaked table reveals none.
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(ctx: Context, user_id: int, name: str) -> TokenCreated:
    """A new token for the user; the only time its value is shown."""
    token = PREFIX + secrets.token_urlsafe(32)
    with ctx.db.write() as session:
        row = ApiToken(
            user_id=user_id, name=name.strip() or "API token", token_hash=token_hash(token), prefix=token[:10]
        )
        session.add(row)
        session.flush()
        return TokenCreated(**TokenPublic.model_validate(row, from_attributes=True).model_dump(), token=token)


def list_tokens(ctx: Context, user_id: int) -> list[TokenPublic]:
    """The user's tokens, newest first, revoked ones included."""
    with ctx.db.read() as session:
        return [TokenPublic.model_validate(r, from_attributes=True) for r in tokens_of(session, user_id)]


def revoke_token(ctx: Context, user_id: int, token_id: int) -> TokenPublic:
    """Revoke one of the user's tokens; another user's token does not exist for them."""
    with ctx.db.write() as session:
        row = session.get(ApiToken, token_id)
        if row is None or row.user_id != user_id:
            raise NotFound(f"token {token_id} not found among your tokens", field="token_id")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            session.add(row)
        return TokenPublic.model_validate(row, from_attributes=True)


def actor_for_token(db: Session | Connection, token: str) -> tuple[Actor, int | None] | None:
    """The user a live token belongs to, and the token's id when its last use is worth recording; or None."""
    if not token.startswith(PREFIX):
        return None
    found = token_owner(db, token_hash(token))
    if found is None:
        return None
    owner, roles = found
    stale = owner.last_used_at is None or owner.last_used_at < utcnow() - TOUCH_EVERY
    return actor_of(db, owner, roles), owner.token_id if stale else None


def touch_token(ctx: Context, token_id: int) -> None:
    """Record that a token was used (at most every few minutes, so reads stay reads)."""
    with ctx.db.write() as session:
        session.get(ApiToken, token_id).last_used_at = utcnow()
