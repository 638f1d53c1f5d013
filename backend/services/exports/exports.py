"""Export an organisation as JSON (importable) or CSV, and import the JSON back."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from backend.content.bundle import ContentBundle
from backend.labels import NOT_ASSESSED, answer_label, provisional_text
from backend.schemas.exports import (
    FORMAT,
    ExportedAnswer,
    ExportedAssessment,
    ExportedChange,
    ExportedOrganisation,
    ExportedParticipant,
    ExportedSnapshot,
    ExportedWorksheetChannel,
    ExportedWorksheetStep,
    ExportFile,
)
from backend.schemas.views import OrganisationPublic
from backend.services.assessments.assessments import result_of
from backend.services.assessments.roadmaps import ensure_items, exported_items
from backend.services.exports.import_checks import check_file, refuse_invalid
from backend.services.kernel.audit import record
from backend.services.kernel.context import Context, get_organisation
from backend.services.organisations.organisations import adopt
from backend.services.workshops.exports import export_workshop, import_workshop
from backend.storage.queries.answers import answers_of, history_of
from backend.storage.queries.assessments import add_snapshot, assessments_of, participants_of, snapshot_of
from backend.storage.queries.worksheets import worksheet_rows
from backend.storage.tables import (
    Answer,
    AnswerChange,
    Assessment,
    Organisation,
    Participant,
    RoadmapItem,
    WorksheetChannel,
    WorksheetStep,
)

# A formula character (or a tab or carriage return, which some spreadsheets read as the start of one), also
# after leading blanks and line breaks: spreadsheets skip those before deciding a cell is a formula.
FORMULA_START = re.compile(r"\s*[=+\-@\t\r]")


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
                    roadmap=exported_items(ctx, session, a),
                    snapshot=ExportedSnapshot.from_row(snap) if snap else None,
                    workshop=export_workshop(session, a.id),
                    worksheet_channels=[
                        ExportedWorksheetChannel.from_row(r) for r in worksheet_rows(session, WorksheetChannel, a.id)
                    ],
                    worksheet_steps=[
                        ExportedWorksheetStep.from_row(r) for r in worksheet_rows(session, WorksheetStep, a.id)
                    ],
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
                        "worksheet_channels",
                        "worksheet_steps",
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
                frozen = a.snapshot.model_dump(mode="json", exclude={"created_at"})
                add_snapshot(session, row.id, **frozen, created_at=a.snapshot.created_at)
            if a.workshop:
                import_workshop(session, row.id, a.workshop)
            session.add_all([WorksheetChannel(assessment_id=row.id, **x.model_dump()) for x in a.worksheet_channels])
            session.add_all([WorksheetStep(assessment_id=row.id, **x.model_dump()) for x in a.worksheet_steps])
            for item in a.roadmap:
                copy = RoadmapItem(assessment_id=row.id, **item.model_dump(exclude={"id", "carried_from_id"}))
                # Only a step done is done since a period; a file written before steps kept it dates the step's
                # done to its own assessment's period at the latest.
                copy.done_since = (item.done_since or a.period) if item.status == "done" else ""
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
        drafts = [a for a in data.assessments if a.status == "draft"]
        ensure_items(ctx, session, [new_ids[a.id] for a in drafts])  # every step today's content may plan has an id
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
