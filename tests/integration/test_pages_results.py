"""The results, roadmap and compare pages: what they show, inline roadmap edits (htmx and plain), roles, escaping."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from html import unescape

import pytest

from backend.web.app import create_app
from tests.integration.api import answer, answer_persona, make_assessment, make_org, submitted_persona
from tests.integration.test_hostile_input import MARKUP, SCRIPT, Page
from tests.integration.web import browser, csrf_of, make_user

MEMBER = "member@firm.test"
VIEWER = "viewer@firm.test"
HTMX = {"HX-Request": "true", "HX-Target": "item", "HX-Current-URL": "https://testserver.local/"}


def words(html: str) -> str:
    """The page's text as read: tags dropped, entities decoded, white space squeezed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def live_markup(parsed: Page) -> list:
    """Elements that would run or fetch what a user typed (our own scripts, /static and /vendor, aside)."""
    return [
        (tag, attrs)
        for tag, attrs in parsed.live_markup()
        if not (tag == "script" and attrs.get("src", "").startswith(("/static/", "/vendor/")))
    ]


def join(client, org: int, email: str, role: str) -> None:
    assert client.post(f"/api/v1/organisations/{org}/members", json={"email": email, "role": role}).status_code == 201


@pytest.fixture
def member(app, ctx):
    """A signed-in browser of someone who will be a member (may plan) of the organisations the test makes."""
    make_user(ctx, MEMBER)
    with browser(app, MEMBER) as web:
        yield web


@pytest.fixture
def viewer(app, ctx):
    """A signed-in browser of someone who will be a viewer (reads only)."""
    make_user(ctx, VIEWER)
    with browser(app, VIEWER) as web:
        yield web


@pytest.fixture
def two_periods(client, ctx, member):
    """An organisation with 2026-Q1 (anonymous, feedback audit done) and 2026-Q2 (brand monitor, one note added), both submitted."""
    org = make_org(client, "Northwind Outfitters")
    join(client, org, MEMBER, "member")
    first = make_assessment(client, org, "2026-Q1")
    answer_persona(client, ctx, first, "anonymous")
    audit = next(
        i
        for i in client.get(f"/api/v1/assessments/{first}/roadmap").json()["items"]
        if i["recommendation_id"] == "feedback_channel_audit"
    )
    assert (
        client.patch(f"/api/v1/assessments/{first}/roadmap/{audit['id']}", json={"status": "done"}).status_code == 200
    )
    assert client.post(f"/api/v1/assessments/{first}/submit").status_code == 200
    second = make_assessment(client, org, "2026-Q2", baseline_assessment_id=first)
    answer_persona(client, ctx, second, "brand-monitor")
    answer(client, second, "fd.listening.coverage", "everywhere", note="We now log every mention")
    assert client.post(f"/api/v1/assessments/{second}/submit").status_code == 200
    return org, first, second


def first_item(client, assessment_id: int) -> dict:
    return client.get(f"/api/v1/assessments/{assessment_id}/roadmap").json()["items"][0]


def edit(web, assessment_id: int, item: dict, htmx: bool = True, **fields):
    """Send the inline roadmap form as the page would (htmx adds its headers; a plain form does not)."""
    token = csrf_of(web.get(f"/assessments/{assessment_id}/roadmap").text)
    form = {
        "_csrf_token": token,
        "status": item["status"],
        "owner": item["owner"],
        "due_period": item["due_period"],
        "expected_version": str(item["version"]),
        **fields,
    }
    return web.post(
        f"/assessments/{assessment_id}/roadmap/{item['id']}",
        data=form,
        headers=HTMX if htmx else {},
        follow_redirects=False,
    )


# --- results ------------------------------------------------------------------------------


