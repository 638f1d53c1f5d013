"""A workshop group's distribution, median, spread and agreement, worked by hand, and what agreement does to confidence."""

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.content.schema import Option, Question
from backend.scoring.workshop import (
    OTHER,
    fold_answers,
    fold_small_groups,
    group_answer,
    hottest_first,
    median_acceptable,
    median_score,
    nearest_option,
    needs_rationale,
    question_stats,
    score_group,
    spread_band,
    spread_of,
    with_agreement,
)
from tests.helpers import score_tiny

# The quick check's scale: options are not evenly spaced.
SCALE = Question(
    id="w.q",
    text="q",
    help="h",
    criterion="ladder.l1",
    options=(
        Option(value="none", label="None", score=0.0),
        Option(value="some", label="Some", score=0.3),
        Option(value="most", label="Most", score=0.75),
        Option(value="all", label="All", score=1.0),
    ),
)
scores = st.lists(st.floats(min_value=0, max_value=1, allow_nan=False), min_size=1, max_size=30)


def test_a_unanimous_group_has_no_spread_and_full_agreement():
    stats = question_stats(SCALE, ["most", "most", "most"])
    assert (stats.median, stats.median_value, stats.spread, stats.agreement) == (0.75, "most", 0.0, 1.0)


def test_a_group_split_between_the_extremes_has_the_full_spread():
    assert spread_of([(0.0, 1), (1.0, 1)]) == 1.0
    assert spread_of([(0.0, 2), (1.0, 2)]) == 1.0


def test_spread_is_the_standard_deviation_over_its_maximum_half():
    # Scores 0, 0.3, 1: mean 13/30, variance (0.18778 + 0.01778 + 0.32111) / 3 = 0.17556, sd 0.41900, / 0.5
    stats = question_stats(SCALE, ["none", "some", "all"])
    assert stats.spread == pytest.approx(0.838, abs=1e-3)
    assert stats.agreement == pytest.approx(0.162, abs=1e-3)
    assert (stats.median, stats.median_value) == (0.3, "some")


def test_the_median_of_an_even_group_falls_between_options_and_a_tie_goes_to_the_lower():
    # (0.3 + 0.75) / 2 = 0.525 is 0.225 from both: the split group is not credited with "most".
    stats = question_stats(SCALE, ["some", "most"])
    assert stats.median == 0.525
    assert stats.median_value == "some"
    assert question_stats(SCALE, ["some", "all"]).median_value == "most"  # 0.65 is nearer 0.75


def test_counts_list_every_option_in_order_then_dont_know_and_not_applicable_when_given():
    stats = question_stats(SCALE, ["all", "dont_know", "all", "not_applicable", "some"])
    assert [(c.value, c.count) for c in stats.counts] == [
        ("none", 0),
        ("some", 1),
        ("most", 0),
        ("all", 2),
        ("dont_know", 1),
        ("not_applicable", 1),
    ]
    assert (stats.answered, stats.scored) == (5, 3)
    assert [c.value for c in question_stats(SCALE, ["all"]).counts] == ["none", "some", "most", "all"]


def test_dont_know_and_not_applicable_neither_widen_nor_narrow_the_spread():
    assert question_stats(SCALE, ["none", "all", "dont_know", "not_applicable"]).spread == 1.0


def test_nobody_choosing_an_option_gives_no_median_and_no_spread():
    stats = question_stats(SCALE, ["dont_know"])
    assert (stats.median, stats.median_value, stats.spread, stats.agreement) == (None, None, None, None)
    assert question_stats(SCALE, []).answered == 0


def test_the_hottest_disagreement_comes_first_then_the_most_answered():
    stats = {
        "calm": question_stats(SCALE, ["most", "most"]),
        "split": question_stats(SCALE, ["none", "all"]),
        "warm_few": question_stats(SCALE, ["some", "most"]),
        "warm_many": question_stats(SCALE, ["some", "most", "some", "most"]),
        "silent": question_stats(SCALE, []),
    }
    assert hottest_first(stats) == ["split", "warm_many", "warm_few", "calm", "silent"]


