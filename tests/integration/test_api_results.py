"""Results, roadmaps and submission through the API, on stored answers."""

import shutil

from backend.web.app import create_app
from tests.integration.api import answer, answer_persona, make_assessment, make_org, submitted_persona
from tests.integration.conftest import admin_client
from tests.integration.pdf import Pdf


def test_result_gives_level_stage_criteria_with_their_answers_and_confidence(client, ctx):
    aid = make_assessment(client, make_org(client))
    answer_persona(client, ctx, aid, "brand-monitor")
    body = client.get(f"/api/v1/assessments/{aid}/result").json()
    models = {m["model"]: m for m in body["result"]["models"]}
    assert models["socialfication"]["level"] == 2 and models["socialfication"]["level_name"] == "Reactive"
    assert 2 <= models["socialfication"]["progress"] < 3
    assert models["solis"]["level"] is not None
    level2 = next(c for c in body["result"]["criteria"] if c["id"] == "socialfication.level2")
    assert level2["answers"] and all(a["status"] == "answered" for a in level2["answers"])
    assert body["result"]["confidence"]["label"] == "high"
    assert body["frozen"] is False


def test_roadmap_items_carry_why_effort_impact_owner_and_measure(client, ctx):
    aid = make_assessment(client, make_org(client))
    answer_persona(client, ctx, aid, "anonymous")
    roadmap = client.get(f"/api/v1/assessments/{aid}/roadmap").json()
    first = roadmap["items"][0]
    # An anonymous company's next rung comes first: level 1, identifying customers.
    assert first["recommendation_id"] == "sf_identify_customers" and first["horizon"] == "now"
    assert first["reasons"] and first["effort"] in "SML" and first["owner_role"] and first["success_measure"]
    assert len(first["tasks"]) == 3 and first["status"] == "planned" and first["variant"] == "standard"
    audit = next(i for i in roadmap["items"] if i["recommendation_id"] == "feedback_channel_audit")
    assert len(audit["tasks"]) == 5 and audit["credits"] == ["Dave Evans, with Chris Carfi and Kira Wampler"]
    assert {i["horizon"] for i in roadmap["items"]} == {"now", "next", "later"}


def test_roadmap_item_status_owner_and_due_period_can_be_changed(client, ctx):
    aid = make_assessment(client, make_org(client))
    answer_persona(client, ctx, aid, "anonymous")
    item = client.get(f"/api/v1/assessments/{aid}/roadmap").json()["items"][0]
    response = client.patch(
        f"/api/v1/assessments/{aid}/roadmap/{item['id']}",
        json={"status": "in_progress", "owner": "Dana (CX)", "due_period": "2027-Q1", "expected_version": 1},
    )
    assert response.status_code == 200, response.text
    assert (
        response.json()["status"],
        response.json()["owner"],
        response.json()["due_period"],
        response.json()["version"],
    ) == ("in_progress", "Dana (CX)", "2027-Q1", 2)
    again = client.get(f"/api/v1/assessments/{aid}/roadmap").json()["items"][0]
    assert again["status"] == "in_progress"


def test_bad_roadmap_changes_are_refused_clearly(client, ctx):
    aid = make_assessment(client, make_org(client))
    answer_persona(client, ctx, aid, "anonymous")
    item = client.get(f"/api/v1/assessments/{aid}/roadmap").json()["items"][0]
    url = f"/api/v1/assessments/{aid}/roadmap/{item['id']}"
    bad_status = client.patch(url, json={"status": "finished"})
    assert bad_status.status_code == 400 and bad_status.json()["extra"][0]["key"] == "status"
    bad_due = client.patch(url, json={"due_period": "next year"})
    assert bad_due.status_code == 400 and "such as 2026-Q4" in bad_due.json()["extra"][0]["message"]
    stale = client.patch(url, json={"status": "done", "expected_version": 7})
    assert stale.status_code == 409
    assert client.patch(f"/api/v1/assessments/{aid}/roadmap/99999", json={"status": "done"}).status_code == 404
    assert client.get(f"/api/v1/assessments/{aid}/roadmap").json()["items"][0]["status"] == "planned"


def test_submit_freezes_the_result_and_refuses_a_second_submit(client, ctx):
    org = make_org(client)
    aid = submitted_persona(client, ctx, org, "2026-Q1", "brand-monitor")
    body = client.get(f"/api/v1/assessments/{aid}/result").json()
    assert body["frozen"] is True and body["content_changed"] is False and body["rescore"] is None
    assert client.post(f"/api/v1/assessments/{aid}/submit").status_code == 409
    assert client.get(f"/api/v1/assessments/{aid}").json()["submitted_at"]


