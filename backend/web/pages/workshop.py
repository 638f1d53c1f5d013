"""Workshop mode's screens: the facilitator's controls and live board, the participants' join and answers.

Every change goes through the same services as the JSON API (backend/services/workshops.py and friends).
The board is a fragment polled by htmx: it is read from the database each time, so it works with any
number of workers. Participants have no account: joining puts their token in a cookie scoped to their
workshop's join path (HttpOnly, SameSite=Strict), which their answer posts send back. Their pages (joining,
following the facilitator's current question, all questions) are in workshop_follow.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery

from backend import labels
from backend.schemas.workshops import (
    SectionPatch,
    WorkshopOpen,
    WorkshopPatch,
)
from backend.services.workshops import board, summary_mail, workshops
from backend.web.pages import workshop_console as console
from backend.web.pages.forms import Form, flag, parse
from backend.web.pages.render import attempt, go, stamped, wants_fragment
from backend.web.pages.workshop_follow import COOKIE, ParticipantPages  # noqa: F401 (COOKIE: re-exported)
from backend.web.params import Ctx, PathInt, PathStr

FORM = {"sync_to_thread": True, "form": True}
NOTICES = {
    "opened": "Workshop opened: share the code or the link.",
    "updated": "Workshop updated.",
    "agreed": "Consensus recorded.",
}


def _filled(form: Mapping[str, Any]) -> dict[str, Any]:
    """The form's fields that were sent with a value: an empty one means 'leave as it is'."""
    return {k: v for k, v in form.items() if str(v).strip()}


# The facilitator


def _change(ctx, request: Request, assessment_id: int, action, notice: str = "updated") -> Response:
    """Run a facilitator's change; on a refusal show the screen again with the reason."""

    def change():
        action()
        return go(f"/assessments/{assessment_id}/workshop?notice={notice}")

    return attempt(change, lambda err: console.screen(ctx, request, assessment_id, err.status_code, error=err.message))


class FacilitatorPages(Controller):
    """The facilitator's screen: open, share, lock and reveal, names, close, the live board and consensus."""

    include_in_schema = False
    path = "/assessments/{assessment_id:int}/workshop"

    @get("/", access="workshop", sync_to_thread=True)
    def screen(
        self,
        ctx: Ctx,
        request: Request,
        assessment_id: PathInt,
        notice: FromQuery[str | None] = None,
        accepted: FromQuery[int | None] = None,
    ) -> Response:
        """The workshop of an assessment, or the button that opens one (`accepted`: how many medians were accepted or
        summaries sent, for the notice)."""
        if notice == "medians" and accepted:
            said = labels.accepted_text(accepted)
        elif notice == "summary" and accepted is not None:
            said = labels.summary_sent_text(accepted)
        else:
            said = NOTICES.get(notice or "")
        return console.screen(ctx, request, assessment_id, notice=said)

    @post("/", access="workshop", **FORM)
    def open_form(self, ctx: Ctx, request: Request, assessment_id: PathInt, data: Form) -> Response:
        """Open the workshop with its participant cap (or find the one already open)."""

        def action():
            workshops.open_workshop(ctx, assessment_id, parse(WorkshopOpen, _filled(data), "participant_cap"))

        return _change(ctx, request, assessment_id, action, "opened")

    @get("/board", access="workshop", sync_to_thread=True)
    def board(self, ctx: Ctx, request: Request, assessment_id: PathInt) -> Response:
        """The live board alone, for htmx to poll; the whole screen for anything else."""
        if not wants_fragment(request):
            return go(f"/assessments/{assessment_id}/workshop")
        # Polled every few seconds: an unchanged board answers 304 from a few counts, without being built.
        return stamped(
            request,
            "partials/_workshop_board",
            board.board_stamp(ctx, assessment_id),
            lambda: {"board": board.board(ctx, assessment_id)},
            {"Vary": "HX-Request"},
        )

    @post("/summary", access="workshop", **FORM)
    def summary_form(self, ctx: Ctx, request: Request, assessment_id: PathInt) -> Response:
        """E-mail the closed workshop's summary to the participants who left an address (once each)."""

        def change():
            sent = summary_mail.mail_summary(ctx, assessment_id)
            return go(f"/assessments/{assessment_id}/workshop?notice=summary&accepted={sent}")

        return attempt(
            change, lambda err: console.screen(ctx, request, assessment_id, err.status_code, error=err.message)
        )

    @post("/settings", access="workshop", **FORM)
    def settings_form(self, ctx: Ctx, request: Request, assessment_id: PathInt, data: Form) -> Response:
        """Close or reopen the workshop; names on the board on or off; change the participant cap."""

        def action():
            fields = {**_filled(data), "show_names": flag(data, "show_names")}
            workshops.update_workshop(
                ctx, assessment_id, parse(WorkshopPatch, fields, "status", "show_names", "participant_cap")
            )

        return _change(ctx, request, assessment_id, action)

    @post("/sections/{section_id:str}", access="workshop", **FORM)
    def section_form(
        self, ctx: Ctx, request: Request, assessment_id: PathInt, section_id: PathStr, data: Form
    ) -> Response:
        """Lock or unlock a section; reveal or hide its results."""

        def action():
            patch = SectionPatch(locked=flag(data, "locked"), revealed=flag(data, "revealed"))
            workshops.update_section(ctx, assessment_id, section_id, patch)

        return _change(ctx, request, assessment_id, action)


WORKSHOP_PAGES = [FacilitatorPages, console.ConsolePages, ParticipantPages]
