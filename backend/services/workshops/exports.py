"""Workshops in an organisation's JSON export: the settings, who took part and what each answered,
and the agreed answers with their rationale and spread (the spread feeds the result's confidence,
so an import reproduces the same results).

Participant tokens are credentials and stay out of the file: an imported workshop gets a new join
code, and its participants cannot answer again with their old links (new people join with the code).
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from backend.schemas.views import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, Exported
from backend.schemas.workshops import DEFAULT_PARTICIPANT_CAP, MAX_PARTICIPANT_CAP
from backend.services.exports.import_checks import MOST, width
from backend.services.workshops.workshops import unused_code
from backend.storage.db import Session
from backend.storage.queries.workshops import answers_by, consensus_in, participants_in, workshop_on
from backend.storage.tables import Consensus, Participant, ParticipantAnswer, Workshop


class ExportedParticipantAnswer(Exported):
    question_id: str = Field(max_length=width(ParticipantAnswer, "question_id"))
    value: str = Field(max_length=width(ParticipantAnswer, "value"))
    note: str = Field(default="", max_length=REASON_MAX_LENGTH)
    updated_at: AwareDatetime
    version: int = Field(ge=1)


class ExportedWorkshopParticipant(Exported):
    name: str = Field(max_length=width(Participant, "name"))
    role: str = Field(default="", max_length=width(Participant, "role"))
    department: str = Field(default="", max_length=width(Participant, "department"))
    created_at: AwareDatetime
    answers: list[ExportedParticipantAnswer]


class ExportedConsensus(Exported):
    question_id: str = Field(max_length=width(Consensus, "question_id"))
    value: str = Field(max_length=width(Consensus, "value"))
    rationale: str = Field(default="", max_length=NOTE_MAX_LENGTH)
    answered: int = Field(ge=0)
    spread: float | None = Field(ge=0, le=1, allow_inf_nan=False)
    decided_by: str = Field(max_length=width(Consensus, "decided_by"))
    decided_at: AwareDatetime


class ExportedWorkshop(Exported):
    status: Literal["open", "closed"]
    show_names: bool
    # Files exported before the cap existed have none: they get the default.
    participant_cap: int = Field(default=DEFAULT_PARTICIPANT_CAP, ge=1, le=MAX_PARTICIPANT_CAP)
    locked_sections: list[str] = Field(max_length=MOST)
    revealed_sections: list[str] = Field(max_length=MOST)
    revealed_questions: list[str] = Field(max_length=MOST)
    created_by: str = Field(max_length=width(Workshop, "created_by"))
    created_at: AwareDatetime
    # No more people than any workshop lets join (the cap limits joins: lowered later, it removes no one).
    participants: list[ExportedWorkshopParticipant] = Field(max_length=MAX_PARTICIPANT_CAP)
    consensus: list[ExportedConsensus]


def export_workshop(session: Session, assessment_id: int) -> ExportedWorkshop | None:
    """An assessment's workshop with its participants, their answers and the consensus; None without one."""
    workshop = workshop_on(session, assessment_id)
    if workshop is None:
        return None
    people = participants_in(session, workshop.id)
    given: dict[int, list[ExportedParticipantAnswer]] = {p.id: [] for p in people}
    for row in answers_by(session, list(given)):
        given[row.participant_id].append(ExportedParticipantAnswer.from_row(row))
    agreed = consensus_in(session, workshop.id)
    return ExportedWorkshop.from_row(
        workshop,
        participants=[ExportedWorkshopParticipant.from_row(p, answers=given[p.id]) for p in people],
        consensus=[ExportedConsensus.from_row(c) for c in agreed],
    )


def import_workshop(session: Session, assessment_id: int, data: ExportedWorkshop) -> None:
    """Store an exported workshop on a new assessment, under a new join code."""
    workshop = Workshop(
        assessment_id=assessment_id, code=unused_code(session), **data.model_dump(exclude={"participants", "consensus"})
    )
    session.add(workshop)
    session.flush()
    session.add_all([Consensus(workshop_id=workshop.id, **c.model_dump()) for c in data.consensus])
    for person in data.participants:
        row = Participant(
            assessment_id=assessment_id, workshop_id=workshop.id, **person.model_dump(exclude={"answers"})
        )
        session.add(row)
        session.flush()
        session.add_all([ParticipantAnswer(participant_id=row.id, **a.model_dump()) for a in person.answers])
