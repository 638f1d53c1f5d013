"""Every route x every role x own or another organisation, generated from the app's route list.

A new route without an access rule, or with path parameters this file cannot fill, fails here.
"""

from __future__ import annotations

import itertools
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from litestar.testing import TestClient

from backend.services.accounts import tokens, users
from backend.services.kernel.context import Context
from backend.services.kernel.signing import serializer
from backend.services.organisations import members
from backend.settings import read_settings
from backend.web.app import create_app
from tests.integration.api import answer, make_assessment, make_org
from tests.integration.conftest import admin_client, fresh_database, restore_database, source_of
from tests.integration.test_api_branding import picture
from tests.integration.web import PASSWORD

ROLES = ("anonymous", "admin", "consultant", "member", "viewer")
# What each organisation role may do, written out here so a change to the app's table shows.
MAY = {
    "view": {"consultant", "member", "viewer"},
    "answer": {"consultant", "member"},
    "plan": {"consultant", "member"},
    "assess": {"consultant", "member"},
    "export": {"consultant", "member"},
    "manage": {"consultant"},
    "audit": {"consultant"},
    "workshop": {"consultant"},
}
GLOBAL = {"public", "signed_in", "create_organisation", "admin"}
Q = "qc.social.listening"
_serial = itertools.count()
# Routes that delete the assessment they name: each request gets a draft of its own, in a period of its own.
DELETES_ASSESSMENT = {
    ("DELETE", "/api/v1/assessments/{assessment_id:int}"),
    ("POST", "/assessments/{assessment_id:int}/delete"),
}
HASH = PasswordHasher().hash(PASSWORD)


def _routes():
    with tempfile.TemporaryDirectory(
        prefix="tw-routes-"
    ) as folder:  # the app is only read for its routes: nothing kept
        settings = replace(
            read_settings(), data_dir=Path(folder), database_url=f"sqlite:///{folder}/x.db", migrate_on_start=False
        )
        app = create_app(settings)
        app.state.ctx.db.dispose()
    for route in app.routes:
        # Sorted by method: a route's handlers come in no fixed order, and parallel workers (pytest-xdist)
        # must each collect the same list in the same order.
        methods = sorted(
            (method, handler.opt.get("access"))
            for handler in getattr(route, "route_handlers", [])
            for method in set(getattr(handler, "http_methods", ())) - {"OPTIONS", "HEAD"}
        )
        for method, rule in methods:
            yield pytest.param(method, route.path, rule, id=f"{method} {route.path}")


ROUTES = list(_routes())


def test_every_route_has_a_known_access_rule():
    for param in ROUTES:
        method, path, rule = param.values
        if path.startswith("/schema"):
            continue  # the OpenAPI document: public by design, it holds no data
        assert rule in GLOBAL or rule in MAY, f"{method} {path} has no known access rule ({rule!r})"


@dataclass
class Actor:
    role: str
    email: str = ""
    headers: dict | None = None
    cookie: str = ""
    csrf: str = ""
    spare_token: int = 0


def _world(client, ctx):
    """Two organisations with everything a route can point at; users of the first in every role."""
    ids = {}
    for side in ("own", "other"):
        org = make_org(client, f"{side} org")
        first = make_assessment(client, org, "2026-Q1", "executive-quick-check")
        second = make_assessment(client, org, "2026-Q2", "executive-quick-check")
        answer(client, first, Q, "ad_hoc")
        item = client.get(f"/api/v1/assessments/{first}/roadmap").json()["items"][0]["id"]
        link = client.post(f"/api/v1/assessments/{first}/share-links", json={"draft": True}).json()
        spare = client.post(
            f"/api/v1/organisations/{org}/members", json={"email": f"spare@{side}.test", "role": "viewer"}
        ).json()
        code = client.post(f"/api/v1/assessments/{first}/workshop").json()["code"]
        logo = client.put(f"/api/v1/organisations/{org}/logo", files={"logo": ("logo.png", picture(), "image/png")})
        assert logo.status_code == 200, logo.text  # so reading it finds one
        ids[side] = {
            "questionnaire_id": "executive-quick-check",
            "model": "socialfication",
            "organisation_id": org,
            "assessment_id": first,
            "other_id": second,
            "item_id": item,
            "question_id": Q,
            "link_id": link["id"],
            "share": link["url"],
            "user_id": spare["user_id"],
            "invitation": spare["invitation_url"],
            "code": code,
            "section_id": "social",
            "channel_id": "reviews",
            "number": 1,
        }
    actors = {"anonymous": Actor("anonymous")}
    for role in ROLES[1:]:
        email = f"{role}@own.test"
        with ctx.db.write() as session:
            user = users.add_user(session, email, role)
            user.password_hash = HASH  # hashed once for the module: argon2 is slow on purpose
            user_id = user.id
        if role != "admin":
            members.add_member(ctx, ids["own"]["organisation_id"], members.MemberCreate(email=email, role=role))
        headers = {"Authorization": f"Bearer {tokens.issue_token(ctx, user_id, 'matrix').token}"}
        spare_token = tokens.issue_token(ctx, user_id, "spare").id
        csrf = f"csrf-{role}"
        cookie = serializer(ctx.secret, "session").dumps({"u": user_id, "e": 1, "c": csrf})
        actors[role] = Actor(role, email, headers, cookie, csrf, spare_token)
    anonymous_csrf = "csrf-anonymous"
    actors["anonymous"].cookie = serializer(ctx.secret, "session").dumps({"u": None, "e": 0, "c": anonymous_csrf})
    actors["anonymous"].csrf = anonymous_csrf
    return ids, actors


