"""Results, roadmap and compare in a real browser: charts, axe-core, keyboard edits, PDF downloads."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from backend.schemas.views import OrganisationCreate, RoadmapItemPatch
from backend.services.accounts import users
from backend.services.assessments import assessments, roadmaps
from backend.services.organisations import organisations
from backend.services.organisations.members import MemberCreate, add_member
from e2e.conftest import PASSWORD, answered_diagnostic, check_accessibility, screenshot, sign_in

ORGANISATION = "Results & Roadmaps Outfitters"


@dataclass(frozen=True)
class Periods:
    organisation: int
    before: int  # 2026-Q3, level 0
    after: int  # 2026-Q4, level 2


@pytest.fixture(scope="module")
def periods(server) -> Periods:
    """Two submitted periods answered as personas, with lead@firm.test the organisation's consultant."""
    ctx = server.context()
    try:
        org = organisations.create_organisation(ctx, OrganisationCreate(name=ORGANISATION, sector="Outdoor retail"))
        add_member(ctx, org.id, MemberCreate(email="lead@firm.test", role="consultant"))
        first = answered_diagnostic(ctx, org.id, "2026-Q3", "anonymous")
        audit = next(
            i for i in roadmaps.roadmap_of(ctx, first.id).items if i.recommendation_id == "feedback_channel_audit"
        )
        roadmaps.update_item(ctx, first.id, audit.id, RoadmapItemPatch(status="done"))
        assessments.submit_assessment(ctx, first.id)
        second = answered_diagnostic(ctx, org.id, "2026-Q4", "brand-monitor", first.id)
        assessments.submit_assessment(ctx, second.id)
        return Periods(org.id, first.id, second.id)
    finally:
        ctx.db.dispose()


