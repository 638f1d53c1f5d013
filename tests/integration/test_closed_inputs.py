"""Every input refuses a field it does not have: a mistyped name is a 4xx naming it, never quietly dropped."""

from __future__ import annotations

import pytest

from tests.integration.api import answer, make_assessment, make_org


def _refused(response, field: str) -> None:
    assert response.status_code == 400, response.text
    assert field in response.text, response.text


def test_a_mistyped_password_on_user_create_is_refused_and_creates_no_invited_user(client):
    response = client.post(
        "/api/v1/users", json={"email": "typo@firm.test", "role": "member", "passwrd": "correct horse battery"}
    )
    _refused(response, "passwrd")
    assert "typo@firm.test" not in [u["email"] for u in client.get("/api/v1/users").json()]


def test_a_mistyped_field_on_organisation_create_is_refused_naming_it(client):
    _refused(client.post("/api/v1/organisations", json={"name": "Acme", "sectr": "retail"}), "sectr")
    assert client.get("/api/v1/organisations").json() == []


def test_a_mistyped_field_on_an_answer_is_refused_naming_it_and_stores_nothing(client):
    assessment = make_assessment(client, make_org(client), "2026-Q1", "executive-quick-check")
    _refused(answer(client, assessment, "qc.social.listening", "ad_hoc", evidense="the audit"), "evidense")
    assert client.get(f"/api/v1/assessments/{assessment}/answers").json() == []


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/auth/token", {"email": "a@b.test", "pasword": "x" * 12}, "pasword"),
        ("/api/v1/workshops/ABCDEF/participants", {"name": "Ada", "departement": "service"}, "departement"),
    ],
)
def test_a_mistyped_field_from_anyone_is_refused_naming_it(anonymous, path, body, field):
    _refused(anonymous.post(path, json=body), field)


def test_every_json_body_the_api_takes_is_closed_to_unknown_fields(anonymous):
    document = anonymous.get("/schema/openapi.json").json()
    schemas = document["components"]["schemas"]
    bodies = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            schema = (content or {}).get("schema", {})
            for ref in [schema.get("$ref")] + [s.get("$ref") for s in schema.get("oneOf", [])]:
                if ref:
                    bodies[f"{method.upper()} {path}"] = ref.rsplit("/", 1)[-1]
    assert len(bodies) >= 19, bodies  # the import takes a file, checked by ExportFile (test_import_validation)
    open_bodies = {op: name for op, name in bodies.items() if schemas[name].get("additionalProperties") is not False}
    assert open_bodies == {}
