"""The portfolio, organisation and content pages: numbers, search and sort, htmx fragments, forms, roles."""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import replace
from datetime import date

import pytest
from litestar.testing import TestClient
from markupsafe import escape

from backend.labels import progress_figure, progress_text, quarter_of
from backend.services.organisations.portfolio import next_period, trend_of
from backend.web.app import create_app
from backend.web.markdown import render_markdown
from tests.integration.api import answer, make_assessment, make_org, submitted_persona
from tests.integration.conftest import BASE
from tests.integration.web import browser, csrf_of, make_user

LEAD = "lead@firm.test"
HTMX = {"HX-Request": "true", "HX-Current-URL": "https://testserver.local/"}


def row_of(html: str, name: str) -> str:
    """The portfolio table row of one organisation."""
    rows = [r for r in html.split("<tr>") if f">{escape(name)}</a>" in r]
    assert len(rows) == 1, f"{name}: {len(rows)} rows"
    return rows[0].split("</tr>")[0]


def names_in_order(html: str) -> list[str]:
    """The organisations of the portfolio table, top to bottom."""
    return re.findall(r'<a href="/organisations/\d+">([^<]+)</a>', html.split('<table class="portfolio', 1)[1])


def text(html: str) -> str:
    """The page's words with tags and runs of white space reduced to one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def lead(app, ctx):
    """A consultant signed in through the form, as a browser is."""
    make_user(ctx, LEAD, "consultant")
    with browser(app, LEAD) as web:
        yield web


def adopt(client, org: int, email: str = LEAD, role: str = "consultant") -> None:
    assert client.post(f"/api/v1/organisations/{org}/members", json={"email": email, "role": role}).status_code == 201


# --- the portfolio ------------------------------------------------------------------


def test_the_portfolio_shows_the_last_submitted_level_stage_trend_and_open_steps(client, ctx, lead):
    org = make_org(client, "Northwind Outfitters", sector="Outdoor retail", size="250-1000 employees")
    adopt(client, org)
    first = submitted_persona(client, ctx, org, "2026-Q1", "loyalty-card")
    second = submitted_persona(client, ctx, org, "2026-Q2", "brand-monitor")
    progress = {p["period"]: p for p in client.get(f"/api/v1/organisations/{org}/progress").json()["periods"]}
    items = client.get(f"/api/v1/assessments/{second}/roadmap").json()["items"]
    client.patch(f"/api/v1/assessments/{second}/roadmap/{items[0]['id']}", json={"status": "in_progress"})
    client.patch(f"/api/v1/assessments/{second}/roadmap/{items[1]['id']}", json={"status": "done"})
    open_steps = len(items) - 1

    row = text(row_of(lead.get("/").text, "Northwind Outfitters"))
    now, before = progress["2026-Q2"], progress["2026-Q1"]
    assert now["progress"] > before["progress"]
    assert f"Level {now['level']}" in row and progress_text(now["progress"], 5) in row  # the PDF's figure, truncated
    assert f"Stage {now['stage']}" in row
    assert f"Up from {progress_figure(before['progress'])} in 2026-Q1" in row
    assert "2026-Q2" in row and "Outdoor retail · 250-1000 employees" in row
    assert re.search(rf"\b{open_steps} open roadmap steps for Northwind Outfitters", row)
    assert f'/assessments/{second}/roadmap"' in row_of(lead.get("/").text, "Northwind Outfitters")
    assert first != second


def test_a_large_portfolio_shows_fifty_at_a_time_with_pages_that_keep_the_search_and_sort(client, ctx, app):
    orgs = {
        f"Client {n:02}": make_org(client, f"Client {n:02}", sector="Retail" if n % 2 else "Travel")
        for n in range(1, 54)
    }
    submitted_persona(client, ctx, orgs["Client 53"], "2026-Q1", "loyalty-card")
    make_user(ctx, "boss@firm.test", "admin")
    with browser(app, "boss@firm.test") as admin:
        first = admin.get("/").text
        assert names_in_order(first) == [f"Client {n:02}" for n in range(1, 51)]
        assert "53 organisations, sorted by name: showing 1 to 50, page 1 of 2." in text(first)
        assert '<a href="/?page=2"' in first and 'rel="next"' in first and 'aria-current="page">1<' in first
        second = admin.get("/?page=2")
        assert names_in_order(second.text) == ["Client 51", "Client 52", "Client 53"]
        assert "showing 51 to 53, page 2 of 2." in text(second.text) and 'rel="prev"' in second.text
        assert names_in_order(admin.get("/?page=9").text) == names_in_order(second.text)  # past the last: the last
        # Sorting looks at every organisation, not only the page's: the one assessed comes first.
        assert names_in_order(admin.get("/?sort=level").text)[0] == "Client 53"
        retail = admin.get("/?q=retail&sort=level", headers=HTMX).text  # 27 match: one page, no pager
        assert "27 of 53 organisations match “retail”, sorted by level, highest first." in text(retail)
        assert 'class="pager"' not in retail
        travel = admin.get("/?q=travel&sort=open&archived=1", headers=HTMX).text
        assert 'class="pager"' not in travel
        everyone = admin.get("/?sort=open&archived=1", headers=HTMX).text
        assert 'hx-get="/?sort=open&amp;archived=1&amp;page=2"' in everyone
        for bad in ("0", "-1", "two"):
            refused = admin.get(f"/?page={bad}")
            assert refused.status_code == 400, bad
            assert f"Page '{bad}' is not a page number: use a whole number from 1" in html.unescape(text(refused.text))


def test_a_draft_shows_as_in_progress_without_changing_the_submitted_numbers(client, ctx, lead):
    org = make_org(client, "Acme")
    adopt(client, org)
    submitted_persona(client, ctx, org, "2026-Q1", "brand-monitor")
    draft = make_assessment(client, org, "2026-Q2", "executive-quick-check")
    answer(client, draft, "qc.social.listening", "ad_hoc")
    row = text(row_of(lead.get("/").text, "Acme"))
    assert "First assessment" in row and "2026-Q1" in row
    assert re.search(r"2026-Q2 in progress for Acme\s*: 1 of \d+ answered", row)
    assert f'/assessments/{draft}/answer"' in row_of(lead.get("/").text, "Acme")


def test_a_drafts_answered_count_follows_each_change_even_in_a_new_draft_with_a_deleted_ones_id(client, lead):
    org = make_org(client, "Acme")
    adopt(client, org)

    def counted() -> str:
        return re.search(r"in progress for Acme\s*: (\d+) of \d+ answered", text(row_of(lead.get("/").text, "Acme")))[1]

    draft = make_assessment(client, org, "2026-Q2", "executive-quick-check")
    answer(client, draft, "qc.customers.identified_share", "most")
    assert counted() == "1"
    answer(client, draft, "qc.customers.identified_share", "nearly_all")  # a change, not a new answer
    assert counted() == "1"
    answer(client, draft, "qc.customers.hear_and_respond", "mostly")
    assert counted() == "2"
    assert client.delete(f"/api/v1/assessments/{draft}").status_code == 204
    # SQLite gives the new draft the deleted one's id, and its two changes the ids the deleted ones had.
    again = make_assessment(client, org, "2026-Q2", "executive-quick-check")
    assert counted() == "0"
    answer(client, again, "qc.customers.identified_share", "most")
    answer(client, again, "qc.customers.hear_and_respond", "mostly")
    answer(client, again, "qc.customers.prevent_complaints", "occasionally")
    assert counted() == "3"


def test_an_organisation_never_assessed_reads_so(client, lead):
    adopt(client, make_org(client, "Brand new"))
    row = text(row_of(lead.get("/").text, "Brand new"))
    assert "Not assessed yet" in row and "Never submitted" in row


def test_trends_compare_at_the_precision_shown():
    assert trend_of(2.36, 2.24) == "up" and trend_of(2.24, 2.36) == "down"
    assert trend_of(2.31, 2.34) == "level" and trend_of(1.0, None) == "first" and trend_of(None, None) == "none"
    assert next_period("2026-Q4") == "2027-Q1" and next_period("2026-Q2") == "2026-Q3"


def test_search_by_name_or_sector_and_sort_by_each_column(client, ctx, lead):
    orgs = {
        name: make_org(client, name, sector=sector)
        for name, sector in (
            ("Zeta Bank", "Banking"),
            ("Alpha Outdoor", "Retail"),
            ("Mid Airline", "Travel"),
            ("Quiet Co", "Retail"),
        )
    }
    for org in orgs.values():
        adopt(client, org)
    submitted_persona(client, ctx, orgs["Zeta Bank"], "2026-Q1", "loyalty-card")
    submitted_persona(client, ctx, orgs["Mid Airline"], "2026-Q2", "airline-travel-logs")
    submitted_persona(client, ctx, orgs["Alpha Outdoor"], "2026-Q1", "brand-monitor")
    items = client.get(
        f"/api/v1/assessments/{make_assessment(client, orgs['Quiet Co'], '2026-Q1', 'executive-quick-check')}/roadmap"
    )
    assert items.status_code == 200

    assert names_in_order(lead.get("/").text) == ["Alpha Outdoor", "Mid Airline", "Quiet Co", "Zeta Bank"]
    assert names_in_order(lead.get("/?sort=level").text) == ["Mid Airline", "Alpha Outdoor", "Zeta Bank", "Quiet Co"]
    assert names_in_order(lead.get("/?sort=assessed").text) == ["Mid Airline", "Alpha Outdoor", "Zeta Bank", "Quiet Co"]
    by_steps = names_in_order(lead.get("/?sort=open").text)
    assert by_steps[-1] == "Quiet Co"  # nothing submitted: no open steps

    retail = lead.get("/?q=retail&sort=name")
    assert names_in_order(retail.text) == ["Alpha Outdoor", "Quiet Co"]
    assert "2 of 4 organisations match “retail”" in text(retail.text)
    assert 'value="retail"' in retail.text and '<option value="name" selected>' in retail.text
    assert names_in_order(lead.get("/?q=BANK").text) == ["Zeta Bank"]
    nothing = lead.get("/?q=nobody")
    assert (
        "No organisation’s name or sector contains “nobody”" in nothing.text
        and '<table class="portfolio' not in nothing.text
    )
    wrong = lead.get("/?sort=colour")
    assert (
        wrong.status_code == 400 and "use one of: name, level, assessed, open" in wrong.text and "<html" in wrong.text
    )


def test_sorting_by_level_reads_each_organisations_latest_submitted_period_not_its_best_or_its_draft(client, ctx, lead):
    orgs = {name: make_org(client, name) for name in ("Fell back", "Steady")}
    for org in orgs.values():
        adopt(client, org)
    submitted_persona(client, ctx, orgs["Fell back"], "2026-Q1", "airline-travel-logs")
    submitted_persona(client, ctx, orgs["Fell back"], "2026-Q2", "loyalty-card")
    submitted_persona(client, ctx, orgs["Steady"], "2026-Q1", "brand-monitor")
    make_assessment(client, orgs["Steady"], "2026-Q3")  # a draft neither sorts nor counts as assessed
    assert names_in_order(lead.get("/?sort=level").text) == ["Steady", "Fell back"]
    assert names_in_order(lead.get("/?sort=assessed").text) == ["Fell back", "Steady"]


def test_htmx_gets_the_table_alone_and_a_boosted_visit_or_plain_visit_the_whole_page(client, lead):
    adopt(client, make_org(client, "Alpha Outdoor", sector="Retail"))
    adopt(client, make_org(client, "Zeta Bank", sector="Banking"))
    fragment = lead.get("/?q=alpha&sort=level", headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.text and "<h1" not in fragment.text
    assert names_in_order(fragment.text) == ["Alpha Outdoor"]
    assert 'id="portfolio-count"' in fragment.text and 'hx-swap-oob="innerHTML"' in fragment.text
    assert "HX-Request" in fragment.headers["vary"]
    for headers in ({**HTMX, "HX-Boosted": "true"}, {**HTMX, "HX-History-Restore-Request": "true"}, {}):
        whole = lead.get("/?q=alpha", headers=headers)
        assert "<html" in whole.text and '<h1 tabindex="-1">Client organisations</h1>' in whole.text, headers
    form = lead.get("/").text
    assert 'hx-get="/"' in form and 'hx-target="#portfolio-results"' in form and 'hx-push-url="true"' in form
    assert 'method="get" action="/"' in form  # the same search works without JavaScript


def test_a_consultant_creates_an_organisation_and_lands_on_it(client, ctx, lead):
    token = csrf_of(lead.get("/").text)
    made = lead.post(
        "/organisations",
        data={"name": "  Fjord Fisheries ", "sector": "Food", "size": "50-250", "_csrf_token": token},
        follow_redirects=False,
    )
    assert made.status_code == 303
    org = int(re.fullmatch(r"/organisations/(\d+)\?notice=created", made.headers["location"]).group(1))
    page = lead.get(made.headers["location"])
    assert (
        page.status_code == 200
        and '<h1 tabindex="-1">Fjord Fisheries</h1>' in page.text
        and "Organisation created" in page.text
    )
    assert client.get(f"/api/v1/organisations/{org}/members").json()[0]["email"] == LEAD
    assert "Fjord Fisheries" in lead.get("/").text


def test_a_refused_organisation_keeps_what_was_typed(lead, client):
    token = csrf_of(lead.get("/").text)
    refused = lead.post(
        "/organisations", data={"name": "   ", "sector": "Kept <sector>", "size": "x" * 60, "_csrf_token": token}
    )
    assert refused.status_code == 400
    assert "name must not be blank" in refused.text or "name:" in refused.text
    assert 'value="Kept &lt;sector&gt;"' in refused.text and 'aria-invalid="true"' in refused.text
    assert 'role="alert"' in refused.text and "New client organisation" in refused.text
    assert client.get("/api/v1/organisations").json() == []


def test_members_and_viewers_see_no_new_organisation_form_and_cannot_post_it(app, ctx, client):
    org = make_org(client, "Acme")
    make_user(ctx, "member@acme.test", "member", org, "member")
    with browser(app, "member@acme.test") as web:
        page = web.get("/")
        assert (
            "Acme" in page.text
            and "New client organisation" not in page.text
            and 'action="/organisations"' not in page.text
        )
        refused = web.post("/organisations", data={"name": "Sneaky", "_csrf_token": csrf_of(page.text)})
        assert refused.status_code == 403 and "consultants create organisations" in refused.text


def test_anonymous_visitors_are_sent_to_sign_in(anonymous):
    response = anonymous.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")


# --- one organisation -----------------------------------------------------------------


def test_the_organisation_page_shows_periods_trend_roadmap_and_links(client, ctx, lead):
    org = make_org(client, "Northwind")
    adopt(client, org)
    first = submitted_persona(client, ctx, org, "2026-Q1", "loyalty-card")
    second = submitted_persona(client, ctx, org, "2026-Q2", "brand-monitor")
    items = client.get(f"/api/v1/assessments/{second}/roadmap").json()["items"]
    client.patch(
        f"/api/v1/assessments/{second}/roadmap/{items[0]['id']}", json={"status": "in_progress", "owner": "Dana Lee"}
    )
    page = lead.get(f"/organisations/{org}")
    assert page.status_code == 200
    html, words = page.text, text(page.text)
    progress = client.get(f"/api/v1/organisations/{org}/progress").json()["periods"]
    for point in progress:
        assert progress_text(point["progress"], 5) in words and point["confidence"] in words
    assert html.index("2026-Q2") < html.index("2026-Q1")  # the timeline starts with the latest period
    assert '<svg role="img"' in html and "The numbers behind the chart" in html
    assert "Current roadmap" in html and items[0]["title"] in html and "Dana Lee" in html and "In progress" in html
    for link in (
        f"/assessments/{second}/results",
        f"/assessments/{first}/roadmap",
        f"/organisations/{org}/access",
        f"/organisations/{org}/audit",
        f"/api/v1/organisations/{org}/export.json",
        f"/api/v1/organisations/{org}/answers.csv",
        f"/api/v1/organisations/{org}/scores.csv",
        f"/api/v1/assessments/{second}/report.pdf",
        f'action="/organisations/{org}/compare"',
    ):
        assert link in html, link
    assert (
        f'<option value="{first}" selected>' in html and f'<option value="{second}" selected>' in html
    )  # before, after


def test_starting_an_assessment_from_the_previous_periods_answers(client, ctx, lead):
    org = make_org(client, "Northwind")
    adopt(client, org)
    first = make_assessment(client, org, "2026-Q1", "executive-quick-check")
    assert answer(client, first, "qc.social.listening", "ad_hoc").status_code == 201
    assert client.post(f"/api/v1/assessments/{first}/submit").status_code == 200
    page = lead.get(f"/organisations/{org}").text
    expected = max(next_period("2026-Q1"), quarter_of(date.today()))
    assert f'name="period" type="text" value="{expected}"' in page
    assert f'name="baseline_assessment_id" type="checkbox" value="{first}" checked' in page
    assert "<strong>Full social-customer diagnostic</strong>: about 105 minutes, " in page
    assert "<strong>Executive quick check</strong>: about 15 minutes, 20 questions" in page
    assert "For executives and senior managers" in page  # who each questionnaire is for
    # The baseline's questionnaire, so its answers copy.
    assert re.search(r'value="executive-quick-check" checked', page)
    started = lead.post(
        f"/organisations/{org}/assessments",
        data={
            "questionnaire_id": "executive-quick-check",
            "period": "2031-Q1",
            "kind": "workshop",
            "baseline_assessment_id": str(first),
            "_csrf_token": csrf_of(page),
        },
        follow_redirects=False,
    )
    assert started.status_code == 303
    new = int(re.fullmatch(r"/assessments/(\d+)/answer", started.headers["location"]).group(1))
    made = client.get(f"/api/v1/assessments/{new}").json()
    assert (made["period"], made["kind"], made["baseline_assessment_id"], made["answered"]) == (
        "2031-Q1",
        "workshop",
        first,
        1,
    )
    # Unchecked, nothing is copied.
    plain = lead.post(
        f"/organisations/{org}/assessments",
        data={
            "questionnaire_id": "executive-quick-check",
            "period": "2031-Q2",
            "kind": "self_assessment",
            "_csrf_token": csrf_of(page),
        },
        follow_redirects=False,
    )
    fresh = int(plain.headers["location"].split("/")[2])
    assert client.get(f"/api/v1/assessments/{fresh}").json()["answered"] == 0


def test_a_refused_start_keeps_what_was_typed(client, lead):
    org = make_org(client, "Northwind")
    adopt(client, org)
    page = lead.get(f"/organisations/{org}").text
    assert "baseline_assessment_id" not in page  # nothing to start from yet
    assert f'value="{quarter_of(date.today())}"' in page
    refused = lead.post(
        f"/organisations/{org}/assessments",
        data={
            "questionnaire_id": "executive-quick-check",
            "period": "2026-Q5",
            "kind": "workshop",
            "_csrf_token": csrf_of(page),
        },
    )
    assert refused.status_code == 400 and "Period: &#39;2026-Q5&#39; is not a period" in refused.text
    assert 'value="2026-Q5"' in refused.text and '<option value="workshop" selected>' in refused.text
    assert re.search(r'value="executive-quick-check" checked', refused.text) and 'aria-invalid="true"' in refused.text
    assert client.get(f"/api/v1/organisations/{org}/assessments").json() == []


def test_a_viewer_reads_the_organisation_without_any_form(client, ctx, app):
    org = make_org(client, "Northwind")
    submitted_persona(client, ctx, org, "2026-Q1", "loyalty-card")
    make_user(ctx, "viewer@acme.test", "viewer", org, "viewer")
    with browser(app, "viewer@acme.test") as web:
        page = web.get(f"/organisations/{org}")
        assert page.status_code == 200 and "Current roadmap" in page.text
        assert "Start an assessment" not in page.text
        # The one form a viewer gets is their own way out.
        assert re.findall(r'method="post" action="(/organisations/[^"]+)"', page.text) == [
            f"/organisations/{org}/leave"
        ]
        assert (
            "export.json" not in page.text
            and "/audit" not in page.text
            and "New client organisation" not in web.get("/").text
        )
        refused = web.post(
            f"/organisations/{org}/assessments",
            data={"questionnaire_id": "executive-quick-check", "period": "2026-Q2", "_csrf_token": csrf_of(page.text)},
        )
        assert refused.status_code == 403


def test_a_member_may_start_an_assessment_but_sees_no_audit_log(client, ctx, app):
    org = make_org(client, "Northwind")
    make_user(ctx, "member@acme.test", "member", org, "member")
    with browser(app, "member@acme.test") as web:
        page = web.get(f"/organisations/{org}").text
        assert "Start an assessment" in page and "export.json" in page and f"/organisations/{org}/audit" not in page


def test_another_organisation_is_not_found(client, lead):
    theirs = make_org(client, "Somebody else's client")
    mine = make_org(client, "Mine")
    adopt(client, mine)
    page = lead.get(f"/organisations/{theirs}")
    assert page.status_code == 404 and "<html" in page.text and "Somebody else" not in page.text
    assert "Somebody else" not in lead.get("/").text
    refused = lead.post(
        f"/organisations/{theirs}/assessments",
        data={
            "questionnaire_id": "executive-quick-check",
            "period": "2026-Q2",
            "_csrf_token": csrf_of(lead.get("/").text),
        },
    )
    assert refused.status_code == 404
    assert lead.get("/organisations/999999").status_code == 404


def test_hostile_names_are_escaped_on_the_portfolio_and_organisation_pages(client, lead):
    name = '<script>alert(1)</script> "Co" & <img src=x onerror=alert(1)>'
    org = make_org(client, name, sector="<b>bold</b>", size="'&amp;'")
    adopt(client, org)
    for path in (
        "/",
        f"/organisations/{org}",
        "/?q=%3Cscript",
    ):
        html = lead.get(path).text
        assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>bold" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
    assert "&amp;amp;" in lead.get("/").text
    assert "&lt;script&gt;" in lead.get("/?q=%3Cscript", headers=HTMX).text


# --- content ---------------------------------------------------------------------------


def test_content_pages_are_public_and_credit_each_models_author(anonymous, ctx):
    index = anonymous.get("/content")
    assert index.status_code == 200
    for rubric in ctx.content.rubrics.values():
        assert escape(rubric.author) in index.text and f'/content/models/{rubric.model}"' in index.text
        model = anonymous.get(f"/content/models/{rubric.model}")
        assert model.status_code == 200
        assert escape(rubric.author) in model.text and escape(rubric.source) in model.text
        assert escape(rubric.summary.strip()) in model.text
    for qid in ctx.content.plans:
        assert f'/content/questionnaires/{qid}"' in index.text


def test_a_questionnaire_page_shows_questions_options_scores_help_and_criteria(anonymous, ctx):
    plan = ctx.content.plans["full-diagnostic"]
    page = anonymous.get("/content/questionnaires/full-diagnostic")
    assert page.status_code == 200
    question = plan.questionnaire.sections[0].questions[0]
    info = ctx.content.criteria[question.criterion]
    assert escape(question.text) in page.text and escape(question.help) in page.text
    assert f'/content/models/{info.model}#criterion-{info.id}"' in page.text
    for option in question.options:
        assert escape(option.label) in page.text and f"{option.score:.2f}" in page.text
    assert "Asked only when" in page.text  # show_if, as a sentence
    assert page.text.count('class="question"') == len(plan.questions)


def test_a_model_page_shows_criteria_findings_and_recommendations_with_effort_impact_owner(anonymous, ctx):
    rubric = ctx.content.rubrics["customer"]
    page = anonymous.get("/content/models/customer")
    words = text(page.text)
    rec = rubric.recommendations[0]
    assert escape(rec.title) in page.text and escape(rec.owner) in page.text
    assert f"Effort {rec.effort}" in words and f"Impact {rec.impact} of 3" in words
    assert "Recommended when" in page.text and "Raised when" in page.text
    assert "Feedback-channel audit worksheet" in page.text
    ladder = anonymous.get("/content/models/socialfication").text
    assert "Level 1." in ladder and "Asked by" in ladder and ctx.content.rubrics["socialfication"].floor.name in ladder


def test_the_methodology_page_is_public_with_its_sections_a_contents_list_and_tables(anonymous, settings):
    source = (settings.content_dir / "docs" / "methodology.md").read_text(encoding="utf-8")
    sections = [line[3:].strip() for line in source.splitlines() if line.startswith("## ")]
    page = anonymous.get("/methodology")
    assert page.status_code == 200
    assert '<h1 tabindex="-1">How Tribewise reaches its diagnosis</h1>' in page.text
    article = page.text.split('<article class="doc">', 1)[1]
    anchors = re.findall(r'<h2 id="([^"]+)">', article)
    contents = page.text.split('class="doc-contents"', 1)[1].split("</nav>", 1)[0]
    assert len(sections) > 5 and len(anchors) == len(sections)
    for anchor in anchors:
        assert f'href="#{anchor}"' in contents
    assert [html.unescape(h) for h in re.findall(r"<h2 [^>]*>([^<]+)</h2>", article)] == sections
    assert '<div class="table-scroll"' in page.text and "<th>" in page.text and "<td>" in page.text


def test_the_models_page_links_to_the_methodology(anonymous):
    index = anonymous.get("/content").text
    assert '<a href="/methodology">How Tribewise reaches its diagnosis</a>' in index


def test_markdown_rendering_escapes_raw_html_and_anchors_each_section():
    document = render_markdown(
        "# Title\n\n## First *part*\n\n<script>alert(1)</script>\n\n"
        "<img src=x onerror=alert(1)>\n\n## First part\n\n[x](javascript:alert(1))\n"
    )
    assert "<script>" not in document.body and "&lt;script&gt;alert(1)&lt;/script&gt;" in document.body
    assert "<img" not in document.body and "&lt;img src=x" in document.body and "href=" not in document.body
    assert document.title == "Title" and "<h1>" not in document.body
    assert [(h.text, h.anchor) for h in document.contents] == [
        ("First part", "first-part"),
        ("First part", "first-part-2"),
    ]
    assert '<h2 id="first-part">First <em>part</em></h2>' in document.body


def test_the_methodology_page_says_so_when_its_text_is_missing(settings, tmp_path):
    content = tmp_path / "content"
    for folder in ("questionnaires", "rubrics"):
        shutil.copytree(settings.content_dir / folder, content / folder)
    with TestClient(app=create_app(replace(settings, content_dir=content)), base_url=BASE) as web:
        page = web.get("/methodology")
    assert page.status_code == 503 and "not available on this installation" in page.text
    assert '<a href="/content">' in page.text


def test_unknown_content_is_a_friendly_not_found(anonymous):
    for path in ("/content/questionnaires/nope", "/content/models/nope"):
        response = anonymous.get(path)
        assert response.status_code == 404 and "<html" in response.text and "not found" in response.text, path


def test_a_first_assessment_defaults_to_the_quick_check_and_a_full_diagnostic_baseline_to_the_full_diagnostic(
    client, lead
):
    org = make_org(client, "Southwind")
    adopt(client, org)
    page = lead.get(f"/organisations/{org}").text
    assert re.search(r'value="executive-quick-check" checked', page) and 'value="full-diagnostic" checked' not in page
    make_assessment(client, org, "2026-Q1", "full-diagnostic")
    page = lead.get(f"/organisations/{org}").text
    assert re.search(r'value="full-diagnostic" checked', page)


def test_a_consultant_sees_client_organisations_and_an_executive_their_own(app, client, ctx, lead):
    org = make_org(client, "Eastwind")
    make_user(ctx, "ceo@eastwind.test", organisation_id=org, member_role="member")
    assert '<h1 tabindex="-1">Client organisations</h1>' in lead.get("/").text
    with browser(app, "ceo@eastwind.test") as web:
        own = web.get("/").text
        assert '<h1 tabindex="-1">Your organisations</h1>' in own and "Client organisations" not in own
        assert "Eastwind" in own


def test_each_scrolling_table_of_a_document_is_a_region_named_after_the_heading_it_stands_under():
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    body = str(render_markdown(f"# T\n\n{table}\n## Levels & gates\n\n{table}\n{table}\n## Stages\n\n{table}").body)
    names = re.findall(r'role="region" aria-label="([^"]*)"', body)
    assert names == [
        "Table 1",
        "Table under “Levels &amp; gates”",
        "Table under “Levels &amp; gates”, 2",
        "Table under “Stages”",
    ]
    assert len(set(names)) == len(names)
