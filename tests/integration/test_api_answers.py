"""Saving answers: validation, optimistic concurrency, history, and nothing lost on error."""

from tests.integration.api import answer, make_assessment, make_org
from tests.integration.conftest import bearer_for

Q = "qc.social.listening"


def start(client):
    return make_assessment(client, make_org(client), "2026-Q4", "executive-quick-check")


def stored(client, assessment_id):
    return client.get(f"/api/v1/assessments/{assessment_id}/answers").json()


def test_first_answer_is_created_then_updated(client):
    aid = start(client)
    first = answer(
        client,
        aid,
        Q,
        "ad_hoc",
        note="Marketing searches on Mondays",
        evidence="https://intranet/listening",
        answered_by="ceo@acme.test",
    )
    assert first.status_code == 201
    assert first.json()["version"] == 1
    second = answer(client, aid, Q, "main_networks", expected_version=1)
    assert second.status_code == 200 and second.json()["version"] == 2
    assert stored(client, aid)[0]["value"] == "main_networks"


def test_a_value_not_among_the_options_names_the_allowed_values_and_stores_nothing(client):
    aid = start(client)
    response = answer(client, aid, Q, "always")
    assert response.status_code == 400
    body = response.json()
    assert body["extra"]["field"] == "value"
    assert body["extra"]["allowed"] == ["not_at_all", "ad_hoc", "main_networks", "everywhere", "dont_know"]
    assert stored(client, aid) == []
    assert client.get(f"/api/v1/assessments/{aid}/history").json() == []


def test_an_error_keeps_the_answer_already_saved(client):
    aid = start(client)
    answer(client, aid, Q, "ad_hoc", note="keep me")
    assert answer(client, aid, Q, "bogus", note="lost?").status_code == 400
    assert [(a["value"], a["note"], a["version"]) for a in stored(client, aid)] == [("ad_hoc", "keep me", 1)]


def test_an_unknown_question_is_404_and_lists_the_questions(client):
    aid = start(client)
    response = answer(client, aid, "qc.nope", "ad_hoc")
    assert response.status_code == 404
    assert response.json()["extra"]["field"] == "question_id"
    assert Q in response.json()["extra"]["allowed"]


def test_a_stale_expected_version_is_409_with_the_current_answer(client):
    aid = start(client)
    answer(client, aid, Q, "ad_hoc", note="first", expected_version=0)
    response = answer(client, aid, Q, "everywhere", expected_version=0)
    assert response.status_code == 409
    assert response.json()["extra"]["current"]["value"] == "ad_hoc"
    assert response.json()["extra"]["current"]["version"] == 1
    assert stored(client, aid)[0]["value"] == "ad_hoc"


def test_not_applicable_needs_a_reason(client):
    aid = make_assessment(client, make_org(client), "2026-Q4", "full-diagnostic")
    question = next(
        q
        for s in client.get("/api/v1/questionnaires/full-diagnostic").json()["sections"]
        for q in s["questions"]
        if q["allow_not_applicable"]
    )
    response = answer(client, aid, question["id"], "not_applicable")
    assert response.status_code == 400 and response.json()["extra"]["field"] == "reason"
    assert (
        answer(client, aid, question["id"], "not_applicable", reason="We sell only through distributors").status_code
        == 201
    )


def test_not_applicable_is_refused_where_the_question_forbids_it(client):
    aid = start(client)
    response = answer(client, aid, Q, "not_applicable", reason="x")
    assert response.status_code == 400
    assert "not_applicable" not in response.json()["extra"]["allowed"]


def test_every_change_is_in_the_history_under_the_signed_in_user(client):
    aid = start(client)
    answer(client, aid, Q, "ad_hoc", note="a", answered_by="ann")
    answer(client, aid, Q, "everywhere", note="b", answered_by="bob")
    history = client.get(f"/api/v1/assessments/{aid}/history").json()
    assert [
        (h["old_value"], h["new_value"], h["old_note"], h["new_note"], h["changed_by"], h["version"]) for h in history
    ] == [
        (None, "ad_hoc", None, "a", "admin@tribewise.test", 1),
        ("ad_hoc", "everywhere", "a", "b", "admin@tribewise.test", 2),
    ]
    assert stored(client, aid)[0]["answered_by"] == "bob"  # whose answer it is, as the caller said


def test_saving_the_same_answer_twice_stores_it_once(client):
    aid = start(client)
    answer(client, aid, Q, "ad_hoc", note="same")
    repeat = answer(client, aid, Q, "ad_hoc", note="same")
    assert repeat.status_code == 200 and repeat.json()["version"] == 1
    assert len(client.get(f"/api/v1/assessments/{aid}/history").json()) == 1


def test_a_submitted_assessment_refuses_changes_and_keeps_its_answers(client):
    aid = start(client)
    answer(client, aid, Q, "ad_hoc")
    assert client.post(f"/api/v1/assessments/{aid}/submit").status_code == 200
    response = answer(client, aid, Q, "everywhere")
    assert response.status_code == 409
    assert "submitted" in response.json()["detail"]
    assert stored(client, aid)[0]["value"] == "ad_hoc"


def test_hostile_text_is_stored_exactly(client):
    aid = start(client)
    note = "=HYPERLINK(\"http://x\") <script>alert('x')</script> & ‏עברית 😀 " + "é" * 4000
    answer(client, aid, Q, "ad_hoc", note=note)
    assert stored(client, aid)[0]["note"] == note


def test_answers_to_a_missing_assessment_are_404(client):
    assert answer(client, 999, Q, "ad_hoc").status_code == 404


