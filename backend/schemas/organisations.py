"""The organisation family: the fields its table, its input and its export share, with their limits once."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class OrganisationBase(SQLModel):
    # Documented: a character Python's strip() keeps (\s, and the separators \x1c-\x1f it also strips).
    name: str = Field(min_length=1, max_length=200, schema_extra={"json_schema_extra": {"pattern": r"[^\s\x1c-\x1f]"}})
    sector: str = Field(default="", max_length=200)
    size: str = Field(default="", max_length=50)
    # How often it is assessed, in quarters (1 quarterly, 2 half-yearly, 4 yearly): when its next period is due.
    cadence_quarters: int = Field(default=1, ge=1, le=4)
