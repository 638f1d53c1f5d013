"""Pure statistics of a workshop: how a group's answers spread, where the group sits, how far it agrees.

Every answer is placed by its option's score (0 to 1). The spread is the standard deviation of those
scores divided by its largest possible value, 0.5 (half the group at each end of the scale), so it runs
from 0 (everyone gave the same score) to 1 (the group split between the extremes). Agreement is one
minus the spread. "Don't know" and "not applicable" are counted but have no score, so they neither
widen nor narrow the spread.

A result's confidence is multiplied by the agreement behind its answers (with_agreement).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from math import fsum, sqrt

from backend.content.bundle import ContentBundle
from backend.content.schema import DONT_KNOW, NOT_APPLICABLE, RESERVED_LABELS, Option, Question
from backend.scoring.confidence import confidence_of
from backend.scoring.engine import score_assessment
from backend.scoring.models import Answer, AssessmentResult

MAX_SD = 0.5
# Splits by role and department show on shared screens: a group smaller than this would show its
# members' own answers, so it is folded into OTHER (TRIBEWISE_MIN_GROUP_SIZE changes it).
MIN_GROUP_SIZE = 3
OTHER = "other"
# Bands of spread, for the facilitator's console and the presenter (labels.py words them). A spread of 0.25 or
# less is a room within about one step of the scale of itself (three answers of 0.75, 0.75 and 1 are 0.24), so its
# median may be accepted without discussion. From 0.5 the standard deviation is a quarter of the whole scale: the
# room sits on both sides of the middle (two neighbouring options half each reach 0.45 at most on a 0/0.3/0.75/1
# scale), and an agreed answer needs a sentence saying why the group settled on it.
LOW_SPREAD = 0.25
HIGH_SPREAD = 0.5


@dataclass(frozen=True, slots=True)
class Count:
    """How many gave one answer (an option, don't know or not applicable)."""

    value: str
    label: str
    score: float | None
    count: int


@dataclass(frozen=True, slots=True)
class QuestionStats:
    """How a group answered one question."""

    answered: int
    scored: int
    counts: tuple[Count, ...]
    median: float | None
    median_value: str | None
    spread: float | None

    @property
    def agreement(self) -> float | None:
        """One minus the spread; None when nobody chose an option."""
        return None if self.spread is None else round(1.0 - self.spread, 4)


def spread_band(spread: float | None) -> str | None:
    """'low' (0.25 or less), 'some' or 'high' (0.5 or more); None while nobody chose an option."""
    if spread is None:
        return None
    return "low" if spread <= LOW_SPREAD else "high" if spread >= HIGH_SPREAD else "some"


def needs_rationale(stats: QuestionStats) -> bool:
    """Whether agreeing on this question needs a rationale: the room disagreed (a high spread)."""
    return spread_band(stats.spread) == "high"


def median_acceptable(stats: QuestionStats, minimum: int) -> bool:
    """Whether the group's median may be accepted as agreed without discussion: at least `minimum` (and at
    least two) chose an option and the spread is low."""
    return stats.scored >= max(2, minimum) and stats.median_value is not None and spread_band(stats.spread) == "low"


def median_score(scored: Sequence[tuple[float, int]]) -> float | None:
    """The median score (the mean of the middle two for an even count), None for none. The scores come as
    (score, how many gave it) pairs in any order: a board counts hundreds of answers per question."""
    total = sum(n for _, n in scored)
    if not total:
        return None
    low, high = (total - 1) // 2, total // 2  # positions of the middle one or two, counting from 0
    seen, found = 0, []
    for score, n in sorted(scored):
        found += [score] * ((seen <= low < seen + n) + (seen <= high < seen + n))
        seen += n
    return round(fsum(found) / 2, 4)


def spread_of(scored: Sequence[tuple[float, int]]) -> float | None:
    """The population standard deviation of the scores over its maximum 0.5: 0 (unanimous) to 1 (split at the
    ends). The scores come as (score, how many gave it) pairs."""
    total = sum(n for _, n in scored)
    if not total:
        return None
    # In floats: statistics.pstdev works in exact fractions, far too slow for a board read every 2 s.
    mean = fsum(s * n for s, n in scored) / total
    deviation = sqrt(fsum(n * (s - mean) ** 2 for s, n in scored) / total)
    return round(min(1.0, deviation / MAX_SD), 4)


def nearest_option(options: Sequence[Option], score: float) -> Option:
    """The option whose score is nearest; a tie goes to the lower one, so a split group never overclaims."""
    # Rounded, so (0.3 + 0.75) / 2 is as near to 0.3 as to 0.75 despite floating point.
    return min(options, key=lambda o: (round(abs(o.score - score), 9), o.score))


def question_stats(question: Question, values: Iterable[str] | Mapping[str, int]) -> QuestionStats:
    """Counts per option (then don't know and not applicable), median, the option nearest it, and spread.
    The answers come as a list of values or counted (value -> how many)."""
    tally = values if isinstance(values, Mapping) else Counter(values)
    counts = [Count(o.value, o.label, o.score, tally.get(o.value, 0)) for o in question.options]
    scored = [(c.score, c.count) for c in counts if c.count]
    counts += [Count(v, label, None, tally[v]) for v, label in RESERVED_LABELS.items() if tally.get(v)]
    middle = median_score(scored)
    return QuestionStats(
        answered=sum(c.count for c in counts),
        scored=sum(n for _, n in scored),
        counts=tuple(counts),
        median=middle,
        median_value=nearest_option(question.options, middle).value if middle is not None else None,
        spread=spread_of(scored),
    )


def fold_small_groups(sizes: Mapping[str, int], minimum: int) -> dict[str, str]:
    """Where each group shows in a split: under its own name when it has at least `minimum` participants,
    else in OTHER (as does a group already called that). While OTHER would hold some participants but
    fewer than `minimum`, the smallest group still shown joins it too: the groups shown, taken from the
    whole, would otherwise give away the few in OTHER."""
    shown = {g for g, n in sizes.items() if n >= minimum and g != OTHER}
    folded = sum(n for g, n in sizes.items() if g not in shown)
    while 0 < folded < minimum and shown:
        smallest = min(shown, key=lambda g: (sizes[g], g))
        shown.discard(smallest)
        folded += sizes[smallest]
    return {g: g if g in shown else OTHER for g in sizes}


def fold_answers(tallies: Mapping[str, Mapping[str, int]], minimum: int) -> dict[str, Counter]:
    """One question's answer counts (value -> how many) per group as a split shows them: a group fewer than
    `minimum` of whose members answered this question is folded into OTHER, by fold_small_groups. A participant
    gives one answer per question, so a group's counts add up to how many of it answered."""
    # Folding by who joined is not enough: one answer from a group of three joined would show as the group's own.
    shown_as = fold_small_groups({g: sum(t.values()) for g, t in tallies.items()}, minimum)
    folded: dict[str, Counter] = defaultdict(Counter)
    for group, tally in tallies.items():
        folded[shown_as[group]].update(tally)
    return {g: t for g, t in folded.items() if t.total()}


def hottest_first(stats: Mapping[str, QuestionStats]) -> list[str]:
    """Question ids, widest spread first; among equals the more answered, then the given order."""
    order = {qid: i for i, qid in enumerate(stats)}
    return sorted(stats, key=lambda qid: (-(stats[qid].spread or 0.0), -stats[qid].scored, order[qid]))


def group_answer(question: Question, values: Iterable[str] | Mapping[str, int]) -> str | None:
    """What a group answers as one: the option nearest its median score, else don't know, else not applicable.
    The answers come as a list of values or counted (value -> how many)."""
    tally = Counter(values)
    stats = question_stats(question, tally)
    if stats.median_value is not None:
        return stats.median_value
    return next((v for v in (DONT_KNOW, NOT_APPLICABLE) if tally[v]), None)


def score_group(
    bundle: ContentBundle, questionnaire_id: str, values: Mapping[str, Iterable[str] | Mapping[str, int]]
) -> AssessmentResult:
    """Score a group's answers (per question id, values listed or counted) as if the group had answered as one."""
    plan = bundle.plan(questionnaire_id)
    answers = []
    for question_id, given in values.items():
        question = plan.questions.get(question_id)
        value = group_answer(question, given) if question else None
        if value is not None:
            answers.append(Answer(question_id, value))
    return score_assessment(bundle, questionnaire_id, answers)


def agreement_of(spreads: Iterable[float], answered: int) -> float | None:
    """One minus the mean spread over `answered` questions, those not agreed in a workshop counting as
    no disagreement; None when no spread is known."""
    values = list(spreads)
    return round(1.0 - sum(values) / max(answered, len(values)), 4) if values else None


def with_agreement(result: AssessmentResult, spreads: Mapping[str, float]) -> AssessmentResult:
    """The result with each confidence multiplied by the agreement behind its answers.

    `spreads` holds, per question the group agreed on, the spread of the participants' scores when it
    did. A model's agreement is taken over the answered questions feeding its criteria, the overall one
    over all answered questions: one split question lowers confidence by its share, not wholesale.
    """
    if not spreads:
        return result

    def agreement(criterion_ids: Iterable[str]) -> float | None:
        contributions = [c for cid in criterion_ids for c in result.criteria[cid].contributions]
        answered = {c.question_id for c in contributions if c.status == "answered"}
        agreed = {c.question_id for c in contributions if c.question_id in spreads}
        return agreement_of([spreads[q] for q in agreed], len(answered | agreed))

    models = {
        name: replace(m, confidence=confidence_of([result.criteria[c] for c in m.criteria], agreement(m.criteria)))
        for name, m in result.models.items()
    }
    overall = confidence_of(result.criteria.values(), agreement(result.criteria))
    return replace(result, models=models, confidence=overall)
