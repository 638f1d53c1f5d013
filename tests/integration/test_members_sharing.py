"""Members and roles, share links, and the audit log, through the API and the pages."""

from datetime import timedelta

from sqlmodel import select

from backend.storage.tables import ShareLink, utcnow
from tests.integration.api import answer, make_assessment, make_org
from tests.integration.conftest import bearer_for
from tests.integration.web import browser, make_user, page_token

Q = "qc.social.listening"


def _org_with_assessment(client):
    org = make_org(client)
    return org, make_assessment(client, org, "2026-Q4", "executive-quick-check")


def test_a_consultant_who_creates_an_organisation_is_its_consultant_and_sees_only_it(client, ctx, anonymous):
    other = make_org(client, "Someone else's client")
    lead = bearer_for(ctx, "lead@firm.test", "consultant")
    created = anonymous.post("/api/v1/organisations", json={"name": "My client"}, headers=lead).json()
    assert [o["name"] for o in anonymous.get("/api/v1/organisations", headers=lead).json()] == ["My client"]
    assert anonymous.get(f"/api/v1/organisations/{other}", headers=lead).status_code == 404
    assert (
        anonymous.get(f"/api/v1/organisations/{created['id']}/members", headers=lead).json()[0]["role"] == "consultant"
    )


def test_members_and_viewers_cannot_create_organisations(anonymous, ctx):
    for role in ("member", "viewer"):
        response = anonymous.post(
            "/api/v1/organisations", json={"name": "X"}, headers=bearer_for(ctx, f"{role}@x.test", role)
        )
        assert response.status_code == 403 and "consultants create organisations" in response.json()["detail"]


def test_roles_decide_what_a_member_may_do(client, ctx, anonymous):
    org, aid = _org_with_assessment(client)
    viewer, member = bearer_for(ctx, "v@acme.test", "viewer"), bearer_for(ctx, "m@acme.test")
    client.post(f"/api/v1/organisations/{org}/members", json={"email": "v@acme.test", "role": "viewer"})
    client.post(f"/api/v1/organisations/{org}/members", json={"email": "m@acme.test", "role": "member"})
    assert anonymous.get(f"/api/v1/assessments/{aid}/result", headers=viewer).status_code == 200
    refused = anonymous.put(f"/api/v1/assessments/{aid}/answers/{Q}", json={"value": "ad_hoc"}, headers=viewer)
    assert refused.status_code == 403 and "viewer" in refused.json()["detail"]
    assert (
        anonymous.put(f"/api/v1/assessments/{aid}/answers/{Q}", json={"value": "ad_hoc"}, headers=member).status_code
        == 201
    )
    assert (
        anonymous.post(
            f"/api/v1/organisations/{org}/members", json={"email": "x@acme.test"}, headers=member
        ).status_code
        == 403
    )
    assert anonymous.get(f"/api/v1/organisations/{org}/audit", headers=member).status_code == 403


def test_adding_changing_and_removing_members(client):
    org, _ = _org_with_assessment(client)
    added = client.post(f"/api/v1/organisations/{org}/members", json={"email": "lead@firm.test", "role": "consultant"})
    assert added.status_code == 201
    again = client.post(f"/api/v1/organisations/{org}/members", json={"email": "lead@firm.test", "role": "viewer"})
    assert again.status_code == 409 and "already a member" in again.json()["detail"]
    wrong = client.post(f"/api/v1/organisations/{org}/members", json={"email": "x@firm.test", "role": "owner"})
    assert wrong.status_code == 400 and "consultant" in wrong.text
    user = added.json()["user_id"]
    last = client.patch(f"/api/v1/organisations/{org}/members/{user}", json={"role": "viewer"})
    assert last.status_code == 409 and "without a consultant" in last.json()["detail"]
    client.post(f"/api/v1/organisations/{org}/members", json={"email": "second@firm.test", "role": "consultant"})
    assert (
        client.patch(f"/api/v1/organisations/{org}/members/{user}", json={"role": "viewer"}).json()["role"] == "viewer"
    )
    assert client.delete(f"/api/v1/organisations/{org}/members/{user}").status_code == 204
    assert [m["email"] for m in client.get(f"/api/v1/organisations/{org}/members").json()] == ["second@firm.test"]


def test_a_share_link_opens_the_report_without_signing_in_until_revoked(client, anonymous):
    _, aid = _org_with_assessment(client)
    answer(client, aid, Q, "ad_hoc")
    link = client.post(
        f"/api/v1/assessments/{aid}/share-links", json={"variant": "summary", "days": 7, "draft": True}
    ).json()
    assert link["active"] and link["url"].startswith("/share/")
    opened = anonymous.get(link["url"])
    assert (
        opened.status_code == 200
        and opened.content.startswith(b"%PDF")
        and opened.headers["cache-control"] == "no-store"
    )
    assert all(item["url"] == "" for item in client.get(f"/api/v1/assessments/{aid}/share-links").json())
    assert client.delete(f"/api/v1/share-links/{link['id']}").json()["active"] is False
    gone = anonymous.get(link["url"])
    assert gone.status_code == 410 and "revoked" in gone.text


