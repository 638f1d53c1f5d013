"""A consultant's portfolio of client organisations, and one organisation's overview.

The portfolio reads only what submission froze: each organisation's latest two submitted
periods (their snapshots' per-model part, extracted inside the database), open roadmap
steps counted by one grouped query, and answer counts of drafts. Drafts are never scored
here: a draft's level is provisional until it is submitted, and scoring every client's draft
on every page view would cost far more than the page is worth. A draft shows as "in progress",
with its answered count, which is counted again only when its answers changed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date, datetime
from threading import Lock
from typing import Literal, NamedTuple, TypeVar
from urllib.parse import urlencode

from cachetools import LRUCache
from pydantic import BaseModel

from backend.content.bundle import ContentBundle, QuestionnairePlan
from backend.content.roles import HEADLINE, STAGE, model_id_of_kind
from backend.labels import quarter_of
from backend.schemas.types import PERIOD
from backend.schemas.views import AssessmentCreate, AssessmentPublic, OrganisationPublic, PeriodPoint, RoadmapPublic
from backend.services.assessments import assessments, history, roadmaps
from backend.services.assessments.answers import answered_count
from backend.services.kernel.context import Context
from backend.services.kernel.errors import Invalid, ServiceError
from backend.services.organisations.organisations import organisation_rows, reachable_ids, read_organisation
from backend.storage.db import Session
from backend.storage.queries.answers import answer_stamps, answer_values
from backend.storage.queries.assessments import (
    AssessmentHead,
    assessments_of_organisations,
    latest_submitted,
    snapshot_models,
)
from backend.storage.queries.organisations import OrganisationRow
from backend.storage.queries.roadmaps import open_step_counts

SORTS = {
    "name": "Name (A to Z)",
    "level": "Socialfication level (highest first)",
    "assessed": "Last assessed (latest first)",
    "open": "Open roadmap steps (most first)",
}
SORTED_BY = {
    "name": "name",
    "level": "level, highest first",
    "assessed": "last assessed, latest first",
    "open": "open roadmap steps, most first",
}
PAGE_SIZE = 50  # organisations a page shows: a consultancy's admin reaches a thousand
Trend = Literal["up", "down", "level", "first", "none"]


class DraftInProgress(BaseModel):
    assessment_id: int
    period: str
    questionnaire_id: str
    answered: int
    questions: int


class OrganisationSummary(BaseModel):
    """One row of the portfolio: where the organisation stood at its last submitted period."""

    id: int
    name: str
    sector: str
    size: str
    assessment_id: int | None = None
    period: str | None = None
    assessed_at: datetime | None = None
    level: int | None = None
    level_name: str | None = None
    progress: float | None = None
    provisional: bool = False
    stage: int | None = None
    stage_name: str | None = None
    stage_progress: float | None = None
    previous_period: str | None = None
    previous_progress: float | None = None
    trend: Trend = "none"
    open_steps: int = 0
    draft: DraftInProgress | None = None
    archived_at: datetime | None = None


class Portfolio(BaseModel):
    organisations: list[OrganisationSummary]  # the page shown
    q: str
    sort: str
    total: int
    archived: int = 0  # how many of the reachable organisations are archived
    show_archived: bool = False
    matched: int = 0  # how many match the search, on every page
    page: int = 1
    pages: int = 1

    @property
    def sorted_by(self) -> str:
        return SORTED_BY[self.sort]

    @property
    def first(self) -> int:
        """The position of the page's first organisation among those matched, from 1."""
        return (self.page - 1) * PAGE_SIZE + 1

    def query(self, page: int) -> str:
        """The portfolio's address for another page of the same search, sort and archive choice."""
        wanted = {"q": self.q, "sort": self.sort if self.sort != "name" else "", "archived": "1" * self.show_archived}
        return urlencode({**{k: v for k, v in wanted.items() if v}, **({"page": page} if page > 1 else {})})


def trend_of(progress: float | None, previous: float | None) -> Trend:
    """Up, down or level against the previous period, at the precision shown (one decimal)."""
    if progress is None:
        return "none"
    if previous is None:
        return "first"
    now, before = round(progress, 1), round(previous, 1)
    return "up" if now > before else "down" if now < before else "level"


