"""Explicit handler parameter kinds (Litestar 3 drops the inferred ones)."""

from typing import Annotated, Optional

from litestar.di import NamedDependency
from litestar.params import FromPath, PathParameter, QueryParameter

from backend.services.context import Context
from backend.schemas.limits import INT_MAX

Ctx = NamedDependency[Context]
# Ids are positive and fit the INTEGER column they are looked up in; a larger one would fail the query.
PathInt = Annotated[int, PathParameter(ge=1, le=INT_MAX)]
QueryId = Annotated[Optional[int], QueryParameter(ge=1, le=INT_MAX)]
PathStr = FromPath[str]
