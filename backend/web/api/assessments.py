"""One assessment: answers, result, roadmap, audit worksheet, submission and comparison."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, MediaType, Request, Response, delete, get, patch, post, put
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromQuery, JSONBody
from litestar.serialization import encode_json, get_serializer
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from backend.labels import report_file_name
from backend.reports.render import render_report
from backend.schemas.views import (
    AnswerChangePublic,
    AnswerPublic,
    AnswerPut,
    AssessmentPublic,
    AssessmentResultPublic,
    ComparePublic,
    ContentAcknowledge,
    RoadmapItemPatch,
    RoadmapItemPublic,
    RoadmapPublic,
)
from backend.schemas.worksheets import WorksheetChannelPatch, WorksheetPublic, WorksheetStepPatch
from backend.services import reporting
from backend.services.assessments import answers, assessments, history, roadmaps, worksheets
from backend.web.openapi import error_responses
from backend.web.params import Ctx, PathInt, PathStr
from backend.web.wire import conditional

SYNC = {"sync_to_thread": True}
# Submitted and frozen, changed by someone else since you read it, or (for a draft) its questionnaire
# has left the content, so it can no longer be scored or answered.
CONFLICT = error_responses(409)


class AssessmentController(Controller):
    path = "/api/v1/assessments/{assessment_id:int}"
    tags = ["assessments"]

    @get("/", access="view", **SYNC)
    def read(self, ctx: Ctx, assessment_id: PathInt) -> AssessmentPublic:
        """One assessment with how much of it is answered."""
        return assessments.read_assessment(ctx, assessment_id)

    @delete("/", status_code=HTTP_204_NO_CONTENT, access="manage", responses=CONFLICT, **SYNC)
    def delete_draft(self, ctx: Ctx, assessment_id: PathInt) -> None:
        """Delete a draft with its answers, history, roadmap and workshop (consultants); a submitted one answers 409."""
        assessments.delete_assessment(ctx, assessment_id)

    @get("/answers", access="view", **SYNC)
    def list_answers(self, ctx: Ctx, assessment_id: PathInt) -> list[AnswerPublic]:
        """Every stored answer."""
        return answers.list_answers(ctx, assessment_id)

    @get("/history", access="view", **SYNC)
    def history(self, ctx: Ctx, assessment_id: PathInt) -> list[AnswerChangePublic]:
        """Every change to the answers: who, when, old and new."""
        return answers.answer_history(ctx, assessment_id)

    @put(
        "/answers/{question_id:str}",
        access="answer",
        **SYNC,
        responses={201: ResponseSpec(AnswerPublic, description="The first answer to the question"), **CONFLICT},
    )
    def put_answer(
        self, ctx: Ctx, assessment_id: PathInt, question_id: PathStr, data: JSONBody[AnswerPut]
    ) -> Response[AnswerPublic]:
        """Save an answer. Send expected_version (0 for a first answer) to get 409 instead of overwriting someone else's change."""
        saved, created = answers.save_answer(ctx, assessment_id, question_id, data)
        return Response(saved, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @get("/result", access="view", responses=CONFLICT, **SYNC)
    def result(self, ctx: Ctx, request: Request, assessment_id: PathInt) -> Response[AssessmentResultPublic]:
        """Per model the level or stage, progress, criteria with the answers behind them, findings, confidence.
        Carries an ETag: send it back as If-None-Match to get 304 and no body while nothing changed."""
        # Encoded as Litestar would encode the returned model, so the hash is of the very bytes sent.
        serializer = get_serializer(request.route_handler.resolve_type_encoders())
        body = encode_json(assessments.assessment_result(ctx, assessment_id), serializer)
        return conditional(request, body, MediaType.JSON)

    @get("/roadmap", access="view", responses=CONFLICT, **SYNC)
    def roadmap(self, ctx: Ctx, assessment_id: PathInt) -> RoadmapPublic:
        """Next steps by horizon, each with why, effort, impact, owner role, success measure and status."""
        return roadmaps.roadmap_of(ctx, assessment_id)

    @patch("/roadmap/{item_id:int}", access="plan", responses=CONFLICT, **SYNC)
    def patch_item(
        self, ctx: Ctx, assessment_id: PathInt, item_id: PathInt, data: JSONBody[RoadmapItemPatch]
    ) -> RoadmapItemPublic:
        """Change a roadmap step's status, owner or due period."""
        return roadmaps.update_item(ctx, assessment_id, item_id, data)

    @get("/worksheet", access="view", responses=CONFLICT, **SYNC)
    def worksheet(self, ctx: Ctx, assessment_id: PathInt) -> WorksheetPublic:
        """Kira Wampler's feedback-channel audit worksheet: each channel in use or not (from the answers, or as the
        team corrected it) and the moments of truth it captures, the gaps and overlaps per moment, and the five steps
        with their owner, status and note."""
        return worksheets.worksheet_of(ctx, assessment_id)

    @patch("/worksheet/channels/{channel_id:str}", access="answer", responses=CONFLICT, **SYNC)
    def patch_worksheet_channel(
        self, ctx: Ctx, assessment_id: PathInt, channel_id: PathStr, data: JSONBody[WorksheetChannelPatch]
    ) -> WorksheetPublic:
        """Correct a channel: mark it in use or not in use (or back to what the answers say) and set the moments it
        captures. A submitted assessment's worksheet is frozen (409). Answers with the whole worksheet, recounted."""
        return worksheets.edit_channel(ctx, assessment_id, channel_id, data)

    @patch("/worksheet/steps/{number:int}", access="answer", responses=CONFLICT, **SYNC)
    def patch_worksheet_step(
        self, ctx: Ctx, assessment_id: PathInt, number: PathInt, data: JSONBody[WorksheetStepPatch]
    ) -> WorksheetPublic:
        """Record an audit step's owner (a person's name), status and note. A submitted assessment's worksheet is
        frozen (409). Answers with the whole worksheet."""
        return worksheets.edit_step(ctx, assessment_id, number, data)

    @post("/acknowledge-content", status_code=HTTP_200_OK, access="answer", responses=CONFLICT, **SYNC)
    def acknowledge_content(
        self, ctx: Ctx, assessment_id: PathInt, data: JSONBody[ContentAcknowledge]
    ) -> AssessmentPublic:
        """Confirm you have seen how the content changed under a draft (its `content_change`): the draft moves to
        today's questionnaire version and the audit log records who confirmed what. Submitting needs this first."""
        return assessments.acknowledge_content(ctx, assessment_id, data)

    @post("/submit", status_code=HTTP_200_OK, access="assess", responses=CONFLICT, **SYNC)
    def submit(self, ctx: Ctx, assessment_id: PathInt) -> AssessmentPublic:
        """Freeze the result and roadmap; answers can no longer change."""
        return assessments.submit_assessment(ctx, assessment_id)

    @get("/report.pdf", media_type="application/pdf", access="view", responses=CONFLICT, **SYNC)
    def report(
        self,
        ctx: Ctx,
        request: Request,
        assessment_id: PathInt,
        variant: FromQuery[Literal["full", "summary"]] = "full",
    ) -> Response[bytes]:
        """The PDF roadmap report; `variant=summary` gives the one-page executive version."""
        data = reporting.report_data(ctx, assessment_id, str(request.base_url))
        pdf = render_report(data, variant)
        name = report_file_name(data.organisation.name, data.assessment.period, variant)
        return Response(
            pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'}
        )

    @get("/compare/{other_id:int}", access="view", responses=CONFLICT, **SYNC)
    def compare(self, ctx: Ctx, assessment_id: PathInt, other_id: PathInt) -> ComparePublic:
        """What improved, regressed, was resolved or is new, steps done and answers changed."""
        return history.compare(ctx, assessment_id, other_id)
