"""Organisations drawn from the source texts score where the sources place them."""

from pathlib import Path

import pytest

from backend.content.answers import load_answer_file
from backend.scoring.engine import score_assessment
from backend.scoring.models import Answer
from backend.scoring.roadmap import plan_roadmap
from tests.conftest import DATA

PERSONAS = sorted((DATA / "personas").glob("*.yaml"))


def score_persona(content, path: Path):
    data, values = load_answer_file(path, content)
    result = score_assessment(content, data.questionnaire, [Answer(q, v) for q, v in values.items()])
    return data, result


def test_the_six_source_personas_are_present():
    assert {p.stem for p in PERSONAS} >= {
        "anonymous", "loyalty-card", "brand-monitor", "professional-network-2013", "airline-travel-logs", "accounts-everywhere",
    }


@pytest.mark.parametrize("path", PERSONAS, ids=[p.stem for p in PERSONAS])
def test_persona_scores_as_its_source_says(content, path):
    data, result = score_persona(content, path)
    assert result.level("socialfication") == data.expect["socialfication_level"], data.source
    codes = result.finding_codes()
    for code in data.expect.get("findings", []):
        assert code in codes, f"{data.name}: expected finding {code}"
    for code in data.expect.get("absent_findings", []):
        assert code not in codes, f"{data.name}: unexpected finding {code}"


def test_a_company_stuck_at_reactive_gets_the_feedback_channel_audit_now(content):
    _, result = score_persona(content, DATA / "personas" / "brand-monitor.yaml")
    assert result.level("socialfication") == 2
    assert "feedback_channel_audit" in [i.id for i in plan_roadmap(content, result).horizon("now")]


@pytest.mark.parametrize("name", ["anonymous", "loyalty-card"])
def test_a_company_below_reactive_starts_with_its_next_rung_and_still_plans_the_audit(content, name):
    _, result = score_persona(content, DATA / "personas" / f"{name}.yaml")
    roadmap = plan_roadmap(content, result)
    level = result.level("socialfication")
    now = roadmap.horizon("now")
    assert now[0].recommendation.gate == level + 1 and now[0].model == "socialfication"
    assert "feedback_channel_audit" in [i.id for i in roadmap.items]


def test_a_productive_company_needs_no_feedback_channel_audit(content):
    _, result = score_persona(content, DATA / "personas" / "airline-travel-logs.yaml")
    assert "feedback_channel_audit" not in [i.id for i in plan_roadmap(content, result).items]


def test_accounts_everywhere_without_listening_is_told_to_listen_first(content):
    _, result = score_persona(content, DATA / "personas" / "accounts-everywhere.yaml")
    finding = next(f for f in result.findings if f.code == "solis.out_of_order")
    assert "Listening" in finding.explanation
    roadmap = plan_roadmap(content, result)
    listening = next(i for i in roadmap.horizon("now") if "solis_listening_programme" in (i.id,) + i.merged)
    assert "solis" in listening.models
    assert "solis_plan_before_publishing" in [i.id for i in roadmap.items]


def _with(content, path: Path, **changes):
    data, values = load_answer_file(path, content)
    values = {**values, **{k.replace("__", "."): v for k, v in changes.items()}}
    return score_assessment(content, data.questionnaire, [Answer(q, v) for q, v in values.items()])


def test_accounts_with_a_stated_purpose_are_told_to_listen_but_not_to_stop_publishing(content):
    result = _with(content, DATA / "personas" / "accounts-everywhere.yaml", fd__purpose__stated_objectives="customer_useful")
    roadmap = plan_roadmap(content, result)
    planned = [i.id for i in roadmap.items] + [m for i in roadmap.items for m in i.merged]
    assert "solis_plan_before_publishing" not in planned
    assert "solis_listening_programme" in planned
    assert "solis.out_of_order" in result.finding_codes()
    finding = next(f for f in result.findings if f.code == "solis.out_of_order")
    assert "without a plan" not in finding.explanation


def test_an_account_purpose_written_only_for_our_own_reach_still_gets_the_stop_publishing_step(content):
    result = _with(content, DATA / "personas" / "accounts-everywhere.yaml", fd__purpose__stated_objectives="internal_only")
    assert "solis_plan_before_publishing" in [i.id for i in plan_roadmap(content, result).items]


def _lowest(content, **changes):
    plan = content.plan("full-diagnostic")
    picked = {q.id: min(q.options, key=lambda o: o.score).value for q in plan.questionnaire.questions}
    picked.update({k.replace("__", "."): v for k, v in changes.items()})
    return score_assessment(content, "full-diagnostic", [Answer(q, v) for q, v in picked.items()])


def test_a_one_shop_business_without_a_list_of_feedback_channels_gets_a_warning_not_critical(content):
    result = _lowest(content)
    assert result.level("socialfication") < 2
    finding = next(f for f in result.findings if f.code == "customer.no_voice_of_customer_process")
    assert finding.severity == "warning" and "no established social presence" in finding.explanation


def test_an_organisation_present_on_every_network_without_a_list_of_feedback_channels_is_critical(content):
    result = _lowest(content, fd__presence__official_accounts="active_widely")
    assert result.criteria["solis.stage2.presence"].status == "in place"
    finding = next(f for f in result.findings if f.code == "customer.no_voice_of_customer_process")
    assert finding.severity == "critical" and "warning rather than critical" not in finding.explanation
