"""The feedback-channel audit worksheet of an assessment: built from its answers and the team's corrections, which
are kept per assessment (whatever the answers become) and frozen with it on submission."""

from __future__ import annotations

from collections.abc import Callable

from backend.content.bundle import ContentBundle
from backend.content.schema import Worksheet
from backend.schemas.views import ResultView
from backend.schemas.worksheets import (
    EvidencePublic,
    WorksheetChannelPatch,
    WorksheetChannelPublic,
    WorksheetMomentPublic,
    WorksheetPublic,
    WorksheetStepPatch,
    WorksheetStepPublic,
)
from backend.scoring.worksheet import AuditWorksheet, ChannelEdit, StepEdit, WorksheetEdits, build_worksheet
from backend.services.assessments.assessments import result_of
from backend.services.kernel.audit import record
from backend.services.kernel.context import Context, get_assessment
from backend.services.kernel.errors import Conflict, Invalid, NotFound
from backend.storage.db import IntegrityError, Session
from backend.storage.queries.worksheets import row_for_update, worksheet_rows
from backend.storage.tables import Assessment, WorksheetChannel, WorksheetStep, utcnow

# How a stored (and API) use reads in the scoring's words, and back.
USE_WORDS = {"in_use": "in use", "not_in_use": "not in use", "unknown": "unknown"}
USE_KEYS = {words: key for key, words in USE_WORDS.items()}


def sheet_of(content: ContentBundle) -> Worksheet | None:
    """The audit worksheet: whichever rubric declares one."""
    return next((r.worksheet for r in content.rubrics.values() if r.worksheet is not None), None)


def worksheet_moments(content: ContentBundle) -> list[str]:
    """The ids of the worksheet's moments of truth, in order (none when the content has no worksheet)."""
    sheet = sheet_of(content)
    return [m.id for m in sheet.moments] if sheet else []


def _sheet(ctx: Context) -> Worksheet:
    sheet = sheet_of(ctx.content)
    if sheet is None:
        raise NotFound("the content has no feedback-channel audit worksheet: no rubric declares one", field="worksheet")
    return sheet


def _edits(session: Session, assessment_id: int) -> WorksheetEdits:
    channels = {
        r.channel_id: ChannelEdit(USE_WORDS.get(r.use), dict(r.moments or {}))
        for r in worksheet_rows(session, WorksheetChannel, assessment_id)
    }
    steps = {
        r.criterion_id: StepEdit(r.owner, r.status, r.note)
        for r in worksheet_rows(session, WorksheetStep, assessment_id)
    }
    return WorksheetEdits(channels, steps)


def _built(ctx: Context, session: Session, sheet: Worksheet, assessment_id: int, result: ResultView) -> AuditWorksheet:
    scores = {c.id: c.score for c in result.criteria}
    return build_worksheet(
        sheet, scores, ctx.content.recommendations[sheet.recommendation][1], _edits(session, assessment_id)
    )


def report_worksheet(ctx: Context, assessment_id: int, result: ResultView) -> AuditWorksheet | None:
    """The worksheet as the report prints it, with the team's corrections; None when the content has none."""
    sheet = sheet_of(ctx.content)
    if sheet is None:
        return None
    with ctx.db.read() as session:
        return _built(ctx, session, sheet, assessment_id, result)


def _public(ctx: Context, assessment: Assessment, sheet: Worksheet, built: AuditWorksheet) -> WorksheetPublic:
    names = ctx.content.criteria
    return WorksheetPublic(
        assessment_id=assessment.id,
        period=assessment.period,
        editable=assessment.status == "draft",
        in_use_at=sheet.in_use_at,
        channels=[
            WorksheetChannelPublic(
                id=c.id,
                name=c.name,
                use=USE_KEYS[c.use],
                answered_use=USE_KEYS[c.answered_use],
                use_changed=c.use_changed,
                moments=_ordered(sheet, c.moments),
                proposed=_ordered(sheet, c.proposed),
                changed=_ordered(sheet, c.changed),
                evidence=[
                    EvidencePublic(criterion_id=cid, name=names[cid].name if cid in names else cid, score=score)
                    for cid, score in c.evidence
                ],
            )
            for c in built.channels
        ],
        moments=[
            WorksheetMomentPublic(id=m.id, name=m.name, channels=list(m.channels), gap=m.gap, overlap=m.overlap)
            for m in built.moments
        ],
        steps=[
            WorksheetStepPublic(
                number=s.number,
                criterion_id=s.criterion,
                title=s.title,
                detail=s.detail,
                owner_role=s.owner,
                score=s.score,
                owner=s.owner_name,
                status=s.status,
                note=s.note,
            )
            for s in built.steps
        ],
    )