def test_results_show_level_stage_confidence_charts_customer_audit_and_findings_with_why(two_periods, member):
    org, _, second = two_periods
    response = member.get(f"/assessments/{second}/results")
    assert response.status_code == 200
    html, text = response.text, words(response.text)
    assert "Results for 2026-Q2" in text
    assert "Level 2, 0 % of the way to level 3" in text and "Reactive" in text
    assert "Stage 2, 73 % of the way to stage 3" in text
    assert "Confidence" in text and "High" in text
    # The PDF's three charts as labelled inline SVG, each with its numbers in text as well: groups of links to the
    # answers behind each rung and score.
    assert len(re.findall(r'<svg role="group" aria-label="[^"]+"', html)) == 3
    assert "The ladder as a table" in text and "Stages and their elements as a table" in text
    assert "The social stack: score per element" in text
    # Every marker beside a stage's name is explained, on the page as in the PDF (one wording).
    assert "✓ marks a stage reached in order; • a stage whose practices are in place but which does not" in text
    # The social customer: expectations and Wampler's five audit steps.
    assert "The Social Customer Manifesto (Chris Carfi)" in text and "5. Regular reporting" in text
    # A finding with the answers behind it (question text and answer label) and the credited model.
    assert "Feedback is heard but the loop is not closed" in text
    assert (
        "Does a regular report show customer feedback measures for each step of the customer journey?" in text
        and "No regular feedback report" in text
    )
    assert "Model: The social customer and social CRM (Dave Evans, with Chris Carfi and Kira Wampler)" in text
    for link in (
        f'href="/assessments/{second}/roadmap"',
        f'href="/api/v1/assessments/{second}/report.pdf"',
        f'href="/api/v1/assessments/{second}/report.pdf?variant=summary"',
        f'href="/organisations/{org}"',
    ):
        assert link in html
    assert "have changed since this was submitted" not in text  # same content as at submission


def test_a_draft_shows_live_results_and_a_way_back_to_answering(client, ctx, member):
    org = make_org(client)
    join(client, org, MEMBER, "member")
    draft = make_assessment(client, org, "2026-Q3")
    answer(client, draft, "fd.knowing.identified_share", "dont_know")
    text = words(member.get(f"/assessments/{draft}/results").text)
    assert (
        "draft: these results follow the answers" in text
        and f"/assessments/{draft}/answer" in member.get(f"/assessments/{draft}/results").text
    )
    assert "Not assessed: too few answers to place any level" in text and "of the way to level 1" not in text
    assert "1 question answered “don't know”" in text and "not answered yet" in text and "Low" in text
    assert "1 criterion rests only on “don't know”" in text


def test_the_quick_check_is_judged_on_what_it_asks_and_collapses_the_rest(client, ctx, member):
    org = make_org(client)
    join(client, org, MEMBER, "member")
    draft = make_assessment(client, org, "2026-Q3", questionnaire_id="executive-quick-check")
    plan = ctx.content.plan("executive-quick-check")
    for q in plan.questionnaire.questions:
        answer(client, draft, q.id, max(q.options, key=lambda o: o.score).value)
    for path in (f"/assessments/{draft}/results", f"/assessments/{draft}/roadmap"):
        text = words(member.get(path).text)
        assert text.count("Not covered by the executive quick check:") == 1, path
    text = words(member.get(f"/assessments/{draft}/results").text)
    assert "coverage 100 %" in text and "Confidence Low" not in text


def test_a_provisional_level_says_which_rungs_were_not_assessed(client, ctx, member):
    org = make_org(client)
    join(client, org, MEMBER, "member")
    draft = make_assessment(client, org, "2026-Q3")
    answer_persona(client, ctx, draft, "brand-monitor")
    for q in ctx.content.plan("full-diagnostic").by_criterion["socialfication.level1"]:
        answer(client, draft, q.id, "dont_know")
    text = words(member.get(f"/assessments/{draft}/results").text)
    assert f"Provisional: level 1 ({ctx.content.criteria['socialfication.level1'].name}) was not assessed" in text


def test_results_say_what_todays_content_would_change_without_replacing_history(
    client, ctx, settings, tmp_path, two_periods
):
    _, first, second = two_periods
    content = tmp_path / "content"
    for folder in ("rubrics", "questionnaires"):
        shutil.copytree(settings.content_dir / folder, content / folder)
    ladder = content / "rubrics" / "socialfication.yaml"
    ladder.write_text(
        ladder.read_text()
        .replace("threshold: 0.7", "threshold: 0.95", 1)
        .replace("defining_floor: 0.5", "defining_floor: 0.95", 1)
    )
    with browser(create_app(replace(settings, content_dir=content)), MEMBER) as web:
        text = words(web.get(f"/assessments/{second}/results").text)
    assert "have changed since this was submitted" in text
    assert "Level 2, 0 % of the way to level 3" in text  # the frozen snapshot
    assert re.search(r"Socialfication maturity: 2 would become [01]\b", text), text[:2000]


# --- roadmap ------------------------------------------------------------------------------


