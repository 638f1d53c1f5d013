"""Evaluate content conditions against scoring facts, explaining what made them true.

KIND_RULES is the one dispatch over the condition kinds: for each kind, whether it holds (with the
reasons), the sentence saying what it checks and the actual value, and whether a holding test would still
hold whatever the unknown answers turn out to be. The kinds' shapes live in backend.content.conditions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from backend.content.conditions import (
    AllOf,
    AnswerIs,
    AnyOf,
    Assessed,
    FindingPresent,
    Kind,
    LevelAtLeast,
    LevelBelow,
    NotMet,
    NotOf,
    ScoreAtLeast,
    ScoreBelow,
    walk,
)
from backend.content.schema import DONT_KNOW, NOT_APPLICABLE, Question
from backend.scoring.inplace import score_bounds_of, settled_status
from backend.scoring.models import (
    Answer,
    Contribution,
    CriterionResult,
    Finding,
    ModelResult,
)


@dataclass(frozen=True, slots=True)
class Reason:
    """One fact that made a condition hold, with the answers behind it."""

    kind: str
    text: str
    criterion: str | None = None
    finding: str | None = None
    question: str | None = None
    contributions: tuple[Contribution, ...] = ()


@dataclass(frozen=True, slots=True)
class Facts:
    """What conditions may look at."""

    levels: dict[str, int]
    criteria: dict[str, CriterionResult]
    findings: tuple[Finding, ...]
    answers: dict[str, Answer]
    models: Mapping[str, ModelResult] = field(default_factory=dict)
    questions: Mapping[str, Question] = field(default_factory=dict)
    # Each model's defining floor, for whether a gap is certain; a model missing here is judged on its threshold alone.
    floors: Mapping[str, float] = field(default_factory=dict)


Reasons = tuple[Reason, ...]


def floors_of(rubrics: Mapping[str, Any]) -> dict[str, float]:
    """Each model's defining floor, as Facts carries them."""
    return {model: rubric.defining_floor for model, rubric in rubrics.items()}


@dataclass(frozen=True, slots=True)
class KindRules:
    """How one kind of condition is judged against the facts and put in words."""

    evaluate: Callable[[Any, Facts], tuple[bool, Reasons]]
    describe: Callable[[Any, Facts], str]
    # False when the condition holds but unknown answers could undo it (sub-conditions are judged on their own).
    settled: Callable[[Any, Facts], bool] = lambda cond, facts: True


def _rules(cond: Kind) -> KindRules:
    try:
        return KIND_RULES[type(cond)]
    except KeyError:
        raise TypeError(f"not a condition: {cond!r}") from None


def evaluate(cond: Kind, facts: Facts) -> tuple[bool, Reasons]:
    """Whether `cond` holds, and the reasons that make it hold (empty when it does not)."""
    return _rules(cond).evaluate(cond, facts)


def describe(cond: Kind, facts: Facts) -> str:
    """A plain sentence saying what the condition checks and the actual value."""
    return _rules(cond).describe(cond, facts)


def gap_is_certain(cond: Kind, facts: Facts) -> bool:
    """Whether the condition would still hold whatever the unknown answers turn out to be (a level reached over
    rungs not assessed is certain only up to its confirmed level). An 'any' is certain when one of its parts that
    holds is certain, whatever the others: a part that holds only thanks to unknown answers neither makes nor
    unmakes it; otherwise every score, level and criterion test that holds must be settled."""
    if isinstance(cond, AnyOf):
        return any(evaluate(part, facts)[0] and gap_is_certain(part, facts) for part in cond.any)
    if isinstance(cond, AllOf):
        return all(gap_is_certain(part, facts) for part in cond.all)
    return all(_rules(atom).settled(atom, facts) for atom in walk(cond))


def score_bounds(cr: CriterionResult) -> tuple[float, float] | None:
    """The lowest and highest the score could be if every unknown answer were given (None: nothing applies)."""
    return score_bounds_of(cr.contributions)


# --- all, any, not --------------------------------------------------------------------------------------


