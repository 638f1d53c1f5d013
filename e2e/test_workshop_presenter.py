"""The presenter screen on a projector's window, steered by the keyboard, and /join typed on a phone."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from backend.schemas.views import AssessmentCreate, OrganisationCreate
from backend.schemas.workshops import ConsensusPut, CurrentPut, QuestionPatch, WorkshopPatch
from backend.services.assessments import assessments
from backend.services.organisations import members, organisations
from backend.services.workshops import workshops
from backend.services.workshops.workshops import question_order
from e2e.conftest import assert_fits, check_accessibility, screenshot, sign_in
from e2e.test_workshop import QN, _draft

SIZES = [(1920, 1080), (1280, 720)]
FULL = "full-diagnostic"
# The longest question of the quick check with the longest answers: the screen that has to fit.
LONGEST = "qc.customers.compensated_work"
# Every text on the screen, its smallest computed size; the code's box height; whether the page scrolls either way.
MEASURE = """() => {
  const texts = [...document.querySelectorAll('#screen *')].filter(e =>
    [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length);
  const tall = selector => { const e = document.querySelector(selector); return e ? e.getBoundingClientRect().height : 0; };
  const root = document.documentElement;
  return {
    smallest: Math.min(...texts.map(e => parseFloat(getComputedStyle(e).fontSize))),
    code: tall('#screen .pr-code'),
    address: tall('#screen .pr-address'),
    qr: tall('#screen .pr-qr'),
    height: innerHeight,
    scrolls: root.scrollHeight > innerHeight || root.scrollWidth > innerWidth,
    // The page clips nothing: every piece of the screen ends inside the window.
    bottom: Math.max(...[...document.querySelectorAll('#screen *')].map(e => e.getBoundingClientRect().bottom)),
    right: Math.max(...[...document.querySelectorAll('#screen *')].map(e => e.getBoundingClientRect().right)),
  };
}"""


def _measure(page: Page, name: str, code_shown: bool = True, qr: bool = False) -> None:
    """At both projector sizes: nothing scrolls, text is at least 32 px, the code (when shown) at least a tenth of
    the window's height and the QR (when shown) about a third; axe finds nothing; a screenshot of each."""
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        figures = page.evaluate(MEASURE)
        assert not figures["scrolls"], (name, width, figures)
        assert figures["bottom"] <= height and figures["right"] <= width, (name, width, figures)
        assert figures["smallest"] >= 32, (name, width, figures)
        if code_shown:
            assert figures["code"] >= 0.1 * figures["height"], (name, width, figures)
        if qr:
            assert figures["qr"] >= 0.32 * figures["height"], (name, width, figures)
        check_accessibility(page, f"presenter {name} {width}x{height}")


def _api(browser, server):
    context = browser.new_context(base_url=server.base)
    return context, context.request


def _join(api, code: str, name: str) -> dict:
    response = api.post(f"/api/v1/workshops/{code}/participants", data={"name": name})
    assert response.ok, response.text()
    return {"X-Participant-Token": response.json()["token"]}


def _answer(api, code: str, token: dict, question_id: str, value: str) -> None:
    response = api.put(f"/api/v1/workshops/{code}/answers/{question_id}", data={"value": value}, headers=token)
    assert response.ok, response.text()


def _opened(page: Page, server) -> tuple[int, str]:
    """A new draft quick check with a workshop the consultant opened on its page: the draft and the join code."""
    _, draft = _draft(server)
    sign_in(page, "lead@firm.test")
    page.goto(f"/assessments/{draft}/workshop")
    page.get_by_role("button", name="Open a workshop").click()
    return draft, page.locator(".ws-code").inner_text().replace("-", "").strip()


def test_the_presenter_screen_fits_the_projector_follows_the_keys_and_shows_answers_as_they_come(
    page: Page, browser, server
):
    draft, code = _opened(page, server)
    expect(page.get_by_role("link", name="Open the presenter screen")).to_have_attribute(
        "href", f"/assessments/{draft}/workshop/present"
    )
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"/assessments/{draft}/workshop/present")
    screen = page.locator("#screen")
    expect(screen).to_contain_text("The first question is coming")
    expect(screen.locator(".pr-code")).to_have_text(f"{code[:4]}-{code[4:]}")
    _measure(page, "welcome", qr=True)
    for width, height in SIZES:  # the address is as large as the code before the first question
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate(MEASURE)["address"] >= 0.1 * height

    order = question_order(server.context().content.plans[QN])
    context, api = _api(browser, server)
    try:
        tokens = [_join(api, code, name) for name in ("Ana", "Ben", "Cy", "Dee")]
        page.keyboard.press("ArrowRight")
        expect(screen.locator(".pr-where")).to_contain_text("Question 1 of 20 · Section 1:")
        expect(screen.locator(".pr-count")).to_have_text("0 of 4 have answered")
        expect(screen).to_contain_text("Waiting for answers")
        _measure(page, "waiting", qr=True)
        for token, value in zip(tokens, ("most", "most", "most", "a_minority"), strict=True):
            _answer(api, code, token, order[0], value)
        # Polled every second: the answers show without a reload, well within two seconds of the last.
        expect(screen.locator(".pr-count")).to_have_text("4 of 4 have answered", timeout=2_500)
        page.keyboard.press("r")
        expect(screen.locator(".pr-words")).to_contain_text("Most answered “Most of them”", timeout=2_500)
        expect(screen.locator(".pr-words")).to_contain_text("The room leans towards “Most of them”")
        expect(screen.locator(".pr-row")).to_have_count(4)
        _measure(page, "revealed")
        page.keyboard.press("l")
        expect(screen.locator(".pr-count")).to_contain_text("Answers closed", timeout=2_500)
        _measure(page, "locked")
        page.keyboard.press("ArrowRight")
        expect(screen.locator(".pr-where")).to_contain_text("Question 2 of 20", timeout=2_500)
        page.keyboard.press("ArrowLeft")
        expect(screen.locator(".pr-where")).to_contain_text("Question 1 of 20", timeout=2_500)
        expect(screen.locator(".pr-count")).to_contain_text("Answers closed")
        # The longest question with its longest answers, every answer and "don't know" and "not applicable" given.
        ctx = server.context()
        workshops.move_room(ctx, draft, CurrentPut(question_id=LONGEST))
        question = ctx.content.plans[QN].questions[LONGEST]
        values = question.allowed_values()  # every option, and "don't know"
        tokens += [_join(api, code, f"Late {n}") for n in range(len(values) - len(tokens))]
        for token, value in zip(tokens, values, strict=True):
            _answer(api, code, token, LONGEST, value)
        expect(screen.locator(".pr-text")).to_have_text(question.text, timeout=2_500)
        page.keyboard.press("r")
        expect(screen.locator(".pr-row")).to_have_count(len(values), timeout=2_500)
        _measure(page, "longest question revealed")
        # The end: the level, stage and first steps of what the room agreed (nothing yet: not assessed).
        workshops.update_workshop(ctx, draft, WorkshopPatch(status="closed"))
        ctx.db.dispose()
        expect(screen).to_contain_text("The workshop is closed", timeout=2_500)
        expect(screen.locator(".pr-levels")).to_contain_text("Not assessed")
        _measure(page, "closed", code_shown=False)
        # The group agrees: high on the first ten questions, low on the rest; a level, a stage and three steps.
        plan = ctx.content.plans[QN]
        for number, question_id in enumerate(order):
            value = plan.questions[question_id].options[-2 if number < 10 else 1].value
            workshops.record_consensus(
                ctx, draft, question_id, ConsensusPut(value=value, rationale="Agreed in the room")
            )
        ctx.db.dispose()
        expect(screen.locator(".pr-steps li")).to_have_count(3, timeout=2_500)
        expect(screen.locator(".pr-levels")).not_to_contain_text("Not assessed")
        _measure(page, "closed with a level", code_shown=False)
    finally:
        context.close()