def test_an_expired_or_altered_share_link_says_so(client, anonymous, ctx):
    _, aid = _org_with_assessment(client)
    link = client.post(f"/api/v1/assessments/{aid}/share-links", json={"draft": True}).json()
    with ctx.db.write() as session:
        row = session.exec(select(ShareLink)).one()
        row.expires_at = utcnow() - timedelta(minutes=1)
        session.add(row)
    expired = anonymous.get(link["url"])
    assert expired.status_code == 410 and "expired" in expired.text
    altered = anonymous.get(link["url"][:-2] + "xx")
    assert altered.status_code == 400 and "not valid" in altered.text
    too_long = client.post(f"/api/v1/assessments/{aid}/share-links", json={"days": 365})
    assert too_long.status_code == 400


def test_the_audit_log_names_who_changed_what_before_and_after(client):
    org, aid = _org_with_assessment(client)
    answer(client, aid, Q, "ad_hoc", note="first")
    answer(client, aid, Q, "everywhere", note="second")
    item = client.get(f"/api/v1/assessments/{aid}/roadmap").json()["items"][0]
    client.patch(f"/api/v1/assessments/{aid}/roadmap/{item['id']}", json={"status": "in_progress", "owner": "Dana"})
    member = client.post(f"/api/v1/organisations/{org}/members", json={"email": "m@acme.test", "role": "member"}).json()
    client.patch(f"/api/v1/organisations/{org}/members/{member['user_id']}", json={"role": "viewer"})
    client.delete(f"/api/v1/organisations/{org}/members/{member['user_id']}")
    link = client.post(f"/api/v1/assessments/{aid}/share-links", json={"draft": True}).json()
    client.delete(f"/api/v1/share-links/{link['id']}")
    events = client.get(f"/api/v1/organisations/{org}/audit").json()
    assert [e["action"] for e in reversed(events)] == [
        "organisation.create",
        "assessment.create",
        "answer.save",
        "answer.save",
        "roadmap.update",
        "member.add",
        "member.role",
        "member.remove",
        "share_link.create",
        "share_link.revoke",
    ]
    assert {e["actor"] for e in events} == {"admin@tribewise.test"}
    second_save = events[-4]
    assert second_save["before"] == {"value": "ad_hoc", "note": "first"} and second_save["after"] == {
        "value": "everywhere",
        "note": "second",
    }
    roadmap = events[-5]
    assert roadmap["before"]["status"] == "planned" and roadmap["after"] == {
        "status": "in_progress",
        "owner": "Dana",
        "due_period": "",
    }


def test_consultants_manage_members_and_share_links_on_the_access_page(app, ctx, client):
    org, aid = _org_with_assessment(client)
    make_user(ctx, "lead@firm.test", "consultant", organisation_id=org, member_role="consultant")
    with browser(app, "lead@firm.test") as web:
        # An executive is a member here: a member starts, answers and submits assessments; no consultant needed.
        assert "Member: starts, answers and submits assessments" in web.get(f"/organisations/{org}/access").text
        token = page_token(web, f"/organisations/{org}/access")
        added = web.post(
            f"/organisations/{org}/members", data={"email": "cfo@acme.test", "role": "viewer", "_csrf_token": token}
        )
        assert added.status_code == 201 and "/invitation/" in added.text and "cfo@acme.test is now viewer" in added.text
        shared = web.post(
            f"/assessments/{aid}/share-links",
            data={"variant": "full", "days": "3", "draft": "true", "_csrf_token": token},
        )
        assert shared.status_code == 201 and "https://testserver.local/share/" in shared.text
        bad = web.post(
            f"/organisations/{org}/members", data={"email": "not an email", "role": "viewer", "_csrf_token": token}
        )
        assert bad.status_code == 400 and "is not an email address" in bad.text
        audit = web.get(f"/organisations/{org}/audit")
        assert "lead@firm.test added cfo@acme.test as viewer." in audit.text
        assert "lead@firm.test made a <a" in audit.text and "share link</a> to the" in audit.text
        assert "member.add" not in audit.text and "share_link.create" not in audit.text


def test_viewers_see_members_but_no_forms(app, ctx, client):
    org, _ = _org_with_assessment(client)
    make_user(ctx, "v@acme.test", "viewer", organisation_id=org, member_role="viewer")
    with browser(app, "v@acme.test") as web:
        page = web.get(f"/organisations/{org}/access")
        assert page.status_code == 200 and "v@acme.test" in page.text
        assert "Add member" not in page.text and "Make share link" not in page.text
        assert web.get(f"/organisations/{org}/audit").status_code == 403
