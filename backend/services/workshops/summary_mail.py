"""Closing the loop: once a workshop is closed, everyone who left an e-mail address when joining gets the summary
the room saw at the end (the level and stage its recorded answers give, and the first next steps). Sending again
sends only to those who have not had it."""

from __future__ import annotations

from backend.labels import PRESENTER_NO_STEPS, ending_text
from backend.services.kernel.audit import record
from backend.services.kernel.context import Context, get_assessment
from backend.services.kernel.errors import Conflict
from backend.services.mail.compose import compose
from backend.services.mail.outbox import deliver_due, queue
from backend.services.workshops.presenter import ending
from backend.services.workshops.workshops import workshop_of
from backend.storage.queries.workshops import participants_in
from backend.storage.tables import Organisation


def summary_recipients(ctx: Context, assessment_id: int) -> int:
    """How many participants of the assessment's workshop left an address for the summary."""
    with ctx.db.read() as session:
        get_assessment(session, assessment_id)
        return sum(1 for p in participants_in(session, workshop_of(session, assessment_id).id) if p.email)


def mail_summary(ctx: Context, assessment_id: int) -> int:
    """E-mail the closed workshop's summary to each participant who left an address and has not had it; how many
    it was queued for now."""
    if ctx.mail is None:
        raise Conflict("this Tribewise has no mail settings, so it cannot send the summary", field="mail")
    end = ending(ctx, assessment_id)
    with ctx.db.write() as session:
        assessment = get_assessment(session, assessment_id)
        workshop = workshop_of(session, assessment_id)
        if workshop.status == "open":
            raise Conflict(
                "the workshop is still open: close it first, so the summary is what the room agreed", field="status"
            )
        organisation = session.get(Organisation, assessment.organisation_id).name
        queued = 0
        for person in participants_in(session, workshop.id):
            if person.email and queue(
                session, _summary(ctx, workshop.id, person, organisation, assessment.period, end)
            ):
                queued += 1
        record(
            session,
            assessment.organisation_id,
            ctx.who,
            "workshop.summary_mail",
            "assessment",
            assessment_id,
            None,
            {"assessment": assessment.period, "sent_to": queued},
        )
    deliver_due(ctx)
    return queued


def _summary(ctx: Context, workshop_id: int, person, organisation: str, period: str, end):
    return compose(
        "workshop_summary",
        f"workshop_summary:{workshop_id}:{person.id}",
        person.email,
        f"{organisation}: what the workshop agreed ({period})",
        name=person.name,
        organisation=organisation,
        period=period,
        level=ending_text(end.level) if end.level else "",
        stage=ending_text(end.stage) if end.stage else "",
        steps=end.steps,
        no_steps=PRESENTER_NO_STEPS,
        base_url=ctx.mail.base_url,
    )
