"""The JSON API's input and output models: one stable contract for HTML and JSON alike."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from backend.schemas.assessments import AnswerFields
from backend.schemas.base import ClosedInput
from backend.schemas.limits import INT_MAX
from backend.schemas.organisations import OrganisationBase
from backend.schemas.types import PERIOD_HELP, PERIOD_OR_EMPTY_SCHEMA, OptionalId, Period, PeriodOrEmpty

Status = Literal["draft", "submitted"]
Kind = Literal["self_assessment", "workshop"]
ItemStatus = Literal["planned", "in_progress", "done", "dropped"]
ITEM_STATUSES = ("planned", "in_progress", "done", "dropped")


class OrganisationCreate(OrganisationBase, ClosedInput):
    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name must not be blank")
        return value.strip()


class OrganisationPublic(BaseModel):
    id: int
    name: str
    sector: str
    size: str
    created_at: datetime
    archived_at: datetime | None = Field(
        default=None, description="When it was archived (hidden from the portfolio); null when active"
    )
    cadence_quarters: int = Field(
        default=1, description="Quarters between assessments (1 quarterly, 2 half-yearly, 4 yearly): when one is due"
    )


ACCENT_PATTERN = r"^(#[0-9a-fA-F]{6})?$"


class AccentUpdate(ClosedInput):
    accent: str = Field(
        max_length=7,
        description="The report's accent colour as '#rrggbb', dark enough to read on white (a contrast of at least "
        "4.5:1); empty for the report's own blue",
        json_schema_extra={"pattern": ACCENT_PATTERN},
    )


class BrandingPublic(BaseModel):
    accent: str = Field(description="The report's accent colour as '#rrggbb'; empty when the report's own is used")
    has_logo: bool = Field(description="Whether a logo is set: GET .../logo returns it (PNG or SVG)")


class AssessmentCreate(ClosedInput):
    questionnaire_id: str = Field(min_length=1, max_length=100)
    period: Period = Field(description=f"The period assessed: {PERIOD_HELP}")
    kind: Kind = "self_assessment"
    baseline_assessment_id: OptionalId = Field(
        default=None, description="Copy this assessment's answers as a draft baseline"
    )


class QuestionRefPublic(BaseModel):
    question_id: str
    text: str = Field(
        description="The question as the respondent reads it (today's text; a removed one's text when the draft started)"
    )


class ContentChangePublic(BaseModel):
    """How today's questionnaire differs from the one a draft was started with (a draft only)."""

    message: str = Field(
        description="The notice in words, such as 'Content changed since you started: 3 questions new, 2 changed'"
    )
    started_version: str
    current_version: str
    current_content_hash: str = Field(description="Send it back to acknowledge exactly this change")
    counted: bool = Field(
        description="False for a draft started before questions were stored: only the versions are known"
    )
    new: list[QuestionRefPublic]
    changed: list[QuestionRefPublic]
    removed: list[QuestionRefPublic] = Field(
        description="Questions gone from today's questionnaire that the draft answered: those answers are kept but no longer scored"
    )


class ContentAcknowledge(ClosedInput):
    content_hash: str | None = Field(
        default=None,
        max_length=64,
        description=(
            "The current_content_hash you reviewed; if the content changed again since, the acknowledgement is refused (409)"
        ),
    )


class AssessmentPublic(BaseModel):
    id: int
    organisation_id: int
    period: str
    questionnaire_id: str
    questionnaire_version: str
    content_hash: str
    status: Status
    kind: Kind
    baseline_assessment_id: int | None
    created_at: datetime
    submitted_at: datetime | None
    answered: int
    questions: int
    content_change: ContentChangePublic | None = Field(
        default=None,
        description=(
            "Set on a draft whose questionnaire or rubrics changed since it was started (or last acknowledged); "
            "its results are scored with today's content"
        ),
    )
    content_acknowledged_at: datetime | None = None
    content_acknowledged_by: str = ""


class AnswerPut(AnswerFields, ClosedInput):
    expected_version: int | None = Field(
        default=None, ge=0, le=INT_MAX, description="The version you last read; 0 when you expect no answer yet"
    )


class AnswerPublic(BaseModel):
    question_id: str
    value: str
    reason: str
    note: str
    evidence: str
    answered_by: str
    answered_at: datetime
    version: int
    copied_from: str = Field(
        default="",
        description="the period of the baseline this answer was copied from, until someone confirms or changes it "
        "(saving the same answer again confirms it); '' for an answer given or reviewed in this assessment",
    )


class AnswerChangePublic(BaseModel):
    question_id: str
    old_value: str | None
    new_value: str
    old_note: str | None
    new_note: str
    old_evidence: str | None
    new_evidence: str
    old_reason: str | None
    new_reason: str
    old_answered_by: str | None
    new_answered_by: str
    changed_by: str
    changed_at: datetime
    version: int


class ContributionView(BaseModel):
    question_id: str
    status: str
    weight: float
    value: str | None = None
    label: str | None = None
    score: float | None = None
    note: str = ""
    text: str = ""
    defining: bool = False


class CriterionView(BaseModel):
    id: str
    model: str
    name: str
    score: float | None
    coverage: float | None
    threshold: float
    band: str
    met: bool
    answered: int
    asked: int
    answers: list[ContributionView]
    evidence: float | None = Field(
        default=None, description="share of the questions that apply answered with an option"
    )
    assessed: bool = Field(default=True, description="at least half the questions that apply are answered")
    status: str = Field(default="", description="in place, not in place, not assessed, not asked or not applicable")


class StepView(BaseModel):
    number: int
    name: str
    criteria: list[str]
    in_place: bool
    counted: bool
    assessed: bool
    progress: float
    status: str = ""


