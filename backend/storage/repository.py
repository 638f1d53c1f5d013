"""Queries over the tables; services call these, handlers never build SQL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import Connection, RowMapping, bindparam, func, insert
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import Session, select

from backend.storage.tables import (
    Answer,
    AnswerChange,
    ApiToken,
    Assessment,
    Membership,
    Organisation,
    Participant,
    ResultSnapshot,
    RoadmapItem,
    ShareLink,
    User,
)


def organisations(session: Session, only: Iterable[int] | None = None) -> Sequence[Organisation]:
    """Every organisation by name, or only those with the given ids."""
    query = select(Organisation)
    if only is not None:
        query = query.where(Organisation.id.in_(list(only)))
    return session.exec(query.order_by(Organisation.name, Organisation.id)).all()


def assessments_of(session: Session, organisation_id: int) -> Sequence[Assessment]:
    """An organisation's assessments, oldest period first."""
    query = select(Assessment).where(Assessment.organisation_id == organisation_id)
    return session.exec(query.order_by(Assessment.period, Assessment.created_at, Assessment.id)).all()


def previous_assessment(session: Session, organisation_id: int, period: str) -> Assessment | None:
    """The latest assessment of an earlier period (submitted preferred), if any."""
    query = (
        select(Assessment)
        .where(Assessment.organisation_id == organisation_id, Assessment.period < period)
        .order_by(Assessment.period.desc(), (Assessment.status == "submitted").desc(), Assessment.id.desc())
    )
    return session.exec(query).first()


def assessment_for(session: Session, organisation_id: int, questionnaire_id: str, period: str) -> Assessment | None:
    """The organisation's assessment of a period with a questionnaire, if it has one (there is at most one)."""
    query = select(Assessment).where(
        Assessment.organisation_id == organisation_id,
        Assessment.questionnaire_id == questionnaire_id,
        Assessment.period == period,
    )
    return session.exec(query).first()


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


def answer_of(session: Session, assessment_id: int, question_id: str) -> Answer | None:
    """One stored answer, or None."""
    query = select(Answer).where(Answer.assessment_id == assessment_id, Answer.question_id == question_id)
    return session.exec(query).first()


# The answer-save path is the hottest write: its statements are built once with bound
# parameters and run on the session's connection, with no unit of work.
ANSWER = Answer.__table__
CHANGE = AnswerChange.__table__
ASSESSMENT = Assessment.__table__
_STATE = sa_select(
    ASSESSMENT.c.id,
    ASSESSMENT.c.organisation_id,
    ASSESSMENT.c.status,
    ASSESSMENT.c.period,
    ASSESSMENT.c.questionnaire_id,
).where(ASSESSMENT.c.id == bindparam("a_id"))
_LOCKED = (
    sa_select(ANSWER)
    .where(ANSWER.c.assessment_id == bindparam("a_id"), ANSWER.c.question_id == bindparam("q_id"))
    .with_for_update()
)
_INSERT_ANSWER = insert(ANSWER)
_UPDATE_ANSWER = sa_update(ANSWER).where(ANSWER.c.id == bindparam("answer_id"))
_INSERT_CHANGE = insert(CHANGE)


# Who is asking, and may they: run before every request, so built once like the statements above.
USER = User.__table__
TOKEN = ApiToken.__table__
MEMBERSHIP = Membership.__table__
LINK = ShareLink.__table__
_USER_COLUMNS = (USER.c.id, USER.c.email, USER.c.role, USER.c.session_epoch, USER.c.password_hash)
# A user's memberships come with the user, one row per membership: one statement for who is asking.
_MEMBERSHIP_COLUMNS = (MEMBERSHIP.c.organisation_id.label("member_of"), MEMBERSHIP.c.role.label("member_role"))
_TOKEN_OWNER = (
    sa_select(TOKEN.c.id.label("token_id"), TOKEN.c.last_used_at, *_USER_COLUMNS, *_MEMBERSHIP_COLUMNS)
    .join(USER, USER.c.id == TOKEN.c.user_id)
    .outerjoin(MEMBERSHIP, MEMBERSHIP.c.user_id == USER.c.id)
    .where(TOKEN.c.token_hash == bindparam("token_hash"), TOKEN.c.revoked_at.is_(None))
)
_USER = (
    sa_select(*_USER_COLUMNS, *_MEMBERSHIP_COLUMNS)
    .outerjoin(MEMBERSHIP, MEMBERSHIP.c.user_id == USER.c.id)
    .where(USER.c.id == bindparam("user_id"))
)
_ROLES = sa_select(MEMBERSHIP.c.organisation_id, MEMBERSHIP.c.role).where(MEMBERSHIP.c.user_id == bindparam("user_id"))
_ORGANISATION_OF_ASSESSMENT = sa_select(ASSESSMENT.c.organisation_id).where(ASSESSMENT.c.id == bindparam("entity_id"))
_ORGANISATION_OF_LINK = (
    sa_select(ASSESSMENT.c.organisation_id)
    .join(LINK, LINK.c.assessment_id == ASSESSMENT.c.id)
    .where(LINK.c.id == bindparam("entity_id"))
)
ORGANISATION_OF = {"assessment_id": _ORGANISATION_OF_ASSESSMENT, "link_id": _ORGANISATION_OF_LINK}


def connection_of(db: Session | Connection) -> Connection:
    """Where a prebuilt statement runs: a session's connection, or the bare connection given."""
    return db.connection() if isinstance(db, Session) else db


def _with_roles(rows: Sequence) -> tuple[object, dict[int, str]] | None:
    """The user row of a user-with-memberships read, and their role per organisation; None for no rows."""
    if not rows:
        return None
    return rows[0], {r.member_of: r.member_role for r in rows if r.member_of is not None}


