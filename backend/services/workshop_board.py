"""What a workshop's answers show: the facilitator's board, the results revealed to participants, and
the perception gaps between roles and departments. Read-only; the numbers come from backend/scoring/workshop.py.

Participants are anonymous on every shared screen: names appear only while the facilitator has them on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from sqlmodel import Session

from backend.content.bundle import QuestionnairePlan
from backend.content.schema import Question
from backend.scoring.workshop import QuestionStats, hottest_first, question_stats, score_group
from backend.services.context import Context, get_assessment
from backend.services.workshop_participants import participant_of
from backend.services.workshop_views import (
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
from backend.services.workshops import (
    consensus_public,
    consensus_rows,
    is_revealed,
    participant_answers,
    participants,
    sections_of,
    workshop_by_code,
    workshop_of,
    workshop_public,
)
from backend.storage.tables import Assessment, Consensus, Participant, Workshop

NOT_GIVEN = "not given"


@dataclass(frozen=True)
class Gathered:
    """Everything a workshop's views are computed from, read in one transaction."""

    workshop: Workshop
    plan: QuestionnairePlan
    people: dict[int, Participant]
    # question id -> participant id -> value
    given: dict[str, dict[int, str]]
    agreed: dict[str, Consensus]

    def values(self, question_id: str, members: Iterable[int] | None = None) -> dict[int, str]:
        """The answers to a question, of everyone or only of the given participants."""
        given = self.given.get(question_id, {})
        if members is None:
            return given
        chosen = set(members)
        return {p: v for p, v in given.items() if p in chosen}


def gather(ctx: Context, session: Session, workshop: Workshop) -> Gathered:
    """Read a workshop's participants, their answers and the consensus so far."""
    assessment = session.get(Assessment, workshop.assessment_id)
    given: dict[str, dict[int, str]] = {}
    for row in participant_answers(session, workshop.id):
        given.setdefault(row.question_id, {})[row.participant_id] = row.value
    people = {p.id: p for p in participants(session, workshop.id)}
    return Gathered(workshop, ctx.plan(assessment), people, given, consensus_rows(session, workshop.id))


def groups(people: Mapping[int, Participant], key: str) -> dict[str, list[int]]:
    """Participant ids by role or department, groups in alphabetical order."""
    found: dict[str, list[int]] = {}
    for person in people.values():
        found.setdefault(getattr(person, key).strip() or NOT_GIVEN, []).append(person.id)
    return dict(sorted(found.items()))


def _fields(stats: QuestionStats, names: Mapping[str, list[str]] | None = None) -> dict:
    names = names or {}
    counts = [CountView(value=c.value, label=c.label, score=c.score, count=c.count, names=sorted(names.get(c.value, []))) for c in stats.counts]
    return {
        "answered": stats.answered, "scored": stats.scored, "counts": counts, "median": stats.median,
        "median_value": stats.median_value, "spread": stats.spread, "agreement": stats.agreement,
    }


def _names(data: Gathered, given: Mapping[int, str]) -> dict[str, list[str]] | None:
    if not data.workshop.show_names:
        return None
    found: dict[str, list[str]] = {}
    for person_id, value in given.items():
        found.setdefault(value, []).append(data.people[person_id].name)
    return found


def _split(data: Gathered, question: Question, by: dict[str, list[int]]) -> list[GroupStats]:
    return [GroupStats(group=label, **_fields(question_stats(question, data.values(question.id, members).values()))) for label, members in by.items()]


def board(ctx: Context, assessment_id: int) -> BoardPublic:
    """The facilitator's live board: participation and, per question with the hottest disagreement first,
    the distribution, median, spread, consensus and the split by role and by department."""
    with ctx.db.read() as session:
        get_assessment(session, assessment_id)
        workshop = workshop_of(session, assessment_id)
        summary = workshop_public(session, workshop)
        data = gather(ctx, session, workshop)
    sections = sections_of(data.plan)
    roles, departments = groups(data.people, "role"), groups(data.people, "department")
    questions = {q.id: q for q in data.plan.questionnaire.questions}
    stats = {qid: question_stats(q, data.values(qid).values()) for qid, q in questions.items()}
    rows = []
    for qid in hottest_first(stats):
        question, section = questions[qid], sections[qid]
        agreed = data.agreed.get(qid)
        rows.append(QuestionBoard(
            question_id=qid, section_id=section, text=question.text, **_fields(stats[qid], _names(data, data.values(qid))),
            consensus=consensus_public(agreed) if agreed else None, participants=len(data.people),
            revealed=is_revealed(workshop, section, qid), locked=section in workshop.locked_sections,
            by_role=_split(data, question, roles), by_department=_split(data, question, departments),
        ))
    answered = {p for given in data.given.values() for p in given}
    people = []
    if workshop.show_names:
        per_person = {p: sum(1 for given in data.given.values() if p in given) for p in data.people}
        people = [PersonView(name=p.name, role=p.role, department=p.department, answered=per_person[p.id]) for p in data.people.values()]
    return BoardPublic(
        workshop=summary, participants=len(data.people), answering=len(answered), agreed=len(data.agreed),
        questions_total=len(questions), roles={k: len(v) for k, v in roles.items()},
        departments={k: len(v) for k, v in departments.items()}, people=people, questions=rows,
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
            given = data.values(question.id)
            agreed = data.agreed.get(question.id)
            results.append(QuestionResult(
                question_id=question.id, section_id=section.id, text=question.text,
                **_fields(question_stats(question, given.values()), _names(data, given)),
                consensus=consensus_public(agreed) if agreed else None,
            ))
    return results


def _levels(ctx: Context, data: Gathered, label: str, members: list[int]) -> GroupLevels:
    values = {qid: list(data.values(qid, members).values()) for qid in data.given}
    values = {qid: v for qid, v in values.items() if v}
    result = score_group(ctx.content, data.plan.questionnaire.id, values)
    models = [
        ModelLevel(model=m.model, title=m.title, kind=m.kind, level=m.level, level_name=m.level_name, progress=m.progress)
        for m in result.models.values() if m.level is not None
    ]
    return GroupLevels(group=label, participants=len(members), answered=len(values), models=models)


def _gaps(split: str, found: list[GroupLevels]) -> list[Gap]:
    answering = [g for g in found if g.answered]
    gaps = []
    for i, model in enumerate(answering[0].models if len(answering) > 1 else []):
        ranked = sorted(answering, key=lambda g: g.models[i].progress or 0.0)
        low, high = ranked[0], ranked[-1]
        difference = round((high.models[i].progress or 0.0) - (low.models[i].progress or 0.0), 4)
        if difference > 0:
            gaps.append(Gap(model=model.model, split=split, lowest=low.group, highest=high.group, difference=difference))
    return gaps


def perception_gaps(ctx: Context, assessment_id: int) -> GapsPublic:
    """Levels and stages per role and per department, each group scored on its median answers, and
    where groups see the organisation furthest apart."""
    with ctx.db.read() as session:
        get_assessment(session, assessment_id)
        data = gather(ctx, session, workshop_of(session, assessment_id))
    by_role = [_levels(ctx, data, label, members) for label, members in groups(data.people, "role").items()]
    by_department = [_levels(ctx, data, label, members) for label, members in groups(data.people, "department").items()]
    gaps = _gaps("role", by_role) + _gaps("department", by_department)
    return GapsPublic(
        everyone=_levels(ctx, data, "everyone", list(data.people)), by_role=by_role, by_department=by_department,
        gaps=sorted(gaps, key=lambda g: -g.difference),
    )
