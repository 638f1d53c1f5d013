"""Read a headcount band from an organisation's free-text size ("250-1000 employees", "1-10", "a single shop")."""

from __future__ import annotations

import re

from backend.storage.db import Session
from backend.storage.tables import Assessment, Organisation

# Under this many people a recommendation's small variant is used (the variants are written for ~50).
SMALL_BELOW = 50
# Words that name a business of a handful of people when no number is given.
HANDFUL = (
    "single shop",
    "one shop",
    "single store",
    "one store",
    "single site",
    "sole trader",
    "sole proprietor",
    "self-employed",
    "self employed",
    "freelance",
    "one-person",
    "one person",
    "solo",
    "family business",
    "family-run",
    "family run",
    "micro",
)
_NUMBER = r"(\d[\d,.\s]*\d|\d)\s*(k|thousand)?"


def _number(digits: str, thousands: str | None) -> int:
    value = float(re.sub(r"[,\s]", "", digits)) if digits.count(".") <= 1 else float(re.sub(r"[,.\s]", "", digits))
    return int(value * (1000 if thousands else 1))


def headcount(size: str) -> tuple[int, int | None] | None:
    """The band of people the text describes as (lowest, highest or None when open-ended); None when unknown."""
    text = (size or "").strip().lower()
    if not text:
        return None
    found = [_number(d, k) for d, k in re.findall(_NUMBER, text)]
    if len(found) >= 2:
        return (min(found[:2]), max(found[:2]))
    if len(found) == 1:
        n = found[0]
        if re.search(r"(under|below|less than|fewer than|up to|<)", text):
            return (1, n - 1 if re.search(r"(under|below|less than|fewer than|<)", text) else n)
        if re.search(r"(\+|over|more than|above|at least)", text):
            return (n, None)
        return (n, n)
    if any(word in text for word in HANDFUL):
        return (1, 9)
    return None


def is_small(size: str) -> bool:
    """Whether the organisation is small enough for small variants: its band lies under SMALL_BELOW people."""
    band = headcount(size)
    return band is not None and band[1] is not None and band[1] < SMALL_BELOW


def assessed_organisation_is_small(session: Session, assessment: Assessment) -> bool:
    """Whether the organisation an assessment belongs to is small (its stored size read as a headcount)."""
    organisation = session.get(Organisation, assessment.organisation_id)
    return organisation is not None and is_small(organisation.size)
