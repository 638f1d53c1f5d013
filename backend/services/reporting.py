"""Gather what a report shows: one service for the API, the web and the CLI, which render it (backend.reports)."""

from __future__ import annotations

from datetime import UTC, datetime

from backend.content.roles import HEADLINE, first_of_kind
from backend.labels import answer_label
from backend.schemas.report import AnsweredQuestion, Credit, ReportData, WorkshopFacts
from backend.services.assessments.answers import list_answers
from backend.services.assessments.assessments import assessment_result, read_assessment
from backend.services.assessments.history import compare, known_at, progress
from backend.services.assessments.roadmaps import roadmap_of
from backend.services.assessments.worksheets import report_worksheet, sheet_of
from backend.services.kernel.context import Context
from backend.services.kernel.errors import NotFound
from backend.services.organisations.branding import branding, logo_or_none
from backend.services.organisations.members import list_members
from backend.services.organisations.organisations import read_organisation
from backend.services.workshops.board import board, perception_gaps
from backend.services.workshops.workshops import read_workshop


def report_data(ctx: Context, assessment_id: int, base_url: str = "") -> ReportData:
    """Result, roadmap, history and answers of one assessment, ready for the story; `base_url` (the server asked,
    when there is one) lets the report link the methodology page."""
    assessment = read_assessment(ctx, assessment_id)
    organisation = read_organisation(ctx, assessment.organisation_id)
    result = assessment_result(ctx, assessment_id).result
    roadmap = roadmap_of(ctx, assessment_id)
    history = known_at(progress(ctx, organisation.id).periods, assessment)
    earlier = [p for p in history if p.assessment_id != assessment.id]
    change = compare(ctx, earlier[-1].assessment_id, assessment_id) if earlier else None
    answers = {a.question_id: a for a in list_answers(ctx, assessment_id)}
    plan = ctx.content.plans.get(assessment.questionnaire_id)
    questions = []
    if plan:
        for section in plan.questionnaire.sections:
            for q in section.questions:
                answer = answers.get(q.id)
                questions.append(AnsweredQuestion(section.title, q, answer, answer_label(q, answer and answer.value)))
    sheet = sheet_of(ctx.content)
    audit_owner = ""
    if sheet is not None:
        audit_owner = next(
            (i.owner for i in roadmap.items if i.recommendation_id == sheet.recommendation and i.owner), ""
        )
    ladder = first_of_kind(ctx.content.rubrics.values(), HEADLINE)
    return ReportData(
        organisation=organisation,
        assessment=assessment,
        questionnaire_title=plan.questionnaire.title if plan else assessment.questionnaire_id,
        result=result,
        roadmap=roadmap,
        history=history,
        change=change,
        questions=questions,
        worksheet=report_worksheet(ctx, assessment_id, result),
        audit_owner=audit_owner,
        assessed_by=sorted({a.answered_by for a in answers.values() if a.answered_by}),
        consultants=[m.email for m in list_members(ctx, organisation.id) if m.role == "consultant"],
        credits=[Credit(r.title, r.author, r.source, r.summary) for r in ctx.content.rubrics.values()],
        floor_name=ladder.floor.name if ladder and ladder.floor else "Not started",
        # A submitted report is dated by its submission, so asking for it again gives the same bytes.
        generated_at=assessment.submitted_at or datetime.now(UTC),
        # The workshop's views need the questionnaire; without it the report still renders, without them.
        workshop=workshop_facts(ctx, assessment_id) if plan else None,
        base_url=base_url,
        short_titles={m: r.short_title or r.title for m, r in ctx.content.rubrics.items()},
        logo=logo_or_none(ctx, organisation.id),
        accent=branding(ctx, organisation.id).accent,
    )


def workshop_facts(ctx: Context, assessment_id: int) -> WorkshopFacts | None:
    """The board and perception gaps of the assessment's workshop, or None when it has none."""
    try:
        read_workshop(ctx, assessment_id)
    except NotFound:
        # report_data has read the assessment already, so this 404 can only be the missing workshop.
        return None
    return WorkshopFacts(board=board(ctx, assessment_id), gaps=perception_gaps(ctx, assessment_id))
