"""Roadmap items per assessment: planned from the result, tracked, carried to the next period."""

from __future__ import annotations

from sqlmodel import Session

from backend.services.audit import record
from backend.services.context import Context, get_assessment
from backend.services.errors import Conflict, NotFound
from backend.services.results import live_plan, score_rows, step_from_content
from backend.services.sizes import assessed_organisation_is_small
from backend.services.views import RoadmapItemPatch, RoadmapItemPublic, RoadmapPublic
from backend.storage import repository as repo
from backend.storage.tables import Assessment, RoadmapItem, utcnow

OPEN = ("planned", "in_progress")


def sync_roadmap(session: Session, assessment: Assessment, steps: dict) -> list[RoadmapItem]:
    """Make the stored items match the plan, keeping every status, owner and due period."""
    rows = {r.recommendation_id: r for r in repo.roadmap_rows(session, assessment.id)}
    planned = {s["recommendation_id"]: s for s in steps["items"]}
    for rec_id, step in planned.items():
        row = rows.get(rec_id) or RoadmapItem(assessment_id=assessment.id, recommendation_id=rec_id)
        if (row.horizon, row.position, row.triggered) != (step["horizon"], step["position"], True):
            row.horizon, row.position, row.triggered = step["horizon"], step["position"], True
            session.add(row)
        rows[rec_id] = row
    for rec_id, row in rows.items():
        if rec_id not in planned and row.triggered:
            row.triggered, row.horizon, row.position = False, "", 0
            session.add(row)
    session.flush()
    return list(rows.values())


def carry_roadmap(session: Session, previous: Assessment, target: Assessment) -> None:
    """Copy the previous period's open steps (planned, in progress) with owner and due period."""
    for old in repo.roadmap_rows(session, previous.id):
        if old.status in OPEN:
            session.add(RoadmapItem(
                assessment_id=target.id, recommendation_id=old.recommendation_id, triggered=False,
                status=old.status, owner=old.owner, due_period=old.due_period, carried_from_id=old.id,
            ))
    session.flush()


def _public(step: dict, row: RoadmapItem, carried: dict[int, str]) -> RoadmapItemPublic:
    return RoadmapItemPublic(
        **step, id=row.id, triggered=row.triggered, status=row.status, owner=row.owner,
        due_period=row.due_period, carried_from_period=carried.get(row.carried_from_id), version=row.version,
    )


def _steps_for(ctx: Context, session: Session, assessment: Assessment, small: bool) -> dict:
    if assessment.status == "submitted":
        return repo.snapshot_of(session, assessment.id).roadmap
    result = score_rows(ctx.content, ctx.plan(assessment).questionnaire.id, repo.answers_of(session, assessment.id))
    return live_plan(ctx.content, result, small)


def roadmap_of(ctx: Context, assessment_id: int) -> RoadmapPublic:
    """The roadmap by horizon with each step's status; open steps no longer triggered come last."""
    with ctx.db.write() as session:
        assessment = get_assessment(session, assessment_id)
        small = assessed_organisation_is_small(session, assessment)
        steps = _steps_for(ctx, session, assessment, small)
        rows = sync_roadmap(session, assessment, steps) if assessment.status == "draft" else list(repo.roadmap_rows(session, assessment.id))
        by_rec = {r.recommendation_id: r for r in rows}
        carried = repo.periods_of_items(session, [r.carried_from_id for r in rows if r.carried_from_id])
        items = [_public(s, by_rec[s["recommendation_id"]], carried) for s in steps["items"] if s["recommendation_id"] in by_rec]
        planned = {s["recommendation_id"] for s in steps["items"]}
        for row in rows:
            if row.recommendation_id not in planned and row.status != "planned":
                step = step_from_content(ctx.content, row.recommendation_id, small)
                if step is not None:
                    items.append(_public(step, row, carried))
        return RoadmapPublic(assessment_id=assessment.id, period=assessment.period, items=items, deferred=steps["deferred"])


def update_item(ctx: Context, assessment_id: int, item_id: int, patch: RoadmapItemPatch) -> RoadmapItemPublic:
    """Change a step's status, owner or due period (also after submission: work goes on)."""
    roadmap_of(ctx, assessment_id)  # make sure the stored items reflect the current plan
    with ctx.db.write() as session:
        row = session.get(RoadmapItem, item_id, with_for_update=True)
        if row is None or row.assessment_id != assessment_id:
            raise NotFound(f"roadmap item {item_id} not found in assessment {assessment_id}", field="item_id")
        if patch.expected_version is not None and patch.expected_version != row.version:
            raise Conflict(
                f"roadmap item {item_id} was changed by someone else (version {row.version}, you expected "
                f"{patch.expected_version}); reload it and try again", field="expected_version",
            )
        fields = ("status", "owner", "due_period")
        before = {name: getattr(row, name) for name in fields}
        for name in fields:
            value = getattr(patch, name)
            if value is not None:
                setattr(row, name, value)
        after = {name: getattr(row, name) for name in fields}
        organisation_id = session.get(Assessment, assessment_id).organisation_id
        record(session, organisation_id, ctx.who, "roadmap.update", "roadmap_item", f"{item_id} {row.recommendation_id}", before, after)
        row.version += 1
        row.updated_at = utcnow()
        session.add(row)
        session.flush()
    shown = next((i for i in roadmap_of(ctx, assessment_id).items if i.id == item_id), None)
    return shown or _hidden(ctx, item_id)


def _hidden(ctx: Context, item_id: int) -> RoadmapItemPublic:
    # A step set back to "planned" that is no longer triggered drops out of the roadmap view.
    with ctx.db.read() as session:
        row = session.get(RoadmapItem, item_id)
        step = step_from_content(ctx.content, row.recommendation_id, assessed_organisation_is_small(session, session.get(Assessment, row.assessment_id)))
        carried = repo.periods_of_items(session, [row.carried_from_id] if row.carried_from_id else [])
        return _public(step, row, carried)
