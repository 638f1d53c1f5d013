"""The results, roadmap and compare pages: what an assessment shows, what to do next, what changed."""

from __future__ import annotations

from datetime import date
from functools import partial

from litestar import Controller, Request, Response, get, post

from backend.content.roles import HEADLINE, model_id_of_kind
from backend.content.schema import Question
from backend.labels import (
    STEP_CHANGED_ELSEWHERE,
    overdue_count_text,
    overdue_text,
    quarter_of,
    step_status_text,
)
from backend.reports import why
from backend.schemas.views import ITEM_STATUSES, RoadmapItemPatch
from backend.services.assessments import assessments, history, roadmaps, worksheets
from backend.services.kernel.errors import Invalid, NotFound, ServiceError
from backend.services.organisations import organisations
from backend.web.pages import compare_views
from backend.web.pages import result_views as views
from backend.web.pages.forms import Form, parse
from backend.web.pages.render import attempt, fragment, go, page, page_message, validated, wants_fragment
from backend.web.params import Ctx, PathInt, QueryId

FORM = {"sync_to_thread": True, "form": True}
# Pages that answer htmx with a fragment vary on it: a cache must not hand the fragment to a full load.
VARY = {"Vary": "HX-Request"}


def assessment_heading(ctx, assessment_id: int) -> dict:
    """The assessment and its organisation, which every screen of an assessment names at its top, and whether the
    content has an audit worksheet for its links to offer."""
    assessment = assessments.read_assessment(ctx, assessment_id)
    return {
        "assessment": assessment,
        "organisation": organisations.read_organisation(ctx, assessment.organisation_id),
        "has_worksheet": worksheets.sheet_of(ctx.content) is not None,
    }


def answers_behind(
    ctx, assessment_id: int
) -> tuple[dict, views.ResultView, dict[str, Question], dict[str, list[why.AnswerLine]]]:
    """The screen's heading, the assessment's result, its questions by id and the answers behind each criterion and
    finding: what the roadmap and the worksheet name as the reasons for what they show."""
    heading = assessment_heading(ctx, assessment_id)
    result = assessments.assessment_result(ctx, assessment_id).result
    questions = views.questions_of(ctx.content, heading["assessment"].questionnaire_id)
    return heading, result, questions, views.reason_answers(result, questions)


def _roadmap_context(ctx, assessment_id: int) -> dict:
    """The roadmap with the answers behind each reason, and whether this user may change it."""
    heading, result, questions, answers = answers_behind(ctx, assessment_id)
    roadmap = roadmaps.roadmap_of(ctx, assessment_id)
    today = quarter_of(date.today())
    overdue = {i.id: overdue_text(i.status, i.due_period, today) for i in roadmap.items}
    return {
        **heading,
        "roadmap": roadmap,
        "overdue": overdue,
        "overdue_count": overdue_count_text(sum(1 for text in overdue.values() if text)),
        "due_choices": partial(views.due_choices, roadmap.period),
        "can_plan": ctx.actor.can(heading["organisation"].id, "plan"),
        "why": {i.id: views.step_why(i, answers, questions) for i in roadmap.items},
        "statuses": [(s, views.ITEM_STATUS[s]) for s in ITEM_STATUSES],
        "effort": views.EFFORT,
        "status_words": views.ITEM_STATUS,
        "step_status": step_status_text,
        "words": why,
        "not_covered": views.not_covered_line(ctx.content, heading["assessment"].questionnaire_id, result),
    }


def _roadmap(
    ctx,
    request: Request,
    assessment_id: int,
    status_code: int = 200,
    edits: dict | None = None,
    saved: int | None = None,
) -> Response:
    context = _roadmap_context(ctx, assessment_id)
    items = context["roadmap"].items
    edits = dict(edits or {})
    saved_item = next((i for i in items if i.id == saved), None)
    if saved_item is not None:
        edits[saved_item.id] = views.Edit(saved=True)
    # Without JavaScript a refused change comes back as the whole page: say so at the top too.
    refused = next((i for i in items if i.id in edits and edits[i.id].error), None)
    return page(
        request,
        "roadmap",
        status_code,
        VARY,
        **context,
        edits=edits,
        notice=f"Saved: {saved_item.title}." if saved_item else None,
        error=f"Step “{refused.title}” was not saved; the step below says why." if refused else None,
        horizons=views.by_horizon(items),
        carried=[i for i in items if not i.triggered],
        deferred=[views.recommendation_title(ctx.content, r) for r in context["roadmap"].deferred],
    )


def _item(ctx, request: Request, assessment_id: int, item_id: int, status_code: int, edit: views.Edit) -> Response:
    """One step's fragment, as htmx swaps it in place of the step."""
    context = _roadmap_context(ctx, assessment_id)
    item = next((i for i in context["roadmap"].items if i.id == item_id), None)
    if item is None:
        raise NotFound("this step is no longer on this roadmap; reload the page", field="item_id")
    return fragment(request, "_roadmap_item", status_code, VARY, **context, item=item, edits={item_id: edit}, oob=True)


def _pick(periods: list, chosen: int | None, fallback: int | None) -> int | None:
    if chosen is None:
        return fallback
    if chosen not in {a.id for a in periods}:
        # Another organisation's assessment does not exist here: the same answer as an unknown id.
        raise NotFound(f"assessment {chosen} not found in this organisation; pick two of its periods", field="other_id")
    return chosen


