"""Rendering pages: the template engine, the context every page gets, error pages."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from jinja2 import BytecodeCache, pass_context
from jinja2.bccache import Bucket
from litestar import Request, Response
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Template
from litestar.template.config import TemplateConfig
from litestar_htmx import HTMXDetails, HTMXTemplate
from markupsafe import Markup

from backend import labels
from backend.services.kernel.errors import ServiceError
from backend.web.assets import FRONTEND, STATIC, VENDOR, asset  # noqa: F401 (STATIC, VENDOR: re-exported)
from backend.web.auth import CSRF_FIELD, CSRF_HEADER, web_session
from backend.web.wire import conditional, unchanged

TITLES = {
    400: "That did not work",
    401: "Please sign in",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "Changed meanwhile",
    410: "No longer available",
    429: "Too many attempts",
    500: "Something went wrong",
}


@pass_context
def csrf_input(context) -> Markup:
    """The hidden CSRF field every form carries."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, context["csrf_token"])


class _CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory for the process: every app made in it (the tests make hundreds) reuses
    them instead of compiling all 34 again (~0.5 s of CPU each time). Jinja checks each entry against its source."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_compiled = _CompiledTemplates()


def _globals(engine: JinjaTemplateEngine) -> None:
    engine.engine.bytecode_cache = _compiled
    engine.engine.globals["csrf"] = csrf_input
    # Every asset URL a page prints carries its content hash, so browsers may cache it for a year.
    engine.engine.globals["asset"] = asset
    # Every word and number format the templates print comes from labels.py, as the PDF's and the CLI's do
    # (named `lexicon` there: the compare page already has a `labels` of its own).
    engine.engine.globals["lexicon"] = labels
    engine.engine.filters["progress"] = labels.progress_text
    engine.engine.filters["word"] = lambda key, words: labels.word(words, key)


def template_config() -> TemplateConfig:
    """Jinja2 templates from frontend/templates, autoescaped."""
    return TemplateConfig(directory=FRONTEND / "templates", engine=JinjaTemplateEngine, engine_callback=_globals)


def wants_fragment(request: Request) -> bool:
    """An htmx request for part of a page: not a boosted navigation, not a history restore (those want it whole)."""
    htmx = HTMXDetails(request)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def _common(request: Request) -> dict[str, Any]:
    """What every page and fragment's templates get: who is signed in, the CSRF token, the current path."""
    ctx = request.state.get("ctx")
    return {
        "actor": ctx.actor if ctx else None,
        "csrf_token": web_session(request).csrf,
        "csrf_field": CSRF_FIELD,
        "csrf_header": CSRF_HEADER,
        "path": request.url.path,
        "request_base": str(request.base_url).rstrip("/"),
        # A questionnaire reads by its title, never its id ('full-diagnostic').
        "questionnaire_titles": {q: p.questionnaire.title for q, p in ctx.content.plans.items()} if ctx else {},
    }


def validated(request: Request, template: str, headers: Mapping[str, str] | None = None, **context: Any) -> Response:
    """A template (`pages/x` or `partials/_x`) with an ETag of its bytes: 304 and no body when the browser holds it already."""
    body = request.app.template_engine.get_template(f"{template}.html.j2").render(**_common(request), **context)
    return conditional(request, body.encode(), "text/html; charset=utf-8", dict(headers or {}))


def stamped(
    request: Request, template: str, stamp: str, build: Callable[[], Mapping[str, Any]], headers: Mapping[str, str]
) -> Response:
    """A template whose ETag comes from `stamp` (a fingerprint of everything `build` gives it) and the template's
    source: a browser that holds it gets 304 before anything is gathered. The template sees only what `build`
    gives (no session, no CSRF token), so the stamp covers all it shows."""
    engine = request.app.template_engine.engine
    name = f"{template}.html.j2"
    source, *_ = engine.loader.get_source(engine, name)
    seen = f"{stamp}|{source}"
    etag = f'W/"{hashlib.blake2b(seen.encode(), digest_size=12).hexdigest()}"'
    if unchanged(request, etag):
        return Response(b"", status_code=304, headers={**headers, "ETag": etag})
    body = engine.get_template(name).render(**build())
    return Response(body.encode(), media_type="text/html; charset=utf-8", headers={**headers, "ETag": etag})


def page(
    request: Request, template: str, status_code: int = 200, headers: Mapping[str, str] | None = None, **context: Any
) -> Template:
    """A page with what every page needs: who is signed in, the CSRF token, the current path."""
    return Template(
        template_name=f"pages/{template}.html.j2",
        status_code=status_code,
        headers=dict(headers or {}),
        context={**_common(request), **context},
    )


def fragment(
    request: Request,
    partial: str,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    push_url: str | None = None,
    **context: Any,
) -> Template:
    """A piece of a page (partials/_x) for htmx to swap in, with what every page gets; `push_url` puts an address in the history."""
    return HTMXTemplate(
        template_name=f"partials/{partial}.html.j2",
        status_code=status_code,
        headers=dict(headers or {}),
        push_url=push_url,
        context={**_common(request), **context},
    )


def attempt(change: Callable[[], Response], refused: Callable[[ServiceError], Response]) -> Response:
    """Run a change and return its response; when a service refuses it, `refused(err)` shows the form again with the reason."""
    try:
        return change()
    except ServiceError as err:
        err.message = page_message(err)
        return refused(err)


def page_message(err: ServiceError) -> str:
    """A refusal as a page says it: a sentence, and for something not found, what is missing in words rather than
    the database number the API's message names."""
    if err.status_code == 404 and err.field in labels.NOT_FOUND_WORDS:
        return labels.NOT_FOUND_WORDS[err.field]
    return labels.sentence(err.message)


def error_page(request: Request, status_code: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """A friendly page saying what went wrong and what to do; signing in is a redirect."""
    if status_code == 401 and request.method == "GET":
        return go(f"/sign-in?{urlencode({'next': request.url.path})}")
    title = TITLES.get(status_code, "That did not work")
    return page(
        request, "error", status_code, headers, title=title, message=labels.sentence(message), status=status_code
    )


def local_path(target: str | None, default: str = "/") -> str:
    """A redirect target only within this site: '/x', never '//elsewhere' or 'https://...'."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return default


def go(url: str) -> Redirect:
    """After a successful form post: see the result at its own URL (post, redirect, get)."""
    return Redirect(url, status_code=303)
