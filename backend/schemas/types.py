"""Annotated field types every input model shares: one rule, one message and one OpenAPI pattern each."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from backend.schemas.limits import ID_BOUNDS

PERIOD = re.compile(r"^(\d{4})-Q([1-4])$")
PERIOD_HELP = "a year, '-Q' and a quarter from 1 to 4, such as 2026-Q4"
# For the OpenAPI document, at the top of an optional field too (where pydantic would tuck it into anyOf).
PERIOD_OR_EMPTY_SCHEMA = {"pattern": r"^(\d{4}-Q[1-4])?$"}
# What normalise_email takes, for the OpenAPI document: around optional blanks, a name without '@' or
# spaces, '@', and a domain with a dot and no spaces.
EMAIL_SCHEMA = {"pattern": r"^\s*[^@\s][^@ ]*@[^ ]*\.[^ ]*\s*$"}


def check_period(value: str) -> str:
    """Validate a period such as 2026-Q4; the error says the expected form (the error's place names the field, so
    a page can say it in words: 'Due quarter', not 'due_period')."""
    if not PERIOD.match(value or ""):
        raise ValueError(f"'{value}' is not a period: use {PERIOD_HELP}")
    return value


def _period_or_empty(value: str | None) -> str | None:
    return value if not value else check_period(value)


def normalise_email(value: str) -> str:
    """Trimmed, lower-case; an error that says what an email looks like otherwise."""
    email = value.strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        raise ValueError(f"'{value}' is not an email address: use the form name@example.com")
    return email


# The pattern is documentation only: check_period's message says more than pydantic's would.
Period = Annotated[
    str,
    Field(description=f"The period: {PERIOD_HELP}", json_schema_extra={"pattern": r"^\d{4}-Q[1-4]$"}),
    AfterValidator(check_period),
]
PeriodOrEmpty = Annotated[
    str,
    Field(description=f"Empty, or {PERIOD_HELP}", json_schema_extra=PERIOD_OR_EMPTY_SCHEMA),
    AfterValidator(_period_or_empty),
]
Email = Annotated[
    str, Field(min_length=3, max_length=254, json_schema_extra=EMAIL_SCHEMA), AfterValidator(normalise_email)
]
# Optional, the pattern kept as a whole: the OpenAPI document drops it from inside a union.
OptionalEmail = Annotated[
    str | None,
    Field(min_length=3, max_length=254, json_schema_extra=EMAIL_SCHEMA),
    AfterValidator(lambda value: None if value is None else normalise_email(value)),
]
# A stored row's id as input: checked before it reaches a query, which PostgreSQL fails beyond INTEGER.
Id = Annotated[int, Field(**ID_BOUNDS)]
# Optional, bounded as a whole: the OpenAPI document keeps the bounds, which it drops from inside a union.
OptionalId = Annotated[int | None, Field(**ID_BOUNDS)]
