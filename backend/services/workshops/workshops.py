"""Workshop mode, the facilitator's side: open a workshop on an assessment, lock and reveal sections and
questions, show names or not, close it, and record the agreed answers as the assessment's answers.

Participants (participants.py beside this module) join with the code and answer without an account;
the board and perception gaps are in board.py; the queries in backend/storage/queries/workshops.py.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

import segno

from backend.content.bundle import QuestionnairePlan
from backend.labels import RATIONALE_NEEDED
from backend.schemas.views import AnswerPut
from backend.schemas.workshops import (
    ConsensusPublic,
    ConsensusPut,
    CurrentPut,
    QuestionPatch,
    SectionPatch,
    WorkshopInfo,
    WorkshopOpen,
    WorkshopPatch,
    WorkshopPublic,
)
from backend.scoring.workshop import QuestionStats, needs_rationale, question_stats
from backend.services.assessments.answers import ensure_draft, save_answer
from backend.services.kernel.audit import record
from backend.services.kernel.context import Context, get_assessment
from backend.services.kernel.errors import Conflict, Invalid, NotFound
from backend.storage.db import IntegrityError, Session
from backend.storage.queries.workshops import (
    code_taken,
    consensus_on,
    participant_answers,
    participant_count,
    workshop_on,
    workshop_with_code,
)
from backend.storage.tables import Assessment, Consensus, Organisation, Workshop, utcnow

# No 0/O, 1/I/L: a code read off a projector or typed on a phone cannot be mistaken.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# 31^8 is about 8.5e11 codes: guessing one that is open is hopeless, yet it is quick to type.
CODE_LENGTH = 8


# Codes


def normalise_code(code: str) -> str | None:
    """The code as stored (upper case, without spaces or dashes), or None when it cannot be one."""
    cleaned = code.replace("-", "").replace(" ", "").upper()
    return cleaned if len(cleaned) == CODE_LENGTH and all(c in ALPHABET for c in cleaned) else None


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def unused_code(session: Session) -> str:
    """A join code no workshop has."""
    code = _new_code()
    while code_taken(session, code):
        code = _new_code()
    return code


def join_path(code: str) -> str:
    """Where participants join, relative to the site."""
    return f"/join/{code}"


# Lookups shared with the board


def workshop_of(session: Session, assessment_id: int, lock: bool = False) -> Workshop:
    """The assessment's workshop, or a 404 saying how to open one."""
    found = workshop_on(session, assessment_id, lock)
    if found is None:
        raise NotFound(
            f"assessment {assessment_id} has no workshop; open one with POST /api/v1/assessments/{assessment_id}/workshop",
            field="workshop",
        )
    return found


def workshop_by_code(session: Session, code: str, lock: bool = False) -> Workshop:
    """The workshop with this join code, or a 404."""
    normal = normalise_code(code)
    found = workshop_with_code(session, normal, lock) if normal else None
    if found is None:
        raise NotFound(f"no workshop has the code '{code[:20]}'; check the code the facilitator gave you", field="code")
    return found


def sections_of(plan: QuestionnairePlan) -> dict[str, str]:
    """The section id of every question."""
    return {q.id: s.id for s in plan.questionnaire.sections for q in s.questions}


def is_revealed(workshop: Workshop | Mapping, section_id: str, question_id: str) -> bool:
    """Whether participants may see a question's results."""
    if isinstance(workshop, Mapping):  # a participant's one-read seat (presenter mode)
        return question_id in workshop["revealed_questions"] or section_id in workshop["revealed_sections"]
    return question_id in workshop.revealed_questions or section_id in workshop.revealed_sections


def is_locked(workshop: Workshop | Mapping, section_id: str, question_id: str) -> bool:
    """Whether a question's answers are closed to participants: locked alone or with its whole section."""
    if isinstance(workshop, Mapping):  # the answer save's one-read seat
        return question_id in workshop["locked_questions"] or section_id in workshop["locked_sections"]
    return question_id in workshop.locked_questions or section_id in workshop.locked_sections


@dataclass(frozen=True, slots=True)
class Position:
    """Where a question sits in the questionnaire, as the room is told: question 12 of 40, section 3."""

    question_id: str
    number: int
    total: int
    section_id: str
    section_number: int
    section_title: str


