"""A participant's phone follows the facilitator: the room's current question only, its reveal and lock inline,
polled cheaply (304 while unchanged), and every question still one link away."""

from __future__ import annotations

import re

import pytest

from tests.integration.test_pages_workshop import HTMX, KNOWN, LISTEN, QN, _open, _say, draft, joiner  # noqa: F401
from tests.integration.web import browser, csrf_of

# Ids a participant must never read: the questionnaire's question and section ids.
INTERNAL = re.compile(r"\b(qc|fd)\.[a-z_]+(\.[a-z_]+)?\b")


def _visible(html: str) -> str:
    """The text a person reads: tags, attribute values and scripts left out."""
    return re.sub(r"<[^>]*>", " ", html)


@pytest.fixture
def room(app, client, draft, joiner):  # noqa: F811
    """An open workshop on the quick check, Ana joined: (code, Ana's browser, the API's workshop path, order)."""
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
    ana = joiner(code, "Ana Example", "Marketing lead", "marketing")
    order = [q["id"] for s in client.get(f"/api/v1/questionnaires/{QN}").json()["sections"] for q in s["questions"]]
    return code, ana, f"/api/v1/assessments/{draft}/workshop", order


def _move(client, api, **body):
    response = client.put(f"{api}/current", json=body)
    assert response.status_code == 200, response.text
    return response.json()["current_question"]


def test_before_the_facilitator_starts_the_phone_waits_calmly_with_every_question_one_link_away(room):
    code, ana, _, _ = room
    html = ana.get(f"/join/{code}").text
    assert "Waiting for the facilitator to start" in html
    assert f'href="/join/{code}/all"' in html and ">All questions</a>" in html
    assert f'hx-get="/join/{code}/now" hx-trigger="every 1s"' in html
    assert 'name="value"' not in html  # no question yet
    assert not INTERNAL.search(_visible(html))


def test_the_phone_shows_the_current_question_only_with_its_number_and_section(room, client, ctx):
    code, ana, api, order = room
    _move(client, api, question_id=LISTEN)
    plan = ctx.content.plans[QN]
    number = order.index(LISTEN) + 1
    section_number, section = next(
        (n, s) for n, s in enumerate(plan.questionnaire.sections, 1) if LISTEN in [q.id for q in s.questions]
    )
    html = ana.get(f"/join/{code}").text
    assert f"Question {number} of {len(order)} · Section {section_number}: {section.title}" in html
    assert f'hx-post="/join/{code}/answers/{LISTEN}"' in html
    assert f'hx-post="/join/{code}/answers/{KNOWN}"' not in html  # one question, not the list
    assert plan.questions[LISTEN].text in html
    assert not INTERNAL.search(_visible(html))


