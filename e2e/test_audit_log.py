"""The audit log in a real browser: sentences with links, axe-core clean and without sideways scrolling at
1366 and 390 px, a question's link opening its place in the questionnaire."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from backend.schemas.views import AnswerPut, AssessmentCreate, OrganisationCreate, RoadmapItemPatch
from backend.services.assessments import assessments, roadmaps
from backend.services.assessments.answers import save_answer
from backend.services.organisations import organisations
from backend.services.organisations.members import MemberCreate, add_member
from e2e.conftest import check_accessibility, sign_in

QUESTION = "fd.feedback_loop.baseline"
QUESTION_TEXT = "Have you set a measured baseline of customer experience, such as satisfaction, effort or complaints per journey step?"


@pytest.fixture(scope="module")
def organisation(server) -> tuple[int, int]:
    """An organisation whose 2026-Q3 draft had an answer changed and a roadmap step marked done."""
    ctx = server.context()
    try:
        org = organisations.create_organisation(ctx, OrganisationCreate(name="Audit Trail Outfitters"))
        add_member(ctx, org.id, MemberCreate(email="lead@firm.test", role="consultant"))
        draft = assessments.create_assessment(
            ctx, org.id, AssessmentCreate(questionnaire_id="full-diagnostic", period="2026-Q3")
        )
        for value in ("per_journey", "per_step"):
            save_answer(ctx, draft.id, QUESTION, AnswerPut(value=value, answered_by="lead@firm.test"))
        step = roadmaps.roadmap_of(ctx, draft.id).items[0]
        roadmaps.update_item(ctx, draft.id, step.id, RoadmapItemPatch(status="done", owner="Ana Diaz"))
        return org.id, draft.id
    finally:
        ctx.db.dispose()


@pytest.mark.parametrize("width", (1366, 390))
def test_the_audit_log_reads_as_sentences_and_links_the_question_to_its_place(page: Page, organisation, width):
    org, draft = organisation
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, "lead@firm.test")
    page.goto(f"/organisations/{org}/audit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    log = page.get_by_role("table")
    expect(log).to_contain_text(
        f"lead@firm.test changed the answer to “{QUESTION_TEXT}” in 2026-Q3 from “Figures per journey” to "
        "“Figures per journey step”."
    )
    expect(log).to_contain_text(
        re.compile(r"marked the step “[^”]+” in 2026-Q3 done and set its owner to “Ana Diaz”\.")
    )
    expect(log).not_to_contain_text("answer.save")
    expect(log).not_to_contain_text(QUESTION)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "sideways scrolling"
    check_accessibility(page, f"audit-log-{width}")
    link = log.get_by_role("link", name=QUESTION_TEXT).first
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/assessments/{draft}/answer/10#q-fd-feedback_loop-baseline$"))
    expect(page.locator("#q-fd-feedback_loop-baseline")).to_contain_text(QUESTION_TEXT)
