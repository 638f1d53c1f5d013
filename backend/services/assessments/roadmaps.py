"""Roadmap items per assessment: planned from the result, tracked, carried to the next period."""

from __future__ import annotations

from collections.abc import Sequence

from backend.schemas.exports import ExportedItem
from backend.schemas.views import RoadmapItemPatch, RoadmapItemPublic, RoadmapPublic
from backend.scoring.roadmap import UNASSESSED
from backend.services.assessments.results import frozen, scored, step_from_content
from backend.services.kernel.audit import record
from backend.services.kernel.context import Context, get_assessment
from backend.services.kernel.errors import Conflict, NotFound
from backend.services.organisations.sizes import assessed_organisation_is_small
from backend.storage.db import IntegrityError, Session
from backend.storage.queries.assessments import draft_ids
from backend.storage.queries.roadmaps import (
    add_items,
    drop_untracked,
    item_keys,
    periods_of_items,
    roadmap_rows,
    tracked,
)
from backend.storage.tables import Assessment, RoadmapItem, utcnow


def catalogue(ctx: Context) -> list[str]:
    """Every step a plan can place: each recommendation in the content and the step for unanswered sections."""
    return [*ctx.content.recommendations, UNASSESSED]


def ensure_items(ctx: Context, session: Session, assessment_ids: Sequence[int]) -> None:
    """Give each assessment an item for every step its plan may place, so each step has an id to track it by.

    A draft's plan is placed when it is read, from its answers; an answer save never touches the roadmap.
    """
    for assessment_id, keys in item_keys(session, assessment_ids).items():
        add_items(session, assessment_id, [key for key in catalogue(ctx) if key not in keys])


def freeze_roadmap(session: Session, assessment: Assessment, steps: dict) -> None:
    """On submission: place each item as the frozen plan does and drop the items nobody tracked or planned."""
    planned = {s["recommendation_id"]: s for s in steps["items"]}
    for row in roadmap_rows(session, assessment.id):
        step = planned.get(row.recommendation_id)
        row.horizon, row.position, row.triggered = (step["horizon"], step["position"], True) if step else ("", 0, False)
        session.add(row)
    session.flush()
    drop_untracked(session, assessment.id)


def ensure_drafts(ctx: Context) -> None:
    """At start-up: every draft has an item for each step today's content may plan (a new rubric may add steps)."""
    try:
        with ctx.db.write() as session:
            ensure_items(ctx, session, draft_ids(session))
    except IntegrityError:  # another instance starting at the same moment added them first
        with ctx.db.write() as session:
            ensure_items(ctx, session, draft_ids(session))


def carry_roadmap(ctx: Context, session: Session, previous: Assessment, target: Assessment) -> None:
    """Copy the previous period's steps someone worked on or was to work on (done, in progress, or planned where
    its plan placed them or someone tracked them) with owner, due period and since when a step is done: a step
    done stays done in the next periods, it is not planned again."""
    placed = {s["recommendation_id"] for s in _steps_for(ctx, session, previous)["items"]}
    for old in roadmap_rows(session, previous.id):
        if old.status in ("done", "in_progress") or (
            old.status == "planned" and (old.recommendation_id in placed or tracked(old))
        ):
            session.add(
                RoadmapItem(
                    assessment_id=target.id,
                    recommendation_id=old.recommendation_id,
                    triggered=False,
                    status=old.status,
                    owner=old.owner,
                    due_period=old.due_period,
                    done_since=old.done_since or (previous.period if old.status == "done" else ""),
                    carried_from_id=old.id,
                )
            )
    session.flush()


def exported_items(ctx: Context, session: Session, assessment: Assessment) -> list[ExportedItem]:
    """The items an export carries: a submitted assessment's as frozen; a draft's where its plan places them now,
    and those someone tracked (the others are made again on import)."""
    rows = roadmap_rows(session, assessment.id)
    if assessment.status == "submitted":
        return [ExportedItem.from_row(r) for r in rows]
    placed = {s["recommendation_id"]: s for s in _steps_for(ctx, session, assessment)["items"]}
    items = []
    for row in rows:
        step = placed.get(row.recommendation_id)
        if step is not None:
            items.append(ExportedItem.from_row(row, horizon=step["horizon"], position=step["position"], triggered=True))
        elif tracked(row):
            items.append(ExportedItem.from_row(row, horizon="", position=0, triggered=False))
    return sorted(items, key=lambda i: (i.position, i.id))


def _public(step: dict, row: RoadmapItem, carried: dict[int, str], triggered: bool) -> RoadmapItemPublic:
    return RoadmapItemPublic(
        **step,
        id=row.id,
        triggered=triggered,
        status=row.status,
        owner=row.owner,
        due_period=row.due_period,
        done_since=row.done_since,
        carried_from_period=carried.get(row.carried_from_id),
        version=row.version,
    )


def _steps_for(ctx: Context, session: Session, assessment: Assessment, small: bool | None = None) -> dict:
    """The frozen plan of a submitted assessment; a draft's planned now from its answers."""
    if assessment.status == "submitted":
        return frozen(session, assessment.id, assessment.submitted_at).steps
    if small is None:
        small = assessed_organisation_is_small(session, assessment)
    return scored(ctx.content, session, assessment.id, ctx.plan(assessment).questionnaire.id).plan(small)


def _view(ctx: Context, session: Session, assessment: Assessment) -> RoadmapPublic:
    small = assessed_organisation_is_small(session, assessment)
    steps = _steps_for(ctx, session, assessment, small)
    rows = list(roadmap_rows(session, assessment.id))
    by_rec = {r.recommendation_id: r for r in rows}
    carried = periods_of_items(session, [r.carried_from_id for r in rows if r.carried_from_id])
    items = [
        _public(s, by_rec[s["recommendation_id"]], carried, True)
        for s in steps["items"]
        if s["recommendation_id"] in by_rec
    ]
    planned = {s["recommendation_id"] for s in steps["items"]}
    for row in rows:
        if row.recommendation_id not in planned and row.status != "planned":
            step = step_from_content(ctx.content, row.recommendation_id, small)
            if step is not None:
                items.append(_public(step, row, carried, False))
    return RoadmapPublic(assessment_id=assessment.id, period=assessment.period, items=items, deferred=steps["deferred"])


def roadmap_of(ctx: Context, assessment_id: int) -> RoadmapPublic:
    """The roadmap by horizon with each step's status; open steps no longer triggered come last.

    A read only: a draft's steps are placed from its answers as it is read; the stored items carry what is
    tracked (status, owner, due period), so a page view never takes the write lock.
    """
    with ctx.db.read() as session:
        return _view(ctx, session, get_assessment(session, assessment_id))


def update_item(ctx: Context, assessment_id: int, item_id: int, patch: RoadmapItemPatch) -> RoadmapItemPublic:
    """Change a step's status, owner or due period (also after submission: work goes on); one write transaction."""
    with ctx.db.write() as session:
        assessment = get_assessment(session, assessment_id)
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
        if row.status != "done":
            row.done_since = ""
        elif before["status"] != "done":
            row.done_since = assessment.period
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
    return _public(step, row, carried, False)
