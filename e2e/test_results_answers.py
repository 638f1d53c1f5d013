"""The results page in a real browser: the ladder, the heat map and the radar open onto the answers behind them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from backend.schemas.views import AnswerPut, OrganisationCreate
from backend.services.assessments import assessments
from backend.services.assessments.answers import save_answer
from backend.services.organisations import organisations
from backend.services.organisations.members import MemberCreate, add_member
from e2e.conftest import answered_diagnostic, assert_fits, check_accessibility, sign_in

SIZES = {1366: 900, 390: 844}  # a laptop, a phone


@pytest.fixture(scope="module")
def results(server) -> str:
    """The results of a submitted period answered as the brand monitor, one answer behind level 2 "don't know"."""
    ctx = server.context()
    try:
        org = organisations.create_organisation(
            ctx, OrganisationCreate(name="Answers Behind Outfitters", sector="Outdoor retail")
        )
        add_member(ctx, org.id, MemberCreate(email="lead@firm.test", role="consultant"))
        period = answered_diagnostic(ctx, org.id, "2026-Q4", "brand-monitor")
        save_answer(
            ctx,
            period.id,
            "fd.listening.mention_discovery",
            AnswerPut(value="dont_know", reason="", note="", answered_by="lead@firm.test"),
        )
        assessments.submit_assessment(ctx, period.id)
        return f"/assessments/{period.id}/results"
    finally:
        ctx.db.dispose()


def landed(page: Page, anchor: str) -> Locator:
    """The disclosure the address now points at: open, in view, the keyboard on its summary with the ring showing."""
    expect(page).to_have_url(re.compile(f"#{anchor}$"))
    place = page.locator(f"details#{anchor}")
    expect(place).to_have_attribute("open", "")
    summary = place.locator(":scope > summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    return place


@pytest.mark.parametrize("width", SIZES)
def test_a_rung_a_stage_and_a_spoke_open_onto_the_answers_behind_them(page: Page, results: str, width: int):
    page.set_viewport_size({"width": width, "height": SIZES[width]})
    sign_in(page, "lead@firm.test")
    page.goto(results)
    # A rung of the ladder: its criterion, why it is in place or not, each answer and what it added.
    page.locator('svg.chart a[href="#socialfication-level-2"]').click()
    rung = landed(page, "socialfication-level-2")
    expect(rung.locator(":scope > summary")).to_have_text(re.compile(r"^Level 2, Reactive: "))
    answers = rung.get_by_role("list", name="Answers behind Reactive")
    expect(answers).to_be_visible()
    expect(answers.locator(".a-dont_know")).to_have_text("Don't know")
    expect(answers).to_contain_text("No score: it lowers the evidence")
    # A stage of the heat map, with each of its elements' answers.
    page.locator('svg.chart a[href="#solis-stage-3"]').click()
    stage = landed(page, "solis-stage-3")
    for element in ("Conversation", "Rapid response", "Metrics"):
        expect(stage.get_by_role("list", name=re.compile(f"^Answers behind {element}", re.I))).to_be_visible()
    # A spoke of the radar: the element's score, opened from its collapsed list.
    page.locator('svg.chart a[href="#criterion-stack-identity"]').click()
    identity = landed(page, "criterion-stack-identity")
    expect(identity.get_by_role("list", name="Answers behind Identity")).to_contain_text("Scores")
    # Everything open at once still reads without scrolling sideways, and axe-core is clean.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert_fits(page)
    check_accessibility(page, f"results answers behind {width}")


def test_the_keyboard_reaches_the_same_answers_from_the_text_beside_each_chart(page: Page, results: str):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "lead@firm.test")
    page.goto(results)
    ladder = page.get_by_role("table", name="The ladder as a table")
    ladder.get_by_role("link", name="Reactive").focus()
    page.keyboard.press("Enter")
    landed(page, "socialfication-level-2")
    stack = page.get_by_role("table", name="The social stack: score per element")
    stack.get_by_role("link", name="Identity").focus()
    page.keyboard.press("Enter")
    landed(page, "criterion-stack-identity")
    # The heat map's stages are listed under it, each a disclosure of its own: Tab from the chart reaches them.
    page.get_by_role("region", name=re.compile("^Heat map of the ten stages")).focus()
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text(re.compile(r"^Stage 1, Observe and Report: "))
    page.keyboard.press("Enter")
    expect(page.locator("details#solis-stage-1")).to_have_attribute("open", "")
    # An address that arrives with a score's anchor (a shared link) opens it too.
    page.goto("/")
    page.goto(f"{results}#criterion-stack-groups")
    landed(page, "criterion-stack-groups")
    # The charts' own links are for a pointer and a screen reader's list of links: Tab does not stop at every rung
    # and cell, since the text beside each chart offers the same links.
    links = page.locator("svg.chart a")
    assert links.count() > 20
    assert set(links.evaluate_all("links => links.map(a => a.getAttribute('tabindex'))")) == {"-1"}
    # An address with a malformed escape names no place, and the page's script still runs whole: a boosted link
    # to the roadmap puts the keyboard on its heading.
    page.goto("/")
    page.goto(f"{results}#%E0%A4%A")
    page.get_by_role("navigation", name="This assessment").get_by_role("link", name="Roadmap").click()
    expect(page.get_by_role("heading", level=1)).to_be_focused()