def test_the_roadmap_shows_steps_by_horizon_with_why_effort_impact_owner_measure_and_downloads(
    client, two_periods, member
):
    _, first, second = two_periods
    response = member.get(f"/assessments/{second}/roadmap")
    assert response.status_code == 200
    html, text = response.text, words(response.text)
    assert text.index("Now: this quarter") < text.index("Next quarter") < text.index("Later")
    items = client.get(f"/api/v1/assessments/{second}/roadmap").json()["items"]
    for item in items:
        assert f'id="item-{item["id"]}"' in html
    top = items[0]
    assert top["title"] in text and "Triggered by" in text and "The answers behind it" in text
    assert f"Owner role {top['owner_role']}" in text and "Success measure" in text and f"{top['impact']} of 3" in text
    assert "carried from 2026-Q1" in text  # open steps carry over with their status
    assert "Waiting for the next assessment" in text
    assert f'href="/api/v1/assessments/{second}/report.pdf"' in html and "variant=summary" in html
    assert html.count('class="step-edit"') == len(items)  # a member may plan: every step is editable


def test_an_htmx_edit_returns_the_step_saved_and_it_persists(client, two_periods, member):
    _, _, second = two_periods
    item = first_item(client, second)
    response = edit(member, second, item, status="in_progress", owner="Dana (CX)", due_period="2027-Q1")
    assert response.status_code == 200, response.text
    fragment = response.text
    assert "<html" not in fragment and fragment.lstrip().startswith(
        f'<li class="step step-in_progress" id="item-{item["id"]}"'
    )
    assert re.search(r"data-save-status>Saved<", fragment)
    assert 'id="announce" hx-swap-oob="innerHTML">Saved:' in fragment
    assert (
        'value="Dana (CX)"' in fragment
        and '<option value="2027-Q1" selected>' in fragment
        and f'name="expected_version" value="{item["version"] + 1}"' in fragment
    )
    # It saves on change (no button to press with scripts on) and the page's saves go one at a time.
    assert 'hx-trigger="change, submit"' in fragment and 'hx-sync="closest .roadmap:queue all"' in fragment
    assert 'class="no-script-only"' in fragment
    assert response.headers["vary"].split(",")[0] == "HX-Request"  # then Accept-Encoding, once gzipped
    stored = first_item(client, second)
    assert (stored["status"], stored["owner"], stored["due_period"]) == ("in_progress", "Dana (CX)", "2027-Q1")
    assert 'value="Dana (CX)"' in member.get(f"/assessments/{second}/roadmap").text


def test_a_stale_edit_is_409_in_the_step_showing_it_as_it_now_stands(client, two_periods, member):
    _, _, second = two_periods
    item = first_item(client, second)
    assert (
        client.patch(f"/api/v1/assessments/{second}/roadmap/{item['id']}", json={"owner": "Someone else"}).status_code
        == 200
    )
    response = edit(member, second, item, status="done", owner="Me")  # still carries the version read before
    assert response.status_code == 409
    fragment = response.text
    assert "<html" not in fragment and 'role="alert"' in fragment
    assert "someone else changed this step" in fragment and "You tried: status Done, owner &#39;Me&#39;" in fragment
    assert f"item {item['id']}" not in fragment  # the service's words name the row's id: the page says it plainly
    assert 'value="Someone else"' in fragment and f'name="expected_version" value="{item["version"] + 1}"' in fragment
    assert first_item(client, second)["owner"] == "Someone else"


def test_a_bad_due_period_is_400_in_the_step_with_what_was_typed(client, two_periods, member):
    _, _, second = two_periods
    item = first_item(client, second)
    response = edit(member, second, item, owner="Dana", due_period="next year")
    assert response.status_code == 400
    assert "<html" not in response.text and "such as 2026-Q4" in response.text
    # Nothing sent is lost: the picker shows the quarter as sent, beside the owner typed, to correct it.
    assert '<option value="next year" selected>' in response.text and 'value="Dana"' in response.text
    assert re.search(r"data-save-status>Not saved<", response.text) and 'role="alert"' in response.text
    bad_status = edit(member, second, item, status="finished")
    assert bad_status.status_code == 400 and "status" in bad_status.text
    assert first_item(client, second)["owner"] == ""  # nothing stored


