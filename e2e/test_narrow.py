"""Every screen at a phone's width (390 px) and a laptop's (1366 px): nothing scrolls sideways, axe-core is clean."""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from backend.labels import answer_choices
from backend.schemas.views import AssessmentCreate, OrganisationCreate, RoadmapItemPatch
from backend.schemas.worksheets import WorksheetChannelPatch, WorksheetStepPatch
from backend.schemas.workshops import (
    ConsensusPut,
    CurrentPut,
    ParticipantAnswerPut,
    SectionPatch,
    WorkshopJoin,
    WorkshopPatch,
)
from backend.services import sharing
from backend.services.accounts import tokens, users
from backend.services.assessments import assessments, roadmaps, worksheets
from backend.services.kernel.access import Actor
from backend.services.organisations import branding, members, organisations
from backend.services.sharing import ShareLinkCreate
from backend.services.workshops import participants, workshops
from backend.web.pages.workshop import COOKIE
from e2e.conftest import answered_diagnostic, assert_fits, check_accessibility, sign_in

ADMIN = "admin@firm.test"
SIZES = {390: 844, 1366: 900}  # a phone, a laptop
# Long words are what push a narrow screen sideways: an email, a name and a sector without spaces to break at.
LONG_EMAIL = "customer.insight.and.facilitation@northwind-outfitters-international.test"
NAME = "Northwind Outfitters & Long-Distance Expeditions International"
SECTOR = "Outdoor retail, wholesale-and-distribution-across-Scandinavia"
QUICK = "executive-quick-check"
PEOPLE = [
    ("Ana Example-Lindqvist", "Marketing lead", "Marketing"),
    ("Ben Example", "Service agent", "Customer service"),
    ("Cy Example", "Service agent", "Customer service"),
    ("Dee Example", "Head of customer experience and digital channels", "Customer service"),
]


@dataclass(frozen=True)
class Arranged:
    """The ids and codes the screens' addresses need."""

    organisation: int
    after: int  # 2026-Q4, submitted: results, roadmap
    draft: int  # 2027-Q1 full diagnostic, answered but not submitted, no workshop
    workshop: int  # 2027-Q1 quick check run as a workshop
    code: str
    participant: str  # a participant's token, for their cookie


def _join(ctx, code: str, plan) -> str:
    """Four participants join and answer every question, split between two answers; the first one's token."""
    joined = []
    for index, (name, role, department) in enumerate(PEOPLE):
        data = WorkshopJoin(name=name, role=role, department=department)
        joined.append(participants.join_workshop(ctx, code, data, f"192.0.2.{index + 1}").token)
        for question in plan.questions.values():
            value = answer_choices(question)[index % 2][0]
            participants.save_participant_answer(ctx, code, joined[-1], question.id, ParticipantAnswerPut(value=value))
    return joined[0]


def _workshop(ctx, organisation_id: int) -> tuple[int, str, str]:
    """A quick check run as a workshop: names shown, its first section revealed, one consensus recorded."""
    draft = assessments.create_assessment(
        ctx, organisation_id, AssessmentCreate(questionnaire_id=QUICK, period="2027-Q1")
    )
    opened, _ = workshops.open_workshop(ctx, draft.id)
    plan = ctx.plan_of(QUICK)
    token = _join(ctx, opened.code, plan)
    workshops.update_workshop(ctx, draft.id, WorkshopPatch(show_names=True))
    first = plan.questionnaire.sections[0]
    workshops.update_section(ctx, draft.id, first.id, SectionPatch(revealed=True))
    workshops.move_room(ctx, draft.id, CurrentPut(move="next"))  # phones show its first question, revealed
    question = first.questions[0]
    rationale = "Service keeps a list of its regulars; marketing's newsletter list is separate and not joined up"
    workshops.record_consensus(
        ctx, draft.id, question.id, ConsensusPut(value=answer_choices(question)[1][0], rationale=rationale)
    )
    return draft.id, opened.code, token


