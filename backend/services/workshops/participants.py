"""Workshop mode, the participant's side: join with the code, answer, come back after a reload.

Participants have no account. Joining gives a random token (256 bits, stored only as its hash) that
the participant sends as the X-Participant-Token header; it works only with its own workshop's code.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta

from backend.content.bundle import QuestionnairePlan
from backend.schemas.views import AnswerPut
from backend.schemas.workshops import (
    ParticipantAnswerPublic,
    ParticipantAnswerPut,
    ParticipantJoined,
    ParticipantPublic,
    WorkshopInfo,
    WorkshopJoin,
)
from backend.services.accounts.tokens import token_hash
from backend.services.assessments.answers import validate_answer
from backend.services.kernel.context import Context
from backend.services.kernel.errors import Conflict, Invalid, TooManyRequests, Unauthorised
from backend.services.workshops.workshops import info_of, is_locked, normalise_code, sections_of, workshop_by_code
from backend.storage.db import IntegrityError, Session
from backend.storage.queries.workshops import (
    answers_by,
    forget_joins_before,
    joins_since,
    locked_participant_answer,
    participant_count,
    participant_with_token,
    seat_of,
    write_participant_answer,
)
from backend.storage.tables import Assessment, JoinAttempt, Participant, ParticipantAnswer, Workshop, utcnow

TOKEN_HEADER = "X-Participant-Token"
# Joins from one network address within the window. A room joins from its venue's network, often one
# address behind NAT (bench/workshop.py joins 300 phones that way), so the limit lets the largest room
# the default participant cap admits (500) join at once; a flood from one address is held to 500 per
# 10 minutes (it was 34 a second), and each workshop's cap bounds what any one room can take.
JOIN_WINDOW = timedelta(minutes=10)
MAX_JOINS_PER_ADDRESS = 500


def participant_of(session: Session, workshop: Workshop, token: str) -> Participant:
    """The participant this token belongs to, if this workshop issued it; else a 401."""
    if not token:
        raise Unauthorised(
            f"send the participant token you got on joining in the '{TOKEN_HEADER}' header, "
            f"or join first with POST /api/v1/workshops/{workshop.code}/participants",
            field=TOKEN_HEADER,
        )
    found = participant_with_token(session, workshop.id, token_hash(token))
    if found is None:
        # The same answer for an unknown token and another workshop's: a token reveals nothing elsewhere.
        raise Unauthorised(
            f"this participant token is not one of workshop {workshop.code}'s; join it with "
            f"POST /api/v1/workshops/{workshop.code}/participants",
            field=TOKEN_HEADER,
        )
    return found


def workshop_info(ctx: Context, code: str) -> WorkshopInfo:
    """What the join screen shows to anyone holding the code."""
    with ctx.db.read() as session:
        return info_of(ctx, session, workshop_by_code(session, code))


def _ensure_open(session: Session, workshop: Workshop, doing: str) -> Mapping:
    assessment = session.get(Assessment, workshop.assessment_id)
    _refuse_closed(workshop.code, workshop.status, assessment.status, doing)
    return assessment.model_dump()


def _refuse_closed(code: str, status: str, assessment_status: str, doing: str) -> None:
    if status != "open":
        raise Conflict(
            f"workshop {code} is closed and takes no {doing}; ask the facilitator to reopen it", field="status"
        )
    if assessment_status != "draft":
        raise Conflict(f"workshop {code}'s assessment was submitted and takes no {doing}", field="status")


def _check_address(session: Session, address: str) -> None:
    """Refuse a join when this address already joined MAX_JOINS_PER_ADDRESS times within the window."""
    now = utcnow()
    count, oldest = joins_since(session, address, now - JOIN_WINDOW)
    if count >= MAX_JOINS_PER_ADDRESS:
        reason = f"{count} people joined workshops from your network address in the last {JOIN_WINDOW.seconds // 60} minutes, the most allowed"
        raise TooManyRequests.until(reason, oldest, JOIN_WINDOW, now)


def _check_room(session: Session, workshop: Workshop) -> None:
    """Refuse a join when the workshop has as many participants as its cap allows."""
    joined = participant_count(session, workshop.id)
    if joined >= workshop.participant_cap:
        raise Conflict(
            f"workshop {workshop.code} is full: its {workshop.participant_cap} places are taken; "
            "ask the facilitator to raise the participant cap, then join again",
            field="participant_cap",
            participant_cap=workshop.participant_cap,
            participants=joined,
        )


def join_workshop(ctx: Context, code: str, data: WorkshopJoin, address: str) -> ParticipantJoined:
    """Join an open workshop by its code: a participant with a token, shown this once. Limited per workshop
    (its participant cap) and per network address (stored, so the limit holds across workers)."""
    token = secrets.token_urlsafe(32)
    address = address[:64]
    with ctx.db.write() as session:
        # Locked first, so joins to one workshop take turns: its cap and a one-address flood on it hold
        # exactly on every engine (PostgreSQL reads what the previous join committed once it has the lock).
        workshop = workshop_by_code(session, code, lock=True)
        forget_joins_before(session, utcnow() - JOIN_WINDOW)
        _check_address(session, address)
        assessment = _ensure_open(session, workshop, "new participants")
        _check_room(session, workshop)
        row = Participant(
            assessment_id=assessment["id"], workshop_id=workshop.id, token_hash=token_hash(token), **data.model_dump()
        )
        session.add_all([row, JoinAttempt(address=address)])
        session.flush()
        return ParticipantJoined(
            participant_id=row.id,
            **data.model_dump(exclude={"email"}),
            workshop=info_of(ctx, session, workshop),
            token=token,
        )


def seated(session: Session, code: str, token: str) -> Mapping:
    """The participant's seat in the workshop with this code (see seat_of), in one read; a 404 or a 401 saying
    why when the code or the token is not right, looked up only then."""
    normal = normalise_code(code)
    seat = seat_of(session, normal, token_hash(token)) if normal and token else None
    if seat is None or seat["participant_id"] is None:
        participant_of(session, workshop_by_code(session, code), token)  # a 404 or a 401 saying why
        raise Unauthorised("this participant token is not this workshop's; join it again", field=TOKEN_HEADER)
    return seat


def _answer_public(row: ParticipantAnswer) -> ParticipantAnswerPublic:
    return ParticipantAnswerPublic(
        question_id=row.question_id, value=row.value, note=row.note, updated_at=row.updated_at, version=row.version
    )


def participant_state(ctx: Context, code: str, token: str) -> ParticipantPublic:
    """Who the participant is, the workshop's state and their own answers: all a reload needs."""
    with ctx.db.read() as session:
        workshop = workshop_by_code(session, code)
        person = participant_of(session, workshop, token)
        rows = answers_by(session, [person.id])
        return ParticipantPublic(
            participant_id=person.id,
            name=person.name,
            role=person.role,
            department=person.department,
            workshop=info_of(ctx, session, workshop),
            answers=[_answer_public(r) for r in rows],
        )