class ResultPages(Controller):
    """Results of an assessment, its roadmap (with inline edits) and the comparison of two periods."""

    include_in_schema = False

    @get("/assessments/{assessment_id:int}/results", access="view", sync_to_thread=True)
    def results_page(self, ctx: Ctx, request: Request, assessment_id: PathInt) -> Response:
        """Level and stage with progress, confidence, the charts, the social customer checklist and findings with why."""
        heading = assessment_heading(ctx, assessment_id)
        outcome = assessments.assessment_result(ctx, assessment_id)
        return validated(
            request,
            "pages/results",
            **heading,
            **views.results_context(ctx.content, heading["assessment"].questionnaire_id, outcome),
        )

    @get("/assessments/{assessment_id:int}/roadmap", access="view", sync_to_thread=True)
    def roadmap_page(self, ctx: Ctx, request: Request, assessment_id: PathInt, saved: QueryId = None) -> Response:
        """Steps by horizon with what, why, effort, impact, owner and status; editable inline for planners."""
        return _roadmap(ctx, request, assessment_id, saved=saved)

    @post("/assessments/{assessment_id:int}/roadmap/{item_id:int}", access="plan", **FORM)
    def roadmap_item_form(
        self, ctx: Ctx, request: Request, assessment_id: PathInt, item_id: PathInt, data: Form
    ) -> Response:
        """Change a step's status, owner or due period: the step comes back saved, or with the reason it was not."""
        typed = views.typed_values(data)

        def change():
            roadmaps.update_item(
                ctx,
                assessment_id,
                item_id,
                parse(RoadmapItemPatch, data, "status", "owner", "due_period", "expected_version"),
            )
            if wants_fragment(request):
                return _item(ctx, request, assessment_id, item_id, 200, views.Edit(saved=True))
            return go(f"/assessments/{assessment_id}/roadmap?saved={item_id}#item-{item_id}")

        def refused(err: ServiceError) -> Response:
            if err.status_code not in (400, 409):
                raise err
            # A 400 keeps what was typed to correct it; a 409 shows the step as it now is, and what was tried.
            edit = (
                views.Edit(error=err.message, values=typed)
                if err.status_code == 400
                else views.Edit(error=STEP_CHANGED_ELSEWHERE, attempted=views.attempted_text(typed))
            )
            if wants_fragment(request):
                return _item(ctx, request, assessment_id, item_id, err.status_code, edit)
            return _roadmap(ctx, request, assessment_id, err.status_code, edits={item_id: edit})

        return attempt(change, refused)

    @get("/organisations/{organisation_id:int}/compare", access="view", sync_to_thread=True)
    def compare_page(
        self,
        ctx: Ctx,
        request: Request,
        organisation_id: PathInt,
        before: QueryId = None,
        after: QueryId = None,
    ) -> Response:
        """Two periods side by side: levels, criteria improved and regressed, findings, steps done, answers changed."""
        context, status_code = _compare_context(ctx, organisation_id, before, after)
        if not wants_fragment(request):
            points = context["points"]
            return page(
                request, "compare", status_code, VARY, **context, trend=views.trend_markup(points) if points else None
            )
        # The address bar shows the comparison as shown (older first), so a shared link opens the same page.
        shown = f"/organisations/{organisation_id}/compare?before={context['before_id']}&after={context['after_id']}"
        return fragment(
            request,
            "_comparison",
            status_code,
            VARY,
            push_url=shown if context["comparison"] is not None else None,
            **context,
            oob=True,
        )


def _compare_context(ctx, organisation_id: int, before: int | None, after: int | None) -> tuple[dict, int]:
    """The periods to pick from, the two picked (the last two submitted unless asked), and their comparison or why
    there is none. With fewer than two submitted and none picked, nothing is compared: the latest two are offered."""
    organisation = organisations.read_organisation(ctx, organisation_id)
    periods = assessments.list_assessments(ctx, organisation_id)
    points = history.progress(ctx, organisation_id).periods
    default = history.default_pair(points)
    before_id = _pick(periods, before, default[0])
    after_id = _pick(periods, after, default[1])
    offer = history.latest_pair(points, periods) if default[0] is None else (None, None)
    context = {
        "organisation": organisation,
        "periods": periods,
        "points": points,
        "before_id": before_id,
        "after_id": after_id,
        "default": default,
        "offer": offer,
        "submitted": [p.period for p in points if p.status == "submitted"],
        "labels": {
            a.id: views.assessment_label(
                a.period, a.status, a.kind, views.questionnaire_title(ctx.content, a.questionnaire_id)
            )
            for a in periods
        },
        "comparison": None,
        "compare_error": None,
    }
    if before_id is None or after_id is None:
        return context, 200
    try:
        if before_id == after_id:
            raise Invalid("pick two different periods: the same one is on both sides", field="after")
        comparison = history.compare(ctx, before_id, after_id)
    except ServiceError as err:
        return {**context, "compare_error": page_message(err)}, err.status_code
    by_id = {p.assessment_id: p for p in points}
    content = ctx.content
    return {
        **context,
        "comparison": comparison,
        "before_id": comparison.before.id,
        "after_id": comparison.after.id,
        "point_before": by_id.get(comparison.before.id),
        "point_after": by_id.get(comparison.after.id),
        "model_titles": {m: r.title for m, r in content.rubrics.items()},
        "headline_model": model_id_of_kind(
            content.rubrics.values(), HEADLINE
        ),  # its progress is the period's 'progress'
        "done": [views.recommendation_title(content, r) for r in comparison.roadmap_done],
        "answers": views.changed_answers(content, comparison.after.questionnaire_id, comparison.answers_changed),
        "story": compare_views.story(
            content,
            comparison,
            *(assessments.assessment_result(ctx, a.id).result for a in (comparison.before, comparison.after)),
        ),
    }, 200
