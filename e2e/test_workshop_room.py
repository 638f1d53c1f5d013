"""A whole workshop in real browsers: the facilitator's console on a laptop and the presenter screen on a projector,
five people joining on their phones by typing the code, three questions answered, revealed and locked from the
projector's keys, the split question agreed with a rationale and the others by accepting the group's medians, the
workshop closed with the room's result on the screen, and the summary mailed to those who left an address.
Screenshots of the three screens at each stage; axe on each."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from backend.services.workshops.workshops import question_order
from e2e.conftest import assert_fits, check_accessibility, screenshot, sign_in
from e2e.test_workshop import QN, _draft

PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1366, "height": 900}
# Who joins, and their answers to the first three questions: the room splits on the first and agrees on the others.
PEOPLE = [
    ("Ana", "Marketing", "ana@fjord.test", ("almost_none", "mostly", "occasionally")),
    ("Ben", "Marketing", "", ("nearly_all", "mostly", "occasionally")),
    ("Cy", "Service", "cy@fjord.test", ("a_minority", "mostly", "occasionally")),
    ("Dee", "Service", "", ("nearly_all", "mostly", "occasionally")),
    ("Eli", "Sales", "eli@fjord.test", ("almost_none", "mostly", "occasionally")),
]


def _slug(prefix: str, question_id: str) -> str:
    return f"{prefix}-{question_id.replace('.', '-')}"


def _join(browser: Browser, server, typed_code: str, person: tuple) -> Page:
    """A phone that joins by typing the code on /join, as someone reading it off the projector would."""
    name, department, email, _ = person
    context = browser.new_context(base_url=server.base, viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    phone = context.new_page()
    phone.goto("/join")
    phone.get_by_label("Workshop code").fill(typed_code)
    phone.get_by_role("button", name="Join", exact=True).click()
    phone.get_by_label("Your name").fill(name)
    phone.get_by_label("Your department").fill(department)
    if email:
        phone.get_by_label("Your e-mail").fill(email)
    phone.get_by_role("button", name="Join the workshop").click()
    expect(phone.locator("#ws-current-title")).to_have_text("Waiting for the facilitator to start")
    return phone


def _answer(phone: Page, question_id: str, value: str) -> None:
    block = phone.locator(f"#{_slug('wq', question_id)}")
    expect(block).to_be_visible(timeout=2_000)  # the phone follows the room within its next poll
    block.locator(f"label[for='{_slug('wq', question_id)}-{value}']").click()
    expect(block.locator("[data-save-status]")).to_have_text("Saved")


def _shots(stage: str, presenter: Page, console: Page, phone: Page) -> None:
    """Each of the three screens at this stage: axe clean, nothing sideways on the laptop and phone, a screenshot."""
    check_accessibility(presenter, f"room {stage} presenter")
    console.reload()
    check_accessibility(console, f"room {stage} console")
    assert_fits(console)
    check_accessibility(phone, f"room {stage} phone")
    assert_fits(phone)


def test_a_room_joins_by_code_answers_three_questions_agrees_and_closes(page: Page, browser: Browser, server):
    _, draft = _draft(server)
    order = question_order(server.context().content.plans[QN])[:3]
    console = page
    console.set_viewport_size(LAPTOP)
    sign_in(console, "lead@firm.test")
    console.goto(f"/assessments/{draft}/workshop")
    console.get_by_role("button", name="Open a workshop").click()
    code = console.locator(".ws-code").inner_text().strip()
    presenter = console.context.new_page()
    presenter.set_viewport_size(PROJECTOR)
    presenter.goto(f"/assessments/{draft}/workshop/present")
    screen = presenter.locator("#screen")
    expect(screen.locator(".pr-code")).to_have_text(code)

    # Five phones join by typing the code as they read it: lower case, with or without the dash.
    typed = [code.lower().replace("-", ""), code.lower(), code, code.replace("-", ""), f" {code.lower()} "]
    phones = [_join(browser, server, way, person) for way, person in zip(typed, PEOPLE, strict=True)]
    try:
        expect(screen).to_contain_text("5 people have joined", timeout=2_500)
        _shots("joined", presenter, console, phones[0])

        for number, question_id in enumerate(order):
            presenter.keyboard.press("ArrowRight")
            expect(screen.locator(".pr-where")).to_contain_text(f"Question {number + 1} of", timeout=2_500)
            for phone, person in zip(phones, PEOPLE, strict=True):
                _answer(phone, question_id, person[3][number])
            expect(screen.locator(".pr-count")).to_have_text("5 of 5 have answered", timeout=2_500)
            presenter.keyboard.press("r")
            expect(screen.locator(".pr-row")).to_have_count(4, timeout=2_500)
            expect(phones[1].locator("#ws-reveal")).to_contain_text("5 answered", timeout=2_500)
            if number == 0:
                expect(screen.locator(".pr-words")).to_contain_text("The room is split")
                _shots("revealed", presenter, console, phones[1])
            else:
                expect(screen.locator(".pr-words")).to_contain_text("The room agrees on")
            presenter.keyboard.press("l")
            expect(screen.locator(".pr-count")).to_contain_text("Answers closed", timeout=2_500)
            for phone in phones:
                expect(phone.locator("#ws-current")).to_contain_text(
                    "Answers to this question are closed", timeout=2_500
                )
        _shots("locked", presenter, console, phones[2])

        # The split question is agreed in place, with the rationale the split asks for; the rest by their medians.
        row = console.locator(f"#{_slug('cq', order[0])}")
        row.locator("summary", has_text="Record consensus").click()
        row.locator(f"label[for='{_slug('cq', order[0])}-a_minority']").click()
        row.get_by_label("Rationale").fill("Only loyalty-card holders are known by name")
        row.get_by_role("button", name="Record consensus").click()
        expect(row.locator(".cq-saved")).to_contain_text("Saved: agreed")
        console.get_by_role("link", name="Accept the group's median where the room agrees").click()
        expect(console.locator("input[name=question_id]")).to_have_count(2)
        check_accessibility(console, "room medians review")
        console.get_by_role("button", name="Accept the ticked medians").click()
        expect(console.locator(".notice")).to_have_text("Accepted the group's median on 2 questions")
        for question_id in order[1:]:
            expect(console.locator(f"#{_slug('cq', question_id)} .cq-agreed")).to_contain_text("Agreed:")

        # Closing: the projector shows where the room places the organisation and its first steps; phones say so.
        console.get_by_role("button", name="Close the workshop").click()
        expect(screen).to_contain_text("Where the room places you", timeout=2_500)
        # Three questions place the ladder but not the stages: the screen says so rather than showing a stage 0.
        expect(screen).to_contain_text("Level 0: Anonymous")
        expect(screen).to_contain_text("Not assessed: too few answers to place any stage")
        expect(screen).to_contain_text("First next steps")
        for phone in phones:
            expect(phone.locator("#ws-current-title")).to_have_text("The workshop is closed", timeout=2_500)
        _shots("closed", presenter, console, phones[0])

        # And those who left an address get the summary by e-mail.
        console.get_by_role("button", name="E-mail the summary to the 3 participants who left an address").click()
        expect(console.locator(".notice")).to_have_text("Summary sent to 3 participants")
        for address in ("ana@fjord.test", "cy@fjord.test", "eli@fjord.test"):
            (summary,) = [m for m in server.inbox.to(address, 1) if "what the workshop agreed" in m["Subject"]]
            assert "Where" not in summary["Subject"] and summary["To"] == address
        screenshot(console, "room summary sent console")
    finally:
        for phone in phones:
            phone.context.close()
