"""Steps and findings follow what the answers state: a purpose stated, a size of presence, a gap answered."""

from backend.scoring.engine import score_assessment
from backend.scoring.models import Answer
from backend.scoring.roadmap import plan_roadmap


def _lowest(content, **changes):
    """Every full-diagnostic question at its lowest option, but for the changes (question__id=value)."""
    plan = content.plan("full-diagnostic")
    picked = {q.id: min(q.options, key=lambda o: o.score).value for q in plan.questionnaire.questions}
    picked.update({k.replace("__", "."): v for k, v in changes.items()})
    return score_assessment(content, "full-diagnostic", [Answer(q, v) for q, v in picked.items()])


def _planned(content, result) -> set[str]:
    roadmap = plan_roadmap(content, result)
    return {i.id for i in roadmap.items} | {m for i in roadmap.items for m in i.merged}


PRESENT_EVERYWHERE = {"fd__presence__active_accounts": "every_network"}


def test_accounts_with_a_stated_purpose_are_told_to_listen_but_not_to_stop_publishing(content):
    result = _lowest(content, **PRESENT_EVERYWHERE, fd__purpose__stated_objectives="customer_useful")
    planned = _planned(content, result)
    assert "solis_plan_before_publishing" not in planned and "solis_listening_programme" in planned
    finding = next(f for f in result.findings if f.code == "solis.out_of_order")
    assert "without a plan" not in finding.explanation


def test_an_account_purpose_written_only_for_our_own_reach_still_gets_the_stop_publishing_step(content):
    result = _lowest(content, **PRESENT_EVERYWHERE, fd__purpose__stated_objectives="internal_only")
    assert "solis_plan_before_publishing" in _planned(content, result)


def test_an_unknown_purpose_is_no_reason_to_be_told_to_stop_publishing_without_a_plan(content):
    unknown = {
        f"fd__purpose__{q}": "dont_know"
        for q in ("stated_objectives", "channel_choice", "audience_research", "useful_content")
    }
    planned = _planned(content, _lowest(content, **PRESENT_EVERYWHERE, **unknown))
    assert "solis_plan_before_publishing" not in planned and "solis_listening_programme" in planned


def test_a_one_shop_business_without_a_list_of_feedback_channels_gets_a_warning_not_critical(content):
    result = _lowest(content)
    assert result.level("socialfication") < 2
    finding = next(f for f in result.findings if f.code == "customer.no_voice_of_customer_process")
    assert finding.severity == "warning" and "no established social presence" in finding.explanation


def test_an_organisation_present_on_every_network_without_a_list_of_feedback_channels_is_critical(content):
    result = _lowest(content, **PRESENT_EVERYWHERE)
    assert result.criteria["solis.stage2.presence"].status == "in place"
    finding = next(f for f in result.findings if f.code == "customer.no_voice_of_customer_process")
    assert finding.severity == "critical" and "warning rather than critical" not in finding.explanation
