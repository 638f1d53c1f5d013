"""/join: where someone in the room types the workshop code off the screen, without an account.

The code is read as the participants' pages read it (workshops.normalise_code): any case, with or without
the dash or spaces. A known code goes on to that workshop's join page; anything else shows the form again
with what was typed and what to fix.
"""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery

from backend.services.kernel.errors import NotFound
from backend.services.workshops import participants, workshops
from backend.web.pages.forms import Form
from backend.web.pages.render import go, page
from backend.web.params import Ctx

# Longer than any code typed with spaces and dashes; what is kept to show again is cut here.
TYPED_MAX = 40
MALFORMED = (
    "A workshop code has 8 letters and digits, such as ABCD-EFGH: check the code on the screen and type it again."
)
EMPTY = "Type the workshop code shown on the screen, such as ABCD-EFGH."


def _form(request: Request, status_code: int = 200, typed: str = "", error: str = "") -> Response:
    return page(request, "workshop_entry", status_code, typed=typed, problem=error)


def _enter(ctx, request: Request, typed: str) -> Response:
    """To the workshop's join page for a code that is one, else the form again saying what to fix."""
    typed = typed.strip()[:TYPED_MAX]
    if not typed:
        return _form(request, 422, typed, EMPTY)
    code = workshops.normalise_code(typed)
    if code is None:
        return _form(request, 422, typed, MALFORMED)
    try:
        participants.workshop_info(ctx, code)
    except NotFound:
        shown = f"{code[:4]}-{code[4:]}"
        message = f"No workshop has the code {shown}: check it against the screen, or ask the facilitator."
        return _form(request, 404, typed, message)
    return go(workshops.join_path(code))


class JoinEntryPages(Controller):
    """The page people reach from the sign-in page or by typing /join: one field, the workshop code."""

    include_in_schema = False
    path = "/join"

    @get("/", access="public", sync_to_thread=True)
    def entry(self, ctx: Ctx, request: Request, code: FromQuery[str | None] = None) -> Response:
        """The code form; with ?code= on to that workshop's join page."""
        if code is None:
            return _form(request)
        return _enter(ctx, request, code)

    @post("/", access="public", sync_to_thread=True, form=True)
    def entry_form(self, ctx: Ctx, request: Request, data: Form) -> Response:
        """The code form posted: on to that workshop's join page."""
        return _enter(ctx, request, str(data.get("code") or ""))


ENTRY_PAGES = [JoinEntryPages]
