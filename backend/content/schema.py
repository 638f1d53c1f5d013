"""Versioned schema (version 1) of questionnaire and rubric files."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import Field, field_validator, model_validator

from backend.content.conditions import DOTTED, SLUG, Condition, Strict

SCHEMA_VERSION = 1
DONT_KNOW = "dont_know"
NOT_APPLICABLE = "not_applicable"
RESERVED_VALUES = (DONT_KNOW, NOT_APPLICABLE)
# Their words sit beside them because scoring (below labels.py) names them too; labels.py re-exports them.
RESERVED_LABELS = {DONT_KNOW: "Don't know", NOT_APPLICABLE: "Not applicable"}
Text = Field(min_length=1)


def _unique(keys, what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"duplicate {what} '{key}': give each a different one")
        seen.add(key)


# --- questionnaires -------------------------------------------------------


class Option(Strict):
    value: str = Field(pattern=SLUG)
    label: str = Text
    score: float = Field(ge=0, le=1)

    @field_validator("value")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_VALUES:
            raise ValueError(f"'{value}' is reserved; allow it with allow_dont_know/allow_not_applicable instead")
        return value


class Question(Strict):
    id: str = Field(pattern=DOTTED)
    text: str = Text
    help: str = Text
    criterion: str = Field(pattern=DOTTED)
    options: tuple[Option, ...] = Field(min_length=2)
    weight: float = Field(default=1.0, gt=0, le=10)
    allow_dont_know: bool = True
    allow_not_applicable: bool = True
    show_if: Condition | None = None
    defining: bool = Field(default=False, description="asks about the criterion's defining practice")
    if_hidden: Literal["skip", "absent"] = Field(
        default="skip",
        description="when show_if hides it: 'skip' drops the question, 'absent' counts it as answered with score 0",
    )

    @model_validator(mode="after")
    def _options_unique(self) -> Question:
        _unique((o.value for o in self.options), "option value")
        if self.if_hidden == "absent" and self.show_if is None:
            raise ValueError(
                "if_hidden: absent only means something with a show_if; add the show_if or remove if_hidden"
            )
        return self

    def option_label(self, value: str) -> str | None:
        """The label of one of the question's options, or None when the value is not one of them."""
        return next((o.label for o in self.options if o.value == value), None)

    def allowed_values(self) -> list[str]:
        """Every value the question accepts: its options, then don't know / not applicable where allowed."""
        return (
            [o.value for o in self.options]
            + [DONT_KNOW] * self.allow_dont_know
            + [NOT_APPLICABLE] * self.allow_not_applicable
        )

    @cached_property
    def accepted(self) -> frozenset[str]:
        """The allowed values as a set, worked out once: the portfolio checks every draft's answers against them."""
        return frozenset(self.allowed_values())


class Section(Strict):
    id: str = Field(pattern=SLUG)
    title: str = Text
    intro: str = ""
    questions: tuple[Question, ...] = Field(min_length=1)


