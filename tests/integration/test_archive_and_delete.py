"""Archiving and restoring organisations, deleting organisations and drafts, one assessment per period,
and leaving an organisation: through the JSON API and the pages."""

from __future__ import annotations

import logging
import re
import threading
import time

import httpx
import pytest
from sqlalchemy import func, insert, text
from sqlmodel import select

from backend.schemas.views import AssessmentCreate
from backend.services.assessments import assessments
from backend.services.kernel.errors import Conflict
from backend.storage.tables import Answer, Assessment, AuditEvent, Membership, ShareLink, utcnow
from tests.integration.api import answer, make_assessment, make_org, submitted_persona
from tests.integration.conftest import bearer_for
from tests.integration.web import browser, csrf_of, make_user
from tests.server import admin_headers, running_server

Q = "qc.social.listening"
QC = "executive-quick-check"
LEAD = "lead@firm.test"


def _as(client, headers: dict):
    """Requests through the same app, as someone else (headers sent with each call)."""

    class As:
        def __getattr__(self, method):
            return lambda url, **kw: getattr(client, method)(url, headers=headers, **kw)

    return As()


def _audit(client, org: int) -> list[str]:
    return [e["action"] for e in client.get(f"/api/v1/organisations/{org}/audit").json()]


def _count(ctx, table, **where) -> int:
    with ctx.db.read() as session:
        query = select(func.count()).select_from(table)
        for column, value in where.items():
            query = query.where(getattr(table, column) == value)
        return session.exec(query).one()


@pytest.fixture
def lead(client, ctx):
    """A consultant's API identity, and the organisation they created (so they are its consultant)."""
    headers = bearer_for(ctx, LEAD, "consultant")
    made = client.post("/api/v1/organisations", json={"name": "Northwind"}, headers=headers)
    assert made.status_code == 201, made.text
    return _as(client, headers), made.json()["id"]


# --- archive and restore ---------------------------------------------------------------


def test_a_consultant_archives_an_organisation_out_of_the_list_keeps_it_readable_and_restores_it(client, lead):
    api, org = lead
    archived = api.post(f"/api/v1/organisations/{org}/archive")
    assert archived.status_code == 200 and archived.json()["archived_at"]
    assert api.get("/api/v1/organisations").json() == []
    listed = api.get("/api/v1/organisations", params={"archived": "true"}).json()
    assert [o["id"] for o in listed] == [org] and listed[0]["archived_at"]
    assert api.get(f"/api/v1/organisations/{org}").json()["archived_at"]  # still readable by its URL
    again = api.post(f"/api/v1/organisations/{org}/archive")
    assert again.status_code == 409 and "already archived" in again.json()["detail"]
    restored = api.post(f"/api/v1/organisations/{org}/restore")
    assert restored.status_code == 200 and restored.json()["archived_at"] is None
    assert [o["id"] for o in api.get("/api/v1/organisations").json()] == [org]
    assert api.post(f"/api/v1/organisations/{org}/restore").status_code == 409
    assert _audit(client, org)[:2] == ["organisation.restore", "organisation.archive"]


def test_only_consultants_archive_and_an_archived_organisation_starts_no_assessment(client, ctx, lead):
    api, org = lead
    member = _as(client, bearer_for(ctx, "member@acme.test"))
    client.post(f"/api/v1/organisations/{org}/members", json={"email": "member@acme.test", "role": "member"})
    assert member.post(f"/api/v1/organisations/{org}/archive").status_code == 403
    api.post(f"/api/v1/organisations/{org}/archive")
    refused = api.post(f"/api/v1/organisations/{org}/assessments", json={"questionnaire_id": QC, "period": "2026-Q1"})
    assert refused.status_code == 409 and "archived" in refused.json()["detail"]
    assert api.get(f"/api/v1/organisations/{org}/assessments").json() == []


# --- deleting an organisation ------------------------------------------------------------


