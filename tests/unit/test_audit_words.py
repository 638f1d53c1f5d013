"""The audit log's sentences: one per kind of event, in plain words, linked to what can still be opened."""

from datetime import UTC, datetime

import pytest

from backend.schemas.views import AssessmentPublic
from backend.services.kernel.audit import AuditEventPublic
from backend.web.pages.audit_words import Where, sentence

AT = datetime(2026, 9, 1, 9, 30, tzinfo=UTC)
ANA = "ana.diaz@firm.test"
QUESTION = "fd.feedback_loop.baseline"
QUESTION_TEXT = "Have you set a measured baseline of customer experience, such as satisfaction, effort or complaints per journey step?"


def period(assessment_id: int, name: str, status: str = "draft") -> AssessmentPublic:
    return AssessmentPublic(
        id=assessment_id,
        organisation_id=7,
        period=name,
        questionnaire_id="full-diagnostic",
        questionnaire_version="1",
        content_hash="",
        status=status,
        kind="self_assessment",
        baseline_assessment_id=None,
        created_at=AT,
        submitted_at=None,
        answered=0,
        questions=70,
    )


@pytest.fixture(scope="module")
def where(content):
    """An organisation with 2026-Q3 (id 3) and 2026-Q4 (id 4); roadmap step 12 is on 2026-Q3's roadmap."""
    return Where(7, {3: period(3, "2026-Q3", "submitted"), 4: period(4, "2026-Q4")}, {12: "2026-Q3"}, content)


def event(action: str, entity: str, entity_id: str, before=None, after=None, actor: str = ANA) -> AuditEventPublic:
    return AuditEventPublic(
        id=1, at=AT, actor=actor, action=action, entity=entity, entity_id=entity_id, before=before, after=after
    )


def said(where, e: AuditEventPublic) -> tuple[str, list[tuple[str, str]]]:
    """The sentence as read, and its links as (text, address)."""
    pieces = sentence(e, where)
    return "".join(p.text for p in pieces), [(p.text, p.href) for p in pieces if p.href]


def test_a_changed_answer_names_the_question_the_period_and_both_answers_by_their_labels(where):
    text, links = said(
        where, event("answer.save", "answer", f"3/{QUESTION}", {"value": "per_journey"}, {"value": "per_step"})
    )
    assert text == (
        f"{ANA} changed the answer to “{QUESTION_TEXT}” in 2026-Q3 from “Figures per journey” to “Figures per journey step”."
    )
    assert links == [(QUESTION_TEXT, "/assessments/3/answer/10#q-fd-feedback_loop-baseline")]


def test_a_first_answer_and_a_changed_note_read_as_what_was_given(where):
    first = {"value": "none", "note": "Nobody measures", "reason": "", "evidence": "", "answered_by": ANA}
    text, _ = said(where, event("answer.save", "answer", f"4/{QUESTION}", None, first))
    assert (
        text == f"{ANA} answered “{QUESTION_TEXT}” in 2026-Q4 with “No baseline” and set its note to “Nobody measures”."
    )
    text, _ = said(where, event("answer.save", "answer", f"4/{QUESTION}", {"note": "old"}, {"note": ""}))
    assert text == f"{ANA} cleared the note on “{QUESTION_TEXT}” in 2026-Q4."


def test_a_kept_copied_answer_says_where_it_came_from(where):
    text, _ = said(where, event("answer.confirm", "answer", f"4/{QUESTION}", None, {"copied_from": "2026-Q3"}))
    assert text == f"{ANA} kept the answer to “{QUESTION_TEXT}” in 2026-Q4 copied from 2026-Q3: still true."


def test_a_step_marked_done_names_the_step_and_links_it_on_its_roadmap(where):
    before = {"status": "planned", "owner": "", "due_period": ""}
    text, links = said(
        where,
        event("roadmap.update", "roadmap_item", "12 feedback_channel_audit", before, {**before, "status": "done"}),
    )
    title = "Run a feedback-channel audit to get ahead of the next public complaint"
    assert text == f"{ANA} marked the step “{title}” in 2026-Q3 done."
    assert links == [(title, "/assessments/3/roadmap#item-12")]