class Questionnaire(Strict):
    schema_version: Literal[1]
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: str = Field(pattern=r"^\d+(\.\d+)*$")
    title: str = Text
    description: str = Text
    audience: str = Text
    minutes: int = Field(gt=0, le=240)
    sections: tuple[Section, ...] = Field(min_length=1)

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question in order, across sections."""
        return tuple(q for s in self.sections for q in s.questions)


# --- rubrics --------------------------------------------------------------


class Criterion(Strict):
    id: str = Field(pattern=SLUG)
    name: str = Text
    description: str = Text
    level: int | None = Field(default=None, ge=1, le=10)
    core: bool = False
    threshold: float | None = Field(default=None, gt=0, le=1)
    allow_dont_know: bool = True
    allow_not_applicable: bool = True


class Group(Strict):
    id: str = Field(pattern=SLUG)
    name: str = Text
    description: str = Text
    number: int | None = Field(default=None, ge=1, le=20)
    criteria: tuple[Criterion, ...] = Field(min_length=1)


class Band(Strict):
    min: float = Field(ge=0, le=1)
    label: str = Text


class Floor(Strict):
    level: int = 0
    name: str = Text
    description: str = Text


class CriticalIf(Strict):
    """When a critical finding is pressing: otherwise it is a warning, and `otherwise` says why."""

    when: Condition
    otherwise: str = Text


# What the executive summary prints after a finding's or a step's title: written whole by the author, never cut
# by code; content checks hold it to one line of one or two sentences (checks.summary_problems).
Summary = Field(min_length=1, description="one line, one or two whole sentences ending with a full stop")


class FindingRule(Strict):
    id: str = Field(pattern=SLUG)
    title: str = Text
    summary: str = Summary
    explanation: str = Text
    severity: Literal["info", "warning", "critical"] = "warning"
    when: Condition
    critical_if: CriticalIf | None = None


class Task(Strict):
    title: str = Text
    detail: str = Text
    owner: str = Text


class ChannelCaution(Strict):
    """Lieberman and Kolsky: a channel is cheap to open and costly to leave."""

    why: str = Text
    owner: str = Text
    exit_cost: str = Text


class SmallVariant(Strict):
    """How a recommendation reads for an organisation of under about fifty people."""

    what: str = Text
    owner: str = Text
    effort: Literal["S", "M", "L"]
    tasks: tuple[Task, ...] = ()


class Recommendation(Strict):
    id: str = Field(pattern=SLUG)
    title: str = Text
    summary: str = Summary
    what: str = Text
    why: str = Text
    effort: Literal["S", "M", "L"]
    impact: int = Field(ge=1, le=3)
    owner: str = Text
    success_measure: str = Text
    gate: int = Field(
        ge=0,
        le=10,
        description=(
            "the rung the work builds, on its own model's scale (ladder level, Solis stage); for a profile or "
            "checklist model, the socialfication level the capability serves; the roadmap orders by distance from "
            "where the organisation stands"
        ),
    )
    prerequisites: tuple[str, ...] = ()
    urgent: bool = False
    tasks: tuple[Task, ...] = ()
    opens_channel: ChannelCaution | None = None
    equivalent: tuple[str, ...] = Field(
        default=(), description="recommendations in other models that say the same thing"
    )
    small: SmallVariant | None = None
    trigger: Condition


class Moment(Strict):
    id: str = Field(pattern=SLUG)
    name: str = Text


class Channel(Strict):
    """A voice-of-customer channel: in use when any evidence criterion scores at least `in_use_at`."""

    id: str = Field(pattern=SLUG)
    name: str = Text
    evidence: tuple[str, ...] = Field(min_length=1)
    moments: tuple[str, ...] = Field(min_length=1)


class Worksheet(Strict):
    """Wampler's audit worksheet: channels against moments of truth."""

    in_use_at: float = Field(default=0.5, gt=0, le=1)
    moments: tuple[Moment, ...] = Field(min_length=2)
    channels: tuple[Channel, ...] = Field(min_length=1)
    steps: tuple[str, ...] = Field(min_length=1, description="criterion ids of the audit steps, in order")
    recommendation: str = Field(description="the recommendation whose tasks carry the step owners")


class Rubric(Strict):
    schema_version: Literal[1]
    model: str = Field(pattern=SLUG)
    kind: Literal["ladder", "stages", "profile", "checklist"]
    version: str = Field(pattern=r"^\d+(\.\d+)*$")
    title: str = Text
    short_title: str | None = Field(
        default=None, description="the name a headline uses ('Solis' in 'Solis stage 2 of 10'); the title when absent"
    )
    author: str = Text
    source: str = Text
    summary: str = Text
    threshold: float = Field(default=0.7, gt=0, le=1)
    defining_floor: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="a criterion whose defining questions all score >= 0.75 is in place when its average reaches this",
    )
    bands: tuple[Band, ...] = Field(min_length=1)
    floor: Floor | None = None
    criteria: tuple[Criterion, ...] = ()
    groups: tuple[Group, ...] = ()
    findings: tuple[FindingRule, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    worksheet: Worksheet | None = None

    @model_validator(mode="after")
    def _shape_fits_kind(self) -> Rubric:
        if [b.min for b in self.bands] != sorted((b.min for b in self.bands), reverse=True) or self.bands[-1].min != 0:
            raise ValueError("bands must run from the highest 'min' down to a last band with min: 0")
        if self.kind in ("ladder", "profile"):
            if self.groups or not self.criteria:
                raise ValueError(f"a {self.kind} rubric lists 'criteria' and no 'groups'")
        elif self.criteria or not self.groups:
            raise ValueError(f"a {self.kind} rubric lists 'groups' of criteria and no top-level 'criteria'")
        if self.defining_floor > self.threshold:
            raise ValueError(
                f"defining_floor {self.defining_floor} is above the threshold {self.threshold}; it must not be higher"
            )
        if self.kind == "ladder":
            self._check_ladder()
        if self.kind == "stages":
            numbers = [g.number for g in self.groups]
            if numbers != list(range(1, len(self.groups) + 1)):
                raise ValueError(f"stages must be numbered 1..{len(self.groups)} in order; found {numbers}")
        return self

    def _check_ladder(self) -> None:
        levels = [c.level for c in self.criteria]
        if levels != list(range(1, len(self.criteria) + 1)):
            raise ValueError(f"ladder criteria need 'level' 1..{len(self.criteria)} in order; found {levels}")
        if self.floor is None:
            raise ValueError("a ladder rubric needs a 'floor' (the level every organisation starts at)")

    def criterion_ids(self) -> list[tuple[str, Criterion, Group | None]]:
        """Every criterion with its full dotted id and its group, in file order."""
        found = [(f"{self.model}.{c.id}", c, None) for c in self.criteria]
        for group in self.groups:
            found += [(f"{self.model}.{group.id}.{c.id}", c, group) for c in group.criteria]
        return found