def _all(cond: AllOf, facts: Facts) -> tuple[bool, Reasons]:
    reasons: list[Reason] = []
    for child in cond.all:
        ok, why = evaluate(child, facts)
        if not ok:
            return False, ()
        reasons += why
    return True, tuple(reasons)


def _any(cond: AnyOf, facts: Facts) -> tuple[bool, Reasons]:
    reasons: list[Reason] = []
    for child in cond.any:
        ok, why = evaluate(child, facts)
        if ok:
            reasons += why
    return bool(reasons), tuple(reasons)


def _not(cond: NotOf, facts: Facts) -> tuple[bool, Reasons]:
    ok, _ = evaluate(cond.not_, facts)
    return (not ok), (() if ok else (Reason("not", "not the case: " + describe(cond.not_, facts)),))


def _joined(joiner: str) -> Callable[[Any, Facts], str]:
    return lambda cond, facts: "(" + joiner.join(describe(c, facts) for c in cond.parts()) + ")"


def _atom(
    holds: Callable[[Any, Facts], bool], reason: Callable[[Any, Facts, str], Reason]
) -> Callable[[Any, Facts], tuple[bool, Reasons]]:
    """An atom's evaluation: it holds or not, and when it holds its one reason."""

    def evaluate_atom(cond: Any, facts: Facts) -> tuple[bool, Reasons]:
        if not holds(cond, facts):
            return False, ()
        return True, (reason(cond, facts, describe(cond, facts)),)

    return evaluate_atom


# --- levels and stages ----------------------------------------------------------------------------------


def _rungs_not_in_place(facts: Facts, model: str, value: int) -> list[int]:
    """Assessed rungs up to `value` that are not in place: the only proof of "below"."""
    result = facts.models.get(model)
    if result is None:  # facts without model results (older callers): fall back on the level
        return [value] if facts.levels.get(model, 0) < value else []
    return [s.number for s in result.steps if s.number <= value and s.status == "not in place"]


def _level_below(cond: LevelBelow, facts: Facts) -> bool:
    return bool(_rungs_not_in_place(facts, cond.level_below.model, cond.level_below.value))


def _level_at_least(cond: LevelAtLeast, facts: Facts) -> bool:
    level = facts.levels.get(cond.level_at_least.model)
    return level is not None and level >= cond.level_at_least.value


def _level_at_least_settled(cond: LevelAtLeast, facts: Facts) -> bool:
    if not _level_at_least(cond, facts):
        return True
    found = facts.models.get(cond.level_at_least.model)
    return found is None or (found.confirmed or 0) >= cond.level_at_least.value


def _level_below_text(cond: LevelBelow, facts: Facts) -> str:
    mv = cond.level_below
    title, state = _level_text(facts, mv.model)
    result = facts.models.get(mv.model)
    missing = _rungs_not_in_place(facts, mv.model, mv.value)
    if result is None or not missing:
        return f"{title} is {state} (below {mv.value})"
    names = {s.number: s.name for s in result.steps}
    word = "stage" if result.kind == "stages" else "level"
    gaps = ", ".join(f"{n} ({names[n]})" for n in missing)
    settled = [
        facts.criteria[cid].name
        for s in result.steps
        if s.number in missing
        for cid in s.criteria
        if facts.criteria[cid].certain and facts.criteria[cid].status == "not in place"
    ]
    note = (
        f" ({', '.join(settled)} already ruled out by the answers given, though some were don't know)"
        if settled
        else ""
    )
    if len(missing) == 1:
        return f"{title} is {state}: {word} {gaps} is not in place{note}"
    return f"{title} is {state}: {word}s {gaps} are not in place{note}"


def _level_at_least_text(cond: LevelAtLeast, facts: Facts) -> str:
    title, state = _level_text(facts, cond.level_at_least.model)
    return f"{title} is {state} (at least {cond.level_at_least.value})"


