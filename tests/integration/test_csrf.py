"""State-changing requests a browser could be tricked into sending need the CSRF token."""

from tests.integration.api import make_assessment, make_org
from tests.integration.web import browser, make_user, page_token

Q = "qc.social.listening"


def _signed_in_member(app, ctx, client):
    org = make_org(client)
    aid = make_assessment(client, org, "2026-Q4", "executive-quick-check")
    make_user(ctx, "ceo@acme.test", organisation_id=org)
    return org, aid


def test_a_cookie_session_cannot_change_data_without_the_token_and_nothing_is_stored(app, ctx, client):
    _, aid = _signed_in_member(app, ctx, client)
    with browser(app, "ceo@acme.test") as web:
        refused = web.put(f"/api/v1/assessments/{aid}/answers/{Q}", json={"value": "ad_hoc"})
        assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
        forged = web.put(
            f"/api/v1/assessments/{aid}/answers/{Q}", json={"value": "ad_hoc"}, headers={"x-csrf-token": "guessed"}
        )
        assert forged.status_code == 403
        assert client.get(f"/api/v1/assessments/{aid}/answers").json() == []
        allowed = web.put(
            f"/api/v1/assessments/{aid}/answers/{Q}",
            json={"value": "ad_hoc"},
            headers={"x-csrf-token": page_token(web)},
        )
        assert allowed.status_code == 201


def test_another_sessions_token_does_not_work(app, ctx, client):
    _, aid = _signed_in_member(app, ctx, client)
    with browser(app, "ceo@acme.test") as mine, browser(app, "ceo@acme.test") as theirs:
        response = mine.put(
            f"/api/v1/assessments/{aid}/answers/{Q}",
            json={"value": "ad_hoc"},
            headers={"x-csrf-token": page_token(theirs)},
        )
        assert response.status_code == 403


def test_forms_without_the_token_are_refused(app, ctx, client):
    org, _ = _signed_in_member(app, ctx, client)
    make_user(ctx, "lead@acme.test", "consultant", organisation_id=org, member_role="consultant")
    with browser(app, "lead@acme.test") as web:
        for path, data in (
            ("/account/tokens", {"name": "sneaky"}),
            (f"/organisations/{org}/members", {"email": "intruder@evil.test", "role": "consultant"}),
            ("/account/password", {"current_password": "x", "new_password": "y" * 12, "confirm": "y" * 12}),
            ("/sign-out", {}),
        ):
            response = web.post(path, data=data, follow_redirects=False)
            assert response.status_code == 403 and "CSRF" in response.text, path
        assert web.get("/api/v1/auth/tokens").json() == []
        assert "intruder@evil.test" not in str(client.get(f"/api/v1/organisations/{org}/members").json())
        assert web.get("/api/v1/auth/me").status_code == 200  # still signed in: sign-out was refused too


def test_signing_in_needs_the_token_too(app, ctx):
    make_user(ctx, "ceo@acme.test")
    with browser(app) as web:
        web.get("/sign-in")
        response = web.post(
            "/sign-in", data={"email": "ceo@acme.test", "password": "correct horse battery"}, follow_redirects=False
        )
        assert response.status_code == 403


def test_the_token_changes_at_sign_in(app, ctx):
    make_user(ctx, "ceo@acme.test")
    with browser(app) as web:
        before = page_token(web, "/sign-in")
        web.post(
            "/sign-in", data={"email": "ceo@acme.test", "password": "correct horse battery", "_csrf_token": before}
        )
        assert page_token(web) != before


def test_bearer_tokens_need_no_csrf_token(client):
    assert client.post("/api/v1/organisations", json={"name": "Scripted"}).status_code == 201
