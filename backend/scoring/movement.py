"""How a score, level or stage moved between two periods: the one rule the comparison's tables, charts and summary share.

A value of None is "no figure": not assessed, not asked or not applicable in that period. It never counts as zero,
so a figure that appears or disappears is a change of its own kind, not a rise or a fall.
"""

from __future__ import annotations

# Differences smaller than this are rounding, not change.
MEANINGFUL = 0.005

BETTER, WORSE, SAME = "better", "worse", "same"
NEW = "new"  # a figure now, none before: newly assessed
LOST = "lost"  # a figure before, none now: no longer assessed
UNKNOWN = "unknown"  # no figure in either period
CHANGES = (BETTER, WORSE, SAME, NEW, LOST, UNKNOWN)


def change(before: float | None, after: float | None) -> str:
    """Which way a figure moved: better, worse or the same, or newly, no longer or never assessed."""
    if before is None:
        return UNKNOWN if after is None else NEW
    if after is None:
        return LOST
    if after - before >= MEANINGFUL:
        return BETTER
    if before - after >= MEANINGFUL:
        return WORSE
    return SAME


def scored(assessed: bool, score: float | None) -> float | None:
    """The figure a criterion shows: its score when assessed; a score on too little evidence proves nothing."""
    return score if assessed else None


def not_asked(kind: str, before_status: str | None, after_status: str | None) -> int | None:
    """Which period (0 before, 1 after) has no figure because it was not asked about the criterion at all (another
    questionnaire, or content without it: status None), where the figure appears or vanishes; None otherwise."""
    if kind == NEW and before_status in (None, "not asked"):
        return 0
    if kind == LOST and after_status in (None, "not asked"):
        return 1
    return None
