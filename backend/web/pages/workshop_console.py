"""The facilitator's console: the questions section by section in questionnaire order, taking the room to one,
recording consensus in place, accepting the group's medians where the room agrees, and the perception gaps.

Every control is a plain form that works without scripts (post, then back to the same row); htmx sends it
and swaps only the row (or the list, when the room moves), with the confirmation in the page's live region.
The workshop's settings and the live board stay in backend/web/pages/workshop.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post

from backend import labels
from backend.labels import answer_choices as choices
from backend.schemas.workshops import (
    DEFAULT_PARTICIPANT_CAP,
    MAX_PARTICIPANT_CAP,
    ConsensusPut,
    CurrentPut,
    MediansPost,
    QuestionPatch,
)
from backend.services.assessments import assessments
from backend.services.kernel.errors import Invalid, NotFound, ServiceError
from backend.services.organisations import organisations
from backend.services.workshops import board, consensus, summary_mail, workshops
from backend.web.pages.forms import Form, flag, parse
from backend.web.pages.render import attempt, fragment, go, page, wants_fragment
from backend.web.params import Ctx, PathInt, PathStr

FORM = {"sync_to_thread": True, "form": True}


def slug(question_id: str) -> str:
    """A question's row anchor on the console: its id without dots (htmx and CSS selectors trip on them)."""
    return "cq-" + question_id.replace(".", "-")


def heading(ctx, assessment_id: int) -> dict:
    """The assessment, its organisation and questionnaire plan, as every workshop screen heads with them."""
    assessment = assessments.read_assessment(ctx, assessment_id)
    return {
        "assessment": assessment,
        "organisation": organisations.read_organisation(ctx, assessment.organisation_id),
        "plan": ctx.plan_of(assessment.questionnaire_id),
    }


def _console(ctx, assessment_id: int, plan) -> dict:
    shown = board.board(ctx, assessment_id)
    sections = consensus.console_sections(plan, shown)
    rows = [r for s in sections for r in s.rows]
    return {
        "board": shown,
        "sections": sections,
        "current": next((r for r in rows if r.current), None),
        "current_section": next((s for s in sections if s.current), None),
        "total": len(rows),
    }


def screen(ctx, request: Request, assessment_id: int, status_code: int = 200, **extra: Any) -> Response:
    """The facilitator's screen: the button that opens a workshop, or the join panel, the console and the board."""
    heading_ = {**heading(ctx, assessment_id), "cap_default": DEFAULT_PARTICIPANT_CAP, "cap_max": MAX_PARTICIPANT_CAP}
    try:
        found = workshops.read_workshop(ctx, assessment_id)
    except NotFound:
        return page(request, "workshop", status_code, **heading_, workshop=None, **extra)
    return page(
        request,
        "workshop",
        status_code,
        **heading_,
        **_console(ctx, assessment_id, heading_["plan"]),
        workshop=found,
        a_id=assessment_id,
        choices=choices,
        slug=slug,
        candidates=len(consensus.median_candidates(ctx, assessment_id)),
        summary_recipients=summary_mail.summary_recipients(ctx, assessment_id) if found.status != "open" else 0,
        join_url=str(request.base_url).rstrip("/") + found.join_path,
        **extra,
    )


def _row(ctx, request: Request, assessment_id: int, question_id: str, status_code: int = 200, **extra: Any):
    """One question's row of the console (htmx), with what to announce or the reason it was refused."""
    plan = heading(ctx, assessment_id)["plan"]
    if question_id not in plan.questions:
        raise NotFound(f"question '{question_id}' is not in this workshop's questionnaire", field="question_id")
    found = _console(ctx, assessment_id, plan)
    row = next(r for s in found["sections"] for r in s.rows if r.question.id == question_id)
    return fragment(
        request,
        "_console_swap",
        status_code,
        a_id=assessment_id,
        row=row,
        choices=choices,
        slug=slug,
        workshop=found["board"].workshop,
        **extra,
    )


def _on_row(ctx, request: Request, assessment_id: int, question_id: str, action, notice: str, entered=None):
    """Run a change on one question: its row back with the confirmation (htmx), or the console at the row.
    `entered` (the consensus form's fields) is kept when it is refused and puts the message beside that form."""
    by = "agree" if entered is not None else "actions"

    def change() -> Response:
        said = action()
        if wants_fragment(request):
            return _row(ctx, request, assessment_id, question_id, announce=said, row_saved=said, saved_by=by)
        return go(f"/assessments/{assessment_id}/workshop?notice={notice}#{slug(question_id)}")

    def refused(err: ServiceError) -> Response:
        if err.status_code == 404 or not wants_fragment(request):
            kept = {question_id: entered} if entered else {}
            return screen(
                ctx,
                request,
                assessment_id,
                err.status_code,
                error=err.message,
                entered=kept,
                errors={question_id: err.message},
            )
        return _row(
            ctx,
            request,
            assessment_id,
            question_id,
            err.status_code,
            row_error=err.message,
            entered={question_id: entered},
        )

    return attempt(change, refused)