def _latest_submitted_per_period(rows: list[AssessmentHead]) -> list[AssessmentHead]:
    chosen: dict[str, AssessmentHead] = {}
    for row in rows:  # oldest first: a later submission of the same period wins
        if row.status == "submitted":
            chosen[row.period] = row
    return [chosen[p] for p in sorted(chosen)]


def _model(models: list[dict], name: str | None) -> dict:
    return next((m for m in models if m.get("model") == name), {})


Value = TypeVar("Value")


class _Kept:
    """Values kept per process under keys that say everything they were worked out from, so nothing needs
    clearing: a changed input is a new key. Looked up many at a time, the missing ones worked out together."""

    def __init__(self, size: int) -> None:
        self._values: LRUCache = LRUCache(maxsize=size)
        self._lock = Lock()

    def many(self, keys: dict[int, Hashable], work_out: Callable[[list[int]], dict[int, Value]]) -> dict[int, Value]:
        with self._lock:
            found = {i: self._values[key] for i, key in keys.items() if key in self._values}
        new = work_out([i for i in keys if i not in found])
        with self._lock:
            for i, value in new.items():
                self._values[keys[i]] = value
        return {**found, **new}


# Each draft's (answered, asked), by draft, the stamp of its answers (answer_stamps; a draft without answers has none
# and counts the same whatever its id was before), its questionnaire and the content: the portfolio reads answer rows
# only for drafts whose answers changed since.
_COUNTED = _Kept(4096)
# Each submitted assessment's per-model summary, by the assessment and the moment it was submitted: a snapshot
# never changes once written (see results.frozen). Sorting an admin's 1,000 organisations by level read and
# parsed 1,000 of them on every view.
_MODELS = _Kept(8192)


def _models_of(session: Session, heads: list[AssessmentHead]) -> dict[int, list[dict]]:
    return _MODELS.many({h.id: (h.id, h.submitted_at) for h in heads}, lambda ids: snapshot_models(session, ids))


class Standing(NamedTuple):
    """Where an organisation stands: its last two submitted periods and its latest draft, each if any."""

    current: AssessmentHead | None
    previous: AssessmentHead | None
    draft: AssessmentHead | None


def _standings(session: Session, organisation_ids: list[int]) -> dict[int, Standing]:
    by_org: dict[int, list[AssessmentHead]] = {}
    for row in assessments_of_organisations(session, organisation_ids):
        by_org.setdefault(row.organisation_id, []).append(row)
    standings = {}
    for org_id, rows in by_org.items():
        submitted = _latest_submitted_per_period(rows)
        drafts = [r for r in rows if r.status == "draft"]
        standings[org_id] = Standing(
            submitted[-1] if submitted else None,
            submitted[-2] if len(submitted) > 1 else None,
            drafts[-1] if drafts else None,
        )
    return standings


