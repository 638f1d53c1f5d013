"""Load the demo organisation and its quarters through the same services users call."""

from __future__ import annotations

import secrets
from pathlib import Path

from backend.content.answers import load_history, read_history
from backend.content.schema import NOT_APPLICABLE
from backend.schemas.views import AnswerPut, AssessmentCreate, OrganisationCreate, OrganisationPublic, RoadmapItemPatch
from backend.services.accounts.users import UserCreate, create_user, set_password, user_by_email
from backend.services.assessments.answers import save_answer
from backend.services.assessments.assessments import create_assessment, submit_assessment
from backend.services.assessments.roadmaps import roadmap_of, update_item
from backend.services.kernel.context import Context
from backend.services.organisations.organisations import create_organisation, list_organisations

DEMO = Path(__file__).resolve().parents[1] / "demo" / "northwind"


def load_demo(ctx: Context, folder: Path = DEMO) -> OrganisationPublic:
    """Create the demo organisation with every quarter answered, roadmaps tracked and submitted."""
    history, quarters = load_history(folder, ctx.content)
    org = create_organisation(ctx, OrganisationCreate(**history.organisation.model_dump()))
    previous = None
    for quarter, data, values in quarters:
        assessment = create_assessment(
            ctx,
            org.id,
            AssessmentCreate(
                questionnaire_id=data.questionnaire,
                period=quarter.period,
                baseline_assessment_id=previous,
            ),
            created_by="demo",
        )
        for question_id, value in values.items():
            reason = "Not part of our business" if value == NOT_APPLICABLE else ""
            save_answer(
                ctx,
                assessment.id,
                question_id,
                AnswerPut(
                    value=value,
                    reason=reason,
                    note=data.notes.get(question_id, ""),
                    answered_by=quarter.answered_by or "demo",
                ),
            )
        items = {i.recommendation_id: i for i in roadmap_of(ctx, assessment.id).items}
        for rec_id, planned in quarter.roadmap.items():
            if rec_id not in items:
                raise ValueError(
                    f"{folder / 'history.yaml'}: {rec_id} is not on the {quarter.period} roadmap; track a step that is planned that quarter"
                )
            update_item(ctx, assessment.id, items[rec_id].id, RoadmapItemPatch(**planned.model_dump()))
        if quarter.submit:
            submit_assessment(ctx, assessment.id)
        previous = assessment.id
    return org


DEMO_ADMIN = "admin@tribewise.local"


def load_demo_if_empty(ctx: Context) -> tuple[OrganisationPublic, str, str] | None:
    """Load the demo on first run only (an empty database), with an admin whose new random
    password is returned once; any other database is left alone."""
    if list_organisations(ctx):
        return None
    org = load_demo(ctx)
    return org, DEMO_ADMIN, demo_admin(ctx, reset=True)


def demo_admin(ctx: Context, reset: bool) -> str | None:
    """Make sure the demo's admin exists; the new random password when one was set (a new admin,
    or `reset`), None when an existing admin keeps theirs."""
    with ctx.db.read() as session:
        exists = user_by_email(session, DEMO_ADMIN) is not None
    if exists and not reset:
        return None
    password = secrets.token_urlsafe(12)
    if exists:
        set_password(ctx, DEMO_ADMIN, password)
    else:
        create_user(ctx, UserCreate(email=DEMO_ADMIN, role="admin", password=password))
    return password


def demo_organisation(ctx: Context, folder: Path = DEMO) -> OrganisationPublic | None:
    """The demo organisation when it is loaded already (found by its name), so it is never loaded twice."""
    name = read_history(folder).organisation.name
    return next((o for o in list_organisations(ctx) if o.name == name), None)
