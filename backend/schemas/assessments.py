"""The assessment family (assessment, answer, answer change, roadmap item): the fields their tables and
export files share, with their limits once. Keys, indexes and storage-only columns stay with the tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from backend.schemas.base import utcnow
from backend.schemas.limits import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, TEXT_MAX_LENGTH

# Every id a questionnaire gives a question, and every option value (or 'dont_know', 'not_applicable').
QUESTION_ID_LENGTH = 100
VALUE_LENGTH = 100
PERSON_LENGTH = 200  # a name as typed: who answered, who changed it, an owner
CONTENT_HASH_LENGTH = 64  # a SHA-256 in hex: the content an assessment or its snapshot was scored with


def text_field(max_length: int, nullable: bool = False, description: str | None = None) -> Any:
    """Free text: a TEXT column (no width in the database), limited where it is typed or imported."""
    column = Column(Text, nullable=True) if nullable else Column(Text, nullable=False, default="")
    return Field(default=None if nullable else "", max_length=max_length, description=description, sa_column=column)


class AssessmentBase(SQLModel):
    period: str = Field(max_length=7)
    questionnaire_id: str = Field(max_length=100)
    questionnaire_version: str = Field(max_length=20)
    content_hash: str = Field(max_length=CONTENT_HASH_LENGTH)
    status: str = Field(default="draft", max_length=20)
    kind: str = Field(default="self_assessment", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    # When someone last acknowledged a content change and moved the draft to the current version, and who.
    content_acknowledged_at: datetime | None = None
    content_acknowledged_by: str = Field(default="", max_length=254)


class AnswerFields(SQLModel):
    """What one gives in an answer: the input (AnswerPut) and the stored answer alike."""

    value: str = Field(
        min_length=1, max_length=VALUE_LENGTH, description="An option value, 'dont_know' or 'not_applicable'"
    )
    reason: str = text_field(
        REASON_MAX_LENGTH, description="Why the question does not apply (needed with 'not_applicable')"
    )
    note: str = text_field(NOTE_MAX_LENGTH)
    evidence: str = text_field(TEXT_MAX_LENGTH, description="A link or reference to evidence")
    answered_by: str = Field(
        default="",
        max_length=PERSON_LENGTH,
        description=(
            "Whose answer it is; left out, the signed-in user's. Only a consultant of the organisation or an admin "
            "may name someone else (a proxy answer); the history names who saved it either way"
        ),
    )


class AnswerBase(AnswerFields):
    question_id: str = Field(min_length=1, max_length=QUESTION_ID_LENGTH)
    answered_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1, ge=1)
    # The period of the baseline this answer was copied from, until someone confirms it or changes it: "" for an
    # answer given (or reviewed) in this assessment.
    copied_from: str = Field(default="", max_length=7)


class AnswerChangeBase(SQLModel):
    question_id: str = Field(min_length=1, max_length=QUESTION_ID_LENGTH)
    old_value: str | None = Field(default=None, max_length=VALUE_LENGTH)
    new_value: str = Field(max_length=VALUE_LENGTH)
    old_note: str | None = text_field(NOTE_MAX_LENGTH, nullable=True)
    new_note: str = text_field(NOTE_MAX_LENGTH)
    # Every field of an answer is kept before and after, so an evidence-only change shows what changed.
    old_evidence: str | None = text_field(TEXT_MAX_LENGTH, nullable=True)
    new_evidence: str = text_field(TEXT_MAX_LENGTH)
    old_reason: str | None = text_field(TEXT_MAX_LENGTH, nullable=True)
    new_reason: str = text_field(TEXT_MAX_LENGTH)
    old_answered_by: str | None = Field(default=None, max_length=PERSON_LENGTH)
    new_answered_by: str = Field(default="", max_length=PERSON_LENGTH)
    changed_by: str = Field(default="", max_length=PERSON_LENGTH)
    changed_at: datetime = Field(default_factory=utcnow)
    version: int = Field(ge=0)


class RoadmapItemBase(SQLModel):
    recommendation_id: str = Field(min_length=1, max_length=100)
    horizon: str = Field(default="", max_length=10)
    position: int = Field(default=0, ge=0)
    triggered: bool = Field(default=True)
    status: str = Field(default="planned", max_length=20)
    owner: str = Field(default="", max_length=PERSON_LENGTH)
    due_period: str = Field(default="", max_length=7)
    # The period of the assessment whose roadmap first had the step done; "" while it is not done. Carried to
    # the next periods with the step, so a step done stays done ("done since 2026-Q1") and is not planned again.
    done_since: str = Field(default="", max_length=7)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1, ge=1)


# A note on an audit step: a few sentences a workshop jots down, not a report.
WORKSHEET_NOTE_LENGTH = 2000


class WorksheetChannelBase(SQLModel):
    """A team's correction of one channel of the feedback-channel audit worksheet."""

    channel_id: str = Field(min_length=1, max_length=100)
    # "" as the answers say; "in_use" or "not_in_use" as the team says.
    use: str = Field(default="", max_length=20)
    # Moment id -> whether the channel captures feedback there, only where the team differs from the proposal.
    moments: dict[str, bool] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class WorksheetStepBase(SQLModel):
    """What a team recorded for one step of the audit (the step named by its criterion id)."""

    criterion_id: str = Field(min_length=1, max_length=100)
    owner: str = Field(default="", max_length=PERSON_LENGTH)
    status: str = Field(default="not_started", max_length=20)
    note: str = text_field(WORKSHEET_NOTE_LENGTH)
    updated_at: datetime = Field(default_factory=utcnow)
