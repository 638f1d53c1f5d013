"""Read-only share links for a report: signed, expiring and revocable."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from backend.labels import SHARE_VARIANTS, day_text
from backend.schemas.base import ClosedInput
from backend.schemas.report import ReportData
from backend.schemas.types import Email
from backend.services.accounts.tokens import token_hash
from backend.services.kernel.audit import record
from backend.services.kernel.context import Context, get_assessment
from backend.services.kernel.errors import Conflict, Gone, NotFound
from backend.services.kernel.signing import sign, unsign
from backend.services.mail.compose import compose
from backend.services.mail.outbox import Mail, deliver_due, queue
from backend.services.reporting import report_data
from backend.storage.queries.sharing import links_of
from backend.storage.tables import Organisation, ShareLink, utcnow

MAX_DAYS = 90
MAX_RECIPIENTS = 20


class ShareLinkCreate(ClosedInput):
    variant: Literal["full", "summary"] = "full"
    days: int = Field(default=14, ge=1, le=MAX_DAYS, description=f"How long the link works: 1 to {MAX_DAYS} days")
    draft: bool = Field(
        default=False,
        description="Confirm sharing a draft: its answers may still change, and the link shows them as they stand",
    )
    send_to: list[Email] = Field(
        default_factory=list,
        max_length=MAX_RECIPIENTS,
        description=f"Addresses to e-mail the link to (at most {MAX_RECIPIENTS}); it is shown to its maker either way",
    )


class ShareLinkPublic(BaseModel):
    id: int
    assessment_id: int
    variant: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    active: bool
    url: str = Field(default="", description="The link itself, shown once when it is made")
    draft: bool = Field(default=False, description="The report is of a draft: what it shows may still change")
    sent_to: list[str] = Field(default_factory=list, description="Who it was e-mailed to, when it is made")


def _public(row: ShareLink, draft: bool, url: str = "") -> ShareLinkPublic:
    active = row.revoked_at is None and row.expires_at > utcnow()
    return ShareLinkPublic(
        **{k: getattr(row, k) for k in ShareLinkPublic.model_fields if k not in ("active", "url", "draft", "sent_to")},
        active=active,
        url=url,
        draft=draft,
    )


def create_link(ctx: Context, assessment_id: int, data: ShareLinkCreate) -> ShareLinkPublic:
    """A link anyone holding it can open to read the report until it expires or is revoked."""
    with ctx.db.write() as session:
        assessment = get_assessment(session, assessment_id)
        draft = assessment.status != "submitted"
        if draft and not data.draft:
            raise Conflict(
                f"the {assessment.period} assessment is a draft: its answers may still change, and whoever opens the "
                "link reads them as they stand that day, marked draft; confirm by ticking 'Share the draft anyway' "
                "(draft: true in the API), or submit the assessment first",
                field="draft",
            )
        row = ShareLink(
            assessment_id=assessment_id,
            variant=data.variant,
            created_by=ctx.who,
            token_hash="pending",
            expires_at=utcnow() + timedelta(days=data.days),
        )
        session.add(row)
        session.flush()
        token = sign(ctx.secret, "share_link", row.id)
        row.token_hash = token_hash(token)
        session.add(row)
        after = {"assessment": assessment.period, "variant": data.variant, "expires_at": row.expires_at.isoformat()}
        recipients = sorted(set(data.send_to))
        if recipients:
            after["sent_to"] = recipients
        record(session, assessment.organisation_id, ctx.who, "share_link.create", "share_link", row.id, None, after)
        made = _public(row, draft, "/share/" + token)
        made.sent_to = recipients
        if ctx.mail is not None:
            organisation = session.get(Organisation, assessment.organisation_id).name
            for address in recipients:
                queue(session, _share_mail(ctx, made, organisation, assessment.period, address))
    deliver_due(ctx)
    return made


def _share_mail(ctx: Context, link: ShareLinkPublic, organisation: str, period: str, address: str) -> Mail:
    return compose(
        "share_link",
        f"share_link:{link.id}:{address}",
        address,
        f"{organisation}: the {period} report",
        sender=ctx.who or "A consultant",
        report=SHARE_VARIANTS[link.variant].lower(),
        organisation=organisation,
        period=period,
        link=ctx.mail.base_url + link.url,
        until=day_text(link.expires_at),
        draft=link.draft,
        base_url=ctx.mail.base_url,
    )


def list_links(ctx: Context, assessment_id: int) -> list[ShareLinkPublic]:
    """Every link made for the assessment, newest first."""
    with ctx.db.read() as session:
        draft = get_assessment(session, assessment_id).status != "submitted"
        return [_public(r, draft) for r in links_of(session, assessment_id)]


def revoke_link(ctx: Context, link_id: int) -> ShareLinkPublic:
    """Stop a link working at once."""
    with ctx.db.write() as session:
        row = session.get(ShareLink, link_id)
        if row is None:
            raise NotFound(f"share link {link_id} not found", field="link_id")
        assessment = get_assessment(session, row.assessment_id)
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            session.add(row)
            record(
                session,
                assessment.organisation_id,
                ctx.who,
                "share_link.revoke",
                "share_link",
                row.id,
                {"active": True},
                {"active": False},
            )
        return _public(row, assessment.status != "submitted")


def open_link(ctx: Context, token: str, base_url: str = "") -> tuple[ReportData, ShareLinkPublic]:
    """What the report a share link points to shows (linking the methodology page on `base_url`), or a clear reason
    it no longer works."""
    link_id = unsign(ctx.secret, "share_link", token)
    with ctx.db.read() as session:
        row = session.get(ShareLink, link_id) if isinstance(link_id, int) else None
        if row is None or row.token_hash != token_hash(token):
            raise NotFound("this share link does not exist; ask whoever sent it for a new one", field="token")
        if row.revoked_at is not None:
            raise Gone(
                f"this share link was revoked on {row.revoked_at:%Y-%m-%d}; ask whoever sent it for a new one",
                field="token",
            )
        if row.expires_at <= utcnow():
            raise Gone(
                f"this share link expired on {row.expires_at:%Y-%m-%d}; ask whoever sent it for a new one",
                field="token",
            )
        public = _public(row, get_assessment(session, row.assessment_id).status != "submitted")
    return report_data(ctx, public.assessment_id, base_url), public
