"""Queries of workshop mode: workshops by assessment or code, participants, their answers, join attempts, consensus."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, RowMapping, and_, bindparam, delete, func, insert
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import Session, select

from backend.storage.tables import Assessment, Consensus, JoinAttempt, Participant, ParticipantAnswer, Workshop


def _locked(query, lock: bool):
    return query.with_for_update() if lock else query


# Workshops


def workshop_on(session: Session, assessment_id: int, lock: bool = False) -> Workshop | None:
    """The assessment's workshop (there is at most one), its row locked for this transaction when asked."""
    return session.exec(_locked(select(Workshop).where(Workshop.assessment_id == assessment_id), lock)).first()


def workshop_with_code(session: Session, code: str, lock: bool = False) -> Workshop | None:
    """The workshop with this join code as stored, its row locked for this transaction when asked."""
    return session.exec(_locked(select(Workshop).where(Workshop.code == code), lock)).first()


def code_taken(session: Session, code: str) -> bool:
    """Whether a workshop has this join code."""
    return session.exec(select(Workshop.id).where(Workshop.code == code)).first() is not None


# Participants and join attempts


def participants_in(session: Session, workshop_id: int) -> list[Participant]:
    """A workshop's participants in the order they joined."""
    query = select(Participant).where(Participant.workshop_id == workshop_id).order_by(Participant.id)
    return list(session.exec(query).all())


def participant_count(session: Session, workshop_id: int) -> int:
    """How many participants a workshop has."""
    return session.exec(
        select(func.count()).select_from(Participant).where(Participant.workshop_id == workshop_id)
    ).one()


def participant_with_token(session: Session, workshop_id: int, token_hash: str) -> Participant | None:
    """The workshop's participant holding the token with this hash."""
    query = select(Participant).where(Participant.token_hash == token_hash, Participant.workshop_id == workshop_id)
    return session.exec(query).first()


def joins_since(session: Session, address: str, since: datetime) -> tuple[int, datetime | None]:
    """How many joins came from a network address since a moment, and when the oldest of them was."""
    query = select(func.count(), func.min(JoinAttempt.attempted_at)).where(
        JoinAttempt.address == address, JoinAttempt.attempted_at >= since
    )
    count, oldest = session.exec(query).one()
    return count, oldest


def forget_joins_before(session: Session, moment: datetime) -> None:
    """Delete the join attempts older than a moment."""
    session.exec(delete(JoinAttempt).where(JoinAttempt.attempted_at < moment))


# Answers


def answers_by(session: Session, participant_ids: Sequence[int]) -> list[ParticipantAnswer]:
    """The answers these participants gave, in the order first given."""
    query = select(ParticipantAnswer).where(ParticipantAnswer.participant_id.in_(list(participant_ids)))
    return list(session.exec(query.order_by(ParticipantAnswer.id)).all())


def participant_answers(
    session: Session, workshop_id: int, question_id: str | None = None
) -> list[tuple[int, str, str]]:
    """Every answer given in a workshop (or to one question) as (participant id, question id, value) rows:
    plain rows, not entities, as the board reads them all every two seconds."""
    query = (
        select(ParticipantAnswer.participant_id, ParticipantAnswer.question_id, ParticipantAnswer.value)
        .join(Participant, Participant.id == ParticipantAnswer.participant_id)
        .where(Participant.workshop_id == workshop_id)
    )
    if question_id is not None:
        query = query.where(ParticipantAnswer.question_id == question_id)
    return list(session.exec(query.order_by(ParticipantAnswer.id)).all())


def answer_counts(session: Session, workshop_id: int) -> list[Row]:
    """The workshop's answers counted by the database: (question id, value, role, department, how many) rows,
    one read for the whole board (it was one per split). Plain rows through the connection, not the ORM: the
    board reads them every two seconds."""
    keys = [ParticipantAnswer.question_id, ParticipantAnswer.value, Participant.role, Participant.department]
    query = (
        select(*keys, func.count())
        .join(Participant, Participant.id == ParticipantAnswer.participant_id)
        .where(Participant.workshop_id == workshop_id)
        .group_by(*keys)
    )
    return list(session.connection().execute(query).all())


def answering_count(session: Session, workshop_id: int) -> int:
    """How many of the workshop's participants have answered anything."""
    query = (
        select(func.count(func.distinct(ParticipantAnswer.participant_id)))
        .join(Participant, Participant.id == ParticipantAnswer.participant_id)
        .where(Participant.workshop_id == workshop_id)
    )
    return session.exec(query).one()


# Consensus


def consensus_in(session: Session, workshop_id: int) -> list[Consensus]:
    """The consensus recorded in a workshop, in the order first recorded."""
    query = select(Consensus).where(Consensus.workshop_id == workshop_id).order_by(Consensus.id)
    return list(session.exec(query).all())


def consensus_on(session: Session, workshop_id: int, question_id: str, lock: bool = False) -> Consensus | None:
    """The consensus recorded on a question, its row locked for this transaction when asked."""
    query = select(Consensus).where(Consensus.workshop_id == workshop_id, Consensus.question_id == question_id)
    return session.exec(_locked(query, lock)).first()


