"""Export an organisation as JSON (importable) or CSV, and import the JSON back."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any, Literal, Optional

from pydantic import Field, ValidationError, field_validator, model_validator

from backend.services.assessments import adopt, result_of
from backend.services.context import Context, get_organisation
from backend.services.errors import Invalid
from backend.services.workshop_exports import ExportedWorkshop, export_workshop, import_workshop
from backend.services.views import Exported, ItemStatus, Kind, OrganisationPublic, Status, check_period
from backend.storage import repository as repo
from backend.storage.tables import Answer, AnswerChange, Assessment, Organisation, Participant, ResultSnapshot, RoadmapItem

FORMAT = "tribewise.organisation"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ExportedAnswer(Exported):
    question_id: str
    value: str
    reason: str = ""
    note: str = ""
    evidence: str = ""
    answered_by: str = ""
    answered_at: datetime
    version: int = Field(ge=1)


class ExportedChange(Exported):
    question_id: str
    old_value: Optional[str]
    new_value: str
    old_note: Optional[str]
    new_note: str
    # Defaults, so a file exported before history kept every field still imports.
    old_evidence: Optional[str] = None
    new_evidence: str = ""
    old_reason: Optional[str] = None
    new_reason: str = ""
    old_answered_by: Optional[str] = None
    new_answered_by: str = ""
    changed_by: str
    changed_at: datetime
    version: int


class ExportedParticipant(Exported):
    name: str
    role: str
    department: str
    created_at: datetime


class ExportedItem(Exported):
    id: int
    recommendation_id: str
    horizon: str
    position: int
    triggered: bool
    status: ItemStatus
    owner: str
    due_period: str
    carried_from_id: Optional[int]
    updated_at: datetime
    version: int


class ExportedSnapshot(Exported):
    content_hash: str
    result: dict[str, Any]
    roadmap: dict[str, Any]
    created_at: datetime


class ExportedAssessment(Exported):
    id: int
    period: str
    questionnaire_id: str
    questionnaire_version: str
    content_hash: str
    status: Status
    kind: Kind
    baseline_assessment_id: Optional[int]
    created_at: datetime
    submitted_at: Optional[datetime]
    answers: list[ExportedAnswer]
    history: list[ExportedChange]
    participants: list[ExportedParticipant]
    roadmap: list[ExportedItem]
    snapshot: Optional[ExportedSnapshot]
    workshop: Optional[ExportedWorkshop] = None

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        return check_period(value)

    @model_validator(mode="after")
    def _snapshot_when_submitted(self) -> "ExportedAssessment":
        if (self.status == "submitted") != (self.snapshot is not None):
            raise ValueError("a submitted assessment needs its snapshot, and a draft has none")
        return self


class ExportedOrganisation(Exported):
    name: str = Field(min_length=1, max_length=200)
    sector: str = ""
    size: str = ""
    created_at: datetime


class ExportFile(Exported):
    format: Literal["tribewise.organisation"]
    format_version: Literal[1]
    exported_at: datetime
    organisation: ExportedOrganisation
    assessments: list[ExportedAssessment]


def export_organisation(ctx: Context, organisation_id: int) -> dict:
    """Everything stored about an organisation, as JSON-ready data."""
    with ctx.db.read() as session:
        org = get_organisation(session, organisation_id)
        assessments = []
        for a in repo.assessments_of(session, organisation_id):
            snap = repo.snapshot_of(session, a.id)
            assessments.append(ExportedAssessment.from_row(
                a,
                answers=[ExportedAnswer.from_row(r) for r in repo.answers_of(session, a.id)],
                history=[ExportedChange.from_row(r) for r in repo.history_of(session, a.id)],
                participants=[ExportedParticipant.from_row(r) for r in repo.participants_of(session, a.id) if r.workshop_id is None],
                roadmap=[ExportedItem.from_row(r) for r in repo.roadmap_rows(session, a.id)],
                snapshot=ExportedSnapshot.from_row(snap) if snap else None,
                workshop=export_workshop(session, a.id),
            ))
        data = ExportFile(
            format=FORMAT, format_version=1, exported_at=datetime.now(UTC),
            organisation=ExportedOrganisation.from_row(org), assessments=assessments,
        )
        return data.model_dump(mode="json")


def parse_export(raw: Any) -> ExportFile:
    """Validate an export; the error names each wrong field by its path."""
    try:
        return ExportFile.model_validate(raw)
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in err.errors()[:10])
        raise Invalid(f"not a Tribewise organisation export: {problems}", field="body") from None


def import_organisation(ctx: Context, raw: Any) -> OrganisationPublic:
    """Create the exported organisation anew, with every assessment, answer, change and snapshot."""
    data = parse_export(raw)
    ids = {a.id for a in data.assessments}
    for a in data.assessments:
        if a.baseline_assessment_id is not None and a.baseline_assessment_id not in ids:
            raise Invalid(f"assessment {a.id} names baseline {a.baseline_assessment_id}, which is not in the file", field="assessments.baseline_assessment_id")
    with ctx.db.write() as session:
        org = Organisation(**data.organisation.model_dump())
        session.add(org)
        session.flush()
        adopt(ctx, session, org.id)
        new_ids: dict[int, int] = {}
        item_ids: dict[int, RoadmapItem] = {}
        for a in sorted(data.assessments, key=lambda a: a.id):
            row = Assessment(organisation_id=org.id, **a.model_dump(exclude={"id", "answers", "history", "participants", "roadmap", "snapshot", "workshop", "baseline_assessment_id"}))
            session.add(row)
            session.flush()
            new_ids[a.id] = row.id
            session.add_all([Answer(assessment_id=row.id, **x.model_dump()) for x in a.answers])
            session.add_all([AnswerChange(assessment_id=row.id, **x.model_dump()) for x in a.history])
            session.add_all([Participant(assessment_id=row.id, **x.model_dump()) for x in a.participants])
            if a.snapshot:
                session.add(ResultSnapshot(assessment_id=row.id, **a.snapshot.model_dump()))
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
        return OrganisationPublic.model_validate(org, from_attributes=True)


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a text cell starting with = + - @ or a control gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
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
        for a in repo.assessments_of(session, organisation_id):
            plan = ctx.content.plans.get(a.questionnaire_id)
            questions = plan.questions if plan else {}
            for r in repo.answers_of(session, a.id):
                q = questions.get(r.question_id)
                label = next((o.label for o in q.options if o.value == r.value), r.value) if q else r.value
                rows.append([a.period, a.id, a.questionnaire_id, a.status, r.question_id, q.criterion if q else "",
                             q.text if q else "", r.value, label, r.reason, r.note, r.evidence, r.answered_by,
                             r.answered_at.isoformat(), r.version])
    header = ["period", "assessment_id", "questionnaire", "status", "question_id", "criterion", "question", "value",
              "answer", "reason", "note", "evidence", "answered_by", "answered_at", "version"]
    return _csv(header, rows)


def scores_csv(ctx: Context, organisation_id: int) -> str:
    """Per period: each model's level or stage, and each criterion's score and coverage."""
    rows = []
    with ctx.db.read() as session:
        get_organisation(session, organisation_id)
        for a in repo.assessments_of(session, organisation_id):
            if a.status == "draft" and a.questionnaire_id not in ctx.content.plans:
                continue
            view, _ = result_of(ctx, session, a)
            for m in view.models:
                if m.level is not None:
                    rows.append([a.period, a.id, a.status, "model", m.model, m.title, m.level, m.progress, m.confidence.value])
            for c in view.criteria:
                rows.append([a.period, a.id, a.status, "criterion", c.id, c.name, c.score, c.coverage, ""])
    return _csv(["period", "assessment_id", "status", "kind", "id", "name", "level_or_score", "progress_or_coverage", "confidence"], rows)

