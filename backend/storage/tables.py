"""Database tables (SQLModel): each subclasses its family's base in backend/schemas (the fields and limits
it shares with inputs and export files) and adds keys, indexes and storage-only columns. Table models do not
validate: services validate with the non-table models before rows are built."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, MetaData, Text, UniqueConstraint
from sqlalchemy.orm import deferred
from sqlmodel import Field, SQLModel

from backend.schemas.assessments import (
    CONTENT_HASH_LENGTH,
    AnswerBase,
    AnswerChangeBase,
    AssessmentBase,
    RoadmapItemBase,
    WorksheetChannelBase,
    WorksheetStepBase,
)
from backend.schemas.base import utcnow
from backend.schemas.organisations import OrganisationBase
from backend.schemas.workshops import ConsensusBase, ParticipantAnswerBase, ParticipantBase, WorkshopBase

# Named constraints keep Alembic's SQLite batch migrations working.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


# A logo is hundreds of KB: loading an organisation (every page of it) leaves it in the database until it is read.
_LOGO = Column("logo", LargeBinary, nullable=True)


class Organisation(OrganisationBase, table=True):
    __mapper_args__ = {"properties": {"logo": deferred(_LOGO)}}

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    # Archived organisations are hidden from the portfolio and kept whole; restoring clears this.
    archived_at: datetime | None = None
    # The cover's logo (a validated PNG, up to 512 KB) and the report's accent colour ('#rrggbb', '' for ours).
    # They are set on their own (services/organisations/branding.py), never with the name, sector and size.
    logo: bytes | None = Field(default=None, sa_column=_LOGO)
    accent: str = Field(default="", max_length=7)


class Assessment(AssessmentBase, table=True):
    __table_args__ = (
        Index("ix_assessment_org_period", "organisation_id", "period"),
        # Each organisation's latest submitted period, from the index alone (the portfolio's sorts).
        Index("ix_assessment_org_status_period", "organisation_id", "status", "period"),
        # One assessment per organisation, questionnaire and period: a second would compete with the first in the trend.
        UniqueConstraint(
            "organisation_id", "questionnaire_id", "period", name="uq_assessment_org_questionnaire_period"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    # The questions as they were when the draft started (or was last brought up to date): id -> fingerprint,
    # text and option labels, so a later content change can say which questions are new, changed or gone.
    # Null for assessments started before this was kept: only the version change is known for them.
    started_questions: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    baseline_assessment_id: int | None = Field(default=None, foreign_key="assessment.id", ondelete="SET NULL")


class Participant(ParticipantBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", ondelete="CASCADE", index=True)
    # A workshop participant has no account: the random token they got on joining, hashed, is how they
    # come back (a reload, another network). Participants listed by hand have neither.
    workshop_id: int | None = Field(default=None, foreign_key="workshop.id", ondelete="CASCADE", index=True)
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    # Left by a participant who wants the summary when the workshop ends: used for that mail only, never shown,
    # never exported.
    email: str | None = Field(default=None, max_length=254)


class Answer(AnswerBase, table=True):
    __table_args__ = (UniqueConstraint("assessment_id", "question_id", name="uq_answer_assessment_question"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", ondelete="CASCADE")


class AnswerChange(AnswerChangeBase, table=True):
    __tablename__ = "answer_change"

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", ondelete="CASCADE", index=True)


class ResultSnapshot(SQLModel, table=True):
    __tablename__ = "result_snapshot"

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", ondelete="CASCADE", unique=True)
    content_hash: str = Field(max_length=CONTENT_HASH_LENGTH)
    result: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    roadmap: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    # Copied out of `result` so lists and trends (the portfolio, an organisation's progress) read a few bytes
    # per assessment instead of parsing its whole result: per model its level, name and progress; the
    # confidence label and each criterion's score.
    models: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False, server_default="[]"))
    scores: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False, server_default="{}"))
    created_at: datetime = Field(default_factory=utcnow)


class RoadmapItem(RoadmapItemBase, table=True):
    __tablename__ = "roadmap_item"
    __table_args__ = (
        UniqueConstraint("assessment_id", "recommendation_id", name="uq_roadmap_item_assessment_recommendation"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", ondelete="CASCADE")
    carried_from_id: int | None = Field(default=None, foreign_key="roadmap_item.id", ondelete="SET NULL")


class WorksheetChannel(WorksheetChannelBase, table=True):
    """A team's correction of a channel on an assessment's audit worksheet: kept whatever the answers become."""

    __tablename__ = "worksheet_channel"
    __table_args__ = (UniqueConstraint("assessment_id", "channel_id", name="uq_worksheet_channel_assessment_channel"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", ondelete="CASCADE")


class WorksheetStep(WorksheetStepBase, table=True):
    """A step of an assessment's audit worksheet as the team recorded it: owner, status, note."""

    __tablename__ = "worksheet_step"
    __table_args__ = (UniqueConstraint("assessment_id", "criterion_id", name="uq_worksheet_step_assessment_criterion"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", ondelete="CASCADE")


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    # Empty until an invited user chooses a password: nobody can sign in with it.
    password_hash: str = Field(default="", max_length=200)
    # admin (everything), consultant (creates organisations), member or viewer.
    role: str = Field(default="member", max_length=20)
    # Bumped on password change: every session and invitation signed before it stops working.
    session_epoch: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    # Reminder e-mails (a period due, steps due, a draft left idle): on until the user turns them off.
    reminders: bool = Field(default=True)


class Invitation(SQLModel, table=True):
    """One issued invitation (or reset) link: the link carries a nonce whose hash is stored here, so a
    link works once, only while it is the user's newest, and is shown only to whoever issued it."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    nonce_hash: str = Field(max_length=64, unique=True)
    created_by: str = Field(max_length=254)
    created_at: datetime = Field(default_factory=utcnow)
    used_at: datetime | None = None
    revoked_at: datetime | None = None


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "user_id", name="uq_membership_organisation_user"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    role: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class ShareLink(SQLModel, table=True):
    __tablename__ = "share_link"

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    variant: str = Field(default="full", max_length=10)
    created_by: str = Field(max_length=254)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_email_at", "email", "attempted_at"),
        Index("ix_login_attempt_address_at", "address", "attempted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    address: str = Field(max_length=64)
    succeeded: bool
    attempted_at: datetime = Field(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_org_at", "organisation_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=254)
    action: str = Field(max_length=50)
    entity: str = Field(max_length=50)
    entity_id: str = Field(max_length=100)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class Workshop(WorkshopBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", ondelete="CASCADE", unique=True)
    code: str = Field(max_length=12, unique=True)


class JoinAttempt(SQLModel, table=True):
    """An anonymous attempt to join a workshop, kept briefly so the per-address limit holds across workers."""

    __tablename__ = "join_attempt"
    __table_args__ = (Index("ix_join_attempt_address_at", "address", "attempted_at"),)

    id: int | None = Field(default=None, primary_key=True)
    address: str = Field(max_length=64)
    attempted_at: datetime = Field(default_factory=utcnow)


class ParticipantAnswer(ParticipantAnswerBase, table=True):
    __tablename__ = "participant_answer"
    # One answer per participant and question: a repeated submit updates it, never adds a second.
    __table_args__ = (
        UniqueConstraint("participant_id", "question_id", name="uq_participant_answer_participant_question"),
    )

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", ondelete="CASCADE")


class Consensus(ConsensusBase, table=True):
    __table_args__ = (UniqueConstraint("workshop_id", "question_id", name="uq_consensus_workshop_question"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE")


class OutgoingMail(SQLModel, table=True):
    """One e-mail to send, queued in the transaction of the change it tells about (so a change never goes
    unannounced and a failed send loses nothing), then delivered and marked sent; `key` names what it is about
    (an invitation, a reminder of one quarter) so the same mail is never queued twice."""

    __tablename__ = "outgoing_mail"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=40)
    recipient: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=200)
    text_body: str = Field(sa_column=Column(Text, nullable=False))
    html_body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = Field(default=None, index=True)
    attempts: int = 0
    last_error: str = Field(default="", max_length=500)
    # When it may be tried next (backing off after failures), and until when one sender holds it.
    next_attempt_at: datetime = Field(default_factory=utcnow)
    claimed_until: datetime | None = None
