"""The presenter screen: a full-screen page for the projector, and the facilitator's keys on it.

The screen polls a small fragment every second; an unchanged one answers 304 from a few counts (the stamp of
backend/services/workshops/presenter.py). The keys (→ next, ← previous, R reveal, L lock) are small forms at the
bottom of the page that work as plain POSTs; presenter.js presses them from the keyboard and swaps the screen in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Controller, Request, Response, get, post

from backend.services.assessments import assessments
from backend.services.kernel.errors import ServiceError
from backend.services.organisations import organisations
from backend.services.workshops import presenter
from backend.web.pages.forms import Form
from backend.web.pages.render import attempt, go, page, stamped, wants_fragment
from backend.web.params import Ctx, PathInt

FORM = {"sync_to_thread": True, "form": True}
SCREEN = "partials/_presenter_screen"
# The fragment answers htmx and the page's first render alike: a cache must not hand one to the other.
VARY = {"Vary": "HX-Request"}


def _address(request: Request) -> str:
    """Where the room types the code: this site's /join, without the scheme (shorter to read off a wall)."""
    return f"{request.base_url.netloc}/join"


def _screen_context(ctx, request: Request, assessment_id: int) -> dict[str, Any]:
    return {
        "screen": presenter.presenter_screen(ctx, assessment_id),
        "join_host": request.base_url.netloc,
        "join_address": _address(request),
        "qr_src": f"/api/v1/assessments/{assessment_id}/workshop/qr.svg",
    }


def _screen(ctx, request: Request, assessment_id: int) -> Response:
    """The screen fragment with its ETag: 304 when the browser holds it already."""
    stamp = f"{presenter.screen_stamp(ctx, assessment_id)}|{_address(request)}|{assessment_id}"
    return stamped(request, SCREEN, stamp, lambda: _screen_context(ctx, request, assessment_id), VARY)


def _page(ctx, request: Request, assessment_id: int, status_code: int = 200, error: str = "") -> Response:
    assessment = assessments.read_assessment(ctx, assessment_id)
    return page(
        request,
        "workshop_present",
        status_code,
        VARY,
        assessment=assessment,
        organisation=organisations.read_organisation(ctx, assessment.organisation_id),
        error=error,
        **_screen_context(ctx, request, assessment_id),
    )


def _refusal(err: ServiceError) -> Response:
    """A key refused, for presenter.js to show in the page's message line (htmx); its text only."""
    return Response(err.message, status_code=err.status_code, media_type="text/plain; charset=utf-8")


class PresenterPages(Controller):
    """The projector's screen of a workshop, and the keys that steer the room from it."""

    include_in_schema = False
    path = "/assessments/{assessment_id:int}/workshop/present"

    @get("/", access="workshop", sync_to_thread=True)
    def present(self, ctx: Ctx, request: Request, assessment_id: PathInt) -> Response:
        """The full-screen presenter page: join code and QR, the current question, its answers, the end screen."""
        return _page(ctx, request, assessment_id)

    @get("/screen", access="workshop", sync_to_thread=True)
    def screen(self, ctx: Ctx, request: Request, assessment_id: PathInt) -> Response:
        """The screen alone, for htmx to poll every second; the whole page for anything else."""
        if not wants_fragment(request):
            return go(f"/assessments/{assessment_id}/workshop/present")
        return _screen(ctx, request, assessment_id)

    @post("/next", access="workshop", status_code=200, **FORM)
    def next_form(self, ctx: Ctx, request: Request, assessment_id: PathInt, data: Form) -> Response:
        """→: the room moves to the next question (the first, before any)."""
        return _press(ctx, request, assessment_id, lambda: presenter.move(ctx, assessment_id, "next"))

    @post("/previous", access="workshop", status_code=200, **FORM)
    def previous_form(self, ctx: Ctx, request: Request, assessment_id: PathInt, data: Form) -> Response:
        """←: the room moves back to the previous question."""
        return _press(ctx, request, assessment_id, lambda: presenter.move(ctx, assessment_id, "previous"))

    @post("/reveal", access="workshop", status_code=200, **FORM)
    def reveal_form(self, ctx: Ctx, request: Request, assessment_id: PathInt, data: Form) -> Response:
        """R: show the current question's answers to the room and the phones, or hide them again."""
        return _press(ctx, request, assessment_id, lambda: presenter.toggle_reveal(ctx, assessment_id))

    @post("/lock", access="workshop", status_code=200, **FORM)
    def lock_form(self, ctx: Ctx, request: Request, assessment_id: PathInt, data: Form) -> Response:
        """L: close the current question's answers, or reopen them."""
        return _press(ctx, request, assessment_id, lambda: presenter.toggle_lock(ctx, assessment_id))


def _press(ctx, request: Request, assessment_id: int, action: Callable[[], object]) -> Response:
    """Run a key's change: the screen again (htmx) or the page (a plain post); a refusal says why."""

    def change() -> Response:
        action()
        if wants_fragment(request):
            return _screen(ctx, request, assessment_id)
        return go(f"/assessments/{assessment_id}/workshop/present")

    def refused(err: ServiceError) -> Response:
        if wants_fragment(request):
            return _refusal(err)
        return _page(ctx, request, assessment_id, err.status_code, err.message)

    return attempt(change, refused)


PRESENTER_PAGES = [PresenterPages]
