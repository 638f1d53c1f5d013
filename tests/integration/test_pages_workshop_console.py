"""The facilitator's console: the questions in questionnaire order, taking the room to one, consensus in place,
the group's medians accepted at once, the board kept small, and the perception gaps page."""

from __future__ import annotations

import gzip
import random
import re

import pytest
from sqlmodel import select

from backend.schemas.workshops import WorkshopJoin
from backend.services.assessments import answers
from backend.services.workshops import participants
from backend.storage.tables import AuditEvent, Consensus, ParticipantAnswer
from tests.integration.api import make_assessment, make_org
from tests.integration.web import browser, csrf_of, make_user

QN = "executive-quick-check"
KNOWN = "qc.customers.identified_share"  # almost_none 0, a_minority 0.3, most 0.75, nearly_all 1
HEAR = "qc.customers.hear_and_respond"  # rarely 0, sometimes 0.3, mostly 0.75, always 1
LISTEN = "qc.social.listening"  # not_at_all 0, ad_hoc 0.3, main_networks 0.75, everywhere 1
HTMX = {"HX-Request": "true"}
RATIONALE_NEEDED = "The room disagreed on this question: say in a sentence why the group settled on this answer"
MEDIAN_NOTE = "Accepted the group's median (low spread)"


def slug(question_id: str) -> str:
    return "cq-" + question_id.replace(".", "-")


@pytest.fixture
def room(client, ctx):
    """An organisation with a consultant (lead), a draft quick check with a workshop open; returns (id, code)."""

    def open_room(questionnaire: str = QN) -> tuple[int, str]:
        org = make_org(client)
        make_user(ctx, "lead@acme.test", organisation_id=org, member_role="consultant")
        assessment = make_assessment(client, org, "2026-Q4", questionnaire)
        code = client.post(f"/api/v1/assessments/{assessment}/workshop").json()["code"]
        return assessment, code

    return open_room


def crowd(ctx, code: str, people: list[tuple[str, str]]) -> list[int]:
    """Participants joined through the service (each from an address of their own); their ids."""
    joined = []
    for n, (role, department) in enumerate(people):
        who = participants.join_workshop(
            ctx, code, WorkshopJoin(name=f"Person {n}", role=role, department=department), f"10.0.{n // 250}.{n % 250}"
        )
        joined.append(who.participant_id)
    return joined


def answered(ctx, who: list[int], values: dict[str, list[str]]) -> None:
    """Each participant's answers written as one batch (the answer save itself is tested elsewhere)."""
    with ctx.db.write() as session:
        for question_id, given in values.items():
            for person, value in zip(who, given, strict=False):
                existing = session.exec(
                    select(ParticipantAnswer).where(
                        ParticipantAnswer.participant_id == person, ParticipantAnswer.question_id == question_id
                    )
                ).first()
                row = existing or ParticipantAnswer(participant_id=person, question_id=question_id, value=value)
                row.value = value
                if existing:
                    row.version += 1
                session.add(row)


def _post(web, url: str, headers=None, **form):
    token = csrf_of(web.get(url.split("/workshop")[0] + "/workshop").text)
    return web.post(url, data={"_csrf_token": token, **form}, headers=headers or {}, follow_redirects=False)


def _order(ctx, questionnaire: str = QN) -> list[str]:
    return [q.id for s in ctx.content.plans[questionnaire].questionnaire.sections for q in s.questions]


