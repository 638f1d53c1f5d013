"""The facilitator's console in a real browser, on a laptop and on a phone: take the room to a question, record
consensus in place without the page moving away, accept the group's medians, and read the perception gaps."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from backend.schemas.views import AssessmentCreate, OrganisationCreate
from backend.schemas.workshops import ParticipantAnswerPut, WorkshopJoin
from backend.services.assessments import assessments
from backend.services.organisations import members, organisations
from backend.services.workshops import participants, workshops
from e2e.conftest import assert_fits, check_accessibility, screenshot, sign_in

QN = "executive-quick-check"
KNOWN = "qc.customers.identified_share"  # the room splits: a rationale is needed
HEAR = "qc.customers.hear_and_respond"  # the room agrees: its median may be accepted
LISTEN = "qc.social.listening"  # the room agrees too
PEOPLE = [("Agent", "service"), ("Agent", "service"), ("Agent", "service"), ("Manager", "marketing")]
ANSWERS = {
    KNOWN: ["almost_none", "nearly_all", "a_minority", "nearly_all"],
    HEAR: ["mostly", "mostly", "mostly", "mostly"],
    LISTEN: ["main_networks", "main_networks", "main_networks", "everywhere"],
}
SIZES = {"laptop": (1366, 900), "phone": (390, 844)}


def slug(question_id: str) -> str:
    return "cq-" + question_id.replace(".", "-")


def _room(server) -> int:
    """A draft quick check with lead@firm.test as consultant, run as a workshop that four people answered."""
    ctx = server.context()
    try:
        name = f"Fjord Outfitters {uuid.uuid4().hex[:6]}"
        org = organisations.create_organisation(ctx, OrganisationCreate(name=name, sector="Outdoor retail"))
        members.add_member(ctx, org.id, members.MemberCreate(email="lead@firm.test", role="consultant"))
        draft = assessments.create_assessment(ctx, org.id, AssessmentCreate(questionnaire_id=QN, period="2026-Q4"))
        opened, _ = workshops.open_workshop(ctx, draft.id)
        for n, (role, department) in enumerate(PEOPLE):
            joined = participants.join_workshop(
                ctx, opened.code, WorkshopJoin(name=f"Person {n}", role=role, department=department), f"192.0.2.{n}"
            )
            for question_id, values in ANSWERS.items():
                answer = ParticipantAnswerPut(value=values[n])
                participants.save_participant_answer(ctx, opened.code, joined.token, question_id, answer)
        return draft.id
    finally:
        ctx.db.dispose()


def _top(page: Page, selector: str) -> float:
    return page.locator(selector).evaluate("e => e.getBoundingClientRect().top")


@pytest.mark.parametrize("size", SIZES)
def test_the_facilitator_goes_to_a_question_agrees_in_place_and_accepts_the_medians(page: Page, server, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    draft = _room(server)
    sign_in(page, "lead@firm.test")
    page.goto(f"/assessments/{draft}/workshop")
    expect(page.locator("#cq-where")).to_contain_text("The room has not started")
    assert_fits(page)
    check_accessibility(page, f"console {size}")

    # Go to: the room moves, the row is marked and takes the keyboard, and the page stays where it was.
    row = page.locator(f"#{slug(KNOWN)}")
    row.get_by_role("button", name="Go to").click()
    expect(row).to_have_attribute("aria-current", "step")
    expect(page.locator(f"#{slug(KNOWN)}-here")).to_be_focused()
    expect(page.locator("#cq-where")).to_contain_text("question 1 of")
    expect(page.locator("#announce")).to_contain_text("The room is on question 1")
    page.get_by_role("button", name="Next question").click()
    expect(page.locator(f"#{slug(HEAR)}")).to_have_attribute("aria-current", "step")
    expect(page.get_by_role("button", name="Next question")).to_be_focused()

    # Consensus in place where the room split: the rationale is asked for; the row is saved without a reload.
    row = page.locator(f"#{slug(KNOWN)}")
    row.locator("summary", has_text="Record consensus").click()
    row.locator(f"label[for='{slug(KNOWN)}-a_minority']").click()
    expect(row.get_by_label("Rationale")).to_have_attribute("required", "")
    row.get_by_label("Rationale").fill("Only loyalty-card holders are known by name")
    save = row.get_by_role("button", name="Record consensus")
    save.scroll_into_view_if_needed()  # where the click finds it, so what moves after it is the page's doing
    before = _top(page, f"#{slug(KNOWN)}-save")
    url = page.url
    save.click()
    expect(row.locator(".cq-saved")).to_have_text("Saved: agreed ‘A minority, mainly repeat or registered buyers’")
    expect(row.locator(".cq-agreed")).to_contain_text("Agreed: A minority, mainly repeat")
    expect(page.locator("#announce")).to_have_text("Saved: agreed ‘A minority, mainly repeat or registered buyers’")
    expect(page.locator(f"#{slug(KNOWN)}-save")).to_be_focused()
    assert page.url == url  # no navigation
    # The button pressed stays within a line or two of where it was (the row grows above it by the confirmation).
    assert abs(_top(page, f"#{slug(KNOWN)}-save") - before) < 120, "the page moved away"
    assert 0 <= _top(page, f"#{slug(KNOWN)} .cq-saved") < height, "the confirmation is out of sight"
    assert_fits(page)
    check_accessibility(page, f"console consensus {size}")

    # Accept the group's median where the room agrees: a review list, then one click.
    page.get_by_role("link", name="Accept the group's median where the room agrees").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accept the group's median where the room agrees")
    boxes = page.locator("input[name=question_id]")
    expect(boxes).to_have_count(2)
    assert_fits(page)
    check_accessibility(page, f"console medians review {size}")
    page.get_by_role("button", name="Accept the ticked medians").click()
    expect(page.locator(".notice")).to_have_text("Accepted the group's median on 2 questions")
    expect(page.locator(f"#{slug(HEAR)} .cq-agreed")).to_contain_text("Agreed: We are alerted")
    screenshot(page, f"console after medians {size}")

    page.get_by_role("link", name="Perception gaps").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("How each group sees the organisation")
    assert_fits(page)
    check_accessibility(page, f"perception gaps {size}")