def _summaries(ctx: Context, organisations: list[OrganisationRow]) -> list[OrganisationSummary]:
    """The organisations' rows, in the order given."""
    with ctx.db.read() as session:
        standings = _standings(session, [o.id for o in organisations])
        latest = {org_id: (s.current, s.previous) for org_id, s in standings.items()}
        drafts = {org_id: s.draft for org_id, s in standings.items() if s.draft is not None}
        models = _models_of(session, [a for pair in latest.values() for a in pair if a is not None])
        open_steps = open_step_counts(session, [pair[0].id for pair in latest.values() if pair[0] is not None])
        stamps = answer_stamps(session, [d.id for d in drafts.values()])
        keys = {d.id: (d.id, stamps.get(d.id), d.questionnaire_id, ctx.content.content_hash) for d in drafts.values()}
        questionnaire = {d.id: d.questionnaire_id for d in drafts.values()}

        def count(ids: list[int]) -> dict[int, tuple[int, int]]:
            values = answer_values(session, ids)
            return {d: answered_count(ctx.content.plans.get(questionnaire[d]), values.get(d, {})) for d in ids}

        counted = _COUNTED.many(keys, count)
    # Stored snapshots carry model ids: the headline ladder and the stage model are looked up once, by kind.
    headline, stage = (model_id_of_kind(ctx.content.rubrics.values(), kind) for kind in (HEADLINE, STAGE))
    rows = []
    for org in organisations:
        current, previous = latest.get(org.id, (None, None))
        row = OrganisationSummary(
            id=org.id, name=org.name, sector=org.sector, size=org.size, archived_at=org.archived_at
        )
        if current is not None:
            sf, solis = _model(models.get(current.id, []), headline), _model(models.get(current.id, []), stage)
            before = _model(models.get(previous.id, []), headline) if previous else {}
            row = row.model_copy(
                update={
                    "assessment_id": current.id,
                    "period": current.period,
                    "assessed_at": current.submitted_at,
                    "level": sf.get("level"),
                    "level_name": sf.get("level_name"),
                    "progress": sf.get("progress"),
                    "provisional": bool(sf.get("provisional")),
                    "stage": solis.get("level"),
                    "stage_name": solis.get("level_name"),
                    "stage_progress": solis.get("progress"),
                    "previous_period": previous.period if previous else None,
                    "previous_progress": before.get("progress"),
                    "trend": trend_of(sf.get("progress"), before.get("progress")),
                    "open_steps": open_steps.get(current.id, 0),
                }
            )
        draft = drafts.get(org.id)
        if draft is not None:
            answered, asked = counted[draft.id]
            row.draft = DraftInProgress(
                assessment_id=draft.id,
                period=draft.period,
                questionnaire_id=draft.questionnaire_id,
                answered=answered,
                questions=asked,
            )
        rows.append(row)
    return rows


def _ordered(ctx: Context, organisations: list[OrganisationRow], sort: str) -> list[OrganisationRow]:
    """The organisations in the order asked for, reading only what that order needs (the rows of one page are
    summarised afterwards): by name; by level, last assessed or open steps, ties by name."""
    by_name = sorted(organisations, key=lambda o: (o.name.casefold(), o.id))
    if sort == "name":
        return by_name
    with ctx.db.read() as session:
        # An admin's are read for every organisation, with no list of ids (a thousand of them cost PostgreSQL more
        # than the read), then kept for those listed; anyone else's for those listed.
        everyone = reachable_ids(ctx) is None
        reached = latest_submitted(session, None if everyone else [o.id for o in by_name])
        current = {o.id: reached[o.id] for o in by_name if o.id in reached}
        if sort == "level":
            headline = model_id_of_kind(ctx.content.rubrics.values(), HEADLINE)
            models = _models_of(session, list(current.values()))
            progress = {a: _model(m, headline).get("progress") for a, m in models.items()}
        elif sort == "open":
            steps = open_step_counts(session, [a.id for a in current.values()])

    def key(org: OrganisationRow) -> tuple:
        now = current.get(org.id)
        if sort == "level":
            level = progress.get(now.id) if now is not None else None
            return (level is not None, level or 0.0)
        if sort == "assessed":
            return (now is not None, now.period if now else "", (now.submitted_at if now else None) or datetime.min)
        return (steps.get(now.id, 0) if now is not None else 0,)

    return sorted(by_name, key=key, reverse=True)  # a reversed sort stays stable: ties keep the name order


def page_number(text: str | None) -> int:
    """A page asked for in an address: 1 when none is given."""
    if text is None or text == "":
        return 1
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 1_000_000:
        raise Invalid(
            f"page '{text[:20]}' is not a page number: use a whole number from 1, such as page=2", field="page"
        )
    return int(text)


