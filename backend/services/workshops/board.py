"""What a workshop's answers show: the facilitator's board, the results revealed to participants, and
the perception gaps between roles and departments. Read-only; the numbers come from backend/scoring/workshop.py.

Participants are anonymous on every shared screen: names appear only while the facilitator has them on,
and a role or department with fewer than the minimum group size (TRIBEWISE_MIN_GROUP_SIZE) shows folded
into "other"; so does, per question, a group fewer of whom answered it. No split shows one person's answers.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from threading import Lock

from cachetools import LRUCache, cached

from backend.content.bundle import QuestionnairePlan
from backend.content.schema import Question
from backend.schemas.workshops import (
    BoardPublic,
    CountView,
    Gap,
    GapsPublic,
    GroupLevels,
    GroupStats,
    ModelLevel,
    PersonView,
    QuestionBoard,
    QuestionResult,
)
from backend.scoring.workshop import (
    OTHER,
    QuestionStats,
    fold_answers,
    fold_small_groups,
    hottest_first,
    question_stats,
    score_group,
)
from backend.services.kernel.context import Context, get_assessment
from backend.services.workshops.participants import participant_of
from backend.services.workshops.workshops import (
    consensus_public,
    is_locked,
    is_revealed,
    sections_of,
    workshop_by_code,
    workshop_of,
    workshop_public,
)
from backend.storage.db import Session
from backend.storage.queries.workshops import (
    answer_counts,
    answering_count,
    board_figures,
    consensus_in,
    participant_answers,
    participants_in,
)
from backend.storage.tables import Assessment, Consensus, Participant, Workshop

NOT_GIVEN = "not given"
SPLITS = ("role", "department")
Tally = Mapping[str, int]  # answer value -> how many gave it


@dataclass(frozen=True)
class Gathered:
    """Everything a workshop's views are computed from, read in one transaction. The answers come
    counted by the database (per question, value and role or department), so a board over thousands
    of answers costs little of the server's time; who gave which answer is read only while names show."""

    workshop: Workshop
    plan: QuestionnairePlan
    people: dict[int, Participant]
    splits: dict[str, dict[str, list[int]]]  # "role" or "department" -> group as shown -> participant ids
    everyone: dict[str, Counter]  # question id -> value counts
    # (question id, "role" or "department", group as shown) -> value counts; a group fewer of whom answered the
    # question than the minimum group size has its answers to it in "other" (fold_answers).
    by_group: dict[tuple[str, str, str], Counter]
    names: dict[str, dict[str, list[str]]]  # question id -> value -> who gave it, while names are on
    answering: int  # participants who answered anything
    answered_by_person: dict[int, int]  # participant id -> answers given, while names are on
    agreed: dict[str, Consensus]

    def tally(self, question_id: str, split: str, group: str) -> Tally:
        return self.by_group.get((question_id, split, group), {})


def group_label(raw: str) -> str:
    """A role or department as groups show it."""
    return raw.strip() or NOT_GIVEN


def gather(ctx: Context, session: Session, workshop: Workshop) -> Gathered:
    """Read a workshop's participants, their answers counted, and the consensus so far."""
    assessment = session.get(Assessment, workshop.assessment_id)
    people = {p.id: p for p in participants_in(session, workshop.id)}
    shown_as = {
        split: fold_small_groups(Counter(group_label(getattr(p, split)) for p in people.values()), ctx.min_group_size)
        for split in SPLITS
    }
    everyone: dict[str, Counter] = defaultdict(Counter)
    per_question = {split: defaultdict(lambda: defaultdict(Counter)) for split in SPLITS}
    shown: dict[tuple[str, str], str] = {}  # (split, group as entered) -> group as shown
    for question_id, value, role, department, count in answer_counts(session, workshop.id):
        everyone[question_id][value] += count
        for split, group in zip(SPLITS, (role, department), strict=True):
            if (split, group) not in shown:
                # Someone who joined between the two reads has no group yet: "other" keeps them unnamed.
                shown[split, group] = shown_as[split].get(group_label(group), OTHER)
            per_question[split][question_id][shown[split, group]][value] += count
    by_group: dict[tuple[str, str, str], Counter] = {}
    for split in SPLITS:
        for question_id, tallies in per_question[split].items():
            for group, tally in fold_answers(tallies, ctx.min_group_size).items():
                by_group[question_id, split, group] = tally
    splits = {split: groups(people, split, shown_as[split]) for split in SPLITS}
    names: dict[str, dict[str, list[str]]] = {}
    per_person: dict[int, int] = {}
    if workshop.show_names:
        for person, question_id, value in participant_answers(session, workshop.id):
            names.setdefault(question_id, {}).setdefault(value, []).append(people[person].name)
            per_person[person] = per_person.get(person, 0) + 1
    return Gathered(
        workshop,
        ctx.plan(assessment),
        people,
        splits,
        dict(everyone),
        dict(by_group),
        names,
        answering_count(session, workshop.id),
        per_person,
        {row.question_id: row for row in consensus_in(session, workshop.id)},
    )


