"""Answers and their history: the reads, and the prebuilt statements of the answer-save path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import RowMapping, bindparam, func, insert
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import select

from backend.storage.db import Connection, Session, connection_of
from backend.storage.tables import Answer, AnswerChange, Assessment

# Every field of an answer, each kept before and after in the history (old_x, new_x).
ANSWER_FIELDS = ("value", "reason", "note", "evidence", "answered_by")


def answers_of(session: Session, assessment_id: int) -> Sequence[Answer]:
    """Every stored answer of an assessment."""
    return session.exec(select(Answer).where(Answer.assessment_id == assessment_id).order_by(Answer.id)).all()


def answer_counts(session: Session, assessment_ids: Sequence[int]) -> dict[int, int]:
    """How many answers each assessment has."""
    if not assessment_ids:
        return {}
    query = (
        select(Answer.assessment_id, func.count())
        .where(Answer.assessment_id.in_(assessment_ids))
        .group_by(Answer.assessment_id)
    )
    return dict(session.exec(query).all())


def answer_values(session: Session, assessment_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """Each assessment's answers as question id -> value (assessments without answers left out)."""
    out: dict[int, dict[str, str]] = {}
    if assessment_ids:
        query = select(Answer.assessment_id, Answer.question_id, Answer.value).where(
            Answer.assessment_id.in_(assessment_ids)
        )
        for assessment_id, question_id, value in session.exec(query).all():
            out.setdefault(assessment_id, {})[question_id] = value
    return out


def answer_stamps(session: Session, assessment_ids: Sequence[int]) -> dict[int, tuple[datetime, int, int]]:
    """Per assessment with answers, what moves whenever they change: when the assessment was made (a deleted one's id
    may come back), its last answer change's id and how many changes it has (every write of an answer records one)."""
    if not assessment_ids:
        return {}
    query = (
        select(Assessment.id, Assessment.created_at, func.max(AnswerChange.id), func.count())
        .join(AnswerChange, AnswerChange.assessment_id == Assessment.id)
        .where(Assessment.id.in_(assessment_ids))
        .group_by(Assessment.id, Assessment.created_at)
    )
    return {assessment_id: tuple(stamp) for assessment_id, *stamp in session.exec(query).all()}


def answer_of(session: Session, assessment_id: int, question_id: str) -> Answer | None:
    """One stored answer, or None."""
    query = select(Answer).where(Answer.assessment_id == assessment_id, Answer.question_id == question_id)
    return session.exec(query).first()


def history_of(session: Session, assessment_id: int) -> Sequence[AnswerChange]:
    """Every answer change of an assessment, oldest first."""
    query = select(AnswerChange).where(AnswerChange.assessment_id == assessment_id)
    return session.exec(query.order_by(AnswerChange.changed_at, AnswerChange.id)).all()


def versions_of(session: Session, assessment_id: int, question_id: str) -> Sequence[AnswerChange]:
    """Every saved version of one answer, the newest first."""
    query = select(AnswerChange).where(
        AnswerChange.assessment_id == assessment_id, AnswerChange.question_id == question_id
    )
    return session.exec(query.order_by(AnswerChange.version.desc(), AnswerChange.id.desc())).all()


# The answer-save path is the hottest write: its statements are built once with bound
# parameters and run on the session's connection, with no unit of work.
ANSWER = Answer.__table__
CHANGE = AnswerChange.__table__
_LOCKED = (
    sa_select(ANSWER)
    .where(ANSWER.c.assessment_id == bindparam("a_id"), ANSWER.c.question_id == bindparam("q_id"))
    .with_for_update()
)
_INSERT_ANSWER = insert(ANSWER)
_UPDATE_ANSWER = sa_update(ANSWER).where(ANSWER.c.id == bindparam("answer_id"))
_INSERT_CHANGE = insert(CHANGE)
_FACTS = (
    sa_select(ANSWER.c.question_id, ANSWER.c.value, ANSWER.c.note, ANSWER.c.evidence, ANSWER.c.reason)
    .where(ANSWER.c.assessment_id == bindparam("a_id"))
    .order_by(ANSWER.c.id)
)


class AnswerFacts(NamedTuple):
    """What scoring reads of a stored answer."""

    question_id: str
    value: str
    note: str
    evidence: str
    reason: str


def answer_facts(db: Session | Connection, assessment_id: int) -> list[AnswerFacts]:
    """An assessment's answers as scoring reads them, in the order they were first given; no ORM objects."""
    return [AnswerFacts(*row) for row in connection_of(db).execute(_FACTS, {"a_id": assessment_id})]


def locked_answer(db: Session | Connection, assessment_id: int, question_id: str) -> RowMapping | None:
    """A stored answer, its row locked until the transaction ends (PostgreSQL; SQLite holds the writer lock)."""
    return connection_of(db).execute(_LOCKED, {"a_id": assessment_id, "q_id": question_id}).mappings().first()


def write_answer(db: Session | Connection, answer_id: int | None, values: dict, change: dict) -> None:
    """Insert or update an answer and record the change, in the caller's transaction."""
    conn = connection_of(db)
    if answer_id is None:
        conn.execute(_INSERT_ANSWER, values)
    else:
        conn.execute(_UPDATE_ANSWER, {**values, "answer_id": answer_id})
    insert_change(conn, change)


def change_row(old: Mapping | None, new: Mapping, **meta: object) -> dict:
    """A history row: every answer field before (None for a first answer) and after, with who, when and the version."""
    row = {f"old_{name}": old[name] if old is not None else None for name in ANSWER_FIELDS}
    row.update({f"new_{name}": new[name] for name in ANSWER_FIELDS})
    return row | meta


def insert_change(db: Session | Connection, change: dict) -> int:
    """Add a row to the answer history, in the caller's transaction; its id."""
    return connection_of(db).execute(_INSERT_CHANGE, change).inserted_primary_key[0]