def due_options(html: str, item_id: int) -> list[tuple[str, str]]:
    """The due quarter picker of a step: (value, ' selected' or '') per option."""
    picker = html.split(f'id="due-{item_id}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"( selected)?>', picker)


def row_of(html: str, item_id: int) -> str:
    """A step's compact row (its details left out)."""
    return html.split(f'id="item-{item_id}"', 1)[1].split('class="step-details"', 1)[0]


def patch_step(client, assessment_id: int, item_id: int, **fields) -> None:
    response = client.patch(f"/api/v1/assessments/{assessment_id}/roadmap/{item_id}", json=fields)
    assert response.status_code == 200, response.text


def test_the_due_quarter_is_picked_from_the_roadmaps_period_to_eight_quarters_ahead(client, two_periods, member):
    _, _, second = two_periods  # 2026-Q2
    item = first_item(client, second)
    html = member.get(f"/assessments/{second}/roadmap").text
    assert f'<label for="due-{item["id"]}">Due quarter' in html and ">No due quarter</option>" in html
    assert 'name="due_period" type="text"' not in html  # no free text cut to seven characters
    options = due_options(html, item["id"])
    assert options[0] == ("", " selected")  # none yet
    assert [value for value, _ in options[1:]] == [
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
        "2027-Q1",
        "2027-Q2",
        "2027-Q3",
        "2027-Q4",
        "2028-Q1",
        "2028-Q2",
    ]
    # A quarter stored outside that range stays on offer, chosen, in time order.
    patch_step(client, second, item["id"], due_period="2025-Q1")
    options = due_options(member.get(f"/assessments/{second}/roadmap").text, item["id"])
    assert options[:3] == [("", ""), ("2025-Q1", " selected"), ("2026-Q2", "")] and len(options) == 11


def test_a_step_past_its_due_quarter_reads_overdue_in_its_row_and_is_counted_at_the_top(client, two_periods, member):
    _, _, second = two_periods
    items = client.get(f"/api/v1/assessments/{second}/roadmap").json()["items"]
    late, finished, ahead = [i for i in items if i["status"] == "planned"][:3]
    # Whatever today is, 2000 is behind it and 2999 ahead of it.
    patch_step(client, second, late["id"], due_period="2000-Q1", status="in_progress")
    patch_step(client, second, finished["id"], due_period="2000-Q1", status="done")
    patch_step(client, second, ahead["id"], due_period="2999-Q4")
    html = member.get(f"/assessments/{second}/roadmap").text
    assert '<p id="overdue-count" class="overdue-count">1 step overdue</p>' in html
    assert "Overdue since 2000-Q1" in words(row_of(html, late["id"]))
    assert "Overdue" not in words(row_of(html, finished["id"])) + words(row_of(html, ahead["id"]))
    # Saved in place: the row comes back overdue and the count at the top with it (out of band).
    ahead = next(
        i for i in client.get(f"/api/v1/assessments/{second}/roadmap").json()["items"] if i["id"] == ahead["id"]
    )
    response = edit(member, second, ahead, due_period="2001-Q2")
    assert response.status_code == 200 and "Overdue since 2001-Q2" in words(row_of(response.text, ahead["id"]))
    assert '<p id="overdue-count" class="overdue-count" hx-swap-oob="true">2 steps overdue</p>' in response.text
    # Done is never overdue; the count empties and hides once none is.
    for item in client.get(f"/api/v1/assessments/{second}/roadmap").json()["items"]:
        if item["id"] in (late["id"], ahead["id"]):
            response = edit(member, second, item, status="done")
    assert '<p id="overdue-count" class="overdue-count" hidden hx-swap-oob="true"></p>' in response.text


def test_a_viewer_reads_status_owner_and_due_quarter_in_the_row(client, two_periods, viewer):
    org, _, second = two_periods
    join(client, org, VIEWER, "viewer")
    item = first_item(client, second)
    patch_step(client, second, item["id"], owner="Dana (CX)", due_period="2000-Q3")
    row = words(row_of(viewer.get(f"/assessments/{second}/roadmap").text, item["id"]))
    assert "Planned" in row and "Overdue since 2000-Q3" in row and "Owner Dana (CX)" in row
    assert "Due quarter 2000-Q3" in row and "<select" not in row


