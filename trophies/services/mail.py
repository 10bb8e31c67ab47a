"""Mail stage: queue messages in the outbox (same transaction as their cause) and deliver them.

Messages are rendered at queue time in the recipient's language from templates/mail/<name>.txt
(first line: the subject). Delivery is `flask trophies send-mail`: SMTP with retries and
exponential backoff, or, without SMTP configured, the log plus an administrators' page.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from trophies.domain.vocabulary import Language, MailStatus
from trophies.models import Edition, OutboxMessage, User, db, utcnow

log = logging.getLogger("trophies.mail")


def absolute_url(endpoint: str, **values: Any) -> str:
    """An external URL built from BASE_URL, usable outside a request (CLI, services)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def render_message(template: str, language: str, **context: Any) -> tuple[str, str]:
    """(subject, body) of templates/mail/<template>.txt rendered in `language`."""
    with force_locale(language):
        text = render_template(
            f"mail/{template}.txt",
            platform=current_app.config["PLATFORM_NAME"],
            language=language,
            **context,
        )
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def queue(
    template: str,
    *,
    to: str,
    name: str = "",
    language: str = Language.FR,
    edition: Edition | None = None,
    **context: Any,
) -> OutboxMessage:
    """Render and add one message to the outbox; it is sent only if the transaction commits."""
    subject, body = render_message(template, language, name=name, edition=edition, **context)
    message = OutboxMessage(
        recipient=to,
        recipient_name=name,
        language=Language(language),
        template=template,
        subject=subject,
        body_text=body,
        edition_id=edition.id if edition is not None else None,
    )
    db.session.add(message)
    return message


def queue_for(user: User, template: str, *, edition: Edition | None = None, **context: Any):
    """Queue `template` for `user`, in the user's language."""
    return queue(
        template,
        to=user.email,
        name=user.full_name,
        language=str(user.language),
        edition=edition,
        user=user,
        **context,
    )


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    logged: int = 0
    retried: int = 0
    failed: int = 0


def _smtp_send(message: OutboxMessage, config: dict[str, Any]) -> None:
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = formataddr((message.recipient_name, message.recipient))
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=urlsplit(config["BASE_URL"]).hostname or "localhost")
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text)
    # After set_content, which drops every Content-* header set before it.
    email["Content-Language"] = str(message.language)
    host, port, timeout = config["MAIL_SERVER"], int(config["MAIL_PORT"]), config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            client.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            client.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        client.send_message(email)


def deliver_pending(*, now: datetime | None = None, limit: int = 500) -> DeliveryReport:
    """Deliver due messages; each outcome is flushed (the caller commits).

    A failure schedules a retry after MAIL_BACKOFF_SECONDS * 2^(attempts-1); after
    MAIL_MAX_ATTEMPTS the message is marked failed and stays listed for administrators.
    """
    config = current_app.config
    now = now or utcnow()
    due = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == MailStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    counts = {"sent": 0, "logged": 0, "retried": 0, "failed": 0}
    for message in due:
        message.attempts += 1
        if not config["MAIL_SERVER"]:
            log.info("mail %s to %s: %s", message.id, message.recipient, message.subject)
            message.status, message.sent_at = MailStatus.LOGGED, now
            counts["logged"] += 1
            continue
        try:
            _smtp_send(message, config)
        except (OSError, smtplib.SMTPException) as error:
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= int(config["MAIL_MAX_ATTEMPTS"]):
                message.status = MailStatus.FAILED
                counts["failed"] += 1
            else:
                delay = int(config["MAIL_BACKOFF_SECONDS"]) * 2 ** (message.attempts - 1)
                message.next_attempt_at = now + timedelta(seconds=delay)
                counts["retried"] += 1
            log.warning("mail %s to %s failed: %s", message.id, message.recipient,
                        message.last_error)
        else:
            message.status, message.sent_at, message.last_error = MailStatus.SENT, now, ""
            counts["sent"] += 1
    db.session.flush()
    return DeliveryReport(**counts)
