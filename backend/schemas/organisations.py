"""The organisation family: the fields its table and its export share, with their limits once."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from backend.schemas.base import utcnow


class OrganisationBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    sector: str = Field(default="", max_length=200)
    size: str = Field(default="", max_length=50)
    created_at: datetime = Field(default_factory=utcnow)
    # Archived organisations are hidden from the portfolio and kept whole; restoring clears this.
    archived_at: datetime | None = None
