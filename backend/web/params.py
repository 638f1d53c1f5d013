"""Explicit handler parameter kinds (Litestar 3 drops the inferred ones)."""

from typing import Annotated

from litestar.di import NamedDependency
from litestar.params import FromPath, PathParameter, QueryParameter

from backend.schemas.limits import ID_BOUNDS
from backend.services.kernel.context import Context

Ctx = NamedDependency[Context]
# Ids are positive and fit the INTEGER column they are looked up in; a larger one would fail the query.
PathInt = Annotated[int, PathParameter(**ID_BOUNDS)]
QueryId = Annotated[int | None, QueryParameter(**ID_BOUNDS)]
PathStr = FromPath[str]
