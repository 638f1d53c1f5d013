"""A phone follows the facilitator in a real browser: the next question, its reveal and its lock arrive without
a reload, and a participant typing a note keeps their text and focus while the room stands still."""

from __future__ import annotations

import time
import uuid

import httpx
from playwright.sync_api import expect

from e2e.conftest import assert_fits, check_accessibility
from e2e.test_workshop import _draft
from tests.server import admin_headers

PHONE = {"width": 390, "height": 844}


def _slug(question_id: str) -> str:
    return "wq-" + question_id.replace(".", "-")


def test_a_phone_follows_the_facilitator_through_moves_reveals_and_locks_without_a_reload(browser, server):
    _, draft = _draft(server)
    headers = admin_headers(server.database_url, f"facilitator-{uuid.uuid4().hex[:8]}@firm.test")
    with httpx.Client(base_url=server.base, headers=headers, timeout=10) as api:
        workshop = f"/api/v1/assessments/{draft}/workshop"
        code = api.post(workshop).json()["code"]
        sections = api.get("/api/v1/questionnaires/executive-quick-check").json()["sections"]
        order = [q["id"] for s in sections for q in s["questions"]]
        context = browser.new_context(base_url=server.base, viewport=PHONE, is_mobile=True, has_touch=True)
        context.set_default_timeout(10_000)
        phone = context.new_page()
        try:
            phone.goto(f"/join/{code}")
            phone.get_by_label("Your name").fill("Ana Example")
            phone.get_by_label("Your role").fill("Marketing lead")
            phone.get_by_role("button", name="Join the workshop").click()
            expect(phone.locator("#ws-current-title")).to_have_text("Waiting for the facilitator to start")
            check_accessibility(phone, "follow waiting 390")
            assert_fits(phone)

            # The facilitator moves on: the phone shows the first question by itself, within 1.5 s.
            assert api.put(f"{workshop}/current", json={"move": "next"}).status_code == 200
            moved = time.monotonic()
            first = phone.locator(f"#{_slug(order[0])}")
            expect(first).to_be_visible(timeout=1_500)
            assert time.monotonic() - moved < 1.5
            expect(phone.locator("#ws-current-title")).to_have_text(
                f"Question 1 of {len(order)} · Section 1: {sections[0]['title']}"
            )
            expect(phone.locator("#announce")).to_contain_text("Question 1 of")
            check_accessibility(phone, "follow question 390")
            assert_fits(phone)

            # Typing a note while unchanged polls come and go: the text and the focus stay.
            note = phone.locator(f"#{_slug(order[0])}-note")
            note.click()
            note.press_sequentially("Our CRM links most")
            polls = []
            phone.on("response", lambda r: polls.append(r.status) if r.url.endswith(f"/join/{code}/now") else None)
            phone.wait_for_timeout(2_500)  # two or three polls, the room unchanged
            assert polls, "the phone did not poll"
            note.press_sequentially(" bookings")
            expect(note).to_be_focused()
            expect(note).to_have_value("Our CRM links most bookings")

            # Saved, then the room moves on and comes back: the answer is still there.
            first.locator(f"label[for='{_slug(order[0])}-most']").click()
            expect(first.locator("[data-save-status]")).to_have_text("Saved")
            api.put(f"{workshop}/current", json={"move": "next"})
            expect(phone.locator(f"#{_slug(order[1])}")).to_be_visible(timeout=1_500)
            expect(phone.locator("#ws-current-title")).to_contain_text(f"Question 2 of {len(order)}")
            api.put(f"{workshop}/current", json={"move": "previous"})
            expect(phone.locator(f"#{_slug(order[0])}-most")).to_be_checked(timeout=1_500)
            expect(phone.locator(f"#{_slug(order[0])}-note")).to_have_value("Our CRM links most bookings")

            # The reveal shows under the question, then the lock takes the form away.
            api.patch(f"{workshop}/questions/{order[0]}", json={"revealed": True})
            reveal = phone.locator("#ws-reveal")
            expect(reveal).to_contain_text("How the room answered", timeout=1_500)
            expect(reveal).to_contain_text("1 answered")
            check_accessibility(phone, "follow reveal 390")
            assert_fits(phone)
            api.patch(f"{workshop}/questions/{order[0]}", json={"locked": True})
            expect(phone.locator("#ws-current")).to_contain_text("Answers to this question are closed", timeout=1_500)
            expect(phone.locator(f"#{_slug(order[0])} form")).to_have_count(0)
            check_accessibility(phone, "follow locked 390")

            # Every question is one link away, and back.
            phone.get_by_role("link", name="All questions", exact=True).click()
            expect(phone.locator(f"#{_slug(order[-1])}")).to_be_visible()
            assert_fits(phone)
            phone.get_by_role("link", name="Back to the room’s current question").click()
            expect(phone.locator("#ws-current-title")).to_contain_text("Question 1 of")

            api.patch(workshop, json={"status": "closed"})
            expect(phone.locator("#ws-current-title")).to_have_text("The workshop is closed", timeout=1_500)
            check_accessibility(phone, "follow closed 390")
            assert_fits(phone)
        finally:
            context.close()