def groups(people: Mapping[int, Participant], key: str, shown_as: Mapping[str, str]) -> dict[str, list[int]]:
    """Participant ids by role or department as the split shows them, groups in alphabetical order, "other" last."""
    found: dict[str, list[int]] = {}
    for person in people.values():
        found.setdefault(shown_as[group_label(getattr(person, key))], []).append(person.id)
    return dict(sorted(found.items(), key=lambda item: (item[0] == OTHER, item[0])))


def _fields(stats: QuestionStats, names: Mapping[str, list[str]] | None = None) -> dict:
    names = names or {}
    # Built without validation: the board builds thousands of these from our own numbers every poll.
    counts = [CountView(c.value, c.label, c.score, c.count, sorted(names.get(c.value, ()))) for c in stats.counts]
    return {
        "answered": stats.answered,
        "scored": stats.scored,
        "counts": counts,
        "median": stats.median,
        "median_value": stats.median_value,
        "spread": stats.spread,
        "agreement": stats.agreement,
    }


# A board works out every question's figures for everyone and for each role and department (about 1,100 for the
# full diagnostic) on every poll, and between two polls most tallies have not changed: the figures are kept per
# process, keyed by the questionnaire's content, the question and its tally, so a changed tally is a new key.
# Without names only: names change what a figure shows and are on for small rooms.
@cached(
    LRUCache(maxsize=20_000),
    key=lambda plan, question, tally: (plan.content_hash, question.id, *sorted(tally.items())),
    lock=Lock(),
)
def _figures(plan: QuestionnairePlan, question: Question, tally: Tally) -> tuple[QuestionStats, dict]:
    stats = question_stats(question, tally)
    return stats, _fields(stats)


def figures_of(plan: QuestionnairePlan, question: Question, tally: Tally) -> dict:
    """A question's counts, median and spread from its tally, as StatsView's fields (kept per process)."""
    return _figures(plan, question, tally)[1]


def _split(data: Gathered, question: Question, split: str, by: Mapping[str, list[int]]) -> list[GroupStats]:
    # Only groups with answers to this question as folded for it, "other" last: it can hold answers
    # folded for this question even when every group showed by who joined.
    labels = [*by] + ([] if OTHER in by else [OTHER])
    return [
        GroupStats.model_construct(group=label, **_figures(data.plan, question, tally)[1])
        for label in labels
        if (tally := data.tally(question.id, split, label))
    ]


def board_stamp(ctx: Context, assessment_id: int) -> str:
    """A short fingerprint of everything the board shows, read in a few counts: it changes whenever the board
    would, so an unchanged poll is answered without building the board."""
    with ctx.db.read() as session:
        get_assessment(session, assessment_id)
        workshop = workshop_of(session, assessment_id)
        figures = board_figures(session, workshop.id)
    settings = workshop.model_dump(exclude={"created_at", "created_by"})
    seen = repr((ctx.content.content_hash, ctx.min_group_size, sorted(settings.items()), figures))
    return hashlib.blake2b(seen.encode(), digest_size=12).hexdigest()


