"""Workshop mode's screens: the facilitator's controls and live board, the participants' join and answers.

Every change goes through the same services as the JSON API (backend/services/workshops.py and friends).
The board is a fragment polled by htmx: it is read from the database each time, so it works with any
number of workers. Participants have no account: joining puts their token in a cookie scoped to their
workshop's join path (HttpOnly, SameSite=Strict), which their answer posts send back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import FromQuery

from backend import labels
from backend.labels import answer_choices as choices
from backend.schemas.limits import REASON_MAX_LENGTH
from backend.schemas.workshops import (
    ParticipantAnswerPut,
    SectionPatch,
    WorkshopJoin,
    WorkshopOpen,
    WorkshopPatch,
)
from backend.services.kernel.errors import Invalid, NotFound, ServiceError, Unauthorised
from backend.services.workshops import board, participants, workshops
from backend.web.api.accounts import client_address
from backend.web.pages import workshop_console as console
from backend.web.pages.forms import Form, flag, parse
from backend.web.pages.render import attempt, fragment, go, page, stamped, wants_fragment
from backend.web.params import Ctx, PathInt, PathStr

FORM = {"sync_to_thread": True, "form": True}
COOKIE = "tw_participant"
# A participant's token lasts as long as a working day or two; the workshop itself may be reopened later.
COOKIE_SECONDS = 2 * 86400
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
        """The workshop of an assessment, or the button that opens one."""
        said = labels.accepted_text(accepted) if notice == "medians" and accepted else NOTICES.get(notice or "")
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


# The participants


@dataclass(frozen=True)
class Sheet:
    """What one participant sees: the workshop, who they are, their answers, the results revealed."""

    code: str
    info: Any
    plan: Any
    me: Any = None
    answers: Mapping[str, Any] | None = None
    results: tuple = ()

    @property
    def closed(self) -> bool:
        return self.info.status != "open"

    def locked(self, section_id: str) -> bool:
        """Whether participants may no longer change this section's answers."""
        return section_id in self.info.locked_sections


def _token(request: Request) -> str:
    return request.cookies.get(COOKIE, "")


def _sheet(ctx, request: Request, code: str) -> Sheet:
    """The workshop as this visitor sees it; without a valid participant cookie, only what joining needs."""
    info = participants.workshop_info(ctx, code)
    plan = ctx.plan_of(info.questionnaire_id)
    try:
        me = participants.participant_state(ctx, code, _token(request))
    except Unauthorised:
        return Sheet(info.code, info, plan)
    results = tuple(board.revealed_results(ctx, code, _token(request)))
    return Sheet(info.code, me.workshop, plan, me, {a.question_id: a for a in me.answers}, results)


def _participant_page(
    request: Request, sheet: Sheet, status_code: int = 200, headers: Mapping[str, str] | None = None, **extra: Any
) -> Response:
    return page(
        request,
        "workshop_join",
        status_code,
        headers,
        sheet=sheet,
        choices=choices,
        note_max=REASON_MAX_LENGTH,
        **extra,
    )


def _participant_fragment(
    request: Request, partial: str, sheet: Sheet, status_code: int = 200, **extra: Any
) -> Response:
    return fragment(request, partial, status_code, sheet=sheet, choices=choices, note_max=REASON_MAX_LENGTH, **extra)


def _canonical(code: str) -> str | None:
    normal = workshops.normalise_code(code)
    return normal if normal and normal != code else None


def _answer_fragment(request: Request, sheet: Sheet, question_id: str, status_code: int, message: str = "") -> Response:
    section = workshops.sections_of(sheet.plan)[question_id]
    return _participant_fragment(
        request,
        "_workshop_question",
        sheet,
        status_code,
        question=sheet.plan.questions[question_id],
        section_id=section,
        message=message,
    )


class ParticipantPages(Controller):
    """Joining a workshop by its code and answering, without an account."""

    include_in_schema = False
    path = "/join/{code:str}"

    @get("/", access="public", sync_to_thread=True)
    def join_page(self, ctx: Ctx, request: Request, code: PathStr) -> Response:
        """The join form, or once joined the questions with your answers and the results revealed so far."""
        canonical = _canonical(code)
        if canonical:
            return go(f"/join/{canonical}")  # the cookie is scoped to the canonical path
        return _participant_page(request, _sheet(ctx, request, code))

    @post("/", access="public", **FORM)
    def join_form(self, ctx: Ctx, request: Request, code: PathStr, data: Form) -> Response:
        """Join with a name, role and department; the participant token goes into a cookie for this workshop only."""

        def change():
            joined = participants.join_workshop(
                ctx, code, parse(WorkshopJoin, data, "name", "role", "department"), client_address(request)
            )
            response = go(f"/join/{joined.workshop.code}")
            response.cookies.append(
                Cookie(
                    key=COOKIE,
                    value=joined.token,
                    path=f"/join/{joined.workshop.code}",
                    max_age=COOKIE_SECONDS,
                    secure=request.app.state.cookie_secure,
                    httponly=True,
                    samesite="strict",
                )
            )
            return response

        def refused(err: ServiceError) -> Response:
            if err.status_code == 404:
                raise err
            return _participant_page(
                request, _sheet(ctx, request, code), err.status_code, err.headers(), error=err.message, entered=data
            )

        return attempt(change, refused)

    @get("/results", access="public", sync_to_thread=True)
    def results_fragment(self, ctx: Ctx, request: Request, code: PathStr) -> Response:
        """The results revealed so far, for htmx to poll; the whole page for anything else."""
        if not wants_fragment(request):
            return go(f"/join/{code}")
        return _participant_fragment(request, "_workshop_results", _sheet(ctx, request, code))

    @post("/answers/{question_id:str}", access="public", **FORM)
    def answer_form(self, ctx: Ctx, request: Request, code: PathStr, question_id: PathStr, data: Form) -> Response:
        """Save one answer; the question comes back (htmx) or the page does."""

        def change():
            if not data.get("value"):
                raise Invalid("choose one of the answers first; the note is saved with it", field="value")
            participants.save_participant_answer(
                ctx, code, _token(request), question_id, parse(ParticipantAnswerPut, data, "value", "note")
            )
            return _answered(ctx, request, code, question_id)

        def refused(err: ServiceError) -> Response:
            if isinstance(err, Unauthorised):
                return go(f"/join/{code}")  # not joined (or the cookie expired): the join form
            return _answered(ctx, request, code, question_id, err.status_code, err.message)

        return attempt(change, refused)


def _answered(
    ctx, request: Request, code: str, question_id: str, status_code: int = 200, message: str = ""
) -> Response:
    """The question again (htmx), the page with the reason, or the page at the question once saved."""
    sheet = _sheet(ctx, request, code)
    if question_id not in sheet.plan.questions:
        raise NotFound(f"question '{question_id}' is not in this workshop's questionnaire", field="question_id")
    if wants_fragment(request):
        return _answer_fragment(request, sheet, question_id, status_code, message)
    if message:
        return _participant_page(request, sheet, status_code, error=message)
    return go(f"/join/{sheet.code}?saved=1#wq-{question_id.replace('.', '-')}")


WORKSHOP_PAGES = [FacilitatorPages, console.ConsolePages, ParticipantPages]
