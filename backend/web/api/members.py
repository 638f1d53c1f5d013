"""Members, share links and the audit log of an organisation, in the JSON API."""

from __future__ import annotations

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from backend.labels import report_file_name
from backend.reports.render import render_report
from backend.services import sharing
from backend.services.kernel import audit
from backend.services.kernel.audit import AuditEventPublic
from backend.services.organisations import members
from backend.services.organisations.members import MemberCreate, MemberPatch, MemberPublic
from backend.services.sharing import ShareLinkCreate, ShareLinkPublic
from backend.web.openapi import error_responses
from backend.web.params import Ctx, PathInt, PathStr, QueryId

SYNC = {"sync_to_thread": True}
# Adding someone twice, or leaving the organisation without a consultant.
MEMBERSHIP = error_responses(409)


class MemberController(Controller):
    path = "/api/v1/organisations/{organisation_id:int}"
    tags = ["access"]

    @get("/members", access="view", **SYNC)
    def list(self, ctx: Ctx, organisation_id: PathInt) -> list[MemberPublic]:
        """Who belongs to the organisation, with which role."""
        return members.list_members(ctx, organisation_id)

    @post("/members", status_code=HTTP_201_CREATED, access="manage", responses=MEMBERSHIP, **SYNC)
    def add(self, ctx: Ctx, organisation_id: PathInt, data: JSONBody[MemberCreate]) -> MemberPublic:
        """Give someone a role here by email; only a new user gets an invitation link, in this answer alone."""
        return members.add_member(ctx, organisation_id, data)

    @patch("/members/{user_id:int}", access="manage", responses=MEMBERSHIP, **SYNC)
    def change(self, ctx: Ctx, organisation_id: PathInt, user_id: PathInt, data: JSONBody[MemberPatch]) -> MemberPublic:
        """Change a member's role."""
        return members.change_member(ctx, organisation_id, user_id, data)

    @delete("/members/{user_id:int}", status_code=HTTP_204_NO_CONTENT, access="manage", responses=MEMBERSHIP, **SYNC)
    def remove(self, ctx: Ctx, organisation_id: PathInt, user_id: PathInt) -> None:
        """Take a member's access away."""
        members.remove_member(ctx, organisation_id, user_id)

    @get("/audit", access="audit", **SYNC)
    def audit(self, ctx: Ctx, organisation_id: PathInt, before_id: QueryId = None) -> list[AuditEventPublic]:
        """Changes to answers, roadmap steps, members and share links, newest first (200 a page; page with before_id)."""
        return audit.audit_log(ctx, organisation_id, before_id=before_id)


class ShareLinkController(Controller):
    path = "/api/v1"
    tags = ["access"]

    @get("/assessments/{assessment_id:int}/share-links", access="manage", **SYNC)
    def list(self, ctx: Ctx, assessment_id: PathInt) -> list[ShareLinkPublic]:
        """Every share link made for the assessment's report."""
        return sharing.list_links(ctx, assessment_id)

    @post("/assessments/{assessment_id:int}/share-links", status_code=HTTP_201_CREATED, access="manage", **SYNC)
    def create(self, ctx: Ctx, assessment_id: PathInt, data: JSONBody[ShareLinkCreate]) -> ShareLinkPublic:
        """A read-only link to the report that works without signing in, until it expires or is revoked."""
        return sharing.create_link(ctx, assessment_id, data)

    @delete("/share-links/{link_id:int}", status_code=HTTP_200_OK, access="manage", **SYNC)
    def revoke(self, ctx: Ctx, link_id: PathInt) -> ShareLinkPublic:
        """Revoke a share link: it stops working at once."""
        return sharing.revoke_link(ctx, link_id)


@get("/share/{token:str}", media_type="application/pdf", access="public", include_in_schema=False, sync_to_thread=True)
def open_share_link(ctx: Ctx, request: Request, token: PathStr) -> Response[bytes]:
    """The report behind a share link, for anyone holding it."""
    data, link = sharing.open_link(ctx, token, str(request.base_url))
    pdf = render_report(data, link.variant)
    name = report_file_name(data.organisation.name, data.assessment.period, link.variant)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"},
    )
