"""The full diagnostic stays short enough to answer honestly: screening answers skip what does not exist."""

import pytest

from backend.scoring.engine import visible_questions
from backend.scoring.models import Answer

MINUTES_PER_QUESTION = 1.5  # reading, choosing and checking the evidence the help text asks for

# The screening answers of three typical organisations (the other answers do not change what is shown).
TYPICAL = {
    "a small shop with no social accounts and no community": {
        "fd.presence.active_accounts": "none",
        "fd.community.hosted_community": "none",
        "fd.community.productive_work": "none",
        "fd.operations.find_influencers": "not_identified",
        "fd.feedback_loop.channel_list": "no_list",
        "fd.feedback_loop.journey_maps": "none",
    },
    "a mid-size retailer with social accounts but no community": {
        "fd.presence.active_accounts": "some_networks",
        "fd.community.hosted_community": "none",
        "fd.community.productive_work": "unprompted",
        "fd.operations.find_influencers": "famous_names",
        "fd.feedback_loop.channel_list": "partial",
        "fd.feedback_loop.journey_maps": "one_journey",
    },
    "a large firm with everything": {
        "fd.presence.active_accounts": "every_network",
        "fd.community.hosted_community": "thriving",
        "fd.community.productive_work": "programme",
        "fd.operations.find_influencers": "maintained_list",
        "fd.feedback_loop.channel_list": "complete_with_owners",
        "fd.feedback_loop.journey_maps": "maintained",
    },
}


def shown(content, answers: dict[str, str]) -> frozenset[str]:
    plan = content.plan("full-diagnostic")
    return visible_questions(plan, {qid: Answer(qid, value) for qid, value in answers.items()})


@pytest.mark.parametrize("organisation", TYPICAL)
def test_a_typical_organisation_sees_at_most_seventy_questions(content, organisation):
    assert len(shown(content, TYPICAL[organisation])) <= 70


def test_screening_answers_that_something_is_missing_hide_the_questions_about_it(content):
    small, large = (
        shown(content, TYPICAL[name])
        for name in ("a small shop with no social accounts and no community", "a large firm with everything")
    )
    assert small < large
    assert "fd.presence.dialogue" in large and "fd.presence.dialogue" not in small
    assert "fd.community.recruitment" in large and "fd.community.recruitment" not in small


def test_a_screening_question_answered_dont_know_hides_nothing(content):
    """Not knowing whether something exists is not evidence that it is missing."""
    everything = shown(content, {})
    assert len(everything) == len(content.plan("full-diagnostic").questionnaire.questions)
    unsure = shown(
        content, {qid: "dont_know" for qid in TYPICAL["a small shop with no social accounts and no community"]}
    )
    assert unsure == everything


def test_the_stated_time_follows_the_count_of_questions_a_typical_organisation_sees(content):
    questionnaire = content.plan("full-diagnostic").questionnaire
    most = max(len(shown(content, answers)) for answers in TYPICAL.values())
    assert questionnaire.minutes == round(most * MINUTES_PER_QUESTION)
    assert f"{questionnaire.minutes} minutes" in questionnaire.description