def test_results_show_level_stage_and_charts_and_pass_axe(page: Page, periods: Periods):
    sign_in(page, "lead@firm.test")
    page.goto(f"/assessments/{periods.after}/results")
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for 2026-Q4")
    expect(page.get_by_text("Level 2, 0 % of the way to level 3")).to_be_visible()
    expect(page.get_by_text("Stage 2, 73 % of the way to stage 3")).to_be_visible()
    for chart in ("Socialfication ladder", "Solis stages by element", "The social stack as a radar"):
        expect(page.get_by_role("group", name=re.compile(chart))).to_be_visible()  # of links to the answers
    expect(page.get_by_role("heading", name=re.compile("Feedback is heard but the loop is not closed"))).to_be_visible()
    expect(page.get_by_role("list", name=re.compile("Answers behind Feedback is heard"))).to_contain_text(
        "No regular feedback report"
    )
    check_accessibility(page, "results")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    check_accessibility(page, "results-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the results page scrolls sideways at 375 px"


def test_roadmap_steps_change_in_place_without_a_save_button_and_persist(page: Page, periods: Periods):
    sign_in(page, "lead@firm.test")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/assessments/{periods.after}/roadmap")
    expect(page.get_by_role("heading", name=re.compile("^Now: this quarter"))).to_be_visible()
    # One row per step: the 13 steps as cards with their details and a form each ran to 11,125 px.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, f"the roadmap is {height} px tall at 1366 px"
    row = page.locator(f"#{page.locator('ol.steps > li').first.get_attribute('id')}")
    expect(row.get_by_role("button", name=re.compile("^Save"))).to_be_hidden()  # each change saves itself
    status = row.get_by_role("combobox", name=re.compile("^Status"))
    status.focus()
    page.keyboard.press("ArrowDown")  # planned -> in progress, saved at once
    expect(row.locator("[data-save-status]")).to_have_text("Saved")
    expect(page.locator("#announce")).to_contain_text("In progress")
    expect(status).to_be_focused()  # the row came back with the keyboard where it was
    page.keyboard.press("Tab")
    expect(row.get_by_role("textbox", name=re.compile("^Owner"))).to_be_focused()
    page.keyboard.type("Dana <CX> & co")
    page.keyboard.press("Tab")  # leaving the field saves it
    expect(page.locator("#announce")).to_contain_text("owner Dana <CX> & co")
    due = row.get_by_role("combobox", name=re.compile("^Due quarter"))
    expect(due).to_be_focused()
    due.select_option("2027-Q1")
    expect(page.locator("#announce")).to_contain_text("due 2027-Q1")
    expect(row.locator("[data-save-status]")).to_have_text("Saved")
    # The details open from the keyboard: the next stop after the row's controls.
    page.keyboard.press("Tab")
    summary = row.locator("summary").first
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(row.get_by_text("Triggered by")).to_be_visible()
    expect(row.get_by_text("Success measure")).to_be_visible()
    check_accessibility(page, "roadmap")
    page.reload()
    again = page.locator(f"#{row.get_attribute('id')}")
    expect(again.get_by_role("combobox", name=re.compile("^Status"))).to_have_value("in_progress")
    expect(again.get_by_role("textbox", name=re.compile("^Owner"))).to_have_value("Dana <CX> & co")
    expect(again.get_by_role("combobox", name=re.compile("^Due quarter"))).to_have_value("2027-Q1")
    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    check_accessibility(page, "roadmap-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the roadmap scrolls sideways at 390 px"


def test_a_step_changed_by_someone_else_is_refused_in_its_row(page: Page, periods: Periods, server):
    sign_in(page, "lead@firm.test")
    page.goto(f"/assessments/{periods.after}/roadmap")
    row = page.locator(f"#{page.locator('ol.steps > li').nth(1).get_attribute('id')}")
    item_id = int(row.get_attribute("id").removeprefix("item-"))
    ctx = server.context()
    try:
        roadmaps.update_item(ctx, periods.after, item_id, RoadmapItemPatch(owner="Someone else"))
    finally:
        ctx.db.dispose()
    row.get_by_role("combobox", name=re.compile("^Status")).select_option("done")
    expect(row.get_by_role("alert")).to_contain_text("someone else changed this step")
    expect(row.get_by_role("alert")).to_contain_text("You tried: status Done")
    expect(row.locator("[data-save-status]")).to_have_text("Not saved")
    expect(row.get_by_role("textbox", name=re.compile("^Owner"))).to_have_value("Someone else")
    expect(row.get_by_role("combobox", name=re.compile("^Status"))).to_have_value("planned")
    screenshot(page, "roadmap-conflict")


def test_without_scripts_a_step_is_saved_with_its_save_button(browser, server, periods: Periods):
    context = browser.new_context(base_url=server.base, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, "lead@firm.test")
        page.goto(f"/assessments/{periods.after}/roadmap")
        row = page.locator(f"#{page.locator('ol.steps > li').nth(2).get_attribute('id')}")
        row.get_by_role("combobox", name=re.compile("^Due quarter")).select_option("2027-Q2")
        row.get_by_role("button", name=re.compile("^Save")).click()
        expect(page.get_by_text(re.compile("^Saved: "))).to_be_visible()
        expect(row.get_by_role("combobox", name=re.compile("^Due quarter"))).to_have_value("2027-Q2")
    finally:
        context.close()


def test_a_viewer_reads_each_step_in_a_row_with_what_is_overdue(page: Page, periods: Periods, server):
    ctx = server.context()
    try:
        users.create_user(ctx, users.UserCreate(email="reader@firm.test", role="member", password=PASSWORD))
        add_member(ctx, periods.organisation, MemberCreate(email="reader@firm.test", role="viewer"))
        item = roadmaps.roadmap_of(ctx, periods.after).items[4]
        roadmaps.update_item(ctx, periods.after, item.id, RoadmapItemPatch(due_period="2000-Q2", owner="Sam"))
    finally:
        ctx.db.dispose()
    sign_in(page, "reader@firm.test")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"/assessments/{periods.after}/roadmap")
    expect(page.locator("#overdue-count")).to_have_text("1 step overdue")
    row = page.locator(f"#item-{item.id}")
    expect(row.locator(".overdue")).to_have_text("Overdue since 2000-Q2")
    expect(row).to_contain_text("Sam")
    expect(row.get_by_role("combobox")).to_have_count(0)
    check_accessibility(page, "roadmap-viewer-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the roadmap scrolls sideways at 390 px"


@pytest.mark.parametrize("link, pages", [("Full report (PDF)", None), ("One-page summary (PDF)", 1)])
def test_the_pdf_links_download_real_reports(page: Page, periods: Periods, link: str, pages: int | None):
    sign_in(page, "lead@firm.test")
    page.goto(f"/assessments/{periods.after}/results")
    with page.expect_download() as download:
        page.get_by_role("link", name=link).click()
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert ORGANISATION in text and "2026-Q4" in text
    assert pages is None and len(reader.pages) > 3 or len(reader.pages) == pages


def test_compare_two_periods_passes_axe_and_pushes_the_url(page: Page, periods: Periods):
    sign_in(page, "lead@firm.test")
    page.goto(f"/organisations/{periods.organisation}/compare")
    expect(page.get_by_role("heading", name="2026-Q3 compared with 2026-Q4")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Roadmap steps done"))).to_be_visible()
    expect(page.locator("#comparison")).to_contain_text("Run a feedback-channel audit")
    check_accessibility(page, "compare")
    # Pick the sides the other way round: the comparison updates in place, older first, at an address to share.
    page.get_by_label("Before").select_option(str(periods.after))
    page.get_by_label("After").select_option(str(periods.before))
    page.get_by_role("button", name="Compare").press("Enter")
    expect(page.locator("#announce")).to_have_text("Showing 2026-Q3 compared with 2026-Q4.")
    expect(page).to_have_url(
        re.compile(rf"/organisations/{periods.organisation}/compare\?before={periods.before}&after={periods.after}$")
    )
    expect(page.get_by_label("Before")).to_have_value(str(periods.before))
    expect(page.get_by_role("button", name="Compare")).to_be_focused()
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    check_accessibility(page, "compare-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the compare page scrolls sideways at 375 px"


@pytest.mark.parametrize("width", [1366, 390])
def test_compare_tells_what_changed_in_charts_and_words_before_the_tables(page: Page, periods: Periods, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "lead@firm.test")
    page.goto(f"/organisations/{periods.organisation}/compare")
    story = page.locator("#comparison")
    # The story comes first: what changed, the ladders, the radar and the heat map; then the tables.
    headings = story.get_by_role("heading", level=3).all_inner_texts()
    assert headings[:5] == [
        "What changed",
        "Levels and stages in 2026-Q3 and 2026-Q4",
        "The social stack in 2026-Q3 and 2026-Q4 · Thomas Vander Wal (adapted for CRM by Paul Greenberg)",
        "The ten stages of social media integration: what changed by element · Brian Solis",
        "The figures in detail",
    ], headings
    summary = page.locator("ul.summary")
    expect(summary).to_contain_text("Socialfication maturity: up two levels, from 0 to 2.")
    expect(summary).to_contain_text("Biggest gains: Listening, +100\u00a0points, from 0\u00a0% to 100\u00a0%")
    for chart in (
        "Socialfication maturity, 2026-Q3 and 2026-Q4: up two levels, from 0 to 2",
        "The ten stages of social media integration, 2026-Q3 and 2026-Q4: up two stages, from 0 to 2",
        "The social stack in 2026-Q3 and 2026-Q4 as a radar",
        "The ten stages of social media integration by element, what changed from 2026-Q3 to 2026-Q4",
    ):
        chart_box = page.get_by_role("img", name=re.compile(f"^{re.escape(chart)}")).bounding_box()
        assert chart_box and chart_box["width"] <= width - 20, f"{chart} is {chart_box} wide at {width} px"
    # A gain points at the changed answers behind it: the link lands on that row of the table.
    summary.get_by_role("link").first.click()
    expect(page.locator(".answers-changed tr:target")).to_have_count(1)
    expect(page.locator(".answers-changed tr:target td").first).to_be_in_viewport()
    # Each chart's numbers are a table away.
    page.get_by_text("The elements as a table").click()
    expect(page.get_by_role("table", name=re.compile("each element's score in 2026-Q3 and 2026-Q4"))).to_contain_text(
        "Listening"
    )
    check_accessibility(page, f"compare-story-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"the compare page scrolls at {width} px"