def agreement_spreads(session: Session, assessment_id: int) -> dict[str, float]:
    """Per agreed question of the assessment's workshop, the spread the group agreed from (for confidence)."""
    query = (
        select(Consensus.question_id, Consensus.spread)
        .join(Workshop, Workshop.id == Consensus.workshop_id)
        .where(Workshop.assessment_id == assessment_id, Consensus.spread.is_not(None))
    )
    return dict(session.exec(query).all())


def board_figures(session: Session, workshop_id: int) -> tuple:
    """Counts that move whenever a workshop's participants, their answers or its consensus change: participants;
    answers and the sum of their versions (an update bumps one); consensus and when it was last recorded."""
    people = select(func.count(Participant.id)).where(Participant.workshop_id == workshop_id)
    answers = (
        select(func.count(ParticipantAnswer.id), func.coalesce(func.sum(ParticipantAnswer.version), 0))
        .join(Participant, Participant.id == ParticipantAnswer.participant_id)
        .where(Participant.workshop_id == workshop_id)
    )
    agreed = select(func.count(Consensus.id), func.max(Consensus.decided_at)).where(
        Consensus.workshop_id == workshop_id
    )
    conn = session.connection()
    return (conn.execute(people).scalar_one(), *conn.execute(answers).one(), *conn.execute(agreed).one())


# A participant's answer save, the hottest write of a workshop: prebuilt statements on the session's
# connection, no unit of work (as the assessment's own answer save).
_W, _P, _PA = Workshop.__table__, Participant.__table__, ParticipantAnswer.__table__
_SEAT = (
    sa_select(
        _W.c.id,
        _W.c.status,
        _W.c.locked_sections,
        _W.c.locked_questions,
        # What a phone following the room needs besides: it polls seat_of every second (presenter mode).
        _W.c.current_question,
        _W.c.revealed_sections,
        _W.c.revealed_questions,
        Assessment.__table__.c.status.label("assessment_status"),
        Assessment.__table__.c.questionnaire_id,
        _P.c.id.label("participant_id"),
    )
    .select_from(
        _W.join(Assessment.__table__, Assessment.__table__.c.id == _W.c.assessment_id).outerjoin(
            _P, and_(_P.c.workshop_id == _W.c.id, _P.c.token_hash == bindparam("token_hash"))
        )
    )
    .where(_W.c.code == bindparam("code"))
)
_ANSWER = sa_select(_PA).where(_PA.c.participant_id == bindparam("p_id"), _PA.c.question_id == bindparam("q_id"))
_LOCKED_ANSWER = _ANSWER.with_for_update()
_INSERT_ANSWER = insert(_PA)
_UPDATE_ANSWER = sa_update(_PA).where(_PA.c.id == bindparam("answer_id"))


def seat_of(session: Session, code: str, hashed_token: str) -> RowMapping | None:
    """For a stored join code: the workshop's id, status, locks, reveals and current question, its assessment's
    status and questionnaire, and the id of the participant holding this token there (None when no one does)."""
    return session.connection().execute(_SEAT, {"code": code, "token_hash": hashed_token}).mappings().first()


def locked_participant_answer(session: Session, participant_id: int, question_id: str) -> RowMapping | None:
    """A participant's answer to a question, its row locked until the transaction ends (PostgreSQL)."""
    return (
        session.connection().execute(_LOCKED_ANSWER, {"p_id": participant_id, "q_id": question_id}).mappings().first()
    )


def participant_answer(session: Session, participant_id: int, question_id: str) -> RowMapping | None:
    """A participant's answer to a question, read as it stands (a phone showing the room's current question)."""
    return session.connection().execute(_ANSWER, {"p_id": participant_id, "q_id": question_id}).mappings().first()


def write_participant_answer(session: Session, answer_id: int | None, values: dict) -> None:
    """Insert a participant's first answer to a question, or update it, in the caller's transaction."""
    if answer_id is None:
        session.connection().execute(_INSERT_ANSWER, values)
    else:
        session.connection().execute(_UPDATE_ANSWER, {**values, "answer_id": answer_id})


# Presenter mode: what a participant's phone reads of the room once it is revealed (seat_of reads the rest).
_TALLY = (
    sa_select(_PA.c.value, func.count())
    .select_from(_PA.join(_P, _P.c.id == _PA.c.participant_id))
    .where(_P.c.workshop_id == bindparam("w_id"), _PA.c.question_id == bindparam("q_id"))
    .group_by(_PA.c.value)
)
_AGREED = sa_select(Consensus.__table__.c.value, Consensus.__table__.c.decided_at).where(
    Consensus.__table__.c.workshop_id == bindparam("w_id"), Consensus.__table__.c.question_id == bindparam("q_id")
)


def question_tally(session: Session, workshop_id: int, question_id: str) -> tuple[dict[str, int], RowMapping | None]:
    """One question's answers in a workshop counted per value, and its consensus (value, decided at) if recorded."""
    conn = session.connection()
    params = {"w_id": workshop_id, "q_id": question_id}
    tally = dict(conn.execute(_TALLY, params).all())
    return tally, conn.execute(_AGREED, params).mappings().first()
