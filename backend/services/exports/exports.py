"""Export an organisation as JSON (importable) or CSV, and import the JSON back."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, Field, ValidationError, model_validator

from backend.content.bundle import ContentBundle
from backend.labels import NOT_ASSESSED, answer_label, provisional_text
from backend.schemas.types import Period, PeriodOrEmpty
from backend.schemas.views import NOTE_MAX_LENGTH, AnswerPut, Exported, ItemStatus, Kind, OrganisationPublic, Status
from backend.scoring.roadmap import HORIZONS
from backend.services.assessments.assessments import result_of
from backend.services.assessments.roadmaps import sync_draft
from backend.services.exports.frozen import FrozenResult, FrozenRoadmap
from backend.services.exports.import_checks import MOST, check_file, refuse_invalid, width
from backend.services.kernel.audit import record
from backend.services.kernel.context import Context, get_organisation
from backend.services.organisations.organisations import adopt
from backend.services.workshops.exports import ExportedWorkshop, export_workshop, import_workshop
from backend.storage.queries.answers import answers_of, history_of
from backend.storage.queries.assessments import assessments_of, participants_of, snapshot_of
from backend.storage.queries.roadmaps import roadmap_rows
from backend.storage.tables import (
    Answer,
    AnswerChange,
    Assessment,
    Organisation,
    Participant,
    ResultSnapshot,
    RoadmapItem,
)

FORMAT = "tribewise.organisation"
# A formula character (or a tab or carriage return, which some spreadsheets read as the start of one), also
# after leading blanks and line breaks: spreadsheets skip those before deciding a cell is a formula.
FORMULA_START = re.compile(r"\s*[=+\-@\t\r]")


# Lengths are the columns' own (tables.py): PostgreSQL refuses a longer value and SQLite would keep it, so both
# engines refuse it here, naming the field. Free text has the limits the API puts on it when typed.
TEXT = AnswerPut.model_fields["evidence"].metadata[0].max_length


class ExportedAnswer(Exported):
    question_id: str = Field(min_length=1, max_length=width(Answer, "question_id"))
    value: str = Field(min_length=1, max_length=width(Answer, "value"))
    reason: str = Field(default="", max_length=TEXT)
    note: str = Field(default="", max_length=NOTE_MAX_LENGTH)
    evidence: str = Field(default="", max_length=TEXT)
    answered_by: str = Field(default="", max_length=width(Answer, "answered_by"))
    answered_at: AwareDatetime
    version: int = Field(ge=1)


class ExportedChange(Exported):
    question_id: str = Field(min_length=1, max_length=width(AnswerChange, "question_id"))
    old_value: str | None = Field(max_length=width(AnswerChange, "old_value"))
    new_value: str = Field(max_length=width(AnswerChange, "new_value"))
    old_note: str | None = Field(max_length=NOTE_MAX_LENGTH)
    new_note: str = Field(max_length=NOTE_MAX_LENGTH)
    # Defaults, so a file exported before history kept every field still imports.
    old_evidence: str | None = Field(default=None, max_length=TEXT)
    new_evidence: str = Field(default="", max_length=TEXT)
    old_reason: str | None = Field(default=None, max_length=TEXT)
    new_reason: str = Field(default="", max_length=TEXT)
    old_answered_by: str | None = Field(default=None, max_length=width(AnswerChange, "old_answered_by"))
    new_answered_by: str = Field(default="", max_length=width(AnswerChange, "new_answered_by"))
    changed_by: str = Field(max_length=width(AnswerChange, "changed_by"))
    changed_at: AwareDatetime
    version: int = Field(ge=0)


class ExportedParticipant(Exported):
    name: str = Field(max_length=width(Participant, "name"))
    role: str = Field(max_length=width(Participant, "role"))
    department: str = Field(max_length=width(Participant, "department"))
    created_at: AwareDatetime


class ExportedItem(Exported):
    id: int
    recommendation_id: str = Field(min_length=1, max_length=width(RoadmapItem, "recommendation_id"))
    horizon: Literal[HORIZONS + ("",)]  # type: ignore[valid-type]  # "" for a step no longer triggered
    position: int = Field(ge=0)
    triggered: bool
    status: ItemStatus
    owner: str = Field(max_length=width(RoadmapItem, "owner"))
    due_period: PeriodOrEmpty
    carried_from_id: int | None
    updated_at: AwareDatetime
    version: int = Field(ge=1)


class ExportedSnapshot(Exported):
    content_hash: str = Field(max_length=width(ResultSnapshot, "content_hash"))
    result: FrozenResult  # type: ignore[valid-type]
    roadmap: FrozenRoadmap
    created_at: AwareDatetime


class ExportedStartedQuestion(Exported):
    print: str = Field(max_length=64)
    text: str = Field(max_length=TEXT)
    options: dict[str, str] = Field(max_length=100)


class ExportedAssessment(Exported):
    id: int
    period: Period
    questionnaire_id: str = Field(max_length=width(Assessment, "questionnaire_id"))
    questionnaire_version: str = Field(max_length=width(Assessment, "questionnaire_version"))
    content_hash: str = Field(max_length=width(Assessment, "content_hash"))
    status: Status
    kind: Kind
    baseline_assessment_id: int | None
    created_at: AwareDatetime
    submitted_at: AwareDatetime | None
    # Files exported before drafts kept their questions have none: a later content change shows as a version change.
    started_questions: dict[str, ExportedStartedQuestion] | None = Field(default=None, max_length=MOST)
    content_acknowledged_at: AwareDatetime | None = None
    content_acknowledged_by: str = Field(default="", max_length=width(Assessment, "content_acknowledged_by"))
    answers: list[ExportedAnswer]
    history: list[ExportedChange]
    participants: list[ExportedParticipant] = Field(max_length=MOST)
    roadmap: list[ExportedItem] = Field(max_length=MOST)
    snapshot: ExportedSnapshot | None
    workshop: ExportedWorkshop | None = None

    @model_validator(mode="after")
    def _snapshot_when_submitted(self) -> ExportedAssessment:
        if (self.status == "submitted") != (self.snapshot is not None):
            raise ValueError("a submitted assessment needs its snapshot, and a draft has none")
        return self


class ExportedOrganisation(Exported):
    name: str = Field(min_length=1, max_length=width(Organisation, "name"))
    sector: str = Field(default="", max_length=width(Organisation, "sector"))
    size: str = Field(default="", max_length=width(Organisation, "size"))
    created_at: AwareDatetime
    # Files exported before archiving existed have none: the organisation comes back active.
    archived_at: AwareDatetime | None = None


class ExportFile(Exported):
    format: Literal["tribewise.organisation"]
    format_version: Literal[1]
    exported_at: AwareDatetime
    organisation: ExportedOrganisation
    assessments: list[ExportedAssessment] = Field(max_length=MOST)


def export_organisation(ctx: Context, organisation_id: int) -> dict:
    """Everything stored about an organisation, as JSON-ready data."""
    with ctx.db.read() as session:
        org = get_organisation(session, organisation_id)
        assessments = []
        for a in assessments_of(session, organisation_id):
            snap = snapshot_of(session, a.id)
            assessments.append(
                ExportedAssessment.from_row(
                    a,
                    answers=[ExportedAnswer.from_row(r) for r in answers_of(session, a.id)],
                    history=[ExportedChange.from_row(r) for r in history_of(session, a.id)],
                    participants=[
                        ExportedParticipant.from_row(r) for r in participants_of(session, a.id) if r.workshop_id is None
                    ],
                    roadmap=[ExportedItem.from_row(r) for r in roadmap_rows(session, a.id)],
                    snapshot=ExportedSnapshot.from_row(snap) if snap else None,
                    workshop=export_workshop(session, a.id),
                )
            )
        data = ExportFile(
            format=FORMAT,
            format_version=1,
            exported_at=datetime.now(UTC),
            organisation=ExportedOrganisation.from_row(org),
            assessments=assessments,
        )
        return data.model_dump(mode="json")


def parse_export(content: ContentBundle, raw: Any) -> ExportFile:
    """Validate an export whole, before anything is stored; the error names the wrong field by its JSON path."""
    try:
        data = ExportFile.model_validate(raw)
    except ValidationError as err:
        raise refuse_invalid(err) from None
    check_file(content, data)
    return data


def import_organisation(ctx: Context, raw: Any) -> OrganisationPublic:
    """Create the exported organisation anew, with every assessment, answer, change and snapshot."""
    data = parse_export(ctx.content, raw)
    with ctx.db.write() as session:
        org = Organisation(**data.organisation.model_dump())
        session.add(org)
        session.flush()
        adopt(ctx, session, org.id)
        new_ids: dict[int, int] = {}
        item_ids: dict[int, RoadmapItem] = {}
        for a in sorted(data.assessments, key=lambda a: a.id):
            row = Assessment(
                organisation_id=org.id,
                **a.model_dump(
                    exclude={
                        "id",
                        "answers",
                        "history",
                        "participants",
                        "roadmap",
                        "snapshot",
                        "workshop",
                        "baseline_assessment_id",
                    }
                ),
            )
            session.add(row)
            session.flush()
            new_ids[a.id] = row.id
            session.add_all([Answer(assessment_id=row.id, **x.model_dump()) for x in a.answers])
            session.add_all([AnswerChange(assessment_id=row.id, **x.model_dump()) for x in a.history])
            session.add_all([Participant(assessment_id=row.id, **x.model_dump()) for x in a.participants])
            if a.snapshot:
                session.add(
                    ResultSnapshot(
                        assessment_id=row.id,
                        **a.snapshot.model_dump(mode="json", exclude={"created_at"}),
                        created_at=a.snapshot.created_at,
                    )
                )
            if a.workshop:
                import_workshop(session, row.id, a.workshop)
            for item in a.roadmap:
                copy = RoadmapItem(assessment_id=row.id, **item.model_dump(exclude={"id", "carried_from_id"}))
                session.add(copy)
                item_ids[item.id] = copy
        session.flush()
        for a in data.assessments:
            if a.baseline_assessment_id is not None:
                session.get(Assessment, new_ids[a.id]).baseline_assessment_id = new_ids[a.baseline_assessment_id]
            for item in a.roadmap:
                if item.carried_from_id in item_ids:
                    item_ids[item.id].carried_from_id = item_ids[item.carried_from_id].id
        session.flush()
        for assessment_id in new_ids.values():
            sync_draft(ctx, session, session.get(Assessment, assessment_id))  # a draft's steps follow today's content
        record(
            session,
            org.id,
            ctx.who,
            "organisation.import",
            "organisation",
            org.id,
            None,
            {
                "name": org.name,
                "assessments": len(data.assessments),
                "answers": sum(len(a.answers) for a in data.assessments),
                "exported_at": data.exported_at.isoformat(),
            },
        )
        return OrganisationPublic.model_validate(org, from_attributes=True)


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a text cell starting, after any blanks, with = + - @ or a tab or CR gets a leading quote."""
    if isinstance(value, str) and FORMULA_START.match(value):
        return "'" + value
    return value


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[safe_cell(v) for v in row] for row in rows])
    return out.getvalue()


