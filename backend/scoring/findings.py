"""Findings the gating rules raise: levels ahead of their foundation, stages out of order."""

from __future__ import annotations

from collections.abc import Sequence

from backend.content.schema import Rubric
from backend.scoring.models import CriterionResult, Finding, Step


def _names(steps: list[Step]) -> str:
    return ", ".join(f"{s.number} ({s.name})" for s in steps)


def listed(items: Sequence[object]) -> str:
    """'1', '1 and 2', '1, 2 and 3': items as a sentence lists them."""
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _numbered(noun: str, steps: list[Step]) -> str:
    """'level 1', 'levels 1 and 2': a noun with the steps' numbers."""
    return f"{noun}{'s' if len(steps) > 1 else ''} {listed([s.number for s in steps])}"


def ladder_findings(
    rubric: Rubric, steps: tuple[Step, ...], level: int, criteria: dict[str, CriterionResult]
) -> list[Finding]:
    """A finding for each level in place above an assessed gap: reported, never counted.

    A rung below that is merely not assessed is not missing: only assessed gaps raise it."""
    found = []
    for step in steps:
        missing = [s for s in steps if s.number < step.number and s.status == "not in place"]
        if step.in_place and not step.counted and missing:
            cid = step.criteria[0]
            found.append(
                Finding(
                    id=f"{rubric.model}.ahead_of_foundation.level{step.number}",
                    code=f"{rubric.model}.ahead_of_foundation",
                    model=rubric.model,
                    title=f"Level {step.number} ({step.name}) is ahead of your foundation",
                    explanation=(
                        f"The practices of level {step.number} are in place, but level(s) {_names(missing)} "
                        f"are not, so level {step.number} does not count yet: in {rubric.author}'s model each "
                        f"level rests on the ones below. Your counted level is {level}."
                    ),
                    severity="info",
                    summary=(
                        f"Level {step.number} practices are in place before {_numbered('level', missing)}, "
                        f"so level {step.number} does not count yet."
                    ),
                    criteria=(cid,) + tuple(m.criteria[0] for m in missing),
                    contributions=criteria[cid].contributions
                    + tuple(c for m in missing for c in criteria[m.criteria[0]].contributions),
                )
            )
    return found


def stage_findings(
    rubric: Rubric, steps: tuple[Step, ...], reached: int, criteria: dict[str, CriterionResult]
) -> list[Finding]:
    """One finding per model listing every stage worked on beyond the next one to reach, and the assessed stages skipped."""
    ahead_steps, skipped_steps = [], []
    for step in steps:
        if step.number <= reached + 1:
            continue
        ahead = [criteria[c] for c in step.criteria if criteria[c].met]
        # Out of order needs assessed evidence on both sides: a stage merely not assessed is not skipped.
        skipped = [s for s in steps if s.number < step.number and s.status == "not in place"]
        if ahead and skipped:
            ahead_steps.append((step, ahead))
            skipped_steps += [s for s in skipped if s not in skipped_steps]
    if not ahead_steps:
        return []
    skipped_steps.sort(key=lambda s: s.number)
    ahead = [r for _, rs in ahead_steps for r in rs]
    gaps = [criteria[c] for s in skipped_steps for c in s.criteria if criteria[c].status == "not in place"]
    started = [s for s, _ in ahead_steps]
    many = len(started) > 1
    title = (
        f"Stages {_names(started)} started before earlier stages"
        if many
        else f"Stage {_names(started)} started before earlier stages"
    )
    return [
        Finding(
            id=f"{rubric.model}.out_of_order",
            code=f"{rubric.model}.out_of_order",
            model=rubric.model,
            title=title,
            explanation=(
                f"{', '.join(r.name for r in ahead)} {'is' if len(ahead) == 1 else 'are'} in place while "
                f"stage(s) {_names(skipped_steps)} are not ({', '.join(g.name for g in gaps)} missing). "
                f"{rubric.author} warns against working out of order, such as opening accounts before "
                "listening, which leaves them without the research that should guide them. Put the earlier stages in place first."
            ),
            severity="warning",
            summary=(
                f"Work has started on {_numbered('stage', started)} while {_numbered('stage', skipped_steps)} "
                f"{'is' if len(skipped_steps) == 1 else 'are'} not in place, so it lacks the groundwork "
                f"{'that stage gives' if len(skipped_steps) == 1 else 'those stages give'}."
            ),
            criteria=tuple(r.id for r in ahead + gaps),
            contributions=tuple(c for r in ahead + gaps for c in r.contributions),
        )
    ]
