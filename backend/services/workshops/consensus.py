"""The facilitator's console: the questions in the order the room goes through them, how the room stands on
each, and the group's medians accepted at once where the room agrees.

A median may be accepted without discussion when at least the minimum group size (and at least two) chose an
option, the spread is low (backend/scoring/workshop.py: LOW_SPREAD) and nothing is agreed on it yet. One
transaction records them all, each through the assessment's usual answer save (history and audit log), or none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from backend.content.bundle import QuestionnairePlan
from backend.content.schema import Question
from backend.labels import MEDIAN_RATIONALE, answer_label, no_longer_qualifies_text
from backend.schemas.views import AnswerPut
from backend.schemas.workshops import BoardPublic, ConsensusPublic, MedianCandidate, QuestionBoard
from backend.scoring.workshop import QuestionStats, median_acceptable, question_stats, spread_band
from backend.services.assessments.answers import store_answer_in
from backend.services.kernel.context import Context, get_assessment
from backend.services.kernel.errors import Conflict, NotFound
from backend.services.workshops.workshops import consensus_public, put_consensus, workshop_of
from backend.storage.db import IntegrityError, Session
from backend.storage.queries.workshops import answer_counts, consensus_in
from backend.storage.tables import Workshop


@dataclass(frozen=True, slots=True)
class ConsoleRow:
    """One question of the console: its number in the questionnaire and how the room stands on it."""

    number: int
    question: Question
    board: QuestionBoard
    band: str | None  # spread_band: 'low', 'some', 'high', or None before anyone chose an option
    current: bool

    @property
    def agreed_label(self) -> str | None:
        """The agreed answer as participants read it, or None while nothing is agreed."""
        agreed = self.board.consensus
        return answer_label(self.question, agreed.value) if agreed else None

    @property
    def median_label(self) -> str | None:
        """The option nearest the room's median, or None while nobody chose one."""
        return answer_label(self.question, self.board.median_value) if self.board.median_value else None


@dataclass(frozen=True, slots=True)
class ConsoleSection:
    """A section of the questionnaire with its questions; `current` when the room is on one of them."""

    number: int
    section_id: str
    title: str
    rows: tuple[ConsoleRow, ...]
    current: bool

    @property
    def agreed(self) -> int:
        """How many of its questions have an agreed answer."""
        return sum(1 for r in self.rows if r.board.consensus)


def console_sections(plan: QuestionnairePlan, board: BoardPublic) -> list[ConsoleSection]:
    """The board's questions in questionnaire order, section by section, the room's current question marked."""
    rows = {q.question_id: q for q in board.questions}
    current = board.workshop.current_question
    sections, number = [], 0
    for index, section in enumerate(plan.questionnaire.sections, start=1):
        found = []
        for question in section.questions:
            number += 1
            shown = rows[question.id]
            found.append(ConsoleRow(number, question, shown, spread_band(shown.spread), question.id == current))
        here = any(r.current for r in found)
        sections.append(ConsoleSection(index, section.id, section.title, tuple(found), here))
    return sections


def tallies(session: Session, workshop_id: int) -> dict[str, Counter]:
    """Per question, how many gave each answer (everyone, no split)."""
    counted: dict[str, Counter] = {}
    for question_id, value, _, _, count in answer_counts(session, workshop_id):
        counted.setdefault(question_id, Counter())[value] += count
    return counted


def _qualifying(
    ctx: Context, plan: QuestionnairePlan, everyone: Mapping[str, Counter], agreed: set[str]
) -> dict[str, tuple[MedianCandidate, QuestionStats]]:
    found = {}
    for section in plan.questionnaire.sections:
        for question in section.questions:
            if question.id in agreed:
                continue
            stats = question_stats(question, everyone.get(question.id, {}))
            if not median_acceptable(stats, ctx.min_group_size):
                continue
            candidate = MedianCandidate(
                question_id=question.id,
                section_id=section.id,
                text=question.text,
                answered=stats.answered,
                scored=stats.scored,
                spread=stats.spread,
                value=stats.median_value,
                label=answer_label(question, stats.median_value),
            )
            found[question.id] = (candidate, stats)
    return found


def _agreed(session: Session, workshop: Workshop) -> set[str]:
    return {row.question_id for row in consensus_in(session, workshop.id)}


def median_candidates(ctx: Context, assessment_id: int) -> list[MedianCandidate]:
    """The review list: questions whose median may be accepted (enough answers, low spread, not agreed yet),
    in questionnaire order, each with the answer accepting it would record."""
    with ctx.db.read() as session:
        assessment = get_assessment(session, assessment_id)
        workshop = workshop_of(session, assessment_id)
        found = _qualifying(ctx, ctx.plan(assessment), tallies(session, workshop.id), _agreed(session, workshop))
    return [candidate for candidate, _ in found.values()]


def accept_medians(ctx: Context, assessment_id: int, question_ids: Sequence[str]) -> list[ConsensusPublic]:
    """Record the group's median as the agreed answer on each question, all in one transaction, the rationale
    saying it was accepted from a low spread. Refused whole (409, nothing saved) when any of them no longer
    qualifies: the room answered on meanwhile, or someone agreed on it."""
    wanted = list(dict.fromkeys(question_ids))
    try:
        with ctx.db.write() as session:
            assessment = get_assessment(session, assessment_id)
            workshop = workshop_of(session, assessment_id, lock=True)
            plan = ctx.plan(assessment)
            unknown = [q for q in wanted if q not in plan.questions]
            if unknown:
                raise NotFound(
                    f"question '{unknown[0]}' is not in questionnaire '{plan.questionnaire.id}'",
                    field="question_ids",
                    allowed=list(plan.questions),
                )
            found = _qualifying(ctx, plan, tallies(session, workshop.id), _agreed(session, workshop))
            stale = [q for q in wanted if q not in found]
            if stale:
                raise Conflict(
                    no_longer_qualifies_text([plan.questions[q].text for q in stale]),
                    field="question_ids",
                    question_ids=stale,
                )
            accepted = []
            for question_id in wanted:
                candidate, stats = found[question_id]
                answer = AnswerPut(value=candidate.value, note=MEDIAN_RATIONALE, answered_by="workshop")
                saved, _, _ = store_answer_in(ctx, session, assessment_id, question_id, answer)
                row = put_consensus(ctx, session, workshop, question_id, (candidate.value, MEDIAN_RATIONALE), stats)
                accepted.append(consensus_public(row, saved.version))
            return accepted
    except IntegrityError:
        raise Conflict(
            "someone recorded an answer on one of these questions at the same moment; nothing was saved, "
            "review the list again",
            field="question_ids",
        ) from None