def test_without_javascript_the_form_posts_and_redirects_back_and_errors_show_in_the_page(client, two_periods, member):
    _, _, second = two_periods
    item = first_item(client, second)
    response = edit(member, second, item, htmx=False, status="done")
    assert response.status_code == 303
    assert response.headers["location"] == f"/assessments/{second}/roadmap?saved={item['id']}#item-{item['id']}"
    page = member.get(response.headers["location"])
    assert f"Saved: {item['title']}." in words(page.text) and re.search(r"data-save-status>Saved<", page.text)
    refused = edit(member, second, item, htmx=False, status="planned")  # the version it carries is now stale
    assert refused.status_code == 409 and "<html" in refused.text
    step = refused.text.split(f'id="item-{item["id"]}"', 1)[1].split("</li>", 1)[0]
    assert "someone else changed this step" in step


def test_viewers_read_the_roadmap_and_results_but_cannot_change_steps(client, two_periods, viewer):
    org, _, second = two_periods
    join(client, org, VIEWER, "viewer")
    item = first_item(client, second)
    page = viewer.get(f"/assessments/{second}/roadmap")
    assert page.status_code == 200 and item["title"] in page.text
    assert 'class="step-edit"' not in page.text and "You can read this roadmap" in page.text
    assert viewer.get(f"/assessments/{second}/results").status_code == 200
    form = {
        "_csrf_token": csrf_of(viewer.get("/account").text),
        "status": "done",
        "expected_version": str(item["version"]),
    }
    refused = viewer.post(f"/assessments/{second}/roadmap/{item['id']}", data=form, follow_redirects=False)
    assert refused.status_code == 403
    assert first_item(client, second)["status"] == "planned"


def test_another_organisations_ids_answer_404_everywhere(client, ctx, two_periods, member):
    org, first, second = two_periods
    other_org = make_org(client, "Someone Else Ltd")
    theirs = submitted_persona(client, ctx, other_org, "2026-Q1", "brand-monitor")
    their_item = first_item(client, theirs)
    token = csrf_of(member.get("/account").text)
    for path in (
        f"/assessments/{theirs}/results",
        f"/assessments/{theirs}/roadmap",
        f"/organisations/{other_org}/compare",
        f"/organisations/{org}/compare?before={theirs}&after={second}",
        f"/organisations/{org}/compare?before={first}&after={theirs}",
    ):
        response = member.get(path)
        assert response.status_code == 404, path
        assert "Someone Else" not in response.text
    form = {"_csrf_token": token, "status": "done"}
    assert (
        member.post(f"/assessments/{theirs}/roadmap/{their_item['id']}", data=form, follow_redirects=False).status_code
        == 404
    )
    # Their step through our assessment's URL: not found either, and untouched.
    assert (
        member.post(f"/assessments/{second}/roadmap/{their_item['id']}", data=form, follow_redirects=False).status_code
        == 404
    )
    assert first_item(client, theirs)["status"] == "planned"


def test_hostile_text_is_shown_escaped_on_every_screen(client, ctx, member):
    org = make_org(client, MARKUP)
    join(client, org, MEMBER, "member")
    first = make_assessment(client, org, "2026-Q1")
    answer_persona(client, ctx, first, "brand-monitor")
    answer(client, first, "fd.feedback_loop.step_report", "no_report", note=MARKUP)
    client.post(f"/api/v1/assessments/{first}/submit")
    second = make_assessment(client, org, "2026-Q2", baseline_assessment_id=first)
    answer(client, second, "fd.feedback_loop.step_report", "no_report", note=f"{SCRIPT} changed")
    item = first_item(client, second)
    saved = edit(member, second, item, owner=MARKUP)
    assert saved.status_code == 200
    for path, shown in (
        (f"/assessments/{first}/results", [MARKUP]),
        (f"/assessments/{second}/roadmap", [MARKUP]),
        (f"/organisations/{org}", [MARKUP]),
        (f"/organisations/{org}/compare", [MARKUP]),  # one period submitted: the draft is offered, not compared
        (f"/organisations/{org}/compare?before={first}&after={second}", [MARKUP, f"{SCRIPT} changed"]),
        ("fragment", [MARKUP]),
    ):
        html = saved.text if path == "fragment" else member.get(path).text
        parsed = Page(html)
        assert live_markup(parsed) == [], path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
        for text in shown:
            assert parsed.shows(text), (path, text)


# --- compare ------------------------------------------------------------------------------


