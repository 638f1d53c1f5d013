"""The words for levels that are provisional, not assessed or not covered: one source for page, PDF and console."""

from __future__ import annotations

from typing import Iterable, Mapping, Protocol, Sequence


class _Step(Protocol):
    number: int
    name: str


class _Criterion(Protocol):
    name: str
    status: str


class _Model(Protocol):
    kind: str
    title: str
    level: int | None
    steps: Sequence[_Step]
    not_assessed: Sequence  # rung numbers (scoring) or rung names (API views)
    provisional: bool
    assessed: bool
    covered: bool
    criteria: Sequence[str]
    confirmed: int | None


NOT_ASSESSED = "Not assessed"


def rung_noun(model: _Model) -> str:
    """'stage' for a stages model, 'level' otherwise."""
    return "stage" if model.kind == "stages" else "level"


def level_figure(model: _Model) -> str:
    """The level or stage as a figure, or 'Not assessed' when no rung has evidence."""
    return NOT_ASSESSED if model.level is None else str(model.level)


def provisional_text(model: _Model) -> str:
    """'Provisional: level 3 (Proactive) was not assessed; level 2 is confirmed', or '' when the level is firm.

    The confirmed level is named whenever it is below the stated one, so a level that climbs over unknown
    rungs never reads as more than the evidence guarantees.
    """
    if not model.provisional or not model.not_assessed:
        return ""
    by_number = {s.number: s for s in model.steps}
    by_name = {s.name: s for s in model.steps}
    rungs = [by_number.get(r) if isinstance(r, int) else by_name.get(r) for r in model.not_assessed]
    named = [f"{s.number} ({s.name})" for s in rungs if s is not None]
    noun = rung_noun(model)
    if len(named) == 1:
        text = f"Provisional: {noun} {named[0]} was not assessed"
    else:
        text = f"Provisional: {noun}s {', '.join(named[:-1])} and {named[-1]} were not assessed"
    if model.confirmed is not None and model.level is not None and model.confirmed < model.level:
        text += f"; {noun} {model.confirmed} is confirmed"
    return text


def not_covered_text(models: Iterable[_Model], criteria: Mapping[str, _Criterion], questionnaire_title: str) -> str:
    """One line for what a questionnaire does not ask about: whole models by title, and for a model it
    asks about in part, the criteria it leaves out; '' when it asks about everything."""
    parts = []
    for model in models:
        left_out = [criteria[c].name for c in model.criteria if c in criteria and criteria[c].status == "not asked"]
        if not model.covered:
            parts.append(model.title)
        elif left_out:
            parts.append(f"{model.title} ({', '.join(left_out)})")
    if not parts:
        return ""
    return f"Not covered by the {questionnaire_title[:1].lower()}{questionnaire_title[1:]}: {'; '.join(parts)}"
