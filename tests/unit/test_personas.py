"""Organisations described from the source texts, answered blind, score where a consultant would place them.

Each persona's description was written from the source texts alone; a reader who saw only the description and
the questionnaire (never the scoring rules) answered it question by question, with middle options and "don't know"
where the description is silent. The expected result comes from the description (see descriptions/); a provisional
level meets it when the expected level lies within what its unassessed rungs allow, above or below. A check that
still misses is listed under the persona's `expect.misses` with its reason: a known finding about the content or the
logic, never a bent persona, and the test fails as soon as a listed miss starts to hold so the list stays true.
"""

from pathlib import Path

import pytest

from backend.content.answers import load_answer_file
from backend.scoring.engine import score_assessment
from backend.scoring.models import Answer
from backend.scoring.roadmap import plan_roadmap
from backend.services.organisations.sizes import is_small
from tests.conftest import DATA

FOLDER = DATA / "personas"
PERSONAS = sorted(FOLDER.glob("*.yaml")) + sorted((FOLDER / "quick-check").glob("*.yaml"))


def persona_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}" if path.parent != FOLDER else path.stem


def outcome(content, path: Path):
    """The persona, its result and its roadmap (planned for its size)."""
    data, values = load_answer_file(path, content)
    result = score_assessment(content, data.questionnaire, [Answer(q, v) for q, v in values.items()])
    return data, result, plan_roadmap(content, result, is_small(data.size))


def _answers(roadmap, horizon: str | None = None) -> set[str]:
    """Recommendation ids a roadmap (or one horizon of it) answers, counting those folded into a merged step."""
    items = roadmap.items if horizon is None else roadmap.horizon(horizon)
    return {i.id for i in items} | {m for i in items for m in i.merged}


def possible_levels(model) -> range:
    """The levels a result allows: its own, and, when provisional, those the unassessed rungs above it could add."""
    level = model.level or 0
    # An unassessed rung at or below the level could turn out absent, and one above it present.
    below = [n for n in model.not_assessed if n <= level]
    low = min(below) - 1 if below else level
    top = level
    for step in model.steps[level:]:
        if step.status == "not in place":
            break
        top = step.number
    return range(low, top + 1)


def failed_checks(data, result, roadmap) -> dict[str, str]:
    """Every expectation the result does not meet, by name, with what happened instead."""
    expect, failed = data.expect, {}
    for key, model in (("socialfication_level", "socialfication"), ("solis_stage", "solis")):
        if key in expect and expect[key] not in possible_levels(result.models[model]):
            failed[key] = f"got {result.level(model)}" + (" (provisional)" if result.models[model].provisional else "")
    if "provisional" in expect and result.models["socialfication"].provisional != expect["provisional"]:
        failed["provisional"] = f"got {result.models['socialfication'].provisional}"
    codes = result.finding_codes()
    failed |= {f"findings:{c}": "missing" for c in expect.get("findings", []) if c not in codes}
    failed |= {f"absent_findings:{c}": "raised" for c in expect.get("absent_findings", []) if c in codes}
    if expect.get("no_critical"):
        critical = [f.title for f in result.findings if f.severity == "critical"]
        if critical:
            failed["no_critical"] = "; ".join(critical)
    if expect.get("no_critical_on_dont_know"):
        unknown = [
            f.title
            for f in result.findings
            if f.severity == "critical" and any(c.status == "dont_know" for c in f.contributions)
        ]
        if unknown:
            failed["no_critical_on_dont_know"] = "; ".join(unknown)
    now = _answers(roadmap, "now")
    for wanted in expect.get("now", []):
        if not set(wanted.split("|")) & now:
            failed[f"now:{wanted}"] = "not in now: " + ", ".join(sorted(now))
    failed |= {f"absent_now:{rid}": "in now" for rid in expect.get("absent_now", []) if rid in now}
    return failed


def test_at_least_twelve_organisations_are_answered_blind_and_none_takes_a_default():
    full = [p for p in PERSONAS if p.parent == FOLDER]
    assert len(full) >= 12
    for path in PERSONAS:
        text = path.read_text()
        assert "\ndefault:" not in text, f"{path.name}: answer every question as the organisation would"


@pytest.mark.parametrize("path", PERSONAS, ids=[persona_id(p) for p in PERSONAS])
def test_persona_scores_where_its_description_places_it(content, path):
    data, result, roadmap = outcome(content, path)
    failed = failed_checks(data, result, roadmap)
    known = data.expect.get("misses", {})
    unexpected = {k: v for k, v in failed.items() if k not in known}
    assert not unexpected, f"{data.name} misses: {unexpected}"
    assert set(known) <= set(failed), (
        f"{data.name}: listed misses that now hold, take them off: {sorted(set(known) - set(failed))}"
    )


@pytest.mark.parametrize("path", PERSONAS, ids=[persona_id(p) for p in PERSONAS])
def test_every_triggered_step_of_a_persona_is_planned_and_every_why_names_an_answer(content, path):
    _, result, roadmap = outcome(content, path)
    for item in roadmap.items:
        assert item.reasons, f"{item.id} says nothing about why"
        assert all(r.text for r in item.reasons)
    for finding in result.findings:
        assert finding.contributions or finding.criteria, f"{finding.title} rests on no answer"
