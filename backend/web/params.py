"""Explicit handler parameter kinds (Litestar 3 drops the inferred ones)."""

from litestar.di import NamedDependency
from litestar.params import FromPath

from backend.services.context import Context

Ctx = NamedDependency[Context]
PathInt = FromPath[int]
PathStr = FromPath[str]
