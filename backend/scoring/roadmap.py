"""Turn triggered recommendations into an ordered roadmap in three horizons.

Order is by distance from where the organisation stands in each model (the next assessed rung first, and a step
answering a warning about what is already done as near), never by comparing one model's rung numbers with
another's; at each distance the models take turns. Equivalent recommendations from several models become one step
credited to all of them; a small organisation gets the small variant where one exists; a built-in step completes
the criteria that were not assessed.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from backend.content.bundle import ContentBundle
from backend.content.schema import Question, Recommendation, Task
from backend.scoring.conditions import Facts, Reason, evaluate, floors_of
from backend.scoring.models import AssessmentResult

HORIZONS = ("now", "next", "later")
# A quarter's worth of change a team can absorb; the rest waits for the next assessment.
CAPS = {"now": 3, "next": 4, "later": 6}
EFFORT_RANK = {"S": 0, "M": 1, "L": 2}
UNASSESSED = "complete_unassessed_sections"
UNASSESSED_MODEL = "assessment"
UNASSESSED_CREDIT = "Tribewise: completing the assessment"

Triggered = dict[str, tuple[str, Recommendation, tuple[Reason, ...]]]


@dataclass(frozen=True, slots=True)
class RoadmapItem:
    """One next step: what, why (the facts that triggered it), when, and every model that calls for it."""

    id: str
    model: str
    credit: str
    horizon: str
    position: int
    recommendation: Recommendation
    prerequisites: tuple[str, ...]
    reasons: tuple[Reason, ...]
    models: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()
    small: bool = False
    distance: int = 1

    @property
    def what(self) -> str:
        """What to do, in the variant used."""
        return self.recommendation.small.what if self.small else self.recommendation.what

    @property
    def owner(self) -> str:
        """The owner role, in the variant used."""
        return self.recommendation.small.owner if self.small else self.recommendation.owner

    @property
    def effort(self) -> str:
        """S, M or L, in the variant used."""
        return self.recommendation.small.effort if self.small else self.recommendation.effort

    @property
    def tasks(self) -> tuple[Task, ...]:
        """The tasks, in the variant used."""
        return self.recommendation.small.tasks if self.small else self.recommendation.tasks


@dataclass(frozen=True, slots=True)
class Roadmap:
    """Ordered items by horizon, the triggered ones left for a later assessment, and what was folded into what."""

    items: tuple[RoadmapItem, ...]
    deferred: tuple[str, ...]
    folded: dict[str, str] = field(default_factory=dict)

    def horizon(self, name: str) -> tuple[RoadmapItem, ...]:
        """The items planned for one horizon, in order."""
        return tuple(i for i in self.items if i.horizon == name)


def facts_of(
    result: AssessmentResult, questions: Mapping[str, Question] | None = None, floors: Mapping[str, float] | None = None
) -> Facts:
    """The facts a trigger may look at, taken from a scored assessment (and its models' defining floors)."""
    levels = {m: r.level for m, r in result.models.items() if r.level is not None}
    answers = {q: a for q, a in result.answers.items() if q in result.visible}
    return Facts(levels, result.criteria, result.findings, answers, result.models, questions or {}, floors or {})


def triggered(bundle: ContentBundle, result: AssessmentResult) -> Triggered:
    """Every recommendation whose trigger holds, with the reasons it holds."""
    facts = facts_of(result, bundle.plan(result.questionnaire_id).questions, floors_of(bundle.rubrics))
    found = {}
    for rec_id, (model, rec) in bundle.recommendations.items():
        holds, reasons = evaluate(rec.trigger, facts)
        if holds:
            found[rec_id] = (model, rec, reasons)
    return found


# -- equivalents ---------------------------------------------------------------------------------


def equivalence_groups(bundle: ContentBundle) -> dict[str, frozenset[str]]:
    """Each recommendation's group of equivalents (declared in either direction, and transitively)."""
    groups = {rid: {rid} for rid in bundle.recommendations}
    for rid, (_, rec) in bundle.recommendations.items():
        for other in rec.equivalent:
            if other in groups and groups[other] is not groups[rid]:
                merged = groups[rid] | groups[other]
                for member in merged:
                    groups[member] = merged
    return {rid: frozenset(members) for rid, members in groups.items()}


def _lead(bundle: ContentBundle, members: list[str], spine: str | None) -> str:
    """The step whose words lead a merged step: the spine model's, else the one declaring the equivalence."""
    order = {rid: n for n, rid in enumerate(bundle.recommendations)}

    def rank(rid: str) -> tuple:
        model, rec = bundle.recommendations[rid]
        return (model != spine, not rec.equivalent, order[rid])

    return min(members, key=rank)


# -- distance ------------------------------------------------------------------------------------


def spine_model(bundle: ContentBundle) -> str | None:
    """The ladder model (Surdak's socialfication) on whose scale profile and checklist steps are placed."""
    return next((m for m, r in bundle.rubrics.items() if r.kind == "ladder"), None)


def scale_of(bundle: ContentBundle, model: str) -> str | None:
    """The model whose rungs a recommendation's gate counts: its own, or the spine for a profile or checklist."""
    rubric = bundle.rubrics.get(model)
    if rubric is not None and rubric.kind in ("ladder", "stages"):
        return model
    return spine_model(bundle)


def _rungs_between(found, gate: int) -> int:
    """How many rungs lie from the stated level up to a gate, skipping rungs not assessed.

    A rung nobody could describe is the completion step's work, not the organisation's: it must not push the
    steps above it a horizon later (a hotel whose review of account activity is unknown still gets its
    rapid-response rung as the next one).
    """
    if found is None:
        return max(gate, 1)
    level = found.level or 0
    skipped = sum(1 for s in found.steps if level < s.number < gate and s.status == "not assessed")
    return max(gate - level - skipped, 1)


def answers_finding(reasons: tuple[Reason, ...], result: AssessmentResult) -> bool:
    """Whether a step was triggered by a warning or critical finding: a risk in what the organisation already does."""
    wanted = {r.finding for r in reasons if r.finding}
    return bool(wanted) and any(f.id in wanted and f.severity in ("warning", "critical") for f in result.findings)


def distance_of(
    bundle: ContentBundle, result: AssessmentResult, model: str, rec: Recommendation, reasons: tuple[Reason, ...] = ()
) -> int:
    """How many rungs away the work is: 1 for the next rung, or for a foundation missing under what is already
    done (a step answering a warning or critical finding); 2 for the rung after, and so on."""
    if answers_finding(reasons, result):
        return 1
    scale = scale_of(bundle, model)
    return _rungs_between(result.models.get(scale) if scale else None, rec.gate)


def _next_rung(bundle: ContentBundle, result: AssessmentResult, model: str, rec: Recommendation) -> bool:
    """Whether the step builds the next assessed rung of its own ladder or stage model."""
    rubric = bundle.rubrics.get(model)
    if rubric is None or rubric.kind not in ("ladder", "stages"):
        return False
    found = result.models.get(model)
    level = (found.level or 0) if found is not None else 0
    return rec.gate > level and _rungs_between(found, rec.gate) == 1


# -- not-assessed criteria -----------------------------------------------------------------------


def unassessed_recommendation(where: str) -> Recommendation:
    """The built-in step that completes an assessment, naming where (sections or criteria) it is incomplete."""
    return Recommendation.model_validate(
        {
            "id": UNASSESSED,
            "title": "Complete the unassessed sections with the people who know",
            "summary": (
                'Go through the questions left unanswered or at "don\'t know" with the people who know, because '
                "the steps that rest on them may be missing or misplaced."
            ),
            "what": (
                f'These parts were left at "don\'t know" or unanswered too often to judge: {where}. Find the people '
                "who run that work day to day, go through those questions with them, and rescore before acting on the "
                "parts of the roadmap that rest on them."
            ),
            "why": (
                "A practice nobody could describe is neither in place nor absent: until it is assessed, the level or stage "
                "that rests on it is provisional and steps that depend on it may be missing or misplaced."
            ),
            "effort": "S",
            "impact": 3,
            "owner": "The assessment's consultant",
            "success_measure": "Every criterion the questionnaire asks about is assessed at the next scoring.",
            "gate": 0,
            "trigger": {"finding": "assessment.not_assessed"},
        }
    )


def unassessed_step(
    bundle: ContentBundle, result: AssessmentResult
) -> tuple[Recommendation, tuple[Reason, ...]] | None:
    """The built-in step that completes the sections whose criteria were not assessed."""
    missing = [cr for cr in result.criteria.values() if cr.status == "not assessed"]
    if not missing:
        return None
    ids = {cr.id for cr in missing}
    plan = bundle.plans.get(result.questionnaire_id)
    open_questions = {
        c.question_id for cr in missing for c in cr.contributions if c.status in ("dont_know", "unanswered")
    }
    sections = (
        [
            s.title
            for s in plan.questionnaire.sections
            if any(q.id in open_questions and q.criterion in ids for q in s.questions)
        ]
        if plan
        else []
    )
    names = ", ".join(cr.name for cr in missing)
    rec = unassessed_recommendation("; ".join(sections) if sections else names)
    reasons = (
        Reason(
            "fact",
            f"{len(missing)} criteri{'a' if len(missing) != 1 else 'on'} not assessed: {names}",
            contributions=tuple(
                c for cr in missing for c in cr.contributions if c.status in ("dont_know", "unanswered")
            ),
        ),
    )
    return rec, reasons


# -- planning ------------------------------------------------------------------------------------


@dataclass
class _Step:
    id: str
    model: str
    rec: Recommendation
    reasons: tuple[Reason, ...]
    members: list[str]
    prerequisites: set[str]
    distance: int
    small: bool
    models: set[str] = field(default_factory=set)  # every model a member comes from
    next_for: set[str] = field(default_factory=set)  # the models whose next rung or stage it builds
    spine_next: bool = False  # it builds the next rung of Surdak's ladder, the spine
    turn: int = 0  # its place among its models' steps at the same distance (0: some model's first)

    @property
    def effort(self) -> str:
        return self.rec.small.effort if self.small and self.rec.small else self.rec.effort

    def own_key(self, model: str) -> tuple:
        """The order among one model's steps: that model's next rung, urgent, impact, effort."""
        return (model not in self.next_for, not self.rec.urgent, -self.rec.impact, EFFORT_RANK[self.effort], self.id)

    def key(self) -> tuple:
        # Round-robin by model: each model's first step at a distance before any model's second.
        return (
            self.distance,
            self.turn,
            not self.spine_next,
            not self.next_for,
            not self.rec.urgent,
            -self.rec.impact,
            EFFORT_RANK[self.effort],
            self.id,
        )


def _take_turns(steps: dict[str, _Step]) -> None:
    """Number each model's steps at each distance in that model's order; a merged step takes its best turn."""
    by_model: dict[tuple[str, int], list[_Step]] = {}
    for step in steps.values():
        for model in step.models:
            by_model.setdefault((model, step.distance), []).append(step)
    for step in steps.values():
        step.turn = len(steps)
    for (model, _), group in by_model.items():
        for turn, step in enumerate(sorted(group, key=lambda st: st.own_key(model))):
            step.turn = min(step.turn, turn)


def _merge(
    bundle: ContentBundle, result: AssessmentResult, chosen: Triggered, small: bool
) -> tuple[dict[str, _Step], dict[str, str]]:
    """One step per group of equivalent triggered recommendations, led by one, with all their reasons."""
    groups = equivalence_groups(bundle)
    spine = spine_model(bundle)
    lead_of: dict[str, str] = {}
    for rid in chosen:
        if rid not in lead_of:
            members = [m for m in bundle.recommendations if m in groups[rid] and m in chosen]
            lead = _lead(bundle, members, spine)
            lead_of.update(dict.fromkeys(members, lead))
    steps: dict[str, _Step] = {}
    for rid, (model, rec, reasons) in chosen.items():
        lead = lead_of[rid]
        distance = distance_of(bundle, result, model, rec, reasons)
        if lead not in steps:
            lead_model, lead_rec, _ = chosen[lead]
            steps[lead] = _Step(
                lead, lead_model, lead_rec, (), [], set(), distance, small and lead_rec.small is not None
            )
        step = steps[lead]
        step.members.append(rid)
        step.reasons += reasons
        step.distance = min(step.distance, distance)
        step.models.add(model)
        if _next_rung(bundle, result, model, rec):
            step.next_for.add(model)
            step.spine_next = step.spine_next or model == spine
        step.prerequisites |= {lead_of.get(p, p) for p in rec.prerequisites if p in chosen}
    for step in steps.values():
        step.prerequisites.discard(step.id)
        # The lead's reasons first, then each equivalent's, without repeating a fact.
        step.reasons = tuple(dict.fromkeys(step.reasons))
    folded = {rid: lead for rid, lead in lead_of.items() if rid != lead}
    return steps, folded


def _order(steps: dict[str, _Step]) -> list[str]:
    """Prerequisites first; among ready steps the nearest rung, each model in turn, the next rung, urgent, impact, effort."""
    _take_turns(steps)
    dependents: dict[str, list[str]] = {rid: [] for rid in steps}
    for rid, step in steps.items():
        for pre in step.prerequisites:
            dependents[pre].append(rid)
    keys: dict[str, tuple] = {}

    def key(rid: str) -> tuple:
        # A prerequisite is as pressing as the most pressing step waiting for it.
        if rid not in keys:
            own = steps[rid].key()
            keys[rid] = min([own] + [key(d)[:-1] + (rid,) for d in dependents[rid]])
        return keys[rid]

    waiting = {rid: set(step.prerequisites) for rid, step in steps.items()}
    ready = [key(rid) for rid, pre in waiting.items() if not pre]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        rid = heapq.heappop(ready)[-1]
        order.append(rid)
        for other in dependents[rid]:
            waiting[other].discard(rid)
            if not waiting[other]:
                heapq.heappush(ready, key(other))
    return order


def plan_roadmap(bundle: ContentBundle, result: AssessmentResult, small: bool = False) -> Roadmap:
    """Place triggered recommendations in now / next / later by distance, never before their prerequisites."""
    steps, folded = _merge(bundle, result, triggered(bundle, result), small)
    placed: dict[str, int] = {}
    fill = dict.fromkeys(HORIZONS, 0)
    planned, deferred = [], []
    for rid in _order(steps):
        step = steps[rid]
        earliest = 0
        for pre in step.prerequisites:
            if pre in placed:
                # Large work is finished before what depends on it starts.
                earliest = max(earliest, placed[pre] + (1 if steps[pre].effort == "L" else 0))
            else:
                earliest = len(HORIZONS)  # its prerequisite was itself deferred
        slot = next((h for h in range(earliest, len(HORIZONS)) if fill[HORIZONS[h]] < CAPS[HORIZONS[h]]), None)
        if slot is None:
            deferred.append(rid)
            continue
        placed[rid] = slot
        fill[HORIZONS[slot]] += 1
        planned.append((slot, step))
    planned.sort(key=lambda i: i[0])  # stable: keeps dependency order inside each horizon
    credit = {m: r.author for m, r in bundle.rubrics.items()}
    items = []
    builtin = unassessed_step(bundle, result)
    if builtin is not None:
        # Finishing the assessment is the consultant's work, not the organisation's: it takes no place in the caps.
        rec, reasons = builtin
        items.append(
            RoadmapItem(
                UNASSESSED,
                UNASSESSED_MODEL,
                UNASSESSED_CREDIT,
                "now",
                0,
                rec,
                (),
                reasons,
                (UNASSESSED_MODEL,),
                (UNASSESSED_CREDIT,),
                distance=0,
            )
        )
    for slot, step in planned:
        models = tuple(dict.fromkeys([step.model] + [bundle.recommendations[m][0] for m in step.members]))
        items.append(
            RoadmapItem(
                step.id,
                step.model,
                credit[step.model],
                HORIZONS[slot],
                0,
                step.rec,
                tuple(sorted(step.prerequisites, key=lambda p: (placed.get(p, len(HORIZONS)), p))),
                step.reasons,
                models,
                tuple(dict.fromkeys(credit[m] for m in models)),
                tuple(m for m in step.members if m != step.id),
                step.small,
                step.distance,
            )
        )
    items = [replace(item, position=n) for n, item in enumerate(items, start=1)]
    return Roadmap(tuple(items), tuple(deferred), folded)
