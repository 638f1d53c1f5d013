"""Plain JSON-ready data from results and roadmaps (dataclasses and content models)."""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel


def jsonable(value: Any) -> Any:
    """Turn results, roadmaps and content models into dicts, lists and scalars."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (frozenset, set)):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value
