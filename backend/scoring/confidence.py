"""How far a result can be trusted, from coverage and depth of evidence."""

from __future__ import annotations

from collections.abc import Iterable

from backend.scoring.models import Confidence, CriterionResult

# Two answered questions give a criterion full depth; a criterion the questionnaire asks
# with one applicable question reaches full depth with that one answer, since the content
# asks one question wherever one practice defines the criterion.
FULL_DEPTH = 2
HIGH, MEDIUM = 0.8, 0.5


def confidence_of(results: Iterable[CriterionResult], agreement: float | None = None) -> Confidence:
    """Coverage (answered share of what the questionnaire asks) times depth, times agreement when known."""
    # Judged on what the questionnaire asks: a criterion it has no question for, or whose every
    # question was marked not applicable, says nothing either way.
    considered = [r for r in results if r.status not in ("not asked", "not applicable")]
    if not considered:
        return Confidence(0.0, 0.0, agreement, 0.0, "low")
    coverage = sum(r.coverage or 0.0 for r in considered) / len(considered)
    answered = [r for r in considered if r.answered]
    depth = (
        sum(min(1.0, r.answered / depth_needed(c.status for c in r.contributions)) for r in answered) / len(answered)
        if answered
        else 0.0
    )
    value = coverage * (0.5 + 0.5 * depth) * (1.0 if agreement is None else agreement)
    label = "high" if value >= HIGH else "medium" if value >= MEDIUM else "low"
    return Confidence(round(coverage, 4), round(depth, 4), agreement, round(value, 4), label)


def depth_needed(statuses: Iterable[str]) -> int:
    """Answers that give a criterion full depth: two, or all of its applicable questions when fewer."""
    applicable = sum(1 for status in statuses if status in ("answered", "dont_know", "unanswered"))
    return max(1, min(FULL_DEPTH, applicable))
