"""Questionnaires and rubrics over the JSON API."""


def test_questionnaires_are_listed_with_version_and_hash(client):
    listed = {q["id"]: q for q in client.get("/api/v1/questionnaires").json()}
    assert set(listed) == {"full-diagnostic", "executive-quick-check"}
    assert listed["executive-quick-check"]["questions"] <= 20
    assert len(listed["full-diagnostic"]["content_hash"]) == 64


def test_a_questionnaire_definition_has_everything_a_client_needs(client):
    body = client.get("/api/v1/questionnaires/full-diagnostic").json()
    question = body["sections"][0]["questions"][0]
    assert {"id", "text", "help", "criterion", "options", "allow_dont_know", "allow_not_applicable"} <= set(question)
    assert {"value", "label", "score"} == set(question["options"][0])
    assert body["content_hash"]


def test_unknown_questionnaire_is_404_with_the_known_ids(client):
    response = client.get("/api/v1/questionnaires/nope")
    assert response.status_code == 404
    assert response.json()["extra"]["allowed"] == ["executive-quick-check", "full-diagnostic"]


def test_rubric_definition_includes_recommendations_and_triggers(client):
    body = client.get("/api/v1/rubrics/customer").json()
    audit = next(r for r in body["recommendations"] if r["id"] == "feedback_channel_audit")
    assert len(audit["tasks"]) == 5
    assert "any" in audit["trigger"]
    assert client.get("/api/v1/rubrics/nope").status_code == 404
    assert [r["model"] for r in client.get("/api/v1/rubrics").json()] == [
        "socialfication",
        "solis",
        "stack",
        "customer",
    ]


def test_openapi_schema_is_served(client):
    schema = client.get("/schema/openapi.json").json()
    assert "/api/v1/assessments/{assessment_id}/answers/{question_id}" in schema["paths"]
    assert "/bench/floor/{assessment_id}" not in schema["paths"]


def test_health_answers_once_ready(client):
    assert client.get("/healthz").json()["status"] == "ok"


def test_no_schema_page_loads_from_the_internet(client):
    for path in ("/schema", "/schema/swagger", "/schema/redoc"):
        response = client.get(path)
        assert response.status_code == 404 or "https://" not in response.text, path
