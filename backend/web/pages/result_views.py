"""What the results, roadmap and compare pages show, shaped from the services' views.

Pure functions over the JSON API's models and the validated content: no database, no request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from threading import Lock

from cachetools import LRUCache, cached
from markupsafe import Markup
from reportlab.graphics.shapes import Drawing

from backend.content.bundle import ContentBundle
from backend.content.roles import CHECKLIST, HEADLINE, PROFILE, STAGE, first_of_kind
from backend.content.schema import Question
from backend.labels import (
    EFFORTS,
    HORIZON_TITLES,
    ITEM_STATUSES,
    NO_DUE_QUARTER,
    NOT_ASSESSED,
    PROVISIONAL,
    answer_label,
    criterion_verdict,
    level_figure,
    level_line,
    not_covered_text,
    not_placed_text,
    provisional_text,
    rung_noun,
)
from backend.reports import charts, why
from backend.reports.why import AnswerLine, answer_lines
from backend.schemas.views import (
    AssessmentResultPublic,
    CriterionView,
    ModelView,
    PeriodPoint,
    ResultView,
    RoadmapItemPublic,
    StepView,
)
from backend.scoring.confidence import depth_needed
from backend.scoring.roadmap import HORIZONS
from backend.services.organisations.portfolio import next_period
from backend.web.markdown import slug
from backend.web.pages.svg import inline_svg

# The handlers' names for the words labels.py holds (the PDF uses the same tables).
ITEM_STATUS = ITEM_STATUSES
EFFORT = EFFORTS


@dataclass(frozen=True)
class Edit:
    """An inline edit of a roadmap step as it comes back: saved, or refused with the reason and what was typed."""

    saved: bool = False
    error: str = ""
    values: Mapping[str, str] = field(default_factory=dict)
    attempted: str = ""


# -- content lookups ---------------------------------------------------------------------------


def questions_of(content: ContentBundle, questionnaire_id: str) -> dict[str, Question]:
    """The questions of a questionnaire by id (empty when current content no longer has it)."""
    plan = content.plans.get(questionnaire_id)
    return dict(plan.questions) if plan else {}


def floor_name(content: ContentBundle) -> str:
    """The name of level 0 of the ladder model (what the chart's bottom rung says)."""
    ladder = first_of_kind(content.rubrics.values(), HEADLINE)
    return ladder.floor.name if ladder and ladder.floor else "Not started"


def finding_title(content: ContentBundle, finding_id: str) -> str:
    """A finding's title from today's content ('model.rule' ids), or the id when it is gone."""
    model, _, rule = finding_id.partition(".")
    rubric = content.rubrics.get(model)
    found = next((f for f in rubric.findings if f.id == rule), None) if rubric else None
    return found.title if found else finding_id


def recommendation_title(content: ContentBundle, recommendation_id: str) -> str:
    """A recommendation's title, or its id when today's content no longer has it."""
    found = content.recommendations.get(recommendation_id)
    return found[1].title if found else recommendation_id


def criterion_name(content: ContentBundle, criterion_id: str, known: Mapping[str, CriterionView] | None = None) -> str:
    """A criterion's name from the result, else today's content, else its id."""
    if known and criterion_id in known:
        return known[criterion_id].name
    info = content.criteria.get(criterion_id)
    return info.name if info else criterion_id


def model_title(content: ContentBundle, model: str) -> str:
    """The title of a model ('socialfication' -> 'Socialfication maturity')."""
    rubric = content.rubrics.get(model)
    return rubric.title if rubric else model


def questionnaire_title(content: ContentBundle, questionnaire_id: str) -> str:
    """The title of a questionnaire ('full-diagnostic' -> 'Full social-customer diagnostic')."""
    plan = content.plans.get(questionnaire_id)
    return plan.questionnaire.title if plan else "a questionnaire no longer offered"


# -- results -----------------------------------------------------------------------------------


def percent(fraction: float) -> int:
    """A share of the way to a threshold in whole percent, as the charts round it, but never 100 before it is reached."""
    return max(0, min(99, round(fraction * 100)))


def percent_of_way(model: ModelView) -> int:
    """How far to the next level or stage, in whole percent."""
    return percent((model.progress or 0.0) - (model.level or 0))


def progress_sentence(model: ModelView, noun: str) -> str:
    """'Level 2, 40 % of the way to level 3' (or that the top is reached, or that it is not assessed)."""
    if model.level is None:
        return level_line(model)
    level, top = model.level, len(model.steps)
    if level >= top:
        return f"{noun.capitalize()} {level} of {top}: the top {noun} is reached"
    return f"{noun.capitalize()} {level}, {percent_of_way(model)} % of the way to {noun} {level + 1}"


def confidence_notes(result: ResultView) -> list[str]:
    """What lowers confidence: questions not known or not answered, criteria resting on one answer."""
    statuses: dict[str, str] = {}
    for criterion in result.criteria:
        for c in criterion.answers:
            statuses[c.question_id] = c.status
    dont_know = sum(1 for s in statuses.values() if s == "dont_know")
    unanswered = sum(1 for s in statuses.values() if s == "unanswered")
    shallow = [c for c in result.criteria if 0 < c.answered < depth_needed(a.status for a in c.answers)]
    unknown = [c for c in result.criteria if not c.answered and any(a.status == "dont_know" for a in c.answers)]
    notes = []
    if dont_know:
        notes.append(f"{dont_know} question{'s' if dont_know != 1 else ''} answered \u201cdon't know\u201d")
    if unanswered:
        notes.append(f"{unanswered} question{'s' if unanswered != 1 else ''} not answered yet")
    if unknown:
        notes.append(
            f"{len(unknown)} criteri{'a rest' if len(unknown) != 1 else 'on rests'} only on “don't know”, so {'they say' if len(unknown) != 1 else 'it says'} nothing either way"
        )
    if shallow:
        notes.append(
            f"{len(shallow)} criteri{'a rest' if len(shallow) != 1 else 'on rests'} on a single answer where two are asked (two answers give full depth)"
        )
    return notes


def ladder_rows(model: ModelView, floor: str) -> list[tuple[int, str, str]]:
    """The ladder chart as text: each rung with its state."""
    # With no level placed, not even the floor is known to be where the organisation stands (as the chart shows).
    rows = [(0, floor, "where every organisation starts" if model.level is not None else NOT_ASSESSED)]
    for s in model.steps:
        if s.counted:
            state = f"reached, {PROVISIONAL.lower()}" if model.provisional and s.number == model.level else "reached"
        elif s.in_place:
            state = "in place, but ahead of your foundation (not counted)"
        elif s.status == "not assessed":
            state = NOT_ASSESSED
        elif s.number == (model.level or 0) + 1:
            state = f"{percent(s.progress)} % of its threshold"
        else:
            state = "not yet in place"
        rows.append((s.number, s.name, state))
    return rows


def stage_state(step: StepView) -> str:
    """A Solis stage in words."""
    if step.counted:
        return "reached"
    if step.in_place:
        return "in place out of order"
    return "not yet" if step.assessed else NOT_ASSESSED


# -- where the answers behind each number are on the results page ----------------------------------


def criterion_anchor(criterion_id: str) -> str:
    """The anchor of a criterion's answers, from its id so it stays when its wording changes
    ('solis.stage3.rapid_response' -> 'criterion-solis-stage3-rapid-response')."""
    return slug(f"criterion {criterion_id}", set())


def rung_anchor(model: ModelView, number: int) -> str:
    """The anchor of a level's or stage's criteria and their answers ('socialfication-level-2', 'solis-stage-3')."""
    return slug(f"{model.model} {rung_noun(model)} {number}", set())


def rung_links(model: ModelView) -> dict[int, charts.Link]:
    """Each rung of a ladder or stages chart as a link to its criteria and answers, with its accessible name."""
    noun = rung_noun(model).capitalize()
    return {
        s.number: (f"#{rung_anchor(model, s.number)}", f"{noun} {s.number}, {s.name}: the answers behind it")
        for s in model.steps
    }


def criterion_links(criteria: list[CriterionView]) -> dict[str, charts.Link]:
    """Each criterion a chart draws as a link to the answers behind its score, with its accessible name."""
    return {c.id: (f"#{criterion_anchor(c.id)}", f"{c.name}: the answers behind its score") for c in criteria}


def criterion_verdicts(result: ResultView) -> dict[str, str]:
    """Why each criterion is in place, not in place or not assessed, by criterion id."""
    return {c.id: criterion_verdict(c.status, c.score, c.threshold, c.assessed) for c in result.criteria}


# Drawing is most of a results page's time (ReportLab's SVG renderer), and a result is read many times between
# changes: the last few pages' charts are kept, keyed by what they draw.
_DRAWN: LRUCache = LRUCache(maxsize=64)
_DRAWN_LOCK = Lock()


def drawn(key: tuple, draw: Callable[[], Drawing], label: str) -> Markup:
    """A chart as inline SVG labelled for screen readers, kept with the last few pages' charts under `key`
    (everything the drawing depends on: small values, not whole results)."""
    key = ("drawn", label, *key)
    with _DRAWN_LOCK:
        found = _DRAWN.get(key)
    if found is None:
        found = inline_svg(draw(), label)
        with _DRAWN_LOCK:
            _DRAWN[key] = found
    return found


@cached(_DRAWN, key=lambda result, floor: ("result", floor, result.model_dump_json()), lock=_DRAWN_LOCK)
def chart_markup(result: ResultView, floor: str) -> dict[str, Markup]:
    """The PDF's charts as inline SVG, each labelled for screen readers."""
    return _result_charts(result, floor)


def _result_charts(result: ResultView, floor: str) -> dict[str, Markup]:
    criteria = {c.id: c for c in result.criteria}
    out: dict[str, Markup] = {}
    sf, solis, stack = (first_of_kind(result.models, kind) for kind in (HEADLINE, STAGE, PROFILE))
    if sf:
        out["ladder"] = inline_svg(
            charts.level_ladder(sf, floor, links=rung_links(sf)), chart_label("Socialfication ladder", sf)
        )
    if solis:
        elements = [criteria[c] for s in solis.steps for c in s.criteria]
        out["heatmap"] = inline_svg(
            charts.solis_heatmap(
                solis, criteria, stage_links=rung_links(solis), element_links=criterion_links(elements)
            ),
            chart_label("Solis stages by element", solis) + unassessed_note(elements),
        )
    if stack and stack.covered:
        asked = radar_elements(stack, criteria)
        # Fewer spokes make no shape, and none assessed would be a star of gaps: the table says it all.
        if len(asked) >= charts.RADAR_MIN and any(c.assessed for c in asked):
            out["radar"] = inline_svg(
                charts.stack_radar(asked, links=criterion_links(asked)),
                "The social stack as a radar, 0 to 100 % per element" + unassessed_note(asked),
            )
    return out


def radar_elements(model: ModelView, criteria: Mapping[str, CriterionView]) -> list[CriterionView]:
    """The elements of a profile model the questionnaire asked about: the radar's spokes."""
    return [criteria[c] for c in model.criteria if criteria[c].status != "not asked"]


def chart_label(title: str, model: ModelView) -> str:
    """A level chart's accessible name: the level or stage reached (provisional or not), or that none is placed,
    and the rungs not assessed."""
    noun = rung_noun(model)
    if model.level is None:
        return f"{title}: {NOT_ASSESSED.lower()}, {not_placed_text(model)}"
    text = f"{title}: {noun} {model.level} of {len(model.steps)} reached"
    if model.provisional:
        text += f" ({PROVISIONAL.lower()})"
    unknown = [str(s.number) for s in model.steps if s.status == "not assessed"]
    if unknown:
        text += f"; {noun}{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} {NOT_ASSESSED.lower()}"
    return text


def unassessed_note(criteria: list[CriterionView]) -> str:
    """'; elements not assessed: Identity, Presence' for the elements a chart marks as not assessed, else ''."""
    names = [c.name for c in criteria if c.status == "not assessed"]
    if not names:
        return ""
    if len(names) == len(criteria):
        return "; no element assessed"
    return f"; elements {NOT_ASSESSED.lower()}: {', '.join(names)}"


def rescore_rows(content: ContentBundle, outcome: AssessmentResultPublic) -> dict | None:
    """What today's content would change, in words, for a submitted assessment whose content changed."""
    rescore = outcome.rescore
    if not outcome.content_changed or rescore is None:
        return None
    known = {c.id: c for c in outcome.result.criteria}
    stored = {f.id: f.title for f in outcome.result.findings}
    return {
        "levels": [(model_title(content, m), before, after) for m, (before, after) in rescore.levels.items()],
        "criteria": [
            (criterion_name(content, cid, known), before, after) for cid, (before, after) in rescore.criteria.items()
        ],
        "added": [finding_title(content, f) for f in rescore.findings_added],
        "removed": [stored.get(f) or finding_title(content, f) for f in rescore.findings_removed],
    }


def not_covered_line(content: ContentBundle, questionnaire_id: str, result: ResultView) -> str:
    """'Not covered by the executive quick check: <model titles>', or '' when every model is asked about."""
    plan = content.plans.get(questionnaire_id)
    return not_covered_text(
        result.models, {c.id: c for c in result.criteria}, plan.questionnaire.title if plan else questionnaire_id
    )


def results_context(content: ContentBundle, questionnaire_id: str, outcome: AssessmentResultPublic) -> dict:
    """Everything the results page shows beyond the assessment itself."""
    result = outcome.result
    questions = questions_of(content, questionnaire_id)
    models = {m.model: m for m in result.models}
    sf, solis, stack = (first_of_kind(result.models, kind) for kind in (HEADLINE, STAGE, PROFILE))
    elements = radar_elements(stack, {c.id: c for c in result.criteria}) if stack else []
    floor = floor_name(content)
    ladder = ladder_rows(sf, floor) if sf else []
    stages = {s.number: stage_state(s) for s in solis.steps} if solis else {}
    return {
        "not_covered": not_covered_line(content, questionnaire_id, result),
        "provisional": {m.model: provisional_text(m) for m in result.models},
        "level_figure": {m.model: level_figure(m) for m in result.models},
        "outcome": outcome,
        "result": result,
        "models": models,
        "criteria": {c.id: c for c in result.criteria},
        "floor": floor,
        "charts": chart_markup(result, floor),
        "ladder": ladder,
        "confidence_notes": confidence_notes(result),
        "rescore": rescore_rows(content, outcome),
        "finding_answers": {f.id: answer_lines(f.answers, questions) for f in result.findings},
        "criterion_answers": {c.id: answer_lines(c.answers, questions) for c in result.criteria},
        "verdicts": criterion_verdicts(result),
        "criterion_anchor": criterion_anchor,
        "rung_anchor": rung_anchor,
        # Each rung's state in words, by model, as the ladder's table and the stages' table say it.
        "rung_states": {
            **({sf.model: {n: state for n, _, state in ladder}} if sf else {}),
            **({solis.model: stages} if solis else {}),
        },
        "credits": {m.model: f"{m.title} ({m.author})" for m in result.models},
        "progress_text": {
            "level": progress_sentence(sf, "level") if sf else "",
            "stage": progress_sentence(solis, "stage") if solis else "",
        },
        "stage_states": stages,
        "stack_unknown": [c.name for c in elements if c.status == "not assessed"],
        "stack_assessed": any(c.assessed for c in elements),
        # The models each part of the page shows, by kind (the template never names a model).
        "by_kind": {kind: first_of_kind(result.models, kind) for kind in (HEADLINE, STAGE, PROFILE, CHECKLIST)},
    }


# -- roadmap -----------------------------------------------------------------------------------


def reason_answers(result: ResultView, questions: Mapping[str, Question]) -> dict[str, list[AnswerLine]]:
    """The answers behind each criterion and finding a roadmap reason can name ('criterion:ID', 'finding:ID')."""
    return why.reason_answers(
        {c.id: c.answers for c in result.criteria}, {f.id: f.answers for f in result.findings}, questions
    )


def step_why(
    item: RoadmapItemPublic, answers: Mapping[str, list[AnswerLine]], questions: Mapping[str, Question]
) -> list[tuple[str, list[AnswerLine]]]:
    """Each fact that triggered a step, with the answers behind it."""
    return why.why_lines(item.reasons, answers, questions)


def by_horizon(items: list[RoadmapItemPublic]) -> list[tuple[str, str, list[RoadmapItemPublic]]]:
    """Triggered steps grouped now / next / later, in plan order."""
    return [(key, HORIZON_TITLES[key], [i for i in items if i.triggered and i.horizon == key]) for key in HORIZONS]


def due_choices(period: str, shown: str, ahead: int = 8) -> list[tuple[str, str]]:
    """The due quarter picker's (value, text): none, the roadmap's period and the `ahead` quarters after it, and
    the quarter shown (stored or typed) where it falls outside them, in time order."""
    quarters = [period]
    while len(quarters) <= ahead:
        quarters.append(next_period(quarters[-1]))
    if shown and shown not in quarters:
        quarters = sorted([*quarters, shown])
    return [("", NO_DUE_QUARTER), *((q, q) for q in quarters)]


def typed_values(form: Mapping[str, object]) -> dict[str, str]:
    """The inline form's fields as typed, to show them again with the reason they were refused."""
    return {name: str(form.get(name, "")) for name in ("status", "owner", "due_period", "expected_version")}


def attempted_text(values: Mapping[str, str]) -> str:
    """What someone tried to save, in words (shown after a conflict, since it was not saved)."""
    parts = [f"status {ITEM_STATUS.get(values.get('status', ''), values.get('status') or 'unchanged')}"]
    parts.append(f"owner {values['owner']!r}" if values.get("owner") else "no owner")
    parts.append(f"due {values['due_period']}" if values.get("due_period") else "no due quarter")
    return ", ".join(parts)


# -- compare -----------------------------------------------------------------------------------


def assessment_label(period: str, status: str, kind: str, questionnaire: str) -> str:
    """How an assessment reads in the period pickers (`questionnaire`: its title)."""
    return f"{period} · {status}{' workshop' if kind == 'workshop' else ''} · {questionnaire}"


def trend_markup(
    points: list[PeriodPoint], label: str = "Socialfication level and Solis stage over every period"
) -> Markup:
    """The trend over every period, as the PDF draws it, its name saying where a level or stage was not assessed
    or is provisional."""
    notes = []
    for noun, value, flag in (("level", "progress", "provisional"), ("stage", "stage_progress", "stage_provisional")):
        missing = [p.period for p in points if getattr(p, value) is None]
        provisional = [p.period for p in points if getattr(p, flag) and getattr(p, value) is not None]
        if missing:
            notes.append(f"{noun} {NOT_ASSESSED.lower()} in {', '.join(missing)}")
        if provisional:
            notes.append(f"{noun} {PROVISIONAL.lower()} in {', '.join(provisional)}")
    return _trend(tuple(points), "; ".join([label, *notes]))


@cached(_DRAWN, key=lambda points, label: ("trend", label, *(p.model_dump_json() for p in points)), lock=_DRAWN_LOCK)
def _trend(points: tuple[PeriodPoint, ...], label: str) -> Markup:
    return inline_svg(charts.trend(list(points)), label)


def changed_answers(content: ContentBundle, questionnaire_id: str, changes) -> list[dict]:
    """Each changed answer with its labels (not the stored values), notes, reasons and evidence."""
    questions = questions_of(content, questionnaire_id)
    return [
        {
            **c.model_dump(
                include={
                    "note_before",
                    "note_after",
                    "reason_before",
                    "reason_after",
                    "evidence_before",
                    "evidence_after",
                }
            ),
            "text": c.text,
            "before": answer_label(questions.get(c.question_id), c.before),
            "after": answer_label(questions.get(c.question_id), c.after),
        }
        for c in changes
    ]
