"""Workshop mode's input and output models, shared by the JSON API and the pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator
from sqlalchemy import JSON, Column
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from backend.schemas.assessments import PERSON_LENGTH, text_field
from backend.schemas.base import ClosedInput, utcnow
from backend.schemas.limits import INT_MAX, MOST, NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from backend.schemas.types import OptionalEmail

WorkshopStatus = Literal["open", "closed"]
# How many may join one workshop: the facilitator sets it between these bounds.
DEFAULT_PARTICIPANT_CAP = 500
MAX_PARTICIPANT_CAP = 2000
CAP_HELP = (
    f"The most participants who may join (1-{MAX_PARTICIPANT_CAP}); lowering it below those joined removes no one"
)


def _ids() -> Any:
    """A list of section or question ids, replaced whole, never changed in place (JSON is not tracked)."""
    return SQLField(default_factory=list, max_length=MOST, sa_column=Column(JSON, nullable=False))


class WorkshopBase(SQLModel):
    status: str = SQLField(default="open", max_length=10)
    show_names: bool = SQLField(default=False)
    # The most participants who may join; the facilitator sets it.
    participant_cap: int = SQLField(default=DEFAULT_PARTICIPANT_CAP, ge=1, le=MAX_PARTICIPANT_CAP)
    locked_sections: list[str] = _ids()
    revealed_sections: list[str] = _ids()
    revealed_questions: list[str] = _ids()
    # Presenter mode: the question the room is on ("" until the facilitator starts), and questions locked one by one.
    current_question: str = SQLField(default="", max_length=100)
    locked_questions: list[str] = _ids()
    created_by: str = SQLField(max_length=254)
    created_at: datetime = SQLField(default_factory=utcnow)


class ParticipantBase(SQLModel):
    name: str = SQLField(max_length=PERSON_LENGTH)
    role: str = SQLField(default="", max_length=PERSON_LENGTH)
    department: str = SQLField(default="", max_length=PERSON_LENGTH)
    created_at: datetime = SQLField(default_factory=utcnow)


class ParticipantAnswerBase(SQLModel):
    question_id: str = SQLField(max_length=100)
    value: str = SQLField(max_length=100)
    note: str = text_field(REASON_MAX_LENGTH)
    updated_at: datetime = SQLField(default_factory=utcnow)
    version: int = SQLField(default=1, ge=1)


class ConsensusBase(SQLModel):
    question_id: str = SQLField(max_length=100)
    value: str = SQLField(max_length=100)
    rationale: str = text_field(NOTE_MAX_LENGTH)
    # How the group stood when it agreed: participants who had answered, and the spread of their scores.
    answered: int = SQLField(default=0, ge=0)
    spread: float | None = SQLField(default=None, ge=0, le=1, schema_extra={"allow_inf_nan": False})
    decided_by: str = SQLField(max_length=254)
    decided_at: datetime = SQLField(default_factory=utcnow)


class WorkshopOpen(ClosedInput):
    participant_cap: int = Field(default=DEFAULT_PARTICIPANT_CAP, ge=1, le=MAX_PARTICIPANT_CAP, description=CAP_HELP)


class WorkshopJoin(ClosedInput):
    name: str = Field(
        min_length=1,
        max_length=PERSON_LENGTH,
        description="How the facilitator may call you; shown to others only when names are turned on",
    )
    role: str = Field(
        default="",
        max_length=PERSON_LENGTH,
        description="Your role, such as 'team lead'; results are also split by role",
    )
    department: str = Field(
        default="",
        max_length=PERSON_LENGTH,
        description="Your department, such as 'service'; results are also split by department",
    )
    email: OptionalEmail = Field(
        default=None,
        description="Optional: where to send the summary when the workshop ends; never shown to anyone",
    )

    @field_validator("name", "role", "department")
    @classmethod
    def _trim(cls, value: str, info: ValidationInfo) -> str:
        if info.field_name == "name" and not value.strip():
            raise ValueError("name must not be blank")
        return value.strip()


class ParticipantAnswerPut(ClosedInput):
    value: str = Field(min_length=1, max_length=100, description="An option value, 'dont_know' or 'not_applicable'")
    # The note is checked as the answer's reason (backend/services/workshop_participants.py): one limit for both.
    note: str = Field(
        default="",
        max_length=REASON_MAX_LENGTH,
        description="Optional; with 'not_applicable' say here why the question does not apply",
    )


class WorkshopPatch(ClosedInput):
    status: WorkshopStatus | None = Field(
        default=None, description="'closed' refuses new participants and answers; 'open' takes them again"
    )
    show_names: bool | None = Field(
        default=None, description="Show who answered what on the board and results; off (anonymous) by default"
    )
    participant_cap: int | None = Field(default=None, ge=1, le=MAX_PARTICIPANT_CAP, description=CAP_HELP)


class SectionPatch(ClosedInput):
    locked: bool | None = Field(
        default=None, description="A locked section's answers can no longer be changed by participants"
    )
    revealed: bool | None = Field(
        default=None, description="Participants see the results of every question in a revealed section"
    )


class QuestionPatch(ClosedInput):
    revealed: bool | None = Field(default=None, description="Participants see this question's results")
    locked: bool | None = Field(
        default=None, description="A locked question's answers can no longer be changed by participants"
    )


class CurrentPut(ClosedInput):
    """Move the room to a question: name it, or step to the next or previous one in questionnaire order."""

    question_id: str | None = Field(default=None, max_length=100, description="The question the room goes to")
    move: Literal["next", "previous"] | None = Field(
        default=None, description="Step from the current question instead of naming one"
    )

    @model_validator(mode="after")
    def _one_of_them(self) -> CurrentPut:
        if (self.move is None) == (self.question_id is None):
            raise ValueError("give either question_id or move ('next' or 'previous'), not both or neither")
        return self


class ConsensusPut(ClosedInput):
    value: str = Field(
        min_length=1, max_length=100, description="The agreed answer: an option value, 'dont_know' or 'not_applicable'"
    )
    rationale: str = Field(
        default="", max_length=NOTE_MAX_LENGTH, description="Why the group agreed on it; stored as the answer's note"
    )
    reason: str = Field(
        default="",
        max_length=REASON_MAX_LENGTH,
        description="Why the question does not apply (needed with 'not_applicable')",
    )
    expected_version: int | None = Field(
        default=None, ge=0, le=INT_MAX, description="The answer version you last read; 409 if it changed since"
    )


class WorkshopPublic(BaseModel):
    assessment_id: int
    code: str = Field(description="The join code participants type in")
    join_path: str = Field(description="The join link, relative to this site")
    status: WorkshopStatus
    show_names: bool
    locked_sections: list[str]
    revealed_sections: list[str]
    revealed_questions: list[str]
    locked_questions: list[str]
    current_question: str | None = Field(description="The question the room is on; null until the facilitator starts")
    participants: int
    participant_cap: int = Field(
        description="The most participants who may join; the facilitator may raise it up to 2000"
    )
    created_by: str
    created_at: datetime


class WorkshopInfo(BaseModel):
    """What anyone holding the join code sees before joining."""

    code: str
    organisation: str
    period: str
    questionnaire_id: str
    questionnaire_title: str
    status: WorkshopStatus
    locked_sections: list[str]
    revealed_sections: list[str]
    revealed_questions: list[str]
    locked_questions: list[str]
    current_question: str | None = Field(description="The question the room is on; null until the facilitator starts")


class ParticipantAnswerPublic(BaseModel):
    question_id: str
    value: str
    note: str
    updated_at: datetime
    version: int


class ParticipantPublic(BaseModel):
    participant_id: int
    name: str
    role: str
    department: str
    workshop: WorkshopInfo
    answers: list[ParticipantAnswerPublic] = Field(default_factory=list)


class ParticipantJoined(ParticipantPublic):
    token: str = Field(
        description="Send as the 'X-Participant-Token' header on every participant call. Shown once: keep it."
    )


# A plain dataclass, not a pydantic model: a board holds thousands of these and builds them afresh every
# poll from our own numbers, with nothing to validate.
@dataclass(slots=True)
class CountView:
    """How many gave one answer."""

    value: str
    label: str
    score: float | None
    count: int
    names: Annotated[list[str], Field(description="Who gave this answer; empty unless names are turned on")] = field(
        default_factory=list
    )


class StatsView(BaseModel):
    answered: int = Field(description="Participants who answered, 'don't know' and 'not applicable' included")
    scored: int = Field(description="Participants who chose an option")
    counts: list[CountView] = Field(
        description="Each option in order, then 'don't know' and 'not applicable' when given"
    )
    median: float | None = Field(description="The median option score (0-1)")
    median_value: str | None = Field(description="The option nearest the median (the lower one on a tie)")
    spread: float | None = Field(
        description="Standard deviation of the option scores over its maximum 0.5: 0 all agree, 1 split between the extremes"
    )
    agreement: float | None = Field(description="1 - spread")


class GroupStats(StatsView):
    group: str


class ConsensusPublic(BaseModel):
    question_id: str
    value: str
    rationale: str
    answered: int = Field(description="Participants who had answered when the group agreed")
    spread: float | None = Field(description="Their spread then; it lowers the result's confidence")
    decided_by: str
    decided_at: datetime
    answer_version: int | None = Field(default=None, description="The assessment answer's version after saving it")


class QuestionResult(StatsView):
    question_id: str
    section_id: str
    text: str
    consensus: ConsensusPublic | None = None


class QuestionBoard(QuestionResult):
    participants: int
    revealed: bool
    locked: bool
    by_role: list[GroupStats]
    by_department: list[GroupStats]


class PersonView(BaseModel):
    name: str
    role: str
    department: str
    answered: int


class BoardPublic(BaseModel):
    workshop: WorkshopPublic
    participants: int
    answering: int = Field(description="Participants with at least one answer")
    agreed: int = Field(description="Questions with a recorded consensus")
    questions_total: int
    roles: dict[str, int] = Field(description="Participants per role")
    departments: dict[str, int] = Field(description="Participants per department")
    people: list[PersonView] = Field(description="Who joined; empty unless names are turned on")
    questions: list[QuestionBoard] = Field(description="Every question, the hottest disagreement first")


class ModelLevel(BaseModel):
    model: str
    title: str
    kind: str
    level: int | None
    level_name: str | None
    progress: float | None
    provisional: bool = False


class GroupLevels(BaseModel):
    group: str
    participants: int
    answered: int = Field(description="Questions at least one of the group answered")
    models: list[ModelLevel]


class Gap(BaseModel):
    model: str
    split: Literal["role", "department"]
    lowest: str
    highest: str
    difference: float = Field(description="Progress of the highest group minus the lowest (levels or stages)")


class GapsPublic(BaseModel):
    everyone: GroupLevels
    by_role: list[GroupLevels]
    by_department: list[GroupLevels]
    gaps: list[Gap] = Field(description="Per model and split, the groups furthest apart, widest first")


# The facilitator's console (issue 19): the group's medians accepted at once where the room agrees.


class MedianCandidate(BaseModel):
    """A question whose median may be accepted as agreed: enough answers, low spread, not agreed yet."""

    question_id: str
    section_id: str
    text: str
    answered: int = Field(description="Participants who answered, 'don't know' and 'not applicable' included")
    scored: int = Field(description="Participants who chose an option")
    spread: float = Field(description="The spread of their scores: at most 0.25 here")
    value: str = Field(description="The option nearest the median: the answer accepting records")
    label: str = Field(description="That option as participants read it")


class MediansPost(ClosedInput):
    question_ids: list[Annotated[str, Field(max_length=100)]] = Field(
        min_length=1,
        max_length=MOST,
        description="The questions of the review list (GET .../workshop/medians) whose median the group accepts",
    )


class MediansAccepted(BaseModel):
    accepted: list[ConsensusPublic] = Field(description="The consensus recorded, one per question, in the order sent")


# Presenter mode: where the room is, for a participant's phone following the facilitator.


class RoomNow(BaseModel):
    """The room's current question as a participant follows it: polled every second, with an ETag."""

    status: WorkshopStatus = Field(
        description="'closed' once the facilitator closed the workshop or its assessment was submitted: no more answers"
    )
    questionnaire_id: str = Field(description="Its questions and their options: GET /api/v1/questionnaires/{id}")
    question_id: str | None = Field(description="The question the room is on; null until the facilitator starts")
    number: int | None = Field(description="Its number in the questionnaire, from 1")
    total: int = Field(description="How many questions the questionnaire has")
    section_number: int | None = Field(description="Its section's number, from 1")
    section_title: str | None
    text: str | None = Field(description="The question as asked")
    revealed: bool = Field(description="The facilitator shared its results: see results")
    locked: bool = Field(description="Its answers are closed: a save is refused with 409")
    results: StatsView | None = Field(description="The room's answers to it, once revealed")
    agreed_value: str | None = Field(default=None, description="The answer the room agreed on, once revealed")


class SummarySent(BaseModel):
    """How many participants the workshop's summary was e-mailed to just now."""

    sent: int = Field(description="Participants it was sent to now (those who had it already are not counted)")
