"""Roadmap items per assessment: planned from the result, tracked, carried to the next period."""

from __future__ import annotations

from backend.schemas.views import RoadmapItemPatch, RoadmapItemPublic, RoadmapPublic
from backend.services.assessments.results import live_plan, score_rows, step_from_content
from backend.services.kernel.audit import record
from backend.services.kernel.context import Context, get_assessment
from backend.services.kernel.errors import Conflict, NotFound
from backend.services.organisations.sizes import assessed_organisation_is_small
from backend.storage.db import Session
from backend.storage.queries.answers import answers_of
from backend.storage.queries.assessments import draft_ids, snapshot_of
from backend.storage.queries.roadmaps import periods_of_items, roadmap_rows
from backend.storage.tables import Assessment, RoadmapItem, utcnow

OPEN = ("planned", "in_progress")


def _stale(rows: dict[str, RoadmapItem], planned: dict[str, dict]) -> list[RoadmapItem]:
    """The stored steps (new ones included) whose place differs from the plan, set to where the plan puts them."""
    changed = []
    for rec_id, step in planned.items():
        row = rows.get(rec_id)
        if row is None or (row.horizon, row.position, row.triggered) != (step["horizon"], step["position"], True):
            changed.append((rec_id, row, (step["horizon"], step["position"], True)))
    for rec_id, row in rows.items():
        if rec_id not in planned and row.triggered:
            changed.append((rec_id, row, ("", 0, False)))
    return changed


def sync_roadmap(session: Session, assessment: Assessment, steps: dict) -> list[RoadmapItem]:
    """Make the stored items match the plan, keeping every status, owner and due period."""
    rows = {r.recommendation_id: r for r in roadmap_rows(session, assessment.id)}
    planned = {s["recommendation_id"]: s for s in steps["items"]}
    for rec_id, row, (horizon, position, triggered) in _stale(rows, planned):
        row = row or RoadmapItem(assessment_id=assessment.id, recommendation_id=rec_id)
        row.horizon, row.position, row.triggered = horizon, position, triggered
        session.add(row)
        rows[rec_id] = row
    session.flush()
    return list(rows.values())


def sync_draft(ctx: Context, session: Session, assessment: Assessment) -> None:
    """Bring a draft's stored steps in line with its live plan, in the caller's write transaction."""
    if assessment.status == "draft":
        sync_roadmap(
            session,
            assessment,
            _steps_for(ctx, session, assessment, assessed_organisation_is_small(session, assessment)),
        )


def refresh_roadmap(ctx: Context, assessment_id: int) -> None:
    """After a draft's answers changed: sync its stored steps, in a write transaction of its own."""
    # SQLite has one writer: a save's answers are all in by the time this reads, so the plan is
    # scored first without the lock (most answers move no step) and written only when it differs.
    if ctx.db.is_sqlite and not _out_of_step(ctx, assessment_id):
        return
    with ctx.db.write() as session:
        # Locked (PostgreSQL), so two saves' syncs of one draft take turns and the later one reads both answers.
        assessment = session.get(Assessment, assessment_id, with_for_update=True)
        if assessment is not None:
            sync_draft(ctx, session, assessment)


def refresh_drafts(ctx: Context) -> None:
    """At start-up: every draft's stored steps in line with today's content (a changed rubric may plan
    other steps), so the roadmap read never has to write."""
    with ctx.db.read() as session:
        drafts = draft_ids(session)
    for assessment_id in drafts:
        refresh_roadmap(ctx, assessment_id)


def _out_of_step(ctx: Context, assessment_id: int) -> bool:
    with ctx.db.read() as session:
        assessment = session.get(Assessment, assessment_id)
        if assessment is None or assessment.status != "draft":
            return False
        steps = _steps_for(ctx, session, assessment, assessed_organisation_is_small(session, assessment))
        rows = {r.recommendation_id: r for r in roadmap_rows(session, assessment_id)}
        return bool(_stale(rows, {s["recommendation_id"]: s for s in steps["items"]}))


def carry_roadmap(session: Session, previous: Assessment, target: Assessment) -> None:
    """Copy the previous period's open steps (planned, in progress) with owner and due period."""
    for old in roadmap_rows(session, previous.id):
        if old.status in OPEN:
            session.add(
                RoadmapItem(
                    assessment_id=target.id,
                    recommendation_id=old.recommendation_id,
                    triggered=False,
                    status=old.status,
                    owner=old.owner,
                    due_period=old.due_period,
                    carried_from_id=old.id,
                )
            )
    session.flush()


