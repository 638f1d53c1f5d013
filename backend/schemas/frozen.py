"""The strict schema of a frozen snapshot (result and roadmap) as an export file carries it.

The models are derived from the views the pages read (ResultView, RoadmapItemPublic), so a snapshot
that fits here is one every page can show: the same fields, nothing more, no type coercion.
"""

from __future__ import annotations

import types
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, create_model

from backend.schemas.views import ResultView, RoadmapItemPublic

STRICT = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)
# What a stored roadmap row adds to a frozen step when the roadmap is shown: not part of the snapshot.
ROW_FIELDS = frozenset(
    {"id", "triggered", "status", "owner", "due_period", "done_since", "carried_from_period", "version"}
)


def _strict_type(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return strict_copy(annotation)
    origin = get_origin(annotation)
    if origin is list:
        return list[_strict_type(get_args(annotation)[0])]
    if origin in (Union, types.UnionType):
        return Union[tuple(_strict_type(a) for a in get_args(annotation))]  # noqa: UP007 (built at run time from a tuple)
    return annotation


@cache
def strict_copy(model: type[BaseModel], exclude: frozenset[str] = frozenset()) -> type[BaseModel]:
    """The model's fields (nested models too) refusing unknown keys, coercion and non-finite numbers."""
    fields = {name: (_strict_type(f.annotation), f) for name, f in model.model_fields.items() if name not in exclude}
    return create_model(f"Frozen{model.__name__}", __config__=STRICT, **fields)


FrozenResult = strict_copy(ResultView)
FrozenStep = strict_copy(RoadmapItemPublic, ROW_FIELDS)


class FrozenRoadmap(BaseModel):
    """The roadmap frozen at submission: the steps planned, and the ids deferred."""

    model_config = STRICT

    items: list[FrozenStep] = Field(max_length=1000)  # type: ignore[valid-type]
    deferred: list[str] = Field(max_length=1000)
