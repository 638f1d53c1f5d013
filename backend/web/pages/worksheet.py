"""The feedback-channel audit worksheet screen: channels x moments of truth with gaps and overlaps, and the five
steps; a workshop corrects it in place (each change saves itself; a Save button without scripts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.params import QueryParameter

from backend.labels import CHANNEL_USES, USE_CHOICES, WORKSHEET_STEP_STATUSES
from backend.schemas.worksheets import WorksheetChannelPatch, WorksheetPublic, WorksheetStepPatch
from backend.services.assessments import worksheets
from backend.services.kernel.errors import NotFound, ServiceError
from backend.web.pages import result_views as views
from backend.web.pages.forms import Form, parse
from backend.web.pages.render import attempt, fragment, go, page, wants_fragment
from backend.web.pages.results import FORM, VARY, answers_behind
from backend.web.params import Ctx, PathInt, PathStr

Saved = Annotated[str | None, QueryParameter(max_length=120)]


def _context(ctx, assessment_id: int) -> dict:
    """The worksheet with the answers behind each channel's evidence, and whether this user may correct it."""
    heading, _, _, answers = answers_behind(ctx, assessment_id)
    sheet = worksheets.worksheet_of(ctx, assessment_id)
    return {
        **heading,
        "sheet": sheet,
        "can_edit": sheet.editable and ctx.actor.can(heading["organisation"].id, "answer"),
        "behind": {
            c.id: [(e, answers.get(f"criterion:{e.criterion_id}", [])) for e in c.evidence] for c in sheet.channels
        },
        "moment_names": {m.id: m.name for m in sheet.moments},
        "channel_names": {c.id: c.name for c in sheet.channels},
        "uses": CHANNEL_USES,
        "use_choices": list(USE_CHOICES.items()),
        "statuses": list(WORKSHEET_STEP_STATUSES.items()),
        "summary": summary_text(sheet),
    }


def summary_text(sheet: WorksheetPublic) -> str:
    """'Gaps: Buy, Renew. Overlaps: Get help or complain.': what the grid shows now, for the page and screen readers."""
    gaps = [m.name for m in sheet.moments if m.gap]
    overlaps = [m.name for m in sheet.moments if m.overlap]
    parts = [
        f"Gaps: {', '.join(gaps)}." if gaps else "No gaps.",
        f"Overlaps: {', '.join(overlaps)}." if overlaps else "No overlaps.",
    ]
    return " ".join(parts)


def _channel_values(form: Mapping[str, object], proposed: list[str]) -> dict:
    """A channel row's form as the patch reads it: the use picked and the moments ticked (none ticked is an empty
    list: unticked boxes send nothing); 'back to what the answers say' is the proposal with no use of its own."""
    if form.get("as_answers"):
        return {"use": "as_answers", "moments": proposed}
    ticked = form.get("moments", [])
    values: dict = {"moments": [ticked] if isinstance(ticked, str) else list(ticked)}  # one ticked box is a string
    if "use" in form:
        values["use"] = form["use"]
    return values


def _step_values(form: Mapping[str, object]) -> dict[str, str]:
    return {name: str(form[name]) for name in ("owner", "status", "note") if name in form}


def _page(ctx, request: Request, assessment_id: int, status_code: int = 200, edits=None, saved: str | None = None):
    context = _context(ctx, assessment_id)
    edits = dict(edits or {})
    names = {f"channel-{c.id}": c.name for c in context["sheet"].channels}
    names.update({f"step-{s.number}": f"step {s.number}, {s.title}" for s in context["sheet"].steps})
    if saved in names:
        edits[saved] = views.Edit(saved=True)
    refused = next((names[key] for key, edit in edits.items() if edit.error and key in names), None)
    return page(
        request,
        "worksheet",
        status_code,
        VARY,
        **context,
        edits=edits,
        notice=f"Saved: {names[saved]}." if saved in names else None,
        error=f"{refused} was not saved; it says why below." if refused else None,
    )


def _answer(ctx, request: Request, assessment_id: int, key: str, status_code: int, edit: views.Edit) -> Response:
    """After a change: the row or step again (with the moments recounted, out of band), or the whole page."""
    if not wants_fragment(request):
        if edit.saved:
            return go(f"/assessments/{assessment_id}/worksheet?saved={key}#{key}")
        return _page(ctx, request, assessment_id, status_code, edits={key: edit})
    context = _context(ctx, assessment_id)
    kind, _, name = key.partition("-")
    if kind == "channel":
        item = next(c for c in context["sheet"].channels if c.id == name)
        partial = "_worksheet_channel"
    else:
        item = next(s for s in context["sheet"].steps if str(s.number) == name)
        partial = "_worksheet_step"
    return fragment(request, partial, status_code, VARY, **context, item=item, edits={key: edit}, oob=True)


def _refused(ctx, request: Request, assessment_id: int, key: str, typed: dict):
    def refused(err: ServiceError) -> Response:
        if err.status_code not in (400, 409):
            raise err
        # A 400 keeps what was typed to correct it; a 409 (the assessment was submitted meanwhile) shows it as it is.
        edit = views.Edit(error=err.message, values=typed if err.status_code == 400 else {})
        return _answer(ctx, request, assessment_id, key, err.status_code, edit)

    return refused


class WorksheetPages(Controller):
    """The audit worksheet of an assessment, corrected in place by whoever may answer it."""

    include_in_schema = False

    @get("/assessments/{assessment_id:int}/worksheet", access="view", sync_to_thread=True)
    def worksheet_page(self, ctx: Ctx, request: Request, assessment_id: PathInt, saved: Saved = None) -> Response:
        """Channels in use (from the answers or the team's word) against the moments of truth, gaps and overlaps in
        words, and the five steps with owner, status and note."""
        return _page(ctx, request, assessment_id, saved=saved)

    @post("/assessments/{assessment_id:int}/worksheet/channels/{channel_id:str}", access="answer", **FORM)
    def channel_form(
        self, ctx: Ctx, request: Request, assessment_id: PathInt, channel_id: PathStr, data: Form
    ) -> Response:
        """Mark a channel in use or not and tick the moments it captures; back to what the answers say."""
        sheet = worksheets.sheet_of(ctx.content)
        channel = next((c for c in sheet.channels if c.id == channel_id), None) if sheet else None
        if channel is None:
            raise NotFound("this channel is not on the audit worksheet; reload the page", field="channel_id")
        key = f"channel-{channel_id}"
        typed = _channel_values(data, list(channel.moments))

        def change():
            worksheets.edit_channel(
                ctx, assessment_id, channel_id, parse(WorksheetChannelPatch, typed, "use", "moments")
            )
            return _answer(ctx, request, assessment_id, key, 200, views.Edit(saved=True))

        return attempt(change, _refused(ctx, request, assessment_id, key, typed))

    @post("/assessments/{assessment_id:int}/worksheet/steps/{number:int}", access="answer", **FORM)
    def step_form(self, ctx: Ctx, request: Request, assessment_id: PathInt, number: PathInt, data: Form) -> Response:
        """Record a step's owner, status and note."""
        key = f"step-{number}"
        typed = _step_values(data)

        def change():
            worksheets.edit_step(
                ctx, assessment_id, number, parse(WorksheetStepPatch, typed, "owner", "status", "note")
            )
            return _answer(ctx, request, assessment_id, key, 200, views.Edit(saved=True))

        return attempt(change, _refused(ctx, request, assessment_id, key, typed))
