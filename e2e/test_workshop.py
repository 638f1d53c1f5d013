"""A workshop in real browsers: a facilitator and three participants reach consensus; results and PDF show it."""

from __future__ import annotations

import io
import uuid

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from backend.schemas.views import AssessmentCreate, OrganisationCreate
from backend.services.assessments import assessments
from backend.services.organisations import members, organisations
from e2e.conftest import check_accessibility, sign_in

QN = "executive-quick-check"
KNOWN = "qc.customers.identified_share"
SLUG = KNOWN.replace(".", "-")
PEOPLE = [
    ("Ana Example", "Marketing lead", "marketing", "a_minority"),
    ("Ben Example", "Agent", "service", "most"),
    ("Cy Example", "Agent", "service", "most"),
]


def _draft(server) -> tuple[str, int]:
    """A new organisation with lead@firm.test as its consultant, and a draft quick check."""
    ctx = server.context()
    name = f"Fjord Outfitters {uuid.uuid4().hex[:6]}"
    org = organisations.create_organisation(ctx, OrganisationCreate(name=name, sector="Outdoor retail"))
    members.add_member(ctx, org.id, members.MemberCreate(email="lead@firm.test", role="consultant"))
    draft = assessments.create_assessment(ctx, org.id, AssessmentCreate(questionnaire_id=QN, period="2026-Q4"))
    ctx.db.dispose()
    return name, draft.id


def _participant(browser, server, code: str, name: str, role: str, department: str, value: str, check: bool) -> None:
    """Join in a browser of one's own and answer the question."""
    context = browser.new_context(base_url=server.base, viewport={"width": 420, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(f"/join/{code}")
        page.get_by_label("Your name").fill(name)
        page.get_by_label("Your role").fill(role)
        page.get_by_label("Your department").fill(department)
        page.get_by_role("button", name="Join the workshop").click()
        expect(page.locator(".ws-me")).to_contain_text(f"You joined as {name}")
        page.get_by_role(
            "link", name="All questions", exact=True
        ).click()  # the room has not started: answer from the list
        question = page.locator(f"#wq-{SLUG}")
        question.locator(f"label[for='wq-{SLUG}-{value}']").click()
        expect(question.locator("[data-save-status]")).to_have_text("Saved")
        page.reload()
        expect(page.locator(f"#wq-{SLUG}-{value}")).to_be_checked()  # from the database, after a reload
        if check:
            check_accessibility(page, "workshop participant")
    finally:
        context.close()


def test_a_facilitator_and_three_participants_reach_consensus_that_the_results_and_pdf_show(
    page: Page, browser, server
):
    name, draft = _draft(server)
    sign_in(page, "lead@firm.test")
    page.goto(f"/assessments/{draft}/workshop")
    page.get_by_role("button", name="Open a workshop").click()
    expect(page.locator(".ws-code")).to_be_visible()
    code = page.locator(".ws-code").inner_text().replace("-", "").strip()
    check_accessibility(page, "workshop facilitator")
    for index, (person, role, department, value) in enumerate(PEOPLE):
        _participant(browser, server, code, person, role, department, value, check=index == 0)
    card = page.locator(f"#b-{SLUG}")
    expect(card.locator(".ws-answered")).to_have_text("3 of 3 answered", timeout=15_000)  # by polling, no reload
    expect(page.locator(".ws-board")).not_to_contain_text("Ana Example")
    agree = page.locator(f"#cq-{SLUG}")  # the console's row of the question: consensus in place
    agree.locator("summary", has_text="Record consensus").click()
    agree.locator(f"label[for='cq-{SLUG}-most']").click()
    agree.get_by_label("Rationale").fill("Service keeps a list of its regulars")
    agree.get_by_role("button", name="Record consensus").click()
    expect(agree.locator(".cq-saved")).to_have_text("Saved: agreed ‘Most of them’")
    check_accessibility(page, "workshop consensus")
    page.goto(f"/assessments/{draft}/answer/1")
    expect(page.locator(f"#q-{SLUG}-most")).to_be_checked()
    page.goto(f"/assessments/{draft}/results")
    expect(page.get_by_text("Socialfication level").first).to_be_visible()
    pdf = page.request.get(f"/api/v1/assessments/{draft}/report.pdf")
    assert pdf.ok, pdf.text()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert name in text and "Service keeps a list of its regulars" in text
