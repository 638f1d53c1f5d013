"""The questionnaire in a real browser: a section answered with the keyboard alone, at desktop and
phone widths, and an answer chosen while the server is down that is kept, retried and stored."""

from __future__ import annotations

import itertools
import re

from playwright.sync_api import Page, expect

from backend.content.loader import load_content
from backend.schemas.views import AssessmentCreate, OrganisationCreate
from backend.services.accounts import users
from backend.services.assessments import answers, assessments
from backend.services.kernel.context import Context
from backend.services.organisations import members, organisations
from backend.services.organisations.members import MemberCreate
from backend.storage.db import Database
from e2e.conftest import PASSWORD, check_accessibility, screenshot, sign_in
from tests.server import free_port, running_server

CEO = "ceo@northwind.test"
_orgs = itertools.count(1)


def _draft(ctx: Context, email: str = CEO, questionnaire_id: str = "executive-quick-check") -> int:
    """A new organisation with the executive as a member, and a draft of the questionnaire (the quick check unless told)."""
    org = organisations.create_organisation(
        ctx, OrganisationCreate(name=f"Northwind Outfitters {next(_orgs)}", sector="Retail")
    )
    members.add_member(ctx, org.id, MemberCreate(email=email, role="member"))
    return assessments.create_assessment(
        ctx, org.id, AssessmentCreate(questionnaire_id=questionnaire_id, period="2026-Q4")
    ).id


def _question(page: Page, question_id: str):
    return page.locator("#q-" + question_id.replace(".", "-"))


def _radio(page: Page, question_id: str, value: str):
    return page.locator(f"#q-{question_id.replace('.', '-')}-{value}")


def _tab_to(page: Page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element is focused (as a keyboard user would), failing if it never is."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def _saved(page: Page, question_id: str, version: int | None) -> None:
    """The question says Saved, at the version its next save must send."""
    question = _question(page, question_id)
    expect(question.locator("[data-save-status]")).to_have_text("Saved")
    if version is not None:
        expect(question.locator("input[name=expected_version]")).to_have_value(str(version))


def test_answering_a_section_with_the_keyboard_alone(page, server):
    ctx = server.context()
    aid = _draft(ctx)
    sign_in(page, CEO)
    page.goto(f"/assessments/{aid}/answer")
    expect(page).to_have_url(re.compile(rf"/assessments/{aid}/answer/1$"))
    expect(page.get_by_role("heading", level=2, name=re.compile("Knowing and serving customers"))).to_be_visible()
    progress = page.locator("#progress-overall")
    expect(progress).to_have_attribute("value", "0")

    # 1: Tab from the top of the page to the first answer; Space chooses it; an arrow key changes it.
    known = "qc.customers.identified_share"
    _tab_to(page, "#q-qc-customers-identified_share-almost_none")
    page.keyboard.press("Space")
    _saved(page, known, 1)
    expect(progress).to_have_attribute("value", "1")
    expect(page.get_by_label("1 of 20 questions answered")).to_be_visible()
    page.keyboard.press("ArrowDown")
    _saved(page, known, 2)
    expect(_radio(page, known, "a_minority")).to_be_checked()
    expect(_radio(page, known, "a_minority")).to_be_focused()  # the save did not take the keyboard away
    expect(progress).to_have_attribute("value", "1")

    # A note and evidence: Tab to "Note and evidence", Enter opens it; each field saves when left.
    page.keyboard.press("Tab")
    expect(page.locator("#q-qc-customers-identified_share-extras")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("#q-qc-customers-identified_share-note")).to_be_focused()
    page.keyboard.type("Loyalty card covers store sales only")
    page.keyboard.press("Tab")
    page.keyboard.type("https://intranet.example/crm-coverage")
    page.keyboard.press("Enter")
    _saved(page, known, 4)
    expect(page.locator("#q-qc-customers-identified_share-evidence")).to_be_focused()
    # Each change saves itself: no Save button stands beside "Saved" (it is there only without scripts).
    expect(page.locator("#q-qc-customers-identified_share-save")).to_be_hidden()
    # Answered more than once, it links to its earlier answers: the next stop after the evidence.
    page.keyboard.press("Tab")
    expect(_question(page, known).get_by_role("link", name="Earlier answers to question 1")).to_be_focused()

    # 2: the next Tab reaches the next question; with nothing chosen, ArrowDown chooses its second answer.
    page.keyboard.press("Tab")
    expect(_radio(page, "qc.customers.hear_and_respond", "rarely")).to_be_focused()
    page.keyboard.press("ArrowDown")
    _saved(page, "qc.customers.hear_and_respond", 1)
    expect(progress).to_have_attribute("value", "2")

    # 3: three changes faster than the server answers: the one on screen is the one saved last
    # (the one in between may be skipped, so the version is 2 or 3).
    _tab_to(page, "#q-qc-customers-prevent_complaints-never")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    act = _question(page, "qc.customers.prevent_complaints")
    expect(act.locator("input[name=expected_version]")).to_have_value(re.compile("^[23]$"))
    expect(act.locator("[data-save-status]")).to_have_text("Saved")
    expect(_radio(page, "qc.customers.prevent_complaints", "key_cases")).to_be_checked()

    for question_id, first in (("qc.customers.offer_before_asked", "never"), ("qc.customers.compensated_work", "none")):
        _tab_to(page, f"#q-{question_id.replace('.', '-')}-{first}")
        page.keyboard.press("Space")
        _saved(page, question_id, 1)

    # 6: "Not applicable" (ArrowUp wraps to it) needs a reason: the server says so, the choice stays.
    profile = "qc.customers.one_profile"
    _tab_to(page, "#q-qc-customers-one_profile-separate_records")
    page.keyboard.press("ArrowUp")
    expect(_question(page, profile).locator(".q-message")).to_contain_text("needs a reason")
    expect(_radio(page, profile, "not_applicable")).to_be_checked()
    expect(_radio(page, profile, "not_applicable")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#q-qc-customers-one_profile-reason")).to_be_focused()
    page.keyboard.type("We sell only through dealers, who hold the customer records")
    page.keyboard.press("Tab")
    _saved(page, profile, 1)
    expect(_question(page, profile).locator(".q-message")).to_have_count(0)

    _tab_to(page, "#q-qc-customers-have_a_say-hard")
    page.keyboard.press("Space")
    _saved(page, "qc.customers.have_a_say", 1)
    expect(progress).to_have_attribute("value", "7")
    expect(page.locator(".q-sections li.current .q-s-count")).to_contain_text("7 of 7")

    check_accessibility(page, "questionnaire-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "the page scrolls sideways at 375 px"
    )
    check_accessibility(page, "questionnaire-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The Next section link, by keyboard; the answers are in the database as given.
    _tab_to(page, "a.q-next")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2, name=re.compile("Social"))).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/assessments/{aid}/answer/2$"))
    # The last section ends with the submit box, saying how many questions remain.
    page.get_by_role("navigation", name="Sections of the questionnaire").get_by_role(
        "link", name=re.compile("Organisation, feedback")
    ).click()
    expect(page.locator("#q-submit")).to_contain_text("13 of 20 questions are still unanswered")
    check_accessibility(page, "questionnaire-last-section")
    stored = {a.question_id: a for a in answers.list_answers(ctx, aid)}
    assert len(stored) == 7
    assert (stored[known].value, stored[known].note, stored[known].evidence) == (
        "a_minority",
        "Loyalty card covers store sales only",
        "https://intranet.example/crm-coverage",
    )
    assert stored["qc.customers.prevent_complaints"].value == "key_cases"
    assert (stored[profile].value, stored[profile].reason) == (
        "not_applicable",
        "We sell only through dealers, who hold the customer records",
    )
    ctx.db.dispose()


def test_next_unanswered_lands_on_the_question_and_submitting_asks_first_at_phone_width(page, server):
    ctx = server.context()
    aid = _draft(ctx)
    plan = ctx.content.plans["executive-quick-check"].questionnaire
    last_section = len(plan.sections)
    first_of_last = plan.sections[-1].questions[0]
    answers.save_answer(ctx, aid, plan.questions[0].id, answers.AnswerPut(value="dont_know"))
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, CEO)
    page.goto(f"/assessments/{aid}/answer/{last_section}")
    number = [q.id for q in plan.questions].index(first_of_last.id) + 1
    page.get_by_role("link", name=f"Next unanswered: question {number}").click()
    question = _question(page, first_of_last.id)
    expect(question).to_be_focused()
    expect(question).to_be_in_viewport()
    page.get_by_role("link", name=re.compile("Review and submit 2026-Q4")).click()
    expect(page.get_by_role("heading", level=1, name="Submit 2026-Q4?")).to_be_focused()
    unanswered = len(plan.questions) - 1
    expect(page.locator(".q-remaining")).to_contain_text(f"{unanswered} of {len(plan.questions)} questions are still")
    expect(page.locator(".q-unanswered li")).to_have_count(unanswered)
    check_accessibility(page, "submit-confirm-390")
    page.get_by_role("link", name="Keep answering").click()
    expect(page.locator("#section-title")).to_be_focused()
    assert assessments.read_assessment(ctx, aid).status == "draft"


