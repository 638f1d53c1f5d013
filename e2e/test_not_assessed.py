"""Not assessed and provisional in a real browser (issue 17): results and compare at 1366 and 390 px, axe-core clean."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from backend.schemas.views import AnswerPut, AssessmentCreate, OrganisationCreate
from backend.services.assessments import assessments
from backend.services.assessments.answers import save_answer
from backend.services.organisations import organisations
from backend.services.organisations.members import MemberCreate, add_member
from e2e.conftest import answered_diagnostic, check_accessibility, sign_in

LEAD = "lead@firm.test"
# Left to "don't know": ladder level 1, three elements of the social stack and all of Solis stage 3.
UNKNOWN = ("socialfication.level1", "stack.identity", "stack.presence", "stack.relationships", "solis.stage3.")


@dataclass(frozen=True)
class Periods:
    organisation: int
    partial: int  # 2026-Q1, submitted: provisional level, some elements not assessed
    draft: int  # 2026-Q2, a newer draft answered "don't know" throughout


def _dont_know(ctx, assessment_id: int, prefixes: tuple[str, ...]) -> None:
    for criterion, questions in ctx.content.plan("full-diagnostic").by_criterion.items():
        if criterion.startswith(prefixes):
            for q in questions:
                save_answer(
                    ctx, assessment_id, q.id, AnswerPut(value="dont_know", reason="", note="", answered_by=LEAD)
                )


@pytest.fixture(scope="module")
def periods(server) -> Periods:
    ctx = server.context()
    try:
        org = organisations.create_organisation(ctx, OrganisationCreate(name="Honest Charts Ltd"))
        add_member(ctx, org.id, MemberCreate(email=LEAD, role="consultant"))
        made = [
            answered_diagnostic(ctx, org.id, "2025-Q4", "anonymous"),
            answered_diagnostic(ctx, org.id, "2026-Q1", "brand-monitor"),
            assessments.create_assessment(
                ctx, org.id, AssessmentCreate(questionnaire_id="full-diagnostic", period="2026-Q2")
            ),
        ]
        _dont_know(ctx, made[1].id, UNKNOWN)
        for submitted in made[:2]:
            assessments.submit_assessment(ctx, submitted.id)
        _dont_know(ctx, made[2].id, ("",))
        return Periods(org.id, made[1].id, made[2].id)
    finally:
        ctx.db.dispose()


@pytest.mark.parametrize("width", [1366, 390])
def test_results_and_compare_show_not_assessed_and_provisional_and_pass_axe(page: Page, periods: Periods, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, LEAD)
    page.goto(f"/assessments/{periods.draft}/results")
    expect(page.get_by_role("group", name=re.compile("^Socialfication ladder: not assessed"))).to_be_visible()
    expect(page.locator(".headline .not-assessed")).to_have_count(2)
    check_accessibility(page, f"results-not-assessed-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.goto(f"/assessments/{periods.partial}/results")
    expect(
        page.get_by_role("group", name=re.compile(r"level 2 of 5 reached \(provisional\); level 1 not assessed"))
    ).to_be_visible()
    expect(
        page.get_by_role("group", name=re.compile("elements not assessed: Identity, Presence, Relationships"))
    ).to_be_visible()
    expect(page.get_by_text("Dashed spokes are elements not assessed")).to_be_visible()
    check_accessibility(page, f"results-provisional-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.goto(f"/organisations/{periods.organisation}/compare")
    expect(page.get_by_role("heading", name="2025-Q4 compared with 2026-Q1")).to_be_visible()
    expect(page.get_by_text("Compared by default: the last two submitted periods")).to_be_visible()
    page.get_by_label("After").select_option(str(periods.draft))
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="2025-Q4 compared with 2026-Q2")).to_be_visible()
    expect(page.locator(".side-by-side .not-assessed")).to_have_count(2)
    expect(page.get_by_role("img", name=re.compile("level not assessed in 2026-Q2"))).to_be_visible()
    check_accessibility(page, f"compare-not-assessed-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
