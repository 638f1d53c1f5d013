"""The room's side of a workshop: /join by typed code, and the presenter screen the projector shows."""

from __future__ import annotations

import re

from litestar.testing import TestClient

from backend.services.workshops import presenter
from backend.services.workshops.workshops import question_order
from tests.integration import test_pages_workshop as workshop_pages
from tests.integration.conftest import BASE
from tests.integration.test_pages_no_ids import id_pattern, leaks, visible
from tests.integration.test_pages_workshop import HTMX, PEOPLE, QN, _open, _post, _say
from tests.integration.web import browser, csrf_of

PRESENT = "/assessments/{}/workshop/present"
# The workshop pages' fixtures: a draft quick check with a consultant and a member, and participants joining.
draft = workshop_pages.draft
joiner = workshop_pages.joiner


def _press(web, aid, key):
    """Press a presenter key as a plain form post."""
    page = PRESENT.format(aid)
    return _post(web, f"{page}/{key}", page)


def _htmx(web, aid, key, headers):
    """Press a presenter key as presenter.js does (htmx)."""
    page = PRESENT.format(aid)
    token = csrf_of(web.get(page).text)
    return web.post(f"{page}/{key}", data={"_csrf_token": token}, headers=headers, follow_redirects=False)


def _shown(html: str) -> str:
    return visible(html)


# /join


