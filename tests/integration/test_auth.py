"""Signing in and out, sessions, password changes, tokens, invitations, the sign-in limit, headers."""

from dataclasses import replace

from litestar.testing import TestClient

from backend.services.demo import load_demo_if_empty
from backend.web.app import create_app
from tests.integration.conftest import BASE
from tests.integration.web import PASSWORD, browser, make_user, page_token, sign_in


def test_signing_in_through_the_form_opens_a_secure_http_only_session(app, ctx):
    make_user(ctx, "ceo@acme.test")
    with browser(app) as web:
        response = sign_in(web, "ceo@acme.test")
        assert response.status_code == 303 and response.headers["location"] == "/"
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
        assert "ceo@acme.test" in web.get("/").text


def test_a_wrong_password_says_so_and_keeps_the_email(app, ctx):
    make_user(ctx, "ceo@acme.test")
    with browser(app) as web:
        response = sign_in(web, "ceo@acme.test", "not the password")
        assert response.status_code == 401
        assert "The email or password is wrong" in response.text and 'value="ceo@acme.test"' in response.text
        assert web.get("/", follow_redirects=False).status_code == 303


def test_pages_send_anonymous_visitors_to_sign_in_and_back(app, ctx):
    make_user(ctx, "ceo@acme.test")
    with browser(app) as web:
        response = web.get("/account", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/sign-in?next=%2Faccount"
        token = page_token(web, "/sign-in?next=/account")
        done = web.post(
            "/sign-in",
            data={"email": "ceo@acme.test", "password": PASSWORD, "next": "/account", "_csrf_token": token},
            follow_redirects=False,
        )
        assert done.headers["location"] == "/account"


def test_sign_in_never_redirects_to_another_site(app, ctx):
    make_user(ctx, "ceo@acme.test")
    with browser(app) as web:
        token = page_token(web, "/sign-in")
        done = web.post(
            "/sign-in",
            data={"email": "ceo@acme.test", "password": PASSWORD, "next": "//evil.example/x", "_csrf_token": token},
            follow_redirects=False,
        )
        assert done.headers["location"] == "/"


def test_repeated_failures_are_limited_across_workers_with_a_clear_message(app, ctx, settings):
    make_user(ctx, "ceo@acme.test")
    # A second app on the same database stands for a second worker process.
    with browser(app) as first, TestClient(app=create_app(replace(settings)), base_url=BASE) as second:
        for attempt in range(5):
            web = first if attempt % 2 else second
            assert (
                web.post("/api/v1/auth/token", json={"email": "ceo@acme.test", "password": "guess"}).status_code == 401
            )
        refused = sign_in(first, "ceo@acme.test")  # even the right password now waits
        assert refused.status_code == 429
        assert "Too many failed sign-ins for this account" in refused.text and int(refused.headers["retry-after"]) > 0
        api = second.post("/api/v1/auth/token", json={"email": "ceo@acme.test", "password": PASSWORD})
        assert api.status_code == 429 and "try again in" in api.json()["detail"]


def test_signing_out_ends_the_session(app, ctx):
    make_user(ctx, "ceo@acme.test")
    with browser(app, "ceo@acme.test") as web:
        token = page_token(web)
        assert web.post("/sign-out", data={"_csrf_token": token}, follow_redirects=False).status_code == 303
        assert web.get("/account", follow_redirects=False).status_code == 303
        assert web.get("/api/v1/auth/me").status_code == 401


def test_changing_the_password_signs_out_every_other_session(app, ctx):
    make_user(ctx, "ceo@acme.test")
    with browser(app, "ceo@acme.test") as here, browser(app, "ceo@acme.test") as elsewhere:
        form = {
            "current_password": PASSWORD,
            "new_password": "a much better one",
            "confirm": "a much better one",
            "_csrf_token": page_token(here),
        }
        assert here.post("/account/password", data=form, follow_redirects=False).status_code == 303
        assert "Password changed" in here.get("/account?notice=password").text
        assert elsewhere.get("/account", follow_redirects=False).status_code == 303
    with browser(app) as web:
        assert sign_in(web, "ceo@acme.test").status_code == 401
        assert sign_in(web, "ceo@acme.test", "a much better one").status_code == 303


def test_a_password_change_needs_the_current_password_and_a_long_enough_new_one(app, ctx):
    make_user(ctx, "ceo@acme.test")
    with browser(app, "ceo@acme.test") as web:
        token = page_token(web)
        wrong = web.post(
            "/account/password",
            data={
                "current_password": "nope",
                "new_password": "long enough now",
                "confirm": "long enough now",
                "_csrf_token": token,
            },
        )
        assert wrong.status_code == 400 and "current password is wrong" in wrong.text
        short = web.post(
            "/account/password",
            data={"current_password": PASSWORD, "new_password": "short", "confirm": "short", "_csrf_token": token},
        )
        assert short.status_code == 400 and "at least 10" in short.text


def test_a_tampered_session_cookie_counts_as_no_session(app, ctx):
    make_user(ctx, "ceo@acme.test")
    with browser(app, "ceo@acme.test") as web:
        value = web.cookies["tw_session"]
        web.cookies.clear()
        web.cookies.set(
            "tw_session", value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"), domain="testserver.local"
        )
        assert web.get("/api/v1/auth/me").status_code == 401


def test_tokens_are_made_from_a_password_shown_once_and_revoked_by_their_owner(app, ctx, anonymous):
    make_user(ctx, "ceo@acme.test")
    made = anonymous.post(
        "/api/v1/auth/token", json={"email": "ceo@acme.test", "password": PASSWORD, "name": "reporting script"}
    )
    assert made.status_code == 201
    token = made.json()["token"]
    me = anonymous.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["email"] == "ceo@acme.test"
    listed = anonymous.get("/api/v1/auth/tokens", headers={"Authorization": f"Bearer {token}"}).json()
    assert [t["name"] for t in listed] == ["reporting script"] and "token" not in listed[0]
    assert token.startswith(listed[0]["prefix"])
    assert listed[0]["last_used_at"] is not None
    revoked = anonymous.delete(f"/api/v1/auth/tokens/{made.json()['id']}", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status_code == 200
    refused = anonymous.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]


def test_nobody_can_revoke_someone_elses_token(client, anonymous, ctx):
    make_user(ctx, "ceo@acme.test")
    theirs = anonymous.post("/api/v1/auth/token", json={"email": "ceo@acme.test", "password": PASSWORD}).json()
    assert client.delete(f"/api/v1/auth/tokens/{theirs['id']}").status_code == 404
    assert anonymous.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {theirs['token']}"}).status_code == 200


def test_a_malformed_authorization_header_says_how_to_send_a_token(anonymous):
    response = anonymous.get("/api/v1/organisations", headers={"Authorization": "Token abc"})
    assert response.status_code == 401 and "Bearer" in response.json()["detail"]


def test_tokens_are_managed_on_the_account_page_and_shown_once(app, ctx):
    make_user(ctx, "ceo@acme.test")
    with browser(app, "ceo@acme.test") as web:
        created = web.post("/account/tokens", data={"name": "board pack", "_csrf_token": page_token(web)})
        assert created.status_code == 201 and "Copy it now" in created.text
        value = created.text.split('id="new-token" class="token" readonly value="')[1].split('"')[0]
        assert web.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {value}"}).status_code == 200
        assert value not in web.get("/account").text  # never shown again


def test_an_invited_user_chooses_a_password_once_and_is_signed_in(client, app, ctx):
    org = client.post("/api/v1/organisations", json={"name": "Acme"}).json()["id"]
    added = client.post(
        f"/api/v1/organisations/{org}/members", json={"email": "New.Person@Acme.test", "role": "member"}
    ).json()
    assert (
        added["email"] == "new.person@acme.test"
        and added["invited"]
        and added["invitation_url"].startswith("/invitation/")
    )
    with browser(app) as web:
        form = web.get(added["invitation_url"])
        assert "new.person@acme.test" in form.text
        token = page_token(web, added["invitation_url"])
        differ = web.post(
            added["invitation_url"], data={"password": "first password!", "confirm": "other", "_csrf_token": token}
        )
        assert differ.status_code == 400 and "differ" in differ.text
        done = web.post(
            added["invitation_url"],
            data={"password": "first password!", "confirm": "first password!", "_csrf_token": token},
            follow_redirects=False,
        )
        assert done.status_code == 303
        assert web.get("/api/v1/auth/me", headers={"x-csrf-token": ""}).json()["organisations"] == {str(org): "member"}
        again = web.get(added["invitation_url"])
        assert again.status_code == 400 and "already been used" in again.text


def test_an_altered_invitation_link_is_refused_clearly(anonymous):
    response = anonymous.get("/invitation/not-a-real-token")
    assert response.status_code == 400 and "not valid" in response.text


def test_security_headers_are_on_pages_api_answers_errors_and_assets(anonymous):
    for path in ("/sign-in", "/api/v1/questionnaires", "/api/v1/organisations", "/no-such-page", "/static/app.css"):
        headers = anonymous.get(path, follow_redirects=False).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy, (
            path
        )
        assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "same-origin", path


def test_unknown_pages_get_a_friendly_page_and_the_api_gets_json(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "Not found" in page.text and page.headers["content-type"].startswith("text/html")
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json()["status_code"] == 404


def test_the_demo_prints_a_working_sign_in(app, ctx):
    org, email, password = load_demo_if_empty(ctx)
    with browser(app, email, password) as web:
        assert org.name in web.get("/").text


def test_a_session_from_one_instance_works_on_another_with_the_same_secret(app, ctx, settings):
    make_user(ctx, "ceo@acme.test")
    with browser(app, "ceo@acme.test") as first, TestClient(app=create_app(replace(settings)), base_url=BASE) as second:
        second.cookies.set("tw_session", first.cookies["tw_session"], domain="testserver.local")
        assert second.get("/api/v1/auth/me").json()["email"] == "ceo@acme.test"


def test_an_unforeseen_failure_gets_a_calm_page_and_json_without_internals(client, ctx):
    from sqlalchemy import text

    org = client.post("/api/v1/organisations", json={"name": "Acme"}).json()["id"]
    with ctx.db.write() as session:
        session.execute(text("DROP TABLE audit_event"))  # a real fault: the table the page reads is gone
    page = client.get(f"/organisations/{org}/audit")
    assert page.status_code == 500 and "Something went wrong on our side" in page.text
    assert "Traceback" not in page.text and "audit_event" not in page.text
    api = client.get(f"/api/v1/organisations/{org}/audit")
    assert api.status_code == 500 and api.json()["detail"].startswith("Something went wrong")
