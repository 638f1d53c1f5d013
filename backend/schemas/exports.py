"""The organisation export file: each part derives from its family's base (the same fields and limits as
the table it comes from) and refuses fields it does not have. Services write and read it (services/exports)."""

from __future__ import annotations

from typing import Any, Literal, Self

from pydantic import AwareDatetime, Field, model_validator

from backend.schemas.assessments import (
    CONTENT_HASH_LENGTH,
    AnswerBase,
    AnswerChangeBase,
    AssessmentBase,
    RoadmapItemBase,
    WorksheetChannelBase,
    WorksheetStepBase,
)
from backend.schemas.base import ClosedInput, from_storage, required
from backend.schemas.frozen import FrozenResult, FrozenRoadmap
from backend.schemas.limits import MOST, TEXT_MAX_LENGTH
from backend.schemas.organisations import OrganisationBase
from backend.schemas.types import Period, PeriodOrEmpty
from backend.schemas.views import ItemStatus, Kind, Status
from backend.schemas.workshops import (
    MAX_PARTICIPANT_CAP,
    ConsensusBase,
    ParticipantAnswerBase,
    ParticipantBase,
    WorkshopBase,
    WorkshopStatus,
)
from backend.scoring.roadmap import HORIZONS
from backend.scoring.worksheet import StepStatus

FORMAT = "tribewise.organisation"


class Exported(ClosedInput):
    """A part of an organisation export file: a field the file should not have is an error, not ignored."""

    @classmethod
    def from_row(cls, row: Any, **more: Any) -> Self:
        """The part as exported from a stored row: each of its fields the row has, then `more`."""
        with from_storage():
            return cls(**{name: getattr(row, name) for name in cls.model_fields if hasattr(row, name)} | more)


# Where a file must carry a field its table fills by default, the part takes the base's field whole
# (`required`) and drops only the default; times must say their timezone.


class ExportedAnswer(AnswerBase, Exported):
    answered_at: AwareDatetime
    version: int = required(AnswerBase, "version")


class ExportedChange(AnswerChangeBase, Exported):
    # Files exported before history kept every field have no evidence, reason or answered_by: the defaults.
    old_value: str | None = required(AnswerChangeBase, "old_value")
    old_note: str | None = required(AnswerChangeBase, "old_note")
    new_note: str = required(AnswerChangeBase, "new_note")
    changed_by: str = required(AnswerChangeBase, "changed_by")
    changed_at: AwareDatetime


class ExportedParticipant(ParticipantBase, Exported):
    """A participant listed by hand (a workshop's own are in its part)."""

    role: str = required(ParticipantBase, "role")
    department: str = required(ParticipantBase, "department")
    created_at: AwareDatetime


class ExportedItem(RoadmapItemBase, Exported):
    id: int
    horizon: Literal[HORIZONS + ("",)]  # type: ignore[valid-type]  # "" for a step no longer triggered
    position: int = required(RoadmapItemBase, "position")
    triggered: bool
    status: ItemStatus
    owner: str = required(RoadmapItemBase, "owner")
    due_period: PeriodOrEmpty
    carried_from_id: int | None
    updated_at: AwareDatetime
    version: int = required(RoadmapItemBase, "version")


class ExportedWorksheetChannel(WorksheetChannelBase, Exported):
    """A team's correction of a channel of the audit worksheet."""

    use: Literal["", "in_use", "not_in_use"]
    moments: dict[str, bool] = Field(max_length=MOST)
    updated_at: AwareDatetime


class ExportedWorksheetStep(WorksheetStepBase, Exported):
    """What a team recorded for a step of the audit worksheet."""

    status: StepStatus
    updated_at: AwareDatetime


class ExportedSnapshot(Exported):
    content_hash: str = Field(max_length=CONTENT_HASH_LENGTH)
    result: FrozenResult  # type: ignore[valid-type]
    roadmap: FrozenRoadmap
    created_at: AwareDatetime


class ExportedStartedQuestion(Exported):
    print: str = Field(max_length=64)
    text: str = Field(max_length=TEXT_MAX_LENGTH)
    options: dict[str, str] = Field(max_length=100)


class ExportedParticipantAnswer(ParticipantAnswerBase, Exported):
    updated_at: AwareDatetime
    version: int = required(ParticipantAnswerBase, "version")


class ExportedWorkshopParticipant(ParticipantBase, Exported):
    created_at: AwareDatetime
    answers: list[ExportedParticipantAnswer]


class ExportedConsensus(ConsensusBase, Exported):
    answered: int = required(ConsensusBase, "answered")
    spread: float | None = required(ConsensusBase, "spread")
    decided_at: AwareDatetime


class ExportedWorkshop(WorkshopBase, Exported):
    """A workshop's settings, who took part and what each answered, and the agreed answers; never the
    participants' tokens (credentials): an imported workshop gets a new join code."""

    status: WorkshopStatus
    show_names: bool
    # Files exported before the cap existed have none: they get the default.
    locked_sections: list[str] = required(WorkshopBase, "locked_sections")
    revealed_sections: list[str] = required(WorkshopBase, "revealed_sections")
    revealed_questions: list[str] = required(WorkshopBase, "revealed_questions")
    created_at: AwareDatetime
    # No more people than any workshop lets join (the cap limits joins: lowered later, it removes no one).
    participants: list[ExportedWorkshopParticipant] = Field(max_length=MAX_PARTICIPANT_CAP)
    consensus: list[ExportedConsensus]


class ExportedAssessment(AssessmentBase, Exported):
    id: int
    period: Period
    status: Status
    kind: Kind
    baseline_assessment_id: int | None
    created_at: AwareDatetime
    submitted_at: AwareDatetime | None
    # Files exported before drafts kept their questions have none: a later content change shows as a version change.
    started_questions: dict[str, ExportedStartedQuestion] | None = Field(default=None, max_length=MOST)
    content_acknowledged_at: AwareDatetime | None = None
    answers: list[ExportedAnswer]
    history: list[ExportedChange]
    participants: list[ExportedParticipant] = Field(max_length=MOST)
    roadmap: list[ExportedItem] = Field(max_length=MOST)
    snapshot: ExportedSnapshot | None
    workshop: ExportedWorkshop | None = None
    # Files exported before the worksheet could be corrected have none.
    worksheet_channels: list[ExportedWorksheetChannel] = Field(default_factory=list, max_length=MOST)
    worksheet_steps: list[ExportedWorksheetStep] = Field(default_factory=list, max_length=MOST)

    @model_validator(mode="after")
    def _snapshot_when_submitted(self) -> ExportedAssessment:
        if (self.status == "submitted") != (self.snapshot is not None):
            raise ValueError("a submitted assessment needs its snapshot, and a draft has none")
        return self


class ExportedOrganisation(OrganisationBase, Exported):
    created_at: AwareDatetime
    # Files exported before archiving existed have none: the organisation comes back active.
    archived_at: AwareDatetime | None = None


class ExportFile(Exported):
    format: Literal["tribewise.organisation"]
    format_version: Literal[1]
    exported_at: AwareDatetime
    organisation: ExportedOrganisation
    assessments: list[ExportedAssessment] = Field(max_length=MOST)
