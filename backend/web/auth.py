"""Every request's who and may-they: session cookie or bearer token, CSRF, the route's access rule.

One guard for the whole app applies them and builds the services context that handlers get as
a dependency: no handler reaches data without its route's rule having been applied first.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, replace

from litestar import Request
from litestar.concurrency import sync_to_thread
from litestar.datastructures import Cookie

from backend.services.accounts.tokens import actor_for_token, touch_token
from backend.services.accounts.users import session_actor
from backend.services.kernel.access import GLOBAL_RULES, Actor, authorise
from backend.services.kernel.context import Context
from backend.services.kernel.errors import Forbidden, ServiceError, Unauthorised
from backend.services.kernel.signing import serializer
from backend.web.gate import is_litestars_options

COOKIE = "tw_session"
SESSION_DAYS = 14
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "_csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SCHEMA_PATH = "/schema"


@dataclass
class WebSession:
    """What the session cookie carries: the user (if signed in), their password epoch, the CSRF token."""

    user_id: int | None = None
    epoch: int = 0
    csrf: str = ""
    changed: bool = False

    def payload(self) -> dict:
        return {"u": self.user_id, "e": self.epoch, "c": self.csrf}


def read_session(request: Request, secret: bytes) -> WebSession | None:
    """The signed session from the cookie, or None when absent, altered or too old."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = serializer(secret, "session").loads(raw, max_age=SESSION_DAYS * 86400)
    except Exception:  # itsdangerous raises several kinds; any of them means "no session"
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), str):
        return None
    return WebSession(user_id=data.get("u"), epoch=int(data.get("e") or 0), csrf=data["c"])


def web_session(request: Request) -> WebSession:
    """This request's session, made (with a fresh CSRF token) when the browser has none yet."""
    session = request.state.get("web_session")
    if session is None:
        # An unrouted URL or a wrong method never reaches the guard: its error page reads the
        # cookie here rather than replacing it, or a stray /favicon.ico would sign the user out.
        session = read_session(request, request.app.state.ctx.secret) or WebSession(
            csrf=secrets.token_urlsafe(24), changed=True
        )
        request.state.web_session = session
    return session


def sign_in(request: Request, actor: Actor) -> None:
    """Bind the session to a user; a new CSRF token too, so one seen before sign-in is worthless."""
    request.state.web_session = WebSession(
        user_id=actor.user_id, epoch=actor.epoch, csrf=secrets.token_urlsafe(24), changed=True
    )


def signed_in_user(request: Request) -> int | None:
    """The user this request's session cookie signed in (not a bearer token's), or None."""
    session, ctx = request.state.get("web_session"), request.state.get("ctx")
    actor = ctx.actor if ctx is not None else None
    return actor.user_id if actor is not None and session is not None and session.user_id == actor.user_id else None


def sign_out(request: Request) -> None:
    """Forget the user in this browser: the cookie is replaced by an anonymous session. Copies of
    the old cookie die only with the user's epoch (accounts.end_sessions)."""
    request.state.web_session = WebSession(csrf=secrets.token_urlsafe(24), changed=True)


def store_session(secret: bytes, secure: bool):
    """A before-send hook writing the session cookie when it changed, never on an error answer:
    signed, http-only, same-site, secure unless settings say the site is plain http."""

    async def before_send(message, scope) -> None:
        if message["type"] != "http.response.start" or message["status"] >= 400:
            return
        session = scope.get("state", {}).get("web_session")
        if session is not None and session.changed:
            cookie = Cookie(
                key=COOKIE,
                value=serializer(secret, "session").dumps(session.payload()),
                max_age=SESSION_DAYS * 86400,
                path="/",
                secure=secure,
                httponly=True,
                samesite="lax",
            )
            message["headers"] = [
                *message.get("headers", []),
                (b"set-cookie", cookie.to_header(header="").strip().encode()),
            ]

    return before_send


async def _csrf_ok(request: Request, expected: str) -> bool:
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.content_type[0] in ("application/x-www-form-urlencoded", "multipart/form-data"):
        sent = (await request.form()).get(CSRF_FIELD, "")
    return bool(expected) and hmac.compare_digest(str(sent), expected)