class ConfidenceView(BaseModel):
    coverage: float
    depth: float
    agreement: float | None
    value: float
    label: str


class ModelView(BaseModel):
    model: str
    kind: str
    title: str
    author: str
    level: int | None
    level_name: str | None
    progress: float | None
    steps: list[StepView]
    criteria: list[str]
    confidence: ConfidenceView
    provisional: bool = Field(
        default=False, description="a rung at or below the level, or the next one, was not assessed"
    )
    not_assessed: list[str] = Field(
        default_factory=list, description="names of the rungs at or below the next one that were not assessed"
    )
    assessed: bool = Field(default=True, description="False when no rung has evidence: level is null")
    covered: bool = Field(default=True, description="False when the questionnaire asks nothing about this model")
    confirmed: int | None = Field(
        default=None,
        description="the level or stage if every rung not assessed proved absent (equals level when not provisional)",
    )


def title_sentence(data: dict) -> str:
    """The summary of a finding or step frozen before summaries existed: its title as a sentence, never a cut
    explanation."""
    title = str(data.get("title", ""))
    return title if title.endswith(".") else f"{title}."


SUMMARY_HELP = "one line of whole sentences, what the executive summary prints after the title"


class FindingView(BaseModel):
    id: str
    code: str
    model: str
    title: str
    explanation: str
    summary: str = Field(default_factory=title_sentence, description=SUMMARY_HELP)
    severity: str
    criteria: list[str]
    answers: list[ContributionView]


class ResultView(BaseModel):
    questionnaire_id: str
    questionnaire_version: str
    content_hash: str
    models: list[ModelView]
    criteria: list[CriterionView]
    findings: list[FindingView]
    confidence: ConfidenceView


class Rescore(BaseModel):
    """What scoring the same answers with today's content would change."""

    content_hash: str
    levels: dict[str, list[int | None]]
    criteria: dict[str, list[float | None]]
    findings_added: list[str]
    findings_removed: list[str]


class AssessmentResultPublic(BaseModel):
    assessment_id: int
    status: Status
    frozen: bool = Field(description="True once submitted: the stored snapshot is returned")
    result: ResultView
    content_changed: bool
    rescore: Rescore | None = None


class ReasonView(BaseModel):
    kind: str
    text: str
    criterion: str | None = None
    finding: str | None = None
    question: str | None = None


class TaskView(BaseModel):
    title: str
    detail: str
    owner: str


class ChannelCautionView(BaseModel):
    why: str
    owner: str
    exit_cost: str


class RoadmapItemPublic(BaseModel):
    id: int
    recommendation_id: str
    model: str
    credit: str
    credits: list[str] = Field(
        default_factory=list, description="every model's author whose recommendation this step answers"
    )
    models: list[str] = Field(default_factory=list, description="every model that triggered this step")
    merged: list[str] = Field(default_factory=list, description="equivalent recommendations folded into this step")
    horizon: str
    position: int
    triggered: bool
    title: str
    summary: str = Field(default_factory=title_sentence, description=SUMMARY_HELP)
    what: str
    why: str
    effort: str
    impact: int
    owner_role: str
    success_measure: str
    prerequisites: list[str]
    tasks: list[TaskView]
    reasons: list[ReasonView]
    variant: Literal["standard", "small"] = Field(
        default="standard", description="'small': the version for an organisation of under about fifty people"
    )
    opens_channel: ChannelCautionView | None = Field(
        default=None, description="Kolsky's caution: why the channel, who owns it, what leaving costs"
    )
    status: ItemStatus
    owner: str
    due_period: str
    done_since: str = Field(
        default="", description="the period whose roadmap first had this step done, carried since; '' while not done"
    )
    carried_from_period: str | None
    version: int


class RoadmapPublic(BaseModel):
    assessment_id: int
    period: str
    items: list[RoadmapItemPublic]
    deferred: list[str]


class RoadmapItemPatch(ClosedInput):
    status: ItemStatus | None = None
    owner: str | None = Field(default=None, max_length=200)
    due_period: PeriodOrEmpty | None = Field(
        default=None, description=f"Empty, or {PERIOD_HELP}", json_schema_extra=PERIOD_OR_EMPTY_SCHEMA
    )
    expected_version: int | None = Field(default=None, ge=1, le=INT_MAX)


class PeriodPoint(BaseModel):
    period: str
    assessment_id: int
    questionnaire_id: str
    status: Status
    level: int | None
    progress: float | None
    stage: int | None
    stage_progress: float | None
    confidence: str
    provisional: bool = Field(default=False, description="the socialfication level rests on rungs not assessed")
    stage_provisional: bool = Field(default=False, description="the Solis stage rests on stages not assessed")
    criteria: dict[str, float | None]


class ProgressPublic(BaseModel):
    organisation_id: int
    periods: list[PeriodPoint]


class ScoreChange(BaseModel):
    id: str
    name: str
    before: float | None
    after: float | None
    delta: float


class AnswerDifference(BaseModel):
    question_id: str
    text: str
    before: str | None
    after: str | None
    note_before: str
    note_after: str
    reason_before: str = ""
    reason_after: str = ""
    evidence_before: str = ""
    evidence_after: str = ""


class ComparePublic(BaseModel):
    before: AssessmentPublic
    after: AssessmentPublic
    levels: dict[str, list[int | None]]
    improved: list[ScoreChange]
    regressed: list[ScoreChange]
    findings_resolved: list[FindingView]
    findings_new: list[FindingView]
    roadmap_done: list[str]
    answers_changed: list[AnswerDifference]