def test_a_step_given_an_owner_and_a_due_period_says_both_once(where):
    before = {"status": "planned", "owner": "", "due_period": "2026-Q4"}
    after = {"status": "in_progress", "owner": "Ana", "due_period": ""}
    text, _ = said(where, event("roadmap.update", "roadmap_item", "12 feedback_channel_audit", before, after))
    assert text.endswith("in 2026-Q3 in progress, set its owner to “Ana” and cleared its due quarter.")


def test_the_assessment_events_name_the_period_and_link_its_results(where):
    created = {"period": "2026-Q4", "questionnaire_id": "full-diagnostic", "baseline_assessment_id": 3}
    text, links = said(where, event("assessment.create", "assessment", "4", None, {**created, "answers_copied": 61}))
    assert (
        text
        == f"{ANA} started the 2026-Q4 assessment (Full social-customer diagnostic), copying 61 answers from 2026-Q3."
    )
    assert links == [("2026-Q4 assessment", "/assessments/4/results")]
    text, _ = said(where, event("assessment.submit", "assessment", "3", {"status": "draft"}, {"answers": 1}))
    assert text == f"{ANA} submitted the 2026-Q3 assessment with 1 answer."
    levels = {"answers": 70, "level_socialfication": 2, "level_solis": None, "provisional_socialfication": True}
    text, _ = said(where, event("assessment.submit", "assessment", "3", {"status": "draft"}, levels))
    assert text == (
        f"{ANA} submitted the 2026-Q3 assessment with 70 answers (Socialfication maturity: level 2, provisional; "
        "The ten stages of social media integration: not assessed)."
    )
    gone = {"period": "2026-Q1", "questionnaire_id": "full-diagnostic", "answered": 12}
    text, links = said(where, event("assessment.delete", "assessment", "1", gone, None))
    assert text == f"{ANA} deleted the 2026-Q1 assessment (Full social-customer diagnostic, 12 answers)." and not links
    text, _ = said(
        where, event("assessment.content_acknowledge", "assessment", "4", {}, {"questionnaire_version": "3"})
    )
    assert text == f"{ANA} moved the 2026-Q4 assessment to version 3 of its questionnaire."


def test_members_share_links_and_the_organisation_read_as_sentences(where):
    assert said(where, event("member.add", "membership", "bo@firm.test", None, {"role": "viewer"}))[0] == (
        f"{ANA} added bo@firm.test as viewer."
    )
    assert said(where, event("member.role", "membership", "bo@firm.test", {"role": "viewer"}, {"role": "member"}))[
        0
    ] == (f"{ANA} changed the role of bo@firm.test from viewer to member.")
    assert said(where, event("member.remove", "membership", "bo@firm.test", {"role": "member"}))[0] == (
        f"{ANA} removed bo@firm.test (member) from the organisation."
    )
    assert (
        said(where, event("member.leave", "membership", ANA, {"role": "member"}))[0] == f"{ANA} left the organisation."
    )
    link = {"assessment": "2026-Q3", "variant": "summary", "expires_at": "2026-09-15T09:30:00+00:00"}
    text, links = said(where, event("share_link.create", "share_link", "5", None, link))
    assert text == f"{ANA} made a share link to the 2026-Q3 report (one-page summary), valid until 2026-09-15."
    assert links == [("share link", "/organisations/7/access")]
    assert said(where, event("organisation.create", "organisation", "7", None, {"name": "Northwind"}))[0] == (
        f"{ANA} created the organisation “Northwind”."
    )
    imported = {"name": "Northwind", "assessments": 2, "answers": 140}
    assert said(where, event("organisation.import", "organisation", "7", None, imported))[0] == (
        f"{ANA} imported the organisation “Northwind” with 2 assessments and 140 answers."
    )
    assert (
        said(where, event("organisation.archive", "organisation", "7", {}, {}))[0]
        == f"{ANA} archived the organisation."
    )


def test_the_report_branding_events_say_what_changed_without_the_file(where):
    logo = {"bytes": 2048, "width": 120, "height": 60}
    assert said(where, event("organisation.logo", "organisation", "7", None, logo))[0] == (
        f"{ANA} set the logo on the report's cover (120 × 60 pixels)."
    )
    assert said(where, event("organisation.logo", "organisation", "7", logo, logo))[0] == (
        f"{ANA} replaced the logo on the report's cover (120 × 60 pixels)."
    )
    assert said(where, event("organisation.logo", "organisation", "7", logo, None))[0] == (
        f"{ANA} removed the logo from the report's cover."
    )
    assert said(where, event("organisation.accent", "organisation", "7", {"accent": ""}, {"accent": "#7a1f5c"}))[0] == (
        f"{ANA} set the report's accent colour to #7a1f5c."
    )
    assert said(where, event("organisation.accent", "organisation", "7", {"accent": "#7a1f5c"}, {"accent": ""}))[0] == (
        f"{ANA} set the report's accent colour back to the report's own blue."
    )