def test_an_admin_deletes_an_organisation_with_everything_it_holds_and_the_app_log_says_who(client, ctx, lead, caplog):
    api, org = lead
    kept = make_org(client, "Kept")
    kept_assessment = make_assessment(client, kept, "2026-Q1", QC)
    first = submitted_persona(client, ctx, org, "2026-Q1", "loyalty-card")
    draft = make_assessment(client, org, "2026-Q2", baseline_assessment_id=first)
    client.post(f"/api/v1/assessments/{first}/share-links", json={"draft": True})
    assert api.delete(f"/api/v1/organisations/{org}").status_code == 403  # a consultant may archive, not delete
    with caplog.at_level(logging.INFO, logger="tribewise"):
        assert client.delete(f"/api/v1/organisations/{org}").status_code == 204
    assert client.get(f"/api/v1/organisations/{org}").status_code == 404
    assert client.get(f"/api/v1/assessments/{draft}").status_code == 404
    for table in (Assessment, Membership, AuditEvent):
        assert _count(ctx, table, organisation_id=org) == 0, table.__name__
    for table in (Answer, ShareLink):
        assert _count(ctx, table, assessment_id=first) == 0, table.__name__
    assert client.get(f"/api/v1/assessments/{kept_assessment}").status_code == 200
    said = [r.getMessage() for r in caplog.records if r.name == "tribewise"]
    assert any(f"organisation {org} (Northwind) deleted by admin@tribewise.test" in line for line in said), said


# --- deleting a draft ------------------------------------------------------------------------


def test_a_consultant_deletes_a_draft_but_not_a_submitted_assessment(client, ctx, lead):
    api, org = lead
    submitted = submitted_persona(client, ctx, org, "2026-Q1", "loyalty-card")
    draft = make_assessment(client, org, "2026-Q2", QC)
    answer(client, draft, Q, "ad_hoc")
    member = _as(client, bearer_for(ctx, "member@acme.test"))
    client.post(f"/api/v1/organisations/{org}/members", json={"email": "member@acme.test", "role": "member"})
    assert member.delete(f"/api/v1/assessments/{draft}").status_code == 403
    refused = api.delete(f"/api/v1/assessments/{submitted}")
    assert refused.status_code == 409 and "only drafts can be deleted" in refused.json()["detail"]
    assert api.delete(f"/api/v1/assessments/{draft}").status_code == 204
    assert api.get(f"/api/v1/assessments/{draft}").status_code == 404
    assert _count(ctx, Answer, assessment_id=draft) == 0
    assert [a["id"] for a in api.get(f"/api/v1/organisations/{org}/assessments").json()] == [submitted]
    event = client.get(f"/api/v1/organisations/{org}/audit").json()[0]
    assert event["action"] == "assessment.delete" and event["actor"] == LEAD
    assert event["before"] == {"period": "2026-Q2", "questionnaire_id": QC, "kind": "self_assessment", "answered": 1}
    # The period is free again.
    assert (
        api.post(
            f"/api/v1/organisations/{org}/assessments", json={"questionnaire_id": QC, "period": "2026-Q2"}
        ).status_code
        == 201
    )


# --- one assessment per organisation, questionnaire and period -------------------------------


def test_a_second_assessment_of_the_same_period_and_questionnaire_is_refused_naming_the_first(client, ctx):
    org = make_org(client)
    first = make_assessment(client, org, "2026-Q3", QC)
    again = client.post(f"/api/v1/organisations/{org}/assessments", json={"questionnaire_id": QC, "period": "2026-Q3"})
    assert again.status_code == 409, again.text
    body = again.json()
    title = ctx.content.plans[QC].questionnaire.title
    assert "2026-Q3" in body["detail"] and title in body["detail"] and f"assessment {first}" in body["detail"]
    assert body["extra"]["assessment_id"] == first and body["extra"]["url"] == f"/assessments/{first}/answer"
    assert body["extra"]["field"] == "period"
    # Another questionnaire, or another organisation, may have the same period.
    assert (
        client.post(
            f"/api/v1/organisations/{org}/assessments",
            json={"questionnaire_id": "full-diagnostic", "period": "2026-Q3"},
        ).status_code
        == 201
    )
    assert make_assessment(client, make_org(client, "Other"), "2026-Q3", QC)
    assert [
        a["id"] for a in client.get(f"/api/v1/organisations/{org}/assessments").json() if a["questionnaire_id"] == QC
    ] == [first]


