"""The audit worksheet screen: the grid with gaps and overlaps in words and the answers behind each channel, edits
in place (htmx) and as plain forms, what was refused and why, read-only when submitted or for viewers, escaping."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.integration.api import answer_persona, make_assessment, make_org
from tests.integration.pdf import Pdf
from tests.integration.test_hostile_input import MARKUP, Page
from tests.integration.web import browser, csrf_of, make_user

MEMBER = "member@firm.test"
VIEWER = "viewer@firm.test"
HTMX = {"HX-Request": "true", "HX-Target": "channel", "HX-Current-URL": "https://testserver.local/"}


def words(html: str) -> str:
    """The page's text as read: tags dropped, entities decoded, white space squeezed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def draft(client, ctx):
    """A full diagnostic answered as the anonymous company, with a member and a viewer in its organisation."""
    org = make_org(client, "Northwind Outfitters")
    for email, role in ((MEMBER, "member"), (VIEWER, "viewer")):
        make_user(ctx, email)
        assert (
            client.post(f"/api/v1/organisations/{org}/members", json={"email": email, "role": role}).status_code == 201
        )
    aid = make_assessment(client, org)
    answer_persona(client, ctx, aid, "anonymous")
    return aid


@pytest.fixture
def member(app, draft):
    with browser(app, MEMBER) as web:
        yield web


def post(web, aid: int, what: str, form: dict, htmx: bool = True):
    """Send a row's form as the page would (htmx adds its headers; a plain form does not)."""
    token = csrf_of(web.get(f"/assessments/{aid}/worksheet").text)
    return web.post(
        f"/assessments/{aid}/worksheet/{what}",
        data={"_csrf_token": token, **form},
        headers=HTMX if htmx else {},
        follow_redirects=False,
    )


def sheet(client, aid):
    return client.get(f"/api/v1/assessments/{aid}/worksheet").json()


def test_the_screen_shows_the_grid_the_gaps_in_words_and_the_answers_behind_each_channel(client, draft, member):
    response = member.get(f"/assessments/{draft}/worksheet")
    assert response.status_code == 200
    text = words(response.text)
    api = sheet(client, draft)
    assert "Feedback-channel audit worksheet" in text and "Gaps and overlaps" in text and "The five steps" in text
    for m in api["moments"]:
        if m["gap"]:
            assert re.search(rf"{re.escape(m['name'])} None Gap ?: no channel in use hears customers here", text)
    for c in api["channels"]:
        assert c["name"] in text
        for e in c["evidence"]:
            assert e["name"] in text  # the criterion behind it, by name
    # The answers behind each channel, by the question's words, never their ids.
    questionnaire = client.get("/api/v1/questionnaires/full-diagnostic").json()
    asked = {q["id"]: q["text"] for section in questionnaire["sections"] for q in section["questions"]}
    criteria = {c["id"]: c for c in client.get(f"/api/v1/assessments/{draft}/result").json()["result"]["criteria"]}
    behind = {
        asked[a["question_id"]]
        for c in api["channels"]
        for e in c["evidence"]
        for a in criteria[e["criterion_id"]]["answers"]
        if a["status"] != "hidden"
    }
    assert behind and all(" ".join(question.split()) in text for question in behind)
    assert "customer.audit" not in text and "solis.stage1" not in text and "fd." not in text
    for s in api["steps"]:
        assert f"{s['number']}. {s['title']}" in text and s["owner_role"] in text
    # It is linked from the results and the roadmap.
    for screen in ("results", "roadmap"):
        assert f'href="/assessments/{draft}/worksheet"' in member.get(f"/assessments/{draft}/{screen}").text