def test_the_console_lists_every_question_in_questionnaire_order_and_marks_the_rooms_current_one(app, ctx, room):
    assessment, _ = room()
    page = f"/assessments/{assessment}/workshop"
    order = _order(ctx)
    with browser(app, "lead@acme.test") as web:
        html = web.get(page).text
        assert re.findall(r'class="cq-row[^"]*" id="cq-[\w-]+" data-question="([\w.]+)"', html) == order
        sections = ctx.content.plans[QN].questionnaire.sections
        titles = re.findall(r'<h3 class="cq-h">\d+\. ([^<]+)</h3>', html)
        assert titles == [s.title.replace("'", "&#39;") for s in sections]
        assert "The room has not started" in html and 'aria-current="step"' not in html
        assert _post(web, f"{page}/current", move="next").headers["location"] == f"{page}#{slug(order[0])}"
        assert _post(web, f"{page}/current", move="next").headers["location"] == f"{page}#{slug(order[1])}"
        assert _post(web, f"{page}/current", move="previous").headers["location"] == f"{page}#{slug(order[0])}"
        gone = _post(web, f"{page}/current", question_id=LISTEN)
        assert gone.status_code == 303 and gone.headers["location"] == f"{page}#{slug(LISTEN)}"
        html = web.get(page).text
        current = re.findall(r'data-question="([\w.]+)" aria-current="step"', html)
        assert current == [LISTEN] and f"question {order.index(LISTEN) + 1} of {len(order)}" in html
        # The room's section is open, the others folded.
        opened = re.findall(r'<details class="cq-section[^"]*" id="cs-(\d+)" open>', html)
        listen_section = next(i for i, s in enumerate(sections, 1) if any(q.id == LISTEN for q in s.questions))
        assert opened == [str(listen_section)]
        # With htmx: the list comes back alone, where the room is and the announcement out of band.
        moved = _post(web, f"{page}/current", headers=HTMX, move="next")
        assert (
            moved.status_code == 200
            and "<html" not in moved.text
            and moved.text.lstrip().startswith('<div id="cq-list"')
        )
        following = order[order.index(LISTEN) + 1]
        assert re.findall(r'data-question="([\w.]+)" aria-current="step"', moved.text) == [following]
        assert (
            'id="cq-where" hx-swap-oob="true"' in moved.text and 'id="announce" hx-swap-oob="innerHTML"' in moved.text
        )
        assert "autofocus" not in moved.text  # Next keeps the keyboard on Next
        jumped = _post(web, f"{page}/current", headers=HTMX, question_id=KNOWN)
        assert f'id="{slug(KNOWN)}-here" tabindex="-1" autofocus' in jumped.text  # Go to: the keyboard follows the room
        for wrong in ({}, {"move": "sideways"}, {"question_id": "qc.nowhere"}):
            refused = _post(web, f"{page}/current", **wrong)
            assert refused.status_code in (400, 404) and "<html" in refused.text, wrong


def test_consensus_recorded_in_place_returns_the_row_with_htmx_and_the_rows_anchor_without(app, ctx, room):
    assessment, code = room()
    who = crowd(ctx, code, [("Agent", "service")] * 3)
    answered(ctx, who, {KNOWN: ["most", "most", "nearly_all"]})  # spread 0.24: no rationale needed
    page = f"/assessments/{assessment}/workshop"
    with browser(app, "lead@acme.test") as web:
        html = web.get(page).text
        row = html[html.index(f'id="{slug(KNOWN)}"') :].split("</li>")[0]
        assert "3 of 3 have answered" in row and "The room agrees" in row and "Median: Most of them" in row
        assert "Not agreed" in row and f'id="{slug(KNOWN)}-most" name="value" value="most" checked' in row
        saved = _post(web, f"{page}/consensus/{KNOWN}", headers=HTMX, value="most", rationale="")
        assert saved.status_code == 200 and "<html" not in saved.text
        assert saved.text.lstrip().startswith(f'<li class="cq-row" id="{slug(KNOWN)}"')
        assert saved.text.count('class="cq-row') == 1  # the row alone
        assert "Saved: agreed ‘Most of them’" in saved.text and 'id="announce" hx-swap-oob="innerHTML"' in saved.text
        assert "Agreed: <strong>Most of them</strong>" in saved.text
        plain = _post(web, f"{page}/consensus/{HEAR}", value="mostly", rationale="Everyone says so")
        assert plain.status_code == 303 and plain.headers["location"] == f"{page}?notice=agreed#{slug(HEAR)}"
        assert "Consensus recorded." in web.get(plain.headers["location"]).text
    stored = {a.question_id: a for a in answers.list_answers(ctx, assessment)}
    assert (stored[KNOWN].value, stored[KNOWN].answered_by) == ("most", "workshop")
    assert (stored[HEAR].value, stored[HEAR].note) == ("mostly", "Everyone says so")