def test_a_group_answers_as_one_with_its_median_option_else_dont_know():
    assert group_answer(SCALE, ["none", "most", "all"]) == "most"
    assert group_answer(SCALE, ["dont_know", "not_applicable"]) == "dont_know"
    assert group_answer(SCALE, ["not_applicable"]) == "not_applicable"
    assert group_answer(SCALE, []) is None


def test_a_group_is_scored_on_its_median_answers(tiny):
    # Median of always, always, sometimes is always; of sometimes, never it is 0.25, nearest never (tie: lower).
    result = score_group(
        tiny, "t", {"t.l1a": ["always", "always", "sometimes"], "t.l1b": ["always"], "t.l2a": ["sometimes", "never"]}
    )
    assert result.answers["t.l1a"].value == "always"
    assert result.answers["t.l2a"].value == "never"
    assert result.level("ladder") == 1


def test_agreement_multiplies_the_confidence_of_the_models_whose_questions_it_agreed(tiny):
    result = score_tiny(tiny, t__l1a="always", t__l1b="always", t__a="always")
    adjusted = with_agreement(result, {"t.l1a": 0.5, "t.l1b": 0.1})
    ladder, before = adjusted.models["ladder"].confidence, result.models["ladder"].confidence
    assert ladder.agreement == pytest.approx(0.7)  # 1 - (0.5 + 0.1) / 2
    assert ladder.value == pytest.approx(before.value * 0.7, abs=1e-4)
    assert adjusted.models["stages"].confidence == result.models["stages"].confidence  # nothing agreed there
    # Overall, t.a was answered without a split: 1 - (0.5 + 0.1 + 0) / 3.
    assert adjusted.confidence.agreement == pytest.approx(0.8)
    assert adjusted.confidence.value == pytest.approx(result.confidence.value * 0.8, abs=1e-4)


def test_without_agreed_answers_the_result_is_untouched(tiny):
    result = score_tiny(tiny, t__l1a="always")
    assert with_agreement(result, {}) is result


@given(scores)
def test_spread_stays_between_zero_and_one_and_ignores_order(values):
    spread = spread_of([(v, 1) for v in values])
    assert 0.0 <= spread <= 1.0
    assert spread == spread_of([(v, 1) for v in reversed(values)])
    if max(values) == min(values):
        assert spread == 0.0
    if max(values) - min(values) >= 0.01:
        assert spread > 0.0


@given(st.lists(st.sampled_from([o.value for o in SCALE.options]), min_size=1, max_size=30))
def test_the_median_option_lies_within_the_options_the_group_chose(values):
    stats = question_stats(SCALE, values)
    chosen = [o.score for o in SCALE.options if o.value in values]
    assert min(chosen) <= stats.median <= max(chosen)
    assert min(chosen) <= nearest_option(SCALE.options, stats.median).score <= max(chosen)
    assert stats.median == round(statistics.median(o.score for v in values for o in SCALE.options if o.value == v), 4)


@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 0.3, 0.75, 1.0, 0.5]), st.integers(min_value=1, max_value=400)),
        min_size=1,
        max_size=6,
    )
)
def test_counted_scores_give_the_median_and_spread_of_the_scores_listed_one_by_one(scored):
    one_by_one = [score for score, n in scored for _ in range(n)]
    assert median_score(scored) == round(statistics.median(one_by_one), 4)
    assert spread_of(scored) == pytest.approx(min(1.0, statistics.pstdev(one_by_one) / 0.5), abs=1e-4)


def test_a_group_smaller_than_the_minimum_is_folded_into_other():
    shown = fold_small_groups({"Agent": 4, "Manager": 2, "CEO": 1}, 3)
    assert shown == {"Agent": "Agent", "Manager": OTHER, "CEO": OTHER}


def test_other_never_holds_fewer_than_the_minimum_so_subtraction_reveals_no_one():
    # Agent 3 and CEO 1: "other" would be the CEO alone, so Agent joins it and the split shows nothing.
    assert fold_small_groups({"Agent": 3, "CEO": 1}, 3) == {"Agent": OTHER, "CEO": OTHER}
    # The smallest shown group joins "other" first (by name on a tie), and only as many as needed.
    assert fold_small_groups({"Agent": 5, "Sales": 3, "Lead": 3, "CEO": 1}, 3) == {
        "Agent": "Agent",
        "Sales": "Sales",
        "Lead": OTHER,
        "CEO": OTHER,
    }


