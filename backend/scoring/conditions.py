"""Evaluate content conditions against scoring facts, explaining what made them true."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from backend.content.conditions import (
    AllOf,
    AnswerIs,
    AnyOf,
    Assessed,
    FindingPresent,
    LevelAtLeast,
    LevelBelow,
    NotOf,
    ScoreAtLeast,
    ScoreBelow,
    criterion_of,
    walk,
)
from backend.content.schema import DONT_KNOW, NOT_APPLICABLE, Question
from backend.scoring.models import Answer, Contribution, CriterionResult, Finding, ModelResult


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


def evaluate(cond, facts: Facts) -> tuple[bool, tuple[Reason, ...]]:
    """Whether `cond` holds, and the reasons that make it hold (empty when it does not)."""
    if isinstance(cond, AllOf):
        reasons: list[Reason] = []
        for child in cond.all:
            ok, why = evaluate(child, facts)
            if not ok:
                return False, ()
            reasons += why
        return True, tuple(reasons)
    if isinstance(cond, AnyOf):
        reasons = []
        for child in cond.any:
            ok, why = evaluate(child, facts)
            if ok:
                reasons += why
        return bool(reasons), tuple(reasons)
    if isinstance(cond, NotOf):
        ok, _ = evaluate(cond.not_, facts)
        return (not ok), (() if ok else (Reason("not", "not the case: " + describe(cond.not_, facts)),))
    ok = _atom_holds(cond, facts)
    return ok, ((_reason(cond, facts),) if ok else ())


def _rungs_not_in_place(facts: Facts, model: str, value: int) -> list[int]:
    """Assessed rungs up to `value` that are not in place: the only proof of "below"."""
    result = facts.models.get(model)
    if result is None:  # facts without model results (older callers): fall back on the level
        return [value] if facts.levels.get(model, 0) < value else []
    return [s.number for s in result.steps if s.number <= value and s.status == "not in place"]


def _atom_holds(cond, facts: Facts) -> bool:
    if isinstance(cond, LevelBelow):
        mv = cond.level_below
        return bool(_rungs_not_in_place(facts, mv.model, mv.value))
    if isinstance(cond, LevelAtLeast):
        level = facts.levels.get(cond.level_at_least.model)
        return level is not None and level >= cond.level_at_least.value
    if isinstance(cond, (ScoreBelow, ScoreAtLeast)):
        test = cond.score_below if isinstance(cond, ScoreBelow) else cond.score_at_least
        cr = facts.criteria[test.criterion]
        if cr.certain:  # thin evidence, but the answers given settle it: judge the score's bounds
            low, high = score_bounds(cr)
            return high < test.value if isinstance(cond, ScoreBelow) else low >= test.value
        if not cr.assessed or cr.score is None:
            return False
        return cr.score < test.value if isinstance(cond, ScoreBelow) else cr.score >= test.value
    if isinstance(cond, Assessed):
        return facts.criteria[cond.assessed].assessed
    if isinstance(cond, FindingPresent):
        return any(_finding_matches(f, cond.finding) for f in facts.findings)
    if isinstance(cond, AnswerIs):
        answer = facts.answers.get(cond.answer.question)
        return answer is not None and answer.value in cond.answer.values
    raise TypeError(f"not a condition: {cond!r}")


def score_bounds(cr: CriterionResult) -> tuple[float, float] | None:
    """The lowest and highest the score could be if every unknown answer were given (None: nothing applies)."""
    return score_bounds_of(cr.contributions)


def score_bounds_of(contributions: tuple[Contribution, ...]) -> tuple[float, float] | None:
    """The lowest and highest mean of these contributions with every unknown answer at 0 or at the top (1)."""
    applicable = [c for c in contributions if c.status in ("answered", "absent", "dont_know", "unanswered")]
    total = sum(c.weight for c in applicable)
    if not total:
        return None
    known = sum(c.weight * (c.score or 0.0) for c in applicable if c.status in ("answered", "absent"))
    unknown = sum(c.weight for c in applicable if c.status in ("dont_know", "unanswered"))
    return known / total, (known + unknown) / total


def gap_is_certain(cond, facts: Facts) -> bool:
    """Whether every score and level test that holds would still hold whatever the unknown answers turn out to be
    (a level reached over rungs not assessed is certain only up to its confirmed level)."""
    for atom in walk(cond):
        if isinstance(atom, LevelAtLeast) and _atom_holds(atom, facts):
            found = facts.models.get(atom.level_at_least.model)
            if found is not None and (found.confirmed or 0) < atom.level_at_least.value:
                return False
        if isinstance(atom, (ScoreBelow, ScoreAtLeast)) and _atom_holds(atom, facts):
            test = atom.score_below if isinstance(atom, ScoreBelow) else atom.score_at_least
            low, high = score_bounds(facts.criteria[test.criterion]) or (0.0, 1.0)
            if (high >= test.value) if isinstance(atom, ScoreBelow) else (low < test.value):
                return False
    return True


def _finding_matches(finding: Finding, wanted: str) -> bool:
    return finding.code == wanted or finding.id == wanted


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
        state = ("is not in place, already ruled out by the answers given" if cr.status == "not in place"
                 else "is in place, whatever the unanswered questions turn out to be")
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
    return title, f"at {word} {level if level is not None else 0}" + (" (provisional)" if result is not None and result.provisional else "")


def describe(cond, facts: Facts) -> str:
    """A plain sentence saying what the condition checks and the actual value."""
    if isinstance(cond, (AllOf, AnyOf)):
        joiner = " and " if isinstance(cond, AllOf) else " or "
        return "(" + joiner.join(describe(c, facts) for c in (cond.all if isinstance(cond, AllOf) else cond.any)) + ")"
    if isinstance(cond, NotOf):
        return "not " + describe(cond.not_, facts)
    if isinstance(cond, LevelBelow):
        mv = cond.level_below
        title, state = _level_text(facts, mv.model)
        result = facts.models.get(mv.model)
        missing = _rungs_not_in_place(facts, mv.model, mv.value)
        if result is None or not missing:
            return f"{title} is {state} (below {mv.value})"
        names = {s.number: s.name for s in result.steps}
        word = "stage" if result.kind == "stages" else "level"
        gaps = ", ".join(f"{n} ({names[n]})" for n in missing)
        settled = [facts.criteria[cid].name for s in result.steps if s.number in missing for cid in s.criteria
                   if facts.criteria[cid].certain and facts.criteria[cid].status == "not in place"]
        note = f" ({', '.join(settled)} already ruled out by the answers given, though some were don't know)" if settled else ""
        if len(missing) == 1:
            return f"{title} is {state}: {word} {gaps} is not in place{note}"
        return f"{title} is {state}: {word}s {gaps} are not in place{note}"
    if isinstance(cond, LevelAtLeast):
        title, state = _level_text(facts, cond.level_at_least.model)
        return f"{title} is {state} (at least {cond.level_at_least.value})"
    if isinstance(cond, (ScoreBelow, ScoreAtLeast)):
        test = cond.score_below if isinstance(cond, ScoreBelow) else cond.score_at_least
        cr = facts.criteria[test.criterion]
        rule = "below" if isinstance(cond, ScoreBelow) else "at least"
        return f"{criterion_text(cr)} (the rule: {rule} {test.value:.2f})"
    if isinstance(cond, Assessed):
        return criterion_text(facts.criteria[cond.assessed])
    if isinstance(cond, FindingPresent):
        titles = [f.title for f in facts.findings if _finding_matches(f, cond.finding)]
        return f"finding: {'; '.join(titles)}" if titles else "no such finding was raised"
    if isinstance(cond, AnswerIs):
        return _answer_is_text(cond, facts)
    raise TypeError(f"not a condition: {cond!r}")


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


def _reason(cond, facts: Facts) -> Reason:
    text = describe(cond, facts)
    if isinstance(cond, (LevelBelow, LevelAtLeast)):
        mv = cond.level_below if isinstance(cond, LevelBelow) else cond.level_at_least
        result = facts.models.get(mv.model)
        contributions = ()
        if result is not None:
            rungs = [s for s in result.steps if s.number <= mv.value]
            contributions = tuple(c for s in rungs for cid in s.criteria for c in facts.criteria[cid].contributions if c.status != "hidden")
        return Reason("level", text, contributions=contributions)
    if isinstance(cond, (ScoreBelow, ScoreAtLeast, Assessed)):
        cid = criterion_of(cond)
        return Reason("criterion", text, criterion=cid, contributions=facts.criteria[cid].contributions)
    if isinstance(cond, FindingPresent):
        found = [f for f in facts.findings if _finding_matches(f, cond.finding)]
        contributions = tuple(c for f in found for c in f.contributions)
        return Reason("finding", text, finding=found[0].id, contributions=contributions)
    return Reason("answer", text, question=cond.answer.question)