def test_the_keys_are_buttons_too_and_keys_typed_into_a_field_are_left_alone(page: Page, server):
    draft, _ = _opened(page, server)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"/assessments/{draft}/workshop/present")
    # A refused key says why in the keys' message line, which comes into sight with it.
    page.keyboard.press("r")
    message = page.locator("#pr-message")
    expect(message).to_have_text("There is no current question to reveal yet; start with the next question")
    expect(message).to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Back to the workshop console")).to_be_focused()
    page.keyboard.press("Tab")
    previous = page.get_by_role("button", name="Previous question")
    expect(previous).to_be_focused()
    expect(previous).to_be_in_viewport()  # the keys come into sight with the keyboard
    screenshot(page, "presenter keys focused 1280x720")
    page.get_by_role("button", name="Next question").click()
    expect(page.locator("#screen .pr-where")).to_contain_text("Question 1 of 20")
    expect(message).to_have_text("")
    page.get_by_role("button", name="Close or reopen the answers").press("Enter")
    expect(page.locator("#screen .pr-count")).to_contain_text("Answers closed")
    # Keys typed into a field are the field's.
    page.evaluate(
        "() => { const i = document.createElement('input'); i.id = 'typing'; i.setAttribute('aria-label', 'typing');"
        " document.body.prepend(i); i.focus(); }"
    )
    page.keyboard.press("ArrowRight")
    page.keyboard.press("r")
    page.wait_for_timeout(1_500)
    expect(page.locator("#screen .pr-where")).to_contain_text("Question 1 of 20")
    expect(page.locator("#screen .pr-dist")).to_have_count(0)


