"""Sending e-mail through the outbox (STYLE.md habits 3-6).

`mail_enqueue` writes one row per recipient in the caller's transaction (a row that exists
already is left alone) and hands the new rows to the broker once it commits; a broker that is
down leaves them pending for `outbox_requeue`, the beat job. `mail_send` claims one row,
sends it and marks it sent; an SMTP error gives the claim back and the task retries with
backoff, MAX_ATTEMPTS times, then the row is `failed` with the error. A worker killed between
the SMTP server's answer and the row's update is the one case where an e-mail can go twice.
"""

import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.jobs import PUBLISH_RETRY, job_claim, job_stranded
from outbox.models import OutboxMail

logger = logging.getLogger(__name__)

SEND_ERRORS: tuple[type[Exception], ...] = (smtplib.SMTPException, OSError)
MAX_ATTEMPTS = 6
Status = OutboxMail.Status


class MailNotSent(Exception):
    """The SMTP server refused or could not be reached; the task retries."""


@dataclass(frozen=True)
class Mail:
    """An e-mail to keep: to each of `recipients`, about `object_ref`, on occasion `key`."""

    kind: str
    object_ref: str
    recipients: tuple[str, ...]
    subject: str
    body: str
    key: str = ""


def mail_enqueue(
    *,
    kind: str,
    object_ref: str,
    recipients: Iterable[str],
    subject: str,
    body: str,
    key: str = "",
) -> list[int]:
    """Keep an e-mail for each recipient not already sent this one; ids of the new rows."""
    return mails_enqueue([Mail(kind, object_ref, tuple(recipients), subject, body, key)])


def mails_enqueue(mails: Sequence[Mail]) -> list[int]:
    """Keep many e-mails in three queries; ids of the new rows, handed to the broker once the
    caller's transaction commits (a row that exists already is left alone)."""
    rows = {
        (mail.kind, mail.object_ref, address, mail.key): OutboxMail(
            kind=mail.kind,
            object_ref=mail.object_ref,
            key=mail.key,
            recipient=address,
            subject=mail.subject[:300],
            body=mail.body,
        )  # fmt: skip
        for mail in mails
        for address in sorted({a for a in mail.recipients if a})
    }
    if not rows:
        return []
    refs = {key[1] for key in rows}
    existing = set(
        OutboxMail.objects.filter(object_ref__in=refs).values_list(
            "kind", "object_ref", "recipient", "key"
        )
    )
    new = [row for key, row in rows.items() if key not in existing]
    OutboxMail.objects.bulk_create(new, ignore_conflicts=True)
    wanted = {(r.kind, r.object_ref, r.recipient, r.key) for r in new}
    ids = [
        pk
        for pk, *key in OutboxMail.objects.filter(
            object_ref__in=refs, status=Status.PENDING, queued_at__isnull=True
        ).values_list("pk", "kind", "object_ref", "recipient", "key")
        if tuple(key) in wanted
    ]
    if ids:
        transaction.on_commit(lambda: outbox_queue(mail_ids=sorted(ids)), robust=True)
    return sorted(ids)


def outbox_queue(*, mail_ids: list[int]) -> int:
    """Hand rows to the broker; stop at the first refusal (the re-queue job goes on later)."""
    from outbox.tasks import send_mail_row

    sent = 0
    for mail_id in mail_ids:
        try:
            send_mail_row.apply_async((mail_id,), retry=True, retry_policy=PUBLISH_RETRY)
        except Exception:  # kombu's OperationalError, or whatever a broken transport raises
            logger.warning("e-mail %s stays pending: the broker is unreachable", mail_id)
            break
        OutboxMail.objects.filter(pk=mail_id).update(queued_at=timezone.now())
        sent += 1
    return sent


def mail_send(*, mail_id: int, task_id: str = "") -> bool:
    """Send one pending e-mail once; True when this call sent it. Raises MailNotSent on an SMTP
    error (the claim is given back for the retry)."""
    claimed_at = job_claim(OutboxMail, mail_id, waiting=Status.PENDING, running=Status.SENDING,
                           task_id=task_id, attempts=F("attempts") + 1)  # fmt: skip
    if claimed_at is None:
        return False
    mail = OutboxMail.objects.get(pk=mail_id)
    mine = OutboxMail.objects.filter(pk=mail_id, status=Status.SENDING, started_at=claimed_at)
    try:
        message = EmailMessage(
            subject=mail.subject,
            body=mail.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[mail.recipient],
        )
        message.send()
    except SEND_ERRORS as error:
        text = f"{timezone.now():%Y-%m-%d %H:%M}: {error}"[:2000]
        last = mail.attempts >= MAX_ATTEMPTS
        mine.update(status=Status.FAILED if last else Status.PENDING, last_error=text,
                    started_at=None if not last else claimed_at)  # fmt: skip
        logger.warning("e-mail %s not sent (%s)%s", mail_id, error, "; given up" if last else "")
        if not last:
            raise MailNotSent(text) from error
        return False
    mine.update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    return True


def outbox_requeue(*, now: datetime | None = None) -> int:
    """Queue again e-mails the broker never got or lost, or whose worker died; how many."""
    now = now or timezone.now()
    waiting = OutboxMail.objects.filter(
        job_stranded(OutboxMail, waiting=Status.PENDING, running=Status.SENDING, now=now)
    )
    ids = list(waiting.order_by("pk").values_list("pk", flat=True)[:1000])
    return outbox_queue(mail_ids=ids)
