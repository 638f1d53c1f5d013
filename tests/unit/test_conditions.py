"""The condition language: one dispatch over its kinds, and `not_met` following the rubric's own in-place rule."""

from pydantic import TypeAdapter

from backend.content.conditions import KINDS, Condition, NotMet, ScoreBelow, walk
from backend.scoring.conditions import KIND_RULES, describe, evaluate, gap_is_certain
from backend.scoring.roadmap import facts_of
from backend.web.pages.content import condition_text
from tests.helpers import score_tiny
from tests.unit.test_evidence import score, variant

# One written example of every kind, as a rubric would write it (about the tiny test content).
EXAMPLES = {
    "all": {"all": [{"not_met": "ladder.l1"}, {"assessed": "ladder.l1"}]},
    "any": {"any": [{"not_met": "ladder.l1"}, {"answer": {"question": "t.l1a", "equals": "never"}}]},
    "not": {"not": {"assessed": "ladder.l2"}},
    "level_below": {"level_below": {"model": "ladder", "value": 1}},
    "level_at_least": {"level_at_least": {"model": "ladder", "value": 0}},
    "score_below": {"score_below": {"criterion": "ladder.l1", "value": 0.7}},
    "score_at_least": {"score_at_least": {"criterion": "ladder.l1", "value": 0.0}},
    "assessed": {"assessed": "ladder.l1"},
    "not_met": {"not_met": "ladder.l1"},
    "finding": {"finding": "ladder.ahead_of_foundation"},
    "answer": {"answer": {"question": "t.l1a", "in": ["never", "sometimes"]}},
}


def parse(raw):
    return TypeAdapter(Condition).validate_python(raw)


def test_every_kind_of_condition_has_an_example_here():
    assert set(EXAMPLES) == set(KINDS)


def test_every_kind_has_its_evaluation_words_and_walk(tiny):
    facts = facts_of(score_tiny(tiny, t__l1a="never", t__l1b="never"), tiny.plan("t").questions)
    assert set(KIND_RULES) == set(KINDS.values())
    for kind, raw in EXAMPLES.items():
        cond = parse(raw)
        assert type(cond).kind() == kind
        holds, reasons = evaluate(cond, facts)
        assert isinstance(holds, bool) and all(r.text for r in reasons) and (bool(reasons) == holds or kind == "not")
        assert describe(cond, facts)
        assert condition_text(cond, tiny)
        assert isinstance(gap_is_certain(cond, facts), bool)
        assert next(walk(cond)) is cond and len(list(walk(cond))) == 1 + sum(len(list(walk(p))) for p in cond.parts())


def test_the_reference_checks_see_a_not_met_criterion_that_does_not_exist(tiny):
    from backend.content.checks import ALL_ATOMS, Context

    ctx = Context({m: (r, f"{m}.yaml", None) for m, r in tiny.rubrics.items()}, {})
    issues = []
    ctx.check_condition(
        parse({"not_met": "ladder.l9"}), ("trigger",), lambda loc, msg, fix: issues.append(msg), ALL_ATOMS
    )
    assert issues == ["unknown criterion 'ladder.l9'"]


def test_not_met_holds_on_an_assessed_gap_and_names_the_criterion_and_answers(tiny):
    facts = facts_of(score_tiny(tiny, t__l1a="never", t__l1b="never"), tiny.plan("t").questions)
    holds, reasons = evaluate(NotMet(not_met="ladder.l1"), facts)
    assert holds
    assert reasons[0].criterion == "ladder.l1"
    assert (
        reasons[0].text
        == "One scores 0.00 (not in place): 'q' answered 'Never'; 'q' answered 'Never' (the rule: in place from 0.70)"
    )
    assert gap_is_certain(NotMet(not_met="ladder.l1"), facts)


def test_not_met_does_not_hold_when_the_defining_rule_puts_the_criterion_in_place(tiny):
    bundle = variant(tiny, {"t.l1b": {"weight": 1, "defining": True}})
    facts = facts_of(score(bundle, t__l1a="never", t__l1b="always"), bundle.plan("t").questions)
    assert facts.criteria["ladder.l1"].score == 0.5
    assert evaluate(ScoreBelow.model_validate({"score_below": {"criterion": "ladder.l1", "value": 0.7}}), facts)[0]
    assert not evaluate(NotMet(not_met="ladder.l1"), facts)[0]


def test_not_met_never_holds_on_dont_know_alone(tiny):
    facts = facts_of(score_tiny(tiny, t__l1a="dont_know", t__l1b="dont_know"), tiny.plan("t").questions)
    assert facts.criteria["ladder.l1"].status == "not assessed"
    assert not evaluate(NotMet(not_met="ladder.l1"), facts)[0]


def test_a_not_met_gap_a_dont_know_could_close_through_the_defining_rule_is_not_certain(tiny):
    bundle = variant(tiny, {"t.l1b": {"weight": 1, "defining": True}})
    result = score(bundle, t__l1a="never", t__l1b="dont_know")
    facts = facts_of(result, bundle.plan("t").questions, {"ladder": bundle.rubrics["ladder"].defining_floor})
    cond = NotMet(not_met="ladder.l1")
    assert evaluate(cond, facts)[0]  # half the weight answered, at 0: assessed and not in place
    # l1b at its top would be a defining practice in place, carrying the average of 0.5 to the floor
    assert not gap_is_certain(cond, facts)
    assert gap_is_certain(ScoreBelow.model_validate({"score_below": {"criterion": "ladder.l1", "value": 0.7}}), facts)


def test_the_content_page_says_not_met_in_words(tiny):
    assert (
        condition_text(NotMet(not_met="ladder.l1"), tiny)
        == "One (Test ladder) is assessed and not in place (by the model's own rule)"
    )
