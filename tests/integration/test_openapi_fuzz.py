"""The JSON API against its own OpenAPI document: every operation fuzzed with valid and invalid input,
steered towards rows that exist, never answers 5xx, answers as documented (status code, content type,
body), takes every request its schema calls valid and refuses every one it calls invalid. OPTIONS on
each is answered with the documented methods, and hostile input (a NUL character, JSON nested a
thousand deep) gets a clear 4xx."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from backend.schemas.limits import INT_MAX
from backend.services.accounts import tokens
from tests.conftest import examples
from tests.integration.api import answer, make_assessment, make_org
from tests.integration.conftest import BASE

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
    negative_data_rejection,
]
# A valid request may still name nothing (404), meet a state that refuses it (409) or a link that expired
# (410), or have lost its token to an earlier case (401): only 400 and 422 say the schema was wrong.
ACCEPTED = ["2xx", "401", "403", "404", "409", "410", "429"]
# Schema-valid bodies these may rightly refuse with a 400, which no schema can foresee: an import is valid
# when the export file is whole and names questionnaires this site has; a password change, when the
# current password is right; a logo, when the file is a PNG within the size limits; an accent colour, when
# it is dark enough to read on white. Every other check still applies to them.
NOT_SCHEMA_BOUND = {
    "POST /api/v1/organisations/import",
    "POST /api/v1/auth/password",
    "PUT /api/v1/organisations/{organisation_id}/logo",
    "PUT /api/v1/organisations/{organisation_id}/accent",
}
QUESTIONNAIRE = "executive-quick-check"  # the short one: its PDF report renders fastest
PASSWORD = "correct horse battery staple"
# How often a steered value is a seeded one rather than a generated one (which mostly names nothing).
SEEDED = 0.7
# Which seeded values each path parameter, header or body field draws from.
STEERED = {
    **{
        f"path.{name}": name
        for name in (
            "organisation_id",
            "assessment_id",
            "other_id",
            "question_id",
            "item_id",
            "user_id",
            "link_id",
            "token_id",
            "questionnaire_id",
            "model",
            "code",
            "section_id",
            "channel_id",
            "number",
        )
    },
    "header.X-Participant-Token": "participant",
    "body.questionnaire_id": "questionnaire_id",
    "body.baseline_assessment_id": "assessment_id",
    "body.period": "period",
    "body.due_period": "period",
    "body.value": "value",
    "body.email": "email",
    "body.password": "password",
    "body.role": "role",
}


def seed(client) -> dict[str, list]:
    """Through the API: an organisation with a submitted and a draft assessment, answers, a roadmap and an audit
    worksheet, a workshop with a participant, a member, a share link, a spare token and a user who can sign in.
    Returns the values that name them."""
    org = make_org(client, "Fuzz & Co", sector="retail", size="11-50")
    questionnaire = client.get(f"/api/v1/questionnaires/{QUESTIONNAIRE}").json()
    questions = [q for s in questionnaire["sections"] for q in s["questions"]]
    submitted = make_assessment(client, org, "2026-Q1", QUESTIONNAIRE)
    for question in questions[:4]:
        assert (
            answer(client, submitted, question["id"], question["options"][-1]["value"], note="seeded").status_code
            == 201
        )
    assert client.post(f"/api/v1/assessments/{submitted}/submit").status_code == 200
    draft = make_assessment(client, org, "2026-Q2", QUESTIONNAIRE)
    items = [item["id"] for item in client.get(f"/api/v1/assessments/{draft}/roadmap").json()["items"]]
    sheet = client.get(f"/api/v1/assessments/{draft}/worksheet").json()
    code = client.post(f"/api/v1/assessments/{draft}/workshop").json()["code"]
    participant = client.post(
        f"/api/v1/workshops/{code}/participants", json={"name": "Ada", "role": "service", "department": "care"}
    )
    member = client.post(
        f"/api/v1/organisations/{org}/members", json={"email": "member@fuzz.test", "role": "consultant"}
    )
    user = client.post("/api/v1/users", json={"email": "user@fuzz.test", "role": "consultant", "password": PASSWORD})
    link = client.post(f"/api/v1/assessments/{submitted}/share-links", json={"variant": "summary"})
    token = client.post("/api/v1/auth/tokens", json={"name": "spare"})
    assert (
        member.status_code
        == user.status_code
        == link.status_code
        == token.status_code
        == participant.status_code
        == 201
    )
    return {
        "organisation_id": [org],
        "assessment_id": [draft, submitted],
        "other_id": [submitted, draft],
        "question_id": [q["id"] for q in questions],
        "item_id": items or [0],
        "user_id": [member.json()["user_id"], user.json()["id"]],
        "link_id": [link.json()["id"]],
        "token_id": [token.json()["id"]],
        "code": [code],
        "section_id": [s["id"] for s in questionnaire["sections"]],
        "channel_id": [c["id"] for c in sheet["channels"]],
        "number": [s["number"] for s in sheet["steps"]],
        "participant": [participant.json()["token"]],
        "questionnaire_id": [q["id"] for q in client.get("/api/v1/questionnaires").json()],
        "model": [r["model"] for r in client.get("/api/v1/rubrics").json()],
        "period": ["2026-Q3", "2026-Q2"],
        "value": ["dont_know"],  # an answer to nearly every question; an option fits only its own
        "role": ["member", "consultant", "viewer"],
        "email": ["user@fuzz.test", "member@fuzz.test", "new@fuzz.test"],
        "password": [PASSWORD],
    }


@pytest.fixture
def seeded(client) -> dict[str, list]:
    """The seeded rows' values, by dictionary name."""
    return seed(client)


