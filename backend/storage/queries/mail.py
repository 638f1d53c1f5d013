"""The outgoing mail queue: queued with a change, claimed by one sender at a time, marked sent or failed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, update
from sqlmodel import select

from backend.storage.db import Session
from backend.storage.tables import OutgoingMail


def queue_mail(session: Session, mail: OutgoingMail) -> bool:
    """Add the mail unless one with its key was ever queued; whether it was added. (Two transactions queueing one
    key at the same moment: the second fails on the key's unique constraint as a whole, and sends nothing.)"""
    if session.exec(select(OutgoingMail.id).where(OutgoingMail.key == mail.key)).first() is not None:
        return False
    session.add(mail)
    session.flush()
    return True


def _claimable(now: datetime):
    return (
        OutgoingMail.sent_at.is_(None),
        or_(OutgoingMail.claimed_until.is_(None), OutgoingMail.claimed_until < now),
    )


def claim_due(
    session: Session, now: datetime, until: datetime, due_by: datetime, limit: int = 50
) -> list[OutgoingMail]:
    """The unsent mail due by `due_by`, each claimed for this sender until `until` (what another sender holds is
    left to it)."""
    ids = session.exec(
        select(OutgoingMail.id)
        .where(*_claimable(now), OutgoingMail.next_attempt_at <= due_by)
        .order_by(OutgoingMail.id)
        .limit(limit)
    ).all()
    claimed = []
    for mail_id in ids:
        done = session.exec(
            update(OutgoingMail).where(OutgoingMail.id == mail_id, *_claimable(now)).values(claimed_until=until)
        )
        if done.rowcount == 1:
            claimed.append(session.get(OutgoingMail, mail_id))
    return claimed


def mark_sent(session: Session, mail_id: int, at: datetime) -> None:
    """Record the mail delivered."""
    session.exec(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail_id)
        .values(sent_at=at, claimed_until=None, attempts=OutgoingMail.attempts + 1, last_error="")
    )


def mark_failed(session: Session, mail_id: int, error: str, retry_at: datetime) -> None:
    """Record a failed attempt and when to try again."""
    session.exec(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail_id)
        .values(
            claimed_until=None, attempts=OutgoingMail.attempts + 1, last_error=error[:500], next_attempt_at=retry_at
        )
    )


def unsent(session: Session) -> list[OutgoingMail]:
    """Every mail not yet delivered, oldest first."""
    return list(session.exec(select(OutgoingMail).where(OutgoingMail.sent_at.is_(None)).order_by(OutgoingMail.id)))


def mails_since(session: Session, recipient: str, kinds: tuple[str, ...], since: datetime) -> int:
    """How many mails of these kinds were queued to the address since a moment."""
    return session.exec(
        select(func.count())
        .select_from(OutgoingMail)
        .where(OutgoingMail.recipient == recipient, OutgoingMail.kind.in_(kinds), OutgoingMail.created_at >= since)
    ).one()
