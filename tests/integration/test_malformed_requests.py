"""Requests no client should send (OPTIONS, NUL characters, JSON nested a thousand deep) get a plain
answer or a 4xx that says what was wrong, never a 500, and never touch the session."""

from __future__ import annotations

import html

import pytest
from litestar import Litestar, get
from litestar.testing import TestClient

from backend.web.auth import authorise_request
from tests.integration.api import make_assessment, make_org
from tests.integration.web import browser, csrf_of, make_user, page_token

PAGES = ["/", "/sign-in", "/account", "/organisations/1/compare", "/assessments/1/answers/q1"]
API = [
    "/api/v1/organisations",
    "/api/v1/organisations/1",
    "/api/v1/auth/token",
    "/api/v1/workshops/ABCDEF/participants",
    "/schema/openapi.json",
]
DEEP = "[" * 1000 + "]" * 1000


def test_options_on_any_route_answers_204_with_every_method_it_takes(anonymous):
    expected = {
        "/": "GET, OPTIONS",
        "/sign-in": "GET, OPTIONS, POST",
        "/api/v1/organisations": "GET, OPTIONS, POST",
        "/api/v1/auth/token": "OPTIONS, POST",
        "/static/app.css": "GET, HEAD, OPTIONS",
    }
    for path in PAGES + API + list(expected):
        response = anonymous.options(path)
        assert response.status_code == 204, (path, response.text[:300])
        assert "OPTIONS" in response.headers["allow"], path
        assert "set-cookie" not in response.headers, path
        if path in expected:
            assert response.headers["allow"] == expected[path], path


def test_options_leaves_a_signed_in_session_as_it_was(app, ctx):
    make_user(ctx, "ada@example.test")
    with browser(app, "ada@example.test") as signed_in:
        for path in PAGES + API:
            response = signed_in.options(path)
            assert response.status_code == 204 and "set-cookie" not in response.headers, path
        assert signed_in.get("/account").status_code == 200


def test_a_route_without_an_access_rule_still_fails_loudly_but_its_options_do_not():
    @get("/forgotten", sync_to_thread=False)
    def forgotten() -> str:
        return "data"

    with TestClient(Litestar([forgotten], guards=[authorise_request])) as client:
        assert client.get("/forgotten").status_code == 500  # the RuntimeError: a handler missing its rule
        assert client.options("/forgotten").status_code == 204


@pytest.fixture
def signed_in(app, ctx):
    """A browser signed in as an admin, with an organisation and a draft assessment."""
    make_user(ctx, "admin@example.test", role="admin")
    with browser(app, "admin@example.test") as client:
        yield client


def test_a_nul_character_in_any_form_field_is_a_clear_400(app, client, signed_in):
    assessment = make_assessment(client, make_org(client), "2026-Q1", "executive-quick-check")
    question = client.get("/api/v1/questionnaires/executive-quick-check").json()["sections"][0]["questions"][0]
    token = page_token(signed_in)
    forms = {
        "/organisations": {"name": "Nul\x00 Ltd", "sector": "", "size": ""},
        f"/assessments/{assessment}/answers/{question['id']}": {
            "value": question["options"][0]["value"],
            "note": "a\x00b",
        },
        "/account/tokens": {"name": "\x00"},
    }
    for path, fields in forms.items():
        response = signed_in.post(path, data={**fields, "_csrf_token": token}, follow_redirects=False)
        assert response.status_code == 400, (path, response.text[:300])
        assert "contains a NUL character (%00)" in response.text and "remove it" in response.text, path
    assert [o["name"] for o in client.get("/api/v1/organisations").json()] == ["Acme Outdoor"]
    assert client.get(f"/api/v1/assessments/{assessment}/answers").json() == []


def test_a_nul_character_in_the_sign_in_form_is_a_clear_400(anonymous):
    token = csrf_of(anonymous.get("/sign-in").text)
    response = anonymous.post("/sign-in", data={"email": "ada\x00@example.test", "password": "x", "_csrf_token": token})
    assert response.status_code == 400
    assert "The form field 'email' contains a NUL character (%00)" in html.unescape(response.text)


def test_a_nul_character_in_a_path_is_a_404_not_a_500(anonymous, client):
    for path in ["/static/x%00.png", "/vendor/htmx%00.min.js", "/api/v1/workshops/AB%00CD", "/invitation/x%00y"]:
        response = anonymous.get(path)
        assert response.status_code == 404, (path, response.text[:300])
    response = client.get("/api/v1/questionnaires/x%00y")
    assert response.status_code == 404 and "NUL character" in response.json()["detail"]


def test_json_nested_a_thousand_deep_is_a_clear_400_on_every_route(anonymous, client):
    deep_object = '{"a":' * 1000 + "1" + "}" * 1000
    for who, path in [
        (anonymous, "/api/v1/auth/token"),
        (anonymous, "/api/v1/workshops/ABCDEF/participants"),
        (client, "/api/v1/organisations"),
        (client, "/api/v1/organisations/import"),
    ]:
        for body in (DEEP, deep_object):
            response = who.post(path, content=body, headers={"content-type": "application/json"})
            assert response.status_code == 400, (path, response.text[:300])
            assert response.json()["detail"].startswith("the JSON body nests more than 64 levels"), path
            assert response.json()["extra"] == {"field": "body"}


def test_json_nested_within_the_limit_is_read_as_before(client):
    nested = {"name": "Deep", "sector": [[[["x"]]]]}
    response = client.post("/api/v1/organisations", json=nested)
    assert response.status_code == 400 and "sector" in str(response.json()["extra"])  # the model's own refusal
    org = make_org(client)
    make_assessment(client, org, "2026-Q1", "executive-quick-check")
    exported = client.get(f"/api/v1/organisations/{org}/export.json").json()
    response = client.post("/api/v1/organisations/import", json=exported)
    assert response.status_code == 201, response.text
