"""Sending the e-mail outbox in the test's process, as the e-mail queue's worker would."""

from outbox.models import OutboxMail
from outbox.services import mail_send


def deliver_outbox() -> int:
    """Send every pending outbox e-mail here; how many were sent (into django.core.mail.outbox
    under the test e-mail backend)."""
    pending = OutboxMail.objects.filter(status=OutboxMail.Status.PENDING).order_by("pk")
    return sum(mail_send(mail_id=pk) for pk in pending.values_list("pk", flat=True))
