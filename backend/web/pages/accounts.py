"""Sign in and out, accept an invitation, and the account page (password, tokens)."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery

from backend.services import reminders
from backend.services.accounts import resets, tokens, users
from backend.services.accounts.tokens import TokenCreate
from backend.web.api.accounts import client_address
from backend.web.auth import sign_in, sign_out, signed_in_user
from backend.web.pages.forms import Form, flag, parse
from backend.web.pages.render import attempt, go, local_path, page
from backend.web.params import Ctx, PathInt, PathStr

FORM = {"sync_to_thread": True, "form": True}


# The page where a password is chosen, from an invitation or a reset link: its words and where it posts.
INVITATION = {
    "path": "invitation",
    "heading": "Welcome to Tribewise",
    "crumb": "Invitation",
    "button": "Set password and sign in",
}
RESET = {
    "path": "reset",
    "heading": "Choose a new password",
    "crumb": "Reset password",
    "button": "Set the new password and sign in",
}


def _choose(request: Request, link: dict, token: str, email: str, status_code: int = 200, **extra) -> Response:
    return page(request, "invitation", status_code, link=link, email=email, token=token, **extra)


def _chosen(ctx, request: Request, link: dict, token: str, data: Form, email: str, accept) -> Response:
    """Set the password a link lets its user choose (both typed the same) and sign in; the form again otherwise."""
    password = str(data.get("password", ""))
    if password != data.get("confirm"):
        return _choose(request, link, token, email, 400, error="the two passwords differ; type the same one twice")

    def change():
        sign_in(request, accept(ctx, token, password))
        return go("/")

    return attempt(change, lambda err: _choose(request, link, token, email, err.status_code, error=err.message))


def _outbox_note(ctx) -> bool:
    """Whether mail goes to the outbox folder (no SMTP server set), for the forgot-password page to say so."""
    return ctx.mail is None or not ctx.mail.smtp_url


def _account(ctx, request: Request, status_code: int = 200, **extra) -> Response:
    return page(
        request,
        "account",
        status_code,
        tokens=tokens.list_tokens(ctx, ctx.actor.user_id),
        reminders=reminders.own_reminders(ctx, ctx.actor.user_id),
        **extra,
    )


class AccountPages(Controller):
    """Sign-in, invitation and account pages."""

    include_in_schema = False

    @get("/sign-in", access="public", sync_to_thread=False)
    def sign_in_page(self, ctx: Ctx, request: Request, next: FromQuery[str | None] = None) -> Response:
        """The sign-in form (signed-in users go straight on)."""
        if ctx.actor is not None:
            return go(local_path(next))
        return page(request, "sign_in", next=local_path(next), email="")

    @get("/sign-in/forgot", access="public", sync_to_thread=False)
    def forgot_page(self, ctx: Ctx, request: Request, sent: FromQuery[str | None] = None) -> Response:
        """Ask for a reset link by e-mail (or, once asked, what happens next)."""
        return page(request, "forgot", sent=sent == "1", outbox=_outbox_note(ctx))

    @post("/sign-in/forgot", access="public", **FORM)
    def forgot_form(self, ctx: Ctx, request: Request, data: Form) -> Response:
        """Mail a reset link to the address if it has an account; the answer is the same either way."""
        email = str(data.get("email", "")).strip()
        if "@" not in email:
            return page(
                request,
                "forgot",
                400,
                error="type the e-mail address you sign in with",
                email=email,
                outbox=_outbox_note(ctx),
            )
        resets.request_reset(ctx, email)
        return go("/sign-in/forgot?sent=1")

    @post("/sign-in", access="public", **FORM)
    def sign_in_form(self, ctx: Ctx, request: Request, data: Form) -> Response:
        """Check the email and password; the form comes back with the reason when they do not pass."""
        email, target = str(data.get("email", "")), local_path(data.get("next"))

        def change():
            sign_in(request, users.authenticate(ctx, email, str(data.get("password", "")), client_address(request)))
            return go(target)

        return attempt(
            change,
            lambda err: page(
                request, "sign_in", err.status_code, err.headers(), error=err.message, email=email, next=target
            ),
        )

    @post("/sign-out", access="public", **FORM)
    def sign_out_form(self, ctx: Ctx, request: Request) -> Response:
        """End the session on the server too, so a copied cookie dies with it; this signs the user
        out of their other browsers as well (their API tokens stay)."""
        user_id = signed_in_user(request)
        if user_id is not None:
            users.end_sessions(ctx, user_id)
        sign_out(request)
        return go("/sign-in")

    @get("/invitation/{token:str}", access="public", sync_to_thread=True)
    def invitation_page(self, ctx: Ctx, request: Request, token: PathStr) -> Response:
        """Choose a first password from an invitation link."""
        return _choose(request, INVITATION, token, users.read_invitation(ctx, token))

    @post("/invitation/{token:str}", access="public", **FORM)
    def invitation_form(self, ctx: Ctx, request: Request, token: PathStr, data: Form) -> Response:
        """Set the password and sign in."""
        return _chosen(
            ctx, request, INVITATION, token, data, users.read_invitation(ctx, token), users.accept_invitation
        )

    @get("/reset/{token:str}", access="public", sync_to_thread=True)
    def reset_page(self, ctx: Ctx, request: Request, token: PathStr) -> Response:
        """Choose a new password from a reset link."""
        return _choose(request, RESET, token, resets.read_reset(ctx, token))

    @post("/reset/{token:str}", access="public", **FORM)
    def reset_form(self, ctx: Ctx, request: Request, token: PathStr, data: Form) -> Response:
        """Set the new password and sign in."""
        return _chosen(ctx, request, RESET, token, data, resets.read_reset(ctx, token), resets.complete_reset)

    @get("/account", access="signed_in", sync_to_thread=True)
    def account_page(self, ctx: Ctx, request: Request, notice: FromQuery[str | None] = None) -> Response:
        """Your account: change the password, manage API tokens."""
        return _account(
            ctx,
            request,
            notice={
                "password": "Password changed. Other sessions are signed out.",
                "revoked": "Token revoked.",
                "reminders-on": "Reminders are on.",
                "reminders-off": "Reminders are off: Tribewise sends you none until you turn them on here.",
            }.get(notice or ""),
        )

    @post("/account/reminders", access="signed_in", **FORM)
    def reminders_form(self, ctx: Ctx, data: Form) -> Response:
        """Turn one's own reminder e-mails on or off."""
        on = flag(data, "on") is not False
        reminders.set_own_reminders(ctx, ctx.actor.user_id, on)
        return go(f"/account?notice=reminders-{'on' if on else 'off'}#reminders")

    @get("/reminders/off/{token:str}", access="public", sync_to_thread=False)
    def reminders_off_page(self, request: Request, token: PathStr) -> Response:
        """The link in every reminder: a button that turns them off (a link alone changes nothing)."""
        return page(request, "reminders_off", token=token)

    @post("/reminders/off/{token:str}", access="public", **FORM)
    def reminders_off_form(self, ctx: Ctx, request: Request, token: PathStr) -> Response:
        """Turn off the reminders of the user the link was sent to."""
        return page(request, "reminders_off", token=token, done=reminders.reminders_off(ctx, token) or "your account")

    @post("/account/password", access="signed_in", **FORM)
    def password_form(self, ctx: Ctx, request: Request, data: Form) -> Response:
        """Change the password; this session stays signed in."""
        new = str(data.get("new_password", ""))
        if new != data.get("confirm"):
            return _account(ctx, request, 400, error="the two new passwords differ; type the same one twice")

        def change():
            sign_in(request, users.change_password(ctx, ctx.actor.user_id, str(data.get("current_password", "")), new))
            return go("/account?notice=password")

        return attempt(change, lambda err: _account(ctx, request, err.status_code, error=err.message))

    @post("/account/tokens", access="signed_in", **FORM)
    def token_form(self, ctx: Ctx, request: Request, data: Form) -> Response:
        """Create a token and show its value, once."""
        made = tokens.issue_token(ctx, ctx.actor.user_id, parse(TokenCreate, data, "name").name)
        return _account(ctx, request, 201, created=made)

    @post("/account/tokens/{token_id:int}/revoke", access="signed_in", **FORM)
    def revoke_form(self, ctx: Ctx, token_id: PathInt) -> Response:
        """Revoke a token."""
        tokens.revoke_token(ctx, ctx.actor.user_id, token_id)
        return go("/account?notice=revoked")
