"""The organisation's access page (members, share links) and its audit log."""

from __future__ import annotations

import re

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery

from backend.services import sharing
from backend.services.assessments import assessments
from backend.services.kernel import audit
from backend.services.organisations import members, organisations
from backend.services.organisations.members import MemberCreate, MemberPatch
from backend.services.sharing import ShareLinkCreate
from backend.web.pages.audit_words import Where, sentence
from backend.web.pages.forms import Form, parse
from backend.web.pages.render import attempt, go, page
from backend.web.params import Ctx, PathInt, QueryId

FORM = {"sync_to_thread": True, "form": True}
NOTICES = {"role": "Role changed.", "removed": "Member removed.", "revoked": "Share link revoked."}


def _access(ctx, request: Request, organisation_id: int, status_code: int = 200, **extra) -> Response:
    organisation = organisations.read_organisation(ctx, organisation_id)
    periods = assessments.list_assessments(ctx, organisation_id)
    can_manage = ctx.actor.can(organisation_id, "manage")
    links = {a.id: sharing.list_links(ctx, a.id) for a in periods} if can_manage else {}
    return page(
        request,
        "access",
        status_code,
        organisation=organisation,
        members=members.list_members(ctx, organisation_id),
        assessments=periods,
        links=links,
        can_manage=can_manage,
        can_audit=ctx.actor.can(organisation_id, "audit"),
        **extra,
    )


def _refused(ctx, request: Request, organisation_id: int):
    """On a refusal, the access page again with the reason."""
    return lambda err: _access(ctx, request, organisation_id, err.status_code, error=err.message)


class AccessPages(Controller):
    """Organisation list, members and sharing, audit log pages."""

    include_in_schema = False

    @get("/organisations/{organisation_id:int}/access", access="view", sync_to_thread=True)
    def access_page(
        self, ctx: Ctx, request: Request, organisation_id: PathInt, notice: FromQuery[str | None] = None
    ) -> Response:
        """Members with their roles, and the share links of each period's report."""
        return _access(ctx, request, organisation_id, notice=NOTICES.get(notice or ""))

    @post("/organisations/{organisation_id:int}/members", access="manage", **FORM)
    def add_member_form(self, ctx: Ctx, request: Request, organisation_id: PathInt, data: Form) -> Response:
        """Add a member; a new user's invitation link is shown once."""

        def action():
            added = members.add_member(ctx, organisation_id, parse(MemberCreate, data, "email", "role"))
            return _access(ctx, request, organisation_id, 201, added=added)

        return attempt(action, _refused(ctx, request, organisation_id))

    @post("/organisations/{organisation_id:int}/members/{user_id:int}", access="manage", **FORM)
    def change_member_form(
        self, ctx: Ctx, request: Request, organisation_id: PathInt, user_id: PathInt, data: Form
    ) -> Response:
        """Change a member's role, or remove them (the button named remove)."""

        def action():
            if data.get("remove"):
                members.remove_member(ctx, organisation_id, user_id)
                return go(f"/organisations/{organisation_id}/access?notice=removed")
            members.change_member(ctx, organisation_id, user_id, parse(MemberPatch, data, "role"))
            return go(f"/organisations/{organisation_id}/access?notice=role")

        return attempt(action, _refused(ctx, request, organisation_id))

    @post("/assessments/{assessment_id:int}/share-links", access="manage", **FORM)
    def share_form(self, ctx: Ctx, request: Request, assessment_id: PathInt, data: Form) -> Response:
        """Make a share link and show it, once."""
        organisation_id = assessments.read_assessment(ctx, assessment_id).organisation_id

        def action():
            fields = {**data, "send_to": [a for a in re.split(r"[\s,;]+", str(data.get("send_to", ""))) if a]}
            made = sharing.create_link(
                ctx, assessment_id, parse(ShareLinkCreate, fields, "variant", "days", "draft", "send_to")
            )
            return _access(ctx, request, organisation_id, 201, shared=made)

        return attempt(action, _refused(ctx, request, organisation_id))

    @post("/share-links/{link_id:int}/revoke", access="manage", **FORM)
    def revoke_share_form(self, ctx: Ctx, link_id: PathInt) -> Response:
        """Revoke a share link."""
        link = sharing.revoke_link(ctx, link_id)
        organisation_id = assessments.read_assessment(ctx, link.assessment_id).organisation_id
        return go(f"/organisations/{organisation_id}/access?notice=revoked")

    @get("/organisations/{organisation_id:int}/audit", access="audit", sync_to_thread=True)
    def audit_page(self, ctx: Ctx, request: Request, organisation_id: PathInt, before_id: QueryId = None) -> Response:
        """Who changed what, newest first."""
        events = audit.audit_log(ctx, organisation_id, before_id=before_id)
        periods = {a.id: a for a in assessments.list_assessments(ctx, organisation_id)}
        where = Where(organisation_id, periods, audit.step_periods(ctx, events), ctx.content)
        return page(
            request,
            "audit",
            organisation=organisations.read_organisation(ctx, organisation_id),
            entries=[(e.at, sentence(e, where)) for e in events],
            older=events[-1].id if len(events) == 200 else None,
        )
