"""The in-place rule for one criterion, and what it says when some answers are still unknown."""

from __future__ import annotations

from backend.scoring.models import Contribution

EPSILON = 1e-9
SCORED = ("answered", "absent")
APPLICABLE = ("answered", "absent", "dont_know", "unanswered")
UNKNOWN = ("dont_know", "unanswered")
DEFINING_AT = 0.75


def in_place(
    score: float,
    contributions: tuple[Contribution, ...],
    threshold: float,
    defining_floor: float,
    unknown_at: float | None = None,
) -> bool:
    """The in-place rule: the average reaches the threshold, or every answered defining question
    scores at least 0.75 (one at least answered) and the average reaches the rubric's defining floor.
    With `unknown_at`, every unknown answer counts as answered at that score."""
    if score + EPSILON >= threshold:
        return True
    defining = [
        c.score if c.status in SCORED else unknown_at
        for c in contributions
        if c.defining and (c.status in SCORED or (unknown_at is not None and c.status in UNKNOWN))
    ]
    return bool(defining) and all(d + EPSILON >= DEFINING_AT for d in defining) and score + EPSILON >= defining_floor


def score_bounds_of(contributions: tuple[Contribution, ...]) -> tuple[float, float] | None:
    """The lowest and highest mean of these contributions with every unknown answer at 0 or at the top (1)."""
    applicable = [c for c in contributions if c.status in APPLICABLE]
    total = sum(c.weight for c in applicable)
    if not total:
        return None
    known = sum(c.weight * (c.score or 0.0) for c in applicable if c.status in SCORED)
    unknown = sum(c.weight for c in applicable if c.status in UNKNOWN)
    return known / total, (known + unknown) / total


def settled_status(contributions: tuple[Contribution, ...], threshold: float, defining_floor: float) -> str:
    """ "not in place" when the in-place rule fails even with every unknown answer at its top option,
    "in place" when it holds even with every unknown at 0, else "not assessed"."""
    bounds = score_bounds_of(contributions)
    if bounds is None:
        return "not assessed"
    low, high = bounds
    if not in_place(high, contributions, threshold, defining_floor, unknown_at=1.0):
        return "not in place"
    if in_place(low, contributions, threshold, defining_floor, unknown_at=0.0):
        return "in place"
    return "not assessed"