def _level_reason(cond: LevelBelow | LevelAtLeast, facts: Facts, text: str) -> Reason:
    mv = cond.level_ref
    result = facts.models.get(mv.model)
    contributions: tuple[Contribution, ...] = ()
    if result is not None:
        rungs = [s for s in result.steps if s.number <= mv.value]
        contributions = tuple(
            c for s in rungs for cid in s.criteria for c in facts.criteria[cid].contributions if c.status != "hidden"
        )
    return Reason("level", text, contributions=contributions)


# --- criteria -------------------------------------------------------------------------------------------


def _score_holds(below: bool) -> Callable[[ScoreBelow | ScoreAtLeast, Facts], bool]:
    def holds(cond: ScoreBelow | ScoreAtLeast, facts: Facts) -> bool:
        test = cond.payload
        cr = facts.criteria[test.criterion]
        if cr.certain:  # thin evidence, but the answers given settle it: judge the score's bounds
            low, high = score_bounds(cr)
            return high < test.value if below else low >= test.value
        if not cr.assessed or cr.score is None:
            return False
        return cr.score < test.value if below else cr.score >= test.value

    return holds


def _score_settled(below: bool) -> Callable[[ScoreBelow | ScoreAtLeast, Facts], bool]:
    def settled(cond: ScoreBelow | ScoreAtLeast, facts: Facts) -> bool:
        if not _score_holds(below)(cond, facts):
            return True
        test = cond.payload
        low, high = score_bounds(facts.criteria[test.criterion]) or (0.0, 1.0)
        return high < test.value if below else low >= test.value

    return settled


def _score_text(cond: ScoreBelow | ScoreAtLeast, facts: Facts) -> str:
    test = cond.payload
    return f"{criterion_text(facts.criteria[test.criterion])} (the rule: {cond.WORD} {test.value:.2f})"


def _not_met(cond: NotMet, facts: Facts) -> bool:
    # "not in place" is decided by the rubric's own in-place rule, defining rule included, on an assessed
    # criterion, or on thin evidence the answers given already rule out; never on don't know alone.
    return facts.criteria[cond.not_met].status == "not in place"


def _not_met_settled(cond: NotMet, facts: Facts) -> bool:
    cr = facts.criteria[cond.not_met]
    if not _not_met(cond, facts) or cr.certain:
        return True
    return settled_status(cr.contributions, cr.threshold, facts.floors.get(cr.model, cr.threshold)) == "not in place"


def _not_met_text(cond: NotMet, facts: Facts) -> str:
    cr = facts.criteria[cond.not_met]
    floor = facts.floors.get(cr.model)
    defining = (
        f", from {floor:.2f} when its defining practice is in place"
        if floor is not None and any(c.defining for c in cr.contributions)
        else ""
    )
    return f"{criterion_text(cr)} (the rule: in place from {cr.threshold:.2f}{defining})"


def _criterion_reason(cond: ScoreBelow | ScoreAtLeast | Assessed | NotMet, facts: Facts, text: str) -> Reason:
    cid = cond.criterion_ref
    return Reason("criterion", text, criterion=cid, contributions=facts.criteria[cid].contributions)


# --- findings and answers -------------------------------------------------------------------------------


def _finding_matches(finding: Finding, wanted: str) -> bool:
    return finding.code == wanted or finding.id == wanted


def _finding_present(cond: FindingPresent, facts: Facts) -> bool:
    return any(_finding_matches(f, cond.finding) for f in facts.findings)


def _finding_text(cond: FindingPresent, facts: Facts) -> str:
    titles = [f.title for f in facts.findings if _finding_matches(f, cond.finding)]
    return f"finding: {'; '.join(titles)}" if titles else "no such finding was raised"


def _finding_reason(cond: FindingPresent, facts: Facts, text: str) -> Reason:
    found = [f for f in facts.findings if _finding_matches(f, cond.finding)]
    return Reason("finding", text, finding=found[0].id, contributions=tuple(c for f in found for c in f.contributions))


def _answer_is(cond: AnswerIs, facts: Facts) -> bool:
    answer = facts.answers.get(cond.answer.question)
    return answer is not None and answer.value in cond.answer.values


