"""Boosted navigation in a real browser, at desktop and phone widths: each page starts at the top with the keyboard on
its heading, a bar and a busy control while it loads, Back without a reload, a focus ring that stands out."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import Page, expect

from backend.schemas.views import AssessmentCreate, OrganisationCreate
from backend.services.assessments import assessments
from backend.services.organisations import members, organisations
from e2e.conftest import check_accessibility, sign_in

CEO = "ceo@northwind.test"
WIDTHS = (1366, 390)
_orgs = itertools.count(1)


@pytest.fixture
def draft(server) -> int:
    """The quick check drafted for the executive, in an organisation of its own."""
    ctx = server.context()
    org = organisations.create_organisation(ctx, OrganisationCreate(name=f"Navigation Outfitters {next(_orgs)}"))
    members.add_member(ctx, org.id, members.MemberCreate(email=CEO, role="member"))
    made = assessments.create_assessment(
        ctx, org.id, AssessmentCreate(questionnaire_id="executive-quick-check", period="2026-Q4")
    )
    ctx.db.dispose()
    return made.id


def _answering(page: Page, draft: int, width: int, section: int = 1) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, CEO)
    page.goto(f"/assessments/{draft}/answer/{section}")


def _scroll_to_bottom(page: Page) -> int:
    """Scroll to the end of the page, as a reader who got there; how far down that is (a real distance)."""
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    down = page.evaluate("window.scrollY")
    assert down > 200, "the page is too short to show where a navigation lands"
    return down


def _landed(page: Page, heading) -> None:
    """The keyboard is on the page's heading and the page shows its top."""
    expect(heading).to_be_focused()
    assert page.evaluate("window.scrollY") == 0


def _hold(page: Page, pattern: str) -> list:
    """Requests to addresses matching the pattern wait, in the list returned, until the test lets them go."""
    held = []
    page.route(re.compile(pattern), lambda route: held.append(route))
    return held


