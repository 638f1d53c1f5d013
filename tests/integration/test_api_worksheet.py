"""The feedback-channel audit worksheet through the API: the grid from the answers, the team's corrections kept per
assessment and counted in the gaps and overlaps, clear refusals, frozen on submission, in the audit log."""

from backend.services.organisations.members import MemberCreate, add_member
from tests.integration.api import answer, answer_persona, make_assessment, make_org
from tests.integration.conftest import bearer_for


def sheet_url(aid, *rest):
    return "/".join([f"/api/v1/assessments/{aid}/worksheet", *rest])


def channel(sheet, channel_id):
    return next(c for c in sheet["channels"] if c["id"] == channel_id)


def moment(sheet, moment_id):
    return next(m for m in sheet["moments"] if m["id"] == moment_id)


def draft(client, ctx, persona="brand-monitor"):
    aid = make_assessment(client, make_org(client))
    answer_persona(client, ctx, aid, persona)
    return aid


def test_the_worksheet_shows_channels_from_the_answers_with_their_evidence(client, ctx):
    aid = draft(client, ctx)
    sheet = client.get(sheet_url(aid)).json()
    assert sheet["editable"] is True and sheet["in_use_at"] == 0.5
    assert len(sheet["channels"]) == 8 and len(sheet["moments"]) == 6 and len(sheet["steps"]) == 5
    result = {c["id"]: c["score"] for c in client.get(f"/api/v1/assessments/{aid}/result").json()["result"]["criteria"]}
    for c in sheet["channels"]:
        assert not c["use_changed"] and c["use"] == c["answered_use"] and c["moments"] == c["proposed"]
        assert all(e["score"] == result[e["criterion_id"]] and e["name"] for e in c["evidence"])
        known = [e["score"] for e in c["evidence"] if e["score"] is not None]
        assert c["use"] == ("unknown" if not known else "in_use" if max(known) >= 0.5 else "not_in_use")
    for m in sheet["moments"]:
        covering = [c["id"] for c in sheet["channels"] if c["use"] == "in_use" and m["id"] in c["moments"]]
        assert m["channels"] == covering and m["gap"] == (not covering) and m["overlap"] == (len(covering) > 1)
    assert [s["number"] for s in sheet["steps"]] == [1, 2, 3, 4, 5]
    assert all(s["owner"] == "" and s["status"] == "not_started" and s["owner_role"] for s in sheet["steps"])


def test_a_channel_marked_in_use_covers_its_moments_and_going_back_restores_the_answers(client, ctx):
    aid = draft(client, ctx, "anonymous")
    before = client.get(sheet_url(aid)).json()
    reviews = channel(before, "reviews")
    response = client.patch(sheet_url(aid, "channels", "reviews"), json={"use": "in_use"})
    assert response.status_code == 200, response.text
    after = response.json()
    assert channel(after, "reviews")["use"] == "in_use" and channel(after, "reviews")["use_changed"]
    assert channel(after, "reviews")["answered_use"] == reviews["answered_use"]
    for m in reviews["proposed"]:
        assert "reviews" in moment(after, m)["channels"] and not moment(after, m)["gap"]
    back = client.patch(sheet_url(aid, "channels", "reviews"), json={"use": "as_answers"}).json()
    assert back == before


def test_ticked_moments_change_the_gaps_and_overlaps_and_the_proposal_restores_them(client, ctx):
    aid = draft(client, ctx, "anonymous")
    before = client.get(sheet_url(aid)).json()
    client.patch(sheet_url(aid, "channels", "support_contacts"), json={"use": "in_use"})
    client.patch(sheet_url(aid, "channels", "community"), json={"use": "in_use"})
    sheet = client.get(sheet_url(aid)).json()
    assert moment(sheet, "get_help")["overlap"] and moment(sheet, "get_help")["channels"] == [
        "support_contacts",
        "community",
    ]
    response = client.patch(sheet_url(aid, "channels", "community"), json={"moments": ["use", "renew"]})
    assert response.status_code == 200, response.text
    community = channel(response.json(), "community")
    assert community["moments"] == ["use", "renew"] and community["changed"] == ["get_help", "renew"]
    assert not moment(response.json(), "get_help")["overlap"] and not moment(response.json(), "renew")["gap"]
    # The correction survives new answers.
    assert answer(client, aid, "fd.feedback_loop.baseline", "dont_know").status_code in (200, 201)
    assert channel(client.get(sheet_url(aid)).json(), "community")["changed"] == ["get_help", "renew"]
    proposed = channel(before, "community")["proposed"]
    client.patch(sheet_url(aid, "channels", "community"), json={"moments": proposed, "use": "as_answers"})
    client.patch(sheet_url(aid, "channels", "support_contacts"), json={"use": "as_answers"})
    restored = client.get(sheet_url(aid)).json()["channels"]
    assert not any(c["use_changed"] or c["changed"] for c in restored)
    assert [c["moments"] for c in restored] == [c["proposed"] for c in before["channels"]]


