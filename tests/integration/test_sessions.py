"""Sessions end on the server, error pages leave them alone, signed-in answers are never cached,
and the sign-in limit counts the address that really connected."""

import itertools

import httpx
from litestar.testing import TestClient
from sqlmodel import select

from backend.services.accounts.users import MAX_FAILURES_PER_ADDRESS
from backend.storage.db import Database
from backend.storage.tables import LoginAttempt
from tests.integration.api import make_assessment, make_org
from tests.integration.conftest import BASE
from tests.integration.web import browser, make_user, page_token
from tests.server import running_server


def test_sign_out_ends_the_session_on_the_server(app, ctx):
    make_user(ctx, "ceo@acme.test")
    with browser(app, "ceo@acme.test") as web, TestClient(app=app, base_url=BASE) as thief:
        thief.cookies.set("tw_session", web.cookies["tw_session"], domain="testserver.local")
        assert thief.get("/api/v1/auth/me").status_code == 200  # a copy works while the session lives
        assert web.post("/sign-out", data={"_csrf_token": page_token(web)}, follow_redirects=False).status_code == 303
        assert thief.get("/account", follow_redirects=False).headers["location"].startswith("/sign-in")
        assert thief.get("/api/v1/auth/me").status_code == 401


def test_sign_out_signs_the_user_out_of_their_other_browsers_but_not_out_of_their_tokens(app, ctx):
    make_user(ctx, "ceo@acme.test")
    with browser(app, "ceo@acme.test") as here, browser(app, "ceo@acme.test") as elsewhere:
        token = here.post(
            "/api/v1/auth/tokens", json={"name": "script"}, headers={"X-CSRF-Token": page_token(here)}
        ).json()["token"]
        assert here.post("/sign-out", data={"_csrf_token": page_token(here)}, follow_redirects=False).status_code == 303
        assert elsewhere.get("/api/v1/auth/me").status_code == 401
        assert here.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with browser(app, "ceo@acme.test") as again:  # and signing in again works as before
        assert again.get("/api/v1/auth/me").json()["email"] == "ceo@acme.test"


def test_error_pages_never_write_a_session_nor_sign_anyone_out(app, ctx):
    make_user(ctx, "ceo@acme.test")
    with browser(app, "ceo@acme.test") as web:
        for method, path in (
            ("GET", "/favicon.ico"),
            ("GET", "/robots.txt"),
            ("GET", "/no-such-page"),
            ("DELETE", "/account"),
            ("GET", "/api/v1/no-such-thing"),
            ("GET", "/organisations/999999"),
        ):
            response = web.request(method, path, follow_redirects=False)
            assert response.status_code >= 400, (method, path, response.status_code)
            assert "set-cookie" not in response.headers, (method, path)
            assert web.get("/api/v1/auth/me").status_code == 200, (method, path)
        assert "ceo@acme.test" in web.get("/account").text


def test_an_anonymous_visitors_error_page_sets_no_cookie_either(anonymous):
    for path in ("/favicon.ico", "/no-such-page"):
        assert "set-cookie" not in anonymous.get(path).headers, path


def test_no_signed_in_answer_may_be_stored_by_a_browser_or_proxy(app, ctx, client):
    org = make_org(client)
    assessment = make_assessment(client, org)
    make_user(ctx, "ceo@acme.test", organisation_id=org, member_role="consultant")
    paths = (
        "/",
        "/account",
        f"/organisations/{org}",
        "/api/v1/auth/me",
        f"/api/v1/organisations/{org}/answers.csv",
        f"/api/v1/organisations/{org}/export.json",
        f"/api/v1/assessments/{assessment}/report.pdf",
        "/no-such-page",
    )
    with browser(app, "ceo@acme.test") as web:
        for who, http in (("session", web), ("bearer token", client)):
            for path in paths:
                headers = http.get(path, follow_redirects=False).headers
                assert headers.get("cache-control") == "no-store" and headers.get("pragma") == "no-cache", (who, path)
        assert "no-store" not in web.get("/static/app.css").headers.get(
            "cache-control", ""
        )  # assets keep their caching


_guesses = itertools.count()


def _failed_sign_ins(base: str, forwarded: list[str | None]) -> list[int]:
    """One failed sign-in per X-Forwarded-For value (None: no header); their statuses."""
    with httpx.Client(base_url=base, timeout=10) as http:
        # A different email each time, so only the per-address limit can bite.
        return [
            http.post(
                "/api/v1/auth/token",
                json={"email": f"guess{next(_guesses)}@acme.test", "password": "wrong"},
                headers={"X-Forwarded-For": claim} if claim else {},
            ).status_code
            for claim in forwarded
        ]


def _addresses(database_url: str) -> set[str]:
    database = Database(database_url)
    try:
        with database.read() as session:
            return set(session.exec(select(LoginAttempt.address)).all())
    finally:
        database.dispose()


def test_a_spoofed_forwarded_for_neither_escapes_the_sign_in_limit_nor_locks_out_another_address(
    database_url, tmp_path
):
    with running_server(database_url, tmp_path) as base:
        spoofed = [f"203.0.113.{n}" for n in range(MAX_FAILURES_PER_ADDRESS)]
        assert set(_failed_sign_ins(base, spoofed)) == {401}
        assert _failed_sign_ins(base, ["198.51.100.1", None]) == [
            429,
            429,
        ]  # counted against the real peer whatever it claims
    assert _addresses(database_url) == {"127.0.0.1"}


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(database_url, tmp_path):
    with running_server(database_url, tmp_path, TRIBEWISE_TRUSTED_PROXIES="10.0.0.0/8, 127.0.0.1") as base:
        # The client's own claim (left) is ignored: the right-most address not a trusted proxy is the client.
        assert set(_failed_sign_ins(base, ["192.0.2.66, 203.0.113.7, 10.1.2.3"] * MAX_FAILURES_PER_ADDRESS)) == {401}
        assert _failed_sign_ins(base, ["203.0.113.7"]) == [429]
        assert _failed_sign_ins(base, ["198.51.100.1"]) == [401]  # another address is not locked out
    assert _addresses(database_url) == {"203.0.113.7", "198.51.100.1"}
