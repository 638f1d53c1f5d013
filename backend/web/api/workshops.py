"""Workshop mode in the JSON API: the facilitator's controls and board, the participants' join and answers.

Participant routes are public to the app's guard; the service checks the participant token, sent as
the X-Participant-Token header. Not 'Authorization: Bearer', which is for users' tokens: the guard
would refuse a participant's. The custom header is also the CSRF defence of these routes: a page on
another site cannot make a browser send it without a CORS preflight, which this app never grants,
and the token lives in no cookie that a browser would attach on its own.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, patch, post, put
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import HeaderParameter, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from backend.schemas.workshops import (
    BoardPublic,
    ConsensusPublic,
    ConsensusPut,
    CurrentPut,
    GapsPublic,
    MedianCandidate,
    MediansAccepted,
    MediansPost,
    ParticipantAnswerPublic,
    ParticipantAnswerPut,
    ParticipantJoined,
    ParticipantPublic,
    QuestionPatch,
    QuestionResult,
    RoomNow,
    SectionPatch,
    SummarySent,
    WorkshopInfo,
    WorkshopJoin,
    WorkshopOpen,
    WorkshopPatch,
    WorkshopPublic,
)
from backend.services.workshops import board, consensus, follow, participants, summary_mail, workshops
from backend.services.workshops.participants import TOKEN_HEADER
from backend.web.api.accounts import client_address
from backend.web.openapi import ErrorBody, error_responses
from backend.web.params import Ctx, PathInt, PathStr
from backend.web.wire import unchanged

SYNC = {"sync_to_thread": True}
# The assessment is submitted, its questionnaire left the content, the workshop is closed, the
# question's section is locked, or the answer changed since expected_version.
CONFLICT = error_responses(409)
# A participant joins only while the workshop has room (409 otherwise, like a closed one) and while their
# network address has joined fewer than the limit in the last 10 minutes.
JOIN_REFUSALS = {
    **CONFLICT,
    429: ResponseSpec(
        ErrorBody,
        generate_examples=False,
        description="Too many joins from your network address; the Retry-After header says how many seconds to wait",
    ),
}
Token = Annotated[
    str | None,
    HeaderParameter(name=TOKEN_HEADER, required=False, description="The participant token returned on joining"),
]


class WorkshopController(Controller):
    """The facilitator's side: consultants of the organisation (and admins)."""

    path = "/api/v1/assessments/{assessment_id:int}/workshop"
    tags = ["workshops"]

    @post(
        "/",
        access="workshop",
        **SYNC,
        responses={
            200: ResponseSpec(WorkshopPublic, description="The workshop already open on this assessment"),
            **CONFLICT,
        },
    )
    def open(
        self, ctx: Ctx, assessment_id: PathInt, data: JSONBody[WorkshopOpen | None] = None
    ) -> Response[WorkshopPublic]:
        """Open a workshop on a draft assessment: its join code and join link, with an optional participant cap
        (500 unless given). Opening it again returns the same one unchanged."""
        found, created = workshops.open_workshop(ctx, assessment_id, data)
        return Response(found, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @get("/", access="workshop", **SYNC)
    def read(self, ctx: Ctx, assessment_id: PathInt) -> WorkshopPublic:
        """The workshop: code, join link, status, names shown or not, locked and revealed sections and questions."""
        return workshops.read_workshop(ctx, assessment_id)

    @patch("/", access="workshop", responses=CONFLICT, **SYNC)
    def update(self, ctx: Ctx, assessment_id: PathInt, data: JSONBody[WorkshopPatch]) -> WorkshopPublic:
        """Close or reopen the workshop; turn participants' names on the board and results on or off; change the participant cap."""
        return workshops.update_workshop(ctx, assessment_id, data)

    @get("/qr.svg", media_type="image/svg+xml", access="workshop", **SYNC)
    def qr(self, ctx: Ctx, request: Request, assessment_id: PathInt) -> Response[bytes]:
        """A QR code of the join link, to show on a screen or print."""
        return Response(workshops.join_qr_svg(ctx, assessment_id, str(request.base_url)), media_type="image/svg+xml")

    @patch("/sections/{section_id:str}", access="workshop", responses=CONFLICT, **SYNC)
    def section(
        self, ctx: Ctx, assessment_id: PathInt, section_id: PathStr, data: JSONBody[SectionPatch]
    ) -> WorkshopPublic:
        """Lock or unlock a section's answers; reveal or hide its results to participants."""
        return workshops.update_section(ctx, assessment_id, section_id, data)

    @patch("/questions/{question_id:str}", access="workshop", responses=CONFLICT, **SYNC)
    def question(
        self, ctx: Ctx, assessment_id: PathInt, question_id: PathStr, data: JSONBody[QuestionPatch]
    ) -> WorkshopPublic:
        """Reveal or hide one question's results to participants; lock or unlock its answers."""
        return workshops.update_question(ctx, assessment_id, question_id, data)

    @put("/current", access="workshop", responses=CONFLICT, **SYNC)
    def current(self, ctx: Ctx, assessment_id: PathInt, data: JSONBody[CurrentPut]) -> WorkshopPublic:
        """Take the room to a question (presenter mode): name it, or move to the next or previous one.
        Participants following the room see it within a second."""
        return workshops.move_room(ctx, assessment_id, data)

    @get("/board", access="workshop", responses=CONFLICT, **SYNC)
    def board(self, ctx: Ctx, assessment_id: PathInt) -> BoardPublic:
        """Participation and, per question with the hottest disagreement first, the distribution, median,
        spread, consensus and the split by role and by department. Poll it for live updates."""
        return board.board(ctx, assessment_id)

    @get("/gaps", access="workshop", responses=CONFLICT, **SYNC)
    def gaps(self, ctx: Ctx, assessment_id: PathInt) -> GapsPublic:
        """Perception gaps: levels and stages per role and per department, each group scored on its median answers."""
        return board.perception_gaps(ctx, assessment_id)

    @post("/summary-mail", status_code=HTTP_200_OK, access="workshop", responses=CONFLICT, **SYNC)
    def summary_mail(self, ctx: Ctx, assessment_id: PathInt) -> SummarySent:
        """E-mail the closed workshop's summary (level, stage, first steps) to each participant who left an address
        when joining and has not had it; 409 while the workshop is open."""
        return SummarySent(sent=summary_mail.mail_summary(ctx, assessment_id))

    @put("/consensus/{question_id:str}", access="workshop", responses=CONFLICT, **SYNC)
    def consensus(
        self, ctx: Ctx, assessment_id: PathInt, question_id: PathStr, data: JSONBody[ConsensusPut]
    ) -> ConsensusPublic:
        """Record the agreed answer and its rationale: it becomes the assessment's answer, the rationale its note.
        Where the room disagreed (a spread of 0.5 or more) the rationale is required: 400 without it."""
        return workshops.record_consensus(ctx, assessment_id, question_id, data)

    @get("/medians", access="workshop", **SYNC)
    def medians(self, ctx: Ctx, assessment_id: PathInt) -> list[MedianCandidate]:
        """The review list before accepting the group's medians: in questionnaire order, the questions that
        at least the minimum group size (and at least two) answered with a low spread (0.25 or less) and that
        have no agreed answer yet, each with the answer accepting it records."""
        return consensus.median_candidates(ctx, assessment_id)

    @post("/medians", access="workshop", status_code=HTTP_200_OK, responses=CONFLICT, **SYNC)
    def accept_medians(self, ctx: Ctx, assessment_id: PathInt, data: JSONBody[MediansPost]) -> MediansAccepted:
        """Accept the group's median on the questions named (from the review list) as their agreed answers, all
        at once. 409 and nothing saved when one of them no longer qualifies; its id is in extra.question_ids."""
        return MediansAccepted(accepted=consensus.accept_medians(ctx, assessment_id, data.question_ids))


class ParticipantController(Controller):
    """The participant's side: no account, the join code in the path and the participant token in a header."""

    path = "/api/v1/workshops/{code:str}"
    tags = ["workshops"]

    @get("/", access="public", **SYNC)
    def info(self, ctx: Ctx, code: PathStr) -> WorkshopInfo:
        """What the join screen shows: organisation, period, questionnaire and whether the workshop is open."""
        return participants.workshop_info(ctx, code)

    @post("/participants", status_code=HTTP_201_CREATED, access="public", responses=JOIN_REFUSALS, **SYNC)
    def join(self, ctx: Ctx, request: Request, code: PathStr, data: JSONBody[WorkshopJoin]) -> ParticipantJoined:
        """Join with a name, role and department; the participant token in the answer is shown this once.
        Refused when the workshop is full (409) or your network address joined too often lately (429)."""
        return participants.join_workshop(ctx, code, data, client_address(request))

    @get("/me", access="public", **SYNC)
    def me(self, ctx: Ctx, code: PathStr, token: Token = None) -> ParticipantPublic:
        """Who you are, the workshop's state and your own answers, for picking up after a reload."""
        return participants.participant_state(ctx, code, token or "")

    @put(
        "/answers/{question_id:str}",
        access="public",
        **SYNC,
        responses={
            201: ResponseSpec(ParticipantAnswerPublic, description="Your first answer to the question"),
            **CONFLICT,
        },
    )
    def answer(
        self, ctx: Ctx, code: PathStr, question_id: PathStr, data: JSONBody[ParticipantAnswerPut], token: Token = None
    ) -> Response[ParticipantAnswerPublic]:
        """Save your answer; change it until the facilitator locks its section. Sending it twice stores it once."""
        saved, created = participants.save_participant_answer(ctx, code, token or "", question_id, data)
        return Response(saved, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @get("/results", access="public", responses=CONFLICT, **SYNC)
    def results(self, ctx: Ctx, code: PathStr, token: Token = None) -> list[QuestionResult]:
        """The results the facilitator has revealed so far; nothing else."""
        return board.revealed_results(ctx, code, token or "")

    @get(
        "/now",
        access="public",
        **SYNC,
        responses={304: ResponseSpec(None, description="Unchanged since the ETag sent as If-None-Match")},
    )
    def now(self, ctx: Ctx, request: Request, code: PathStr, token: Token = None) -> Response[RoomNow]:
        """Where the room is (presenter mode): the facilitator's current question, whether its answers are closed
        and, once revealed, how the room answered it. Poll it every second with the ETag as If-None-Match:
        while nothing changed the answer is 304, from one small read."""
        found, stamp = follow.room_now(ctx, code, token or "")
        etag = f'W/"{stamp}"'
        if unchanged(request, etag):
            return Response(None, status_code=304, headers={"ETag": etag})
        return Response(found, headers={"ETag": etag})
