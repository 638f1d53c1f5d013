"""The audit worksheet in a real browser: a workshop ticks the grid and names an owner, each saved in place, kept
after a reload, undone back to what the answers say; the same without scripts; axe-core clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from backend.schemas.views import OrganisationCreate
from backend.services.organisations import organisations
from backend.services.organisations.members import MemberCreate, add_member
from e2e.conftest import answered_diagnostic, check_accessibility, sign_in


@pytest.fixture(scope="module")
def draft(server) -> int:
    """A full diagnostic answered as the anonymous company (no channel in use), lead@firm.test its consultant."""
    ctx = server.context()
    try:
        org = organisations.create_organisation(ctx, OrganisationCreate(name="Worksheet Outfitters"))
        add_member(ctx, org.id, MemberCreate(email="lead@firm.test", role="consultant"))
        return answered_diagnostic(ctx, org.id, "2026-Q3", "anonymous").id
    finally:
        ctx.db.dispose()


def moment_row(page: Page, name: str):
    return page.locator("#worksheet-moments tr", has=page.get_by_role("rowheader", name=name))


def test_a_workshop_edits_the_grid_and_an_owner_in_place_and_finds_them_after_a_reload(page: Page, draft: int):
    sign_in(page, "lead@firm.test")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/assessments/{draft}/results")
    page.get_by_role("link", name="Audit worksheet").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback-channel audit worksheet, 2026-Q3")
    reviews = page.locator("#channel-reviews")
    expect(reviews.get_by_role("button", name=re.compile("^Save"))).to_be_hidden()  # each change saves itself
    expect(moment_row(page, "Buy")).to_contain_text("Gap")
    # Mark the channel in use: the moments it captures are covered at once, in words.
    reviews.get_by_role("combobox", name="In use? Ratings and reviews").select_option("in_use")
    expect(reviews.locator("[data-save-status]")).to_have_text("Saved")
    expect(reviews).to_contain_text("Changed by the team")
    expect(moment_row(page, "Buy")).to_contain_text("Covered")
    expect(moment_row(page, "Buy")).to_contain_text("Ratings and reviews")
    # Tick a moment it was not proposed for, from the keyboard: the keyboard stays on the box.
    tick = reviews.get_by_role("checkbox", name=re.compile("^Get help or complain"))
    tick.focus()
    page.keyboard.press("Space")
    expect(page.locator("#announce")).to_contain_text("Saved: Ratings and reviews.")
    expect(reviews.get_by_role("checkbox", name=re.compile("^Get help or complain"))).to_be_checked()
    expect(reviews.get_by_role("checkbox", name=re.compile("^Get help or complain"))).to_be_focused()
    expect(
        reviews.get_by_role("checkbox", name="Get help or complain changed by the team; the worksheet proposed not")
    ).to_be_visible()
    expect(moment_row(page, "Get help or complain")).to_contain_text("Covered")
    # An owner for step 1, saved on leaving the field.
    step = page.locator("#step-1")
    owner = step.get_by_role("textbox", name="Owner of step 1")
    owner.fill("Dana <Reyes> & co")
    page.keyboard.press("Tab")
    expect(page.locator("#announce")).to_contain_text("owner Dana <Reyes> & co")
    step.get_by_role("combobox", name="Status of step 1").select_option("in_progress")
    expect(step.locator("[data-save-status]")).to_have_text("Saved")
    check_accessibility(page, "worksheet")
    page.reload()
    reviews = page.locator("#channel-reviews")
    expect(reviews.get_by_role("combobox", name="In use? Ratings and reviews")).to_have_value("in_use")
    expect(reviews.get_by_role("checkbox", name=re.compile("^Get help or complain"))).to_be_checked()
    expect(page.get_by_role("textbox", name="Owner of step 1")).to_have_value("Dana <Reyes> & co")
    expect(page.get_by_role("combobox", name="Status of step 1")).to_have_value("in_progress")
    expect(moment_row(page, "Buy")).to_contain_text("Covered")
    # Back to what the answers say: the team's changes to the channel are gone, the gap is back.
    reviews.get_by_role("button", name="Back to what the answers say for Ratings and reviews").click()
    expect(page.locator("#channel-reviews")).not_to_contain_text("Changed by the team")
    expect(moment_row(page, "Buy")).to_contain_text("Gap")
    page.reload()
    expect(page.locator("#channel-reviews").get_by_role("combobox", name="In use? Ratings and reviews")).to_have_value(
        "as_answers"
    )
    expect(page.get_by_role("textbox", name="Owner of step 1")).to_have_value("Dana <Reyes> & co")


def test_without_scripts_a_channel_is_saved_with_its_save_button(browser, server, draft: int):
    context = browser.new_context(base_url=server.base, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, "lead@firm.test")
        page.goto(f"/assessments/{draft}/worksheet")
        community = page.locator("#channel-community")
        community.get_by_role("combobox", name="In use? Community forum or groups").select_option("in_use")
        community.get_by_role("checkbox", name=re.compile("^Renew, recommend or leave")).check()
        community.get_by_role("button", name="Save Community forum or groups").click()
        expect(page.locator(".notice")).to_have_text("Saved: Community forum or groups.")
        community = page.locator("#channel-community")
        expect(community.get_by_role("checkbox", name=re.compile("^Renew, recommend or leave"))).to_be_checked()
        expect(community).to_contain_text("Changed by the team")
        expect(moment_row(page, "Renew, recommend or leave")).to_contain_text("Community forum or groups")
    finally:
        context.close()