@dataclass
class World:
    """One app, the two-organisation world built once in its database, and a copy of that database to start each case from."""

    client: TestClient
    ctx: Context
    url: str
    snapshot: Path | str
    ids: dict
    actors: dict


@pytest.fixture(scope="module")
def world(template_database, tmp_path_factory):
    """Build the app and the world once per module (building them took 5-12 s a case)."""
    folder = tmp_path_factory.mktemp("matrix")
    with fresh_database(template_database, folder / "live") as url:
        app = create_app(replace(read_settings(), data_dir=folder, database_url=url, migrate_on_start=False))
        with admin_client(app) as client:
            ids, actors = _world(client, app.state.ctx)
            app.state.ctx.db.dispose()  # closed, so the database can be copied
            with fresh_database(source_of(url), folder / "snapshot") as snapshot:
                yield World(client, app.state.ctx, url, source_of(snapshot), ids, actors)


@pytest.fixture
def fresh_world(world):
    """The world as built, whatever an earlier case deleted or changed: every case starts from the same data."""
    restore_database(world.snapshot, world.url, world.ctx.db)
    world.client.cookies.clear()
    return world


def _url(path: str, values: dict, actor: Actor) -> str:
    def fill(match):
        name = match.group(1)
        if name == "token":
            return (values["share"] if path.startswith("/share") else values["invitation"]).rsplit("/", 1)[1]
        if name == "token_id":
            return str(actor.spare_token or 1)
        if name == "file_path":
            return "/htmx.min.js" if path.startswith("/vendor") else "/app.css"
        if name == "section":
            return "1"
        return str(values[name])

    return re.sub(r"\{(\w+)(?::\w+)?\}", fill, path)


def _body(method: str, path: str, actor: Actor) -> dict | None:
    n = next(_serial)
    bodies = {
        "/api/v1/auth/token": {"email": actor.email or "nobody@own.test", "password": PASSWORD},
        "/api/v1/auth/tokens": {"name": "matrix"},
        "/api/v1/auth/password": {"current_password": "not it", "new_password": "long enough new one"},
        "/api/v1/users": {"email": f"made{n}@own.test", "role": "viewer"},
        "/api/v1/organisations": {"name": f"Org {n}"},
        "/api/v1/organisations/import": {"organisation": {}},
        "/api/v1/organisations/{organisation_id:int}/assessments": {
            "questionnaire_id": "executive-quick-check",
            "period": "2027-Q1",
        },
        "/api/v1/assessments/{assessment_id:int}/answers/{question_id:str}": {"value": "main_networks"},
        "/api/v1/assessments/{assessment_id:int}/roadmap/{item_id:int}": {"owner": "Matrix"},
        "/api/v1/organisations/{organisation_id:int}/members": {"email": f"new{n}@own.test", "role": "viewer"},
        "/api/v1/organisations/{organisation_id:int}/members/{user_id:int}": {"role": "member"},
        "/api/v1/assessments/{assessment_id:int}/share-links": {"days": 3, "draft": True},
        "/api/v1/assessments/{assessment_id:int}/workshop/consensus/{question_id:str}": {
            "value": "main_networks",
            "rationale": "Matrix",
        },
        "/api/v1/assessments/{assessment_id:int}/workshop/questions/{question_id:str}": {"revealed": True},
        "/api/v1/assessments/{assessment_id:int}/workshop/sections/{section_id:str}": {"locked": True},
        "/api/v1/workshops/{code:str}/participants": {"name": "Matrix", "role": actor.role},
        "/api/v1/workshops/{code:str}/answers/{question_id:str}": {"value": "main_networks"},
        "/sign-in": {"email": actor.email or "nobody@own.test", "password": PASSWORD},
        "/invitation/{token:str}": {"password": "long enough password", "confirm": "long enough password"},
        "/account/password": {
            "current_password": "not it",
            "new_password": "long enough new",
            "confirm": "long enough new",
        },
        "/account/tokens": {"name": "matrix"},
        "/organisations/{organisation_id:int}/members": {"email": f"new{n}@own.test", "role": "viewer"},
        "/organisations/{organisation_id:int}/members/{user_id:int}": {"role": "member"},
        "/assessments/{assessment_id:int}/share-links": {"variant": "summary", "days": "3", "draft": "true"},
        "/organisations/{organisation_id:int}/delete": {"confirm_name": "own org"},
        "/api/v1/organisations/{organisation_id:int}/accent": {"accent": "#000000"},
        "/organisations/{organisation_id:int}/accent": {"accent": "#000000"},
    }
    if method in ("GET", "DELETE"):
        return None
    return bodies.get(path, {})


