"""Whole journeys across the screens: an executive's quick check by keyboard, a consultant's two periods."""

from __future__ import annotations

import io
import re
import uuid

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from backend.schemas.views import OrganisationCreate
from backend.services.organisations import members, organisations
from e2e.conftest import check_accessibility, sign_in


def _press_until_focused(page: Page, locator, limit: int = 60) -> None:
    """Tab forward until the element has the focus, as a keyboard user would."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError("not reachable with the Tab key")


def _answer_section_with_keyboard(page: Page) -> None:
    """Every question of the section shown: Tab to its first choice, Space picks it, wait for Saved."""
    index = 0
    while index < page.locator(".question:has(form)").count():  # an answer may open another question
        question = page.locator(".question:has(form)").nth(index)
        index += 1
        first = question.locator(".choices:not(.others) input[type=radio]").first
        _press_until_focused(page, first)
        page.keyboard.press("ArrowDown")  # the second choice: more than nothing, less than everything
        expect(question.locator("[data-save-status]")).to_have_text("Saved")


def _answer_section_by_clicking(page: Page, pick: str) -> None:
    """Click a choice in every question shown ('first', 'second' or 'last'), waiting for each save."""
    index = 0
    while index < page.locator(".question:has(form)").count():
        question = page.locator(".question:has(form)").nth(index)
        index += 1
        radios = question.locator(".choices:not(.others) input[type=radio]")
        choice = {"first": radios.first, "second": radios.nth(1), "last": radios.last}[pick]
        if not choice.is_checked():
            # A copied answer already reads "Saved": wait for the version to move on instead.
            version = question.locator("input[name=expected_version]")
            before = version.input_value()
            question.locator(f"label[for='{choice.get_attribute('id')}']").click()
            expect(version).not_to_have_value(before)
            expect(question.locator("[data-save-status]")).to_have_text("Saved")


def _walk_sections(page: Page, answer) -> None:
    """Answer each section in turn, following 'Next section' until the last."""
    while True:
        answer(page)
        following = page.locator("a.q-next")
        if following.count() == 0:
            return
        target = following.get_attribute("href")
        following.click()
        page.wait_for_url("**" + target)


def test_an_executive_completes_the_quick_check_with_the_keyboard_and_reads_the_pdf(page, server):
    ctx = server.context()
    name = f"Northwind {uuid.uuid4().hex[:6]}"
    org = organisations.create_organisation(ctx, OrganisationCreate(name=name, sector="Outdoor retail"))
    members.add_member(ctx, org.id, members.MemberCreate(email="ceo@northwind.test", role="member"))
    ctx.db.dispose()
    sign_in(page, "ceo@northwind.test")
    link = page.get_by_role("link", name=name, exact=True)
    _press_until_focused(page, link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Start an assessment")).to_be_visible()
    # A first assessment: the quick check is chosen already, and each questionnaire says how long it takes.
    expect(page.get_by_role("radio", name=re.compile(r"^Executive quick check: about 15 minutes"))).to_be_checked()
    start = page.get_by_role("button", name="Start the assessment")
    start.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#section-title")).to_be_visible()
    while True:
        _answer_section_with_keyboard(page)
        following = page.locator("a.q-next")
        if following.count() == 0:
            break
        target = following.get_attribute("href")
        _press_until_focused(page, following)
        page.keyboard.press("Enter")
        page.wait_for_url("**" + target)
    review = page.get_by_role("link", name="Review and submit 2026-Q4")
    _press_until_focused(page, review)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Submit 2026-Q4?")).to_be_visible()
    check_accessibility(page, "submit-confirm")
    submit = page.get_by_role("button", name="Submit 2026-Q4 now")
    _press_until_focused(page, submit)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Results for")).to_be_visible()
    expect(page.get_by_text("Socialfication level")).to_be_visible()
    expect(page.get_by_text("Solis stage reached")).to_be_visible()
    roadmap = page.get_by_role("link", name="See the roadmap: what to do next")
    _press_until_focused(page, roadmap)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Roadmap", exact=False).first).to_be_visible()
    pdf_link = page.locator("a[href$='/report.pdf']").first
    with page.expect_download() as waiting:
        _press_until_focused(page, pdf_link, limit=200)
        page.keyboard.press("Enter")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(open(waiting.value.path(), "rb").read())).pages)
    assert name in text and "roadmap" in text.lower() and "level" in text.lower()


def _submit(page, period: str) -> None:
    page.get_by_role("link", name=f"Review and submit {period}").click()
    page.get_by_role("button", name=f"Submit {period} now").click()


def test_a_consultant_runs_two_periods_and_sees_the_trend_and_the_comparison(page, server):
    name = f"Acme Outdoor {uuid.uuid4().hex[:6]}"
    sign_in(page, "lead@firm.test")
    # Exact: once the consultant has clients (another test may have made one) the portfolio also has "Search by name".
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Sector", exact=True).fill("Retail")
    page.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    page.get_by_role("textbox", name="Period").fill("2026-Q1")
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.locator("#section-title")).to_be_visible()
    _walk_sections(page, lambda p: _answer_section_by_clicking(p, "first"))
    _submit(page, "2026-Q1")
    expect(page.get_by_role("heading", name="Results for 2026-Q1")).to_be_visible()
    expect(page.locator(".figure-value").first).to_have_text(re.compile(r"^0 "))  # nothing in place yet
    check_accessibility(page, "journey-results-first-period")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organisations").click()
    page.get_by_role("link", name=name, exact=True).click()
    page.get_by_role("textbox", name="Period").fill("2026-Q2")
    expect(page.get_by_label("Start from the answers of 2026-Q1")).to_be_checked()
    page.get_by_role("button", name="Start the assessment").click()
    # Every answer was copied: it opens at the first section, each copied answer marked until reviewed.
    expect(page.locator("#section-title")).to_contain_text("Section 1 of")
    expect(page.locator(".q-review")).to_contain_text("answers copied from 2026-Q1: review what changed")
    check_accessibility(page, "journey-review-copied-answers")
    _walk_sections(page, lambda p: _answer_section_by_clicking(p, "last"))
    _submit(page, "2026-Q2")
    expect(page.get_by_role("heading", name="Results for 2026-Q2")).to_be_visible()
    expect(page.locator(".figure-value").first).to_have_text(re.compile(r"^5 "))  # every practice in place

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organisations").click()
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.locator("section[aria-labelledby=trend] svg.chart")).to_be_visible()
    expect(page.locator("section[aria-labelledby=periods]")).to_contain_text("2026-Q1")
    expect(page.locator("section[aria-labelledby=periods]")).to_contain_text("2026-Q2")
    check_accessibility(page, "journey-organisation-two-periods")
    page.locator("section.compare button[type=submit]").click()
    expect(page.get_by_role("heading", name="Compare", exact=False).first).to_be_visible()
    expect(page.locator("main")).to_contain_text("Improved")
    expect(page.locator("main")).to_contain_text("2026-Q1")
    check_accessibility(page, "journey-compare")
    # Boosted navigation brought each screen's stylesheet along.
    assert page.locator("head link[href^='/static/results.css?v=']").count() == 1
