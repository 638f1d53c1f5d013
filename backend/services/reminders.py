"""Reminders by e-mail, sent by `tribewise reminders send` (a cron job or systemd timer runs it daily): an
organisation's next assessment due by its cadence (to its consultants), roadmap steps due this quarter, and a draft
left untouched for two weeks (to its consultants and members). Each reminder is sent once: its key names what it is
about (the organisation and the period due; the assessment and the quarter; the draft and the day it was last
worked on), so running it again, or from two machines, sends nothing new. A user may turn all reminders off."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from backend.labels import cadence_text, counted, day_text, quarter_of
from backend.services.kernel.context import Context
from backend.services.kernel.signing import sign, unsign
from backend.services.mail.compose import compose
from backend.services.mail.outbox import Mail, deliver_due, queue
from backend.services.organisations.portfolio import next_period
from backend.storage.queries.accounts import reminders_of, set_reminders
from backend.storage.queries.assessments import AssessmentHead, assessments_of_organisations
from backend.storage.queries.reminders import Recipient, last_worked_on, recipients, steps_due

IDLE_DAYS = 14
OFF = "reminders_off"


@dataclass(frozen=True)
class Reminded:
    """How many reminders of each kind were sent (queued) by one run."""

    due: int = 0
    steps: int = 0
    idle: int = 0


def send_reminders(ctx: Context, today: date | None = None) -> Reminded:
    """Queue and send every reminder due today that was not sent before."""
    today = today or datetime.now(UTC).date()
    quarter = quarter_of(today)
    with ctx.db.read() as session:
        people = recipients(session)
        heads = assessments_of_organisations(session, sorted({p.organisation_id for p in people}))
        worked = last_worked_on(session, [h.id for h in heads if h.status == "draft"])
        latest = {h.organisation_id: h for h in heads}  # oldest period first: the last one stays
        due_steps = steps_due(session, [h.id for h in latest.values()], quarter)
    members: dict[int, list[Recipient]] = defaultdict(list)
    for person in people:
        members[person.organisation_id].append(person)
    assessed: dict[int, list[AssessmentHead]] = defaultdict(list)
    for head in heads:
        assessed[head.organisation_id].append(head)
    mails: list[Mail] = []
    for organisation_id, who in members.items():
        mails += _period_due(ctx, who, assessed[organisation_id], quarter)
        head = latest.get(organisation_id)
        if head is not None and due_steps.get(head.id):
            mails += _steps(ctx, who, head, due_steps[head.id], quarter)
        for draft in (h for h in assessed[organisation_id] if h.status == "draft"):
            idle = (today - worked[draft.id].date()).days
            if idle >= IDLE_DAYS:
                mails += _idle(ctx, who, draft, worked[draft.id].date(), idle)
    sent: dict[str, int] = defaultdict(int)
    with ctx.db.write() as session:
        for mail in mails:
            if queue(session, mail):
                sent[mail.kind.removeprefix("reminder_")] += 1
    deliver_due(ctx)
    return Reminded(**sent)


def _period_due(ctx: Context, who: list[Recipient], heads: list[AssessmentHead], quarter: str) -> list[Mail]:
    """The organisation's next period, when its cadence says it is due and no assessment of it was started."""
    submitted = [h.period for h in heads if h.status == "submitted"]
    if not submitted:
        return []
    last, cadence = max(submitted), who[0].cadence_quarters
    due = last
    for _ in range(cadence):
        due = next_period(due)
    if due > quarter or any(h.period >= due for h in heads):
        return []
    organisation = who[0].organisation
    lead = (
        f"{organisation} was last assessed in {last} and is assessed {cadence_text(cadence)}: "
        f"its {due} assessment is due."
    )
    return [
        _reminder(
            ctx,
            "due",
            f"{who[0].organisation_id}:{due}",
            person,
            f"{organisation}: the {due} assessment is due",
            lead,
            [],
            "Start it",
            f"/organisations/{person.organisation_id}",
        )
        for person in who
        if person.member_role == "consultant"
    ]


def _steps(ctx: Context, who: list[Recipient], head: AssessmentHead, steps: list, quarter: str) -> list[Mail]:
    organisation = who[0].organisation
    titles = {rid: rec.title for rid, (_, rec) in ctx.content.recommendations.items()}
    items = [titles.get(rid, rid) + (f" (owner: {owner})" if owner else "") for rid, owner in steps]
    lead = f"These steps of {organisation}'s roadmap ({head.period}) are due this quarter, {quarter}, and not done:"
    subject = f"{organisation}: {counted(len(steps), 'roadmap step')} due this quarter"
    return [
        _reminder(
            ctx,
            "steps",
            f"{head.id}:{quarter}",
            person,
            subject,
            lead,
            items,
            "Open the roadmap",
            f"/assessments/{head.id}/roadmap",
        )
        for person in who
        if person.member_role in ("consultant", "member")
    ]


def _idle(ctx: Context, who: list[Recipient], draft: AssessmentHead, last: date, idle: int) -> list[Mail]:
    organisation = who[0].organisation
    lead = (
        f"The {draft.period} assessment of {organisation} is a draft last worked on {day_text(last)}, {idle} days ago."
    )
    return [
        _reminder(
            ctx,
            "idle",
            f"{draft.id}:{last.isoformat()}",
            person,
            f"{organisation}: the {draft.period} draft has waited {idle} days",
            lead,
            [],
            "Continue answering",
            f"/assessments/{draft.id}/answer",
        )
        for person in who
        if person.member_role in ("consultant", "member")
    ]


def _reminder(
    ctx: Context,
    kind: str,
    about: str,
    person: Recipient,
    subject: str,
    lead: str,
    items: list[str],
    action: str,
    path: str,
) -> Mail:
    base = ctx.mail.base_url if ctx.mail else ""
    return compose(
        f"reminder_{kind}",
        f"reminder:{kind}:{about}:{person.user_id}",
        person.email,
        subject,
        template="reminder",
        lead=lead,
        items=items,
        action=action,
        link=base + path,
        organisation=person.organisation,
        off_link=f"{base}/reminders/off/{sign(ctx.secret, OFF, person.user_id)}",
        base_url=base,
    )


def reminders_off(ctx: Context, token: str) -> str:
    """Turn reminders off for the user a reminder's link names; their address."""
    user_id = unsign(ctx.secret, OFF, token)
    with ctx.db.write() as session:
        return set_reminders(session, int(user_id), False)


def own_reminders(ctx: Context, user_id: int) -> bool:
    """Whether the user has reminders on."""
    with ctx.db.read() as session:
        return reminders_of(session, user_id)


def set_own_reminders(ctx: Context, user_id: int, on: bool) -> None:
    """Turn one's own reminders on or off."""
    with ctx.db.write() as session:
        set_reminders(session, user_id, on)