def _expected(rule: str, role: str, side: str) -> str:
    if rule == "public":
        return "allowed"
    if role == "anonymous":
        return "unauthenticated"
    if rule in GLOBAL:
        allowed = rule == "signed_in" or role == "admin" or (rule == "create_organisation" and role == "consultant")
        return "allowed" if allowed else "forbidden"
    if role == "admin":
        return "allowed"
    if side == "other":
        return "not_found"
    return "allowed" if role in MAY[rule] else "forbidden"


def _outcome(rule: str, response) -> str:
    if rule == "public" and response.status_code not in (403, 404) and response.status_code < 500:
        return "allowed"  # a 401 here is the route's own answer (a wrong password), not the access check
    if response.status_code == 401 or (
        response.status_code == 303 and response.headers["location"].startswith("/sign-in?")
    ):
        return "unauthenticated"
    if response.status_code >= 500:
        return f"error {response.status_code}"
    return {403: "forbidden", 404: "not_found"}.get(response.status_code, "allowed")


def _send(client, method, url, path, actor: Actor, body):
    is_page = not path.startswith("/api/")
    client.cookies.clear()
    if is_page or actor.role == "anonymous":
        # Pages are used with the session cookie and its CSRF token, as a browser does.
        headers = {"Authorization": "", "x-csrf-token": actor.csrf}
        client.cookies.set("tw_session", actor.cookie, domain="testserver.local")
        if is_page:
            form = {**(body or {}), "_csrf_token": actor.csrf} if method == "POST" else None
            return client.request(method, url, data=form, headers=headers, follow_redirects=False)
        return client.request(method, url, json=body, headers=headers, follow_redirects=False)
    return client.request(method, url, json=body, headers=actor.headers, follow_redirects=False)


@pytest.mark.parametrize(("method", "path", "rule"), [p for p in ROUTES if not p.values[1].startswith("/schema")])
def test_each_role_reaches_exactly_what_its_rule_allows(fresh_world, method, path, rule):
    client, ids, actors = fresh_world.client, fresh_world.ids, fresh_world.actors
    sides = ("own", "other") if rule in MAY else ("own",)
    wrong = []
    for role, side in itertools.product(ROLES, sides):
        actor = actors[role]
        values = ids[side]
        if (method, path) in DELETES_ASSESSMENT:
            client.cookies.clear()
            n = next(_serial)
            values = {
                **values,
                "assessment_id": make_assessment(
                    client, values["organisation_id"], f"{2030 + n // 4}-Q{n % 4 + 1}", "executive-quick-check"
                ),
            }
        response = _send(client, method, _url(path, values, actor), path, actor, _body(method, path, actor))
        if "{user_id" in path:  # put back a member an allowed request removed, for the next role
            client.cookies.clear()
            client.post(
                f"/api/v1/organisations/{ids[side]['organisation_id']}/members",
                json={"email": f"spare@{side}.test", "role": "viewer"},
            )
        expected, got = _expected(rule, role, side), _outcome(rule, response)
        if expected != got:
            wrong.append(f"{role} on {side}: expected {expected}, got {response.status_code} {response.text[:160]}")
    assert not wrong, "\n".join(wrong)