def question_order(plan: QuestionnairePlan) -> list[str]:
    """Every question id in the order the room goes through them (the questionnaire's)."""
    return [q.id for s in plan.questionnaire.sections for q in s.questions]


def position_of(plan: QuestionnairePlan, question_id: str) -> Position | None:
    """A question's place in the questionnaire, or None for a question not in it (or none at all)."""
    number = 0
    for section_number, section in enumerate(plan.questionnaire.sections, start=1):
        for question in section.questions:
            number += 1
            if question.id == question_id:
                total = sum(len(s.questions) for s in plan.questionnaire.sections)
                return Position(question_id, number, total, section.id, section_number, section.title)
    return None


def consensus_public(row: Consensus, answer_version: int | None = None) -> ConsensusPublic:
    """The public view of a consensus record."""
    fields = {k: getattr(row, k) for k in ConsensusPublic.model_fields if k != "answer_version"}
    return ConsensusPublic(**fields, answer_version=answer_version)


def workshop_public(session: Session, row: Workshop) -> WorkshopPublic:
    """The facilitator's view of a workshop."""
    joined = participant_count(session, row.id)
    return WorkshopPublic(
        assessment_id=row.assessment_id,
        code=row.code,
        join_path=join_path(row.code),
        status=row.status,
        show_names=row.show_names,
        locked_sections=row.locked_sections,
        revealed_sections=row.revealed_sections,
        revealed_questions=row.revealed_questions,
        locked_questions=row.locked_questions,
        current_question=row.current_question or None,
        participants=joined,
        participant_cap=row.participant_cap,
        created_by=row.created_by,
        created_at=row.created_at,
    )


def info_of(ctx: Context, session: Session, row: Workshop) -> WorkshopInfo:
    """What anyone holding the join code may see of a workshop."""
    assessment = session.get(Assessment, row.assessment_id)
    organisation = session.get(Organisation, assessment.organisation_id)
    plan = ctx.content.plans.get(assessment.questionnaire_id)
    return WorkshopInfo(
        code=row.code,
        organisation=organisation.name,
        period=assessment.period,
        questionnaire_id=assessment.questionnaire_id,
        questionnaire_title=plan.questionnaire.title if plan else assessment.questionnaire_id,
        status=row.status,
        locked_sections=row.locked_sections,
        revealed_sections=row.revealed_sections,
        revealed_questions=row.revealed_questions,
        locked_questions=row.locked_questions,
        current_question=row.current_question or None,
    )


def _audit(session: Session, ctx: Context, workshop: Workshop, action: str, before: dict | None, after: dict) -> None:
    # The assessment is in the session already (every caller read it first): no query.
    organisation_id = session.get(Assessment, workshop.assessment_id).organisation_id
    record(session, organisation_id, ctx.who, action, "workshop", workshop.code, before, after)


# The facilitator


def open_workshop(ctx: Context, assessment_id: int, data: WorkshopOpen | None = None) -> tuple[WorkshopPublic, bool]:
    """Open a workshop on a draft assessment (its kind becomes 'workshop'); returns it and whether it is new.
    Opening one already open returns it unchanged: its cap changes with update_workshop."""
    data = data or WorkshopOpen()
    for _ in range(3):
        try:
            return _open(ctx, assessment_id, data)
        except IntegrityError:
            continue  # opened by someone else at the same moment (the next try returns theirs), or a code taken
    raise Conflict("could not open the workshop just now; try again", field="assessment_id")


def _open(ctx: Context, assessment_id: int, data: WorkshopOpen) -> tuple[WorkshopPublic, bool]:
    with ctx.db.write() as session:
        assessment = get_assessment(session, assessment_id)
        existing = workshop_on(session, assessment_id)
        if existing is not None:
            return workshop_public(session, existing), False
        ensure_draft(assessment.model_dump())
        ctx.plan(assessment)
        code = unused_code(session)
        row = Workshop(assessment_id=assessment_id, code=code, created_by=ctx.who, participant_cap=data.participant_cap)
        session.add(row)
        assessment.kind = "workshop"
        session.add(assessment)
        session.flush()
        _audit(session, ctx, row, "workshop.open", None, {"code": code, "participant_cap": data.participant_cap})
        return workshop_public(session, row), True


