"""How the presenter screen reads the room: the words for agreement, the answer given most, the counts."""

from __future__ import annotations

from backend.content.schema import Option, Question
from backend.labels import answered_of_text, ending_text, joined_text, most_answered_text, room_text
from backend.scoring.workshop import question_stats

# Four options, evenly spaced scores (0, 1/3, 2/3, 1): the scale the thresholds in labels.py are explained on.
LABELS = {"none": "None", "few": "A few", "most": "Most", "all": "All"}
EVEN = Question(
    id="w.q",
    text="q",
    help="h",
    criterion="ladder.l1",
    options=tuple(Option(value=v, label=label, score=i / 3) for i, (v, label) in enumerate(LABELS.items())),
)


def _room(**counts: int) -> str:
    return room_text(question_stats(EVEN, counts), EVEN)


def test_nearly_everyone_on_one_option_and_the_rest_next_to_it_is_agreement():
    assert _room(most=9, all=1) == "The room agrees on “Most”"  # spread 0.20
    assert _room(few=5) == "The room agrees on “A few”"


def test_a_room_spread_over_neighbouring_options_leans_towards_its_middle():
    assert _room(most=3, all=1) == "The room leans towards “Most”"  # spread 0.29
    assert _room(few=2, most=2) == "The room leans towards “A few”"  # 0.33: a tie goes to the lower option


def test_groups_two_options_apart_or_more_are_a_split_room():
    assert _room(none=2, most=2) == "The room is split"  # 0.67
    assert _room(none=1, few=1, most=1, all=1) == "The room is split"  # 0.75
    assert _room(none=3, all=3) == "The room is split"  # 1.0


def test_fewer_than_three_who_chose_an_option_say_nothing_about_the_room():
    assert _room(most=2) == "Too few answers to say where the room stands"
    assert _room(most=2, dont_know=5) == "Too few answers to say where the room stands"
    assert _room() == "Too few answers to say where the room stands"


def test_the_answer_given_most_is_named_and_two_tied_together_but_not_more():
    assert most_answered_text(question_stats(EVEN, {"most": 3, "all": 1}).counts) == "Most answered “Most”"
    assert most_answered_text(question_stats(EVEN, {"dont_know": 3, "all": 1}).counts) == "Most answered “Don't know”"
    tied = question_stats(EVEN, {"few": 2, "all": 2}).counts
    assert most_answered_text(tied) == "Most answered “A few” and “All”, tied"
    assert most_answered_text(question_stats(EVEN, {"none": 1, "few": 1, "all": 1}).counts) == ""
    assert most_answered_text(question_stats(EVEN, {}).counts) == ""


def test_counts_read_as_sentences():
    assert answered_of_text(18, 35) == "18 of 35 have answered"
    assert answered_of_text(1, 35) == "1 of 35 has answered"
    assert (joined_text(0), joined_text(1), joined_text(2)) == (
        "Nobody has joined yet",
        "1 person has joined",
        "2 people have joined",
    )


class _Model:
    def __init__(self, kind: str, level: int | None, level_name: str | None):
        self.kind, self.level, self.level_name, self.steps, self.not_assessed = kind, level, level_name, (), ()


def test_the_end_screen_names_the_level_and_stage_or_says_honestly_it_is_not_assessed():
    assert ending_text(_Model("ladder", 2, "Reactive")) == "Level 2: Reactive"
    assert ending_text(_Model("stages", 0, None)) == "Stage 0: No stage reached"
    assert ending_text(_Model("ladder", None, None)) == "Not assessed: too few answers to place any level"
