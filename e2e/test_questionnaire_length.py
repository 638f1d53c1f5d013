"""The full diagnostic's length as a respondent meets it: three typical organisations walk it in the
browser, answering the screening questions as they would, and the questions the page shows are counted."""

from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import Page, expect

from backend.content.loader import load_content
from backend.scoring.engine import visible_questions
from backend.scoring.models import Answer
from backend.services.assessments import answers
from e2e.conftest import check_accessibility, sign_in
from e2e.test_questionnaire import CEO, _draft
from tests.unit.test_questionnaire_length import MINUTES_PER_QUESTION, TYPICAL

SMALL, MIDDLE, LARGE = TYPICAL  # the shop, the retailer, the large firm, in that order
QUESTIONNAIRE = "full-diagnostic"
# The ids of the questions the page shows (not the hidden slots of questions a screening answer skipped).
SHOWN = "els => els.filter(e => e.checkVisibility()).map(e => e.dataset.question)"


def _answer(page: Page, question_id: str, screening: dict[str, str]) -> str:
    """Choose the organisation's screening answer, or else the middle of the question's own options; wait until saved."""
    question = page.locator("#q-" + question_id.replace(".", "-"))
    if question_id in screening:
        value = screening[question_id]
        choice = question.locator(f"input[type=radio][value='{value}']")
    else:
        options = question.locator(".choices:not(.others) input[type=radio]")
        choice = options.nth(options.count() // 2)
        value = choice.get_attribute("value")
    choice.check()
    expect(question.locator("[data-save-status]")).to_have_text("Saved")
    return value


def _walk(
    page: Page, assessment_id: int, screening: dict[str, str], sections: int, audit: bool
) -> tuple[list[str], dict[str, str]]:
    """Every section in turn through the Next link: each question shown is answered, in page order, as the
    page reacts to the answers; returns the questions shown once each section is answered, and the answers."""
    page.goto(f"/assessments/{assessment_id}/answer/1")
    seen: list[str] = []
    given: dict[str, str] = {}
    for number in range(1, sections + 1):
        expect(page).to_have_url(re.compile(rf"/answer/{number}$"))
        before = set(given)
        while pending := [
            qid for qid in page.locator("#questions [data-question]").evaluate_all(SHOWN) if qid not in given
        ]:
            given[pending[0]] = _answer(page, pending[0], screening)
        shown = page.locator("#questions [data-question]").evaluate_all(SHOWN)
        # A question answered and then hidden by a later answer of the same section would be asked for nothing.
        assert set(given) - before == set(shown), f"section {number}: answered but no longer shown"
        seen += shown
        expect(page.locator(".q-sections li.current .q-s-count")).to_contain_text(f"{len(shown)} of {len(shown)}")
        if audit and number == 3:  # the social presence section, with questions the screening answer skipped
            check_accessibility(page, "questionnaire-screened-section")
        if number < sections:
            page.locator("a.q-next").click()
    expect(page.locator("#progress-overall")).to_have_attribute("value", str(len(seen)))
    return seen, given


def _stated(description: str) -> dict[str, int]:
    """The counts and times the questionnaire's description states."""
    text = " ".join(description.split())
    counts = re.search(r"sees (\d+) to (\d+) questions", text)
    times = re.search(r"allow (\d+) minutes for a small organisation and (\d+) minutes for a large one", text)
    assert counts and times, f"the description no longer states the counts and times this test checks: {text}"
    assert "a minute and a half per question" in text, "the description's rate is not the rate the counts are timed at"
    return {"fewest": int(counts[1]), "most": int(counts[2]), "small": int(times[1]), "large": int(times[2])}


def _timed(count: int) -> int:
    """The time to allow for a count of questions, rounded up to five minutes (an allowance never falls short)."""
    return 5 * math.ceil(count * MINUTES_PER_QUESTION / 5)


@pytest.fixture(scope="module")
def plan():
    """The full diagnostic as the server loads it."""
    return load_content().plan(QUESTIONNAIRE)


@pytest.fixture(scope="module")
def walked(browser, server, plan) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Each typical organisation's own draft, walked in its own browser context."""
    ctx = server.context()
    sections = len(plan.questionnaire.sections)
    results = {}
    for name, screening in TYPICAL.items():
        aid = _draft(ctx, questionnaire_id=QUESTIONNAIRE)
        context = browser.new_context(base_url=server.base, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        try:
            page = context.new_page()
            sign_in(page, CEO)
            seen, given = _walk(page, aid, screening, sections, audit=name == SMALL)
        finally:
            context.close()
        stored = {a.question_id: a.value for a in answers.list_answers(ctx, aid)}
        assert stored == given, "an answer chosen on the page is not the one stored"
        results[name] = (seen, given)
    ctx.db.dispose()
    return results


@pytest.mark.parametrize("organisation", TYPICAL)
def test_a_typical_organisation_is_shown_at_most_seventy_questions_and_answers_each_once(walked, organisation):
    seen, given = walked[organisation]
    assert len(seen) == len(set(seen)), "a question was shown in two sections"
    assert len(seen) <= 70
    assert set(given) == set(seen), "every question shown is answered, and none answered is left hidden"
    assert all(given[qid] == value for qid, value in TYPICAL[organisation].items())


@pytest.mark.parametrize("organisation", TYPICAL)
def test_the_page_shows_exactly_the_questions_the_engine_scores(walked, plan, organisation):
    seen, given = walked[organisation]
    assert set(seen) == visible_questions(plan, {qid: Answer(qid, value) for qid, value in given.items()})


def test_screening_answers_given_earlier_skip_questions_in_later_sections(walked):
    small, large = (set(walked[name][0]) for name in (SMALL, LARGE))
    # "No social accounts" is answered in the presence section and skips questions of the purpose section after it.
    assert "fd.purpose.brand_voice" in large and "fd.purpose.brand_voice" not in small
    assert len(small) < len(walked[MIDDLE][0]) <= len(large)


def test_the_stated_time_is_the_count_of_questions_shown_at_the_stated_rate(walked, plan):
    questionnaire = plan.questionnaire
    counts = {name: len(seen) for name, (seen, _) in walked.items()}
    stated = _stated(questionnaire.description)
    assert stated["fewest"] <= min(counts.values()) and max(counts.values()) <= stated["most"], counts
    assert stated["small"] == _timed(counts[SMALL]), counts
    assert stated["large"] == _timed(counts[LARGE]) == questionnaire.minutes, counts
    assert stated["small"] <= _timed(counts[MIDDLE]) <= stated["large"], counts
