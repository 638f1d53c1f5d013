"""The Litestar application factory."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from litestar import Litestar, MediaType, Request, Response, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin

from backend.content.loader import load_content
from backend.services.context import Context
from backend.services.errors import ServiceError
from backend.settings import Settings, get_settings
from backend.storage.db import Database
from backend.web.api.assessments import AssessmentController
from backend.web.api.content import ContentController
from backend.web.api.organisations import OrganisationController
from backend.web.bench import bench_floor


def service_error(_: Request, exc: ServiceError) -> Response:
    """A service's refusal as JSON: what was wrong and how to fix it."""
    return Response(exc.body(), status_code=exc.status_code, media_type=MediaType.JSON)


@get("/healthz", sync_to_thread=False, include_in_schema=False)
def healthz(state: State) -> dict[str, str]:
    """Ready once content is loaded and the database is migrated."""
    return {"status": "ok", "content_hash": state.ctx.content.content_hash}


def provide_context(state: State) -> Context:
    return state.ctx


def thread_pool(size: int):
    """Run sync handlers on a small pool: the work is short and holds the GIL, and fewer
    threads contend less for it (measured in bench/answers.py)."""

    def start() -> None:
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=size, thread_name_prefix="tribewise"))

    return start


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the app: content validated, database migrated, routes mounted."""
    settings = settings or get_settings()
    ctx = Context(Database(settings.database_url), load_content(settings.content_dir))
    if settings.migrate_on_start:
        ctx.db.upgrade()
    handlers = [healthz, ContentController, OrganisationController, AssessmentController]
    if settings.bench_floor:
        handlers.append(bench_floor)
    return Litestar(
        route_handlers=handlers,
        dependencies={"ctx": Provide(provide_context, sync_to_thread=False)},
        exception_handlers={ServiceError: service_error},
        state=State({"ctx": ctx}),
        on_startup=[thread_pool(settings.threads)],
        on_shutdown=[lambda: ctx.db.dispose()],
        # Only the JSON document: Litestar's interactive pages load scripts from CDNs, and no page may.
        openapi_config=OpenAPIConfig(title="Tribewise", version="1.0.0", path="/schema", render_plugins=[JsonRenderPlugin()]),
    )
