"""What the app answers before a handler runs: OPTIONS, and requests no handler could use, refused with
a clear 4xx before anything reads them (a path or a form field holding a NUL character, JSON nested
deeper than any body of ours)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.enums import RequestEncodingType
from litestar.exceptions import SerializationException
from litestar.params import BodyKwarg
from litestar.routes import HTTPRoute
from litestar.status_codes import HTTP_204_NO_CONTENT

from backend.services.kernel.errors import Invalid, NotFound

# The deepest body we take (an organisation export) nests about a dozen levels.
MAX_DEPTH = 64
FORMS = (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART)
# Litestar answers OPTIONS on every path with a handler it makes for it.
_LITESTARS_OPTIONS = HTTPRoute.create_options_handler.__qualname__ + "."


def is_litestars_options(handler) -> bool:
    """Whether the handler is the OPTIONS one Litestar adds to each path, not one of ours missing its rule."""
    return getattr(handler.fn, "__qualname__", "").startswith(_LITESTARS_OPTIONS)


def refuse_nul_path(connection: ASGIConnection, _) -> None:
    """A guard run before the access guard: no route has a NUL (%00) in its path, and neither a file
    name nor a database text can hold one, so the answer is the router's own: nothing is there."""
    if "\x00" in connection.scope["path"]:
        raise NotFound("nothing is at a path with a NUL character (%00) in it; check the address", field="path")


async def before_handler(request: Request) -> Response | None:
    """The app's before-request hook: OPTIONS answered with the methods the path takes; a form field with
    a NUL (which no text column can hold, and PostgreSQL refuses) or JSON nested beyond MAX_DEPTH (which
    would exhaust the decoder's stack) refused with a 400."""
    if is_litestars_options(request.route_handler):
        return options_answer(request)
    await _refuse_unreadable_body(request)
    return None


def options_answer(request: Request) -> Response:
    """204 with every method of the path in Allow. Litestar's own answer lists only the methods of the
    first handlers registered on the path (its handler keeps the route it was made for, and a later
    controller's methods make a new route), so GET /sign-in was missing from OPTIONS /sign-in."""
    template = request.scope["path_template"]
    methods = {
        m
        for route in request.app.routes
        if isinstance(route, HTTPRoute) and route.path_format == template
        for m in route.methods
    }
    return Response(None, status_code=HTTP_204_NO_CONTENT, headers={"Allow": ", ".join(sorted(methods))})


async def _refuse_unreadable_body(request: Request) -> None:
    data = request.route_handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return
    kind = (
        data.kwarg_definition.media_type if isinstance(data.kwarg_definition, BodyKwarg) else RequestEncodingType.JSON
    )
    if kind in FORMS:
        await _refuse_nul(request)
    elif kind == RequestEncodingType.JSON:
        await _refuse_too_deep(request)


async def _refuse_nul(request: Request) -> None:
    if request.content_type[0] == RequestEncodingType.MULTI_PART:
        # Parsed once (the CSRF check may have done it: the stream is then spent, the form kept) and looked at
        # field by field: a file part (a PNG) holds NULs of its own, which are the handler's to judge.
        named = _nul_field(await request.form())
        if named is None:
            return
    else:
        body = await request.body()
        # Litestar reads a form handler's body as URL-encoded whatever its content type says, so a NUL
        # arrives raw or as %00.
        if b"\x00" not in body and b"%00" not in body:
            return
        named = _nul_field(await request.form())
    field = named.replace("\x00", "") if named is not None else "form"
    where = f"the form field '{field}'" if named is not None else "the form"
    raise Invalid(
        f"{where} contains a NUL character (%00), which no text can hold; remove it and send the form again",
        field=field,
    )


def _nul_field(form) -> str | None:
    """The first form field whose name or text holds a NUL (a file's bytes are not text)."""
    return next(
        (name for name, value in form.multi_items() if "\x00" in name + (value if isinstance(value, str) else "")),
        None,
    )


async def _refuse_too_deep(request: Request) -> None:
    too_deep = Invalid(
        f"the JSON body nests more than {MAX_DEPTH} levels of objects and arrays; send the fields this operation "
        "documents in /schema/openapi.json, none of which nests that deep",
        field="body",
    )
    try:
        value = await request.json()
    except RecursionError:  # the decoder's own stack ran out first
        raise too_deep from None
    except SerializationException:
        return  # not JSON at all: the handler's own parsing says so
    body = await request.body()
    # Fewer brackets than the limit cannot nest beyond it: most bodies are cleared without a walk.
    if body.count(b"[") + body.count(b"{") > MAX_DEPTH and nests_deeper(value, MAX_DEPTH):
        raise too_deep


def nests_deeper(value: Any, limit: int) -> bool:
    """Whether objects and arrays in a decoded JSON value nest beyond `limit` (walked without recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False