def test_a_step_keeps_its_owner_status_and_note(client, ctx):
    aid = draft(client, ctx)
    response = client.patch(
        sheet_url(aid, "steps", "2"),
        json={"owner": "  Dana Reyes ", "status": "in_progress", "note": "Map two journeys"},
    )
    assert response.status_code == 200, response.text
    step = response.json()["steps"][1]
    assert (step["owner"], step["status"], step["note"]) == ("Dana Reyes", "in_progress", "Map two journeys")
    client.patch(sheet_url(aid, "steps", "2"), json={"status": "done"})
    step = client.get(sheet_url(aid)).json()["steps"][1]
    assert (step["owner"], step["status"], step["note"]) == ("Dana Reyes", "done", "Map two journeys")


def test_bad_changes_are_refused_saying_what_to_fix(client, ctx):
    aid = draft(client, ctx)
    before = client.get(sheet_url(aid)).json()
    unknown = client.patch(sheet_url(aid, "channels", "fax"), json={"use": "in_use"})
    assert unknown.status_code == 404 and "channel 'fax' is not on the audit worksheet" in unknown.json()["detail"]
    assert "reviews" in unknown.json()["extra"]["allowed"]
    moment_ = client.patch(sheet_url(aid, "channels", "reviews"), json={"moments": ["buy", "teleport"]})
    assert moment_.status_code == 400 and "'teleport' is not a moment of truth" in moment_.json()["detail"]
    assert moment_.json()["extra"]["allowed"] == [m["id"] for m in before["moments"]]
    step = client.patch(sheet_url(aid, "steps", "6"), json={"owner": "Ada"})
    assert step.status_code == 404 and "steps 1 to 5, not 6" in step.json()["detail"]
    long_owner = client.patch(sheet_url(aid, "steps", "1"), json={"owner": "A" * 201})
    assert long_owner.status_code == 400 and "owner" in long_owner.text
    status = client.patch(sheet_url(aid, "steps", "1"), json={"status": "finished"})
    assert status.status_code == 400 and "status" in status.text
    use = client.patch(sheet_url(aid, "channels", "reviews"), json={"use": "maybe"})
    assert use.status_code == 400 and "use" in use.text
    extra = client.patch(sheet_url(aid, "steps", "1"), json={"owner": "Ada", "colour": "red"})
    assert extra.status_code == 400
    assert client.get(sheet_url(aid)).json() == before  # nothing refused was saved


def test_a_submitted_assessments_worksheet_is_frozen_with_it(client, ctx):
    aid = draft(client, ctx)
    client.patch(sheet_url(aid, "steps", "1"), json={"owner": "Dana Reyes"})
    assert client.post(f"/api/v1/assessments/{aid}/submit").status_code == 200
    sheet = client.get(sheet_url(aid)).json()
    assert sheet["editable"] is False and sheet["steps"][0]["owner"] == "Dana Reyes"
    for path, body in ((("steps", "1"), {"owner": "Someone else"}), (("channels", "reviews"), {"use": "in_use"})):
        refused = client.patch(sheet_url(aid, *path), json=body)
        assert (
            refused.status_code == 409 and "is submitted and its audit worksheet is frozen" in refused.json()["detail"]
        )
    assert client.get(sheet_url(aid)).json() == sheet


def test_viewers_read_the_worksheet_and_members_edit_it(client, ctx, anonymous):
    aid = draft(client, ctx)
    org = client.get(f"/api/v1/assessments/{aid}").json()["organisation_id"]
    as_viewer = bearer_for(ctx, "viewer@acme.test")
    as_member = bearer_for(ctx, "member@acme.test")
    assert anonymous.get(sheet_url(aid), headers=as_viewer).status_code == 404  # not yet a member: nothing is there
    add_member(ctx, org, MemberCreate(email="viewer@acme.test", role="viewer"))
    add_member(ctx, org, MemberCreate(email="member@acme.test", role="member"))
    assert anonymous.get(sheet_url(aid), headers=as_viewer).status_code == 200
    refused = anonymous.patch(sheet_url(aid, "steps", "1"), json={"owner": "Ada"}, headers=as_viewer)
    assert refused.status_code == 403
    saved = anonymous.patch(sheet_url(aid, "steps", "1"), json={"owner": "Ada"}, headers=as_member)
    assert saved.status_code == 200 and saved.json()["steps"][0]["owner"] == "Ada"


def test_each_correction_is_in_the_audit_log(client, ctx):
    aid = draft(client, ctx)
    org = client.get(f"/api/v1/assessments/{aid}").json()["organisation_id"]
    client.patch(sheet_url(aid, "channels", "reviews"), json={"use": "not_in_use", "moments": ["buy"]})
    client.patch(sheet_url(aid, "steps", "3"), json={"owner": "Dana Reyes", "status": "in_progress"})
    client.patch(sheet_url(aid, "steps", "3"), json={"owner": "Dana Reyes"})  # unchanged: no event
    events = client.get(f"/api/v1/organisations/{org}/audit").json()
    channel_events = [e for e in events if e["action"] == "worksheet.channel"]
    step_events = [e for e in events if e["action"] == "worksheet.step"]
    assert len(channel_events) == 1 and len(step_events) == 1
    [c], [s] = channel_events, step_events
    assert c["entity_id"] == f"{aid}/reviews" and c["before"] == {"use": "", "moments": {}}
    assert c["after"] == {"use": "not_in_use", "moments": {"discover": False, "use": False}}
    assert s["entity_id"].startswith(f"{aid}/") and s["before"]["owner"] == ""
    assert (s["after"]["owner"], s["after"]["status"]) == ("Dana Reyes", "in_progress")