def test_a_rationale_is_required_only_where_the_room_split_and_what_was_entered_stays(app, ctx, room):
    assessment, code = room()
    who = crowd(ctx, code, [("Agent", "service")] * 3)
    answered(ctx, who, {KNOWN: ["almost_none", "nearly_all", "a_minority"], LISTEN: ["ad_hoc"] * 3})
    page = f"/assessments/{assessment}/workshop"
    with browser(app, "lead@acme.test") as web:
        html = web.get(page).text
        row = html[html.index(f'id="{slug(KNOWN)}"') :].split("</li>")[0]
        assert "The room is split" in row and "needed: the room is split" in row and "required" in row
        assert " checked" not in row  # a split room gets no answer chosen for it
        listen = html[html.index(f'id="{slug(LISTEN)}"') :].split("</li>")[0]
        assert "(optional)" in listen and "required" not in listen
        refused = _post(web, f"{page}/consensus/{KNOWN}", headers=HTMX, value="a_minority", rationale=" ")
        assert refused.status_code == 400 and RATIONALE_NEEDED in refused.text and "<html" not in refused.text
        assert f'id="{slug(KNOWN)}-a_minority" name="value" value="a_minority" checked' in refused.text  # kept
        refused = _post(web, f"{page}/consensus/{KNOWN}", value="most")
        assert refused.status_code == 400 and RATIONALE_NEEDED in refused.text and "<html" in refused.text
        assert f'id="{slug(KNOWN)}-most" name="value" value="most" checked' in refused.text
        assert answers.list_answers(ctx, assessment) == []
        assert (
            _post(
                web, f"{page}/consensus/{KNOWN}", headers=HTMX, value="a_minority", rationale="Cards only"
            ).status_code
            == 200
        )
        assert _post(web, f"{page}/consensus/{LISTEN}", headers=HTMX, value="ad_hoc").status_code == 200


def test_reveal_and_lock_in_a_row_return_the_row_and_say_what_changed(app, ctx, room):
    assessment, _ = room()
    page = f"/assessments/{assessment}/workshop"
    with browser(app, "lead@acme.test") as web:
        shown = _post(web, f"{page}/questions/{KNOWN}", headers=HTMX, revealed="1")
        assert (
            shown.status_code == 200
            and "Results shown" in shown.text
            and "Saved: results shown to participants" in shown.text
        )
        locked = _post(web, f"{page}/questions/{KNOWN}", headers=HTMX, locked="1")
        assert "Locked" in locked.text and ">Unlock<" in locked.text
        plain = _post(web, f"{page}/questions/{KNOWN}", locked="0")
        assert plain.status_code == 303 and plain.headers["location"].endswith(f"#{slug(KNOWN)}")
        assert _post(web, f"{page}/questions/{KNOWN}").status_code == 400