def test_two_requests_racing_past_the_check_get_the_same_409_not_an_error(client, ctx):
    org = make_org(client)
    plan = ctx.content.plans[QC]
    outcome: list = []

    def second():
        try:
            outcome.append(
                assessments.create_assessment(ctx, org, AssessmentCreate(questionnaire_id=QC, period="2026-Q4"))
            )
        except Exception as err:  # noqa: BLE001  the test reports whatever came out
            outcome.append(err)

    # The first request has inserted its row and not committed yet when the second one checks.
    with ctx.db.engine.connect() as first:
        if ctx.db.is_sqlite:
            first.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            first.begin()
        first.execute(
            insert(Assessment.__table__).values(
                organisation_id=org,
                period="2026-Q4",
                questionnaire_id=QC,
                questionnaire_version=plan.questionnaire.version,
                content_hash=plan.content_hash,
                status="draft",
                kind="self_assessment",
                created_at=utcnow(),
            )
        )
        racer = threading.Thread(target=second)
        racer.start()
        time.sleep(1.0)  # the second request is now waiting on the first's row (PostgreSQL) or write lock (SQLite)
        first.execute(text("COMMIT")) if ctx.db.is_sqlite else first.commit()
        racer.join(15)
    assert len(outcome) == 1 and isinstance(outcome[0], Conflict), outcome
    assert outcome[0].extra["period"] == "2026-Q4" and outcome[0].status_code == 409


# --- leaving ---------------------------------------------------------------------------------


def test_a_member_leaves_an_organisation_and_its_last_consultant_cannot(client, ctx, lead):
    api, org = lead
    member = _as(client, bearer_for(ctx, "member@acme.test"))
    client.post(f"/api/v1/organisations/{org}/members", json={"email": "member@acme.test", "role": "member"})
    assert member.delete(f"/api/v1/organisations/{org}/members/me").status_code == 204
    assert member.get(f"/api/v1/organisations/{org}").status_code == 404
    assert member.get("/api/v1/organisations").json() == []
    event = client.get(f"/api/v1/organisations/{org}/audit").json()[0]
    assert (event["action"], event["actor"], event["entity_id"], event["before"]) == (
        "member.leave",
        "member@acme.test",
        "member@acme.test",
        {"role": "member"},
    )
    last = api.delete(f"/api/v1/organisations/{org}/members/me")
    assert last.status_code == 409 and "without a consultant" in last.json()["detail"]
    assert api.get(f"/api/v1/organisations/{org}").status_code == 200
    not_member = client.delete(f"/api/v1/organisations/{org}/members/me")  # an admin reaches it without membership
    assert not_member.status_code == 409 and "not a member" in not_member.json()["detail"]


# --- the pages ---------------------------------------------------------------------------------


def _forms(html: str) -> list[str]:
    return re.findall(r'method="post" action="([^"]+)"', html)


def test_the_organisation_page_archives_and_restores_and_the_portfolio_hides_archived_ones(client, app, ctx):
    org = make_org(client, "Northwind")
    make_org(client, "Contoso")
    make_user(ctx, LEAD, "consultant", org, "consultant")
    with browser(app, LEAD) as web:
        page = web.get(f"/organisations/{org}")
        assert f"/organisations/{org}/archive" in _forms(page.text) and f"/organisations/{org}/delete" not in _forms(
            page.text
        )
        done = web.post(
            f"/organisations/{org}/archive", data={"_csrf_token": csrf_of(page.text)}, follow_redirects=False
        )
        assert done.status_code == 303 and done.headers["location"] == f"/organisations/{org}?notice=archived"
        page = web.get(done.headers["location"])
        assert (
            "Archived" in page.text
            and f"/organisations/{org}/restore" in _forms(page.text)
            and "Start the assessment" not in page.text
        )
        portfolio = web.get("/")
        assert ">Northwind</a>" not in portfolio.text and "Show archived (1)" in portfolio.text
        assert "Every organisation you can reach is archived" in portfolio.text
        shown = web.get("/?archived=1")
        assert ">Northwind</a>" in shown.text and 'class="tag archived"' in shown.text
        back = web.post(
            f"/organisations/{org}/restore", data={"_csrf_token": csrf_of(page.text)}, follow_redirects=False
        )
        assert back.status_code == 303 and ">Northwind</a>" in web.get("/").text


