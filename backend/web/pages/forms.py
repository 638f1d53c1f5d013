"""Plain HTML forms: the body type, and validation errors as sentences."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from litestar.enums import RequestEncodingType
from litestar.params import Body
from pydantic import BaseModel, ValidationError

from backend.labels import field_word
from backend.services.kernel.errors import Invalid

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def parse(model: type[BaseModel], form: dict[str, Any], *fields: str) -> Any:
    """Validate the named form fields with a model; a 400 that reads as a sentence otherwise."""
    try:
        return model.model_validate({name: form[name] for name in fields if name in form})
    except ValidationError as err:
        raise Invalid(sentences(err), field=str(err.errors()[0]["loc"][0]) if err.errors() else None) from None


def sentences(err: ValidationError) -> str:
    """Each problem as 'Field: what is wrong', the field named as its form labels it ('Due quarter', not 'due_period')."""
    parts = []
    for problem in err.errors():
        where = field_word(str(problem["loc"][0])) if problem["loc"] else "Form"
        message = problem["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


def flag(form: Mapping[str, Any], name: str) -> bool | None:
    """A yes/no form field: '1'/'0' (or 'on'/'off'); None when it was not sent."""
    raw = str(form.get(name) or "").strip().lower()
    if not raw:
        return None
    if raw in ("1", "on", "true", "yes"):
        return True
    if raw in ("0", "off", "false", "no"):
        return False
    raise Invalid(f"{name.replace('_', ' ')}: send 1 (on) or 0 (off)", field=name)