def _picture(width: int, height: int, kind: str = "PNG") -> bytes:
    """An image file of one dark colour: a logo wider than a phone's screen, or a photo of the wrong kind."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (122, 31, 92)).save(out, format=kind)
    return out.getvalue()


def _worksheet(ctx, assessment_id: int) -> None:
    """The audit worksheet as a workshop leaves it: a channel marked in use with a moment ticked and one unticked,
    a long owner and a note on a step."""
    worksheets.edit_channel(
        ctx, assessment_id, "reviews", WorksheetChannelPatch(use="in_use", moments=["discover", "get_help"])
    )
    note = "Start with the-support-queue-and-the-app-store-reviews-before-anything-else, then the community"
    worksheets.edit_step(ctx, assessment_id, 1, WorksheetStepPatch(owner=LONG_EMAIL, status="in_progress", note=note))


@pytest.fixture(scope="module")
def arranged(server) -> Arranged:
    """An organisation with members, two submitted periods, a draft and a workshop, changed by the admin."""
    ctx = server.context()
    try:
        with ctx.db.read() as session:
            admin = users.user_by_email(session, ADMIN)
        ctx = dataclasses.replace(ctx, actor=Actor(user_id=admin.id, email=ADMIN, role="admin"))
        org = organisations.create_organisation(ctx, OrganisationCreate(name=NAME, sector=SECTOR))
        members.add_member(ctx, org.id, members.MemberCreate(email="lead@firm.test", role="consultant"))
        members.add_member(ctx, org.id, members.MemberCreate(email=LONG_EMAIL, role="member"))
        # The organisation page previews its report logo, here wider than a phone's screen, and its accent colour.
        branding.set_logo(ctx, org.id, _picture(1200, 300))
        branding.set_accent(ctx, org.id, "#7a1f5c")
        before = answered_diagnostic(ctx, org.id, "2026-Q3", "anonymous")
        assessments.submit_assessment(ctx, before.id)
        after = answered_diagnostic(ctx, org.id, "2026-Q4", "brand-monitor", before.id)
        first_step = roadmaps.roadmap_of(ctx, after.id).items[0]
        roadmaps.update_item(ctx, after.id, first_step.id, RoadmapItemPatch(status="in_progress", owner=LONG_EMAIL))
        _worksheet(ctx, after.id)
        assessments.submit_assessment(ctx, after.id)
        sharing.create_link(ctx, after.id, ShareLinkCreate(variant="summary"))
        draft = answered_diagnostic(ctx, org.id, "2027-Q1", "loyalty-card", after.id)
        _worksheet(ctx, draft.id)
        workshop, code, participant = _workshop(ctx, org.id)
        tokens.issue_token(ctx, admin.id, "Quarterly export to the Northwind-customer-insight-dashboard")
        return Arranged(org.id, after.id, draft.id, workshop, code, participant)
    finally:
        ctx.db.dispose()


@pytest.fixture(scope="module")
def admin_state(browser: Browser, server) -> dict:
    """The admin's session cookie, signed in once for the whole module."""
    context = browser.new_context(base_url=server.base)
    try:
        sign_in(context.new_page(), ADMIN)
        return context.storage_state()
    finally:
        context.close()


def _context(browser: Browser, server, width: int, state: dict | None = None) -> BrowserContext:
    context = browser.new_context(
        base_url=server.base, viewport={"width": width, "height": SIZES[width]}, storage_state=state
    )
    context.set_default_timeout(30_000)  # a full-page screenshot of the whole diagnostic's questions takes a while
    return context


def _check(page: Page, name: str, width: int) -> None:
    """The screen as shown: no sideways scrolling, axe-core clean, a screenshot named after it and the width."""
    assert_fits(page)
    check_accessibility(page, f"narrow {name} {width}")


