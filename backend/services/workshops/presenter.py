"""The presenter screen: what the projector shows the room, built from one read of the workshop.

The room sees the join code, the current question with how many have answered, its distribution once the
facilitator reveals it, "answers closed" once locked, and at the end the level, stage and first steps the
answers recorded so far give. The keys the facilitator presses (next, previous, reveal, lock) go through the
same services as the JSON API, so they are audited as any other change.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from backend.content.roles import HEADLINE, STAGE, first_of_kind
from backend.content.schema import Question
from backend.schemas.views import ModelView
from backend.schemas.workshops import CurrentPut, QuestionPatch, WorkshopPublic
from backend.scoring.workshop import QuestionStats, question_stats
from backend.services.assessments import assessments, roadmaps
from backend.services.kernel.context import Context, get_assessment
from backend.services.kernel.errors import Conflict, Invalid
from backend.services.workshops import workshops
from backend.services.workshops.workshops import Position, is_locked, is_revealed, position_of, workshop_of
from backend.storage.queries.answers import answer_stamps
from backend.storage.queries.workshops import participant_answers, participant_count

# The end screen names the first few steps of the roadmap: a room remembers three.
ENDING_STEPS = 3


@dataclass(frozen=True, slots=True)
class Ending:
    """What the room sees when the workshop closes: the level and stage its recorded answers give, and the first steps."""

    level: ModelView | None
    stage: ModelView | None
    steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Screen:
    """Everything the presenter screen shows at one moment."""

    code: str
    status: str
    joined: int
    position: Position | None = None
    question: Question | None = None
    stats: QuestionStats | None = None
    revealed: bool = False
    locked: bool = False
    ending: Ending | None = None

    @property
    def closed(self) -> bool:
        return self.status != "open"


def _read(ctx: Context, assessment_id: int) -> tuple:
    """The workshop row, its plan, participants joined, the current question's answers counted, and (once
    closed) what moves when the assessment's answers change: one read transaction."""
    with ctx.db.read() as session:
        assessment = get_assessment(session, assessment_id)
        workshop = workshop_of(session, assessment_id)
        plan = ctx.plan(assessment)
        joined = participant_count(session, workshop.id)
        current = workshop.current_question
        tally = (
            Counter(value for _, _, value in participant_answers(session, workshop.id, current))
            if current in plan.questions
            else Counter()
        )
        answers = answer_stamps(session, [assessment_id]).get(assessment_id) if workshop.status != "open" else None
    return workshop, plan, joined, tally, answers


def screen_stamp(ctx: Context, assessment_id: int) -> str:
    """A short fingerprint of everything the presenter screen shows: the code, the current question with its
    reveal, lock and answer counts, the status, the participants joined and, once closed, the answers the end
    screen is scored from. Read in a few small queries, so an unchanged poll is answered without building it."""
    workshop, plan, joined, tally, answers = _read(ctx, assessment_id)
    current = workshop.current_question
    section = workshops.sections_of(plan).get(current, "")
    seen = (
        plan.content_hash,
        workshop.code,
        workshop.status,
        current,
        is_revealed(workshop, section, current),
        is_locked(workshop, section, current),
        joined,
        sorted(tally.items()),
        answers,
    )
    return hashlib.blake2b(repr(seen).encode(), digest_size=12).hexdigest()


def presenter_screen(ctx: Context, assessment_id: int) -> Screen:
    """The presenter screen: the welcome, the current question (waiting, revealed or locked) or the end screen."""
    workshop, plan, joined, tally, _ = _read(ctx, assessment_id)
    if workshop.status != "open":
        return Screen(workshop.code, workshop.status, joined, ending=ending(ctx, assessment_id))
    position = position_of(plan, workshop.current_question)
    if position is None:
        return Screen(workshop.code, workshop.status, joined)
    question = plan.questions[position.question_id]
    return Screen(
        workshop.code,
        workshop.status,
        joined,
        position,
        question,
        question_stats(question, tally),
        is_revealed(workshop, position.section_id, position.question_id),
        is_locked(workshop, position.section_id, position.question_id),
    )


def ending(ctx: Context, assessment_id: int) -> Ending:
    """The level and stage the assessment's answers give (the consensus recorded), and its roadmap's first steps."""
    models = assessments.assessment_result(ctx, assessment_id).result.models
    steps = [item.title for item in roadmaps.roadmap_of(ctx, assessment_id).items if item.triggered]
    return Ending(first_of_kind(models, HEADLINE), first_of_kind(models, STAGE), tuple(steps[:ENDING_STEPS]))


# The facilitator's keys


def move(ctx: Context, assessment_id: int, direction: str) -> WorkshopPublic:
    """Take the room to the next or previous question (→ and ←)."""
    if direction not in ("next", "previous"):
        raise Invalid("move: send 'next' or 'previous'", field="move")
    return workshops.move_room(ctx, assessment_id, CurrentPut(move=direction))


# What each toggle key flips on the current question: its own list, its section's list, and the words.
TOGGLES = {
    "revealed": ("revealed_questions", "revealed_sections", "reveal", "revealed", "hide"),
    "locked": ("locked_questions", "locked_sections", "lock", "locked", "unlock"),
}


def _toggle(ctx: Context, assessment_id: int, flag: str) -> WorkshopPublic:
    """Flip the current question's reveal or lock; a question revealed or locked with its whole section stays
    so: turning it off would turn off the rest of the section too, which is the console's to decide."""
    own, by_section, doing, done, undo = TOGGLES[flag]
    found = workshops.read_workshop(ctx, assessment_id)
    plan = ctx.plan_of(assessments.read_assessment(ctx, assessment_id).questionnaire_id)
    question = found.current_question
    if not question or question not in plan.questions:
        raise Conflict(f"there is no current question to {doing} yet; start with the next question", field="current")
    if workshops.sections_of(plan)[question] in getattr(found, by_section):
        raise Conflict(
            f"this question is {done} with its whole section; {undo} the section from the workshop console", field=flag
        )
    patch = QuestionPatch(**{flag: question not in getattr(found, own)})
    return workshops.update_question(ctx, assessment_id, question, patch)


def toggle_reveal(ctx: Context, assessment_id: int) -> WorkshopPublic:
    """Show or hide the current question's results to the room and the phones (R)."""
    return _toggle(ctx, assessment_id, "revealed")


def toggle_lock(ctx: Context, assessment_id: int) -> WorkshopPublic:
    """Close or reopen the current question's answers (L)."""
    return _toggle(ctx, assessment_id, "locked")
