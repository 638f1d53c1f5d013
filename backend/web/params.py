"""Explicit handler parameter kinds (Litestar 3 drops the inferred ones)."""

from typing import Annotated

from litestar.di import NamedDependency
from litestar.params import FromPath, PathParameter, QueryParameter

from backend.schemas.limits import INT_MAX
from backend.services.kernel.context import Context

Ctx = NamedDependency[Context]
# Ids are positive and fit the INTEGER column they are looked up in; a larger one would fail the query.
PathInt = Annotated[int, PathParameter(ge=1, le=INT_MAX)]
QueryId = Annotated[int | None, QueryParameter(ge=1, le=INT_MAX)]
PathStr = FromPath[str]
