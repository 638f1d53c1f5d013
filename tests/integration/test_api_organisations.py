"""Organisations and assessments: creating, reading, and refusing bad input clearly."""

from tests.integration.api import make_assessment, make_org


def test_create_and_read_an_organisation(client):
    org_id = make_org(client, "Acme & Sons <Ltd>", sector="Retail", size="250-1000")
    body = client.get(f"/api/v1/organisations/{org_id}").json()
    assert body["name"] == "Acme & Sons <Ltd>" and body["sector"] == "Retail"
    assert [o["id"] for o in client.get("/api/v1/organisations").json()] == [org_id]


def test_a_blank_name_is_refused_and_nothing_is_stored(client):
    response = client.post("/api/v1/organisations", json={"name": "   "})
    assert response.status_code == 400
    assert response.json()["extra"][0]["key"] == "name"
    assert client.get("/api/v1/organisations").json() == []


def test_an_unknown_field_is_named(client):
    response = client.post("/api/v1/organisations", json={"name": "x", "colour": "red"})
    assert response.status_code == 400
    assert "colour" in response.text


def test_unknown_organisation_is_404(client):
    response = client.get("/api/v1/organisations/999")
    assert response.status_code == 404
    assert response.json()["detail"] == "organisation 999 not found"


def test_create_an_assessment_for_a_period(client):
    org_id = make_org(client)
    assessment_id = make_assessment(client, org_id, "2026-Q4", "executive-quick-check")
    body = client.get(f"/api/v1/assessments/{assessment_id}").json()
    assert (body["period"], body["status"], body["kind"], body["questions"], body["answered"]) == (
        "2026-Q4",
        "draft",
        "self_assessment",
        20,
        0,
    )
    assert body["questionnaire_version"] == "2.1" and len(body["content_hash"]) == 64


def test_a_malformed_period_names_the_field_and_the_form(client):
    org_id = make_org(client)
    response = client.post(
        f"/api/v1/organisations/{org_id}/assessments", json={"questionnaire_id": "full-diagnostic", "period": "Q4 2026"}
    )
    assert response.status_code == 400
    problem = response.json()["extra"][0]
    assert problem["key"] == "period" and "such as 2026-Q4" in problem["message"]
    assert client.get(f"/api/v1/organisations/{org_id}/assessments").json() == []


def test_an_unknown_questionnaire_lists_the_known_ones(client):
    org_id = make_org(client)
    response = client.post(
        f"/api/v1/organisations/{org_id}/assessments", json={"questionnaire_id": "long-form", "period": "2026-Q4"}
    )
    assert response.status_code == 400
    assert response.json()["extra"] == {
        "field": "questionnaire_id",
        "allowed": ["executive-quick-check", "full-diagnostic"],
    }


def test_an_unknown_kind_is_refused(client):
    org_id = make_org(client)
    response = client.post(
        f"/api/v1/organisations/{org_id}/assessments",
        json={"questionnaire_id": "full-diagnostic", "period": "2026-Q4", "kind": "survey"},
    )
    assert response.status_code == 400
    assert response.json()["extra"][0]["key"] == "kind"


def test_assessment_for_a_missing_organisation_is_404(client):
    response = client.post(
        "/api/v1/organisations/42/assessments", json={"questionnaire_id": "full-diagnostic", "period": "2026-Q4"}
    )
    assert response.status_code == 404