def _with_member(client, ctx, email, role="member"):
    """An assessment in a new organisation, and the headers of a user with `role` in it."""
    aid = start(client)
    org = client.get(f"/api/v1/assessments/{aid}").json()["organisation_id"]
    headers = bearer_for(ctx, email)
    assert client.post(f"/api/v1/organisations/{org}/members", json={"email": email, "role": role}).status_code == 201
    return aid, headers


def test_a_member_cannot_attribute_an_answer_to_someone_else(client, ctx, anonymous):
    aid, member = _with_member(client, ctx, "m@acme.test")
    refused = anonymous.put(
        f"/api/v1/assessments/{aid}/answers/{Q}", json={"value": "ad_hoc", "answered_by": "The CEO"}, headers=member
    )
    assert refused.status_code == 403
    assert refused.json()["extra"]["field"] == "answered_by" and "only a consultant" in refused.json()["detail"]
    assert "m@acme.test" in refused.json()["detail"]  # how to fix it: answer as yourself
    assert stored(client, aid) == [] and client.get(f"/api/v1/assessments/{aid}/history").json() == []


def test_a_member_answers_as_themselves(client, ctx, anonymous):
    aid, member = _with_member(client, ctx, "m@acme.test")
    assert (
        anonymous.put(f"/api/v1/assessments/{aid}/answers/{Q}", json={"value": "ad_hoc"}, headers=member).status_code
        == 201
    )
    own = anonymous.put(
        f"/api/v1/assessments/{aid}/answers/{Q}",
        json={"value": "everywhere", "answered_by": "M@acme.test"},
        headers=member,
    )
    assert own.status_code == 200 and own.json()["answered_by"] == "m@acme.test"
    history = client.get(f"/api/v1/assessments/{aid}/history").json()
    assert {(h["changed_by"], h["new_answered_by"]) for h in history} == {("m@acme.test", "m@acme.test")}


def test_a_consultant_records_a_proxy_answer_and_the_history_names_who_saved_it(client, ctx, anonymous):
    aid, lead = _with_member(client, ctx, "lead@firm.test", "consultant")
    saved = anonymous.put(
        f"/api/v1/assessments/{aid}/answers/{Q}", json={"value": "ad_hoc", "answered_by": "The CEO"}, headers=lead
    )
    assert saved.status_code == 201 and saved.json()["answered_by"] == "The CEO"
    [change] = client.get(f"/api/v1/assessments/{aid}/history").json()
    assert (change["old_answered_by"], change["new_answered_by"], change["changed_by"]) == (
        None,
        "The CEO",
        "lead@firm.test",
    )


def test_a_consultant_elsewhere_is_a_member_here(client, ctx, anonymous):
    aid, user = _with_member(client, ctx, "lead@firm.test")
    other = make_org(client, "Their other client")
    client.post(f"/api/v1/organisations/{other}/members", json={"email": "lead@firm.test", "role": "consultant"})
    refused = anonymous.put(
        f"/api/v1/assessments/{aid}/answers/{Q}", json={"value": "ad_hoc", "answered_by": "The CEO"}, headers=user
    )
    assert refused.status_code == 403 and stored(client, aid) == []


def _last_save(client, aid):
    org = client.get(f"/api/v1/assessments/{aid}").json()["organisation_id"]
    return next(e for e in client.get(f"/api/v1/organisations/{org}/audit").json() if e["action"] == "answer.save")


def test_an_evidence_only_change_shows_old_and_new_evidence_in_history_and_audit(client):
    aid = start(client)
    answer(client, aid, Q, "ad_hoc", note="same", evidence="https://intranet/old")
    changed = answer(client, aid, Q, "ad_hoc", note="same", evidence="https://intranet/new")
    assert changed.status_code == 200 and changed.json()["version"] == 2
    last = client.get(f"/api/v1/assessments/{aid}/history").json()[-1]
    assert (last["old_evidence"], last["new_evidence"]) == ("https://intranet/old", "https://intranet/new")
    assert (last["old_value"], last["new_value"], last["old_note"], last["new_note"]) == (
        "ad_hoc",
        "ad_hoc",
        "same",
        "same",
    )
    event = _last_save(client, aid)
    assert event["before"] == {"evidence": "https://intranet/old"} and event["after"] == {
        "evidence": "https://intranet/new"
    }


def test_a_reason_change_shows_old_and_new_reason_in_history_and_audit(client):
    aid = make_assessment(client, make_org(client), "2026-Q4", "full-diagnostic")
    question = next(
        q
        for s in client.get("/api/v1/questionnaires/full-diagnostic").json()["sections"]
        for q in s["questions"]
        if q["allow_not_applicable"]
    )
    answer(client, aid, question["id"], "not_applicable", reason="We sell through dealers")
    assert (
        answer(client, aid, question["id"], "not_applicable", reason="We sell only through distributors").status_code
        == 200
    )
    history = client.get(f"/api/v1/assessments/{aid}/history").json()
    assert [(h["old_reason"], h["new_reason"]) for h in history] == [
        (None, "We sell through dealers"),
        ("We sell through dealers", "We sell only through distributors"),
    ]
    event = _last_save(client, aid)
    assert event["before"] == {"reason": "We sell through dealers"} and event["after"] == {
        "reason": "We sell only through distributors"
    }


def test_a_first_answer_is_in_the_audit_log_with_every_field(client):
    aid = start(client)
    answer(client, aid, Q, "ad_hoc", note="n", evidence="e")
    event = _last_save(client, aid)
    assert event["before"] is None
    assert event["after"] == {
        "value": "ad_hoc",
        "reason": "",
        "note": "n",
        "evidence": "e",
        "answered_by": "admin@tribewise.test",
    }
