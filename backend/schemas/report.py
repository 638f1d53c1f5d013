"""Everything a report shows, gathered once so the story can be a pure function."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from backend.content.schema import Question
from backend.schemas.views import (
    AnswerPublic,
    AssessmentPublic,
    ComparePublic,
    OrganisationPublic,
    PeriodPoint,
    ResultView,
    RoadmapPublic,
)
from backend.schemas.workshops import BoardPublic, GapsPublic
from backend.scoring.worksheet import AuditWorksheet


@dataclass(frozen=True)
class Credit:
    title: str
    author: str
    source: str
    summary: str


@dataclass(frozen=True)
class AnsweredQuestion:
    section: str
    question: Question
    answer: AnswerPublic | None
    label: str


@dataclass(frozen=True)
class WorkshopFacts:
    """What the assessment's workshop showed: the facilitator's board and the perception gaps."""

    board: BoardPublic
    gaps: GapsPublic


@dataclass(frozen=True)
class ReportData:
    organisation: OrganisationPublic
    assessment: AssessmentPublic
    questionnaire_title: str
    result: ResultView
    roadmap: RoadmapPublic
    history: list[PeriodPoint]
    change: ComparePublic | None
    questions: list[AnsweredQuestion]
    worksheet: AuditWorksheet | None
    audit_owner: str
    assessed_by: list[str]
    consultants: list[str]  # the organisation's consultants, who stand behind the report
    credits: list[Credit]
    floor_name: str
    generated_at: datetime
    workshop: WorkshopFacts | None = None
    base_url: str = ""  # the server the report was asked from, to link its methodology page; empty from the console
    # The name each model's headline uses ('Solis' in 'Solis stage 2 of 10'), by model id.
    short_titles: dict[str, str] = field(default_factory=dict)
    # The organisation's branding: its logo (PNG, or SVG as redrawn on upload) on the cover, its accent colour ('#rrggbb') for the title
    # and section headings; none and '' give the report's own look.
    logo: bytes | None = None
    accent: str = ""