def test_the_poll_answers_304_until_the_facilitator_moves_then_brings_the_new_question(room, client):
    code, ana, api, order = room
    now = f"/join/{code}/now"
    first = ana.get(now, headers=HTMX)
    etag = first.headers["etag"]
    assert first.status_code == 200 and "Waiting for the facilitator to start" in first.text
    assert 'hx-swap-oob="true"' in first.text and "<html" not in first.text
    assert ana.get(now, headers={**HTMX, "If-None-Match": etag}).status_code == 304
    _move(client, api, move="next")
    moved = ana.get(now, headers={**HTMX, "If-None-Match": etag})
    assert moved.status_code == 200 and f"Question 1 of {len(order)}" in moved.text
    assert f'hx-post="/join/{code}/answers/{order[0]}"' in moved.text and 'name="_csrf_token"' in moved.text
    again = ana.get(now, headers={**HTMX, "If-None-Match": moved.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert ana.get(now, follow_redirects=False).headers["location"] == f"/join/{code}"  # not htmx: the page


def test_the_question_block_keeps_its_key_while_only_its_reveal_changes(room, client, joiner):  # noqa: F811
    code, ana, api, _ = room
    _move(client, api, question_id=KNOWN)
    keys = lambda html: dict(re.findall(r'id="(ws-current|ws-reveal)"[^>]*data-key="(\w+)"', html))  # noqa: E731
    before = keys(ana.get(f"/join/{code}/now", headers=HTMX).text)
    assert client.patch(f"{api}/questions/{KNOWN}", json={"revealed": True}).status_code == 200
    revealed = keys(ana.get(f"/join/{code}/now", headers=HTMX).text)
    assert revealed["ws-current"] == before["ws-current"] and revealed["ws-reveal"] != before["ws-reveal"]
    ben = joiner(code, "Ben Example")
    assert _say(ben, code, KNOWN, "most", token=csrf_of(ben.get(f"/join/{code}").text)).status_code == 303
    counted = keys(ana.get(f"/join/{code}/now", headers=HTMX).text)
    assert counted["ws-current"] == before["ws-current"] and counted["ws-reveal"] != revealed["ws-reveal"]


def test_a_reveal_shows_the_distribution_and_median_under_the_current_question(room, client, joiner):  # noqa: F811
    code, ana, api, _ = room
    _move(client, api, question_id=KNOWN)
    for name, value in (("Ben", "most"), ("Cy", "most"), ("Di", "a_minority")):
        person = joiner(code, name)
        assert _say(person, code, KNOWN, value).status_code == 303
    assert "How the room answered" not in ana.get(f"/join/{code}").text
    client.patch(f"{api}/questions/{KNOWN}", json={"revealed": True})
    html = ana.get(f"/join/{code}/now", headers=HTMX).text
    assert "How the room answered" in html, html
    assert "3 answered · median <strong>Most of them</strong>" in html, html
    assert re.search(r'<progress max="3" value="2"', html)
    assert not INTERNAL.search(_visible(html))


def test_a_saved_answer_shows_again_when_the_room_comes_back_to_its_question(room, client):
    code, ana, api, _ = room
    _move(client, api, question_id=KNOWN)
    saved = _say(ana, code, KNOWN, "nearly_all", note="From the CRM report")
    assert saved.status_code == 303 and saved.headers["location"].startswith(f"/join/{code}?")
    _move(client, api, move="next")
    assert 'value="nearly_all" checked' not in ana.get(f"/join/{code}").text
    _move(client, api, move="previous")
    html = ana.get(f"/join/{code}/now", headers=HTMX).text
    assert 'value="nearly_all" checked' in html and "From the CRM report" in html


def test_a_locked_question_loses_its_form_and_a_late_save_is_refused_in_words(room, client):
    code, ana, api, _ = room
    _move(client, api, question_id=KNOWN)
    token = csrf_of(ana.get(f"/join/{code}").text)
    client.patch(f"{api}/questions/{KNOWN}", json={"locked": True})
    html = ana.get(f"/join/{code}/now", headers=HTMX).text
    assert "Answers to this question are closed" in html and f'hx-post="/join/{code}/answers/{KNOWN}"' not in html
    late = _say(ana, code, KNOWN, "most", headers=HTMX, token=token)
    assert late.status_code == 409 and "Answers to this question are closed: the facilitator locked it" in late.text
    assert not INTERNAL.search(_visible(late.text))
    page = _say(ana, code, KNOWN, "most", token=token)
    assert page.status_code == 409 and "the facilitator locked it" in page.text and "Question 1 of" in page.text
    assert not INTERNAL.search(_visible(page.text))


def test_a_closed_workshop_says_so_on_the_phone(room, client):
    code, ana, api, _ = room
    _move(client, api, question_id=KNOWN)
    etag = ana.get(f"/join/{code}/now", headers=HTMX).headers["etag"]
    client.patch(api, json={"status": "closed"})
    closed = ana.get(f"/join/{code}/now", headers={**HTMX, "If-None-Match": etag})
    assert closed.status_code == 200 and "The workshop is closed" in closed.text and 'name="value"' not in closed.text
    assert "The workshop is closed" in ana.get(f"/join/{code}").text


def test_all_questions_stay_one_link_away_and_answers_there_come_back_there(room, client):
    code, ana, api, order = room
    _move(client, api, question_id=KNOWN)
    html = ana.get(f"/join/{code}/all").text
    for qid in order:
        assert f'hx-post="/join/{code}/answers/{qid}"' in html
    assert f'href="/join/{code}"' in html and 'name="back" value="all"' in html
    saved = _say(ana, code, LISTEN, "ad_hoc", back="all")
    assert saved.status_code == 303 and saved.headers["location"].startswith(f"/join/{code}/all?saved=1")
    assert 'value="ad_hoc" checked' in ana.get(f"/join/{code}/all").text
    client.patch(f"{api}/questions/{KNOWN}", json={"locked": True})
    assert f'hx-post="/join/{code}/answers/{KNOWN}"' not in ana.get(f"/join/{code}/all").text  # locked alone


def test_someone_not_joined_gets_the_join_form_not_the_room(app, room):
    code, _, _, _ = room
    from litestar.testing import TestClient

    from tests.integration.conftest import BASE

    stranger = TestClient(app=app, base_url=BASE)
    assert 'name="name"' in stranger.get(f"/join/{code}").text
    assert stranger.get(f"/join/{code}/all", follow_redirects=False).headers["location"] == f"/join/{code}"
    polled = stranger.get(f"/join/{code}/now", headers=HTMX)
    assert polled.status_code == 200 and polled.headers["hx-redirect"] == f"/join/{code}" and polled.content == b""
