"""Workshop mode, the participants' screens: join by the code, then follow the facilitator question by question.

Participants have no account: joining puts their token in a cookie scoped to their workshop's join path
(HttpOnly, SameSite=Strict), which their polls and answer posts send back. Once joined, /join/{code} shows the
room's current question only (presenter mode); a small element polls /join/{code}/now every second, which
answers 304 from one read while nothing changed, and otherwise brings the question and its reveal as
out-of-band pieces, each with a key: follow.js leaves a piece whose key is the one on screen alone, so a
participant typing a note keeps their text and focus. /join/{code}/all is the whole questionnaire, to catch up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie

from backend import labels
from backend.labels import answer_choices as choices
from backend.schemas.limits import REASON_MAX_LENGTH
from backend.schemas.workshops import ParticipantAnswerPut, RoomNow, WorkshopJoin
from backend.services.kernel.errors import Invalid, NotFound, ServiceError, Unauthorised
from backend.services.workshops import board, follow, participants, workshops
from backend.web.api.accounts import client_address
from backend.web.auth import web_session
from backend.web.pages.forms import Form, parse
from backend.web.pages.render import attempt, fragment, go, page, stamped, wants_fragment
from backend.web.params import Ctx, PathStr

FORM = {"sync_to_thread": True, "form": True}
COOKIE = "tw_participant"
# A participant's token lasts as long as a working day or two; the workshop itself may be reopened later.
COOKIE_SECONDS = 2 * 86400
ALL = "all"  # the `back` field of an answer sent from the page of all questions


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

    def locked(self, section_id: str, question_id: str = "") -> bool:
        """Whether participants may no longer change this section's answers (or this question's)."""
        return section_id in self.info.locked_sections or question_id in self.info.locked_questions


# What the join form sends; an empty e-mail means none was left.
JOIN_FIELDS = ("name", "role", "department", "email")


def _token(request: Request) -> str:
    return request.cookies.get(COOKIE, "")


def _sheet(ctx, request: Request, code: str, results: bool = True) -> Sheet:
    """The workshop as this visitor sees it; without a valid participant cookie, only what joining needs."""
    info = participants.workshop_info(ctx, code)
    plan = ctx.plan_of(info.questionnaire_id)
    try:
        me = participants.participant_state(ctx, code, _token(request))
    except Unauthorised:
        return Sheet(info.code, info, plan)
    shared = tuple(board.revealed_results(ctx, code, _token(request))) if results else ()
    return Sheet(info.code, me.workshop, plan, me, {a.question_id: a for a in me.answers}, shared)


def _participant_page(
    request: Request,
    sheet: Sheet,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    template: str = "workshop_join",
    **extra: Any,
) -> Response:
    return page(
        request, template, status_code, headers, sheet=sheet, choices=choices, note_max=REASON_MAX_LENGTH, **extra
    )


def _canonical(code: str) -> str | None:
    normal = workshops.normalise_code(code)
    return normal if normal and normal != code else None


def _key(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=6).hexdigest()


def _room(sheet: Sheet, now: RoomNow) -> dict[str, Any]:
    """What the current question's pieces show, with the keys that say when each must be replaced."""
    section = workshops.sections_of(sheet.plan).get(now.question_id or "")
    return {
        "sheet": sheet,
        "now": now,
        "question": sheet.plan.questions.get(now.question_id or ""),
        "section_id": section,
        # The question (and the participant's form) only when the question, its lock or the workshop's state
        # changes; the reveal whenever its figures do.
        "question_key": _key(now.question_id, now.locked, now.status),
        "reveal_key": _key(now.question_id, now.revealed, now.results and now.results.model_dump(), now.agreed_value),
        "readonly": now.status == "closed" or now.locked,
        "choices": choices,
        "note_max": REASON_MAX_LENGTH,
    }


def _follow_page(ctx, request: Request, sheet: Sheet, status_code: int = 200, **extra: Any) -> Response:
    now, _ = follow.room_now(ctx, sheet.code, _token(request))
    return page(request, "workshop_follow", status_code, **_room(sheet, now), **extra)


