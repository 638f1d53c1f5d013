"""Evaluate content conditions against scoring facts, explaining what made them true."""

from __future__ import annotations

from dataclasses import dataclass

from backend.content.conditions import (
    AllOf,
    AnswerIs,
    AnyOf,
    FindingPresent,
    LevelAtLeast,
    LevelBelow,
    NotOf,
    ScoreAtLeast,
    ScoreBelow,
    Unanswered,
)
from backend.scoring.models import Answer, Contribution, CriterionResult, Finding


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


def _score_text(cr: CriterionResult) -> str:
    return "no answers" if cr.score is None else f"{cr.score:.2f}"


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


def _atom_holds(cond, facts: Facts) -> bool:
    if isinstance(cond, LevelBelow):
        return facts.levels.get(cond.level_below.model, 0) < cond.level_below.value
    if isinstance(cond, LevelAtLeast):
        return facts.levels.get(cond.level_at_least.model, 0) >= cond.level_at_least.value
    if isinstance(cond, (ScoreBelow, ScoreAtLeast)):
        test = cond.score_below if isinstance(cond, ScoreBelow) else cond.score_at_least
        score = facts.criteria[test.criterion].score
        if score is None:
            return False
        return score < test.value if isinstance(cond, ScoreBelow) else score >= test.value
    if isinstance(cond, Unanswered):
        # Only what the questionnaire asked: a quick check is silent on most criteria.
        cr = facts.criteria[cond.unanswered]
        return cr.asked > 0 and cr.score is None
    if isinstance(cond, FindingPresent):
        return any(_finding_matches(f, cond.finding) for f in facts.findings)
    if isinstance(cond, AnswerIs):
        answer = facts.answers.get(cond.answer.question)
        return answer is not None and answer.value in cond.answer.values
    raise TypeError(f"not a condition: {cond!r}")


def _finding_matches(finding: Finding, wanted: str) -> bool:
    return finding.code == wanted or finding.id == wanted


def describe(cond, facts: Facts) -> str:
    """A plain sentence saying what the condition checks and the actual value."""
    if isinstance(cond, (AllOf, AnyOf)):
        joiner = " and " if isinstance(cond, AllOf) else " or "
        return "(" + joiner.join(describe(c, facts) for c in (cond.all if isinstance(cond, AllOf) else cond.any)) + ")"
    if isinstance(cond, NotOf):
        return "not " + describe(cond.not_, facts)
    if isinstance(cond, (LevelBelow, LevelAtLeast)):
        mv = cond.level_below if isinstance(cond, LevelBelow) else cond.level_at_least
        rule = "below" if isinstance(cond, LevelBelow) else "at least"
        return f"{mv.model} is at {facts.levels.get(mv.model, 0)} ({rule} {mv.value})"
    if isinstance(cond, (ScoreBelow, ScoreAtLeast)):
        test = cond.score_below if isinstance(cond, ScoreBelow) else cond.score_at_least
        cr = facts.criteria[test.criterion]
        rule = "below" if isinstance(cond, ScoreBelow) else "at least"
        return f"{cr.name} ({cr.id}) scores {_score_text(cr)} ({rule} {test.value:.2f})"
    if isinstance(cond, Unanswered):
        cr = facts.criteria[cond.unanswered]
        return f"{cr.name} ({cr.id}) was asked but has no answer yet"
    if isinstance(cond, FindingPresent):
        titles = [f.title for f in facts.findings if _finding_matches(f, cond.finding)]
        return f"finding: {'; '.join(titles)}" if titles else f"no finding {cond.finding}"
    if isinstance(cond, AnswerIs):
        answer = facts.answers.get(cond.answer.question)
        given = answer.value if answer else "no answer"
        return f"question {cond.answer.question} was answered '{given}'"
    raise TypeError(f"not a condition: {cond!r}")


def _reason(cond, facts: Facts) -> Reason:
    text = describe(cond, facts)
    if isinstance(cond, (LevelBelow, LevelAtLeast)):
        return Reason("level", text)
    if isinstance(cond, (ScoreBelow, ScoreAtLeast, Unanswered)):
        cid = cond.unanswered if isinstance(cond, Unanswered) else (cond.score_below if isinstance(cond, ScoreBelow) else cond.score_at_least).criterion
        return Reason("criterion", text, criterion=cid, contributions=facts.criteria[cid].contributions)
    if isinstance(cond, FindingPresent):
        found = [f for f in facts.findings if _finding_matches(f, cond.finding)]
        contributions = tuple(c for f in found for c in f.contributions)
        return Reason("finding", text, finding=found[0].id, contributions=contributions)
    return Reason("answer", text, question=cond.answer.question)
