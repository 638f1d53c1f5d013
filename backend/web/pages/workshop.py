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

from backend.labels import answer_choices as choices
from backend.schemas.workshops import (
    DEFAULT_PARTICIPANT_CAP,
    MAX_PARTICIPANT_CAP,
    ConsensusPut,
    QuestionPatch,
    SectionPatch,
    WorkshopOpen,
    WorkshopPatch,
)
from backend.services.assessments import assessments
from backend.services.kernel.errors import Invalid, NotFound
from backend.services.organisations import organisations
from backend.services.workshops import board, workshops
from backend.web.pages.forms import Form, parse
from backend.web.pages.render import attempt, go, page, stamped, wants_fragment
from backend.web.pages.workshop_follow import COOKIE, ParticipantPages  # noqa: F401 (COOKIE: re-exported)
from backend.web.params import Ctx, PathInt, PathStr

FORM = {"sync_to_thread": True, "form": True}
NOTICES = {
    "opened": "Workshop opened: share the code or the link.",
    "updated": "Workshop updated.",
    "agreed": "Consensus recorded.",
}


def _flag(form: Mapping[str, Any], name: str) -> bool | None:
    """A yes/no form field: '1'/'0' (or 'on'/'off'); None when it was not sent."""
    raw = str(form.get(name) or "").strip().lower()
    if not raw:
        return None
    if raw in ("1", "on", "true", "yes"):
        return True
    if raw in ("0", "off", "false", "no"):
        return False
    raise Invalid(f"{name.replace('_', ' ')}: send 1 (on) or 0 (off)", field=name)


def _filled(form: Mapping[str, Any]) -> dict[str, Any]:
    """The form's fields that were sent with a value: an empty one means 'leave as it is'."""
    return {k: v for k, v in form.items() if str(v).strip()}


# The facilitator


def _heading(ctx, assessment_id: int) -> dict:
    assessment = assessments.read_assessment(ctx, assessment_id)
    return {
        "assessment": assessment,
        "organisation": organisations.read_organisation(ctx, assessment.organisation_id),
        "plan": ctx.plan_of(assessment.questionnaire_id),
    }


def _facilitator(ctx, request: Request, assessment_id: int, status_code: int = 200, **extra: Any) -> Response:
    heading = {**_heading(ctx, assessment_id), "cap_default": DEFAULT_PARTICIPANT_CAP, "cap_max": MAX_PARTICIPANT_CAP}
    try:
        found = workshops.read_workshop(ctx, assessment_id)
    except NotFound:
        return page(request, "workshop", status_code, **heading, workshop=None, **extra)
    shown = board.board(ctx, assessment_id)
    agreed = {q.question_id: q.consensus for q in shown.questions if q.consensus}
    return page(
        request,
        "workshop",
        status_code,
        **heading,
        workshop=found,
        board=shown,
        agreed=agreed,
        choices=choices,
        join_url=str(request.base_url).rstrip("/") + found.join_path,
        **extra,
    )


def _change(ctx, request: Request, assessment_id: int, action, notice: str = "updated") -> Response:
    """Run a facilitator's change; on a refusal show the screen again with the reason."""

    def change():
        action()
        return go(f"/assessments/{assessment_id}/workshop?notice={notice}")

    return attempt(change, lambda err: _facilitator(ctx, request, assessment_id, err.status_code, error=err.message))


class FacilitatorPages(Controller):
    """The facilitator's screen: open, share, lock and reveal, names, close, the live board and consensus."""

    include_in_schema = False
    path = "/assessments/{assessment_id:int}/workshop"

    @get("/", access="workshop", sync_to_thread=True)
    def screen(
        self, ctx: Ctx, request: Request, assessment_id: PathInt, notice: FromQuery[str | None] = None
    ) -> Response:
        """The workshop of an assessment, or the button that opens one."""
        return _facilitator(ctx, request, assessment_id, notice=NOTICES.get(notice or ""))

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
            fields = {**_filled(data), "show_names": _flag(data, "show_names")}
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
            patch = SectionPatch(locked=_flag(data, "locked"), revealed=_flag(data, "revealed"))
            workshops.update_section(ctx, assessment_id, section_id, patch)

        return _change(ctx, request, assessment_id, action)

    @post("/questions/{question_id:str}", access="workshop", **FORM)
    def question_form(
        self, ctx: Ctx, request: Request, assessment_id: PathInt, question_id: PathStr, data: Form
    ) -> Response:
        """Reveal or hide one question's results."""

        def action():
            revealed = _flag(data, "revealed")
            if revealed is None:
                raise Invalid("revealed: send 1 to reveal the question's results or 0 to hide them", field="revealed")
            workshops.update_question(ctx, assessment_id, question_id, QuestionPatch(revealed=revealed))

        return _change(ctx, request, assessment_id, action)

    @post("/consensus/{question_id:str}", access="workshop", **FORM)
    def consensus_form(
        self, ctx: Ctx, request: Request, assessment_id: PathInt, question_id: PathStr, data: Form
    ) -> Response:
        """Record the agreed answer and its rationale: it becomes the assessment's answer."""

        def action():
            if not data.get("value"):
                raise Invalid("choose the agreed answer first", field="value")
            workshops.record_consensus(
                ctx, assessment_id, question_id, parse(ConsensusPut, data, "value", "rationale", "reason")
            )

        return _change(ctx, request, assessment_id, action, f"agreed#agree-{question_id.replace('.', '-')}")


WORKSHOP_PAGES = [FacilitatorPages, ParticipantPages]
