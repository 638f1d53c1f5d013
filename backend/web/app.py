"""The Litestar application factory."""

from __future__ import annotations

import asyncio
import gc
import logging
from concurrent.futures import ThreadPoolExecutor

from litestar import Litestar, MediaType, Request, Response, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.static_files import create_static_files_router
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from backend.content.bundle import ContentBundle
from backend.content.loader import load_content
from backend.services.assessments import roadmaps
from backend.services.assessments.worksheets import worksheet_moments
from backend.services.kernel.context import Context
from backend.services.kernel.errors import ServiceError, Unavailable
from backend.settings import Settings, get_settings
from backend.storage.db import Database
from backend.web.api.accounts import AuthController, UserController
from backend.web.api.assessments import AssessmentController
from backend.web.api.content import ContentController
from backend.web.api.members import MemberController, ShareLinkController, open_share_link
from backend.web.api.organisations import OrganisationController
from backend.web.api.workshops import ParticipantController, WorkshopController
from backend.web.assets import asset_caching
from backend.web.auth import authorise_request, provide_context, security_headers, store_session
from backend.web.gate import before_handler, refuse_nul_path
from backend.web.openapi import ClosedModels, ErrorResponses, VariadicTuples
from backend.web.pages import PAGES, STATIC, VENDOR, error_page, page_message, template_config
from backend.web.wire import compression

log = logging.getLogger("tribewise")


def wants_json(request: Request) -> bool:
    """API paths (and the schema) answer errors in JSON; pages answer with a page."""
    return request.url.path.startswith(("/api/", "/schema", "/healthz"))


def service_error(request: Request, exc: ServiceError) -> Response:
    """A service's refusal: what was wrong and how to fix it, as JSON or as a page."""
    headers = exc.headers()
    if not wants_json(request):
        return error_page(request, exc.status_code, page_message(exc), headers)
    return Response(exc.body(), status_code=exc.status_code, media_type=MediaType.JSON, headers=headers)


def http_error(request: Request, exc: HTTPException) -> Response:
    """Litestar's own refusals (unknown route, invalid body): JSON for the API, a page otherwise."""
    if not wants_json(request):
        return error_page(request, exc.status_code, str(exc.detail), exc.headers)
    body = {"status_code": exc.status_code, "detail": exc.detail, "extra": exc.extra or {}}
    return Response(body, status_code=exc.status_code, media_type=MediaType.JSON, headers=exc.headers)


def internal_error(request: Request, exc: Exception) -> Response:
    """Anything unforeseen: logged with its traceback; the user gets a calm page or JSON, no internals."""
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    message = "Something went wrong on our side and nothing was changed by it. Try again; if it keeps happening, tell your administrator."
    if not wants_json(request):
        return error_page(request, 500, message)
    return Response({"status_code": 500, "detail": message, "extra": {}}, status_code=500, media_type=MediaType.JSON)


@get("/healthz", sync_to_thread=False, include_in_schema=False, access="public")
def healthz(state: State) -> dict[str, str]:
    """Ready once content is loaded and the database is migrated; 503 with the reason while this process's last write failed for lack of space."""
    if state.ctx.db.problem:
        raise Unavailable(state.ctx.db.problem)
    return {"status": "ok", "content_hash": state.ctx.content.content_hash}


def thread_pool(size: int):
    """Run sync handlers on a small pool: the work is short and holds the GIL, and fewer
    threads contend less for it (measured in bench/answers.py)."""

    def start() -> None:
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(max_workers=size, thread_name_prefix="tribewise")
        )

    return start


def forwarded_client(trusted_proxies: tuple[str, ...]) -> list[DefineMiddleware]:
    """When a trusted proxy connects, the client is the right-most X-Forwarded-For address that is
    not itself a trusted proxy (uvicorn's middleware does exactly that); nobody else is believed."""
    return [DefineMiddleware(ProxyHeadersMiddleware, trusted_hosts=list(trusted_proxies))] if trusted_proxies else []


def settle_heap() -> None:
    """Once start-up is over: collect, then keep everything it made (content, templates, routes, libraries) out of
    every later collection, so a full collection walks only what requests made (it walked it all, pausing a request)."""
    gc.collect()
    gc.freeze()


def served_app(settings: Settings | None = None, content: ContentBundle | None = None) -> Litestar:
    """The app as `tribewise serve` runs it in each worker: its heap settled after start-up (TRIBEWISE_GC_FREEZE=0: not)."""
    settings = settings or get_settings()
    app = create_app(settings, content)
    if settings.gc_freeze:
        app.on_startup.append(settle_heap)
    return app


def context_for(settings: Settings, content: ContentBundle | None = None) -> Context:
    """What every request works with: the database of the settings, the content (loaded unless given), the secret."""
    return Context(
        Database(settings.database_url, background_checkpoints=True),
        content or load_content(settings.content_dir),
        secret=settings.secret,
        min_group_size=settings.min_group_size,
        mail=settings.mailer,
    )


def create_app(settings: Settings | None = None, content: ContentBundle | None = None) -> Litestar:
    """Build the app: content validated (or the bundle the caller already loaded), database migrated, routes mounted.
    Requests and the lifespan reach the context through `app.state.ctx` only."""
    settings = settings or get_settings()
    ctx = context_for(settings, content)
    if settings.migrate_on_start:
        ctx.db.upgrade()
        roadmaps.ensure_drafts(ctx)
    handlers = [
        healthz,
        ContentController,
        OrganisationController,
        AssessmentController,
        AuthController,
        UserController,
        MemberController,
        ShareLinkController,
        open_share_link,
        WorkshopController,
        ParticipantController,
        *PAGES,
        create_static_files_router(
            path="/static", directories=[STATIC], opt={"access": "public"}, include_in_schema=False
        ),
        create_static_files_router(
            path="/vendor", directories=VENDOR, opt={"access": "public"}, include_in_schema=False, name="vendor"
        ),
    ]
    return Litestar(
        route_handlers=handlers,
        guards=[refuse_nul_path, authorise_request],
        before_request=before_handler,
        dependencies={"ctx": Provide(provide_context, sync_to_thread=False)},
        exception_handlers={ServiceError: service_error, HTTPException: http_error, Exception: internal_error},
        before_send=[security_headers, asset_caching, store_session(settings.secret, settings.cookie_secure)],
        compression_config=compression(),
        middleware=forwarded_client(settings.trusted_proxies),
        template_config=template_config(),
        state=State({"ctx": ctx, "cookie_secure": settings.cookie_secure, "content_dir": settings.content_dir}),
        on_startup=[thread_pool(settings.threads), lambda app: app.state.ctx.db.checkpoints()],
        on_shutdown=[lambda app: app.state.ctx.db.dispose()],
        # Only the JSON document: Litestar's interactive pages load scripts from CDNs, and no page may.
        plugins=[
            ErrorResponses(),
            ClosedModels(sorted(ctx.content.questionnaires), worksheet_moments(ctx.content)),
            VariadicTuples(),
        ],
        openapi_config=OpenAPIConfig(
            title="Tribewise", version="1.0.0", path="/schema", render_plugins=[JsonRenderPlugin()]
        ),
    )
