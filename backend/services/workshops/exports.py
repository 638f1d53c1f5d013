"""Workshops in an organisation's JSON export: the settings, who took part and what each answered,
and the agreed answers with their rationale and spread (the spread feeds the result's confidence,
so an import reproduces the same results).

Participant tokens are credentials and stay out of the file: an imported workshop gets a new join
code, and its participants cannot answer again with their old links (new people join with the code).
"""

from __future__ import annotations

from backend.schemas.exports import (
    ExportedConsensus,
    ExportedParticipantAnswer,
    ExportedWorkshop,
    ExportedWorkshopParticipant,
)
from backend.services.workshops.workshops import unused_code
from backend.storage.db import Session
from backend.storage.queries.workshops import answers_by, consensus_in, participants_in, workshop_on
from backend.storage.tables import Consensus, Participant, ParticipantAnswer, Workshop


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
