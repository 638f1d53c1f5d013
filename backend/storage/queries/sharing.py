"""Share links of an assessment's report."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import select

from backend.storage.db import Session
from backend.storage.tables import ShareLink


def links_of(session: Session, assessment_id: int) -> Sequence[ShareLink]:
    """Every share link made for an assessment, newest first."""
    return session.exec(
        select(ShareLink).where(ShareLink.assessment_id == assessment_id).order_by(ShareLink.id.desc())
    ).all()