def answers_csv(ctx: Context, organisation_id: int) -> str:
    """Every answer of every assessment, one row each."""
    rows = []
    with ctx.db.read() as session:
        get_organisation(session, organisation_id)
        for a in assessments_of(session, organisation_id):
            plan = ctx.content.plans.get(a.questionnaire_id)
            questions = plan.questions if plan else {}
            for r in answers_of(session, a.id):
                q = questions.get(r.question_id)
                rows.append(
                    [
                        a.period,
                        a.id,
                        a.questionnaire_id,
                        a.status,
                        r.question_id,
                        q.criterion if q else "",
                        q.text if q else "",
                        r.value,
                        answer_label(q, r.value),
                        r.reason,
                        r.note,
                        r.evidence,
                        r.answered_by,
                        r.answered_at.isoformat(),
                        r.version,
                    ]
                )
    header = [
        "period",
        "assessment_id",
        "questionnaire",
        "status",
        "question_id",
        "criterion",
        "question",
        "value",
        "answer",
        "reason",
        "note",
        "evidence",
        "answered_by",
        "answered_at",
        "version",
    ]
    return _csv(header, rows)


def scores_csv(ctx: Context, organisation_id: int) -> str:
    """Per period: each model's level or stage, and each criterion's score and coverage."""
    rows = []
    with ctx.db.read() as session:
        get_organisation(session, organisation_id)
        for a in assessments_of(session, organisation_id):
            if a.status == "draft" and a.questionnaire_id not in ctx.content.plans:
                continue
            view, _ = result_of(ctx, session, a)
            for m in view.models:
                if m.level is not None or m.kind in ("ladder", "stages"):
                    state = NOT_ASSESSED if m.level is None else provisional_text(m)
                    rows.append(
                        [
                            a.period,
                            a.id,
                            a.status,
                            "model",
                            m.model,
                            m.title,
                            m.level,
                            m.progress,
                            m.confidence.value,
                            state,
                        ]
                    )
            for c in view.criteria:
                rows.append([a.period, a.id, a.status, "criterion", c.id, c.name, c.score, c.coverage, "", c.status])
    return _csv(
        [
            "period",
            "assessment_id",
            "status",
            "kind",
            "id",
            "name",
            "level_or_score",
            "progress_or_coverage",
            "confidence",
            "state",
        ],
        rows,
    )
