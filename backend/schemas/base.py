"""The one base every input model derives from: API bodies, page forms and export files alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from copy import copy
from datetime import UTC, datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, ModelWrapValidatorHandler, model_validator
from pydantic_core import PydanticUndefined

from backend.schemas.limits import INT_MAX


def unstorable(value: Any, where: str = "") -> str | None:
    """What in a decoded JSON value no database column can hold (a NUL character in a string, a whole
    number beyond INTEGER), and where; None when all of it can be stored."""
    if isinstance(value, str) and "\x00" in value:
        return f"{where or 'the value'} contains a NUL character (\\u0000); remove it"
    if isinstance(value, int) and not isinstance(value, bool) and not -INT_MAX - 1 <= value <= INT_MAX:
        return f"{where or 'the value'} is {value}, beyond the largest whole number stored ({INT_MAX})"
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in children:
        problem = unstorable(item, f"{where}.{key}" if where else str(key))
        if problem:
            return problem
    return None


_WALKED: ContextVar[bool] = ContextVar("walked", default=False)


@contextmanager
def from_storage() -> Iterator[None]:
    """Inputs built inside come from stored rows: what a column already holds needs no storable check."""
    token = _WALKED.set(True)
    try:
        yield
    finally:
        _WALKED.reset(token)


class ClosedInput(BaseModel):
    """Input refused whole when it names a field the model does not have (a mistyped "passwrd" must not
    quietly create an invited user) or holds a value no column can store (a NUL character, which PostgreSQL
    refuses in text where SQLite keeps it, or too large a number) instead of failing in the database."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _storable(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        # The outermost input walks everything once; the inputs nested in it are parts of what it walked (walking
        # again at each level made an export's validation quadratic in its depth).
        if _WALKED.get():
            return handler(data)
        problem = unstorable(data)
        if problem:
            raise ValueError(problem)
        with from_storage():  # what it holds was walked just now
            return handler(data)


def utcnow() -> datetime:
    """Now, timezone-aware in UTC (SQLModel stores and returns UTC on every engine)."""
    return datetime.now(UTC)


def required(model: type[BaseModel], name: str) -> Any:
    """A family base's field with its constraints but no default: for a model that must be given it."""
    info = copy(model.model_fields[name])
    info.default, info.default_factory = PydanticUndefined, None
    return info
