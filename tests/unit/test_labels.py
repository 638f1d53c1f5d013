"""The words and number formats every surface prints (labels.py)."""

from backend.content.schema import Option, Question
from backend.labels import (
    answer_choices,
    answer_label,
    answered_text,
    progress_figure,
    progress_text,
)

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