def read_workshop(ctx: Context, assessment_id: int) -> WorkshopPublic:
    """The assessment's workshop: code, join path, status, locks, reveals, participants."""
    with ctx.db.read() as session:
        get_assessment(session, assessment_id)
        return workshop_public(session, workshop_of(session, assessment_id))


def join_qr_svg(ctx: Context, assessment_id: int, site: str) -> bytes:
    """A QR code (SVG) of the join link on this site, made here: nothing leaves the server."""
    code = read_workshop(ctx, assessment_id).code
    buffer = io.BytesIO()
    segno.make(site.rstrip("/") + join_path(code), error="m").save(
        buffer, kind="svg", scale=8, border=2, title=f"Join workshop {code}"
    )
    return buffer.getvalue()


def _change(ctx: Context, assessment_id: int, change) -> WorkshopPublic:
    """Apply `change(workshop, plan)` (which returns the fields it altered) and audit it."""
    with ctx.db.write() as session:
        assessment = get_assessment(session, assessment_id)
        workshop = workshop_of(session, assessment_id, lock=True)
        before = {k: getattr(workshop, k) for k in SETTINGS}
        altered = change(workshop, ctx.plan(assessment))
        if altered:
            session.add(workshop)
            _audit(
                session,
                ctx,
                workshop,
                "workshop.update",
                {k: before[k] for k in altered},
                {k: getattr(workshop, k) for k in altered},
            )
        return workshop_public(session, workshop)


# What a facilitator changes on a workshop: audited before and after.
SETTINGS = (
    "status",
    "show_names",
    "participant_cap",
    "locked_sections",
    "revealed_sections",
    "revealed_questions",
    "locked_questions",
    "current_question",
)


def _toggled(items: list[str], item: str, on: bool) -> list[str]:
    # A new list each time: the JSON column notices replacement, not changes in place.
    rest = [i for i in items if i != item]
    return [*rest, item] if on else rest


def update_workshop(ctx: Context, assessment_id: int, data: WorkshopPatch) -> WorkshopPublic:
    """Close or reopen the workshop, turn names on the shared screens on or off, or change its participant cap."""

    def change(workshop: Workshop, _plan) -> list[str]:
        altered = []
        for name in ("status", "show_names", "participant_cap"):
            value = getattr(data, name)
            if value is not None and value != getattr(workshop, name):
                setattr(workshop, name, value)
                altered.append(name)
        return altered

    return _change(ctx, assessment_id, change)


def _toggle_all(workshop: Workshop, item: str, **wanted: bool | None) -> list[str]:
    """Put `item` in or out of each named list of the workshop as wanted (None: leave it); the lists changed."""
    altered = []
    for name, on in wanted.items():
        if on is not None and (item in getattr(workshop, name)) != on:
            setattr(workshop, name, _toggled(getattr(workshop, name), item, on))
            altered.append(name)
    return altered


def update_section(ctx: Context, assessment_id: int, section_id: str, data: SectionPatch) -> WorkshopPublic:
    """Lock or unlock a section's answers, reveal or hide its results to participants."""

    def change(workshop: Workshop, plan: QuestionnairePlan) -> list[str]:
        known = [s.id for s in plan.questionnaire.sections]
        if section_id not in known:
            raise NotFound(
                f"section '{section_id}' is not in questionnaire '{plan.questionnaire.id}'",
                field="section_id",
                allowed=known,
            )
        return _toggle_all(workshop, section_id, locked_sections=data.locked, revealed_sections=data.revealed)

    return _change(ctx, assessment_id, change)


def _known_question(plan: QuestionnairePlan, question_id: str) -> None:
    if question_id not in plan.questions:
        raise NotFound(
            f"question '{question_id}' is not in questionnaire '{plan.questionnaire.id}'",
            field="question_id",
            allowed=list(plan.questions),
        )