def save_participant_answer(
    ctx: Context, code: str, token: str, question_id: str, data: ParticipantAnswerPut
) -> tuple[ParticipantAnswerPublic, bool]:
    """Store a participant's answer; returns it and whether it is new. Sending the same again changes nothing."""
    for _ in range(2):
        try:
            return _save(ctx, code, token, question_id, data)
        except IntegrityError:
            continue  # the same first answer sent twice at once: the unique constraint let one in, the retry finds it
    raise Conflict(
        f"your answer to {question_id} changed while saving it; reload and answer again", field="question_id"
    )


def _save(
    ctx: Context, code: str, token: str, question_id: str, data: ParticipantAnswerPut
) -> tuple[ParticipantAnswerPublic, bool]:
    with ctx.db.write() as session:
        seat = seated(session, code, token)
        normal = normalise_code(code)
        _refuse_closed(normal, seat["status"], seat["assessment_status"], "answers")
        plan = ctx.plan_of(seat["questionnaire_id"])
        _validate(ctx, plan, question_id, data)
        section = sections_of(plan)[question_id]
        if section in seat["locked_sections"]:
            raise Conflict(
                f"section '{section}' is locked by the facilitator: its answers can no longer change",
                field="section_id",
                section_id=section,
            )
        if is_locked(seat, section, question_id):
            raise Conflict(
                f"question '{question_id}' is locked by the facilitator: its answer can no longer change",
                field="question_id",
                question_id=question_id,
            )
        row = locked_participant_answer(session, seat["participant_id"], question_id)
        if row is not None and (row["value"], row["note"]) == (data.value, data.note):
            return ParticipantAnswerPublic.model_validate(dict(row)), False
        values = {
            "participant_id": seat["participant_id"],
            "question_id": question_id,
            "value": data.value,
            "note": data.note,
            "updated_at": utcnow(),
            "version": (row["version"] if row else 0) + 1,
        }
        write_participant_answer(session, row["id"] if row else None, values)
        return ParticipantAnswerPublic.model_validate(values), row is None


def _validate(ctx: Context, plan: QuestionnairePlan, question_id: str, data: ParticipantAnswerPut) -> None:
    # The assessment's own rules; a participant gives the reason for 'not applicable' in the note.
    try:
        validate_answer(ctx, plan.questionnaire.id, question_id, AnswerPut(value=data.value, reason=data.note))
    except Invalid as error:
        if error.field != "reason":
            raise
        raise Invalid(
            f"say in the note why {question_id} does not apply: 'not_applicable' needs a reason", field="note"
        ) from None