def _ring(element) -> str:
    """The outline style the element shows now: 'none' when no ring is drawn."""
    return element.evaluate("e => getComputedStyle(e).outlineStyle")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_navigation_starts_at_the_top_with_the_keyboard_on_the_heading(page, server, draft, width):
    _answering(page, draft, width)
    _scroll_to_bottom(page)
    page.locator("a.q-next").click()
    expect(page).to_have_url(re.compile(rf"/assessments/{draft}/answer/2$"))
    title = page.locator("#section-title")
    _landed(page, title)
    expect(title).to_contain_text("Section 2 of")
    assert _ring(title) == "none"  # reached with the mouse: announced, no box drawn around it
    check_accessibility(page, f"navigation next section {width}")

    # An answer saved in place is not a navigation: the keyboard stays on it, the page where it is.
    page.keyboard.press("Tab")
    choice = page.locator(".question input[type=radio]").first
    expect(choice).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator(".question [data-save-status]").first).to_have_text("Saved")
    expect(page.locator(".question input[type=radio]").first).to_be_focused()

    # A plain link at the foot of the page: the next page shows its top, its h1 has the keyboard.
    _scroll_to_bottom(page)
    page.locator(".foot a").click()
    _landed(page, page.get_by_role("heading", level=1, name="Models and questionnaires"))
    check_accessibility(page, f"navigation models {width}")

    # Followed with the keyboard, the heading it lands on shows the focus ring.
    page.get_by_role("link", name="How Tribewise reaches its diagnosis").focus()
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", level=1, name="How Tribewise reaches its diagnosis")
    _landed(page, heading)
    assert _ring(heading) == "solid"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_link_to_a_place_in_another_page_lands_there_with_the_keyboard(page, server, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/content/questionnaires/executive-quick-check")
    link = page.locator(".measures-line a").first
    place = link.get_attribute("href").split("#")[1]
    link.click()
    expect(page).to_have_url(re.compile(re.escape(f"#{place}") + "$"))
    criterion = page.locator(f"[id='{place}']")
    expect(criterion).to_be_focused()
    expect(criterion).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    check_accessibility(page, f"navigation to a criterion {width}")


def test_a_slow_navigation_shows_the_bar_and_a_busy_link_until_the_page_arrives(page, server, draft):
    _answering(page, draft, 390)
    bar = page.locator("#nav-progress")
    expect(bar).to_be_hidden()
    held = _hold(page, r"/answer/2$")
    following = page.locator("a.q-next")
    following.click()
    expect(bar).to_be_visible()
    expect(following).to_have_attribute("aria-busy", "true")
    assert following.evaluate("e => getComputedStyle(e).cursor") == "progress"
    assert following.evaluate("e => getComputedStyle(e, '::after').animationName") == "busy"  # a turning circle
    assert bar.evaluate("e => getComputedStyle(e, '::before').animationName") == "nav-progress"
    check_accessibility(page, "navigation on its way")
    held.pop().continue_()
    _landed(page, page.locator("#section-title"))
    expect(bar).to_be_hidden()
    expect(page.locator("[aria-busy]")).to_have_count(0)

    # Saving an answer is no navigation: no bar, nothing busy, while the save is on its way.
    held = _hold(page, r"/answers/")
    page.locator(".question label").first.click()
    expect(page.locator(".question [data-save-status]").first).to_have_text("Saving…")
    expect(bar).to_be_hidden()
    expect(page.locator("[aria-busy]")).to_have_count(0)
    held.pop().continue_()
    expect(page.locator(".question [data-save-status]").first).to_have_text("Saved")

    # Motion reduced: the bar stands still.
    page.emulate_media(reduced_motion="reduce")
    assert bar.evaluate("e => getComputedStyle(e, '::before').animationName") == "none"


@pytest.mark.parametrize("width", WIDTHS)
def test_back_brings_the_page_again_without_a_reload(page, server, draft, width):
    _answering(page, draft, width)
    page.evaluate("window.marker = 'never reloaded'")
    down = _scroll_to_bottom(page)
    page.locator(".foot a").click()
    _landed(page, page.get_by_role("heading", level=1, name="Models and questionnaires"))
    expect(page.locator("link[href*='questionnaire.css']")).to_have_count(0)

    page.go_back()
    expect(page).to_have_url(re.compile(rf"/assessments/{draft}/answer/1$"))
    expect(page.locator("#section-title")).to_be_focused()
    assert page.evaluate("window.marker") == "never reloaded"
    assert page.evaluate("window.scrollY") == down  # where the reader left it
    expect(page.locator("link[href*='questionnaire.css']")).to_have_count(1)
    expect(page.locator("link[href*='portfolio.css']")).to_have_count(0)
    assert page.locator(".q-pager").evaluate("e => getComputedStyle(e).display") == "flex"  # the stylesheet applies
    expect(page).to_have_title(re.compile("^Knowing and serving customers"))
    check_accessibility(page, f"navigation back {width}")


def test_back_to_a_page_that_is_gone_loads_it_whole(page, server, draft):
    _answering(page, draft, 1366)
    page.evaluate("window.marker = 'never reloaded'")
    page.locator(".foot a").click()
    _landed(page, page.get_by_role("heading", level=1, name="Models and questionnaires"))
    ctx = server.context()
    assessments.delete_assessment(ctx, draft)
    ctx.db.dispose()

    page.go_back()  # the server answers 404: the page is loaded whole, so what shows matches the address
    expect(page.get_by_role("heading", level=1, name="Not found")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/assessments/{draft}/answer/1$"))
    assert page.evaluate("window.marker") is None
    check_accessibility(page, "navigation back to a page that is gone")


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a computed 'rgb(r, g, b)' colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


BEHIND = """e => {
  // The ring is drawn outside the element: what lies behind it is the first ancestor with a background.
  for (let up = e.parentElement; up; up = up.parentElement) {
    const colour = getComputedStyle(up).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") return colour;
  }
  return "rgb(255, 255, 255)";
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_the_focus_ring_stands_out_on_white_on_the_light_wash_and_in_the_top_bar(page, server, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/content")
    page.keyboard.press("Tab")  # the keyboard is in use: focus shows its ring
    links = {
        "white": page.get_by_role("link", name="How Tribewise reaches its diagnosis"),
        "wash": page.locator(".foot a"),
        "top bar": page.locator(".top a.brand"),
    }
    for where, link in links.items():
        link.focus()
        assert link.evaluate("e => e.matches(':focus-visible')")
        assert _ring(link) == "solid"
        ring = link.evaluate("e => getComputedStyle(e).outlineColor")
        behind = link.evaluate(BEHIND)
        assert _contrast(ring, behind) >= 3, f"{where}: the ring {ring} on {behind}"
    check_accessibility(page, f"navigation focus ring {width}")