def _move(form: Mapping[str, Any]) -> CurrentPut:
    sent = {k: str(form[k]) for k in ("question_id", "move") if str(form.get(k) or "").strip()}
    if not sent:
        raise Invalid("say where the room goes: the next or previous question, or the one to go to", field="move")
    return parse(CurrentPut, sent, "question_id", "move")


class ConsolePages(Controller):
    """The facilitator's console: go to a question, consensus in place, the group's medians, perception gaps."""

    include_in_schema = False
    path = "/assessments/{assessment_id:int}/workshop"

    @post("/current", access="workshop", **FORM)
    def go_to(self, ctx: Ctx, request: Request, assessment_id: PathInt, data: Form) -> Response:
        """Take the room to the question named, or to the next or previous one."""

        def change() -> Response:
            moved = workshops.move_room(ctx, assessment_id, _move(data))
            here = moved.current_question
            if not wants_fragment(request):
                return go(f"/assessments/{assessment_id}/workshop" + (f"#{slug(here)}" if here else ""))
            found = _console(ctx, assessment_id, heading(ctx, assessment_id)["plan"])
            at = found["current"]
            said = f"The room is on question {at.number} of {found['total']}: {at.question.text}" if at else ""
            return fragment(
                request,
                "_console_swap",
                a_id=assessment_id,
                listing=True,
                focus_current=bool(data.get("question_id")),
                choices=choices,
                slug=slug,
                workshop=found["board"].workshop,
                announce=said,
                **found,
            )

        return attempt(change, lambda err: screen(ctx, request, assessment_id, err.status_code, error=err.message))

    @post("/consensus/{question_id:str}", access="workshop", **FORM)
    def agree(self, ctx: Ctx, request: Request, assessment_id: PathInt, question_id: PathStr, data: Form) -> Response:
        """Record the agreed answer (and its rationale, needed where the room split): the assessment's answer."""
        entered = {k: str(data.get(k) or "") for k in ("value", "rationale", "reason")}

        def action() -> str:
            if not entered["value"]:
                raise Invalid("choose the agreed answer first", field="value")
            agreed = workshops.record_consensus(
                ctx, assessment_id, question_id, parse(ConsensusPut, data, "value", "rationale", "reason")
            )
            question = ctx.plan_of(heading(ctx, assessment_id)["assessment"].questionnaire_id).questions[question_id]
            return labels.agreed_text(labels.answer_label(question, agreed.value))

        return _on_row(ctx, request, assessment_id, question_id, action, "agreed", entered)

    @post("/questions/{question_id:str}", access="workshop", **FORM)
    def question(
        self, ctx: Ctx, request: Request, assessment_id: PathInt, question_id: PathStr, data: Form
    ) -> Response:
        """Reveal or hide one question's results; lock or unlock its answers."""

        def action() -> str:
            patch = QuestionPatch(revealed=flag(data, "revealed"), locked=flag(data, "locked"))
            if patch.revealed is None and patch.locked is None:
                raise Invalid("send revealed or locked as 1 (on) or 0 (off)", field="revealed")
            workshops.update_question(ctx, assessment_id, question_id, patch)
            return labels.question_state_text(patch.revealed, patch.locked)

        return _on_row(ctx, request, assessment_id, question_id, action, "updated")

    @get("/medians", access="workshop", sync_to_thread=True)
    def medians(self, ctx: Ctx, request: Request, assessment_id: PathInt) -> Response:
        """The review list: the questions whose median the group may accept, each with the answer it would get."""
        return _medians_page(ctx, request, assessment_id)

    @post("/medians", access="workshop", **FORM)
    def accept(self, ctx: Ctx, request: Request, assessment_id: PathInt, data: Form) -> Response:
        """Accept the medians ticked in the review list, all at once; a stale list is refused whole."""
        picked = data.get("question_id") or []
        picked = [picked] if isinstance(picked, str) else list(picked)

        def change() -> Response:
            if not picked:
                raise Invalid("tick at least one question whose median the group accepts", field="question_ids")
            wanted = parse(MediansPost, {"question_ids": picked}, "question_ids").question_ids
            done = consensus.accept_medians(ctx, assessment_id, wanted)
            return go(f"/assessments/{assessment_id}/workshop?notice=medians&accepted={len(done)}")

        return attempt(
            change, lambda err: _medians_page(ctx, request, assessment_id, err.status_code, error=err.message)
        )

    @get("/gaps", access="workshop", sync_to_thread=True)
    def gaps(self, ctx: Ctx, request: Request, assessment_id: PathInt) -> Response:
        """Perception gaps for the projector: each role's and department's level and stage side by side."""
        found = board.perception_gaps(ctx, assessment_id)
        return page(request, "workshop_gaps", **heading(ctx, assessment_id), gaps=found, min_group=ctx.min_group_size)


def _medians_page(ctx, request: Request, assessment_id: int, status_code: int = 200, **extra: Any) -> Response:
    return page(
        request,
        "workshop_medians",
        status_code,
        **heading(ctx, assessment_id),
        candidates=consensus.median_candidates(ctx, assessment_id),
        minimum=max(2, ctx.min_group_size),
        **extra,
    )