@pytest.fixture
def api_schema(client, seeded):
    """The app's own OpenAPI document, with parameters and fields steered towards seeded rows."""
    config = schemathesis.Config.from_dict(
        {
            "dictionaries": {name: {"values": values} for name, values in seeded.items()},
            "parameters": {key: {"dictionary": name, "probability": SEEDED} for key, name in STEERED.items()},
            "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
        }
    )
    return schemathesis.openapi.from_dict(client.get("/schema/openapi.json").json(), config=config)


@pytest.fixture
def fresh_bearer(client, ctx):
    """Headers with a new token of the client's admin."""
    admin_id = client.get("/api/v1/auth/me").json()["id"]
    return lambda: {"Authorization": f"Bearer {tokens.issue_token(ctx, admin_id, 'fuzz').token}"}


def send(client, case, headers: dict[str, str], method: str | None = None):
    """Send a generated case through the test client, as schemathesis would over the network."""
    # Not case.call(): it would start a second instance of the app's lifespan on schemathesis' own loop.
    request = case.as_transport_kwargs(base_url=BASE, headers=headers)
    body = json.dumps(request["json"]).encode() if "json" in request else request.get("data")
    return client.request(
        method or request["method"],
        request["url"],
        params=request.get("params"),
        headers=request["headers"],
        content=body,
    )


def writes_no_cookie(ctx, response, case) -> None:
    """OPTIONS reads and writes no session: a browser's preflight must never sign anyone out."""
    assert "set-cookie" not in response.headers, f"OPTIONS {case.formatted_path} set a cookie"


def answers_204(ctx, response, case) -> None:
    """OPTIONS on a path that exists is answered, not refused."""
    assert response.status_code in (204, 404), f"OPTIONS {case.formatted_path} answered {response.status_code}"


OPTIONS_CHECKS = [not_a_server_error, allow_header_conformance, writes_no_cookie, answers_204]


def test_every_operation_answers_as_documented(api_schema, client, fresh_bearer):
    # One Hypothesis test per operation, run here rather than by schemathesis.pytest.from_fixture: that
    # sets pytest's private node._nodeid, which pytest 9 no longer has.
    failures = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        checks = [c for c in CHECKS if c is not positive_data_acceptance or operation.label not in NOT_SCHEMA_BOUND]

        @given(case=st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in GenerationMode)))
        @settings(
            max_examples=examples(25),
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            # A fresh token per case: the fuzzer may revoke the one it used (DELETE /auth/tokens/{id}, or an
            # admin's reset of themselves), and every later case would then only exercise the 401 path.
            case.validate_response(send(client, case, fresh_bearer()), checks=checks)  # noqa: B023 (run within this iteration)
            case.validate_response(send(client, case, fresh_bearer(), method="OPTIONS"), checks=OPTIONS_CHECKS)

        try:
            answers_as_documented()
        except (
            AssertionError,
            BaseExceptionGroup,
        ) as error:  # every operation's failures are reported, not only the first
            failures[operation.label] = error
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())


DEEP = "[" * 1000 + "]" * 1000


def test_every_operation_refuses_hostile_input_with_a_clear_4xx(api_schema, seeded, client, fresh_bearer):
    # What the fuzzer rarely builds: JSON nested a thousand deep in every body, a NUL in every path text.
    for result in api_schema.get_all_operations():
        operation = result.ok()
        params = [p for p in operation.path_parameters]
        path = operation.path.format(**{p.name: seeded[STEERED[f"path.{p.name}"]][0] for p in params})
        if operation.body:
            response = client.request(
                operation.method.upper(),
                path,
                content=DEEP,
                headers={**fresh_bearer(), "content-type": "application/json"},
            )
            assert response.status_code == 400, (operation.label, response.text[:300])
            if any(body.media_type == "application/json" for body in operation.body):
                assert response.json()["detail"].startswith("the JSON body nests more than"), operation.label
            else:  # a file upload (the logo) takes a form, which this is not
                assert "multipart/form-data" in response.json()["detail"], operation.label
        for param in params:
            if param.definition.get("schema", {}).get("type") == "string":
                broken = operation.path.format(
                    **{p.name: "x%00y" if p is param else seeded[STEERED[f"path.{p.name}"]][0] for p in params}
                )
                response = client.request(operation.method.upper(), broken, headers=fresh_bearer())
                assert response.status_code == 404, (operation.label, param.name, response.text[:300])


def test_the_schema_states_the_limits_the_server_enforces(client):
    document = client.get("/schema/openapi.json").json()
    models = document["components"]["schemas"]
    assert models["AssessmentCreate"]["properties"]["period"]["pattern"] == r"^\d{4}-Q[1-4]$"
    assert models["AssessmentCreate"]["properties"]["questionnaire_id"]["enum"] == [
        "executive-quick-check",
        "full-diagnostic",
    ]
    assert models["RoadmapItemPatch"]["properties"]["due_period"]["pattern"] == r"^(\d{4}-Q[1-4])?$"
    assert models["PasswordChange"]["properties"]["new_password"]["minLength"] == 10
    assert {"minLength": 10} in models["UserCreate"]["properties"]["password"]["anyOf"]
    for name in ("AnswerPut", "ConsensusPut"):
        version = models[name]["properties"]["expected_version"]
        assert (version["minimum"], version["maximum"]) == (0, INT_MAX), name
    bodies = {
        op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        for methods in document["paths"].values()
        for op in methods.values()
        if "$ref" in op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    }
    assert bodies and all(models[name]["additionalProperties"] is False for name in bodies), bodies
    for path, methods in document["paths"].items():
        for op in methods.values():
            for parameter in op.get("parameters", []):
                if parameter["schema"].get("type") == "integer" and parameter["name"].endswith("_id"):
                    assert (parameter["schema"]["minimum"], parameter["schema"]["maximum"]) == (1, INT_MAX), (
                        path,
                        parameter["name"],
                    )
