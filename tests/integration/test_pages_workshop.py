"""Workshop mode's pages: the facilitator opens and steers a workshop, participants join by code and answer."""

from __future__ import annotations

import re

import pytest
from litestar.testing import TestClient
from sqlmodel import select

from backend.schemas.limits import REASON_MAX_LENGTH
from backend.services.assessments import answers
from backend.services.workshops.participants import MAX_JOINS_PER_ADDRESS
from backend.storage.tables import JoinAttempt
from tests.integration.api import make_assessment, make_org
from tests.integration.conftest import BASE
from tests.integration.web import browser, csrf_of, make_user

QN = "executive-quick-check"
KNOWN = "qc.customers.identified_share"  # almost_none, a_minority, most, nearly_all
LISTEN = "qc.social.listening"
HTMX = {"HX-Request": "true"}
PEOPLE = [
    ("Ana Example", "Marketing lead", "marketing"),
    ("Ben Example", "Agent", "service"),
    ("Cy Example", "Agent", "service"),
]


@pytest.fixture
def draft(client, ctx):
    """An organisation with a consultant (lead) and a member (ceo), and a draft quick check."""
    org = make_org(client)
    make_user(ctx, "lead@acme.test", organisation_id=org, member_role="consultant")
    make_user(ctx, "ceo@acme.test", organisation_id=org, member_role="member")
    return make_assessment(client, org, "2026-Q4", QN)


def _open(web, aid, **form) -> str:
    token = csrf_of(web.get(f"/assessments/{aid}/workshop").text)
    response = web.post(f"/assessments/{aid}/workshop", data={"_csrf_token": token, **form}, follow_redirects=False)
    assert response.status_code == 303, response.text
    html = web.get(response.headers["location"]).text
    return re.search(r'href="/join/([A-Z0-9]{8})"', html).group(1)


def _post(web, url, page, **form):
    token = csrf_of(web.get(page).text)
    return web.post(url, data={"_csrf_token": token, **form}, follow_redirects=False)


@pytest.fixture
def joiner(app):
    """Join a workshop as a new participant, each in a browser of their own.

    Not entered as a context: a client that is runs the app's shutdown on leaving, which waits for
    the other clients of the same app still open.
    """

    def join(code, name, role="", department=""):
        client = TestClient(app=app, base_url=BASE)
        response = _post(client, f"/join/{code}", f"/join/{code}", name=name, role=role, department=department)
        assert response.status_code == 303, response.text
        return client

    return join


def _say(participant, code, question_id, value, headers=None, token=None, **extra):
    token = token or csrf_of(participant.get(f"/join/{code}/all").text)
    data = {"_csrf_token": token, "value": value, **extra}
    return participant.post(
        f"/join/{code}/answers/{question_id}", data=data, headers=headers or {}, follow_redirects=False
    )


def _checked(html: str, qid: str) -> list[str]:
    slug = "wq-" + qid.replace(".", "-")
    return re.findall(rf'id="{slug}-(\w+)" name="value" value="\w+" checked', html)


def test_the_facilitator_opens_a_workshop_and_sees_its_code_link_and_qr(app, draft):
    with browser(app, "lead@acme.test") as web:
        first = web.get(f"/assessments/{draft}/workshop")
        assert first.status_code == 200 and "Open a workshop" in first.text
        code = _open(web, draft)
        html = web.get(f"/assessments/{draft}/workshop").text
        assert f"{code[:4]}-{code[4:]}" in html and f"https://testserver.local/join/{code}" in html
        assert f'src="/api/v1/assessments/{draft}/workshop/qr.svg"' in html
        assert (
            web.get(f"/api/v1/assessments/{draft}/workshop/qr.svg").headers["content-type"].startswith("image/svg+xml")
        )
        assert 'hx-trigger="every 2s"' in html
        assert _open(web, draft) == code  # opening again finds the same workshop


def test_members_who_are_not_consultants_cannot_run_a_workshop(app, draft):
    with browser(app, "ceo@acme.test") as web:
        assert web.get(f"/assessments/{draft}/workshop").status_code == 403