class ParticipantPages(Controller):
    """Joining a workshop by its code, following the facilitator's current question, answering, without an account."""

    include_in_schema = False
    path = "/join/{code:str}"

    @get("/", access="public", sync_to_thread=True)
    def join_page(self, ctx: Ctx, request: Request, code: PathStr) -> Response:
        """The join form, or once joined the room's current question with your answer and its reveal."""
        canonical = _canonical(code)
        if canonical:
            return go(f"/join/{canonical}")  # the cookie is scoped to the canonical path
        sheet = _sheet(ctx, request, code, results=False)
        if sheet.me is None:
            return _participant_page(request, sheet)
        return _follow_page(ctx, request, sheet)

    @get("/all", access="public", sync_to_thread=True)
    def all_page(self, ctx: Ctx, request: Request, code: PathStr) -> Response:
        """Every question with your answers and the results revealed so far, to catch up."""
        canonical = _canonical(code)
        if canonical:
            return go(f"/join/{canonical}/all")
        sheet = _sheet(ctx, request, code)
        if sheet.me is None:
            return go(f"/join/{sheet.code}")  # not joined: the join form
        return _participant_page(request, sheet, back=ALL)

    @get("/now", access="public", sync_to_thread=True)
    def now_fragment(self, ctx: Ctx, request: Request, code: PathStr) -> Response:
        """The current question and its reveal for htmx to poll (304 while unchanged); the page for anything else."""
        if not wants_fragment(request):
            return go(f"/join/{code}")
        try:
            now, stamp = follow.room_now(ctx, code, _token(request))
        except Unauthorised:
            # Not joined, or the cookie expired: the phone goes to the join form instead of polling in vain.
            return Response(b"", headers={"HX-Redirect": f"/join/{code}"})
        csrf = web_session(request).csrf

        def build() -> Mapping[str, Any]:
            # Only what the pieces show, read in one go: the room and the participant's answer to its question (a
            # whole sheet cost 5 ms of ORM reads, times 300 phones at each move). `readonly` comes from the room.
            fresh, _, mine = follow.room_and_answer(ctx, code, _token(request))
            answers = {mine.question_id: mine} if mine else {}
            sheet = Sheet(
                workshops.normalise_code(code) or code, None, ctx.plan_of(fresh.questionnaire_id), answers=answers
            )
            return {**_room(sheet, fresh), "oob": True, "csrf_token": csrf}

        # The stamp covers the room; the participant's own answer changes only by their own save, which swaps
        # the question itself. The CSRF token is the session's, so a new session is a new ETag.
        return stamped(request, "partials/_workshop_now", f"{stamp}|{csrf}", build, {"Vary": "HX-Request, Cookie"})

    @post("/", access="public", **FORM)
    def join_form(self, ctx: Ctx, request: Request, code: PathStr, data: Form) -> Response:
        """Join with a name, role and department; the participant token goes into a cookie for this workshop only."""

        def change():
            joined = participants.join_workshop(
                ctx,
                code,
                parse(WorkshopJoin, {**data, "email": str(data.get("email") or "").strip() or None}, *JOIN_FIELDS),
                client_address(request),
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
            return go(f"/join/{code}/all")
        return fragment(request, "_workshop_results", sheet=_sheet(ctx, request, code))

    @post("/answers/{question_id:str}", access="public", **FORM)
    def answer_form(self, ctx: Ctx, request: Request, code: PathStr, question_id: PathStr, data: Form) -> Response:
        """Save one answer; the question comes back (htmx) or the page it was sent from does."""
        back = ALL if data.get("back") == ALL else ""

        def change():
            if not data.get("value"):
                raise Invalid("choose one of the answers first; the note is saved with it", field="value")
            participants.save_participant_answer(
                ctx, code, _token(request), question_id, parse(ParticipantAnswerPut, data, "value", "note")
            )
            return _answered(ctx, request, code, question_id, back)

        def refused(err: ServiceError) -> Response:
            if isinstance(err, Unauthorised):
                return go(f"/join/{code}")  # not joined (or the cookie expired): the join form
            # The service names the question or section by its id, for API clients; a page says it in words.
            message = labels.FOLLOW_REFUSALS.get(err.field, err.message) if err.status_code == 409 else err.message
            return _answered(ctx, request, code, question_id, back, err.status_code, message)

        return attempt(change, refused)


def _answered(
    ctx, request: Request, code: str, question_id: str, back: str, status_code: int = 200, message: str = ""
) -> Response:
    """The question again (htmx), the page with the reason, or the page at the question once saved."""
    sheet = _sheet(ctx, request, code, results=back == ALL)
    if question_id not in sheet.plan.questions:
        raise NotFound(f"question '{question_id}' is not in this workshop's questionnaire", field="question_id")
    if wants_fragment(request):
        return fragment(
            request,
            "_workshop_question",
            status_code,
            sheet=sheet,
            question=sheet.plan.questions[question_id],
            section_id=workshops.sections_of(sheet.plan)[question_id],
            message=message,
            back=back,
            choices=choices,
            note_max=REASON_MAX_LENGTH,
        )
    if back != ALL:
        if message:
            return _follow_page(ctx, request, sheet, status_code, error=message)
        return go(f"/join/{sheet.code}?saved=1")
    if message:
        return _participant_page(request, sheet, status_code, error=message, back=ALL)
    return go(f"/join/{sheet.code}/all?saved=1#wq-{question_id.replace('.', '-')}")
