"""The audit log records who created organisations and assessments, copied a baseline and submitted."""

from tests.integration.api import answer, make_assessment, make_org
from tests.integration.conftest import bearer_for

Q = "qc.social.listening"


def _events(client, org, action):
    return [e for e in client.get(f"/api/v1/organisations/{org}/audit").json() if e["action"] == action]


def test_creating_an_organisation_is_in_the_audit_log(client, ctx, anonymous):
    lead = bearer_for(ctx, "lead@firm.test", "consultant")
    org = anonymous.post("/api/v1/organisations", json={"name": "My client", "sector": "Retail"}, headers=lead).json()[
        "id"
    ]
    [event] = _events(client, org, "organisation.create")
    assert (event["actor"], event["entity"], event["entity_id"]) == ("lead@firm.test", "organisation", str(org))
    assert event["before"] is None
    assert event["after"] == {"name": "My client", "sector": "Retail", "size": "", "cadence_quarters": 1}


def test_creating_an_assessment_is_in_the_audit_log_with_its_period_and_questionnaire(client):
    org = make_org(client)
    aid = make_assessment(client, org, "2026-Q1", "executive-quick-check")
    [event] = _events(client, org, "assessment.create")
    assert (event["actor"], event["entity"], event["entity_id"]) == ("admin@tribewise.test", "assessment", str(aid))
    assert event["before"] is None
    assert {
        k: event["after"][k] for k in ("period", "questionnaire_id", "kind", "baseline_assessment_id", "answers_copied")
    } == {
        "period": "2026-Q1",
        "questionnaire_id": "executive-quick-check",
        "kind": "self_assessment",
        "baseline_assessment_id": None,
        "answers_copied": 0,
    }


def test_submitting_an_assessment_is_in_the_audit_log(client):
    org = make_org(client)
    aid = make_assessment(client, org, "2026-Q1", "executive-quick-check")
    answer(client, aid, Q, "ad_hoc")
    assert client.post(f"/api/v1/assessments/{aid}/submit").status_code == 200
    [event] = _events(client, org, "assessment.submit")
    assert (event["actor"], event["entity_id"], event["before"]) == (
        "admin@tribewise.test",
        str(aid),
        {"status": "draft"},
    )
    after = event["after"]
    assert (after["status"], after["period"], after["questionnaire_id"], after["answers"]) == (
        "submitted",
        "2026-Q1",
        "executive-quick-check",
        1,
    )
    # One answer assesses no rung: the level is recorded as not assessed, never dropped or guessed.
    assert after["level_socialfication"] is None and "level_solis" in after


def test_a_baseline_copy_keeps_every_field_and_names_who_started_the_assessment(client):
    org = make_org(client)
    first = make_assessment(client, org, "2026-Q1", "executive-quick-check")
    answer(client, first, Q, "ad_hoc", note="n", evidence="https://intranet/listening", answered_by="The CEO")
    client.post(f"/api/v1/assessments/{first}/submit")
    second = make_assessment(client, org, "2026-Q2", "executive-quick-check", baseline_assessment_id=first)
    [copied] = client.get(f"/api/v1/assessments/{second}/history").json()
    assert (
        copied["new_value"],
        copied["new_note"],
        copied["new_evidence"],
        copied["new_reason"],
        copied["new_answered_by"],
    ) == ("ad_hoc", "n", "https://intranet/listening", "", "The CEO")
    assert (copied["old_value"], copied["old_evidence"], copied["old_answered_by"]) == (None, None, None)
    assert copied["changed_by"] == "admin@tribewise.test"
    [event] = [e for e in _events(client, org, "assessment.create") if e["entity_id"] == str(second)]
    assert event["after"]["baseline_assessment_id"] == first and event["after"]["answers_copied"] == 1


def test_comparing_periods_shows_a_changed_evidence_and_reason(client):
    org = make_org(client)
    first = make_assessment(client, org, "2026-Q1", "executive-quick-check")
    answer(client, first, Q, "ad_hoc", evidence="https://intranet/old")
    client.post(f"/api/v1/assessments/{first}/submit")
    second = make_assessment(client, org, "2026-Q2", "executive-quick-check", baseline_assessment_id=first)
    answer(client, second, Q, "ad_hoc", evidence="https://intranet/new", answered_by="The CEO")
    [changed] = client.get(f"/api/v1/assessments/{first}/compare/{second}").json()["answers_changed"]
    assert (changed["before"], changed["after"]) == ("ad_hoc", "ad_hoc")
    assert (changed["evidence_before"], changed["evidence_after"]) == ("https://intranet/old", "https://intranet/new")
