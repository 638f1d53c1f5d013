"""The questionnaire pages: resuming, saving answers (htmx fragments and plain posts), read-only views, submitting."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from backend.services.assessments import answers
from tests.integration.api import answer, make_assessment, make_org
from tests.integration.web import browser, csrf_of, make_user

QC = "executive-quick-check"
FIRST = "qc.customers.identified_share"  # no "not applicable"
PROFILE = "qc.customers.one_profile"  # allows don't know and not applicable
HTMX = {"HX-Request": "true"}


@pytest.fixture
def draft(client, ctx):
    """An organisation with a member (ceo) and a viewer (board), and a draft quick check."""
    org = make_org(client)
    make_user(ctx, "ceo@acme.test", organisation_id=org, member_role="member")
    make_user(ctx, "board@acme.test", organisation_id=org, member_role="viewer")
    return make_assessment(client, org, "2026-Q4", QC)


def _questions(ctx, section: int) -> list[str]:
    return [q.id for q in ctx.content.plans[QC].questionnaire.sections[section - 1].questions]


def _save(web, aid, qid, headers=None, **form):
    token = csrf_of(web.get(f"/assessments/{aid}/answer/1").text)
    data = {"expected_version": "0", "_csrf_token": token, **form}
    return web.post(f"/assessments/{aid}/answers/{qid}", data=data, headers=headers or {}, follow_redirects=False)


def _checked(html: str, qid: str) -> list[str]:
    slug = "q-" + qid.replace(".", "-")
    return re.findall(rf'id="{slug}-(\w+)" name="value" value="\w+" checked', html)


def test_opening_a_draft_resumes_at_the_first_section_with_an_unanswered_question(app, client, ctx, draft):
    with browser(app, "ceo@acme.test") as web:
        assert (
            web.get(f"/assessments/{draft}", follow_redirects=False).headers["location"]
            == f"/assessments/{draft}/answer/1"
        )
        for qid in _questions(ctx, 1):
            answer(client, draft, qid, "dont_know")
        assert (
            web.get(f"/assessments/{draft}/answer", follow_redirects=False).headers["location"]
            == f"/assessments/{draft}/answer/2"
        )
        for qid in _questions(ctx, 2) + _questions(ctx, 3):
            answer(client, draft, qid, "dont_know")
        assert (
            web.get(f"/assessments/{draft}/answer", follow_redirects=False).headers["location"]
            == f"/assessments/{draft}/answer/3"
        )
        assert (
            web.get(f"/assessments/{draft}", follow_redirects=False).headers["location"]
            == f"/assessments/{draft}/answer/3"
        )


def test_a_section_shows_its_questions_help_progress_and_only_the_allowed_extra_answers(app, client, draft):
    answer(client, draft, FIRST, "most")
    with browser(app, "ceo@acme.test") as web:
        page = web.get(f"/assessments/{draft}/answer/1")
        assert page.status_code == 200
        html = page.text
        assert "Roughly what share of your sales and service contacts can you link to a known customer?" in html
        assert "Through a name on a booking or contract, accounts, loyalty or payment cards" in html  # the help text
        assert 'id="progress-overall" max="20" value="1"' in html and "1 of 20 questions answered" in html
        assert '1 of 7<span class="sr-only"> answered</span>' in html
        assert 'aria-current="step"' in html and "Section 1 of 3" in html and "Next section: " in html
        assert _checked(html, FIRST) == ["most"]
        assert 'id="q-qc-customers-identified_share-dont_know"' in html
        assert 'id="q-qc-customers-identified_share-not_applicable"' not in html  # not allowed for this one
        assert 'id="q-qc-customers-one_profile-not_applicable"' in html
        assert "/static/questionnaire.css" in html and "style=" not in html
        assert web.get(f"/assessments/{draft}/answer/4").status_code == 404


def test_saving_with_htmx_returns_the_question_saved_with_progress_out_of_band(app, ctx, draft):
    with browser(app, "ceo@acme.test") as web:
        saved = _save(
            web,
            draft,
            FIRST,
            HTMX,
            value="a_minority",
            note="Retail only <b>so far</b>",
            evidence="https://crm.example/report",
        )
        assert saved.status_code == 200
        html = saved.text
        assert html.lstrip().startswith('<div class="question" id="q-qc-customers-identified_share"')
        assert 'data-state="saved"' in html and ">Saved<" in html
        assert 'name="expected_version" value="1"' in html and _checked(html, FIRST) == ["a_minority"]
        assert "Retail only &lt;b&gt;so far&lt;/b&gt;" in html  # escaped, never markup
        assert 'id="q-progress" hx-swap-oob="true"' in html and 'value="1"' in html
        assert '<p id="announce" hx-swap-oob="innerHTML">Question 1 saved.</p>' in html
        assert 'id="q-submit"' not in html  # the submit box is on the last section only
        stored = {a.question_id: a for a in answers.list_answers(ctx, draft)}[FIRST]
        assert (stored.value, stored.note, stored.evidence, stored.answered_by) == (
            "a_minority",
            "Retail only <b>so far</b>",
            "https://crm.example/report",
            "ceo@acme.test",
        )
        last = _save(web, draft, "qc.organisation.business_return", HTMX, value="dont_know")
        assert (
            'id="q-submit" aria-labelledby="q-submit-title" hx-swap-oob="true"' in last.text
            and "18 of 20 questions are still unanswered" in last.text
        )


def test_a_boosted_or_history_restoring_request_gets_the_whole_section_never_a_question_alone(app, draft):
    with browser(app, "ceo@acme.test") as web:
        for extra in ({"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}):
            saved = _save(web, draft, FIRST, {**HTMX, **extra}, value="most")
            assert saved.status_code == 303 and saved.headers["location"].startswith(
                f"/assessments/{draft}/answer/1?saved={FIRST}"
            )


def test_not_applicable_without_a_reason_comes_back_400_with_the_choice_kept(app, ctx, draft):
    with browser(app, "ceo@acme.test") as web:
        refused = _save(web, draft, PROFILE, HTMX, value="not_applicable", note="we sell through dealers")
        assert refused.status_code == 400
        html = refused.text
        assert "needs a reason" in html and 'class="q-message"' in html
        assert _checked(html, PROFILE) == ["not_applicable"] and "we sell through dealers" in html
        assert 'class="field reason shown"' in html and 'aria-invalid="true"' in html
        assert 'name="expected_version" value="0"' in html and "Question 6 not saved" in html
        assert answers.list_answers(ctx, draft) == []
        fixed = _save(web, draft, PROFILE, HTMX, value="not_applicable", reason="we sell only through dealers")
        assert fixed.status_code == 200 and ">Saved<" in fixed.text


def test_a_stale_version_shows_the_current_answer_and_says_so(app, client, ctx, draft):
    answer(client, draft, FIRST, "nearly_all", note="from the CRM team")  # someone else, meanwhile
    with browser(app, "ceo@acme.test") as web:
        stale = _save(web, draft, FIRST, HTMX, value="a_minority", expected_version="0")
        assert stale.status_code == 409
        html = stale.text
        assert "Someone else (admin@tribewise.test) changed this answer" in html
        assert "“Nearly all of them”" in html and "“A minority, mainly repeat or registered buyers”" in html
        assert _checked(html, FIRST) == ["nearly_all"] and "from the CRM team" in html
        assert 'name="expected_version" value="1"' in html and 'data-state="conflict"' in html
        again = _save(web, draft, FIRST, HTMX, value="a_minority", expected_version="1")
        assert again.status_code == 200 and _checked(again.text, FIRST) == ["a_minority"]


def test_a_retried_save_that_already_arrived_counts_as_saved(app, ctx, draft):
    with browser(app, "ceo@acme.test") as web:
        assert _save(web, draft, FIRST, HTMX, value="a_minority").status_code == 200
        retried = _save(
            web, draft, FIRST, HTMX, value="a_minority", expected_version="0"
        )  # its answer was lost on the way back
        assert retried.status_code == 200 and ">Saved<" in retried.text and 'value="1"' in retried.text
        assert [a.version for a in answers.list_answers(ctx, draft)] == [1]


def test_a_plain_post_redirects_back_to_the_section_and_errors_show_the_whole_page(app, ctx, draft):
    with browser(app, "ceo@acme.test") as web:
        saved = _save(web, draft, "qc.social.active_accounts", value="dont_know")
        assert saved.status_code == 303
        assert (
            saved.headers["location"]
            == f"/assessments/{draft}/answer/2?saved=qc.social.active_accounts#q-qc-social-active_accounts"
        )
        shown = web.get(saved.headers["location"])
        assert "Your answer to question 9 is saved." in shown.text and 'role="status"' in shown.text
        refused = _save(web, draft, PROFILE, value="not_applicable")
        assert refused.status_code == 400 and "<html" in refused.text
        assert "Question 6 was not saved" in refused.text and _checked(refused.text, PROFILE) == ["not_applicable"]
        nothing = _save(web, draft, FIRST, note="a note without an answer")
        assert (
            nothing.status_code == 400
            and "Choose one of the answers first" in nothing.text
            and "a note without an answer" in nothing.text
        )


def test_an_answer_that_opens_a_show_if_question_swaps_it_in(app, client, ctx):
    org = make_org(client)
    make_user(ctx, "ceo@acme.test", organisation_id=org)
    aid = make_assessment(client, org, "2026-Q4", "full-diagnostic")
    plan = ctx.content.plans["full-diagnostic"]
    section = next(i for i, s in enumerate(plan.questionnaire.sections, 1) if s.id == "community")
    with browser(app, "ceo@acme.test") as web:
        before = web.get(f"/assessments/{aid}/answer/{section}").text
        assert 'id="q-fd-community-recruitment" hidden' not in before  # not knowing yet hides nothing
        total = len(plan.questions)  # nothing is hidden before a screening question says something is missing
        assert f'max="{total}"' in before
        closed = _save(web, aid, "fd.community.hosted_community", HTMX, value="none")
        assert closed.status_code == 200
        assert (
            '<div class="question-slot" id="q-fd-community-recruitment" hidden hx-swap-oob="true"></div>' in closed.text
        )
        assert f'max="{total - 1}"' in closed.text
        opened = _save(web, aid, "fd.community.hosted_community", HTMX, value="active", expected_version="1")
        assert re.search(
            r'<div class="question" id="q-fd-community-recruitment" data-question="[^"]+" hx-swap-oob="true">',
            opened.text,
        )
        assert f'max="{total}"' in opened.text


def test_viewers_read_the_answers_without_any_form_control(app, client, draft):
    answer(client, draft, FIRST, "most", note="Loyalty card covers most sales", evidence="javascript:alert(1)")
    answer(client, draft, PROFILE, "not_applicable", reason="one channel only")
    with browser(app, "board@acme.test") as web:
        html = web.get(f"/assessments/{draft}/answer/1").text
        assert "Most of them" in html and "Loyalty card covers most sales" in html
        assert "one channel only" in html and "You can read these answers" in html
        main = html.split('<main id="main"', 1)[1]
        assert "<form" not in main and "<input" not in main and "<textarea" not in main and "<button" not in main
        assert 'href="javascript:' not in html  # evidence that is not a web address stays text
        token = csrf_of(html)
        refused = web.post(
            f"/assessments/{draft}/answers/{FIRST}",
            data={"value": "a_minority", "expected_version": "1", "_csrf_token": token},
            headers=HTMX,
        )
        assert refused.status_code == 403


def test_submitting_asks_first_lists_each_unanswered_question_refuses_an_empty_assessment_then_freezes_it(
    app, client, ctx, draft
):
    with browser(app, "ceo@acme.test") as web:
        last = web.get(f"/assessments/{draft}/answer/3").text
        assert "20 of 20 questions are still unanswered" in last
        assert f'href="/assessments/{draft}/submit">Review and submit 2026-Q4</a>' in last
        asked = web.get(f"/assessments/{draft}/submit").text
        assert "Submit 2026-Q4?" in asked and "Answer at least one before submitting" in asked
        assert "Submit 2026-Q4 now" not in asked  # nothing to submit yet
        token = csrf_of(last)
        empty = web.post(f"/assessments/{draft}/submit", data={"_csrf_token": token}, follow_redirects=False)
        assert empty.status_code == 400 and "has no answers yet" in empty.text and 'role="alert"' in empty.text
        _save(web, draft, FIRST, HTMX, value="most")
        assert "19 of 20 questions are still unanswered" in web.get(f"/assessments/{draft}/answer/3").text
        asked = web.get(f"/assessments/{draft}/submit").text
        second = ctx.content.plans[QC].questionnaire.questions[1]
        assert "19 of 20 questions are still unanswered" in asked and "Submit 2026-Q4 now" in asked
        # Every unanswered question is listed with a link to it; the answered one is not.
        assert f'<span class="q-no">2.</span> {escape(second.text)}</a>' in asked
        assert asked.count('<span class="q-no">') == 19 and "never as absent" in asked
        done = web.post(f"/assessments/{draft}/submit", data={"_csrf_token": token}, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == f"/assessments/{draft}/results"
        assert (
            web.get(f"/assessments/{draft}", follow_redirects=False).headers["location"]
            == f"/assessments/{draft}/results"
        )
        frozen = web.get(f"/assessments/{draft}/answer/1").text
        assert "these answers are frozen" in frozen and 'name="value"' not in frozen
        late = web.post(
            f"/assessments/{draft}/answers/{FIRST}",
            data={"value": "a_minority", "expected_version": "1", "_csrf_token": token},
            headers=HTMX,
        )
        assert late.status_code == 409 and "answers are frozen" in late.text and 'name="value"' not in late.text


def test_a_viewer_is_not_offered_submission_and_cannot_submit(app, client, draft):
    answer(client, draft, FIRST, "most")
    with browser(app, "board@acme.test") as web:
        last = web.get(f"/assessments/{draft}/answer/3").text
        assert "Submit 2026-Q4" not in last and "Next unanswered" not in last
        assert web.get(f"/assessments/{draft}/submit").status_code == 403
        assert web.post(f"/assessments/{draft}/submit", data={"_csrf_token": csrf_of(last)}).status_code == 403


def test_a_save_without_the_csrf_token_is_refused(app, draft):
    with browser(app, "ceo@acme.test") as web:
        refused = web.post(
            f"/assessments/{draft}/answers/{FIRST}", data={"value": "a_minority", "expected_version": "0"}
        )
        assert refused.status_code == 403 and "CSRF" in refused.text


def test_next_unanswered_goes_from_this_section_on_then_round_to_the_first_and_goes_when_all_are_answered(
    app, client, ctx, draft
):
    questions = [q.id for q in ctx.content.plans[QC].questionnaire.questions]
    slug = "q-" + questions[0].replace(".", "-")
    with browser(app, "ceo@acme.test") as web:
        first = web.get(f"/assessments/{draft}/answer/1").text
        assert f'href="/assessments/{draft}/answer/1#{slug}">Next unanswered: question 1</a>' in first
        last_section = web.get(f"/assessments/{draft}/answer/3").text
        in_last = _questions(ctx, 3)[0]
        number = questions.index(in_last) + 1
        assert f"Next unanswered: question {number}</a>" in last_section
        for qid in _questions(ctx, 3):
            answer(client, draft, qid, ctx.content.plans[QC].questions[qid].allowed_values()[0])
        # The last section answered: round to the first section's first question.
        assert "Next unanswered: question 1</a>" in web.get(f"/assessments/{draft}/answer/3").text
        saved = _save(web, draft, FIRST, HTMX, value="most").text  # the progress comes back with each save
        assert "Next unanswered: question 2</a>" in saved
        for qid in questions:
            answer(client, draft, qid, ctx.content.plans[QC].questions[qid].allowed_values()[0])
        assert "Next unanswered" not in web.get(f"/assessments/{draft}/answer/1").text


def test_a_period_started_from_a_baseline_opens_at_the_first_section_marking_each_copied_answer_until_reviewed(
    app, client, ctx, draft
):
    questions = [q.id for q in ctx.content.plans[QC].questionnaire.questions]
    for qid in questions:
        answer(client, draft, qid, "dont_know")
    assert client.post(f"/api/v1/assessments/{draft}/submit").status_code == 200
    org = client.get(f"/api/v1/assessments/{draft}").json()["organisation_id"]
    nxt = make_assessment(client, org, "2027-Q1", QC, baseline_assessment_id=draft)
    copied = {a["question_id"]: a["copied_from"] for a in client.get(f"/api/v1/assessments/{nxt}/answers").json()}
    assert set(copied.values()) == {"2026-Q4"} and len(copied) == len(questions)
    with browser(app, "ceo@acme.test") as web:
        # Every question answered, yet none reviewed: it opens at the first section, not the last.
        assert web.get(f"/assessments/{nxt}", follow_redirects=False).headers["location"].endswith("/answer/1")
        first = web.get(f"/assessments/{nxt}/answer/1").text
        assert f"{len(questions)} answers copied from 2026-Q4: review what changed" in first
        assert first.count("copied from 2026-Q4, not reviewed yet") == len(_questions(ctx, 1))
        assert ">Still true<" in first and "Next to review: question 1</a>" in first
        # Keeping the same answer confirms it: reviewed, a new version, nothing else changed.
        kept = _save(web, nxt, FIRST, HTMX, value="dont_know", expected_version="1")
        assert kept.status_code == 200 and "not reviewed yet" not in kept.text.split('id="q-progress"')[0]
        assert "Next to review: question 2</a>" in kept.text
        stored = {a["question_id"]: a for a in client.get(f"/api/v1/assessments/{nxt}/answers").json()}
        assert (stored[FIRST]["copied_from"], stored[FIRST]["version"], stored[FIRST]["value"]) == ("", 2, "dont_know")
        # Saved again, unchanged and reviewed: nothing is written.
        again = _save(web, nxt, FIRST, HTMX, value="dont_know", expected_version="2")
        assert again.status_code == 200
        assert client.get(f"/api/v1/assessments/{nxt}/answers").json()[0]["version"] == 2
        # Choosing another answer reviews it too.
        second = questions[1]
        value = next(v for v in ctx.content.plans[QC].questions[second].allowed_values() if v != "dont_know")
        _save(web, nxt, second, HTMX, value=value, expected_version="1")
        stored = {a["question_id"]: a for a in client.get(f"/api/v1/assessments/{nxt}/answers").json()}
        assert (stored[second]["copied_from"], stored[second]["value"]) == ("", value)
        assert f"{len(questions) - 2} answers copied from 2026-Q4" in web.get(f"/assessments/{nxt}/answer/1").text
    # The history keeps the confirmation as a version with the answer unchanged.
    kept = [h for h in client.get(f"/api/v1/assessments/{nxt}/history").json() if h["question_id"] == FIRST]
    assert [(h["version"], h["old_value"], h["new_value"]) for h in kept] == [
        (1, None, "dont_know"),
        (2, "dont_know", "dont_know"),
    ]


def test_once_several_people_answer_each_question_says_whose_answer_it_is(app, client, ctx, draft):
    answer(client, draft, FIRST, "most")
    with browser(app, "ceo@acme.test") as web:
        alone = web.get(f"/assessments/{draft}/answer/1").text
        assert "Answered by" not in alone  # one person so far: nothing to tell apart
        _save(web, draft, PROFILE, HTMX, value="dont_know")
        both = web.get(f"/assessments/{draft}/answer/1").text
        assert '<p class="q-by">Answered by admin@tribewise.test</p>' in both
        assert '<p class="q-by">Answered by ceo@acme.test</p>' in both


def test_an_earlier_answer_is_given_again_from_its_history_as_a_new_version(app, client, ctx, draft):
    answer(client, draft, FIRST, "most")
    client.put(f"/api/v1/assessments/{draft}/answers/{FIRST}", json={"value": "a_minority", "note": "second look"})
    question = ctx.content.plans[QC].questions[FIRST]
    with browser(app, "ceo@acme.test") as web:
        section = web.get(f"/assessments/{draft}/answer/1").text
        history = f"/assessments/{draft}/answers/{FIRST}/history"
        assert f'<a class="q-earlier" href="{history}">Earlier answers' in section
        page = web.get(history).text
        assert escape(question.text) in page and page.count("Give this answer again") == 1
        assert "current answer" in page and "Note: second look" in page
        token = csrf_of(page)

        def restore(version: str, expected: str):
            form = {"version": version, "expected_version": expected, "_csrf_token": token}
            return web.post(f"/assessments/{draft}/answers/{FIRST}/restore", data=form, follow_redirects=False)

        stale = restore("1", "1")
        assert stale.status_code == 409 and 'role="alert"' in stale.text and "Give this answer again" in stale.text
        assert restore("x", "2").status_code == 400
        missing = restore("9", "2")
        assert missing.status_code == 404 and "has no version 9" in missing.text
        done = restore("1", "2")
        assert done.status_code == 303 and done.headers["location"].endswith(
            f"saved={FIRST}#q-{FIRST.replace('.', '-')}"
        )
    stored = {a["question_id"]: a for a in client.get(f"/api/v1/assessments/{draft}/answers").json()}[FIRST]
    assert (stored["value"], stored["note"], stored["version"]) == ("most", "", 3)
    with browser(app, "board@acme.test") as web:  # a viewer reads the history, and cannot give an answer again
        read = web.get(f"/assessments/{draft}/answers/{FIRST}/history").text
        assert read.count("Version ") == 3 and "Give this answer again" not in read
