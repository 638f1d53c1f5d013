"""The feedback-channel audit worksheet in the JSON API: the grid as it stands and the team's changes to it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from backend.schemas.assessments import PERSON_LENGTH, WORKSHEET_NOTE_LENGTH
from backend.schemas.base import ClosedInput
from backend.schemas.limits import MOST
from backend.scoring.worksheet import StepStatus

ChannelUse = Literal["in_use", "not_in_use", "unknown"]
# What a team may say of a channel: in use, not in use, or back to what the answers say.
UseChoice = Literal["as_answers", "in_use", "not_in_use"]
USE_CHOICES: tuple[UseChoice, ...] = ("as_answers", "in_use", "not_in_use")


class WorksheetChannelPatch(ClosedInput):
    """Correct a channel: whether it is in use and the moments it captures feedback at. A field left out is unchanged."""

    use: UseChoice | None = Field(
        default=None,
        description="'in_use' or 'not_in_use' as the team says, whatever the answers imply; 'as_answers' to go back",
    )
    moments: list[str] | None = Field(
        default=None,
        max_length=MOST,
        description=(
            "Every moment id the channel captures feedback at (its ticks). Send the channel's `proposed` moments to go "
            "back to the worksheet's proposal"
        ),
    )


class WorksheetStepPatch(ClosedInput):
    """Record who owns an audit step, how far it is and a note. A field left out is unchanged."""

    owner: str | None = Field(default=None, max_length=PERSON_LENGTH, description="A person's name, as typed")
    status: StepStatus | None = None
    note: str | None = Field(default=None, max_length=WORKSHEET_NOTE_LENGTH)


class EvidencePublic(BaseModel):
    criterion_id: str
    name: str
    score: float | None = Field(description="null when the criterion is not assessed")


class WorksheetChannelPublic(BaseModel):
    id: str
    name: str
    use: ChannelUse = Field(description="as the worksheet counts it: the team's word where given, else the answers'")
    answered_use: ChannelUse = Field(description="what the answers alone say")
    use_changed: bool = Field(description="the team marked it in use or not in use themselves")
    moments: list[str] = Field(description="the moments it captures feedback at, with the team's corrections")
    proposed: list[str] = Field(description="the moments the worksheet proposes for it")
    changed: list[str] = Field(description="the moments whose tick the team changed from the proposal")
    evidence: list[EvidencePublic] = Field(description="the criteria whose scores say whether it is in use")


class WorksheetMomentPublic(BaseModel):
    id: str
    name: str
    channels: list[str] = Field(description="the channels in use that capture feedback at this moment")
    gap: bool = Field(description="no channel in use captures feedback here")
    overlap: bool = Field(description="several do: coordinate them so nothing falls between them")


class WorksheetStepPublic(BaseModel):
    number: int
    criterion_id: str
    title: str
    detail: str
    owner_role: str = Field(description="the role the audit names for the step")
    score: float | None = Field(description="how far the answers say the step is; null when not assessed")
    owner: str = Field(description="the person the team named")
    status: StepStatus
    note: str


class WorksheetPublic(BaseModel):
    assessment_id: int
    period: str
    editable: bool = Field(description="false once the assessment is submitted: its worksheet is frozen with it")
    in_use_at: float = Field(description="the score an evidence criterion needs for its channel to count as in use")
    channels: list[WorksheetChannelPublic]
    moments: list[WorksheetMomentPublic]
    steps: list[WorksheetStepPublic]
