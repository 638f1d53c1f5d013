"""Sending mail: a message is queued in the transaction of the change it tells about, then delivered after the
commit, through the SMTP server of TRIBEWISE_SMTP_URL or, with none set, written to the outbox folder as an .eml
file. A failed delivery loses nothing: the message stays queued, says why, and is tried again later (by the next
delivery, or `tribewise mail send`), backing off; a message is delivered once, whichever worker sends it."""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from backend.schemas.base import utcnow
from backend.services.kernel.context import Context
from backend.settings import MailSettings
from backend.storage.db import Session
from backend.storage.queries.mail import claim_due, mark_failed, mark_sent, queue_mail
from backend.storage.tables import OutgoingMail

log = logging.getLogger(__name__)
SMTP_TIMEOUT = 10  # seconds: a server that does not answer fails this attempt, and the message waits for the next
HOLD = timedelta(minutes=2)  # how long one sender holds the messages it claimed
MAX_WAIT = timedelta(hours=6)


@dataclass(frozen=True)
class Mail:
    """One message as composed: to whom, about what (`key`: never queued twice), its subject and both parts."""

    kind: str
    key: str
    recipient: str
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Delivery:
    """What one delivery run did."""

    sent: int = 0
    failed: int = 0
    error: str = ""  # the last failure, in words


def queue(session: Session, mail: Mail) -> bool:
    """Queue the message in the current transaction (it leaves only if the change commits); False when a message
    with its key was queued before."""
    row = OutgoingMail(
        key=mail.key[:200],
        kind=mail.kind,
        recipient=mail.recipient,
        subject=mail.subject[:200],
        text_body=mail.text,
        html_body=mail.html,
    )
    return queue_mail(session, row)


def deliver_due(ctx: Context, waiting_too: bool = False) -> Delivery:
    """Deliver every queued message that is due (`waiting_too`: also those backing off after a failure, as an
    administrator's retry does); failures are recorded on the message and retried later."""
    settings = ctx.mail
    if settings is None:
        return Delivery()
    now = utcnow()
    with ctx.db.write() as session:
        due_by = now + MAX_WAIT if waiting_too else now
        claimed = [_message(settings, row) for row in claim_due(session, now, now + HOLD, due_by)]
    sent, failed, error = 0, 0, ""
    for mail_id, attempts, message in claimed:
        try:
            _send(settings, message)
        except (OSError, smtplib.SMTPException, ssl.SSLError) as err:
            failed, error = failed + 1, _in_words(err)
            log.warning("mail %s to %s not sent (attempt %s): %s", mail_id, message["To"], attempts + 1, error)
            wait = min(timedelta(minutes=2 ** min(attempts, 10)), MAX_WAIT)
            with ctx.db.write() as session:
                mark_failed(session, mail_id, error, utcnow() + wait)
            continue
        sent += 1
        with ctx.db.write() as session:
            mark_sent(session, mail_id, utcnow())
    return Delivery(sent, failed, error)


def _message(settings: MailSettings, row: OutgoingMail) -> tuple[int, int, EmailMessage]:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = format_datetime(row.created_at.astimezone())
    # The same id on every attempt: a server that took a message whose acknowledgement was lost can drop the copy.
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(idstring=f"tribewise-{row.id}", domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    return row.id, row.attempts, message


def _send(settings: MailSettings, message: EmailMessage) -> None:
    server = settings.smtp
    if server is None:
        settings.outbox.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_").replace("/", "_")
        (settings.outbox / f"{name}.eml").write_bytes(bytes(message))
        return
    secure = ssl.create_default_context()
    kind = smtplib.SMTP_SSL if server.ssl else smtplib.SMTP
    extra = {"context": secure} if server.ssl else {}
    with kind(server.host, server.port, timeout=SMTP_TIMEOUT, **extra) as smtp:
        smtp.ehlo()
        if server.starttls != "off" and (server.starttls == "required" or smtp.has_extn("starttls")):
            smtp.starttls(context=secure)
            smtp.ehlo()
        if server.user:
            smtp.login(server.user, server.password)
        smtp.send_message(message)


def _in_words(err: Exception) -> str:
    """A failed delivery as an administrator reads it."""
    if isinstance(err, ConnectionRefusedError):
        return "the mail server refused the connection: check the host and port in TRIBEWISE_SMTP_URL"
    if isinstance(err, socket.timeout | TimeoutError):
        return f"the mail server did not answer within {SMTP_TIMEOUT} seconds"
    if isinstance(err, smtplib.SMTPAuthenticationError):
        return "the mail server refused the user name or password in TRIBEWISE_SMTP_URL"
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        return "the mail server refused the recipient's address"
    if isinstance(err, smtplib.SMTPNotSupportedError | ssl.SSLError):
        return f"the mail server's encryption did not work ({err}): check starttls or smtps in TRIBEWISE_SMTP_URL"
    return f"the mail could not be sent: {err}"
