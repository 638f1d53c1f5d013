"""The real server on a free port, Debian's chromium driven by Playwright, axe-core, screenshots."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from backend.content.answers import load_answer_file
from backend.content.loader import load_content
from backend.schemas.views import AnswerPut, AssessmentCreate
from backend.services.accounts import users
from backend.services.assessments import assessments
from backend.services.assessments.answers import save_answer
from backend.services.kernel.context import Context
from backend.storage.db import Database
from tests.conftest import SCRATCH
from tests.mailserver import Inbox, smtp_server
from tests.server import free_port, running_server

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
# Moderate findings held to as well: two landmarks with one name leave a screen-reader user unable to tell them apart.
ENFORCED = frozenset({"landmark-unique"})
PERSONAS = ROOT / "tests" / "data" / "answers"
SHOTS = SCRATCH / "screenshots"  # outside the repository, as everything tests write
CHROMIUM = os.environ.get("TRIBEWISE_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "browser test password"
# The innermost elements that push the page wider than the window, to say what makes it scroll sideways:
# what sticks out of a scroll box stays inside it, unless it is positioned (a scroll box does not clip those).
WIDER_THAN_VIEWPORT = """() => {
  const edge = document.documentElement.clientWidth + 1;
  const boxed = e => {
    if (getComputedStyle(e).position === 'absolute') return false;
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    return false;
  };
  const out = e => e.getBoundingClientRect().right > edge && !boxed(e);
  return [...document.querySelectorAll('body *')].filter(e => out(e) && ![...e.children].some(out))
    .slice(0, 5).map(e => e.tagName + '.' + e.getAttribute('class') + ' ' + Math.round(e.getBoundingClientRect().right));
}"""
USERS = {"admin@firm.test": "admin", "lead@firm.test": "consultant", "ceo@northwind.test": "member"}


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """`tribewise serve` on SQLite with an admin, a consultant and an executive (member) who can sign in."""
    folder = tmp_path_factory.mktemp("server")
    url = f"sqlite:///{folder / 'tribewise.db'}"
    database = Database(url)
    database.upgrade()
    ctx = Context(database, load_content())
    for email, role in USERS.items():
        users.create_user(ctx, users.UserCreate(email=email, role=role, password=PASSWORD))
    database.dispose()
    port = free_port()
    with (
        smtp_server() as inbox,
        running_server(
            url,
            folder,
            port=port,
            TRIBEWISE_COOKIE_SECURE="1",
            TRIBEWISE_SMTP_URL=inbox.url,
            TRIBEWISE_BASE_URL=f"http://127.0.0.1:{port}",
        ) as base,
    ):
        yield Server(base, url, folder, inbox)


class Server:
    """Where the server answers, its database, and the mail it sent (to a real SMTP server)."""

    def __init__(self, base: str, database_url: str, folder: Path, inbox: Inbox):
        self.base, self.database_url, self.folder, self.inbox = base, database_url, folder, inbox

    def context(self) -> Context:
        """A services context on the server's database, to arrange or check data directly."""
        return Context(Database(self.database_url), load_content())


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium (Playwright's own download does not work here)."""
    with sync_playwright() as playwright:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server) -> Page:
    """A fresh browser context (its own cookies) on the server."""
    context = browser.new_context(base_url=server.base, accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the form, with the keyboard."""
    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    expect(page.locator(".who")).to_have_text(email)


def check_accessibility(page: Page, name: str) -> None:
    """axe-core on the page as shown: no serious or critical violation nor one of ENFORCED; and a screenshot of it."""
    page.evaluate(AXE.read_text())  # evaluated by the test driver, so the page's CSP needs no exception
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical") or v["id"] in ENFORCED
    ]
    screenshot(page, name)
    assert not bad, f"{name}: " + "; ".join(bad)


def screenshot(page: Page, name: str) -> Path:
    """Write a full-page screenshot to SHOTS/NAME.png (tribewise-tests/screenshots in the temporary folder)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_fits(page: Page) -> None:
    """Nothing sticks out sideways: the page reads without scrolling left and right."""
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{width}px wide in {viewport}px: {page.evaluate(WIDER_THAN_VIEWPORT)}"


def answered_diagnostic(ctx: Context, organisation_id: int, period: str, persona: str, baseline_id: int | None = None):
    """A full diagnostic for the period, answered as one of tests/data/answers' personas by lead@firm.test."""
    assessment = assessments.create_assessment(
        ctx,
        organisation_id,
        AssessmentCreate(questionnaire_id="full-diagnostic", period=period, baseline_assessment_id=baseline_id),
    )
    _, values = load_answer_file(PERSONAS / f"{persona}.yaml", ctx.content)
    for question_id, value in values.items():
        reason = "not part of our business" if value == "not_applicable" else ""
        save_answer(
            ctx,
            assessment.id,
            question_id,
            AnswerPut(value=value, reason=reason, note="", answered_by="lead@firm.test"),
        )
    return assessment
