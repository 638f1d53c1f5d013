"""The project's own questionnaires and rubrics meet what the product promises."""

import re
from collections import Counter

import pytest

from backend.content.checks import summary_problems
from backend.content.conditions import LevelBelow, ScoreBelow, walk
from backend.scoring.roadmap import unassessed_recommendation


def counts(bundle, qid):
    return Counter(q.criterion for q in bundle.plan(qid).questionnaire.questions)


def test_each_model_is_credited_to_its_author(content):
    authors = {m: r.author for m, r in content.rubrics.items()}
    assert "Surdak" in authors["socialfication"]
    assert "Solis" in authors["solis"]
    assert "Vander Wal" in authors["stack"]
    assert "Evans" in authors["customer"] and "Wampler" in authors["customer"] and "Carfi" in authors["customer"]


def test_the_models_have_the_shape_of_their_sources(content):
    assert [c.level for c in content.rubrics["socialfication"].criteria] == [1, 2, 3, 4, 5]
    assert content.rubrics["socialfication"].floor.name == "Anonymous"
    solis = content.rubrics["solis"]
    assert len(solis.groups) == 10 and sum(len(g.criteria) for g in solis.groups) == 19
    stack = {c.id for c in content.rubrics["stack"].criteria}
    assert stack == {
        "identity",
        "objects",
        "presence",
        "actions",
        "sharing",
        "reputation",
        "relationships",
        "conversation",
        "groups",
        "collaboration",
        "context",
    }
    audit = next(g for g in content.rubrics["customer"].groups if g.id == "audit")
    assert len(audit.criteria) == 5


def test_full_diagnostic_asks_about_every_criterion(content):
    asked = counts(content, "full-diagnostic")
    assert set(content.criteria) <= set(asked), set(content.criteria) - set(asked)


def test_full_diagnostic_asks_at_least_two_questions_per_socialfication_level(content):
    asked = counts(content, "full-diagnostic")
    for level in range(1, 6):
        assert asked[f"socialfication.level{level}"] >= 2, level


SCALE = [0, 0.3, 0.75, 1]


@pytest.mark.parametrize("name", ["full-diagnostic", "executive-quick-check"])
def test_every_question_is_a_four_step_scale_scored_0_03_075_1(content, name):
    off_scale = {
        q.id: [o.score for o in q.options]
        for q in content.plan(name).questionnaire.questions
        if [o.score for o in q.options] != SCALE
    }
    assert off_scale == {}


@pytest.mark.parametrize("name", ["full-diagnostic", "executive-quick-check"])
def test_every_criterion_a_questionnaire_asks_about_has_a_defining_question(content, name):
    questions = content.plan(name).questionnaire.questions
    without = {q.criterion for q in questions} - {q.criterion for q in questions if q.defining}
    assert without == set()


# Words in a question that presume something exists, and the screening question that says whether it does.
PRESUMES = {
    "full-diagnostic": {
        r"\byour (official |social )?accounts\b|\bon those accounts\b": "fd.presence.active_accounts",
        r"\byour community\b": "fd.community.hosted_community",
        r"\binfluencers? you\b|\beach influencer\b": "fd.operations.find_influencers",
        r"\bthat work\b": "fd.community.productive_work",
        r"\bchannels you have listed\b": "fd.feedback_loop.channel_list",
        r"\bin those journeys\b": "fd.feedback_loop.journey_maps",
    },
    "executive-quick-check": {
        r"\byour (official |social )?accounts\b|\bon those accounts\b": "qc.social.active_accounts",
    },
}


def _names(condition) -> set[str]:
    return {atom.answer.question for atom in walk(condition) if hasattr(atom, "answer")}


@pytest.mark.parametrize("name", ["full-diagnostic", "executive-quick-check"])
def test_a_question_that_presumes_something_exists_is_asked_only_when_it_does(content, name):
    questions = content.plan(name).questionnaire.questions
    ids = {q.id for q in questions}
    unguarded = []
    for q in questions:
        for pattern, screen in PRESUMES[name].items():
            assert screen in ids, screen
            if q.id != screen and re.search(pattern, q.text, re.I):
                if q.show_if is None or screen not in _names(q.show_if):
                    unguarded.append(q.id)
    assert unguarded == []


@pytest.mark.parametrize("name", ["full-diagnostic", "executive-quick-check"])
def test_a_screening_question_offers_none_and_forbids_not_applicable(content, name):
    """A screening answer decides what else is asked, so 'not applicable' would say nothing."""
    questions = {q.id: q for q in content.plan(name).questionnaire.questions}
    screens = {a for q in questions.values() if q.show_if is not None for a in _names(q.show_if)}
    assert screens
    for qid in screens:
        assert not questions[qid].allow_not_applicable, qid
        assert questions[qid].options[0].score == 0, qid


@pytest.mark.parametrize("name", ["full-diagnostic", "executive-quick-check"])
def test_every_screened_question_counts_as_absent_when_hidden(content, name):
    """Each screen asks about something the hidden practice cannot exist without, so hiding it means 'not in place'."""
    for q in content.plan(name).questionnaire.questions:
        if q.show_if is not None:
            assert q.if_hidden == "absent", q.id