def test_compare_defaults_to_the_latest_two_periods_and_shows_what_changed(two_periods, member):
    org, first, second = two_periods
    response = member.get(f"/organisations/{org}/compare")
    assert response.status_code == 200
    html, text = response.text, words(response.text)
    assert "2026-Q1 compared with 2026-Q2" in text
    assert re.search(rf'<option value="{first}" selected>', html) and re.search(
        rf'<option value="{second}" selected>', html
    )
    assert re.search(r"Socialfication maturity 0 \(0\.0\) 2 \(2\.0\) up 2", text)
    assert "Improved (" in text and "+88 points" in text and "Regressed (0)" in text
    assert "Findings resolved (1)" in text and "No audited voice-of-customer process" in text
    assert "New findings (1)" in text and "Feedback is heard but the loop is not closed" in text
    assert "Roadmap steps done (1)" in text and "Run a feedback-channel audit" in text
    assert "How widely and how continuously do you track what is said about your brand, products and key terms" in text
    assert "We do not track outside mentions" in text and "Note: We now log every mention" in text
    assert "Progress over every period" in text and '<svg role="img"' in html


def test_compare_puts_the_older_period_first_and_answers_htmx_with_the_fragment(two_periods, member):
    org, first, second = two_periods
    response = member.get(f"/organisations/{org}/compare?before={second}&after={first}", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="compare">')
    assert "2026-Q1 compared with 2026-Q2" in words(response.text)
    # The pickers and the pushed address show the comparison as shown: older first.
    assert re.search(
        rf'id="f-before".*<option value="{first}" selected>.*id="f-after".*<option value="{second}" selected>',
        response.text,
        re.S,
    )
    assert response.headers["hx-push-url"] == f"/organisations/{org}/compare?before={first}&after={second}"
    assert 'id="announce" hx-swap-oob="innerHTML">Showing 2026-Q1 compared with 2026-Q2.' in response.text
    boosted = member.get(
        f"/organisations/{org}/compare?before={first}&after={second}",
        headers={"HX-Request": "true", "HX-Boosted": "true"},
    )
    assert "<html" in boosted.text  # a boosted navigation gets the whole page


def test_compare_refuses_the_same_period_twice_with_a_reason(two_periods, member):
    org, first, _ = two_periods
    response = member.get(f"/organisations/{org}/compare?before={first}&after={first}")
    assert response.status_code == 400 and "Pick two different periods" in response.text
    fragment = member.get(f"/organisations/{org}/compare?before={first}&after={first}", headers={"HX-Request": "true"})
    assert fragment.status_code == 400 and "<html" not in fragment.text and 'role="alert"' in fragment.text


def test_compare_with_fewer_than_two_periods_explains_what_to_do(client, ctx, member):
    org = make_org(client, "Just Started")
    join(client, org, MEMBER, "member")
    text = words(member.get(f"/organisations/{org}/compare").text)
    assert "Comparing needs two assessed periods; Just Started has none yet" in text
    submitted_persona(client, ctx, org, "2026-Q1", "anonymous")
    text = words(member.get(f"/organisations/{org}/compare").text)
    assert "has one (2026-Q1)" in text and "Start the next period's assessment" in text and "<select" not in text


def test_the_roadmap_page_shows_kolskys_warning_merged_credits_and_the_variant_used(client, ctx, member):
    from backend.reports import why

    org = make_org(client, "Corner Florist", size="a single shop")
    join(client, org, MEMBER, "member")
    aid = make_assessment(client, org, "2026-Q1")
    answer_persona(client, ctx, aid, "anonymous")
    text = words(member.get(f"/assessments/{aid}/roadmap").text)
    items = client.get(f"/api/v1/assessments/{aid}/roadmap").json()["items"]
    opening = next(i for i in items if i["opens_channel"])
    assert why.CHANNEL_CAUTION in text and f"Cost of leaving: {opening['opens_channel']['exit_cost']}" in text
    assert "Models Christopher Surdak; Brian Solis" in text and why.merged_text(2) in text
    assert why.SMALL_VARIANT in text and "Owner role Owner or manager" in text
    # A large organisation reads the standard step.
    large = make_org(client, "Northwind", size="250-1000 employees")
    join(client, large, MEMBER, "member")
    other = make_assessment(client, large, "2026-Q1")
    answer_persona(client, ctx, other, "anonymous")
    assert why.SMALL_VARIANT not in words(member.get(f"/assessments/{other}/roadmap").text)
