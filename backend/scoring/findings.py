"""Findings the gating rules raise: levels ahead of their foundation, stages out of order."""

from __future__ import annotations

from backend.content.schema import Rubric
from backend.scoring.models import CriterionResult, Finding, Step


def _names(steps: list[Step]) -> str:
    return ", ".join(f"{s.number} ({s.name})" for s in steps)


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
            criteria=tuple(r.id for r in ahead + gaps),
            contributions=tuple(c for r in ahead + gaps for c in r.contributions),
        )
    ]
