"""What the compare page's story shows before its tables: what changed in sentences that point at the answers
behind it, each level and stage before and after, the two radars on one chart and the stage heat map's changes.

Pure functions over the JSON API's models and the validated content: no database, no request. The charts are the
PDF's own (backend.reports.charts); each comes with its numbers as a table.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup

from backend.content.bundle import ContentBundle
from backend.content.roles import HEADLINE, PROFILE, STAGE, first_of_kind
from backend.labels import (
    CHANGE_WORDS,
    NO_STAGE,
    NOT_ASSESSED,
    move_text,
    percent_text,
    points_text,
    provisional_text,
    rung_noun,
    sentence,
)
from backend.reports import charts
from backend.schemas.views import ComparePublic, CriterionView, ModelView, ResultView, ScoreChange
from backend.scoring.movement import CHANGES, LOST, NEW, change, not_asked
from backend.web.pages.result_views import drawn, floor_name, ladder_rows, model_title, stage_state

# How many criteria each line of the summary names; the tables below list them all.
NAMED = 3


@dataclass(frozen=True)
class Figure:
    """One criterion in two periods: its figures (None: no figure) and how it moved, in words."""

    name: str
    before: float | None
    after: float | None
    kind: str
    before_text: str  # '40 %', or why there is no figure ('Not assessed', 'Not asked')
    after_text: str
    change: str  # '▲ Better, +40 points'


@dataclass(frozen=True)
class Ladder:
    """One ladder or stages model in two periods: where each stands, the move in words, the chart and its table."""

    title: str
    author: str
    noun: str
    move: str
    notes: list[str]
    chart: Markup
    rows: list[tuple[int, str, str, str]]  # rung, name, state before, state after (top rung first)


@dataclass(frozen=True)
class Line:
    """A line of the summary: its lead ('Biggest gains') and the criteria it names, each with the numbers of the
    changed answers behind it (their rows in the table of answers changed)."""

    lead: str
    items: list[tuple[str, str, list[int]]] = field(default_factory=list)  # name, figures in words, answer rows
    more: int = 0  # criteria of this kind the line does not name
    more_link: str = ""  # where the table lists them all
    text: str = ""  # a line that is a plain sentence


@dataclass(frozen=True)
class Pair:
    """The two results compared, older first, with their criteria by id and their periods."""

    before: ResultView
    after: ResultView
    periods: tuple[str, str]

    @cached_property
    def old(self) -> dict[str, CriterionView]:
        return {c.id: c for c in self.before.criteria}

    @cached_property
    def new(self) -> dict[str, CriterionView]:
        return {c.id: c for c in self.after.criteria}

    def first_of_kind(self, kind: str) -> ModelView | None:
        """The model of this kind, as the later period has it (else the earlier)."""
        return first_of_kind(self.after.models, kind) or first_of_kind(self.before.models, kind)

    def figure(self, cid: str) -> Figure:
        """A criterion in both periods."""
        old, new = self.old.get(cid), self.new.get(cid)
        return figure((new or old).name, old, new, self.periods)


def story(content: ContentBundle, comparison: ComparePublic, before: ResultView, after: ResultView) -> dict:
    """Everything the story at the top of the compare page shows, in the order it shows it."""
    pair = Pair(before, after, (comparison.before.period, comparison.after.period))
    ladders = [
        _ladder(content, model, _model(before, model), _model(after, model), pair.periods)
        for model in comparison.levels
    ]
    return {
        "summary": summary(content, comparison, pair, ladders),
        "ladders": ladders,
        "radar": _radar(pair),
        "heatmap": _heatmap(pair),
        "periods": pair.periods,
        # Only answers to the same questions are compared: other questionnaires leave no changed answer to point at.
        "same_questions": comparison.before.questionnaire_id == comparison.after.questionnaire_id,
    }


def _model(result: ResultView, model: str) -> ModelView | None:
    return next((m for m in result.models if m.model == model), None)


def _qualified_names(content: ContentBundle, criteria: list[CriterionView]) -> dict[str, str]:
    """Each criterion's name, with its model's title where another model has an element of the same name
    (Presence and Conversation are both Solis elements and social stack elements)."""
    counts = Counter(c.name for c in criteria)
    return {c.id: f"{c.name} ({model_title(content, c.model)})" if counts[c.name] > 1 else c.name for c in criteria}


def _state(criterion: CriterionView | None) -> str:
    """A figure in words: '40 %', or why there is none ('Not assessed', 'Not asked')."""
    value = charts.figure_of(criterion)
    if value is not None:
        return percent_text(value)
    return sentence(criterion.status) if criterion is not None and criterion.status else NOT_ASSESSED


def figure(name: str, old: CriterionView | None, new: CriterionView | None, periods: tuple[str, str]) -> Figure:
    """One criterion in two periods, in figures and words."""
    b, a = charts.figure_of(old), charts.figure_of(new)
    words = charts.figure_text(old), charts.figure_text(new)
    return Figure(name, b, a, change(b, a), *words, charts.change_words(old, new, periods))


# -- levels and stages -------------------------------------------------------------------------


def _ladder(
    content: ContentBundle, model_id: str, old: ModelView | None, new: ModelView | None, periods: tuple[str, str]
) -> Ladder:
    model = new or old
    noun, headline = rung_noun(model), model.kind == HEADLINE
    floor = floor_name(content) if headline else NO_STAGE
    move = move_text(noun, old and old.level, new and new.level, *periods)
    notes = [
        f"{period}: {provisional_text(view)}"
        for view, period in ((old, periods[0]), (new, periods[1]))
        if view is not None and provisional_text(view)
    ]
    label = f"{model.title}, {periods[0]} and {periods[1]}: {move}"
    chart = drawn(
        ("ladder-pair", model_id, floor, *periods, *(v.model_dump_json() if v else "" for v in (old, new))),
        lambda: charts.ladder_pair(old, new, periods, floor),
        label,
    )
    states = [_rung_states(view, headline, floor) for view in (old, new)]
    numbers = sorted({n for s in states for n in s}, reverse=True)
    names = {s.number: s.name for s in model.steps} | {0: floor}
    rows = [
        (n, names.get(n, ""), states[0].get(n, NOT_ASSESSED), states[1].get(n, NOT_ASSESSED))
        for n in numbers
        if headline or n > 0
    ]
    return Ladder(model.title, model.author, noun, move, notes, chart, rows)


def _rung_states(view: ModelView | None, headline: bool, floor: str) -> dict[int, str]:
    """Each rung's state in a period (the results page's words); a model absent from it has none."""
    if view is None:
        return {}
    if headline:
        return {number: state for number, _, state in ladder_rows(view, floor)}
    return {s.number: stage_state(s) for s in view.steps}


# -- the social stack --------------------------------------------------------------------------


def _radar(pair: Pair) -> dict | None:
    """The profile model's elements asked in either period, both periods' radars on one chart, and its table."""
    model, periods = pair.first_of_kind(PROFILE), pair.periods
    if model is None:
        return None
    asked = [
        cid
        for cid in model.criteria
        if any(c and c.status != "not asked" for c in (pair.old.get(cid), pair.new.get(cid)))
    ]
    rows = [pair.figure(cid) for cid in asked]
    if not rows:
        return None
    chart = None
    if len(rows) >= charts.RADAR_MIN and any(r.before is not None or r.after is not None for r in rows):
        label = (
            f"{model.title} in {periods[0]} and {periods[1]} as a radar, 0 to 100 % per element: "
            f"{periods[0]} dashed and hollow, {periods[1]} solid and filled"
            + "".join(
                f"; {NOT_ASSESSED.lower()} in {period}: {', '.join(missing)}"
                for period, missing in zip(
                    periods,
                    ([r.name for r in rows if r.before is None], [r.name for r in rows if r.after is None]),
                    strict=True,
                )
                if missing
            )
        )
        values = ([r.name for r in rows], [r.before for r in rows], [r.after for r in rows])
        chart = drawn(("radar-pair", *periods, *map(tuple, values)), lambda: charts.radar_pair(*values, periods), label)
    return {"title": model.title, "author": model.author, "chart": chart, "rows": rows}


# -- stages by element -------------------------------------------------------------------------


def _heatmap(pair: Pair) -> dict | None:
    """The stages model's elements, stage by stage, with each one's change: the chart and its table."""
    model, periods = pair.first_of_kind(STAGE), pair.periods
    models = (*pair.before.models, *pair.after.models)
    if model is None or not any(m.model == model.model and m.covered for m in models):
        return None
    stages = [(f"{s.number}. {s.name}", [pair.figure(c) for c in s.criteria]) for s in model.steps]
    counts = Counter(f.kind for _, cells in stages for f in cells)
    tally = ", ".join(f"{counts[k]} {CHANGE_WORDS[k].lower()}" for k in CHANGES if counts[k])
    label = f"{model.title} by element, what changed from {periods[0]} to {periods[1]}: {tally}"
    cells = tuple((c.id, c.name, c.status, charts.figure_of(c)) for side in (pair.old, pair.new) for c in side.values())
    chart = drawn(
        ("heatmap-diff", model.model_dump_json(), *periods, *cells),
        lambda: charts.heatmap_diff(model, pair.old, pair.new, periods),
        label,
    )
    return {"title": model.title, "author": model.author, "chart": chart, "stages": stages, "counts": counts}


# -- what changed, in sentences ----------------------------------------------------------------


def answers_behind(criteria: list[CriterionView | None], changed: list[str]) -> list[int]:
    """The rows (1 = first) of the table of answers changed whose question a criterion rests on in either period."""
    asked = {a.question_id for c in criteria if c is not None for a in c.answers}
    return [row for row, question in enumerate(changed, start=1) if question in asked]


def summary(content: ContentBundle, comparison: ComparePublic, pair: Pair, ladders: list[Ladder]) -> list[Line]:
    """What changed, biggest first: each level and stage's move, the largest gains and drops, what is newly or no
    longer assessed; each criterion named with the changed answers behind it."""
    old, new = pair.old, pair.new
    names = _qualified_names(content, [*pair.after.criteria, *(c for c in pair.before.criteria if c.id not in new)])
    changed = [a.question_id for a in comparison.answers_changed]

    def item(cid: str, words: str) -> tuple[str, str, list[int]]:
        return names.get(cid, cid), words, answers_behind([old.get(cid), new.get(cid)], changed)

    def moved(c: ScoreChange) -> tuple[str, str, list[int]]:
        return item(c.id, f"{points_text(c.delta)}, from {percent_text(c.before)} to {percent_text(c.after)}")

    lines = [Line(ladder.title, text=ladder.move) for ladder in ladders]
    for lead, found, link in (
        ("Biggest gains", comparison.improved, "#improved-title"),
        ("Biggest drops", comparison.regressed, "#regressed-title"),
    ):
        if found:
            lines.append(Line(lead, [moved(c) for c in found[:NAMED]], len(found) - NAMED, link))
    # A figure that appears or vanishes because one questionnaire did not ask is no news about the organisation.
    appeared: dict[str, list[str]] = {NEW: [], LOST: []}
    for cid in [*new, *(c for c in old if c not in new)]:
        b, a = old.get(cid), new.get(cid)
        kind = change(charts.figure_of(b), charts.figure_of(a))
        if kind in appeared and not_asked(kind, b and b.status, a and a.status) is None:
            appeared[kind].append(cid)
    for kind, lead, side, period in (
        (NEW, CHANGE_WORDS[NEW], new, comparison.after.period),
        (LOST, CHANGE_WORDS[LOST], old, comparison.before.period),
    ):
        found = appeared[kind]
        if found:
            items = [item(cid, f"{percent_text(charts.figure_of(side[cid]))} in {period}") for cid in found[:NAMED]]
            lines.append(Line(lead, items, len(found) - NAMED))
    if not (comparison.improved or comparison.regressed or appeared[NEW] or appeared[LOST]):
        lines.append(Line("Scores", text="no criterion's score changed, and none is newly or no longer assessed"))
    if comparison.before.questionnaire_id != comparison.after.questionnaire_id:
        lines.append(
            Line(
                "Questionnaires",
                text="the two periods used different questionnaires: what only one asks about is left out",
            )
        )
    return lines