def _public(step: dict, row: RoadmapItem, carried: dict[int, str]) -> RoadmapItemPublic:
    return RoadmapItemPublic(
        **step,
        id=row.id,
        triggered=row.triggered,
        status=row.status,
        owner=row.owner,
        due_period=row.due_period,
        carried_from_period=carried.get(row.carried_from_id),
        version=row.version,
    )


def _steps_for(ctx: Context, session: Session, assessment: Assessment, small: bool) -> dict:
    if assessment.status == "submitted":
        return snapshot_of(session, assessment.id).roadmap
    result = score_rows(ctx.content, ctx.plan(assessment).questionnaire.id, answers_of(session, assessment.id))
    return live_plan(ctx.content, result, small)


def _view(ctx: Context, session: Session, assessment: Assessment) -> RoadmapPublic:
    small = assessed_organisation_is_small(session, assessment)
    steps = _steps_for(ctx, session, assessment, small)
    rows = list(roadmap_rows(session, assessment.id))
    by_rec = {r.recommendation_id: r for r in rows}
    carried = periods_of_items(session, [r.carried_from_id for r in rows if r.carried_from_id])
    items = [
        _public(s, by_rec[s["recommendation_id"]], carried) for s in steps["items"] if s["recommendation_id"] in by_rec
    ]
    planned = {s["recommendation_id"] for s in steps["items"]}
    for row in rows:
        if row.recommendation_id not in planned and row.status != "planned":
            step = step_from_content(ctx.content, row.recommendation_id, small)
            if step is not None:
                items.append(_public(step, row, carried))
    return RoadmapPublic(assessment_id=assessment.id, period=assessment.period, items=items, deferred=steps["deferred"])


def roadmap_of(ctx: Context, assessment_id: int) -> RoadmapPublic:
    """The roadmap by horizon with each step's status; open steps no longer triggered come last.

    A read only: the write paths that change a plan (answers, a baseline, submission, an import,
    acknowledging new content) keep the stored steps in line, so a page view never takes the write lock.
    """
    with ctx.db.read() as session:
        return _view(ctx, session, get_assessment(session, assessment_id))


def update_item(ctx: Context, assessment_id: int, item_id: int, patch: RoadmapItemPatch) -> RoadmapItemPublic:
    """Change a step's status, owner or due period (also after submission: work goes on); one write transaction."""
    with ctx.db.write() as session:
        assessment = get_assessment(session, assessment_id)
        sync_draft(ctx, session, assessment)  # the item edited is one of the plan's current steps
        row = session.get(RoadmapItem, item_id, with_for_update=True)
        if row is None or row.assessment_id != assessment_id:
            raise NotFound(f"roadmap item {item_id} not found in assessment {assessment_id}", field="item_id")
        if patch.expected_version is not None and patch.expected_version != row.version:
            raise Conflict(
                f"roadmap item {item_id} was changed by someone else (version {row.version}, you expected "
                f"{patch.expected_version}); reload it and try again",
                field="expected_version",
            )
        fields = ("status", "owner", "due_period")
        before = {name: getattr(row, name) for name in fields}
        for name in fields:
            value = getattr(patch, name)
            if value is not None:
                setattr(row, name, value)
        after = {name: getattr(row, name) for name in fields}
        record(
            session,
            assessment.organisation_id,
            ctx.who,
            "roadmap.update",
            "roadmap_item",
            f"{item_id} {row.recommendation_id}",
            before,
            after,
        )
        row.version += 1
        row.updated_at = utcnow()
        session.add(row)
        session.flush()
        shown = next((i for i in _view(ctx, session, assessment).items if i.id == item_id), None)
        return shown or _hidden(ctx, session, assessment, row)


def _hidden(ctx: Context, session: Session, assessment: Assessment, row: RoadmapItem) -> RoadmapItemPublic:
    # A step set back to "planned" that is no longer triggered drops out of the roadmap view.
    step = step_from_content(ctx.content, row.recommendation_id, assessed_organisation_is_small(session, assessment))
    carried = periods_of_items(session, [row.carried_from_id] if row.carried_from_id else [])
    return _public(step, row, carried)