def test_an_answer_chosen_while_the_server_is_down_is_kept_and_saved_on_retry(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'tribewise.db'}"
    database = Database(url)
    database.upgrade()
    ctx = Context(database, load_content())
    users.create_user(ctx, users.UserCreate(email=CEO, role="member", password=PASSWORD))
    aid = _draft(ctx)
    port = free_port()  # fixed for this test: the server comes back on the same address
    context = browser.new_context(base_url=f"http://127.0.0.1:{port}", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    first, second = "qc.customers.identified_share", "qc.customers.hear_and_respond"
    try:
        with running_server(url, tmp_path, port=port, TRIBEWISE_COOKIE_SECURE="1"):
            sign_in(page, CEO)
            page.goto(f"/assessments/{aid}/answer/1")
            _radio(page, first, "most").check()
            _saved(page, first, 1)
        # The server is stopped, mid-questionnaire.
        _radio(page, second, "mostly").check()
        question = _question(page, second)
        expect(question.locator("[data-save-status]")).to_contain_text("Not saved: the server cannot be reached")
        expect(question.get_by_role("button", name="Retry saving question 2")).to_be_visible()
        expect(_radio(page, second, "mostly")).to_be_checked()
        expect(page.locator("#announce")).to_contain_text("Question 2 not saved")
        screenshot(page, "questionnaire-server-down")
        with running_server(url, tmp_path, port=port, TRIBEWISE_COOKIE_SECURE="1"):
            question.get_by_role("button", name="Retry saving question 2").click()
            _saved(page, second, 1)
            expect(question.get_by_role("button", name="Retry saving question 2")).to_be_hidden()
            expect(_radio(page, second, "mostly")).to_be_checked()
            expect(page.locator("#progress-overall")).to_have_attribute("value", "2")
        stored = {a.question_id: a.value for a in answers.list_answers(ctx, aid)}
        assert stored == {first: "most", second: "mostly"}, "an answer given was lost"
    finally:
        context.close()
        database.dispose()