def test_quick_check_is_short_and_still_yields_a_level_and_a_stage(content):
    qc = content.plan("executive-quick-check").questionnaire
    assert len(qc.questions) <= 20 and qc.minutes <= 15
    asked = counts(content, "executive-quick-check")
    assert all(asked[f"socialfication.level{n}"] >= 1 for n in range(1, 6))
    for group in content.rubrics["solis"].groups:
        assert any(asked[f"solis.{group.id}.{c.id}"] for c in group.criteria), group.id


def test_there_are_at_least_forty_recommendations_covering_every_model(content):
    recs = content.recommendations
    assert len(recs) >= 40
    assert {model for model, _ in recs.values()} == {"socialfication", "solis", "stack", "customer"}


def test_every_socialfication_step_and_solis_stage_has_a_recommendation(content):
    gates = {rec.gate for model, rec in content.recommendations.values() if model == "socialfication"}
    assert gates >= {1, 2, 3, 4, 5}
    solis_refs = set()
    for _, rec in content.recommendations.values():
        for atom in walk(rec.trigger):
            for name in ("score_below", "score_at_least"):
                test = getattr(atom, name, None)
                if test and test.criterion.startswith("solis."):
                    solis_refs.add(test.criterion.split(".")[1])
            if isinstance(atom, LevelBelow) and atom.level_below.model == "solis":
                solis_refs.update(f"stage{n}" for n in range(1, atom.level_below.value + 1))
    assert {g.id for g in content.rubrics["solis"].groups} <= solis_refs


def test_the_feedback_channel_audit_is_a_recommendation_with_wamplers_five_steps(content):
    model, audit = content.recommendations["feedback_channel_audit"]
    assert model == "customer" and audit.urgent
    assert len(audit.tasks) == 5
    # Triggered by the audit's own steps showing the gap, not merely by a level below 3.
    atoms = list(walk(audit.trigger))
    assert not any(isinstance(a, LevelBelow) for a in atoms)
    assert {a.score_below.criterion for a in atoms if isinstance(a, ScoreBelow)} >= {
        "customer.audit.audit_channels",
        "customer.audit.map_journeys",
    }


def test_recommendations_that_open_a_channel_say_why_who_and_the_exit_cost(content):
    opening = [rec for _, rec in content.recommendations.values() if rec.opens_channel]
    assert opening, "community and new-channel recommendations carry the Lieberman caution"


def _question(content, name, qid):
    return next(q for q in content.plan(name).questionnaire.questions if q.id == qid)


@pytest.mark.parametrize(
    "name, qid",
    [
        ("full-diagnostic", "fd.anticipating.need_signals"),
        ("full-diagnostic", "fd.anticipating.new_need_offers"),
        ("executive-quick-check", "qc.customers.offer_before_asked"),
    ],
)
def test_offers_that_only_follow_past_purchases_do_not_reach_surdaks_level_four(content, name, qid):
    """A re-order coupon repeats a past purchase; level 4 foresees a new need from signals."""
    past = [o for o in _question(content, name, qid).options if "past purchases" in o.label]
    assert len(past) == 1 and past[0].score == 0.3


@pytest.mark.parametrize(
    "name, qid",
    [("full-diagnostic", "fd.community.work_compensation"), ("executive-quick-check", "qc.customers.compensated_work")],
)
def test_badges_and_ranks_are_recognition_not_compensation_for_level_five_work(content, name, qid):
    options = _question(content, name, qid).options
    assert [o.score for o in options if re.search(r"badges|ranks", o.label)] == [0.3]
    assert all(re.search(r"compensat", o.label, re.I) for o in options if o.score >= 0.75)


def test_active_accounts_mean_the_same_in_both_questionnaires(content):
    for name, qid in (
        ("full-diagnostic", "fd.presence.active_accounts"),
        ("executive-quick-check", "qc.social.active_accounts"),
    ):
        q = _question(content, name, qid)
        assert "updated at least weekly" in q.help, qid
        assert [o.value for o in q.options] == ["none", "dormant", "some_networks", "every_network"], qid


def test_solis_stage_eight_asks_about_governance_across_departments_apart_from_adaptation(content):
    transformation = [
        q
        for q in content.plan("full-diagnostic").questionnaire.questions
        if q.criterion == "solis.stage8.organizational_transformation"
    ]
    assert any("across departments" in q.text and "policy" in q.text for q in transformation)


def test_every_finding_and_recommendation_has_a_whole_summary_of_its_own(content):
    """What the executive summary prints after each title: shipped whole, never cut by code (content check)."""
    summaries = {f"{m}.{f.id}": (f.title, f.summary) for m, r in content.rubrics.items() for f in r.findings}
    summaries |= {rid: (rec.title, rec.summary) for rid, (_, rec) in content.recommendations.items()}
    built_in = unassessed_recommendation("the first section")
    summaries[built_in.id] = (built_in.title, built_in.summary)
    assert len(summaries) == 3 + len(content.recommendations) + 1
    assert {key: summary_problems(s) for key, (_, s) in summaries.items() if summary_problems(s)} == {}
    # Each says more than its title, and no two say the same.
    assert [key for key, (title, s) in summaries.items() if s.rstrip(".").lower() == title.lower()] == []
    assert len({s for _, s in summaries.values()}) == len(summaries)
