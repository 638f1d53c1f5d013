"""Organisations, their assessments, progress and exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from backend.schemas.views import (
    AccentUpdate,
    AssessmentCreate,
    AssessmentPublic,
    BrandingPublic,
    OrganisationCreate,
    OrganisationPublic,
    ProgressPublic,
)
from backend.services.assessments import assessments, history
from backend.services.exports import exports
from backend.services.organisations import branding, members, organisations
from backend.web.openapi import error_responses
from backend.web.params import Ctx, PathInt
from backend.web.wire import conditional

SYNC = {"sync_to_thread": True}
# Archiving twice, restoring what is not archived, a period already assessed, or the last consultant leaving.
CONFLICT = error_responses(409)
PNG = "image/png"


@dataclass
class LogoUpload:
    """The logo as a PNG or SVG file in the form field `logo`: at most 512 KB and 2000 × 2000 pixels (an SVG is
    redrawn: scripts, links and external references are dropped)."""

    logo: UploadFile


LogoForm = Annotated[LogoUpload, Body(media_type=RequestEncodingType.MULTI_PART)]


def csv_response(text: str, name: str) -> Response[str]:
    """A CSV download with a file name (Litestar adds the charset to a text/ type itself)."""
    return Response(text, media_type="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})


class OrganisationController(Controller):
    path = "/api/v1/organisations"
    tags = ["organisations"]

    @post("/", status_code=HTTP_201_CREATED, access="create_organisation", **SYNC)
    def create(self, ctx: Ctx, data: JSONBody[OrganisationCreate]) -> OrganisationPublic:
        """Add an organisation (name, sector, size)."""
        return organisations.create_organisation(ctx, data)

    @get("/", access="signed_in", **SYNC)
    def list(self, ctx: Ctx, archived: FromQuery[bool] = False) -> list[OrganisationPublic]:
        """Every organisation you can reach; archived ones (with their archived_at) too with archived=true."""
        return organisations.list_organisations(ctx, include_archived=archived)

    @get("/{organisation_id:int}", access="view", **SYNC)
    def read(self, ctx: Ctx, organisation_id: PathInt) -> OrganisationPublic:
        """One organisation."""
        return organisations.read_organisation(ctx, organisation_id)

    @delete("/{organisation_id:int}", status_code=HTTP_204_NO_CONTENT, access="admin", **SYNC)
    def delete_organisation(self, ctx: Ctx, organisation_id: PathInt) -> None:
        """Delete the organisation with all its assessments, members, share links and audit log (admins only)."""
        organisations.delete_organisation(ctx, organisation_id)

    @post("/{organisation_id:int}/archive", status_code=HTTP_200_OK, access="manage", responses=CONFLICT, **SYNC)
    def archive(self, ctx: Ctx, organisation_id: PathInt) -> OrganisationPublic:
        """Hide the organisation from the portfolio, keeping everything; its members still open it by its URL."""
        return organisations.archive_organisation(ctx, organisation_id)

    @post("/{organisation_id:int}/restore", status_code=HTTP_200_OK, access="manage", responses=CONFLICT, **SYNC)
    def restore(self, ctx: Ctx, organisation_id: PathInt) -> OrganisationPublic:
        """Bring an archived organisation back into the portfolio."""
        return organisations.restore_organisation(ctx, organisation_id)

    @delete(
        "/{organisation_id:int}/members/me", status_code=HTTP_204_NO_CONTENT, access="view", responses=CONFLICT, **SYNC
    )
    def leave(self, ctx: Ctx, organisation_id: PathInt) -> None:
        """Leave the organisation: your access to it ends. Its last consultant cannot leave."""
        members.leave(ctx, organisation_id)

    @get("/{organisation_id:int}/assessments", access="view", **SYNC)
    def list_assessments(self, ctx: Ctx, organisation_id: PathInt) -> list[AssessmentPublic]:
        """The organisation's assessments, oldest period first."""
        return assessments.list_assessments(ctx, organisation_id)

    @post(
        "/{organisation_id:int}/assessments", status_code=HTTP_201_CREATED, access="assess", responses=CONFLICT, **SYNC
    )
    def create_assessment(
        self, ctx: Ctx, organisation_id: PathInt, data: JSONBody[AssessmentCreate]
    ) -> AssessmentPublic:
        """Start an assessment for a period; with baseline_assessment_id its answers are copied as a draft."""
        return assessments.create_assessment(ctx, organisation_id, data)

    @get("/{organisation_id:int}/progress", access="view", **SYNC)
    def progress(self, ctx: Ctx, organisation_id: PathInt) -> ProgressPublic:
        """Every period in order: level, progress, stage and criterion scores."""
        return history.progress(ctx, organisation_id)

    @get("/{organisation_id:int}/export.json", access="export", **SYNC)
    def export_json(self, ctx: Ctx, organisation_id: PathInt) -> dict[str, Any]:
        """Everything about the organisation, importable with POST /api/v1/organisations/import."""
        return exports.export_organisation(ctx, organisation_id)

    @post("/import", status_code=HTTP_201_CREATED, access="create_organisation", **SYNC)
    def import_json(self, ctx: Ctx, data: JSONBody[dict[str, Any]]) -> OrganisationPublic:
        """Create an organisation from an export, with all its history."""
        return exports.import_organisation(ctx, data)

    @get("/{organisation_id:int}/answers.csv", media_type="text/csv", access="export", **SYNC)
    def answers_csv(self, ctx: Ctx, organisation_id: PathInt) -> Response[str]:
        """Every answer of every period, as CSV."""
        return csv_response(exports.answers_csv(ctx, organisation_id), f"organisation-{organisation_id}-answers.csv")

    @get("/{organisation_id:int}/scores.csv", media_type="text/csv", access="export", **SYNC)
    def scores_csv(self, ctx: Ctx, organisation_id: PathInt) -> Response[str]:
        """Levels and criterion scores per period, as CSV."""
        return csv_response(exports.scores_csv(ctx, organisation_id), f"organisation-{organisation_id}-scores.csv")

    @get("/{organisation_id:int}/logo", media_type=PNG, access="view", **SYNC)
    def logo(self, ctx: Ctx, request: Request, organisation_id: PathInt) -> Response[bytes]:
        """The organisation's logo as a PNG or SVG (404 when it has none), as the report's cover shows it."""
        logo = branding.read_logo(ctx, organisation_id)
        kind = branding.media_type(logo)
        # Only those who may see the organisation get it: a shared cache must not keep it for anyone else.
        headers = {
            "Cache-Control": "private, no-cache",
            "Content-Disposition": f'inline; filename="organisation-{organisation_id}-logo.{kind.split("/")[1][:3]}"',
            # An SVG opened on its own is a document: even redrawn, it may run nothing and load nothing.
            "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox",
        }
        return conditional(request, logo, kind, headers)

    @put("/{organisation_id:int}/logo", access="manage", **SYNC)
    def set_logo(self, ctx: Ctx, organisation_id: PathInt, data: LogoForm) -> BrandingPublic:
        """Set the logo the report's cover shows: a PNG or SVG file sent as multipart/form-data in the field `logo`."""
        return branding.set_logo(ctx, organisation_id, data.logo.file.read())

    @delete("/{organisation_id:int}/logo", status_code=HTTP_204_NO_CONTENT, access="manage", **SYNC)
    def clear_logo(self, ctx: Ctx, organisation_id: PathInt) -> None:
        """Remove the logo; the cover shows the organisation's name alone. Removing none changes nothing."""
        branding.clear_logo(ctx, organisation_id)

    @get("/{organisation_id:int}/branding", access="view", **SYNC)
    def read_branding(self, ctx: Ctx, organisation_id: PathInt) -> BrandingPublic:
        """The report's accent colour and whether a logo is set."""
        return branding.branding(ctx, organisation_id)

    @put("/{organisation_id:int}/accent", access="manage", **SYNC)
    def set_accent(self, ctx: Ctx, organisation_id: PathInt, data: JSONBody[AccentUpdate]) -> BrandingPublic:
        """Set the report's accent colour for its title and headings ('#rrggbb', at least 4.5:1 on white), or go
        back to the report's own with an empty one."""
        return branding.set_accent(ctx, organisation_id, data.accent)