def test_the_medians_review_lists_only_questions_that_qualify_and_one_post_records_them_all(app, ctx, room):
    assessment, code = room()
    who = crowd(ctx, code, [("Agent", "service")] * 4)
    answered(
        ctx,
        who,
        {
            KNOWN: ["almost_none", "nearly_all", "a_minority", "most"],  # split: not listed
            HEAR: ["mostly"] * 4,  # unanimous: listed
            LISTEN: ["main_networks", "main_networks", "everywhere", "main_networks"],  # low: listed
            "qc.customers.prevent_complaints": ["key_cases", "key_cases"],  # two, under the minimum of 3
        },
    )
    page = f"/assessments/{assessment}/workshop"
    with browser(app, "lead@acme.test") as web:
        console = web.get(page).text
        assert "(2 questions qualify)" in console
        review = web.get(f"{page}/medians").text
        listed = re.findall(r'name="question_id" value="([\w.]+)" checked', review)
        assert listed == [q for q in _order(ctx) if q in (HEAR, LISTEN)]
        assert "Agreed answer: <strong>Continuously, on the main networks</strong>" in review
        assert "at least 3 people" in review
        accepted = web.post(
            f"{page}/medians",
            data={"_csrf_token": csrf_of(review), "question_id": [HEAR, LISTEN]},
            follow_redirects=False,
        )
        assert accepted.status_code == 303, accepted.text
        assert "Accepted the group&#39;s median on 2 questions" in web.get(accepted.headers["location"]).text
        assert "No question qualifies just now" in web.get(f"{page}/medians").text
        stale = web.post(
            f"{page}/medians", data={"_csrf_token": csrf_of(review), "question_id": [HEAR]}, follow_redirects=False
        )
        assert stale.status_code == 409 and "no longer qualifies" in stale.text and "Nothing was saved" in stale.text
        nothing = web.post(f"{page}/medians", data={"_csrf_token": csrf_of(review)}, follow_redirects=False)
        assert nothing.status_code == 400 and "Tick at least one question" in nothing.text
    stored = {a.question_id: (a.value, a.note) for a in answers.list_answers(ctx, assessment)}
    assert stored == {HEAR: ("mostly", MEDIAN_NOTE), LISTEN: ("main_networks", MEDIAN_NOTE)}
    with ctx.db.read() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "answer.save")).all()
        agreed = session.exec(select(Consensus)).all()
    assert sorted(e.entity_id for e in events) == sorted(f"{assessment}/{q}" for q in (HEAR, LISTEN))
    assert all(e.actor == "lead@acme.test" for e in events) and len(agreed) == 2


def test_the_board_puts_the_current_section_first_and_hides_splits_without_two_groups_of_three(app, ctx, room):
    assessment, code = room()
    # Three agents and three managers: two roles of three; departments: five in service, one alone in sales.
    who = crowd(ctx, code, [("Agent", "service")] * 3 + [("Manager", "service")] * 2 + [("Manager", "sales")])
    answered(ctx, who, {KNOWN: ["most"] * 3 + ["almost_none"] * 3, LISTEN: ["ad_hoc"] * 6})
    page = f"/assessments/{assessment}/workshop"
    with browser(app, "lead@acme.test") as web:
        _post(web, f"{page}/current", question_id=LISTEN)
        board = web.get(f"{page}/board", headers=HTMX).text
        _post(web, f"{page}/current", question_id=HEAR)
        again = web.get(f"{page}/board", headers=HTMX).text
    cards = re.findall(r'data-question="([\w.]+)"', board)
    section_of = {q.id: s.id for s in ctx.content.plans[QN].questionnaire.sections for q in s.questions}
    first = [q for q in cards if section_of[q] == section_of[LISTEN]]
    assert cards[: len(first)] == first and LISTEN in first and KNOWN not in first
    assert "<table" not in board.split(f'data-question="{first[-1]}"')[1]  # other sections: no splits
    listen = board[board.index(f'data-question="{LISTEN}"') :].split('<li class="ws-card')[0]
    assert "Role: Agent" in listen and "Role: Manager" in listen
    assert (
        "Department:" not in listen and "Department: sales" not in board
    )  # service and "other" of one: not two groups of three
    known = again[again.index(f'data-question="{KNOWN}"') :].split('<li class="ws-card')[0]
    assert "Role: Agent" in known and "Role: Manager" in known and "Department:" not in known
    hear = again[again.index(f'data-question="{HEAR}"') :].split('<li class="ws-card')[0]
    assert "<table" not in hear and "Role:" not in hear  # nobody answered: no table of "none yet"


