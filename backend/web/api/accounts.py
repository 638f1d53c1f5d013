"""Accounts in the JSON API: tokens, the signed-in user, password change, users (admins)."""

from __future__ import annotations

from litestar import Controller, Request, delete, get, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from pydantic import BaseModel, Field

from backend.schemas.base import ClosedInput
from backend.services.accounts import tokens, users
from backend.services.accounts.tokens import TokenCreate, TokenCreated, TokenPublic
from backend.services.accounts.users import MIN_PASSWORD, UserCreate, UserCreated, UserPublic
from backend.web.auth import sign_in
from backend.web.openapi import error_responses
from backend.web.params import Ctx, PathInt

SYNC = {"sync_to_thread": True}


class TokenRequest(ClosedInput):
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=1000)
    name: str = Field(default="API token", min_length=1, max_length=100)


class PasswordChange(ClosedInput):
    current_password: str = Field(min_length=1, max_length=1000)
    # Documented only: users.check_password's message says how long it was.
    new_password: str = Field(min_length=1, max_length=1000, json_schema_extra={"minLength": MIN_PASSWORD})


class Me(BaseModel):
    id: int
    email: str
    role: str
    organisations: dict[int, str] = Field(description="Your role in each organisation, by organisation id")


def client_address(request: Request) -> str:
    """The caller's address, for the sign-in limit."""
    return request.client.host if request.client else "unknown"


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["accounts"]

    @post("/token", status_code=HTTP_201_CREATED, access="public", responses=error_responses(429), **SYNC)
    def token(self, ctx: Ctx, request: Request, data: JSONBody[TokenRequest]) -> TokenCreated:
        """Exchange an email and password for a personal access token (rate-limited)."""
        actor = users.authenticate(ctx, data.email, data.password, client_address(request))
        return tokens.issue_token(ctx, actor.user_id, data.name)

    @get("/me", access="signed_in", **SYNC)
    def me(self, ctx: Ctx) -> Me:
        """Who you are and your role in each organisation."""
        return Me(id=ctx.actor.user_id, email=ctx.actor.email, role=ctx.actor.role, organisations=ctx.actor.roles)

    @get("/tokens", access="signed_in", **SYNC)
    def list_tokens(self, ctx: Ctx) -> list[TokenPublic]:
        """Your tokens, revoked ones included (never their values)."""
        return tokens.list_tokens(ctx, ctx.actor.user_id)

    @post("/tokens", status_code=HTTP_201_CREATED, access="signed_in", **SYNC)
    def create_token(self, ctx: Ctx, data: JSONBody[TokenCreate]) -> TokenCreated:
        """A new token for yourself; its value is shown only in this response."""
        return tokens.issue_token(ctx, ctx.actor.user_id, data.name)

    @delete("/tokens/{token_id:int}", status_code=HTTP_200_OK, access="signed_in", **SYNC)
    def revoke_token(self, ctx: Ctx, token_id: PathInt) -> TokenPublic:
        """Revoke one of your tokens: it stops working at once."""
        return tokens.revoke_token(ctx, ctx.actor.user_id, token_id)

    @post("/password", status_code=HTTP_200_OK, access="signed_in", **SYNC)
    def password(self, ctx: Ctx, request: Request, data: JSONBody[PasswordChange]) -> dict[str, str]:
        """Change your password; every other session is signed out (tokens stay valid until revoked)."""
        actor = users.change_password(ctx, ctx.actor.user_id, data.current_password, data.new_password)
        current = request.state.get("web_session")
        if current is not None and current.user_id == actor.user_id:
            sign_in(request, actor)  # this session stays signed in with the new epoch
        return {"detail": "password changed; other sessions are signed out"}


class UserController(Controller):
    path = "/api/v1/users"
    tags = ["accounts"]

    @get("/", access="admin", **SYNC)
    def list(self, ctx: Ctx) -> list[UserPublic]:
        """Every user (admins only)."""
        return users.list_users(ctx)

    @post("/", status_code=HTTP_201_CREATED, access="admin", responses=error_responses(409), **SYNC)
    def create(self, ctx: Ctx, data: JSONBody[UserCreate]) -> UserCreated:
        """Create a user; without a password the answer carries their invitation link."""
        return users.create_user(ctx, data)

    @post("/{user_id:int}/reset", status_code=HTTP_200_OK, access="admin", **SYNC)
    def reset(self, ctx: Ctx, user_id: PathInt) -> UserCreated:
        """Clear a user's password and issue a new invitation link (signs them out everywhere)."""
        return users.reset_invitation(ctx, user_id)
