"""Background jobs of the outbox; thin, ids only."""

from celery import Task, shared_task

from core.jobs import TRANSIENT_ERRORS
from outbox.services import MailNotSent, mail_send, outbox_requeue


@shared_task(
    name="outbox.tasks.send_mail_row",
    bind=True,
    autoretry_for=(MailNotSent, *TRANSIENT_ERRORS),
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def send_mail_row(self: Task, mail_id: int) -> bool:
    """Send one outbox e-mail; a duplicated message finds it sent and does nothing."""
    return mail_send(mail_id=mail_id, task_id=self.request.id or "")


@shared_task(name="outbox.tasks.requeue_mail")
def requeue_mail() -> int:
    """Beat job, every minute: e-mails the broker never got, or whose worker died."""
    return outbox_requeue()