def test_the_board_of_a_full_diagnostic_with_30_participants_stays_under_20_kb_on_the_wire(app, ctx, room):
    assessment, code = room("full-diagnostic")
    roles = [("Agent", "service")] * 12 + [("Team lead", "service")] * 6 + [("Marketer", "marketing")] * 8
    who = crowd(ctx, code, roles + [("Analyst", "insight")] * 3 + [("CEO", "board")])
    plan = ctx.content.plans["full-diagnostic"]
    pick = random.Random(19)
    answered(ctx, who, {q.id: [pick.choice(q.allowed_values()) for _ in who] for q in plan.questions.values()})
    page = f"/assessments/{assessment}/workshop"
    with browser(app, "lead@acme.test") as web:
        _post(web, f"{page}/current", question_id=_order(ctx, "full-diagnostic")[40])
        polled = web.get(f"{page}/board", headers={**HTMX, "Accept-Encoding": "gzip"})
        html = polled.text
        sent = len(gzip.compress(html.encode(), 6))  # as the app's gzip (level 6) sends it
    assert polled.status_code == 200 and html.count("data-question=") == len(plan.questions)
    assert sent < 20_000, f"a board poll is {sent} bytes gzipped ({len(html.encode())} before)"
    print(f"board poll: {len(html.encode())} bytes of HTML, {sent} gzipped")


def test_the_perception_gaps_page_shows_each_role_and_folds_small_groups_into_other(app, ctx, room):
    assessment, code = room()
    # Agents see little, managers a lot; the CEO (one) and the analysts (two) show only together, as "everyone else".
    people = (
        [("Agent", "service")] * 3 + [("Manager", "marketing")] * 3 + [("CEO", "board")] + [("Analyst", "board")] * 2
    )
    who = crowd(ctx, code, people)
    high, low = ["nearly_all", "always", "rule_driven"], ["a_minority", "rarely", "never"]
    questions = [KNOWN, HEAR, "qc.customers.prevent_complaints"]
    answered(ctx, who, {q: [low[i]] * 3 + [high[i]] * 6 for i, q in enumerate(questions)})
    with browser(app, "lead@acme.test") as web:
        assert f'href="/assessments/{assessment}/workshop/gaps"' in web.get(f"/assessments/{assessment}/workshop").text
        html = web.get(f"/assessments/{assessment}/workshop/gaps").text.split("<main", 1)[1].split("</main>")[0]
    assert "How each group sees the organisation" in html
    names = re.findall(r'<h3 class="gp-name">([^<]+)</h3>', html.split('id="gp-department"')[0])
    assert names == ["Agent", "Manager", "Everyone else (smaller groups)"]
    assert "CEO" not in html and "Analyst" not in html
    agent = html[html.index(">Agent<") :].split("</li>")[0]
    manager = html[html.index(">Manager<") :].split("</li>")[0]
    assert 'Level 0</span> <span class="gp-level-name">Anonymous' in agent
    assert 'Level 3</span> <span class="gp-level-name">Proactive' in manager
    assert "Not assessed" in manager  # the stages: no listening question answered, said so
    assert re.search(r"the departments “marketing” and “service” are 2\.\d levels apart", html)
    assert "qc." not in html and "socialfication" not in html


def test_the_console_pages_show_no_internal_ids(app, ctx, room):
    assessment, code = room()
    who = crowd(ctx, code, [("Agent", "service")] * 3)
    answered(ctx, who, {HEAR: ["mostly"] * 3})
    page = f"/assessments/{assessment}/workshop"
    with browser(app, "lead@acme.test") as web:
        for path in (page, f"{page}/medians", f"{page}/gaps"):
            html = web.get(path).text
            text = re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1])
            assert not re.search(r"\bqc\.\w+", text), path
            assert "full-diagnostic" not in text and "executive-quick-check" not in text, path
