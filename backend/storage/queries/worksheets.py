"""A team's corrections of an assessment's audit worksheet: per channel and per step, one row each at most."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlmodel import select

from backend.storage.db import Session
from backend.storage.tables import WorksheetChannel, WorksheetStep

Edit = TypeVar("Edit", WorksheetChannel, WorksheetStep)
# What names the channel or step a row corrects.
KEYS = {WorksheetChannel: "channel_id", WorksheetStep: "criterion_id"}


def worksheet_rows(session: Session, table: type[Edit], assessment_id: int) -> Sequence[Edit]:
    """The channels (or steps) the team corrected on an assessment's worksheet."""
    query = select(table).where(table.assessment_id == assessment_id)
    return session.exec(query.order_by(table.id)).all()


def row_for_update(session: Session, table: type[Edit], assessment_id: int, key: str) -> Edit:
    """The stored correction of a channel (or step), locked for the change; a new row, added to the session, when
    there is none yet."""
    query = select(table).where(table.assessment_id == assessment_id, getattr(table, KEYS[table]) == key)
    row = session.exec(query.with_for_update()).first()
    if row is None:
        row = table(assessment_id=assessment_id, **{KEYS[table]: key})
        session.add(row)
    return row
