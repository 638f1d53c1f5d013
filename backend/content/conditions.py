"""The declarative condition language used by triggers, findings and `show_if`.

A condition is a YAML mapping with exactly one key naming its kind:

    all: [cond, ...]            every sub-condition holds
    any: [cond, ...]            at least one holds
    not: cond                   the sub-condition does not hold
    level_below: {model: socialfication, value: 3}
    level_at_least: {model: solis, value: 2}
    score_below: {criterion: stack.reputation, value: 0.5}
    score_at_least: {criterion: stack.reputation, value: 0.5}
    assessed: customer.audit.audit_channels       (the criterion has evidence: at least half its questions answered)
    finding: solis.out_of_order                   (a finding with this code, or this id)
    answer: {question: fd.l1.accounts, equals: yes}   or   {question: ..., in: [a, b]}

Nothing is ever evaluated as code: the mapping is validated into these models.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

SLUG = r"^[a-z][a-z0-9_]*$"
DOTTED = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"


class Strict(BaseModel):
    """Base for content models: frozen, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class ModelValue(Strict):
    model: str = Field(pattern=SLUG)
    value: int = Field(ge=0, le=10)


class CriterionValue(Strict):
    criterion: str = Field(pattern=DOTTED)
    value: float = Field(ge=0, le=1)


class AnswerTest(Strict):
    question: str = Field(pattern=DOTTED)
    equals: str | None = None
    in_: tuple[str, ...] | None = Field(default=None, alias="in", min_length=1)

    @model_validator(mode="after")
    def _one_test(self) -> "AnswerTest":
        if (self.equals is None) == (self.in_ is None):
            raise ValueError("give exactly one of 'equals: VALUE' or 'in: [VALUE, ...]'")
        return self

    @property
    def values(self) -> tuple[str, ...]:
        """The answer values that satisfy the test."""
        return (self.equals,) if self.equals is not None else tuple(self.in_ or ())


class AllOf(Strict):
    all: tuple["Condition", ...] = Field(min_length=1)


class AnyOf(Strict):
    any: tuple["Condition", ...] = Field(min_length=1)


class NotOf(Strict):
    not_: "Condition" = Field(alias="not")


class LevelBelow(Strict):
    level_below: ModelValue


class LevelAtLeast(Strict):
    level_at_least: ModelValue


class ScoreBelow(Strict):
    score_below: CriterionValue


class ScoreAtLeast(Strict):
    score_at_least: CriterionValue


class Assessed(Strict):
    assessed: str = Field(pattern=DOTTED)


class FindingPresent(Strict):
    finding: str = Field(pattern=DOTTED)


class AnswerIs(Strict):
    answer: AnswerTest


KINDS: dict[str, type[Strict]] = {
    "all": AllOf,
    "any": AnyOf,
    "not": NotOf,
    "level_below": LevelBelow,
    "level_at_least": LevelAtLeast,
    "score_below": ScoreBelow,
    "score_at_least": ScoreAtLeast,
    "assessed": Assessed,
    "finding": FindingPresent,
    "answer": AnswerIs,
}


def _kind_of(raw: Any) -> str | None:
    if isinstance(raw, dict):
        keys = list(raw)
        if len(keys) == 1 and keys[0] in KINDS:
            return keys[0]
        return None
    for kind, model in KINDS.items():
        if isinstance(raw, model):
            return kind
    return None


Condition = Annotated[
    Union[tuple(Annotated[model, Tag(kind)] for kind, model in KINDS.items())],  # type: ignore[misc]
    Discriminator(
        _kind_of,
        custom_error_type="condition_kind",
        custom_error_message=(
            "a condition is a mapping with exactly one of the keys " + ", ".join(KINDS)
        ),
    ),
]

for _model in (AllOf, AnyOf, NotOf):
    _model.model_rebuild()


def criterion_of(atom: "ScoreBelow | ScoreAtLeast | Assessed") -> str:
    """The criterion id an atom about one criterion looks at."""
    if isinstance(atom, Assessed):
        return atom.assessed
    return (atom.score_below if isinstance(atom, ScoreBelow) else atom.score_at_least).criterion


def walk(condition: Any):
    """Yield the condition and every sub-condition inside it, depth first."""
    yield condition
    if isinstance(condition, AllOf):
        children = condition.all
    elif isinstance(condition, AnyOf):
        children = condition.any
    elif isinstance(condition, NotOf):
        children = (condition.not_,)
    else:
        children = ()
    for child in children:
        yield from walk(child)