# name: (address, who): the admin signed in, a workshop participant with their cookie, or nobody.
SCREENS = {
    "sign in": ("/sign-in", None),
    "forgot password": ("/sign-in/forgot", None),
    "error": ("/organisations/0", "admin"),
    "portfolio": ("/", "admin"),
    "organisation": ("/organisations/{organisation}", "admin"),
    "access": ("/organisations/{organisation}/access", "admin"),
    "audit log": ("/organisations/{organisation}/audit", "admin"),
    "account": ("/account", "admin"),
    "models": ("/content", "admin"),
    "model socialfication": ("/content/models/socialfication", "admin"),
    "model solis": ("/content/models/solis", "admin"),
    "model stack": ("/content/models/stack", "admin"),
    "model customer": ("/content/models/customer", "admin"),
    "content full diagnostic": ("/content/questionnaires/full-diagnostic", "admin"),
    "content quick check": ("/content/questionnaires/executive-quick-check", "admin"),
    "methodology": ("/methodology", None),
    "questionnaire": ("/assessments/{draft}/answer/1", "admin"),
    "submit": ("/assessments/{draft}/submit", "admin"),
    "results": ("/assessments/{after}/results", "admin"),
    "results at a score": ("/assessments/{after}/results#criterion-stack-identity", "admin"),  # opened on arrival
    "roadmap": ("/assessments/{after}/roadmap", "admin"),
    "worksheet": ("/assessments/{draft}/worksheet", "admin"),
    "worksheet submitted": ("/assessments/{after}/worksheet", "admin"),
    "compare": ("/organisations/{organisation}/compare", "admin"),  # the last two submitted: 2026-Q3 and 2026-Q4
    # The story's charts and tables when the later period is a quick check run as a workshop (what it does not ask).
    "compare quick check": ("/organisations/{organisation}/compare?before={after}&after={workshop}", "admin"),
    "workshop opening": ("/assessments/{draft}/workshop", "admin"),
    "workshop facilitator": ("/assessments/{workshop}/workshop", "admin"),
    "workshop join": ("/join/{code}", None),
    "workshop participant": ("/join/{code}", "participant"),  # the room's current question, revealed
    "workshop all questions": ("/join/{code}/all", "participant"),
}


@pytest.mark.parametrize("width", SIZES)
@pytest.mark.parametrize("name", SCREENS)
def test_every_screen_fits_the_width_without_scrolling_sideways(
    browser: Browser, server, arranged: Arranged, admin_state: dict, name: str, width: int
):
    path, who = SCREENS[name]
    path = path.format(**dataclasses.asdict(arranged))
    context = _context(browser, server, width, admin_state if who == "admin" else None)
    if who == "participant":
        context.add_cookies([{"name": COOKIE, "value": arranged.participant, "url": f"{server.base}{path}"}])
    try:
        page = context.new_page()
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        _check(page, name, width)
    finally:
        context.close()


@pytest.mark.parametrize("width", SIZES)
def test_links_and_tokens_shown_once_fit_the_width(browser: Browser, server, arranged: Arranged, admin_state, width):
    context = _context(browser, server, width, admin_state)
    try:
        page = context.new_page()
        page.goto(f"/organisations/{arranged.organisation}/access")
        page.get_by_label("Email").fill(f"w{width}.{LONG_EMAIL}")
        page.get_by_role("button", name="Add member").click()
        link = page.get_by_label("Invitation link")
        expect(link).to_be_visible()
        _check(page, "access invitation link", width)
        invitation = link.input_value()
        page.goto("/account")
        page.get_by_label("What is it for?").fill("Nightly sync with the Northwind-customer-insight-dashboard")
        page.get_by_role("button", name="Create token").click()
        expect(page.get_by_label("Your new token")).to_be_visible()
        _check(page, "account new token", width)
    finally:
        context.close()
    signed_out = _context(browser, server, width)
    try:
        page = signed_out.new_page()
        page.goto(invitation)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        _check(page, "invitation", width)
    finally:
        signed_out.close()


@pytest.mark.parametrize("width", SIZES)
def test_a_refused_logo_is_said_on_the_page_and_fits_the_width(
    browser: Browser, server, arranged: Arranged, admin_state, width
):
    context = _context(browser, server, width, admin_state)
    try:
        page = context.new_page()
        page.goto(f"/organisations/{arranged.organisation}#branding")
        expect(page.get_by_role("img", name="The logo of")).to_be_visible()
        photo = {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": _picture(200, 100, "JPEG")}
        page.get_by_label("A new logo").set_input_files(photo)
        page.get_by_role("button", name="Upload the logo").click()
        expect(page.get_by_role("alert")).to_contain_text("upload a PNG or an SVG file")
        expect(page.get_by_label("A new logo")).to_have_attribute("aria-invalid", "true")
        _check(page, "organisation refused logo", width)
    finally:
        context.close()