def test_an_empty_assessment_cannot_be_submitted(client):
    aid = make_assessment(client, make_org(client))
    response = client.post(f"/api/v1/assessments/{aid}/submit")
    assert response.status_code == 400 and "no answers" in response.json()["detail"]
    assert client.get(f"/api/v1/assessments/{aid}").json()["status"] == "draft"


def test_new_content_shows_as_a_difference_and_never_replaces_history(client, ctx, settings, tmp_path):
    org = make_org(client)
    aid = submitted_persona(client, ctx, org, "2026-Q1", "brand-monitor")
    before = client.get(f"/api/v1/assessments/{aid}/result").json()
    content = tmp_path / "content"
    for folder in ("rubrics", "questionnaires"):
        shutil.copytree(settings.content_dir / folder, content / folder)
    ladder = content / "rubrics" / "socialfication.yaml"
    ladder.write_text(
        ladder.read_text()
        .replace("threshold: 0.7", "threshold: 0.95", 1)
        .replace("defining_floor: 0.5", "defining_floor: 0.95", 1)
    )
    from dataclasses import replace

    with admin_client(create_app(replace(settings, content_dir=content)), "admin2@tribewise.test") as changed:
        after = changed.get(f"/api/v1/assessments/{aid}/result").json()
    assert after["result"] == before["result"]  # the stored snapshot, unchanged
    assert after["content_changed"] is True
    assert after["rescore"]["levels"]["socialfication"][0] == 2
    assert after["rescore"]["levels"]["socialfication"][1] < 2


def test_a_new_period_starts_from_its_baseline_and_a_step_done_stays_done(client, ctx, tmp_path):
    org = make_org(client)
    first = make_assessment(client, org, "2026-Q1")
    given = answer_persona(client, ctx, first, "brand-monitor")
    items = client.get(f"/api/v1/assessments/{first}/roadmap").json()["items"]
    client.patch(
        f"/api/v1/assessments/{first}/roadmap/{items[0]['id']}", json={"status": "in_progress", "owner": "Dana"}
    )
    client.patch(f"/api/v1/assessments/{first}/roadmap/{items[1]['id']}", json={"status": "done"})
    assert client.post(f"/api/v1/assessments/{first}/submit").status_code == 200
    second = make_assessment(client, org, "2026-Q2", baseline_assessment_id=first)
    copied = {a["question_id"]: a["value"] for a in client.get(f"/api/v1/assessments/{second}/answers").json()}
    assert copied == given
    assert client.get(f"/api/v1/assessments/{second}").json()["status"] == "draft"
    roadmap = {i["recommendation_id"]: i for i in client.get(f"/api/v1/assessments/{second}/roadmap").json()["items"]}
    carried = roadmap[items[0]["recommendation_id"]]
    assert (carried["status"], carried["owner"], carried["carried_from_period"]) == ("in_progress", "Dana", "2026-Q1")
    done = roadmap[items[1]["recommendation_id"]]
    # Done last quarter and still triggered by the same answers: it stays done, since the quarter it was done in.
    assert (done["status"], done["done_since"], done["carried_from_period"]) == ("done", "2026-Q1", "2026-Q1")
    third = make_assessment(client, org, "2026-Q3", baseline_assessment_id=second)
    later = {i["recommendation_id"]: i for i in client.get(f"/api/v1/assessments/{third}/roadmap").json()["items"]}
    assert (later[items[1]["recommendation_id"]]["status"], later[items[1]["recommendation_id"]]["done_since"]) == (
        "done",
        "2026-Q1",
    )
    assert "Done since 2026-Q1" in client.get(f"/assessments/{third}/roadmap").text
    assert Pdf(client.get(f"/api/v1/assessments/{third}/report.pdf").content, tmp_path).has("Done since 2026-Q1")
    # Set back to in progress, it is no longer done since anything.
    reopened = client.patch(
        f"/api/v1/assessments/{third}/roadmap/{later[items[1]['recommendation_id']]['id']}",
        json={"status": "in_progress"},
    ).json()
    assert (reopened["status"], reopened["done_since"]) == ("in_progress", "")