def test_groups_at_the_minimum_show_and_a_minimum_of_one_shows_every_group():
    assert fold_small_groups({"a": 3, "b": 3}, 3) == {"a": "a", "b": "b"}
    assert fold_small_groups({"a": 1, "b": 2}, 1) == {"a": "a", "b": "b"}
    assert fold_small_groups({}, 3) == {}


def test_a_group_called_other_joins_the_folded_ones():
    assert fold_small_groups({OTHER: 4, "Agent": 3, "CEO": 1}, 3) == {OTHER: OTHER, "Agent": "Agent", "CEO": OTHER}


def test_a_group_fewer_of_whom_answered_a_question_than_the_minimum_has_its_answers_in_other():
    # Agents all answered; one of three managers did: that answer is the managers' own, so it goes to
    # "other", which then holds one and takes the smallest shown group (Sales) with it.
    tallies = {"Agent": {"some": 4}, "Sales": {"most": 3}, "Manager": {"all": 1}}
    assert fold_answers(tallies, 3) == {"Agent": {"some": 4}, OTHER: {"most": 3, "all": 1}}
    assert fold_answers({"Agent": {"some": 2, "most": 1}, "Manager": {"all": 3}}, 3) == {
        "Agent": {"some": 2, "most": 1},
        "Manager": {"all": 3},
    }


def test_answers_already_in_other_stay_there_and_groups_without_answers_show_no_cell():
    assert fold_answers({OTHER: {"some": 3}, "Agent": {"most": 3}, "CEO": {}}, 3) == {
        OTHER: {"some": 3},
        "Agent": {"most": 3},
    }
    assert fold_answers({"Agent": {"most": 1}, "CEO": {"all": 1}}, 3) == {
        OTHER: {"most": 1, "all": 1}
    }  # everyone who answered
    assert fold_answers({}, 3) == {}


@given(
    st.dictionaries(st.text(min_size=1, max_size=3), st.integers(min_value=1, max_value=6), max_size=8),
    st.integers(min_value=1, max_value=5),
)
def test_every_group_shown_and_other_have_at_least_the_minimum_or_other_is_everyone(sizes, minimum):
    shown = fold_small_groups(sizes, minimum)
    totals: dict[str, int] = {}
    for group, label in shown.items():
        totals[label] = totals.get(label, 0) + sizes[group]
    assert set(shown) == set(sizes)
    assert all(n >= minimum for label, n in totals.items() if label != OTHER)
    assert totals.get(OTHER, 0) in (0, sum(sizes.values())) or totals[OTHER] >= minimum


def test_a_spread_reads_as_agreeing_up_to_a_quarter_and_split_from_a_half():
    assert [spread_band(s) for s in (None, 0.0, 0.25, 0.2501, 0.4999, 0.5, 1.0)] == [
        None,
        "low",
        "low",
        "some",
        "some",
        "high",
        "high",
    ]


def test_neighbouring_answers_half_each_are_some_disagreement_and_the_two_ends_a_split():
    neighbours = question_stats(SCALE, ["some", "some", "most", "most"])  # 0.3 and 0.75: spread 0.45
    assert spread_band(neighbours.spread) == "some" and not needs_rationale(neighbours)
    ends = question_stats(SCALE, ["none", "all"])
    assert spread_band(ends.spread) == "high" and needs_rationale(ends)
    assert not needs_rationale(question_stats(SCALE, ["dont_know", "dont_know"]))  # no score: nothing to split on


def test_a_median_may_be_accepted_only_from_enough_answers_with_a_low_spread():
    agreeing = question_stats(SCALE, ["most", "most", "all"])  # spread 0.24
    assert median_acceptable(agreeing, 3) and not median_acceptable(agreeing, 4)
    assert not median_acceptable(question_stats(SCALE, ["most"]), 1)  # one answer is never a group's
    assert median_acceptable(question_stats(SCALE, ["most", "most"]), 1)
    assert not median_acceptable(question_stats(SCALE, ["most", "most", "dont_know"]), 3)  # two chose an option
    assert not median_acceptable(question_stats(SCALE, ["some", "some", "most", "most"]), 3)