def test_join_takes_a_typed_code_in_any_case_with_or_without_the_dash(app, draft):
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
    with TestClient(app=app, base_url=BASE) as anyone:
        form = anyone.get("/join")
        assert form.status_code == 200 and 'for="join-code">Workshop code</label>' in form.text
        for typed in (code.lower(), f"{code[:4].lower()}-{code[4:].lower()}", f" {code[:4]} {code[4:]} ", code):
            response = anyone.get("/join", params={"code": typed}, follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"] == f"/join/{code}", typed
        landed = anyone.get("/join", params={"code": code.lower()})
        assert landed.status_code == 200 and "Join the workshop" in landed.text and 'id="join-name"' in landed.text
        posted = _post(anyone, "/join", "/sign-in", code=code.lower())
        assert posted.status_code == 303 and posted.headers["location"] == f"/join/{code}"


def test_join_says_what_is_wrong_with_a_bad_or_unknown_code_and_keeps_what_was_typed(app, draft):
    with TestClient(app=app, base_url=BASE) as anyone:
        short = anyone.get("/join", params={"code": "abc<1"})
        assert short.status_code == 422 and "8 letters and digits" in short.text
        assert 'value="abc&lt;1"' in short.text and 'aria-invalid="true"' in short.text
        unknown = anyone.get("/join", params={"code": "zzzz-zzzz"})
        assert unknown.status_code == 404 and "No workshop has the code ZZZZ-ZZZZ" in unknown.text
        assert 'value="zzzz-zzzz"' in unknown.text
        empty = anyone.get("/join", params={"code": "  "})
        assert empty.status_code == 422 and "Type the workshop code" in empty.text
        huge = anyone.get("/join", params={"code": "x" * 5000})
        assert huge.status_code == 422 and "x" * 41 not in huge.text
        assert _post(anyone, "/join", "/sign-in", code="").status_code == 422


def test_the_sign_in_page_leads_to_join(app):
    with TestClient(app=app, base_url=BASE) as anyone:
        assert '<a href="/join">Joining a workshop? Enter its code</a>' in anyone.get("/sign-in").text


# The presenter screen


def test_the_facilitator_page_links_to_the_presenter_screen(app, draft):
    with browser(app, "lead@acme.test") as web:
        _open(web, draft)
        html = web.get(f"/assessments/{draft}/workshop").text
        assert f'href="{PRESENT.format(draft)}" target="_blank"' in html and "Open the presenter screen" in html


def test_before_the_first_question_the_screen_welcomes_the_room_with_address_code_and_qr(app, joiner, draft):
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
        joiner(code, *PEOPLE[0])
        response = web.get(PRESENT.format(draft))
        assert response.status_code == 200
        text = _shown(response.text)
        assert "testserver.local<wbr>/join" in response.text and f"{code[:4]}-{code[4:]}" in text
        assert "1 person has joined. The first question is coming." in text
        assert f'src="/api/v1/assessments/{draft}/workshop/qr.svg"' in response.text
        assert 'hx-trigger="every 1s"' in response.text and "Back to the workshop console" in text
        assert "Workshop code" not in text and 'class="top"' not in response.text  # no site chrome on the projector


def test_the_screen_shows_the_current_question_waiting_then_revealed_in_words_then_locked(app, joiner, ctx, draft):
    plan = ctx.content.plans[QN]
    first = plan.questions[question_order(plan)[0]]
    values = [o.value for o in first.options]
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
        people = [joiner(code, *p) for p in PEOPLE] + [joiner(code, "Dee Example")]
        assert _press(web, draft, "next").status_code == 303
        text = _shown(web.get(PRESENT.format(draft)).text)
        section = plan.questionnaire.sections[0]
        assert f"Question 1 of {len(plan.questions)} · Section 1: {section.title}" in text
        assert first.text in text and "0 of 4 have answered" in text and "Waiting for answers" in text
        assert f"Join at testserver.local/join {code[:4]}-{code[4:]}" in text
        # Three of four agree on one option, one a neighbour: answered, but nothing shown until revealed.
        for person, value in zip(people, [values[2], values[2], values[2], values[1]], strict=True):
            assert _say(person, code, first.id, value).status_code == 303
        text = _shown(web.get(PRESENT.format(draft)).text)
        assert "4 of 4 have answered" in text and "Most answered" not in text
        assert _press(web, draft, "reveal").status_code == 303
        html = web.get(PRESENT.format(draft)).text
        text = _shown(html)
        top = first.options[2].label
        assert f"Most answered “{top}”" in text and f"The room leans towards “{top}”" in text  # spread 0.29
        assert "Waiting for answers" not in text and 'class="pr-dist"' in html
        rows = re.findall(r'<span class="pr-opt">([^<]+)</span>.*?<span class="pr-n">(\d+)</span>', html, re.S)
        assert [(label, int(n)) for label, n in rows] == [
            (o.label, {2: 3, 1: 1}.get(i, 0)) for i, o in enumerate(first.options)
        ]
        assert _press(web, draft, "lock").status_code == 303
        text = _shown(web.get(PRESENT.format(draft)).text)
        assert "Answers closed" in text and "Most answered" in text
        refused = _say(people[3], code, first.id, values[2], headers=HTMX)
        assert refused.status_code == 409
        assert _press(web, draft, "reveal").status_code == 303 and _press(web, draft, "lock").status_code == 303
        text = _shown(web.get(PRESENT.format(draft)).text)
        assert "Most answered" not in text and "Answers closed" not in text and "Waiting for answers" in text
        assert _press(web, draft, "previous").status_code == 303
        assert _press(web, draft, "previous").status_code == 303  # stays at the first
        assert "Question 1 of" in _shown(web.get(PRESENT.format(draft)).text)


def test_the_keys_move_reveal_and_lock_through_the_services_and_are_audited(app, client, joiner, ctx, draft):
    plan = ctx.content.plans[QN]
    order = question_order(plan)
    with browser(app, "lead@acme.test") as web:
        _open(web, draft)
        refused = _press(web, draft, "reveal")
        assert refused.status_code == 409 and "no current question to reveal yet" in _shown(refused.text)
        htmx = _htmx(web, draft, "reveal", HTMX)
        assert htmx.status_code == 409 and htmx.text.startswith("There is no current question")
        assert _press(web, draft, "sideways").status_code in (404, 405)
        fragment = _htmx(web, draft, "next", HTMX)
        assert fragment.status_code == 200 and "<html" not in fragment.text and "Question 1 of" in fragment.text
        for key in ("next", "previous", "next", "reveal", "lock", "reveal"):
            assert _press(web, draft, key).status_code == 303
        workshop = web.get(f"/api/v1/assessments/{draft}/workshop").json()
        assert workshop["current_question"] == order[1]
        assert workshop["revealed_questions"] == [] and workshop["locked_questions"] == [order[1]]
        organisation = web.get(f"/api/v1/assessments/{draft}").json()["organisation_id"]
        audit = web.get(f"/api/v1/organisations/{organisation}/audit").json()
        changes = [e for e in audit if e["action"] == "workshop.update"]
        assert len(changes) == 7 and all(e["actor"] == "lead@acme.test" for e in changes)


def test_a_question_revealed_or_locked_with_its_section_is_left_to_the_console(app, ctx, draft):
    section = ctx.content.plans[QN].questionnaire.sections[0]
    with browser(app, "lead@acme.test") as web:
        _open(web, draft)
        _press(web, draft, "next")
        page = f"/assessments/{draft}/workshop"
        assert _post(web, f"{page}/sections/{section.id}", page, revealed="1", locked="1").status_code == 303
        for key in ("reveal", "lock"):
            refused = _press(web, draft, key)
            assert refused.status_code == 409 and "from the workshop console" in refused.text
        text = _shown(web.get(PRESENT.format(draft)).text)
        assert "Answers closed" in text and "Too few answers to say where the room stands" in text


def test_the_poll_answers_304_until_something_on_the_screen_changes(app, joiner, ctx, draft):
    first = question_order(ctx.content.plans[QN])[0]
    screen = PRESENT.format(draft) + "/screen"
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
        ana = joiner(code, *PEOPLE[0])
        assert web.get(screen, follow_redirects=False).status_code == 303  # a plain visit gets the whole page
        polled = web.get(screen, headers=HTMX)
        etag = polled.headers["etag"]
        assert polled.status_code == 200 and "<html" not in polled.text
        again = web.get(screen, headers={**HTMX, "If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        joiner(code, *PEOPLE[1])  # someone joins: the count on the welcome changes
        joined = web.get(screen, headers={**HTMX, "If-None-Match": etag})
        assert joined.status_code == 200 and "2 people have joined" in joined.text
        _press(web, draft, "next")
        moved = web.get(screen, headers=HTMX)
        etag = moved.headers["etag"]
        assert web.get(screen, headers={**HTMX, "If-None-Match": etag}).status_code == 304
        assert _say(ana, code, first, "most").status_code == 303
        answered = web.get(screen, headers={**HTMX, "If-None-Match": etag})
        assert answered.status_code == 200 and "1 of 2 has answered" in answered.text
        assert answered.headers["etag"] != etag and len(answered.content) < 4_000
        etag = answered.headers["etag"]
        assert _say(ana, code, first, "a_minority").status_code == 303  # a changed answer changes the counts
        assert web.get(screen, headers={**HTMX, "If-None-Match": etag}).status_code == 200


def test_a_closed_workshop_shows_the_level_stage_and_first_three_steps(app, joiner, ctx, draft):
    plan = ctx.content.plans[QN]
    with browser(app, "lead@acme.test") as web:
        _open(web, draft)
        page = f"/assessments/{draft}/workshop"
        assert _post(web, f"{page}/settings", page, status="closed").status_code == 303
        text = _shown(web.get(PRESENT.format(draft)).text)
        assert "The workshop is closed" in text and "Not assessed: too few answers to place any level" in text
        assert "Join at" not in text
        # The group agrees on every question: the end screen scores those answers.
        for question_id in question_order(plan):
            value = plan.questions[question_id].options[-1].value
            response = _post(web, f"{page}/consensus/{question_id}", page, value=value, rationale="agreed")
            assert response.status_code == 303, response.text
        html = web.get(PRESENT.format(draft)).text
        screen = presenter.presenter_screen(ctx, draft)
        ending = screen.ending
        assert ending.level.level is not None and ending.stage.level is not None
        text = _shown(html)
        assert f"Level {ending.level.level}: {ending.level.level_name}" in text
        assert f"Stage {ending.stage.level}" in text
        steps = re.findall(r"<li>([^<]+)</li>", html.split('class="pr-steps"')[1]) if 'class="pr-steps"' in html else []
        assert len(steps) <= 3 and steps == list(ending.steps)
        assert steps or "No next steps yet" in text


def test_the_presenter_screen_is_for_the_facilitator_only(app, joiner, draft):
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
    ana = joiner(code, *PEOPLE[0])
    for path in (PRESENT.format(draft), PRESENT.format(draft) + "/screen"):
        assert ana.get(path, headers=HTMX, follow_redirects=False).status_code in (303, 401)
    with TestClient(app=app, base_url=BASE) as anonymous:
        assert anonymous.get(PRESENT.format(draft), follow_redirects=False).status_code in (303, 401)
        refused = _post(anonymous, PRESENT.format(draft) + "/next", "/sign-in")
        assert refused.status_code in (401, 403)
    with browser(app, "ceo@acme.test") as member:
        assert member.get(PRESENT.format(draft)).status_code == 403
        refused = _post(member, PRESENT.format(draft) + "/next", "/account")
        assert refused.status_code == 403


def test_no_presenter_state_shows_an_internal_id(app, joiner, ctx, draft):
    pattern = id_pattern(ctx.content)
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
        ana = joiner(code, *PEOPLE[0])
        seen = [web.get(PRESENT.format(draft)).text]
        _press(web, draft, "next")
        _say(ana, code, question_order(ctx.content.plans[QN])[0], "most")
        for key in ("reveal", "lock"):
            _press(web, draft, key)
            seen.append(web.get(PRESENT.format(draft)).text)
        page = f"/assessments/{draft}/workshop"
        _post(web, f"{page}/settings", page, status="closed")
        seen.append(web.get(PRESENT.format(draft)).text)
        seen.append(web.get("/join", params={"code": "nope"}).text)
    for html in seen:
        assert not leaks(pattern, visible(html))