def update_question(ctx: Context, assessment_id: int, question_id: str, data: QuestionPatch) -> WorkshopPublic:
    """Reveal or hide one question's results to participants; lock or unlock its answers."""

    def change(workshop: Workshop, plan: QuestionnairePlan) -> list[str]:
        _known_question(plan, question_id)
        return _toggle_all(workshop, question_id, revealed_questions=data.revealed, locked_questions=data.locked)

    return _change(ctx, assessment_id, change)


def move_room(ctx: Context, assessment_id: int, data: CurrentPut) -> WorkshopPublic:
    """Take the room to a question: the one named, or the next or previous in questionnaire order.

    From no question yet, "next" starts at the first; past either end the room stays where it is."""

    def change(workshop: Workshop, plan: QuestionnairePlan) -> list[str]:
        if data.question_id is not None:
            _known_question(plan, data.question_id)
            target = data.question_id
        else:
            order = question_order(plan)
            here = order.index(workshop.current_question) if workshop.current_question in order else -1
            step = 1 if data.move == "next" else -1
            target = order[min(max(here + step, 0), len(order) - 1)] if here >= 0 or step > 0 else ""
        if target == workshop.current_question:
            return []
        workshop.current_question = target
        return ["current_question"]

    return _change(ctx, assessment_id, change)


def record_consensus(ctx: Context, assessment_id: int, question_id: str, data: ConsensusPut) -> ConsensusPublic:
    """Store the group's agreed answer as the assessment's answer (the rationale as its note), and the consensus beside it.

    The answer goes through save_answer, so validation, history, the audit log and scoring are the
    usual ones; the consensus row (rationale, who, when, the spread agreed from) follows once it is saved.
    """
    with ctx.db.read() as session:
        assessment = get_assessment(session, assessment_id)
        workshop = workshop_of(session, assessment_id)
        question = ctx.plan(assessment).questions.get(question_id)  # an unknown one: save_answer says which fit
        if question is not None:
            check_rationale(question_stats(question, _values(session, workshop.id, question_id)), data.rationale)
    answer = AnswerPut(
        value=data.value,
        note=data.rationale,
        reason=data.reason,
        answered_by="workshop",
        expected_version=data.expected_version,
    )
    saved, _ = save_answer(ctx, assessment_id, question_id, answer)
    for _ in range(2):
        try:
            return _store_consensus(ctx, assessment_id, question_id, data, saved.version)
        except IntegrityError:
            continue  # recorded by someone else at the same moment: the next try updates that row
    raise Conflict(
        f"the consensus on {question_id} changed while saving it; reload the board and record it again",
        field="question_id",
    )


def check_rationale(stats: QuestionStats, rationale: str) -> None:
    """Refuse an agreed answer without a rationale where the room disagreed (a high spread)."""
    if needs_rationale(stats) and not rationale.strip():
        raise Invalid(RATIONALE_NEEDED, field="rationale")


def _values(session: Session, workshop_id: int, question_id: str) -> list[str]:
    return [value for _, _, value in participant_answers(session, workshop_id, question_id)]


def put_consensus(
    ctx: Context, session: Session, workshop: Workshop, question_id: str, agreed: tuple[str, str], stats: QuestionStats
) -> Consensus:
    """Write the consensus row of a question: the agreed (value, rationale), who and when, and how the room stood."""
    row = consensus_on(session, workshop.id, question_id, lock=True)
    # No audit event of its own: saving the answer logged the agreed value and rationale, by whom.
    row = row or Consensus(workshop_id=workshop.id, question_id=question_id)
    (row.value, row.rationale), row.answered, row.spread = agreed, stats.answered, stats.spread
    row.decided_by, row.decided_at = ctx.who, utcnow()
    session.add(row)
    session.flush()
    return row


def _store_consensus(
    ctx: Context, assessment_id: int, question_id: str, data: ConsensusPut, version: int
) -> ConsensusPublic:
    with ctx.db.write() as session:
        assessment = get_assessment(session, assessment_id)
        workshop = workshop_of(session, assessment_id)
        question = ctx.plan(assessment).questions[question_id]
        stats = question_stats(question, _values(session, workshop.id, question_id))
        row = put_consensus(ctx, session, workshop, question_id, (data.value, data.rationale), stats)
        return consensus_public(row, version)