def test_an_admin_deletes_an_organisation_from_its_page_only_after_typing_its_name(client, app, ctx):
    org = make_org(client, "Northwind")
    make_user(ctx, "root@firm.test", "admin")
    with browser(app, "root@firm.test") as web:
        page = web.get(f"/organisations/{org}")
        token = csrf_of(page.text)
        assert f"/organisations/{org}/delete" in _forms(page.text)
        wrong = web.post(
            f"/organisations/{org}/delete",
            data={"confirm_name": "Northwin", "_csrf_token": token},
            follow_redirects=False,
        )
        assert wrong.status_code == 400 and "Type the organisation" in wrong.text and 'id="delete-error"' in wrong.text
        assert client.get(f"/api/v1/organisations/{org}").status_code == 200
        done = web.post(
            f"/organisations/{org}/delete",
            data={"confirm_name": "Northwind", "_csrf_token": token},
            follow_redirects=False,
        )
        assert done.status_code == 303 and done.headers["location"] == "/?notice=deleted"
        assert "Organisation deleted" in web.get(done.headers["location"]).text
    assert client.get(f"/api/v1/organisations/{org}").status_code == 404


def test_a_consultant_deletes_a_draft_from_the_timeline_and_a_submitted_one_stays(client, app, ctx):
    org = make_org(client, "Northwind")
    submitted = submitted_persona(client, ctx, org, "2026-Q1", "loyalty-card")
    draft = make_assessment(client, org, "2026-Q2", QC)
    make_user(ctx, LEAD, "consultant", org, "consultant")
    make_user(ctx, "member@acme.test", "member", org, "member")
    with browser(app, "member@acme.test") as web:
        assert f"/assessments/{draft}/delete" not in _forms(web.get(f"/organisations/{org}").text)
    with browser(app, LEAD) as web:
        page = web.get(f"/organisations/{org}")
        assert f"/assessments/{draft}/delete" in _forms(page.text) and f"/assessments/{submitted}/delete" not in _forms(
            page.text
        )
        token = csrf_of(page.text)
        refused = web.post(f"/assessments/{submitted}/delete", data={"_csrf_token": token}, follow_redirects=False)
        assert refused.status_code == 409 and "only drafts can be deleted" in refused.text
        done = web.post(f"/assessments/{draft}/delete", data={"_csrf_token": token}, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == f"/organisations/{org}?notice=draft-deleted"
        assert "Draft deleted" in web.get(done.headers["location"]).text
    assert client.get(f"/api/v1/assessments/{draft}").status_code == 404
    assert client.get(f"/api/v1/assessments/{submitted}").status_code == 200


def test_a_member_leaves_from_the_organisation_page_and_the_last_consultant_is_told_why_not(client, app, ctx):
    org = make_org(client, "Northwind")
    make_user(ctx, LEAD, "consultant", org, "consultant")
    make_user(ctx, "member@acme.test", "member", org, "member")
    with browser(app, "member@acme.test") as web:
        page = web.get(f"/organisations/{org}")
        left = web.post(f"/organisations/{org}/leave", data={"_csrf_token": csrf_of(page.text)}, follow_redirects=False)
        assert left.status_code == 303 and left.headers["location"] == "/?notice=left"
        assert "You left the organisation" in web.get(left.headers["location"]).text
        assert web.get(f"/organisations/{org}").status_code == 404
    with browser(app, LEAD) as web:
        page = web.get(f"/organisations/{org}")
        refused = web.post(
            f"/organisations/{org}/leave", data={"_csrf_token": csrf_of(page.text)}, follow_redirects=False
        )
        assert refused.status_code == 409 and "without a consultant" in refused.text


def test_the_servers_own_log_says_who_deleted_an_organisation(database_url, tmp_path):
    headers = admin_headers(database_url)
    with (
        running_server(database_url, tmp_path) as base,
        httpx.Client(base_url=base, timeout=10, headers=headers) as http,
    ):
        org = http.post("/api/v1/organisations", json={"name": "Gone Ltd"}).json()["id"]
        assert http.delete(f"/api/v1/organisations/{org}").status_code == 204
    logged = "\n".join(p.read_text() for p in tmp_path.glob("server-*.log"))
    assert f"organisation {org} (Gone Ltd) deleted by admin@tribewise.test" in logged
