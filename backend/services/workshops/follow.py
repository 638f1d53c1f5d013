"""Presenter mode, the participant's side: where the room is (the facilitator's current question), whether its
answers are closed and, once revealed, how the room answered it.

Every joined phone asks once a second, so the answer and its fingerprint (the ETag) come from one read of the
workshop's few columns, and the question's own answers are counted only while its results are revealed. The
board is never built here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from backend.schemas.workshops import ParticipantAnswerPublic, RoomNow, StatsView
from backend.services.kernel.context import Context
from backend.services.workshops.board import figures_of
from backend.services.workshops.participants import seated
from backend.services.workshops.workshops import is_locked, is_revealed, position_of
from backend.storage.db import Session
from backend.storage.queries.workshops import participant_answer, question_tally


def room_now(ctx: Context, code: str, token: str) -> tuple[RoomNow, str]:
    """The room's current question as this participant follows it, and a short fingerprint of all it shows."""
    with ctx.db.read() as session:
        now, stamp, _ = _read(ctx, session, code, token)
    return now, stamp


def room_and_answer(ctx: Context, code: str, token: str) -> tuple[RoomNow, str, ParticipantAnswerPublic | None]:
    """room_now, and the participant's own answer to the current question (None before they give one)."""
    with ctx.db.read() as session:
        now, stamp, seat = _read(ctx, session, code, token)
        row = participant_answer(session, seat["participant_id"], now.question_id) if now.question_id else None
    return now, stamp, ParticipantAnswerPublic.model_validate(dict(row)) if row else None


def _read(ctx: Context, session: Session, code: str, token: str) -> tuple[RoomNow, str, Mapping]:
    tally, agreed = None, None
    seat = seated(session, code, token)
    plan = ctx.plan_of(seat["questionnaire_id"])
    where = position_of(plan, seat["current_question"])
    revealed = bool(where) and is_revealed(seat, where.section_id, where.question_id)
    if revealed:
        tally, agreed = question_tally(session, seat["id"], where.question_id)
    closed = seat["status"] != "open" or seat["assessment_status"] != "draft"
    locked = bool(where) and is_locked(seat, where.section_id, where.question_id)
    seen = (
        plan.content_hash,
        seat["current_question"],
        closed,
        revealed,
        locked,
        sorted(tally.items()) if tally else None,
        tuple(agreed.values()) if agreed else None,
    )
    stamp = hashlib.blake2b(repr(seen).encode(), digest_size=12).hexdigest()
    question = plan.questions[where.question_id] if where else None
    now = RoomNow(
        status="closed" if closed else "open",
        questionnaire_id=seat["questionnaire_id"],
        question_id=where.question_id if where else None,
        number=where.number if where else None,
        total=sum(len(s.questions) for s in plan.questionnaire.sections),
        section_number=where.section_number if where else None,
        section_title=where.section_title if where else None,
        text=question.text if question else None,
        revealed=revealed,
        locked=locked,
        results=StatsView.model_construct(**figures_of(plan, question, tally)) if revealed else None,
        agreed_value=agreed["value"] if agreed else None,
    )
    return now, stamp, seat