def _ordered(sheet: Worksheet, moments: frozenset[str]) -> list[str]:
    return [m.id for m in sheet.moments if m.id in moments]


def worksheet_of(ctx: Context, assessment_id: int) -> WorksheetPublic:
    """The worksheet as it stands: channels in use (from the answers or the team's word), the moments each captures,
    gaps and overlaps per moment, and the five steps with what the team recorded. A read only."""
    sheet = _sheet(ctx)
    with ctx.db.read() as session:
        assessment = get_assessment(session, assessment_id)
        result, _ = result_of(ctx, session, assessment)
        return _public(ctx, assessment, sheet, _built(ctx, session, sheet, assessment_id, result))


def _editable(assessment: Assessment) -> None:
    if assessment.status != "draft":
        raise Conflict(
            f"assessment {assessment.id} ({assessment.period}) is submitted and its audit worksheet is frozen with its "
            "answers; start the next period's assessment to work on the worksheet again",
            field="status",
        )


# Per kind of correction: the audit log's action, and what of a row the log keeps before and after.
ACTIONS = {WorksheetChannel: "worksheet.channel", WorksheetStep: "worksheet.step"}
STATES: dict[type, Callable] = {
    WorksheetChannel: lambda row: {"use": row.use or "", "moments": dict(row.moments or {})},
    WorksheetStep: lambda row: {"owner": row.owner, "status": row.status, "note": row.note},
}


def _change(ctx: Context, assessment_id: int, table: type, key: str, apply: Callable) -> WorksheetPublic:
    """Apply a change to a channel's (or step's) row in one write transaction, recorded in the audit log when it changed
    anything (again once, if a first correction raced another's), then read the worksheet back."""
    for attempt in (1, 2):
        try:
            with ctx.db.write() as session:
                assessment = get_assessment(session, assessment_id)
                _editable(assessment)
                row = row_for_update(session, table, assessment.id, key)
                before = STATES[table](row)
                apply(row)
                after = STATES[table](row)
                if after == before:
                    if row.id is None:
                        session.expunge(row)  # nothing to keep
                    break
                row.updated_at = utcnow()
                session.add(row)
                session.flush()
                entity = f"{assessment.id}/{key}"
                record(
                    session,
                    assessment.organisation_id,
                    ctx.who,
                    ACTIONS[table],
                    table.__tablename__,
                    entity,
                    before,
                    after,
                )
            break
        except IntegrityError:
            if attempt == 2:
                raise
    return worksheet_of(ctx, assessment_id)


def edit_channel(ctx: Context, assessment_id: int, channel_id: str, patch: WorksheetChannelPatch) -> WorksheetPublic:
    """Mark a channel in use or not (or back to what the answers say) and tick the moments it captures; only the
    ticks that differ from the worksheet's proposal are kept as corrections."""
    sheet = _sheet(ctx)
    channel = next((c for c in sheet.channels if c.id == channel_id), None)
    if channel is None:
        raise NotFound(
            f"channel '{channel_id}' is not on the audit worksheet",
            field="channel_id",
            allowed=[c.id for c in sheet.channels],
        )
    moment_ids = [m.id for m in sheet.moments]
    unknown = [m for m in patch.moments or () if m not in moment_ids]
    if unknown:
        raise Invalid(
            f"'{unknown[0]}' is not a moment of truth on the audit worksheet; use some of: {', '.join(moment_ids)}",
            field="moments",
            allowed=moment_ids,
        )

    def apply(row: WorksheetChannel) -> None:
        if patch.use is not None:
            row.use = "" if patch.use == "as_answers" else patch.use
        if patch.moments is not None:
            ticked = set(patch.moments)
            row.moments = {m: m in ticked for m in moment_ids if (m in ticked) != (m in channel.moments)}

    return _change(ctx, assessment_id, WorksheetChannel, channel_id, apply)


def edit_step(ctx: Context, assessment_id: int, number: int, patch: WorksheetStepPatch) -> WorksheetPublic:
    """Record a step's owner (a person's name), status and note."""
    sheet = _sheet(ctx)
    if not 1 <= number <= len(sheet.steps):
        raise NotFound(
            f"the audit worksheet has steps 1 to {len(sheet.steps)}, not {number}",
            field="number",
            allowed=[str(n) for n in range(1, len(sheet.steps) + 1)],
        )

    def apply(row: WorksheetStep) -> None:
        for name in ("owner", "status", "note"):
            value = getattr(patch, name)
            if value is not None:
                setattr(row, name, value.strip() if name == "owner" else value)

    return _change(ctx, assessment_id, WorksheetStep, sheet.steps[number - 1], apply)