def portfolio(ctx: Context, q: str = "", sort: str = "name", show_archived: bool = False, page: int = 1) -> Portfolio:
    """A page of the organisations the actor may reach, each with level, stage, trend and open steps;
    filtered by a name or sector containing `q`, sorted by name, level, last assessed or open steps.
    Archived organisations are left out unless `show_archived`. A page past the last shows the last."""
    if sort not in SORTS:
        raise Invalid(f"sort '{sort}' is not known; use one of: {', '.join(SORTS)}", field="sort", allowed=list(SORTS))
    q = (q or "").strip()[:200]
    reachable = organisation_rows(ctx)
    archived = sum(1 for o in reachable if o.archived_at is not None)
    everyone = reachable if show_archived else [o for o in reachable if o.archived_at is None]
    needle = q.casefold()
    chosen = (
        [o for o in everyone if needle in o.name.casefold() or needle in o.sector.casefold()] if needle else everyone
    )
    pages = max(1, -(-len(chosen) // PAGE_SIZE))
    page = min(page, pages)
    shown = slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    return Portfolio(
        organisations=_summaries(ctx, _ordered(ctx, chosen, sort)[shown]),
        q=q,
        sort=sort,
        total=len(everyone),
        archived=archived,
        show_archived=show_archived,
        matched=len(chosen),
        page=page,
        pages=pages,
    )


# --- one organisation ---------------------------------------------------------


def next_period(period: str) -> str:
    """The quarter after a period: 2026-Q4 -> 2027-Q1."""
    match = PERIOD.match(period)
    if not match:
        raise ValueError(f"not a period: {period!r}")
    year, quarter = int(match.group(1)), int(match.group(2))
    return f"{year + 1}-Q1" if quarter == 4 else f"{year}-Q{quarter + 1}"


class OrganisationOverview(BaseModel):
    organisation: OrganisationPublic
    assessments: list[AssessmentPublic]
    periods: list[PeriodPoint]
    roadmap: RoadmapPublic | None = None
    roadmap_assessment: AssessmentPublic | None = None
    next_period: str
    baseline: AssessmentPublic | None = None
    next_assessment: AssessmentCreate | None = None


def questionnaires_offered(content: ContentBundle) -> list[QuestionnairePlan]:
    """The questionnaires to start an assessment with, the shortest (the quickest first answer) first."""
    return sorted(content.plans.values(), key=lambda p: (len(p.questions), p.questionnaire.id))


def next_assessment(content: ContentBundle, period: str, baseline: AssessmentPublic | None) -> AssessmentCreate | None:
    """What a new assessment starts from unless told otherwise: the baseline's questionnaire (else the shortest, the
    quick check: a first answer in minutes, the full diagnostic when there is time for it), the period after the
    latest, a self-assessment, from the latest period's answers."""
    offered = questionnaires_offered(content)
    if not offered:
        return None
    questionnaire_id = (
        baseline.questionnaire_id
        if baseline and baseline.questionnaire_id in content.plans
        else offered[0].questionnaire.id
    )
    return AssessmentCreate.model_construct(
        questionnaire_id=questionnaire_id,
        period=period,
        kind="self_assessment",
        baseline_assessment_id=baseline.id if baseline else None,
    )


def _roadmap_source(rows: list[AssessmentPublic]) -> AssessmentPublic | None:
    # The plan agreed at the last submission; before any, the live plan of the latest draft with
    # answers (an empty draft would propose everything, which says nothing yet).
    submitted = [a for a in rows if a.status == "submitted"]
    if submitted:
        return submitted[-1]
    answered = [a for a in rows if a.answered]
    return answered[-1] if answered else None


def overview(ctx: Context, organisation_id: int, today: date | None = None) -> OrganisationOverview:
    """An organisation's periods with their levels, the current roadmap, and what a new assessment would start from:
    the quarter after the latest one (or this quarter, when that is later), from the latest period's answers."""
    organisation = read_organisation(ctx, organisation_id)
    rows = assessments.list_assessments(ctx, organisation_id)
    points = history.progress(ctx, organisation_id).periods
    source = _roadmap_source(rows)
    roadmap = None
    if source is not None:
        try:
            roadmap = roadmaps.roadmap_of(ctx, source.id)
        except ServiceError:
            roadmap = None  # a draft whose questionnaire left the content has no plan to show
    latest = max((a.period for a in rows), default=None)
    baseline = None
    if rows:
        baseline = sorted(rows, key=lambda a: (a.period, a.status == "submitted", a.created_at, a.id))[-1]
    this_quarter = quarter_of(today or date.today())
    period = max(next_period(latest), this_quarter) if latest else this_quarter
    return OrganisationOverview(
        organisation=organisation,
        assessments=rows,
        periods=points,
        roadmap=roadmap,
        roadmap_assessment=source if roadmap is not None else None,
        next_period=period,
        baseline=baseline,
        next_assessment=next_assessment(ctx.content, period, baseline),
    )
