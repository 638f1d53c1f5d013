"""The portfolio, an organisation and the content pages in a real browser: keyboard forms, htmx search and sort, axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from backend.schemas.views import OrganisationCreate
from backend.services.accounts import users
from backend.services.demo import load_demo
from backend.services.organisations.members import MemberCreate, add_member
from backend.services.organisations.organisations import create_organisation
from e2e.conftest import PASSWORD, assert_fits, check_accessibility, screenshot, sign_in

CLIENT = "Fjord & Fell Provisions"


@pytest.fixture(scope="module")
def demo(server) -> int:
    """The demo organisation (three submitted quarters and a draft), with lead@firm.test its consultant."""
    ctx = server.context()
    try:
        org = load_demo(ctx)
        add_member(ctx, org.id, MemberCreate(email="lead@firm.test", role="consultant"))
        return org.id
    finally:
        ctx.db.dispose()


def test_a_consultant_creates_a_client_starts_a_diagnostic_then_finds_it_in_the_portfolio(page: Page, demo: int):
    sign_in(page, "lead@firm.test")
    expect(page.get_by_role("heading", name="Client organisations")).to_be_visible()
    expect(page.get_by_role("link", name="Northwind Outfitters", exact=True)).to_be_visible()
    check_accessibility(page, "portfolio")

    # A new client through the form, with the keyboard only.
    page.get_by_label("Name", exact=True).focus()
    page.keyboard.type(CLIENT)
    page.keyboard.press("Tab")
    page.keyboard.type("Food and drink")
    page.keyboard.press("Tab")
    page.keyboard.type("50-250 employees")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Assessed")).to_be_focused()  # every quarter unless changed
    expect(page.get_by_label("Assessed")).to_have_value("1")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Create organisation")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=CLIENT)).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("Organisation created")
    expect(page).to_have_url(re.compile(r"/organisations/\d+\?notice=created$"))

    # Start a full diagnostic for this quarter.
    page.get_by_role("radio", name=re.compile(r"^Full social-customer diagnostic: about \d+ minutes")).check()
    expect(page.get_by_role("textbox", name="Period")).to_have_value(re.compile(r"^\d{4}-Q[1-4]$"))
    check_accessibility(page, "organisation-new-client")
    page.get_by_role("button", name="Start the assessment").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/assessments/\d+/answer"))

    # Back to the portfolio: the new client has a draft in progress.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organisations").click()
    # The keyboard lands on the heading once the page has settled (htmx has wired the search box to the table).
    expect(page.get_by_role("heading", name="Client organisations")).to_be_focused()
    search = page.get_by_label("Search by name or sector")
    search.fill("fjord")
    expect(page).to_have_url(re.compile(r"[?&]q=fjord"))
    table = page.locator("#portfolio-results")
    expect(table.get_by_role("link", name=CLIENT, exact=True)).to_be_visible()
    expect(table.get_by_role("link", name="Northwind Outfitters", exact=True)).to_have_count(0)
    expect(table).to_contain_text("in progress")
    expect(page.locator("#portfolio-count")).to_contain_text("1 of")
    expect(search).to_be_focused()  # the table was swapped, not the search box

    # Sort the whole portfolio by level: Northwind (level 3) comes before the new client (not assessed).
    search.fill("")
    page.get_by_label("Sort by").select_option("level")
    expect(page).to_have_url(re.compile(r"sort=level"))
    names = table.locator("tbody th a")
    # Other tests share this server and add clients of their own: check the order of these two only.
    expect(names).to_contain_text(["Northwind Outfitters", CLIENT])
    northwind = table.get_by_role("row").filter(has=page.get_by_role("link", name="Northwind Outfitters", exact=True))
    expect(northwind).to_contain_text("Up from")
    screenshot(page, "portfolio-sorted-by-level")

    # History works: back to the search, and the address alone gives the same page.
    page.go_back()
    expect(page).to_have_url(re.compile(r"q=fjord"))
    expect(page.locator("#portfolio-results").get_by_role("link", name=CLIENT, exact=True)).to_be_visible()
    page.goto("/?q=northwind&sort=open")
    expect(page.get_by_label("Search by name or sector")).to_have_value("northwind")
    expect(page.get_by_label("Sort by")).to_have_value("open")


def test_the_portfolio_reads_on_a_phone(page: Page, demo: int):
    sign_in(page, "lead@firm.test")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    expect(page.get_by_role("link", name="Northwind Outfitters", exact=True)).to_be_visible()
    assert_fits(page)
    check_accessibility(page, "portfolio-375")


def test_the_organisation_page_shows_periods_trend_and_roadmap(page: Page, demo: int):
    sign_in(page, "lead@firm.test")
    page.goto(f"/organisations/{demo}")
    expect(page.get_by_role("heading", level=1, name="Northwind Outfitters")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Socialfication level and Solis stage"))).to_be_visible()
    expect(page.get_by_role("table", name="The numbers behind the chart")).to_contain_text("2026-Q3")
    expect(page.get_by_role("heading", name="Current roadmap")).to_be_visible()
    expect(page.get_by_role("textbox", name="Period")).to_have_value(re.compile(r"^\d{4}-Q[1-4]$"))
    expect(page.get_by_label(re.compile("Start from the answers of 2026-Q4"))).to_be_checked()
    check_accessibility(page, "organisation")
    page.set_viewport_size({"width": 375, "height": 800})
    assert_fits(page)
    screenshot(page, "organisation-375")


@pytest.mark.parametrize(
    "path",
    [
        "/content",
        "/content/questionnaires/executive-quick-check",
        "/content/models/customer",
        "/content/models/socialfication",
    ],
)
def test_the_content_pages_pass_axe_without_signing_in(page: Page, path: str):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if path.startswith("/content/models/"):
        expect(page.locator(".credit-box .author")).to_be_visible()
    check_accessibility(page, "content" + path.removeprefix("/content").replace("/", "-"))


def test_the_methodology_page_has_a_contents_list_passes_axe_and_reads_on_a_phone(page: Page):
    page.goto("/content")
    page.get_by_role("link", name="How Tribewise reaches its diagnosis").click()
    expect(page).to_have_url(re.compile(r"/methodology$"))
    expect(page.get_by_role("heading", level=1, name="How Tribewise reaches its diagnosis")).to_be_visible()
    contents = page.get_by_role("navigation", name="On this page")
    contents.get_by_role("link", name="Findings", exact=True).click()
    expect(page).to_have_url(re.compile(r"#findings$"))
    expect(page.get_by_role("heading", level=2, name="Findings", exact=True)).to_be_in_viewport()
    expect(page.locator("article table").first).to_be_visible()
    check_accessibility(page, "methodology")
    page.set_viewport_size({"width": 390, "height": 800})
    assert_fits(page)
    screenshot(page, "methodology-390")


def test_a_portfolio_of_many_clients_pages_with_htmx_passes_axe_and_fits_a_phone(page: Page, server):
    ctx = server.context()
    try:  # a consultant of 52 clients, named to sort after every other test's organisations
        users.create_user(ctx, users.UserCreate(email="pages@firm.test", role="consultant", password=PASSWORD))
        for n in range(1, 53):
            made = create_organisation(ctx, OrganisationCreate(name=f"Zz client {n:02}", sector="Retail"))
            add_member(ctx, made.id, MemberCreate(email="pages@firm.test", role="consultant"))
    finally:
        ctx.db.dispose()
    sign_in(page, "pages@firm.test")
    count = page.locator("#portfolio-count")
    expect(count).to_have_text("52 organisations, sorted by name: showing 1 to 50, page 1 of 2.")
    check_accessibility(page, "portfolio-pages")
    page.get_by_role("link", name="Next page").click()
    expect(count).to_have_text("52 organisations, sorted by name: showing 51 to 52, page 2 of 2.")
    expect(page).to_have_url(re.compile(r"/\?page=2$"))
    expect(page.get_by_role("link", name="Zz client 52", exact=True)).to_be_visible()
    expect(page.locator(".pager [aria-current=page]")).to_have_text("2")
    page.set_viewport_size({"width": 390, "height": 800})
    assert_fits(page)
    check_accessibility(page, "portfolio-pages-phone")