def _answer_is_text(cond: AnswerIs, facts: Facts) -> str:
    qid = cond.answer.question
    question = facts.questions.get(qid)
    answer = facts.answers.get(qid)
    text = f"'{question.text}'" if question else f"question {qid}"
    if answer is None:
        return f"{text} not answered yet"
    if answer.value == DONT_KNOW:
        return f"{text} answered don't know"
    if answer.value == NOT_APPLICABLE:
        return f"{text} answered not applicable"
    label = (question.option_label(answer.value) if question else None) or answer.value
    return f"{text} answered '{label}'"


def _answer_reason(cond: AnswerIs, facts: Facts, text: str) -> Reason:
    return Reason("answer", text, question=cond.answer.question)


KIND_RULES: dict[type[Kind], KindRules] = {
    AllOf: KindRules(_all, _joined(" and ")),
    AnyOf: KindRules(_any, _joined(" or ")),
    NotOf: KindRules(_not, lambda cond, facts: "not " + describe(cond.not_, facts)),
    LevelBelow: KindRules(_atom(_level_below, _level_reason), _level_below_text),
    LevelAtLeast: KindRules(_atom(_level_at_least, _level_reason), _level_at_least_text, _level_at_least_settled),
    ScoreBelow: KindRules(_atom(_score_holds(True), _criterion_reason), _score_text, _score_settled(True)),
    ScoreAtLeast: KindRules(_atom(_score_holds(False), _criterion_reason), _score_text, _score_settled(False)),
    Assessed: KindRules(
        _atom(lambda cond, facts: facts.criteria[cond.assessed].assessed, _criterion_reason),
        lambda cond, facts: criterion_text(facts.criteria[cond.assessed]),
    ),
    NotMet: KindRules(_atom(_not_met, _criterion_reason), _not_met_text, _not_met_settled),
    FindingPresent: KindRules(_atom(_finding_present, _finding_reason), _finding_text),
    AnswerIs: KindRules(_atom(_answer_is, _answer_reason), _answer_is_text),
}


# --- words shared with the pages, the PDF and the console -----------------------------------------------


def answer_text(c: Contribution) -> str:
    """One answer in words: the question's text and what was answered."""
    question = f"'{c.text}'" if c.text else f"question {c.question_id}"
    if c.status == "answered":
        return f"{question} answered '{c.label}'"
    if c.status == "absent":
        return f"{question} counted as absent ({c.label})"
    if c.label:  # hidden behind a screening question that is unknown
        return f"{question} {c.label}"
    if c.status == "dont_know":
        return f"{question} answered don't know"
    if c.status == "not_applicable":
        return f"{question} answered not applicable"
    if c.status == "hidden":
        return f"{question} not asked"
    return f"{question} not answered yet"


def answers_text(contributions: tuple[Contribution, ...]) -> str:
    """The answers behind a criterion, in words, skipping questions that were not asked."""
    shown = [answer_text(c) for c in contributions if c.status != "hidden"]
    return "; ".join(shown) if shown else "no question asks about it"


def criterion_text(cr: CriterionResult) -> str:
    """A criterion's state in words, named by its name, with the answers behind it."""
    if cr.status == "not asked":
        return f"{cr.name} was not asked about"
    if cr.certain:
        state = (
            "is not in place, already ruled out by the answers given"
            if cr.status == "not in place"
            else "is in place, whatever the unanswered questions turn out to be"
        )
    elif not cr.assessed:
        state = "is not assessed"
    else:
        state = f"scores {cr.score:.2f} ({cr.status})"
    return f"{cr.name} {state}: {answers_text(cr.contributions)}"


def _level_text(facts: Facts, model: str) -> tuple[str, str]:
    result = facts.models.get(model)
    title = result.title if result else model
    level = facts.levels.get(model)
    if result is not None and not result.assessed:
        return title, "not assessed"
    word = "stage" if result is not None and result.kind == "stages" else "level"
    return title, f"at {word} {level if level is not None else 0}" + (
        " (provisional)" if result is not None and result.provisional else ""
    )
