"""The portfolio of client organisations, one organisation's page, and the forms that start them."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery

from backend import labels
from backend.schemas.views import AssessmentCreate, OrganisationCreate
from backend.services.assessments import assessments, history
from backend.services.kernel.access import check_global
from backend.services.kernel.errors import ServiceError
from backend.services.organisations import branding, members, organisations, portfolio
from backend.web.pages.forms import Form, parse
from backend.web.pages.render import attempt, fragment, go, page, wants_fragment
from backend.web.pages.result_views import trend_markup
from backend.web.params import Ctx, PathInt

FORM = {"sync_to_thread": True, "form": True}
# A form with a file in it (the logo): its parts as they came, the file as an UploadFile.
FileForm = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]
# Caches must keep the table fragment (htmx) and the full page (a plain visit) apart.
VARY = {"Vary": "HX-Request, HX-Boosted"}
KINDS = list(labels.KINDS.items())
NOTICES = {
    "created": "Organisation created. Start its first assessment below.",
    "archived": "Organisation archived: it is hidden from the portfolio and everything is kept. Restore it here at any time.",
    "restored": "Organisation restored: it is back in the portfolio.",
    "draft-deleted": "Draft deleted with its answers.",
    "logo-saved": "Logo saved: the PDF report shows it on its cover.",
    "logo-removed": "Logo removed: the PDF report's cover shows the organisation's name alone.",
    "accent-saved": "Accent colour saved: the PDF report's title and headings use it.",
}
PORTFOLIO_NOTICES = {
    "left": "You left the organisation: it is no longer in your portfolio.",
    "deleted": "Organisation deleted with all its assessments, members and share links.",
}
SHOWN = ("1", "true", "on")


# What the form that adds an organisation sends.
NEW_FIELDS = ("name", "sector", "size", "cadence_quarters")


def _fields(data: dict[str, Any], *names: str) -> dict[str, str]:
    return {name: str(data.get(name, "")) for name in names}


def _can_create(ctx) -> bool:
    try:
        check_global(ctx.actor, "create_organisation")
    except ServiceError:
        return False
    return True


def _portfolio(ctx, request: Request, result: portfolio.Portfolio, status_code: int = 200, **extra) -> Response:
    return page(
        request,
        "portfolio",
        status_code,
        VARY,
        portfolio=result,
        sorts=portfolio.SORTS,
        can_create=_can_create(ctx),
        **extra,
    )


def _organisation(
    ctx, request: Request, organisation_id: int, status_code: int = 200, start: dict | None = None, **extra
) -> Response:
    seen = portfolio.overview(ctx, organisation_id)
    plans = portfolio.questionnaires_offered(ctx.content)
    choices = [(p.questionnaire, len(p.questions)) for p in plans]
    if start is None and seen.next_assessment is not None:
        start = {name: "" if value is None else str(value) for name, value in seen.next_assessment.model_dump().items()}
    start = start or {}
    name = seen.organisation.name
    actor = ctx.actor
    can_manage = actor.can(organisation_id, "manage")
    if can_manage:
        extra.setdefault("branding", branding.branding(ctx, organisation_id))
    return page(
        request,
        "organisation",
        status_code,
        overview=seen,
        organisation=seen.organisation,
        points={p.assessment_id: p for p in seen.periods},
        compare_pair=history.pair_offered(seen.periods, seen.assessments),
        chart=trend_markup(seen.periods, f"Socialfication level and Solis stage over the periods of {name}"),
        questionnaires=choices,
        kinds=KINDS,
        start=start,
        can_assess=actor.can(organisation_id, "assess"),
        can_answer=actor.can(organisation_id, "answer"),
        can_export=actor.can(organisation_id, "export"),
        can_audit=actor.can(organisation_id, "audit"),
        can_workshop=actor.can(organisation_id, "workshop"),
        can_manage=can_manage,
        is_member=organisation_id in actor.roles,
        **extra,
    )


def _change(
    ctx, request: Request, organisation_id: int, action, done: str, where: str = "manage_error", **kept: Any
) -> Response:
    """Run a change from the organisation page and go to `done`; on a refusal, the page again with the reason (and
    what the form sent, `kept`, to show again)."""

    def change():
        action()
        return go(done)

    return attempt(
        change,
        lambda err: _organisation(
            ctx, request, organisation_id, err.status_code, **{where: err.message, "invalid": err.field}, **kept
        ),
    )


class OrganisationPages(Controller):
    """The portfolio, organisation pages, and creating organisations and assessments."""

    include_in_schema = False

    @get("/", access="signed_in", sync_to_thread=True)
    def portfolio_page(
        self,
        ctx: Ctx,
        request: Request,
        q: FromQuery[str | None] = None,
        sort: FromQuery[str | None] = None,
        archived: FromQuery[str | None] = None,
        notice: FromQuery[str | None] = None,
        page: FromQuery[str | None] = None,
    ) -> Response:
        """Every organisation you can reach, a page at a time: level, stage, trend, last assessed, open steps; search
        and sort; archived ones on demand."""
        shown = (archived or "").lower() in SHOWN
        result = portfolio.portfolio(
            ctx, q or "", sort or "name", show_archived=shown, page=portfolio.page_number(page)
        )
        if wants_fragment(request):
            # The table alone, with the same context a full page gets (who is signed in, the token).
            return fragment(
                request,
                "_portfolio_table",
                200,
                VARY,
                portfolio=result,
                sorts=portfolio.SORTS,
                can_create=_can_create(ctx),
                fragment=True,
            )
        return _portfolio(ctx, request, result, notice=PORTFOLIO_NOTICES.get(notice or ""))

    @post("/organisations", access="create_organisation", **FORM)
    def create_organisation_form(self, ctx: Ctx, request: Request, data: Form) -> Response:
        """Add a client organisation; you become its consultant. The form keeps what you typed on an error."""

        def change():
            made = organisations.create_organisation(ctx, parse(OrganisationCreate, data, *NEW_FIELDS))
            return go(f"/organisations/{made.id}?notice=created")

        return attempt(
            change,
            lambda err: _portfolio(
                ctx,
                request,
                portfolio.portfolio(ctx),
                err.status_code,
                create_error=err.message,
                new=_fields(data, *NEW_FIELDS),
                invalid=err.field,
            ),
        )

    @get("/organisations/{organisation_id:int}", access="view", sync_to_thread=True)
    def organisation_page(
        self, ctx: Ctx, request: Request, organisation_id: PathInt, notice: FromQuery[str | None] = None
    ) -> Response:
        """The organisation's periods, trend, current roadmap, and a form to start the next assessment."""
        return _organisation(ctx, request, organisation_id, notice=NOTICES.get(notice or ""))

    @post("/organisations/{organisation_id:int}/assessments", access="assess", **FORM)
    def start_assessment_form(self, ctx: Ctx, request: Request, organisation_id: PathInt, data: Form) -> Response:
        """Start an assessment for a period, optionally from the previous period's answers; then answer it."""
        fields = ("questionnaire_id", "period", "kind", "baseline_assessment_id")

        def change():
            made = assessments.create_assessment(ctx, organisation_id, parse(AssessmentCreate, data, *fields))
            return go(f"/assessments/{made.id}/answer")

        return attempt(
            change,
            lambda err: _organisation(
                ctx,
                request,
                organisation_id,
                err.status_code,
                start=_fields(data, *fields),
                start_error=err.message,
                invalid=err.field,
            ),
        )

    @post("/organisations/{organisation_id:int}/archive", access="manage", **FORM)
    def archive_form(self, ctx: Ctx, request: Request, organisation_id: PathInt) -> Response:
        """Hide the organisation from the portfolio, keeping everything."""

        def action():
            organisations.archive_organisation(ctx, organisation_id)

        return _change(ctx, request, organisation_id, action, f"/organisations/{organisation_id}?notice=archived")

    @post("/organisations/{organisation_id:int}/restore", access="manage", **FORM)
    def restore_form(self, ctx: Ctx, request: Request, organisation_id: PathInt) -> Response:
        """Bring an archived organisation back into the portfolio."""

        def action():
            organisations.restore_organisation(ctx, organisation_id)

        return _change(ctx, request, organisation_id, action, f"/organisations/{organisation_id}?notice=restored")

    @post("/organisations/{organisation_id:int}/leave", access="view", **FORM)
    def leave_form(self, ctx: Ctx, request: Request, organisation_id: PathInt) -> Response:
        """Leave the organisation; its last consultant is told to hand over first."""

        def action():
            members.leave(ctx, organisation_id)

        return _change(ctx, request, organisation_id, action, "/?notice=left")

    @post("/organisations/{organisation_id:int}/delete", access="admin", **FORM)
    def delete_form(self, ctx: Ctx, request: Request, organisation_id: PathInt, data: Form) -> Response:
        """Delete the organisation and everything it holds, once its name is typed to confirm (admins)."""

        def action():
            organisations.delete_organisation(ctx, organisation_id, confirm_name=str(data.get("confirm_name", "")))

        return _change(ctx, request, organisation_id, action, "/?notice=deleted", where="delete_error")

    @post("/organisations/{organisation_id:int}/logo", access="manage", **FORM)
    def logo_form(self, ctx: Ctx, request: Request, organisation_id: PathInt, data: FileForm) -> Response:
        """Upload the logo the PDF report's cover shows (a PNG or SVG within the limits the form states)."""
        upload = data.get("logo")
        logo = upload.file.read() if isinstance(upload, UploadFile) else b""

        def action():
            branding.set_logo(ctx, organisation_id, logo)

        done = f"/organisations/{organisation_id}?notice=logo-saved#branding"
        return _change(ctx, request, organisation_id, action, done, where="branding_error")

    @post("/organisations/{organisation_id:int}/logo/remove", access="manage", **FORM)
    def remove_logo_form(self, ctx: Ctx, request: Request, organisation_id: PathInt) -> Response:
        """Remove the logo from the PDF report's cover."""

        def action():
            branding.clear_logo(ctx, organisation_id)

        done = f"/organisations/{organisation_id}?notice=logo-removed#branding"
        return _change(ctx, request, organisation_id, action, done, where="branding_error")

    @post("/organisations/{organisation_id:int}/accent", access="manage", **FORM)
    def accent_form(self, ctx: Ctx, request: Request, organisation_id: PathInt, data: Form) -> Response:
        """Set the PDF report's accent colour: the typed one when there is one, else the picked one; the
        report's own with the 'use the report's own blue' button."""
        typed = str(data.get("accent_text", "")).strip()
        accent = "" if data.get("default") else typed or str(data.get("accent", ""))

        def action():
            branding.set_accent(ctx, organisation_id, accent)

        done = f"/organisations/{organisation_id}?notice=accent-saved#branding"
        return _change(ctx, request, organisation_id, action, done, where="branding_error", accent_typed=accent)

    @post("/assessments/{assessment_id:int}/delete", access="manage", **FORM)
    def delete_draft_form(self, ctx: Ctx, request: Request, assessment_id: PathInt) -> Response:
        """Delete a draft from the organisation's timeline; a submitted assessment stays."""
        organisation_id = assessments.read_assessment(ctx, assessment_id).organisation_id

        def action():
            assessments.delete_assessment(ctx, assessment_id)

        return _change(
            ctx,
            request,
            organisation_id,
            action,
            f"/organisations/{organisation_id}?notice=draft-deleted",
            where="timeline_error",
        )


from backend.web.pages.content import ContentPages  # noqa: E402  registered with these pages

PORTFOLIO_PAGES = [OrganisationPages, ContentPages]