def test_participants_join_answer_and_find_their_answers_after_a_reload(app, joiner, draft):
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
    ana = joiner(code, *PEOPLE[0])
    cookie = next(c for c in ana.cookies.jar if c.name == "tw_participant")
    assert cookie.path == f"/join/{code}" and cookie.secure and cookie.has_nonstandard_attr("HttpOnly")
    page = ana.get(f"/join/{code}/all")
    assert (
        "You joined as <strong>Ana Example</strong>" in page.text
        and f'hx-post="/join/{code}/answers/{KNOWN}"' in page.text
    )
    assert _say(ana, code, KNOWN, "most").status_code == 303
    fragment = _say(ana, code, KNOWN, "a_minority", headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.text and "Saved" in fragment.text
    assert _checked(fragment.text, KNOWN) == ["a_minority"]
    assert _checked(ana.get(f"/join/{code}/all").text, KNOWN) == ["a_minority"]
    assert _checked(ana.get(f"/join/{code.lower()[:4]}-{code[4:]}/all").text, KNOWN) == [
        "a_minority"
    ]  # redirected to the canonical code


def test_a_form_post_without_the_csrf_token_is_refused(app, draft):
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
    with TestClient(app=app, base_url=BASE) as stranger:
        stranger.get(f"/join/{code}")
        assert stranger.post(f"/join/{code}", data={"name": "Eve"}, follow_redirects=False).status_code == 403


def test_the_board_fragment_counts_answers_median_spread_and_splits_hottest_first(app, joiner, draft):
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
        people = [joiner(code, *p) for p in PEOPLE]
        for person, value in zip(people, ("almost_none", "nearly_all", "nearly_all"), strict=False):
            assert _say(person, code, KNOWN, value).status_code == 303
        for person in people:
            assert _say(person, code, LISTEN, "ad_hoc").status_code == 303
        board = web.get(f"/assessments/{draft}/workshop/board", headers=HTMX)
        assert board.status_code == 200 and "<html" not in board.text
        html = board.text
        assert 'data-participants="3"' in html
        cards = re.findall(r'data-question="([\w.]+)"', html)
        assert cards[0] == KNOWN  # the only split question is the hottest
        known = html[html.index(f'data-question="{KNOWN}"') : html.index(f'data-question="{cards[1]}"')]
        assert "3 of 3 answered" in known and re.search(
            r'id="(o1-\d)">Nearly all of them</span>\s*<progress max="3" value="2" aria-labelledby="\1">', known
        )
        # Marketing lead (1) and Agent (2) are under the minimum group size (3): both fold into "other", which
        # alone is everyone again, so no split shows (issue 19: no table of one group or of "none yet").
        assert "<table" not in known and "Role:" not in known and "Department:" not in known and "ws-spread" in known
        assert "Agent" not in html and "Marketing lead" not in html and "Department: marketing" not in html
        listen = html[html.index(f'data-question="{LISTEN}"') :]
        assert ">0%<" in listen.split("</li>")[0]
        assert "Ana Example" not in html  # anonymous until names are turned on
        assert web.get(f"/assessments/{draft}/workshop/board", follow_redirects=False).status_code == 303


def test_names_show_only_while_the_facilitator_has_them_on(app, joiner, draft):
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
        ana = joiner(code, *PEOPLE[0])
        _say(ana, code, KNOWN, "most")
        page = f"/assessments/{draft}/workshop"
        assert _post(web, f"{page}/settings", page, show_names="1").status_code == 303
        assert "Ana Example" in web.get(f"{page}/board", headers=HTMX).text
        assert _post(web, f"{page}/settings", page, show_names="0").status_code == 303
        assert "Ana Example" not in web.get(f"{page}/board", headers=HTMX).text
        assert "Ana Example" not in web.get(page).text


def test_a_consensus_recorded_through_the_form_becomes_the_assessments_answer(app, joiner, ctx, draft):
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
        for person, value in zip([joiner(code, *p) for p in PEOPLE], ("a_minority", "most", "most"), strict=False):
            _say(person, code, KNOWN, value)
        page = f"/assessments/{draft}/workshop"
        response = _post(web, f"{page}/consensus/{KNOWN}", page, value="most", rationale="Service keeps a list")
        assert response.status_code == 303 and response.headers["location"].startswith(f"{page}?notice=agreed")
        saved = {a.question_id: a for a in answers.list_answers(ctx, draft)}[KNOWN]
        assert (saved.value, saved.note, saved.answered_by) == ("most", "Service keeps a list", "workshop")
        html = web.get(response.headers["location"]).text
        assert "Consensus recorded." in html and "Service keeps a list" in html
        refused = _post(web, f"{page}/consensus/{KNOWN}", page, value="")
        assert refused.status_code == 400 and "Choose the agreed answer" in refused.text


def test_a_locked_section_is_read_only_and_refuses_answers(app, joiner, ctx, draft):
    section = next(s for s in ctx.content.plans[QN].questionnaire.sections if any(q.id == KNOWN for q in s.questions))
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
        ana = joiner(code, *PEOPLE[0])
        _say(ana, code, KNOWN, "most")
        page = f"/assessments/{draft}/workshop"
        assert _post(web, f"{page}/sections/{section.id}", page, locked="1").status_code == 303
    html = ana.get(f"/join/{code}/all").text
    assert "This section is locked by the facilitator" in html and f'hx-post="/join/{code}/answers/{KNOWN}"' not in html
    refused = _say(ana, code, KNOWN, "a_minority", headers=HTMX)
    assert refused.status_code == 409 and "locked" in refused.text
    refused = _say(ana, code, KNOWN, "a_minority")
    assert refused.status_code == 409 and "locked" in refused.text


def test_revealed_results_show_to_participants_and_hidden_ones_do_not(app, joiner, draft):
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
        ana = joiner(code, *PEOPLE[0])
        _say(ana, code, KNOWN, "most")
        assert "Results shared by the facilitator" not in ana.get(f"/join/{code}/all").text
        page = f"/assessments/{draft}/workshop"
        assert _post(web, f"{page}/questions/{KNOWN}", page, revealed="1").status_code == 303
    results = ana.get(f"/join/{code}/results", headers=HTMX).text
    assert "Results shared by the facilitator" in results and f'data-question="{KNOWN}"' in results
    assert f'data-question="{LISTEN}"' not in results and "Ana Example" not in results


def test_a_closed_workshop_says_so_and_takes_no_one_and_no_answers(app, joiner, draft):
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
        ana = joiner(code, *PEOPLE[0])
        token = csrf_of(ana.get(f"/join/{code}/all").text)  # the closed page has no form to read it from
        page = f"/assessments/{draft}/workshop"
        assert _post(web, f"{page}/settings", page, status="closed").status_code == 303
        assert "The workshop is <strong>closed</strong>" in web.get(page).text
    html = ana.get(f"/join/{code}/all").text
    assert "This workshop is closed" in html and f'hx-post="/join/{code}/answers/{KNOWN}"' not in html
    refused = _say(ana, code, KNOWN, "most", token=token)
    assert refused.status_code == 409 and "closed" in refused.text
    with TestClient(app=app, base_url=BASE) as late:
        page = late.get(f"/join/{code}").text
        assert "This workshop is closed" in page and 'name="name"' not in page


def test_answering_without_joining_leads_to_the_join_form(app, draft):
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
    with TestClient(app=app, base_url=BASE) as stranger:
        response = _say(stranger, code, KNOWN, "most")
        assert response.status_code == 303 and response.headers["location"] == f"/join/{code}"
        assert 'name="name"' in stranger.get(f"/join/{code}").text
        assert stranger.get("/join/NOSUCHCD").status_code == 404


def test_a_participant_note_over_the_limit_is_refused_clearly_and_the_form_says_the_limit(app, joiner, draft):
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
    ana = joiner(code, *PEOPLE[0])
    assert f'maxlength="{REASON_MAX_LENGTH}"' in ana.get(f"/join/{code}/all").text
    for headers in (HTMX, None):
        refused = _say(ana, code, KNOWN, "most", headers=headers, note="x" * (REASON_MAX_LENGTH + 1))
        assert (
            refused.status_code == 400
            and f"Note: String should have at most {REASON_MAX_LENGTH} characters" in refused.text
        )
    assert _checked(ana.get(f"/join/{code}/all").text, KNOWN) == []
    assert _say(ana, code, KNOWN, "most", note="x" * REASON_MAX_LENGTH).status_code == 303


def test_the_facilitator_sets_the_participant_cap_and_a_full_workshop_says_so_on_the_join_page(app, joiner, draft):
    page = f"/assessments/{draft}/workshop"
    with browser(app, "lead@acme.test") as web:
        assert 'name="participant_cap"' in web.get(page).text and 'value="500"' in web.get(page).text
        code = _open(web, draft, participant_cap="1")
        assert "0 of 1 places taken" in web.get(page).text
        joiner(code, *PEOPLE[0])
        with TestClient(app=app, base_url=BASE) as late:
            full = _post(late, f"/join/{code}", f"/join/{code}", name="Ben")
            assert (
                full.status_code == 409
                and "is full" in full.text
                and "ask the facilitator to raise the participant cap" in full.text
            )
            assert 'value="Ben"' in full.text  # what they typed stays
            refused = _post(web, f"{page}/settings", page, participant_cap="2001")
            assert refused.status_code == 400 and "Participant cap: " in refused.text
            assert _post(web, f"{page}/settings", page, participant_cap="2").status_code == 303
            assert "1 of 2 places taken" in web.get(page).text
            assert _post(late, f"/join/{code}", f"/join/{code}", name="Ben").status_code == 303


def test_too_many_joins_from_one_address_get_a_page_that_says_when_to_try_again(app, ctx, joiner, draft):
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
    joiner(code, *PEOPLE[0])
    with ctx.db.write() as session:
        address = session.exec(select(JoinAttempt.address)).one()
        session.add_all([JoinAttempt(address=address) for _ in range(MAX_JOINS_PER_ADDRESS - 1)])
    with TestClient(app=app, base_url=BASE) as late:
        refused = _post(late, f"/join/{code}", f"/join/{code}", name="Ben")
        assert (
            refused.status_code == 429
            and "network address" in refused.text
            and "try again in 10 minute(s)" in refused.text
        )
        assert 0 < int(refused.headers["Retry-After"]) <= 600
