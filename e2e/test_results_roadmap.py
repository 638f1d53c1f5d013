"""Results, roadmap and compare in a real browser: charts, axe-core, keyboard edits, PDF downloads."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from backend.schemas.views import OrganisationCreate, RoadmapItemPatch
from backend.services.assessments import assessments, roadmaps
from backend.services.organisations import organisations
from backend.services.organisations.members import MemberCreate, add_member
from e2e.conftest import answered_diagnostic, check_accessibility, screenshot, sign_in

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
        expect(page.get_by_role("img", name=re.compile(chart))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Feedback is heard but the loop is not closed"))).to_be_visible()
    expect(page.get_by_role("list", name=re.compile("Answers behind Feedback is heard"))).to_contain_text(
        "No regular feedback report"
    )
    check_accessibility(page, "results")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    check_accessibility(page, "results-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the results page scrolls sideways at 375 px"


def test_roadmap_status_and_owner_change_with_the_keyboard_and_persist(page: Page, periods: Periods):
    sign_in(page, "lead@firm.test")
    page.goto(f"/assessments/{periods.after}/roadmap")
    expect(page.get_by_role("heading", name=re.compile("^Now: this quarter"))).to_be_visible()
    step = page.locator("ol.steps > li").first
    item_id = step.get_attribute("id")
    status = step.get_by_role("combobox", name=re.compile("^Status"))
    status.focus()
    page.keyboard.press("ArrowDown")  # planned -> in progress
    expect(status).to_have_value("in_progress")
    page.keyboard.press("Tab")
    expect(step.get_by_role("textbox", name=re.compile("^Owner"))).to_be_focused()
    page.keyboard.type("Dana <CX> & co")
    page.keyboard.press("Tab")
    page.keyboard.type("2027-Q1")
    page.keyboard.press("Tab")
    expect(step.get_by_role("button", name=re.compile("^Save"))).to_be_focused()
    page.keyboard.press("Enter")
    swapped = page.locator(f"#{item_id}")
    expect(swapped.locator("[data-save-status]")).to_have_text("Saved")
    expect(page.locator("#announce")).to_contain_text("Saved:")
    expect(swapped.get_by_role("button", name=re.compile("^Save"))).to_be_focused()  # focus kept for the next change
    check_accessibility(page, "roadmap")
    page.reload()
    again = page.locator(f"#{item_id}")
    expect(again.get_by_role("combobox", name=re.compile("^Status"))).to_have_value("in_progress")
    expect(again.get_by_role("textbox", name=re.compile("^Owner"))).to_have_value("Dana <CX> & co")
    expect(again.get_by_role("textbox", name=re.compile("^Due period"))).to_have_value("2027-Q1")
    expect(again.locator(".step-tags")).to_contain_text("In progress")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    check_accessibility(page, "roadmap-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the roadmap scrolls sideways at 375 px"


def test_a_bad_due_period_is_explained_in_the_step(page: Page, periods: Periods):
    sign_in(page, "lead@firm.test")
    page.goto(f"/assessments/{periods.after}/roadmap")
    step = page.locator("ol.steps > li").nth(1)
    item_id = step.get_attribute("id")
    step.get_by_role("textbox", name=re.compile("^Due period")).fill("2027-Q5")
    step.get_by_role("button", name=re.compile("^Save")).click()
    swapped = page.locator(f"#{item_id}")
    expect(swapped.get_by_role("alert")).to_contain_text("such as 2026-Q4")
    expect(swapped.get_by_role("textbox", name=re.compile("^Due period"))).to_have_value("2027-Q5")
    screenshot(page, "roadmap-error")


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
