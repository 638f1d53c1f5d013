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
    not_met: customer.audit.audit_channels        (judged and not in place by the rubric's own rule; never on don't know alone)
    finding: solis.out_of_order                   (a finding with this code, or this id)
    answer: {question: fd.l1.accounts, equals: yes}   or   {question: ..., in: [a, b]}

Nothing is ever evaluated as code: the mapping is validated into these models. Each kind is one class
here (its shape, its parts, what it refers to, the rule in words) and one entry in
backend.scoring.conditions.KIND_RULES (how it is judged against the facts); KINDS lists the classes.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Protocol, Union

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
    def _one_test(self) -> AnswerTest:
        if (self.equals is None) == (self.in_ is None):
            raise ValueError("give exactly one of 'equals: VALUE' or 'in: [VALUE, ...]'")
        return self

    @property
    def values(self) -> tuple[str, ...]:
        """The answer values that satisfy the test."""
        return (self.equals,) if self.equals is not None else tuple(self.in_ or ())


class Names(Protocol):
    """How a rule names what it refers to, for readers (content pages): names, never ids."""

    def criterion(self, cid: str) -> str: ...
    def model(self, model: str) -> tuple[str, str]: ...  # (title, 'level' or 'stage')
    def finding(self, code: str) -> str: ...
    def answer(self, question: str, values: tuple[str, ...]) -> str: ...


class Kind(Strict):
    """One kind of condition: a mapping with a single key. What it contains and refers to is said here, once."""

    @classmethod
    def kind(cls) -> str:
        """The YAML key naming this kind."""
        name, info = next(iter(cls.model_fields.items()))
        return info.alias or name

    @property
    def payload(self) -> Any:
        """The value under the kind's key."""
        return getattr(self, next(iter(type(self).model_fields)))

    def parts(self) -> tuple[Kind, ...]:
        """The sub-conditions inside this one (none for an atom)."""
        return ()

    # What an atom refers to, for the reference checks (None: it refers to no such thing).
    @property
    def criterion_ref(self) -> str | None:
        return None

    @property
    def level_ref(self) -> ModelValue | None:
        return None

    @property
    def finding_ref(self) -> str | None:
        return None

    @property
    def answer_ref(self) -> AnswerTest | None:
        return None

    def rule(self, names: Names) -> str:
        """What the condition checks, in words, without any facts."""
        raise NotImplementedError(type(self).__name__)


def _parts_rule(parts: tuple[Kind, ...], names: Names, lead: str) -> str:
    texts = [p.rule(names) for p in parts]
    return texts[0] if len(texts) == 1 else lead + "; ".join(texts)


class AllOf(Kind):
    all: tuple[Condition, ...] = Field(min_length=1)

    def parts(self) -> tuple[Kind, ...]:
        return self.all

    def rule(self, names: Names) -> str:
        return _parts_rule(self.all, names, "all of: ")


class AnyOf(Kind):
    any: tuple[Condition, ...] = Field(min_length=1)

    def parts(self) -> tuple[Kind, ...]:
        return self.any

    def rule(self, names: Names) -> str:
        return _parts_rule(self.any, names, "any of: ")


class NotOf(Kind):
    not_: Condition = Field(alias="not")

    def parts(self) -> tuple[Kind, ...]:
        return (self.not_,)

    def rule(self, names: Names) -> str:
        return f"not ({self.not_.rule(names)})"


class _LevelTest(Kind):
    WORD: ClassVar[str]

    @property
    def level_ref(self) -> ModelValue:
        return self.payload

    def rule(self, names: Names) -> str:
        title, noun = names.model(self.payload.model)
        return f"{title} {noun} is {self.WORD} {self.payload.value}"


class LevelBelow(_LevelTest):
    WORD: ClassVar[str] = "below"
    level_below: ModelValue


class LevelAtLeast(_LevelTest):
    WORD: ClassVar[str] = "at least"
    level_at_least: ModelValue


class _ScoreTest(Kind):
    WORD: ClassVar[str]

    @property
    def criterion_ref(self) -> str:
        return self.payload.criterion

    def rule(self, names: Names) -> str:
        return f"{names.criterion(self.payload.criterion)} scores {self.WORD} {self.payload.value:.0%}"


class ScoreBelow(_ScoreTest):
    WORD: ClassVar[str] = "below"
    score_below: CriterionValue


class ScoreAtLeast(_ScoreTest):
    WORD: ClassVar[str] = "at least"
    score_at_least: CriterionValue


class Assessed(Kind):
    assessed: str = Field(pattern=DOTTED)

    @property
    def criterion_ref(self) -> str:
        return self.assessed

    def rule(self, names: Names) -> str:
        return f"{names.criterion(self.assessed)} is assessed (at least half its questions answered)"


class NotMet(Kind):
    not_met: str = Field(pattern=DOTTED)

    @property
    def criterion_ref(self) -> str:
        return self.not_met

    def rule(self, names: Names) -> str:
        return f"{names.criterion(self.not_met)} is assessed and not in place (by the model's own rule)"


class FindingPresent(Kind):
    finding: str = Field(pattern=DOTTED)

    @property
    def finding_ref(self) -> str:
        return self.finding

    def rule(self, names: Names) -> str:
        return names.finding(self.finding)


class AnswerIs(Kind):
    answer: AnswerTest

    @property
    def answer_ref(self) -> AnswerTest:
        return self.answer

    def rule(self, names: Names) -> str:
        return names.answer(self.answer.question, self.answer.values)


KINDS: dict[str, type[Kind]] = {
    cls.kind(): cls
    for cls in (
        AllOf,
        AnyOf,
        NotOf,
        LevelBelow,
        LevelAtLeast,
        ScoreBelow,
        ScoreAtLeast,
        Assessed,
        NotMet,
        FindingPresent,
        AnswerIs,
    )
}


def _kind_of(raw: Any) -> str | None:
    if isinstance(raw, dict):
        keys = list(raw)
        if len(keys) == 1 and keys[0] in KINDS:
            return keys[0]
        return None
    return type(raw).kind() if isinstance(raw, Kind) else None


Condition = Annotated[
    Union[tuple(Annotated[model, Tag(kind)] for kind, model in KINDS.items())],  # type: ignore[misc]  # noqa: UP007 (built from a tuple at run time)
    Discriminator(
        _kind_of,
        custom_error_type="condition_kind",
        custom_error_message=("a condition is a mapping with exactly one of the keys " + ", ".join(KINDS)),
    ),
]

for _model in (AllOf, AnyOf, NotOf):
    _model.model_rebuild()


def walk(condition: Kind):
    """Yield the condition and every sub-condition inside it, depth first."""
    yield condition
    for child in condition.parts():
        yield from walk(child)