def test_join_by_typed_code_on_a_phone(browser, page: Page, server):
    draft, code = _opened(page, server)
    phone = browser.new_context(base_url=server.base, viewport={"width": 390, "height": 844})
    phone.set_default_timeout(10_000)
    try:
        visitor = phone.new_page()
        visitor.goto("/sign-in")
        visitor.get_by_role("link", name="Joining a workshop? Enter its code").click()
        expect(visitor.get_by_label("Workshop code")).to_be_visible()
        assert_fits(visitor)
        check_accessibility(visitor, "join by code 390")
        visitor.get_by_label("Workshop code").fill("nope")
        visitor.get_by_label("Workshop code").press("Enter")
        expect(visitor.locator("#join-code-error")).to_contain_text("8 letters and digits")
        expect(visitor.get_by_label("Workshop code")).to_have_value("nope")
        assert_fits(visitor)
        check_accessibility(visitor, "join by code refused 390")
        visitor.get_by_label("Workshop code").fill(code.lower())
        visitor.get_by_label("Workshop code").press("Enter")
        expect(visitor.get_by_label("Your name")).to_be_visible()
        assert visitor.url.endswith(f"/join/{code}")
        assert_fits(visitor)
    finally:
        phone.close()


def test_the_full_diagnostics_longest_questions_fit_with_every_answer_revealed(page: Page, browser, server):
    ctx = server.context()
    org = organisations.create_organisation(ctx, OrganisationCreate(name=f"Long Words {uuid.uuid4().hex[:6]}"))
    members.add_member(ctx, org.id, members.MemberCreate(email="lead@firm.test", role="consultant"))
    draft = assessments.create_assessment(ctx, org.id, AssessmentCreate(questionnaire_id=FULL, period="2026-Q4")).id
    code = workshops.open_workshop(ctx, draft)[0].code
    plan = ctx.content.plans[FULL]
    questions = plan.questionnaire.questions
    longest_text = max(questions, key=lambda q: len(q.text))
    longest_all = max(questions, key=lambda q: len(q.text) + sum(len(o.label) for o in q.options))
    sign_in(page, "lead@firm.test")
    page.goto(f"/assessments/{draft}/workshop/present")
    context, api = _api(browser, server)
    try:
        tokens = [_join(api, code, f"P{n}") for n in range(6)]
        for question in (longest_text, longest_all):
            workshops.move_room(ctx, draft, CurrentPut(question_id=question.id))
            workshops.update_question(ctx, draft, question.id, QuestionPatch(revealed=True))
            values = question.allowed_values()
            for token, value in zip(tokens, values, strict=False):
                _answer(api, code, token, question.id, value)
            expect(page.locator("#screen .pr-text")).to_have_text(question.text, timeout=2_500)
            expect(page.locator("#screen .pr-count")).to_have_text(f"{len(values)} of 6 have answered", timeout=2_500)
            _measure(page, f"full diagnostic {len(question.text)} characters")
    finally:
        context.close()
        ctx.db.dispose()
