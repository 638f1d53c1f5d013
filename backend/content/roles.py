"""Which model plays which part on the pages, in the PDF and in the portfolio, read from each rubric's kind.

The engine never names a model: the headline level is the first ladder model's, the stage the first stages
model's, the radar draws the first profile, the per-group table the first checklist (in content order).
Anything with a `kind` works here: rubrics, scored models and their views.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

HEADLINE = "ladder"
STAGE = "stages"
PROFILE = "profile"
CHECKLIST = "checklist"


class _HasKind(Protocol):
    kind: str


M = TypeVar("M", bound=_HasKind)


def first_of_kind(models: Iterable[M], kind: str) -> M | None:
    """The first model of this kind, or None when the content has none."""
    return next((m for m in models if m.kind == kind), None)


def model_id_of_kind(rubrics: Iterable, kind: str) -> str | None:
    """The id of the first rubric of this kind (to pick it out of stored results that carry ids only)."""
    rubric = first_of_kind(rubrics, kind)
    return rubric.model if rubric is not None else None