def test_ticking_a_moment_saves_in_place_and_recounts_the_gaps(client, draft, member):
    response = post(
        member,
        draft,
        "channels/support_contacts",
        {"use": "in_use", "moments_shown": "1", "moments": ["start", "get_help", "buy"]},
    )
    assert response.status_code == 200, response.text
    fragment = response.text
    assert "<html" not in fragment and 'id="channel-support_contacts"' in fragment
    assert 'hx-swap-oob="true"' in fragment and 'id="worksheet-moments"' in fragment  # the moments recounted
    assert "data-save-status>Saved<" in fragment and "Changed by the team" in fragment
    assert re.search(r'id="tick-support_contacts-buy"[^>]*checked', fragment)
    assert 'changed</span><span class="sr-only"> by the team; the worksheet proposed not' in fragment
    assert 'hx-trigger="change, submit"' in fragment and 'class="no-script-only"' in fragment
    assert response.headers["vary"].split(",")[0] == "HX-Request"
    stored = next(c for c in sheet(client, draft)["channels"] if c["id"] == "support_contacts")
    assert stored["use"] == "in_use" and stored["changed"] == ["buy"]
    buy = next(m for m in sheet(client, draft)["moments"] if m["id"] == "buy")
    assert "support_contacts" in buy["channels"]
    assert "Support calls, chats and tickets" in words(fragment.split('id="moment-buy"', 1)[1].split("</tr>", 1)[0])


def test_no_tick_at_all_is_a_channel_that_captures_nothing(client, draft, member):
    assert post(member, draft, "channels/reviews", {"use": "as_answers", "moments_shown": "1"}).status_code == 200
    assert next(c for c in sheet(client, draft)["channels"] if c["id"] == "reviews")["moments"] == []


def test_back_to_what_the_answers_say_undoes_a_channels_changes(client, draft, member):
    post(member, draft, "channels/reviews", {"use": "in_use", "moments_shown": "1", "moments": "renew"})
    changed = member.get(f"/assessments/{draft}/worksheet").text
    assert "Back to what the answers say" in changed
    response = post(member, draft, "channels/reviews", {"as_answers": "1", "use": "in_use", "moments_shown": "1"})
    assert response.status_code == 200
    reviews = next(c for c in sheet(client, draft)["channels"] if c["id"] == "reviews")
    assert not reviews["use_changed"] and not reviews["changed"] and reviews["moments"] == reviews["proposed"]
    assert "Changed by the team" not in response.text.split('id="worksheet-moments"')[0]


