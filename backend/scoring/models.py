"""Frozen inputs and results of scoring: every number carries what produced it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from backend.content.schema import DONT_KNOW, NOT_APPLICABLE

AnswerStatus = Literal["answered", "dont_know", "not_applicable", "unanswered", "hidden", "absent"]
CriterionStatus = Literal["in place", "not in place", "not assessed", "not asked", "not applicable"]
StepStatus = Literal["in place", "not in place", "not assessed"]
# A criterion is assessed when at least this share of its applicable questions has an answer.
ASSESSED_AT = 0.5


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer as given: an option value, 'dont_know' or 'not_applicable'."""

    question_id: str
    value: str
    note: str = ""
    evidence: str = ""
    reason: str = ""

    @property
    def status(self) -> AnswerStatus:
        if self.value == DONT_KNOW:
            return "dont_know"
        if self.value == NOT_APPLICABLE:
            return "not_applicable"
        return "answered"


@dataclass(frozen=True, slots=True)
class Contribution:
    """How one question fed one criterion score."""

    question_id: str
    status: AnswerStatus
    weight: float
    value: str | None = None
    label: str | None = None
    score: float | None = None
    note: str = ""
    text: str = ""
    defining: bool = False


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """A criterion's score, its coverage and the answers behind it."""

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
    contributions: tuple[Contribution, ...]
    evidence: float | None = None
    assessed: bool = False
    status: CriterionStatus = "not asked"
    # Decided on thin evidence: every unknown answer, at its best or worst, leaves the status as it is.
    certain: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    """One rung of a ladder or one stage: is it in place, and does it count?"""

    number: int
    name: str
    criteria: tuple[str, ...]
    in_place: bool
    counted: bool
    assessed: bool
    progress: float
    status: StepStatus = "not assessed"


@dataclass(frozen=True, slots=True)
class Confidence:
    """How far the result can be trusted: coverage, depth and, where a workshop agreed the answers, agreement."""

    coverage: float
    depth: float
    agreement: float | None
    value: float
    label: Literal["high", "medium", "low"]


@dataclass(frozen=True, slots=True)
class ModelResult:
    """One model's result: its level or stage (where it has one) and its criteria."""

    model: str
    kind: str
    title: str
    author: str
    level: int | None
    level_name: str | None
    progress: float | None
    steps: tuple[Step, ...]
    criteria: tuple[str, ...]
    confidence: Confidence
    provisional: bool = False
    not_assessed: tuple[int, ...] = ()
    assessed: bool = True
    covered: bool = True
    confirmed: int | None = None  # the level if every rung not assessed proved absent


@dataclass(frozen=True, slots=True)
class Finding:
    """Something the answers show that deserves attention, with why."""

    id: str
    code: str
    model: str
    title: str
    explanation: str
    severity: str
    # One line of whole sentences, what the executive summary prints after the title: the rubric author's words,
    # or for a finding the engine raises itself, a sentence built whole by its template.
    summary: str
    criteria: tuple[str, ...] = ()
    contributions: tuple[Contribution, ...] = ()


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """Everything scoring says about one set of answers."""

    questionnaire_id: str
    questionnaire_version: str
    content_hash: str
    models: dict[str, ModelResult]
    criteria: dict[str, CriterionResult]
    findings: tuple[Finding, ...]
    answers: dict[str, Answer]
    confidence: Confidence
    visible: frozenset[str] = field(default_factory=frozenset)

    def level(self, model: str) -> int | None:
        """The gated level (ladder) or reached stage (stages) of a model."""
        found = self.models.get(model)
        return found.level if found else None

    def finding_codes(self) -> frozenset[str]:
        """The codes of every finding raised."""
        return frozenset(f.code for f in self.findings)
