"""Invitation links: shown only to whoever issued them, bound to a stored single-use nonce; the roles
a membership gives stay in the organisation; no password hashing while the database is held."""

import sqlite3

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from sqlmodel import select

from backend.services.accounts import users
from backend.services.kernel.signing import sign
from backend.storage.tables import Invitation, User
from tests.integration.api import make_org
from tests.integration.conftest import bearer_for
from tests.integration.web import PASSWORD, browser, make_user, page_token, sign_in

NEW_PASSWORD = "a brand new password"


def accept(app, url: str, password: str = NEW_PASSWORD):
    """Choose a password through an invitation link, as its holder would; returns the response."""
    with browser(app) as web:
        token = page_token(web, "/sign-in")
        return web.post(
            url, data={"password": password, "confirm": password, "_csrf_token": token}, follow_redirects=False
        )


def signs_in(app, email: str, password: str = NEW_PASSWORD) -> bool:
    with browser(app) as web:
        return sign_in(web, email, password).status_code == 303


def _reset_admin(client, ctx) -> tuple[str, str]:
    """An admin whose password an admin has just reset: the reset's link, and the email."""
    made = client.post(
        "/api/v1/users", json={"email": "admin2@firm.test", "role": "admin", "password": PASSWORD}
    ).json()
    return client.post(f"/api/v1/users/{made['id']}/reset").json()["invitation_url"], made["email"]


def _invited_admin(client, ctx) -> tuple[str, str]:
    """An admin made with an invitation and no password yet (as `tribewise users create --invite` does)."""
    made = client.post("/api/v1/users", json={"email": "admin2@firm.test", "role": "admin"}).json()
    return made["invitation_url"], made["email"]


def _invited_by_a_consultant(client, ctx) -> tuple[str, str]:
    """Someone a consultant invited to their organisation, who has not chosen a password yet."""
    lead = bearer_for(ctx, "lead@firm.test", "consultant")
    org = client.post("/api/v1/organisations", json={"name": "First client"}, headers=lead).json()["id"]
    made = client.post(
        f"/api/v1/organisations/{org}/members", json={"email": "cfo@acme.test", "role": "member"}, headers=lead
    ).json()
    return made["invitation_url"], made["email"]


@pytest.mark.parametrize("pending", [_reset_admin, _invited_admin, _invited_by_a_consultant])
def test_adding_an_existing_user_to_another_organisation_shows_no_link_and_cannot_take_them_over(
    client, app, ctx, anonymous, pending
):
    issued, email = pending(client, ctx)
    assert issued.startswith("/invitation/")
    rival = bearer_for(ctx, "rival@elsewhere.test", "consultant")
    org = anonymous.post("/api/v1/organisations", json={"name": "Rival's client"}, headers=rival).json()["id"]
    added = anonymous.post(
        f"/api/v1/organisations/{org}/members", json={"email": email, "role": "viewer"}, headers=rival
    )
    assert added.status_code == 201 and added.json()["invitation_url"] == "" and added.json()["invited"]
    listed = anonymous.get(f"/api/v1/organisations/{org}/members", headers=rival)
    assert "/invitation/" not in added.text + listed.text
    assert {m["email"]: m["role"] for m in listed.json()}[email] == "viewer"  # the membership is added all the same
    assert not signs_in(app, email)  # nobody chose a password for them
    assert accept(app, issued).status_code == 303  # the issuer's link still works for the person it was meant for
    assert signs_in(app, email)


def test_the_members_page_shows_no_link_when_adding_someone_elses_pending_admin(client, app, ctx):
    issued, email = _reset_admin(client, ctx)
    org = make_org(client, "Rival's client")
    make_user(ctx, "rival@elsewhere.test", "consultant", organisation_id=org, member_role="consultant")
    with browser(app, "rival@elsewhere.test") as web:
        token = page_token(web, f"/organisations/{org}/access")
        added = web.post(f"/organisations/{org}/members", data={"email": email, "role": "viewer", "_csrf_token": token})
        assert added.status_code == 201 and f"{email} is now viewer here" in added.text
        assert "/invitation/" not in added.text and "Invitation link" not in added.text
    assert accept(app, issued).status_code == 303


def test_an_invitation_link_works_once(client, app, ctx):
    url, email = _invited_admin(client, ctx)
    assert accept(app, url).status_code == 303
    again = accept(app, url, "someone else's password")
    assert again.status_code == 400 and "already been used" in again.text
    assert signs_in(app, email) and not signs_in(app, email, "someone else's password")
    with ctx.db.read() as session:
        assert session.exec(select(Invitation.used_at).join(User).where(User.email == email)).one() is not None