def test_without_scripts_a_save_comes_back_as_the_page_saying_so(client, draft, member):
    response = post(
        member, draft, "steps/1", {"owner": "Dana Reyes", "status": "in_progress", "note": "Started"}, htmx=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/assessments/{draft}/worksheet?saved=step-1#step-1"
    page = member.get(response.headers["location"])
    assert "Saved: step 1, Audit existing voice-of-customer channels." in words(page.text)
    assert 'value="Dana Reyes"' in page.text and '<option value="in_progress" selected>' in page.text


def test_a_too_long_owner_is_refused_in_the_step_keeping_what_was_typed(client, draft, member):
    long = "A" * 201
    response = post(member, draft, "steps/2", {"owner": long, "status": "done", "note": "kept"})
    assert response.status_code == 400
    assert "<html" not in response.text and 'role="alert"' in response.text
    assert "Owner: String should have at most 200 characters" in words(response.text)
    assert f'value="{long}"' in response.text and ">kept</textarea>" in response.text
    plain = post(member, draft, "steps/2", {"owner": long, "status": "done"}, htmx=False)
    assert plain.status_code == 400 and "step 2, " in words(plain.text) and "was not saved" in words(plain.text)
    bad_status = post(member, draft, "steps/2", {"status": "finished"})
    assert bad_status.status_code == 400 and "Status:" in words(bad_status.text)
    bad_moment = post(member, draft, "channels/reviews", {"moments_shown": "1", "moments": "teleport"})
    assert bad_moment.status_code == 400 and "is not a moment of truth" in words(bad_moment.text)
    assert sheet(client, draft)["steps"][1]["owner"] == "" and not any(
        c["changed"] for c in sheet(client, draft)["channels"]
    )
    assert post(member, draft, "channels/fax", {"use": "in_use"}).status_code == 404
    assert post(member, draft, "steps/9", {"owner": "Ada"}).status_code == 404


def test_a_submitted_worksheet_reads_as_frozen_and_refuses_changes(client, draft, member):
    post(member, draft, "steps/1", {"owner": "Dana Reyes", "status": "done", "note": ""})
    token = csrf_of(member.get(f"/assessments/{draft}/worksheet").text)
    assert client.post(f"/api/v1/assessments/{draft}/submit").status_code == 200
    page = member.get(f"/assessments/{draft}/worksheet").text
    assert "frozen with its answers" in words(page) and "<select" not in page.split('id="channels-title"')[1]
    assert "Dana Reyes" in words(page)
    refused = member.post(
        f"/assessments/{draft}/worksheet/steps/1", data={"_csrf_token": token, "owner": "Someone"}, headers=HTMX
    )
    assert refused.status_code == 409 and "is submitted and its audit worksheet is frozen" in words(refused.text)
    assert sheet(client, draft)["steps"][0]["owner"] == "Dana Reyes"


def test_viewers_read_the_worksheet_without_forms_and_cannot_post(app, client, draft):
    with browser(app, VIEWER) as viewer:
        page = viewer.get(f"/assessments/{draft}/worksheet")
        assert page.status_code == 200 and "Members and consultants of Northwind Outfitters correct it" in words(
            page.text
        )
        assert "data-autosave" not in page.text
        token = csrf_of(page.text)
        refused = viewer.post(f"/assessments/{draft}/worksheet/steps/1", data={"_csrf_token": token, "owner": "Me"})
        assert refused.status_code == 403


def test_what_was_typed_is_escaped_on_the_screen(client, draft, member):
    post(member, draft, "steps/3", {"owner": MARKUP[:200], "status": "not_started", "note": MARKUP})
    parsed = Page(member.get(f"/assessments/{draft}/worksheet").text)
    assert parsed.shows(MARKUP[:200]) and parsed.shows(MARKUP)
    assert not [e for e in parsed.live_markup() if not e[1].get("src", "").startswith(("/static/", "/vendor/"))]


def test_the_pdf_prints_the_worksheet_as_the_team_left_it(client, draft, member, tmp_path):
    post(
        member, draft, "steps/2", {"owner": "Dana Reyes-Okafor", "status": "in_progress", "note": "Two journeys first"}
    )
    post(
        member,
        draft,
        "channels/reviews",
        {"use": "in_use", "moments_shown": "1", "moments": ["discover", "buy", "renew"]},
    )
    response = member.get(f"/api/v1/assessments/{draft}/report.pdf")
    assert response.status_code == 200
    pdf = Pdf(response.content, tmp_path)
    assert pdf.has("Feedback-channel audit worksheet (Kira Wampler)")
    assert pdf.has("Dana Reyes-Okafor") and pdf.has("Two journeys first") and pdf.has("In progress")
    assert pdf.has("Changed by the team")
    assert pdf.has(
        "Ratings and reviews: marked in use (the answers say not in use); ticked Renew, recommend or leave; unticked Use day to day"
    )
    # The gaps are counted from the corrected grid: the reviews, now in use, cover the three moments they tick.
    grid = pdf.text.rsplit("Channels and moments of truth", 1)[1].split("the channel captures feedback", 1)[0]
    assert (grid.count("covered"), grid.count("gap")) == (3, 3) and "in use†" in grid


def test_the_audit_log_says_what_the_team_changed_on_the_worksheet(client, draft, member):
    post(
        member,
        draft,
        "channels/reviews",
        {"use": "in_use", "moments_shown": "1", "moments": ["discover", "buy", "use"]},
    )
    post(member, draft, "steps/4", {"owner": "Dana Reyes", "status": "not_started", "note": ""})
    org = client.get(f"/api/v1/assessments/{draft}").json()["organisation_id"]
    page = words(client.get(f"/organisations/{org}/audit").text).replace("“ ", "“").replace(" ”", "”")  # around links
    assert f"{MEMBER} marked the channel “Ratings and reviews” on the 2026-Q1 audit worksheet in use." in page
    assert (
        f"{MEMBER} set the owner of audit step 4 “" in page
        and "on the 2026-Q1 audit worksheet to “Dana Reyes”." in page
    )
    assert f'href="/assessments/{draft}/worksheet#channel-reviews"' in client.get(f"/organisations/{org}/audit").text