def test_a_baseline_from_another_organisation_is_refused(client, ctx):
    theirs = make_assessment(client, make_org(client, "Other"), "2026-Q1")
    mine = make_org(client, "Mine")
    response = client.post(
        f"/api/v1/organisations/{mine}/assessments",
        json={"questionnaire_id": "full-diagnostic", "period": "2026-Q2", "baseline_assessment_id": theirs},
    )
    assert response.status_code == 404 and response.json()["extra"]["field"] == "baseline_assessment_id"


def test_progress_lists_every_period_in_order(client, ctx):
    org = make_org(client)
    for period, persona in (
        ("2026-Q3", "professional-network-2013"),
        ("2026-Q1", "anonymous"),
        ("2026-Q2", "brand-monitor"),
    ):
        submitted_persona(client, ctx, org, period, persona)
    periods = client.get(f"/api/v1/organisations/{org}/progress").json()["periods"]
    assert [(p["period"], p["level"]) for p in periods] == [("2026-Q1", 0), ("2026-Q2", 2), ("2026-Q3", 4)]
    assert all(p["stage"] is not None and p["criteria"]["socialfication.level1"] is not None for p in periods)


def test_compare_shows_improvements_findings_steps_done_and_changed_answers(client, ctx):
    org = make_org(client)
    first = make_assessment(client, org, "2026-Q1")
    answer_persona(client, ctx, first, "anonymous")
    audit = next(
        i
        for i in client.get(f"/api/v1/assessments/{first}/roadmap").json()["items"]
        if i["recommendation_id"] == "feedback_channel_audit"
    )
    client.patch(f"/api/v1/assessments/{first}/roadmap/{audit['id']}", json={"status": "done"})
    client.post(f"/api/v1/assessments/{first}/submit")
    second = make_assessment(client, org, "2026-Q2", baseline_assessment_id=first)
    answer_persona(client, ctx, second, "brand-monitor")
    qid = client.get(f"/api/v1/assessments/{second}/answers").json()[0]["question_id"]
    answer(
        client,
        second,
        qid,
        client.get(f"/api/v1/assessments/{second}/answers").json()[0]["value"],
        note="We now log every mention",
    )
    body = client.get(f"/api/v1/assessments/{second}/compare/{first}").json()
    assert body["before"]["id"] == first and body["after"]["id"] == second
    assert body["levels"]["socialfication"] == [0, 2]
    assert body["improved"] and not any(c["delta"] <= 0 for c in body["improved"])
    assert "customer.no_voice_of_customer_process" in {f["id"] for f in body["findings_resolved"]}
    assert body["roadmap_done"] == ["feedback_channel_audit"]
    changed = {c["question_id"]: c for c in body["answers_changed"]}
    assert changed[qid]["note_after"] == "We now log every mention"


def test_compare_across_organisations_is_refused(client):
    a = make_assessment(client, make_org(client, "A"))
    b = make_assessment(client, make_org(client, "B"))
    assert client.get(f"/api/v1/assessments/{a}/compare/{b}").status_code == 404


def test_result_says_the_level_is_provisional_and_which_rungs_were_not_assessed(client, ctx):
    aid = make_assessment(client, make_org(client))
    answer_persona(client, ctx, aid, "brand-monitor")
    for q in ctx.content.plan("full-diagnostic").by_criterion["socialfication.level1"]:
        answer(client, aid, q.id, "dont_know")
    body = client.get(f"/api/v1/assessments/{aid}/result").json()["result"]
    sf = next(m for m in body["models"] if m["model"] == "socialfication")
    assert (sf["level"], sf["provisional"], sf["assessed"], sf["covered"]) == (2, True, True, True)
    assert sf["not_assessed"] == [ctx.content.criteria["socialfication.level1"].name]
    level1 = next(c for c in body["criteria"] if c["id"] == "socialfication.level1")
    assert (level1["status"], level1["assessed"], level1["evidence"], level1["met"]) == (
        "not assessed",
        False,
        0.0,
        False,
    )
    assert "assessment.not_assessed" in {f["code"] for f in body["findings"]}


def test_an_all_dont_know_result_is_not_assessed_never_a_level(client, ctx):
    aid = make_assessment(client, make_org(client), questionnaire_id="executive-quick-check")
    for q in ctx.content.plan("executive-quick-check").questionnaire.questions:
        answer(client, aid, q.id, "dont_know")
    models = {m["model"]: m for m in client.get(f"/api/v1/assessments/{aid}/result").json()["result"]["models"]}
    for name in ("socialfication", "solis"):
        assert (models[name]["level"], models[name]["level_name"], models[name]["assessed"]) == (
            None,
            "Not assessed",
            False,
        )
