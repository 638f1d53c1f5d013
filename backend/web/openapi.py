"""What the OpenAPI document says beyond what Litestar infers: the errors each operation can answer
with, bodies that refuse unknown fields, and variadic tuples documented as the arrays they are."""

from __future__ import annotations

from typing import Any

from annotated_types import Ge, Gt, Le, Lt
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.plugins import OpenAPISchemaPlugin
from litestar.plugins.base import ReceiveRoutePlugin
from litestar.plugins.pydantic import PydanticSchemaPlugin
from litestar.routes import BaseRoute, HTTPRoute
from litestar.typing import FieldDefinition
from pydantic import BaseModel, Field

from backend.schemas.base import ClosedInput
from backend.services.kernel.access import ORG_ACTIONS

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# No 400: Litestar declares it on every operation that takes input, with a body whose `extra` may also
# be its list of validation errors.
WHY = {
    401: "Not signed in, or the bearer token is malformed, unknown or revoked",
    403: "Your role does not allow this, or a browser session sent no valid CSRF token",
    404: "Nothing with this id exists, or it belongs to an organisation you are not a member of",
    409: "The current state does not allow this: `detail` says why and what to do instead",
    429: "Too many failed sign-ins; the Retry-After header says how many seconds to wait",
}


class ErrorBody(BaseModel):
    """Every error the API answers with (backend/services/kernel/errors.py)."""

    status_code: int
    detail: str = Field(description="What was wrong and how to fix it")
    extra: dict[str, Any] = Field(description="The field, the allowed values, or for a 409 the current answer")


def error_responses(*status_codes: int) -> dict[int, ResponseSpec]:
    """The shared error answer under each status code, for a route handler's `responses`."""
    return {code: ResponseSpec(ErrorBody, description=WHY[code], generate_examples=False) for code in status_codes}


def guard_errors(rule: str, methods: set[str], has_path_parameters: bool) -> list[int]:
    """The errors the app's guard and router can answer a route with, from its access rule."""
    codes = [401]  # on any route, public ones too, when the Authorization header is sent but not valid
    if rule not in ("public", "signed_in") or methods & UNSAFE:
        codes.append(403)  # a role that may not, or a cookie-authorised change without its CSRF token
    if rule in ORG_ACTIONS or has_path_parameters:
        codes.append(404)  # an id that exists nowhere, or not for this user; or a path the router cannot match
    return codes


class ErrorResponses(ReceiveRoutePlugin):
    """Document on every operation the errors the guard gives, so each handler names only its own."""

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            rule = handler.opt.get("access")
            if rule is not None:
                derived = error_responses(*guard_errors(rule, set(handler.http_methods), bool(route.path_parameters)))
                handler.responses = {**derived, **(handler.responses or {})}


# ClosedInput refuses a NUL in any text (PostgreSQL cannot store one): every input string says so.
NO_NUL = r"^[^\x00]*$"
# Each numeric bound and the schema keyword that states it.
BOUNDS = {
    Ge: ("ge", "minimum"),
    Gt: ("gt", "exclusive_minimum"),
    Le: ("le", "maximum"),
    Lt: ("lt", "exclusive_maximum"),
}


class ClosedModels(PydanticSchemaPlugin):
    """A model that refuses unknown fields (`extra="forbid"`) says so with `additionalProperties: false`,
    which Litestar 2 leaves out: clients would read that any extra field is fine. A bound of zero
    (`ge=0`) is stated too: Litestar 2 drops it, zero being false. An input's strings say they hold
    no NUL character, which `ClosedInput` refuses, a questionnaire id names one of the site's, and the moments a
    worksheet channel captures are the worksheet's moments (a list no longer than the server takes)."""

    def __init__(self, questionnaire_ids: list[str], moment_ids: list[str] | None = None) -> None:
        super().__init__()
        self.questionnaire_ids = questionnaire_ids
        self.moment_ids = moment_ids or []

    def for_pydantic_model(self, field_definition: FieldDefinition, schema_creator) -> Schema:
        schema = super().for_pydantic_model(field_definition, schema_creator)
        model = field_definition.annotation
        if model.model_config.get("extra") == "forbid":
            schema.additional_properties = False
        for name, field in model.model_fields.items():
            prop = (schema.properties or {}).get(field.alias or name)
            if not isinstance(prop, Schema):
                continue
            for meta in field.metadata:
                attribute, keyword = BOUNDS.get(type(meta), (None, None))
                if keyword is not None and getattr(prop, keyword) is None:
                    setattr(prop, keyword, getattr(meta, attribute))
            if issubclass(model, ClosedInput) and name == "questionnaire_id":
                prop.enum = self.questionnaire_ids
            if issubclass(model, ClosedInput) and name == "moments" and self.moment_ids:
                _items_of(prop, self.moment_ids)
            if issubclass(model, ClosedInput) and _takes_text(prop) and not prop.enum:
                prop.all_of = [*(prop.all_of or []), Schema(pattern=NO_NUL)] if prop.pattern else prop.all_of
                prop.pattern = prop.pattern or NO_NUL
        return schema


def _items_of(prop: Schema, values: list[str]) -> None:
    """An optional list of names: each item one of `values`, and the length bound on the list (Litestar puts a
    list's max_length beside the union as maxLength, which says nothing of an array)."""
    for choice in prop.one_of or [prop]:
        if isinstance(choice, Schema) and choice.type == OpenAPIType.ARRAY and isinstance(choice.items, Schema):
            choice.items.enum = values
            choice.max_items = prop.max_length
    prop.max_length = None


def _takes_text(prop: Schema) -> bool:
    types = [prop.type, *(s.type for s in prop.one_of or () if isinstance(s, Schema))]
    return any(t == OpenAPIType.STRING or (isinstance(t, list) and OpenAPIType.STRING in t) for t in types)


class VariadicTuples(OpenAPISchemaPlugin):
    """`tuple[X, ...]` as an array of X. Litestar 2 documents a constrained one (`Field(min_length=1)`)
    as items `oneOf: [X, {}]`, which no value can match: it matches both."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        inner = field_definition.inner_types
        return field_definition.origin is tuple and len(inner) == 2 and inner[1].annotation is Ellipsis

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator) -> Schema:
        return Schema(
            type=OpenAPIType.ARRAY, items=schema_creator.for_field_definition(field_definition.inner_types[0])
        )
