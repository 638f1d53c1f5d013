"""The roadmap planner: what triggers, in which order, in which horizon, and why."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.content.answers import load_answer_file
from backend.scoring.engine import score_assessment
from backend.scoring.models import Answer
from backend.scoring.roadmap import CAPS, HORIZONS, UNASSESSED, plan_roadmap, triggered
from tests.conftest import DATA, examples
from tests.helpers import score_tiny


def plan(bundle, **values):
    return plan_roadmap(bundle, score_tiny(bundle, **values))


def steps(roadmap):
    """The planned steps other than the built-in one that completes an unassessed questionnaire."""
    return [i for i in roadmap.items if i.id != UNASSESSED]


def test_only_recommendations_whose_trigger_holds_are_planned(tiny):
    roadmap = plan(
        tiny, t__l1a="always", t__l1b="always", t__l2a="always", t__l3a="always", t__p="always", t__y="always"
    )
    assert [i.id for i in steps(roadmap)] == []


def test_prerequisites_come_before_what_depends_on_them(tiny):
    roadmap = plan(tiny, t__p="always", t__y="always", t__l1a="sometimes", t__l1b="sometimes")
    ids = [i.id for i in steps(roadmap)]
    assert ids.index("step1") < ids.index("step2") < ids.index("step3")


def test_work_after_a_large_prerequisite_waits_a_horizon(tiny):
    roadmap = plan(tiny, t__p="always", t__y="always", t__l1a="sometimes", t__l1b="sometimes")
    horizon = {i.id: i.horizon for i in roadmap.items}
    assert horizon["step1"] == "now"
    assert horizon["step2"] == "now"  # step1 is small: both fit this quarter
    assert horizon["step3"] == "next"  # step2 is large: step3 starts after it


def test_urgent_steps_come_first_among_steps_as_near(tiny):
    roadmap = plan(
        tiny, t__p="never", t__l1a="always", t__l1b="always", t__l2a="never"
    )  # level 1, level 2 absent: step2 and the audit build level 2
    assert [i.id for i in steps(roadmap)][:2] == ["audit", "step2"]
    assert steps(roadmap)[0].horizon == "now"


def test_lower_gates_come_before_higher_ones(tiny):
    roadmap = plan(tiny, t__p="always", t__l1a="sometimes", t__l1b="sometimes", t__y="never")
    ids = [i.id for i in steps(roadmap)]
    assert ids.index("step1") < ids.index("boost_y")  # gate 1 before gate 2


def test_each_step_says_why_with_the_answers_behind_it(tiny):
    roadmap = plan(tiny, t__p="always", t__y="never")
    boost = next(i for i in roadmap.items if i.id == "boost_y")
    assert boost.reasons[0].criterion == "prof.y"
    assert boost.reasons[0].text == "Y scores 0.00 (not in place): 'q' answered 'Never' (the rule: below 0.50)"
    assert [c.question_id for c in boost.reasons[0].contributions] == ["t.y", "t.y_follow"]
    assert boost.credit == "Pat Profile"


def test_a_finding_can_trigger_a_step(tiny):
    roadmap = plan(tiny, t__a="never", t__b="never", t__c="always")
    reorder = next(i for i in roadmap.items if i.id == "reorder")
    assert reorder.reasons[0].finding == "stages.out_of_order"


def test_an_answer_can_trigger_a_step(tiny):
    assert "never_l1a" in [i.id for i in plan(tiny, t__l1a="never").items]
    assert "never_l1a" not in [i.id for i in plan(tiny, t__l1a="always").items]


def test_horizons_respect_their_caps(content):
    plan = content.plan("full-diagnostic")
    lowest = [Answer(q.id, min(q.options, key=lambda o: o.score).value) for q in plan.questionnaire.questions]
    roadmap = plan_roadmap(content, score_assessment(content, "full-diagnostic", lowest))
    for name, cap in CAPS.items():
        assert len(roadmap.horizon(name)) == cap
    assert roadmap.deferred, "a company weak everywhere triggers more than fits in a year"
    assert [i.position for i in roadmap.items] == list(range(1, len(roadmap.items) + 1))


def test_planning_is_deterministic(tiny):
    assert plan(tiny, t__l1a="never") == plan(tiny, t__l1a="never")


def test_an_empty_questionnaire_gets_only_the_step_that_completes_it(content):
    for qid in ("full-diagnostic", "executive-quick-check"):
        roadmap = plan_roadmap(content, score_assessment(content, qid, []))
        assert [i.id for i in roadmap.items] == [UNASSESSED] and not roadmap.deferred


def test_an_unanswered_criterion_raises_the_not_assessed_finding_not_its_gap(tiny):
    result = score_tiny(tiny)
    assert "check.no_p" not in result.finding_codes()
    finding = next(f for f in result.findings if f.code == "assessment.not_assessed")
    assert finding.severity == "info" and "check.g.p" in finding.criteria
    assert finding.explanation.startswith("12 criteria not assessed: One, Two, Three, A, B, C, D, E, X, Y, P, Q.")


# --- on the project's content: order by distance, stated facts, equivalents, size ------------------------------


def answers_at(content, level: int, **changes):
    """Full-diagnostic answers of an organisation whose socialfication levels 1..level are in place, lowest elsewhere."""
    plan = content.plan("full-diagnostic")
    ladder = {f"socialfication.level{n}" for n in range(1, level + 1)}
    picked = {}
    for q in plan.questionnaire.questions:
        ranked = sorted(q.options, key=lambda o: o.score)
        picked[q.id] = (ranked[-1] if q.criterion in ladder else ranked[0]).value
    picked.update({k.replace("__", "."): v for k, v in changes.items()})
    return [Answer(q, v) for q, v in picked.items()]


def roadmap_of(content, answers, small=False):
    return plan_roadmap(content, score_assessment(content, "full-diagnostic", answers), small)


def planned_ids(roadmap):
    """Every recommendation the roadmap answers: planned, folded into a planned step, or deferred."""
    return (
        {i.id for i in roadmap.items}
        | {m for i in roadmap.items for m in i.merged}
        | set(roadmap.deferred)
        | set(roadmap.folded)
    )


def step_for(roadmap, rec_id):
    return next((i for i in roadmap.items if rec_id == i.id or rec_id in i.merged), None)


def test_a_level_four_organisation_at_solis_stage_three_gets_both_next_rungs_now(content):
    plan = content.plan("full-diagnostic")
    top = {
        q.id: max(q.options, key=lambda o: o.score).value
        for q in plan.questionnaire.questions
        if (q.criterion or "").startswith(("solis.stage1.", "solis.stage2.", "solis.stage3."))
    }
    result = score_assessment(
        content,
        "full-diagnostic",
        [a if a.question_id not in top else Answer(a.question_id, top[a.question_id]) for a in answers_at(content, 4)],
    )
    assert (result.level("socialfication"), result.level("solis")) == (4, 3)
    now = plan_roadmap(content, result).horizon("now")
    gates = {
        (m, content.recommendations[r][1].gate)
        for i in now
        for r in (i.id,) + i.merged
        for m in [content.recommendations[r][0]]
    }
    assert ("socialfication", 5) in gates and ("solis", 4) in gates


def test_a_level_one_organisation_gets_a_level_two_step_now_and_each_model_takes_its_turn(content):
    roadmap = roadmap_of(content, answers_at(content, 1))
    now = roadmap.horizon("now")
    assert now[0].id == "sf_mention_monitoring"
    # each model's first step before any model's second: the second level-2 step waits a quarter
    assert len({i.model for i in now}) == len(now)
    assert step_for(roadmap, "sf_response_playbook").horizon == "next"


def test_a_rung_nobody_could_describe_does_not_push_the_rung_above_it_a_horizon_later(content):
    # Solis stage 1 left at don't know, stage 2 answered absent: stage 2 is the next rung the evidence shows.
    plan = content.plan("full-diagnostic")
    stage1 = {q.id for q in plan.questionnaire.questions if (q.criterion or "").startswith("solis.stage1.")}
    answers = [Answer(a.question_id, "dont_know") if a.question_id in stage1 else a for a in answers_at(content, 2)]
    result = score_assessment(content, "full-diagnostic", answers)
    assert result.models["solis"].steps[0].status == "not assessed" and result.level("solis") == 0
    roadmap = plan_roadmap(content, result)
    stage2 = [i for i in roadmap.items if i.model == "solis" and i.recommendation.gate == 2]
    assert stage2 and all(i.distance == 1 for i in stage2)
    assert any(i.horizon == "now" for i in stage2)


def test_a_step_that_answers_a_warning_about_what_is_already_done_is_planned_as_near_as_the_next_rung(content):
    # A Discord customers already use, with no rules: the rules are a missing foundation, not a distant rung.
    _, values = load_answer_file(DATA / "personas" / "consumer-app-startup.yaml", content)
    result = score_assessment(content, "full-diagnostic", [Answer(q, v) for q, v in values.items()])
    assert "customer.community_without_rules" in {f.id for f in result.findings}
    rules = step_for(plan_roadmap(content, result), "customer_rules_of_the_road")
    assert rules is not None and rules.distance == 1
    assert rules.recommendation.gate - (result.level("socialfication") or 0) > 1


def test_the_first_step_of_a_level_zero_organisation_is_its_first_rung(content):
    roadmap = roadmap_of(content, answers_at(content, 0))
    assert steps(roadmap)[0].id == "sf_identify_customers"


def test_a_level_five_organisation_is_not_told_to_stop_publishing_without_a_plan(content):
    plan = content.plan("full-diagnostic")
    highest = [Answer(q.id, max(q.options, key=lambda o: o.score).value) for q in plan.questionnaire.questions]
    # Don't know on the feedback loop and on reporting, as the airline answered.
    unknown = [
        Answer(a.question_id, "dont_know")
        if a.question_id.startswith(("fd.feedback_loop.", "fd.listening.report_"))
        else a
        for a in highest
    ]
    result = score_assessment(content, "full-diagnostic", unknown)
    assert result.level("socialfication") == 5
    roadmap = plan_roadmap(content, result)
    assert "solis_plan_before_publishing" not in planned_ids(roadmap)
    assert "feedback_channel_audit" not in planned_ids(roadmap)  # don't know is no gap


def test_presence_ahead_of_listening_is_told_to_stop_publishing_without_a_plan(content):
    ahead = roadmap_of(
        content,
        answers_at(content, 1, fd__presence__active_accounts="every_network", fd__presence__posting_rhythm="daily"),
    )
    assert "solis_plan_before_publishing" in planned_ids(ahead)
    listening = answers_at(
        content,
        1,
        fd__presence__active_accounts="every_network",
        fd__presence__posting_rhythm="daily",
        fd__listening__coverage="everywhere",
        fd__listening__keyword_list="reviewed_list",
    )
    assert "solis_plan_before_publishing" not in planned_ids(roadmap_of(content, listening))


def test_an_organisation_with_no_accounts_is_not_told_to_prune_them(content):
    none = roadmap_of(
        content, answers_at(content, 2, fd__presence__active_accounts="none", fd__presence__posting_rhythm="rarely")
    )
    assert "solis_purposeful_presence" not in planned_ids(none) and "solis_presence_analysis" not in planned_ids(none)
    assert "solis_first_presence" in planned_ids(none)
    some = roadmap_of(
        content, answers_at(content, 2, fd__presence__active_accounts="dormant", fd__presence__posting_rhythm="monthly")
    )
    assert "solis_purposeful_presence" in planned_ids(some) and "solis_first_presence" not in planned_ids(some)


def test_an_organisation_whose_contacts_are_mostly_identified_is_not_told_to_identify_them(content):
    # Identified but not tailored: the step is to personalise, not to identify.
    roadmap = roadmap_of(content, answers_at(content, 1, fd__knowing__tailored_messages="same_for_all"))
    assert "sf_identify_customers" not in planned_ids(roadmap)
    assert "sf_personalise_first_messages" in planned_ids(roadmap)


def test_an_organisation_that_makes_anticipatory_offers_is_not_told_to_pilot_one(content):
    runs = roadmap_of(content, answers_at(content, 3, fd__anticipating__new_need_offers="core_practice"))
    assert "sf_predictive_pilot" not in planned_ids(runs)
    does_not = roadmap_of(content, answers_at(content, 3))
    assert "sf_predictive_pilot" in planned_ids(does_not)


def test_the_feedback_channel_audit_follows_its_own_criteria_not_the_level(content):
    audited = {
        f"fd__feedback_loop__{k}": v
        for k, v in {
            "channel_list": "complete_with_owners",
            "channel_content": "all_compared",
            "close_the_loop": "all_channels",
            "journey_maps": "maintained",
            "cross_functional": "owned_steps",
            "overlay": "maintained",
            "moment_performance": "all_moments",
            "baseline": "per_step",
            "priorities": "planned",
        }.items()
    }
    assert "feedback_channel_audit" not in planned_ids(roadmap_of(content, answers_at(content, 1, **audited)))
    assert "feedback_channel_audit" in planned_ids(roadmap_of(content, answers_at(content, 4)))


def test_equivalent_recommendations_are_one_step_credited_to_both_models(content):
    roadmap = roadmap_of(content, answers_at(content, 1))
    step = step_for(roadmap, "solis_listening_programme")
    assert step.id == "sf_mention_monitoring" and "solis_listening_programme" in step.merged
    assert step.models[:2] == ("socialfication", "solis")
    assert {"Christopher Surdak", "Brian Solis"} <= set(step.credits)
    assert any("Listening" in r.text for r in step.reasons) and any(
        "socialfication" in r.text.lower() for r in step.reasons
    )
    assert [i.id for i in roadmap.items].count("solis_listening_programme") == 0
    assert roadmap.folded["solis_listening_programme"] == "sf_mention_monitoring"


def test_three_models_asking_to_join_social_and_operational_data_get_one_step(content):
    roadmap = roadmap_of(content, answers_at(content, 1))
    step = step_for(roadmap, "customer_social_data_in_crm")
    assert step.id == "sf_join_social_and_operational_data"
    assert set(step.merged) == {"customer_social_data_in_crm", "stack_unified_customer_profile"}
    assert len(step.credits) == 3
    assert step.id not in step.prerequisites  # the profile was a prerequisite of the CRM step: folded, not circular


def test_a_small_organisation_gets_the_small_variant_and_a_large_one_does_not(content):
    answers = answers_at(content, 2)
    small = step_for(roadmap_of(content, answers, small=True), "feedback_channel_audit")
    large = step_for(roadmap_of(content, answers), "feedback_channel_audit")
    assert small.small and small.effort == "S" and small.owner == "Owner or manager" and "afternoon" in small.what
    assert len(small.tasks) == 5
    assert not large.small and large.owner == "Head of Customer Experience" and large.effort == "M"


def test_unassessed_sections_become_one_step_now_for_the_consultant(content):
    answers = [a for a in answers_at(content, 1) if not a.question_id.startswith("fd.feedback_loop.")]
    roadmap = roadmap_of(content, answers)
    step = roadmap.items[0]
    assert step.id == UNASSESSED and step.horizon == "now"
    assert step.owner == "The assessment's consultant"
    assert "The feedback-channel audit" in step.what
    assert "not assessed" in step.reasons[0].text and step.reasons[0].contributions
    assert len([i for i in roadmap.horizon("now") if i.id != UNASSESSED]) <= CAPS["now"]


def _check_plan(bundle, result, roadmap):
    """Prerequisites first; the next ladder rung now unless a prerequisite holds it; every triggered step answered."""
    where = {i.id: (HORIZONS.index(i.horizon), i.position) for i in roadmap.items}
    items = {i.id: i for i in roadmap.items}
    for item in roadmap.items:
        for pre in item.prerequisites:
            assert pre in where and where[pre] < where[item.id], (pre, item.id)
    assert set(triggered(bundle, result)) <= planned_ids(roadmap)
    for model in ("socialfication", "solis"):
        level = result.level(model) or 0
        unknown = {s.number for s in result.models[model].steps if s.status == "not assessed"}
        # The next rung is the one above the level, or one above it with only unassessed rungs in between.
        next_gates = {
            gate
            for gate in range(level + 1, len(result.models[model].steps) + 1)
            if all(n in unknown for n in range(level + 1, gate))
        }

        def builds_next(item, model=model, next_gates=next_gates):
            members = [(item.id, item.model)] + [(m, bundle.recommendations[m][0]) for m in item.merged]
            return any(m_model == model and bundle.recommendations[m][1].gate in next_gates for m, m_model in members)

        rungs = [i for i in roadmap.items if builds_next(i)]
        # The next rung of each model has a seat now, unless every step building it waits on a prerequisite.
        if rungs and not any(i.horizon == "now" for i in rungs):
            for item in rungs:
                held = [p for p in item.prerequisites if items[p].horizon != "now" or items[p].effort == "L"]
                assert held, f"{item.id} is the next {model} rung but planned {item.horizon}"
        for rid in roadmap.deferred:
            rec = bundle.recommendations[rid][1]
            assert rungs or not (
                bundle.recommendations[rid][0] == model and rec.gate in next_gates and not rec.prerequisites
            ), rid


@given(data=st.data())
@settings(max_examples=examples(60), suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_next_rung_is_now_unless_a_prerequisite_holds_it_and_nothing_comes_before_its_prerequisite(content, data):
    plan = content.plan("full-diagnostic")
    picked = [
        Answer(q.id, data.draw(st.sampled_from([o.value for o in q.options] + ["dont_know"])))
        for q in plan.questionnaire.questions
    ]
    small = data.draw(st.booleans())
    result = score_assessment(content, "full-diagnostic", picked)
    _check_plan(content, result, plan_roadmap(content, result, small))


@pytest.mark.parametrize("level", range(0, 6))
def test_each_level_plans_its_next_rung_now_and_keeps_prerequisites_first(content, level):
    result = score_assessment(content, "full-diagnostic", answers_at(content, level))
    assert result.level("socialfication") == level
    _check_plan(content, result, plan_roadmap(content, result))


def test_every_heavy_step_and_the_audit_have_a_version_for_a_small_organisation(content):
    heavy = [
        rec.id for _, rec in content.recommendations.values() if rec.effort == "L" or rec.id == "feedback_channel_audit"
    ]
    assert heavy and all(content.recommendations[rid][1].small is not None for rid in heavy)
    assert all(content.recommendations[rid][1].small.effort == "S" for rid in heavy)


def test_equivalents_name_recommendations_of_the_content_and_fold_into_groups(content):
    from backend.scoring.roadmap import equivalence_groups

    groups = equivalence_groups(content)
    assert groups["solis_listening_programme"] == groups["sf_mention_monitoring"]
    assert groups["stack_unified_customer_profile"] == {
        "sf_join_social_and_operational_data",
        "customer_social_data_in_crm",
        "stack_unified_customer_profile",
    }
    assert groups["solis_purposeful_presence"] == {"solis_plan_before_publishing", "solis_purposeful_presence"}
