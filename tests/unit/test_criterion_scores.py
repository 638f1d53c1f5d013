"""Criterion scores, coverage and the answers behind them, worked by hand."""

import pytest

from tests.helpers import score_tiny


def test_criterion_score_is_the_weighted_mean_of_answered_questions(tiny):
    # l1a scores 1 with weight 1, l1b scores 0.5 with weight 3: (1 + 1.5) / 4
    result = score_tiny(tiny, t__l1a="always", t__l1b="sometimes")
    assert result.criteria["ladder.l1"].score == pytest.approx(0.625)
    assert result.criteria["ladder.l1"].coverage == 1.0


def test_dont_know_lowers_coverage_but_not_the_score(tiny):
    result = score_tiny(tiny, t__l1a="always", t__l1b="dont_know")
    l1 = result.criteria["ladder.l1"]
    assert l1.score == 1.0
    assert l1.coverage == pytest.approx(0.25)  # 1 of 4 weight answered


def test_not_applicable_removes_the_question(tiny):
    result = score_tiny(tiny, t__l1a="always", t__l1b="not_applicable")
    l1 = result.criteria["ladder.l1"]
    assert (l1.score, l1.coverage, l1.asked, l1.answered) == (1.0, 1.0, 2, 1)


def test_all_not_applicable_leaves_no_score_and_no_coverage(tiny):
    result = score_tiny(tiny, t__l1a="not_applicable", t__l1b="not_applicable")
    assert result.criteria["ladder.l1"].score is None
    assert result.criteria["ladder.l1"].coverage is None
    assert result.criteria["ladder.l1"].band == "not applicable"
    assert result.criteria["ladder.l1"].status == "not applicable"


def test_unanswered_question_counts_against_coverage(tiny):
    result = score_tiny(tiny, t__l1a="sometimes")
    assert result.criteria["ladder.l1"].coverage == pytest.approx(0.25)
    assert result.criteria["ladder.l1"].score == 0.5


def test_every_score_lists_the_answers_that_produced_it(tiny):
    result = score_tiny(tiny, t__l1a="always", t__l1b="dont_know")
    by_question = {c.question_id: c for c in result.criteria["ladder.l1"].contributions}
    assert by_question["t.l1a"].status == "answered"
    assert by_question["t.l1a"].label == "Always" and by_question["t.l1a"].score == 1
    assert by_question["t.l1b"].status == "dont_know"


def test_band_follows_the_rubric_thresholds(tiny):
    result = score_tiny(tiny, t__l2a="sometimes", t__l3a="always")
    assert result.criteria["ladder.l2"].band == "emerging"
    assert result.criteria["ladder.l3"].band == "in place"


def test_a_follow_up_question_is_hidden_until_its_condition_holds(tiny):
    hidden = score_tiny(tiny, t__y="never", t__y_follow="always")
    shown = score_tiny(tiny, t__y="sometimes", t__y_follow="always")
    assert "t.y_follow" not in hidden.visible
    assert hidden.criteria["prof.y"].score == 0.0  # the hidden answer does not count
    assert shown.criteria["prof.y"].score == 0.75


def test_an_answer_to_an_option_that_no_longer_exists_counts_as_unanswered(tiny):
    result = score_tiny(tiny, t__l2a="retired_option")
    assert result.criteria["ladder.l2"].score is None
    assert result.criteria["ladder.l2"].contributions[0].status == "unanswered"


def test_criteria_the_questionnaire_does_not_ask_have_no_score(content):
    from backend.scoring.engine import score_assessment

    result = score_assessment(content, "executive-quick-check", [])
    assert result.criteria["stack.collaboration"].asked == 0
    assert result.criteria["stack.collaboration"].score is None