def token_owner(db: Session | Connection, token_hash: str) -> tuple[object, dict[int, str]] | None:
    """The live token with this hash and its user (token_id, last_used_at, id, email, role,
    session_epoch...), with the user's role per organisation; or None."""
    return _with_roles(connection_of(db).execute(_TOKEN_OWNER, {"token_hash": token_hash}).all())


def user_row(db: Session | Connection, user_id: int) -> tuple[object, dict[int, str]] | None:
    """A user's id, email, role, session epoch and password hash, with their role per organisation; or None."""
    return _with_roles(connection_of(db).execute(_USER, {"user_id": user_id}).all())


def roles_of(db: Session | Connection, user_id: int) -> dict[int, str]:
    """The user's role in each organisation they belong to."""
    return dict(connection_of(db).execute(_ROLES, {"user_id": user_id}).all())


def organisation_of_entity(db: Session | Connection, key: str, entity_id: int) -> int | None:
    """The organisation an assessment (key assessment_id) or share link (link_id) belongs to, or None."""
    return connection_of(db).execute(ORGANISATION_OF[key], {"entity_id": entity_id}).scalar()


def assessment_state(db: Session | Connection, assessment_id: int) -> RowMapping | None:
    """An assessment's id, status, period and questionnaire, without loading the entity."""
    return connection_of(db).execute(_STATE, {"a_id": assessment_id}).mappings().first()


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


# Every field of an answer, each kept before and after in the history (old_x, new_x).
ANSWER_FIELDS = ("value", "reason", "note", "evidence", "answered_by")


def change_row(old: Mapping | None, new: Mapping, **meta: object) -> dict:
    """A history row: every answer field before (None for a first answer) and after, with who, when and the version."""
    row = {f"old_{name}": old[name] if old is not None else None for name in ANSWER_FIELDS}
    row.update({f"new_{name}": new[name] for name in ANSWER_FIELDS})
    return row | meta


def insert_change(db: Session | Connection, change: dict) -> int:
    """Add a row to the answer history, in the caller's transaction; its id."""
    return connection_of(db).execute(_INSERT_CHANGE, change).inserted_primary_key[0]


def history_of(session: Session, assessment_id: int) -> Sequence[AnswerChange]:
    """Every answer change of an assessment, oldest first."""
    query = select(AnswerChange).where(AnswerChange.assessment_id == assessment_id)
    return session.exec(query.order_by(AnswerChange.changed_at, AnswerChange.id)).all()


def participants_of(session: Session, assessment_id: int) -> Sequence[Participant]:
    """An assessment's participants."""
    return session.exec(
        select(Participant).where(Participant.assessment_id == assessment_id).order_by(Participant.id)
    ).all()


def snapshot_of(session: Session, assessment_id: int) -> ResultSnapshot | None:
    """The result frozen at submission, if submitted."""
    return session.exec(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment_id)).first()


def roadmap_rows(session: Session, assessment_id: int) -> Sequence[RoadmapItem]:
    """An assessment's stored roadmap items."""
    query = select(RoadmapItem).where(RoadmapItem.assessment_id == assessment_id)
    return session.exec(query.order_by(RoadmapItem.position, RoadmapItem.id)).all()


def draft_ids(session: Session) -> Sequence[int]:
    """Every draft assessment's id."""
    return session.exec(select(Assessment.id).where(Assessment.status == "draft").order_by(Assessment.id)).all()


def periods_of_items(session: Session, item_ids: Sequence[int]) -> dict[int, str]:
    """The period of the assessment each roadmap item belongs to."""
    if not item_ids:
        return {}
    query = (
        select(RoadmapItem.id, Assessment.period)
        .join(Assessment, Assessment.id == RoadmapItem.assessment_id)
        .where(RoadmapItem.id.in_(item_ids))
    )
    return dict(session.exec(query).all())


# --- the portfolio: a few set-based queries for many organisations at once ---------------


def assessments_of_organisations(session: Session, organisation_ids: Sequence[int]) -> Sequence[Assessment]:
    """Every assessment of the given organisations, by organisation, then oldest period first."""
    if not organisation_ids:
        return []
    query = select(Assessment).where(Assessment.organisation_id.in_(list(organisation_ids)))
    return session.exec(
        query.order_by(Assessment.organisation_id, Assessment.period, Assessment.created_at, Assessment.id)
    ).all()


def snapshot_models(session: Session, assessment_ids: Sequence[int]) -> dict[int, list[dict]]:
    """Only the per-model part (level, progress, steps) of each frozen result, read inside the database."""
    if not assessment_ids:
        return {}
    query = select(ResultSnapshot.assessment_id, ResultSnapshot.result["models"]).where(
        ResultSnapshot.assessment_id.in_(list(assessment_ids))
    )
    return {assessment_id: models or [] for assessment_id, models in session.exec(query).all()}


def open_step_counts(session: Session, assessment_ids: Sequence[int]) -> dict[int, int]:
    """Open roadmap steps per assessment as its roadmap shows them: in progress, or planned and triggered."""
    if not assessment_ids:
        return {}
    planned = (RoadmapItem.status == "planned") & RoadmapItem.triggered.is_(True)
    shown = (RoadmapItem.status == "in_progress") | planned
    query = (
        select(RoadmapItem.assessment_id, func.count())
        .where(RoadmapItem.assessment_id.in_(list(assessment_ids)), shown)
        .group_by(RoadmapItem.assessment_id)
    )
    return dict(session.exec(query).all())