def board(ctx: Context, assessment_id: int) -> BoardPublic:
    """The facilitator's live board: participation and, per question with the hottest disagreement first,
    the distribution, median, spread, consensus and the split by role and by department."""
    with ctx.db.read() as session:
        get_assessment(session, assessment_id)
        workshop = workshop_of(session, assessment_id)
        summary = workshop_public(session, workshop)
        data = gather(ctx, session, workshop)
    sections = sections_of(data.plan)
    roles, departments = data.splits["role"], data.splits["department"]
    questions = {q.id: q for q in data.plan.questionnaire.questions}
    figures = {qid: _figures(data.plan, q, data.everyone.get(qid, {})) for qid, q in questions.items()}
    rows = []
    for qid in hottest_first({qid: stats for qid, (stats, _) in figures.items()}):
        question, section = questions[qid], sections[qid]
        agreed = data.agreed.get(qid)
        stats, fields = figures[qid]
        rows.append(
            QuestionBoard(
                question_id=qid,
                section_id=section,
                text=question.text,
                **(_fields(stats, data.names[qid]) if qid in data.names else fields),
                consensus=consensus_public(agreed) if agreed else None,
                participants=len(data.people),
                revealed=is_revealed(workshop, section, qid),
                locked=is_locked(workshop, section, qid),
                by_role=_split(data, question, "role", roles),
                by_department=_split(data, question, "department", departments),
            )
        )
    people = []
    if workshop.show_names:
        people = [
            PersonView(name=p.name, role=p.role, department=p.department, answered=data.answered_by_person.get(p.id, 0))
            for p in data.people.values()
        ]
    return BoardPublic(
        workshop=summary,
        participants=len(data.people),
        answering=data.answering,
        agreed=len(data.agreed),
        questions_total=len(questions),
        roles={k: len(v) for k, v in roles.items()},
        departments={k: len(v) for k, v in departments.items()},
        people=people,
        questions=rows,
    )


def revealed_results(ctx: Context, code: str, token: str) -> list[QuestionResult]:
    """The results the facilitator has revealed, in questionnaire order, for a participant of this workshop; nothing else."""
    with ctx.db.read() as session:
        workshop = workshop_by_code(session, code)
        participant_of(session, workshop, token)
        data = gather(ctx, session, workshop)
    results = []
    for section in data.plan.questionnaire.sections:
        for question in section.questions:
            if not is_revealed(workshop, section.id, question.id):
                continue
            agreed = data.agreed.get(question.id)
            results.append(
                QuestionResult(
                    question_id=question.id,
                    section_id=section.id,
                    text=question.text,
                    **_fields(
                        question_stats(question, data.everyone.get(question.id, {})), data.names.get(question.id)
                    ),
                    consensus=consensus_public(agreed) if agreed else None,
                )
            )
    return results


def _levels(ctx: Context, data: Gathered, label: str, members: int, tallies: Mapping[str, Tally]) -> GroupLevels:
    answered = {qid: tally for qid, tally in tallies.items() if tally}
    result = score_group(ctx.content, data.plan.questionnaire.id, answered)
    models = [
        ModelLevel(
            model=m.model,
            title=m.title,
            kind=m.kind,
            level=m.level,
            level_name=m.level_name,
            progress=m.progress,
            provisional=m.provisional,
        )
        for m in result.models.values()
        if m.kind in ("ladder", "stages")
    ]
    return GroupLevels(group=label, participants=members, answered=len(answered), models=models)


def _group_levels(ctx: Context, data: Gathered, split: str) -> list[GroupLevels]:
    return [
        _levels(ctx, data, label, len(members), {qid: data.tally(qid, split, label) for qid in data.everyone})
        for label, members in data.splits[split].items()
    ]


def _gaps(split: str, found: list[GroupLevels]) -> list[Gap]:
    answering = [g for g in found if g.answered]
    gaps = []
    for i, model in enumerate(answering[0].models if len(answering) > 1 else []):
        # A group whose answers leave the model not assessed has no level to compare.
        placed = [g for g in answering if g.models[i].progress is not None]
        if len(placed) < 2:
            continue
        ranked = sorted(placed, key=lambda g: g.models[i].progress)
        low, high = ranked[0], ranked[-1]
        difference = round(high.models[i].progress - low.models[i].progress, 4)
        if difference > 0:
            gaps.append(
                Gap(model=model.model, split=split, lowest=low.group, highest=high.group, difference=difference)
            )
    return gaps


def perception_gaps(ctx: Context, assessment_id: int) -> GapsPublic:
    """Levels and stages per role and per department, each group scored on its median answers, and
    where groups see the organisation furthest apart."""
    with ctx.db.read() as session:
        get_assessment(session, assessment_id)
        data = gather(ctx, session, workshop_of(session, assessment_id))
    by_role, by_department = _group_levels(ctx, data, "role"), _group_levels(ctx, data, "department")
    gaps = _gaps("role", by_role) + _gaps("department", by_department)
    return GapsPublic(
        everyone=_levels(ctx, data, "everyone", len(data.people), data.everyone),
        by_role=by_role,
        by_department=by_department,
        gaps=sorted(gaps, key=lambda g: -g.difference),
    )
