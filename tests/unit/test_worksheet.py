"""The feedback-channel audit worksheet: channels in use from the answers or the team's word, gaps and overlaps
counted from the corrected grid, and the steps with what the team recorded."""

import pytest

from backend.scoring.worksheet import ChannelEdit, StepEdit, WorksheetEdits, answered_use, build_worksheet


@pytest.fixture(scope="module")
def sheet(content):
    return content.rubrics["customer"].worksheet


@pytest.fixture(scope="module")
def audit(content, sheet):
    return content.recommendations[sheet.recommendation][1]


def evidence_scores(sheet, channel_ids, value):
    """Every evidence criterion of the named channels at one score."""
    return {cid: value for c in sheet.channels if c.id in channel_ids for cid in c.evidence}


def row(worksheet, channel_id):
    return next(c for c in worksheet.channels if c.id == channel_id)


def column(worksheet, moment_id):
    return next(m for m in worksheet.moments if m.id == moment_id)


def test_a_channel_is_in_use_when_any_evidence_reaches_the_threshold():
    assert answered_use((("a", 0.2), ("b", 0.5)), 0.5) == "in use"
    assert answered_use((("a", 0.2), ("b", 0.49)), 0.5) == "not in use"


def test_a_channel_whose_evidence_is_not_assessed_is_unknown_not_absent():
    assert answered_use((("a", None), ("b", None)), 0.5) == "unknown"
    assert answered_use((("a", None), ("b", 0.1)), 0.5) == "not in use"


def test_without_edits_the_grid_is_what_the_answers_and_the_proposal_say(sheet, audit):
    worksheet = build_worksheet(sheet, evidence_scores(sheet, {"support_contacts"}, 1.0), audit)
    support = row(worksheet, "support_contacts")
    assert support.use == support.answered_use == "in use" and not support.use_changed
    assert support.moments == support.proposed == {"start", "get_help"} and not support.changed
    assert column(worksheet, "get_help").channels == ("support_contacts",)
    assert column(worksheet, "discover").gap and not column(worksheet, "get_help").gap
    assert not worksheet.edited


def test_marking_a_channel_in_use_covers_its_moments_against_the_answers(sheet, audit):
    edits = WorksheetEdits(channels={"reviews": ChannelEdit(use="in use")})
    worksheet = build_worksheet(sheet, evidence_scores(sheet, {"reviews"}, 0.0), audit, edits)
    reviews = row(worksheet, "reviews")
    assert reviews.answered_use == "not in use" and reviews.use == "in use" and reviews.use_changed
    assert column(worksheet, "discover").channels == ("reviews",)
    assert not column(worksheet, "discover").gap and worksheet.edited


def test_marking_a_channel_not_in_use_opens_a_gap_the_answers_did_not_show(sheet, audit):
    scores = evidence_scores(sheet, {"support_contacts"}, 1.0)
    assert not column(build_worksheet(sheet, scores, audit), "start").gap
    edits = WorksheetEdits(channels={"support_contacts": ChannelEdit(use="not in use")})
    assert column(build_worksheet(sheet, scores, audit, edits), "start").gap


def test_ticking_a_moment_a_channel_was_not_proposed_for_makes_an_overlap(sheet, audit):
    scores = evidence_scores(sheet, {"support_contacts", "social_mentions"}, 1.0)
    assert not column(build_worksheet(sheet, scores, audit), "start").overlap
    edits = WorksheetEdits(channels={"social_mentions": ChannelEdit(moments={"start": True})})
    worksheet = build_worksheet(sheet, scores, audit, edits)
    mentions = row(worksheet, "social_mentions")
    assert "start" in mentions.moments and mentions.changed == {"start"}
    assert column(worksheet, "start").overlap and len(column(worksheet, "start").channels) == 2


def test_unticking_the_only_channel_at_a_moment_makes_a_gap(sheet, audit):
    scores = evidence_scores(sheet, {"support_contacts"}, 1.0)
    edits = WorksheetEdits(channels={"support_contacts": ChannelEdit(moments={"start": False})})
    worksheet = build_worksheet(sheet, scores, audit, edits)
    assert row(worksheet, "support_contacts").moments == {"get_help"}
    assert column(worksheet, "start").gap and not column(worksheet, "get_help").gap


def test_a_tick_that_agrees_with_the_proposal_is_no_change(sheet, audit):
    edits = WorksheetEdits(channels={"support_contacts": ChannelEdit(moments={"start": True, "buy": False})})
    worksheet = build_worksheet(sheet, {}, audit, edits)
    assert not row(worksheet, "support_contacts").changed and not worksheet.edited


def test_corrections_naming_what_the_worksheet_no_longer_has_are_ignored(sheet, audit):
    edits = WorksheetEdits(
        channels={"fax": ChannelEdit(use="in use"), "reviews": ChannelEdit(moments={"teleport": True})},
        steps={"gone.criterion": StepEdit(owner="Ada")},
    )
    plain = build_worksheet(sheet, {}, audit)
    assert build_worksheet(sheet, {}, audit, edits) == plain


def test_a_ticked_moment_of_a_channel_not_in_use_covers_nothing(sheet, audit):
    edits = WorksheetEdits(channels={"reviews": ChannelEdit(use="not in use", moments={"get_help": True})})
    worksheet = build_worksheet(sheet, {}, audit, edits)
    assert "get_help" in row(worksheet, "reviews").moments
    assert column(worksheet, "get_help").gap


def test_steps_carry_the_owner_status_and_note_the_team_recorded(sheet, audit):
    first = sheet.steps[0]
    edits = WorksheetEdits(steps={first: StepEdit(owner="Dana Reyes", status="in_progress", note="Started in March")})
    worksheet = build_worksheet(sheet, {first: 0.25}, audit, edits)
    step = worksheet.steps[0]
    assert (step.number, step.owner_name, step.status, step.note, step.score) == (
        1,
        "Dana Reyes",
        "in_progress",
        "Started in March",
        0.25,
    )
    assert step.owner == audit.tasks[0].owner  # the role the audit names stays beside the person
    assert all(s.status == "not_started" and not s.owner_name for s in worksheet.steps[1:])
    assert worksheet.edited
