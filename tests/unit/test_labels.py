"""The words and number formats every surface prints (labels.py)."""

from datetime import date

from backend.content.schema import Option, Question
from backend.labels import (
    CHANGE_MARKS,
    answer_choices,
    answer_label,
    answered_text,
    cell_text,
    change_text,
    contribution_text,
    criterion_verdict,
    move_text,
    number_word,
    overdue_count_text,
    overdue_text,
    percent_text,
    points_text,
    progress_figure,
    progress_text,
    quarter_of,
)
from backend.scoring.movement import BETTER, CHANGES, LOST, NEW, SAME, UNKNOWN, WORSE

QUESTION = Question(
    id="q.one",
    text="Do you?",
    help="Say.",
    criterion="m.c",
    options=(Option(value="no", label="No", score=0), Option(value="yes", label="Yes", score=1)),
    allow_not_applicable=False,
)


def test_the_progress_figure_is_truncated_so_it_never_reads_a_level_not_reached():
    assert progress_figure(2.97) == "2.9"
    assert progress_figure(3.0) == "3.0"
    assert progress_text(2.97, 5) == "2.9 of 5"


def test_no_progress_reads_not_assessed():
    assert progress_text(None, 10) == "Not assessed"


def test_answer_choices_follow_what_the_question_allows_with_the_shared_words():
    assert answer_choices(QUESTION) == [("no", "No"), ("yes", "Yes"), ("dont_know", "Don't know")]
    assert [value for value, _ in answer_choices(QUESTION)] == QUESTION.allowed_values()


def test_an_answer_reads_as_its_label_and_a_value_no_longer_offered_as_itself():
    assert answer_label(QUESTION, "yes") == "Yes" and answer_label(QUESTION, "not_applicable") == "Not applicable"
    assert answer_label(QUESTION, "gone") == "gone" and answer_label(None, None) == "Not answered"


def test_the_answered_count_reads_in_one_of_two_forms():
    assert answered_text(1, 20) == "1 of 20 questions answered"
    assert answered_text(1, 1) == "1 of 1 question answered"
    assert answered_text(3, 52, short=True) == "3 of 52 answered"


def test_a_date_reads_as_the_quarter_it_falls_in():
    assert [quarter_of(date(2026, m, 1)) for m in (1, 3, 4, 9, 10, 12)] == [
        "2026-Q1",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
        "2026-Q4",
    ]


def test_a_step_is_overdue_only_when_open_and_due_before_this_quarter():
    assert overdue_text("planned", "2026-Q3", "2026-Q4") == "Overdue since 2026-Q3"
    assert overdue_text("in_progress", "2025-Q4", "2026-Q1") == "Overdue since 2025-Q4"
    assert overdue_text("planned", "2026-Q4", "2026-Q4") == ""  # due this quarter: still time
    assert overdue_text("planned", "", "2026-Q4") == ""
    assert overdue_text("done", "2026-Q1", "2026-Q4") == "" and overdue_text("dropped", "2026-Q1", "2026-Q4") == ""
    assert [overdue_count_text(n) for n in (0, 1, 2)] == ["", "1 step overdue", "2 steps overdue"]


def test_each_answer_says_what_it_added_to_its_criterion():
    assert contribution_text("answered", 0.75, 1.0) == "Scores 75\u00a0%"
    assert contribution_text("answered", 0.25, 0.5) == "Scores 25\u00a0%, weighing 0.5 where most questions weigh 1"
    assert contribution_text("absent", 0.0, 1.0) == "Counts as absent: 0\u00a0%"
    # "Don't know" and a blank add no score, they lower the evidence; "not applicable" drops out altogether.
    assert contribution_text("dont_know", None, 1.0) == contribution_text("unanswered", None, 1.0)
    assert "lowers the evidence" in contribution_text("dont_know", None, 1.0)
    assert contribution_text("not_applicable", None, 1.0).startswith("Left out")


def test_a_criterion_says_why_it_is_in_place_or_not_against_its_bar():
    assert (
        criterion_verdict("in place", 0.8, 0.7, True)
        == f"In place: it scores {percent_text(0.8)}, at or above the bar of 70\u00a0%"
    )
    assert "defining practice" in criterion_verdict("in place", 0.6, 0.7, True)
    assert (
        criterion_verdict("not in place", 0.4, 0.7, True)
        == "Not in place: it scores 40\u00a0%, under the bar of 70\u00a0%"
    )
    assert "already ruled out" in criterion_verdict("not in place", 0.0, 0.7, False)
    assert "settle it" in criterion_verdict("in place", 1.0, 0.7, False)


def test_a_criterion_not_assessed_neither_passes_nor_blocks_and_says_so():
    said = criterion_verdict("not assessed", 0.2, 0.7, False)
    assert said.startswith("Not assessed:") and "neither passes nor blocks" in said and "20" not in said
    assert criterion_verdict("not asked", None, 0.7, False).startswith("Not asked")
    assert criterion_verdict("not applicable", None, 0.7, False).startswith("Not applicable")


def test_a_move_of_level_or_stage_reads_in_words_and_no_level_never_reads_as_zero():
    assert move_text("level", 2, 3, "2026-Q1", "2026-Q2") == "up one level, from 2 to 3"
    assert move_text("stage", 4, 1, "2026-Q1", "2026-Q2") == "down three stages, from 4 to 1"
    assert move_text("level", 2, 2, "2026-Q1", "2026-Q2") == "no change, still level 2"
    assert move_text("level", None, 0, "2026-Q1", "2026-Q2") == "not assessed in 2026-Q1; level 0 in 2026-Q2"
    assert move_text("stage", 3, None, "2026-Q1", "2026-Q2") == "stage 3 in 2026-Q1; not assessed in 2026-Q2"
    assert move_text("level", None, None, "2026-Q1", "2026-Q2") == "not assessed in 2026-Q1 or 2026-Q2"
    assert number_word(10) == "ten" and number_word(12) == "12"


def test_percentages_and_points_keep_their_unit_on_the_same_line():
    assert percent_text(0.405) == "40\u00a0%" and percent_text(1) == "100\u00a0%"
    assert points_text(0.4) == "+40\u00a0points" and points_text(-0.25) == "\u221225\u00a0points"
    assert points_text(0.001) == "0\u00a0points"


def test_each_change_has_a_mark_and_words_so_it_reads_without_colour():
    assert change_text(BETTER, 0.2, 0.6) == "\u25b2 Better, +40\u00a0points"
    assert change_text(WORSE, 0.8, 0.4) == "\u25bc Worse, \u221240\u00a0points"
    assert change_text(SAME, 0.5, 0.5) == "= Same" and change_text(UNKNOWN, None, None) == "Not assessed"
    assert cell_text(BETTER, 0.2, 0.6) == "\u25b2 Better: 20\u00a0% \u2192 60\u00a0%"
    assert cell_text(SAME, 0.6, 0.6) == "= Same: 60\u00a0%"
    assert cell_text(NEW, None, 0.6) == "+ Newly assessed: 60\u00a0%"
    assert cell_text(LOST, 0.6, None) == "\u25cb No longer assessed"
    assert cell_text(LOST, 0.6, None, "2027-Q1") == "\u25cb Not asked in 2027-Q1"
    assert cell_text(UNKNOWN, None, None) == "Not assessed"
    assert len({CHANGE_MARKS[k] for k in CHANGES if k != UNKNOWN}) == len(CHANGES) - 1