def test_workshop_events_say_what_changed(where):
    assert said(where, event("workshop.open", "workshop", "K7Q2", None, {"participant_cap": 12}))[0] == (
        f"{ANA} opened a workshop for up to 12 people."
    )
    assert said(where, event("workshop.update", "workshop", "K7Q2", {"status": "open"}, {"status": "closed"}))[0] == (
        f"{ANA} closed the workshop."
    )


def test_an_unknown_action_or_a_change_nobody_signed_in_made_reads_without_ids(where):
    text, links = said(
        where, event("answer.rescore", "answer", f"3/{QUESTION}", {"x_y": 1}, {"x_y": 2}, actor="system")
    )
    assert text == "Tribewise changed an answer." and not links


def test_what_is_gone_from_the_content_or_the_organisation_is_said_so(where):
    text, links = said(where, event("answer.save", "answer", "9/fd.gone.question", {"value": "a"}, {"value": "b"}))
    assert text == f"{ANA} changed the answer to a question no longer asked in an assessment since deleted."
    assert not links
    assert said(
        where, event("roadmap.update", "roadmap_item", "99 gone_step", {"status": "planned"}, {"status": "done"})
    )[0] == (f"{ANA} marked a step no longer recommended done.")


def test_a_worksheet_channel_marked_in_use_and_its_ticks_read_as_what_the_team_did(where):
    text, links = said(
        where,
        event(
            "worksheet.channel",
            "worksheet_channel",
            "4/reviews",
            {"use": "", "moments": {}},
            {"use": "in_use", "moments": {"discover": False, "get_help": True}},
        ),
    )
    assert text == (
        f"{ANA} marked the channel “Ratings and reviews” on the 2026-Q4 audit worksheet in use, "
        "ticked “Get help or complain” and unticked “Discover and compare”."
    )
    assert links == [("Ratings and reviews", "/assessments/4/worksheet#channel-reviews")]
    text, _ = said(
        where,
        event(
            "worksheet.channel",
            "worksheet_channel",
            "4/reviews",
            {"use": "not_in_use", "moments": {}},
            {"use": "", "moments": {}},
        ),
    )
    assert (
        text
        == f"{ANA} set the channel “Ratings and reviews” on the 2026-Q4 audit worksheet back to what the answers say."
    )


def test_a_worksheet_tick_alone_names_the_channel_after_the_moment(where):
    text, _ = said(
        where,
        event(
            "worksheet.channel",
            "worksheet_channel",
            "4/reviews",
            {"use": "", "moments": {"discover": False}},
            {"use": "", "moments": {}},
        ),
    )
    assert (
        text
        == f"{ANA} ticked “Discover and compare” for the channel “Ratings and reviews” on the 2026-Q4 audit worksheet."
    )


def test_a_worksheet_step_reads_with_its_number_title_owner_and_status(where):
    before = {"owner": "", "status": "not_started", "note": ""}
    after = {"owner": "Dana Reyes", "status": "in_progress", "note": "Two journeys first"}
    text, links = said(where, event("worksheet.step", "worksheet_step", "3/customer.audit.map_journeys", before, after))
    assert text == (
        f"{ANA} marked audit step 2 “Map end-to-end customer journeys with cross-functional teams” on the 2026-Q3 audit worksheet in "
        "progress, set its owner to “Dana Reyes” and set its note to “Two journeys first”."
    )
    assert links == [
        ("Map end-to-end customer journeys with cross-functional teams", "/assessments/3/worksheet#step-2")
    ]


def test_a_worksheet_change_to_what_content_no_longer_has_still_reads_as_a_sentence(where):
    text, _ = said(where, event("worksheet.channel", "worksheet_channel", "4/fax", {"use": ""}, {"use": "in_use"}))
    assert text == f"{ANA} changed a channel no longer on the audit worksheet."
    text, _ = said(where, event("worksheet.step", "worksheet_step", "9/gone", {"owner": ""}, {"owner": "Ada"}))
    assert text == f"{ANA} changed a step no longer on the audit worksheet."