def test_a_newer_invitation_revokes_the_older_link(client, app, ctx):
    older, email = _invited_admin(client, ctx)
    user_id = next(u["id"] for u in client.get("/api/v1/users").json() if u["email"] == email)
    newer = client.post(f"/api/v1/users/{user_id}/reset").json()["invitation_url"]
    refused = accept(app, older)
    assert refused.status_code == 400 and "invitation link was replaced by a newer one" in refused.text
    assert accept(app, newer).status_code == 303 and signs_in(app, email)
    with ctx.db.read() as session:
        rows = session.exec(select(Invitation).where(Invitation.user_id == user_id).order_by(Invitation.id)).all()
    assert [(r.revoked_at is not None, r.used_at is not None) for r in rows] == [(True, False), (False, True)]
    assert {r.created_by for r in rows} == {"admin@tribewise.test"}


def test_a_link_with_a_nonce_that_was_never_issued_is_refused_clearly(client, app, ctx, anonymous):
    _, email = _invited_admin(client, ctx)
    user_id = next(u["id"] for u in client.get("/api/v1/users").json() if u["email"] == email)
    # Signed with the real secret, so only the stored nonce can tell it apart: one made up, and the
    # old form that named only the user and their password epoch.
    for payload, said in (
        ({"u": user_id, "n": "made-up-nonce"}, "not one we issued"),
        ({"u": user_id, "e": 1}, "ask an admin to reset"),
    ):
        url = "/invitation/" + sign(ctx.secret, "invitation", payload)
        shown = anonymous.get(url)
        assert shown.status_code == 400 and said in shown.text
        assert accept(app, url).status_code == 400
    assert not signs_in(app, email)


def test_someone_added_as_an_organisation_consultant_does_not_become_a_consultant_everywhere(
    client, app, ctx, anonymous
):
    org = make_org(client)
    made = client.post(
        f"/api/v1/organisations/{org}/members", json={"email": "lead@firm.test", "role": "consultant"}
    ).json()
    assert made["role"] == "consultant" and accept(app, made["invitation_url"]).status_code == 303
    with browser(app, "lead@firm.test", NEW_PASSWORD) as web:
        me = web.get("/api/v1/auth/me").json()
        assert me["role"] == "member" and me["organisations"] == {str(org): "consultant"}
        created = web.post(
            "/api/v1/organisations", json={"name": "My own client"}, headers={"x-csrf-token": page_token(web)}
        )
        assert created.status_code == 403 and "consultants create organisations" in created.json()["detail"]
    assert [u["role"] for u in client.get("/api/v1/users").json() if u["email"] == "lead@firm.test"] == ["member"]


class ProbingHasher(PasswordHasher):
    """argon2's own hasher that, each time it works, asks a second connection whether the database is held."""

    def __init__(self, probe):
        super().__init__()
        self.probe, self.held = probe, []

    def hash(self, password, *, salt=None):
        self.held.append(self.probe())
        return super().hash(password, salt=salt)

    def verify(self, hash, password):
        self.held.append(self.probe())
        return super().verify(hash, password)


def _database_held(database_url: str):
    """A check, on a connection of its own, that some transaction of the app is open right now."""
    if database_url.startswith("sqlite"):

        def held() -> bool:
            conn = sqlite3.connect(database_url.split("///", 1)[1], timeout=0, isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")  # SQLite's write lock: taken at once unless a writer holds it
                conn.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                conn.close()

        return held, lambda: None
    engine = create_engine(database_url)
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
    )

    def held() -> bool:
        with engine.connect() as conn:
            return conn.execute(query).scalar() > 0

    return held, engine.dispose


def test_no_password_is_hashed_while_a_transaction_holds_the_database(client, app, ctx, settings, monkeypatch):
    held, done = _database_held(settings.database_url)
    hasher = ProbingHasher(held)
    monkeypatch.setattr(users, "_hasher", hasher)
    try:
        users.create_user(ctx, users.UserCreate(email="ceo@acme.test", password=PASSWORD))
        assert not signs_in(app, "ceo@acme.test", "a wrong password")
        assert not signs_in(app, "ghost@acme.test", "a wrong password")  # the same work for unknown emails
        with browser(app, "ceo@acme.test") as web:
            token = page_token(web)
            changed = web.post(
                "/account/password",
                data={
                    "current_password": PASSWORD,
                    "new_password": NEW_PASSWORD,
                    "confirm": NEW_PASSWORD,
                    "_csrf_token": token,
                },
                follow_redirects=False,
            )
            assert changed.status_code == 303
        users.set_password(ctx, "ceo@acme.test", PASSWORD)
        url, _ = _invited_admin(client, ctx)
        assert accept(app, url).status_code == 303
        assert len(hasher.held) >= 7 and not any(hasher.held), hasher.held
    finally:
        done()
