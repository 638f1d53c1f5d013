"""Turn triggered recommendations into an ordered roadmap in three horizons."""

from __future__ import annotations

import heapq
from typing import Mapping
from dataclasses import dataclass

from backend.content.bundle import ContentBundle
from backend.content.schema import Question, Recommendation
from backend.scoring.conditions import Facts, Reason, evaluate
from backend.scoring.models import AssessmentResult

HORIZONS = ("now", "next", "later")
# A quarter's worth of change a team can absorb; the rest waits for the next assessment.
CAPS = {"now": 3, "next": 4, "later": 6}
EFFORT_RANK = {"S": 0, "M": 1, "L": 2}


@dataclass(frozen=True, slots=True)
class RoadmapItem:
    """One next step: what, why (the facts that triggered it), and when."""

    id: str
    model: str
    credit: str
    horizon: str
    position: int
    recommendation: Recommendation
    prerequisites: tuple[str, ...]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Roadmap:
    """Ordered items by horizon, and the triggered ones left for a later assessment."""

    items: tuple[RoadmapItem, ...]
    deferred: tuple[str, ...]

    def horizon(self, name: str) -> tuple[RoadmapItem, ...]:
        """The items planned for one horizon, in order."""
        return tuple(i for i in self.items if i.horizon == name)


def facts_of(result: AssessmentResult, questions: Mapping[str, Question] | None = None) -> Facts:
    """The facts a trigger may look at, taken from a scored assessment."""
    levels = {m: r.level for m, r in result.models.items() if r.level is not None}
    answers = {q: a for q, a in result.answers.items() if q in result.visible}
    return Facts(levels, result.criteria, result.findings, answers, result.models, questions or {})


def triggered(bundle: ContentBundle, result: AssessmentResult) -> dict[str, tuple[str, Recommendation, tuple[Reason, ...]]]:
    """Every recommendation whose trigger holds, with the reasons it holds."""
    facts = facts_of(result, bundle.plan(result.questionnaire_id).questions)
    found = {}
    for rec_id, (model, rec) in bundle.recommendations.items():
        holds, reasons = evaluate(rec.trigger, facts)
        if holds:
            found[rec_id] = (model, rec, reasons)
    return found


def _order(chosen: dict[str, tuple[str, Recommendation, tuple[Reason, ...]]]) -> list[str]:
    """Prerequisites first; among ready items urgent, then lower gate, more impact, less effort."""
    def key(rec: Recommendation) -> tuple:
        return (not rec.urgent, rec.gate, -rec.impact, EFFORT_RANK[rec.effort], rec.id)

    waiting = {rid: {p for p in rec.prerequisites if p in chosen} for rid, (_, rec, _) in chosen.items()}
    ready = [key(chosen[rid][1]) for rid, pre in waiting.items() if not pre]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        rid = heapq.heappop(ready)[-1]
        order.append(rid)
        for other, pre in waiting.items():
            if rid in pre:
                pre.discard(rid)
                if not pre:
                    heapq.heappush(ready, key(chosen[other][1]))
    return order


def plan_roadmap(bundle: ContentBundle, result: AssessmentResult) -> Roadmap:
    """Place triggered recommendations in now / next / later, never before their prerequisites."""
    chosen = triggered(bundle, result)
    placed: dict[str, int] = {}
    fill = dict.fromkeys(HORIZONS, 0)
    items, deferred = [], []
    for rid in _order(chosen):
        model, rec, reasons = chosen[rid]
        earliest = 0
        for pre in rec.prerequisites:
            if pre in placed:
                # Large work is finished before what depends on it starts.
                step = 1 if chosen[pre][1].effort == "L" else 0
                earliest = max(earliest, placed[pre] + step)
            elif pre in chosen:
                earliest = len(HORIZONS)  # its prerequisite was itself deferred
        slot = next((h for h in range(earliest, len(HORIZONS)) if fill[HORIZONS[h]] < CAPS[HORIZONS[h]]), None)
        if slot is None:
            deferred.append(rid)
            continue
        placed[rid] = slot
        fill[HORIZONS[slot]] += 1
        prerequisites = tuple(p for p in rec.prerequisites if p in chosen)
        items.append((slot, rid, model, rec, prerequisites, reasons))
    items.sort(key=lambda i: i[0])  # stable: keeps dependency order inside each horizon
    credit = {m: r.author for m, r in bundle.rubrics.items()}
    return Roadmap(
        tuple(RoadmapItem(rid, model, credit[model], HORIZONS[slot], n, rec, pre, reasons)
              for n, (slot, rid, model, rec, pre, reasons) in enumerate(items, start=1)),
        tuple(deferred),
    )