async def authorise_request(request: Request, handler) -> None:
    """The app's guard: who is asking (bearer token or session cookie), the CSRF check, then the
    route's access rule. It runs before the body is parsed, so a refusal reveals nothing."""
    rule = handler.opt.get("access")
    if rule is None:
        if request.url.path.startswith(SCHEMA_PATH):
            return  # the OpenAPI document describes the API; it holds no data
        if is_litestars_options(handler):
            return  # which methods a path takes is no secret; the answer (gate.options_answer) reads and writes no session
        raise RuntimeError(f"route {request.url.path} has no access rule; give its handler opt={{'access': ...}}")
    base: Context = request.app.state.ctx
    token = None
    authorization = request.headers.get("authorization", "")
    session = read_session(request, base.secret)
    if session is not None:
        request.state.web_session = session
    if authorization:
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthorised("send the token as 'Authorization: Bearer <token>'", field="authorization")
    user = (
        (session.user_id, session.epoch)
        if session is not None and session.user_id is not None and token is None
        else None
    )
    params = dict(request.path_params)
    if token is None and user is None and rule in GLOBAL_RULES:
        actor, refusal, stale_token = (
            None,
            _refusal(None, rule, params, None),
            None,
        )  # nobody to look up, nothing to read
    elif base.db.is_sqlite:
        # SQLite answers these few reads inside this process in microseconds: a trip to a worker
        # thread and back would cost more of the server's time than the reads themselves.
        actor, refusal, stale_token = _identify(base, token, user, rule, params)
    else:
        # A database server is waited on in a worker thread: one trip, one connection for who is asking and may they.
        actor, refusal, stale_token = await sync_to_thread(_identify, base, token, user, rule, params)
    if stale_token is not None:
        await sync_to_thread(touch_token, base, stale_token)
    request.state.ctx = replace(base, actor=actor)  # pages show who is signed in, error pages too
    # A browser sends cookies on its own, so anything a cookie authorises, and every form, needs
    # the token only our pages know. Bearer tokens are never sent on their own: they need none.
    by_cookie = user is not None and actor is not None
    if request.method in UNSAFE and (by_cookie or handler.opt.get("form")):
        if not await _csrf_ok(request, session.csrf if session else ""):
            raise Forbidden(
                "this request has no valid CSRF token; reload the page and try again "
                f"(API clients: send '{CSRF_HEADER}' with the session's token, or use a bearer token)",
                field="csrf",
            )
    if refusal is not None:
        raise refusal


def _identify(
    base: Context, token: str | None, user: tuple[int, int] | None, rule: str, params: dict
) -> tuple[Actor | None, ServiceError | None, int | None]:
    """The actor behind a bearer token or a session, the route rule's refusal if any, and the
    token's id when its last use is worth recording (a write, left to the caller)."""
    stale_token = None
    with base.db.peek() as db:
        if token is not None:
            found = actor_for_token(db, token)
            if found is None:
                raise Unauthorised(
                    "this token is not valid or was revoked; create a new one with POST /api/v1/auth/token",
                    field="authorization",
                )
            actor, stale_token = found
        else:
            actor = session_actor(db, *user) if user is not None else None
        refusal = _refusal(db, rule, params, actor)
    return actor, refusal, stale_token


def _refusal(db, rule: str, params: dict, actor: Actor | None) -> ServiceError | None:
    try:
        authorise(db, actor, rule, params)
    except ServiceError as refused:
        return refused
    return None


def provide_context(request: Request) -> Context:
    """The services context the guard built for this request."""
    return request.state.ctx


SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


NOT_STORED = [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
REVALIDATED = [(b"cache-control", b"private, no-cache")]
ASSETS = ("/static/", "/vendor/")


async def security_headers(message, scope) -> None:
    """Add the security headers to every response, errors included; nothing but assets may be stored
    by a browser or proxy (signed-in answers are private, and every page carries a CSRF token), except
    that a browser may keep what carries an ETag, to revalidate it."""
    if message["type"] != "http.response.start":
        return
    headers = list(message.get("headers", [])) + SECURITY_HEADERS
    if not scope.get("path", "").startswith(ASSETS):
        # A response with an ETag (a polled board, a result) may be kept by the browser alone and only after
        # asking the server: that is what lets an unchanged poll cost a 304 and no body.
        validated = any(name.lower() == b"etag" for name, _ in headers)
        headers = [(name, value) for name, value in headers if name.lower() not in (b"cache-control", b"pragma")] + (
            REVALIDATED if validated else NOT_STORED
        )
    message["headers"] = headers
