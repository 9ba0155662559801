"""Every e-mail goes through the outbox: one row per recipient, object and occasion, sent once
even when its message is delivered twice, retried on SMTP errors, kept when the broker is down."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from outbox.models import OutboxMail
from outbox.services import MAX_ATTEMPTS, MailNotSent, mail_enqueue, mail_send, outbox_requeue
from outbox.tasks import send_mail_row
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@contextmanager
def broker_unreachable():
    from config.celery import app

    reachable = app.conf.broker_write_url
    app.conf.broker_write_url = DEAD_BROKER
    app._pool, app.amqp._producer_pool = None, None
    try:
        yield
    finally:
        app.conf.broker_write_url = reachable
        app._pool, app.amqp._producer_pool = None, None


def enqueue(**changes) -> list[int]:
    fields = {
        "kind": "award_outcome",
        "object_ref": "vendors.proposal:7",
        "key": "event:3",
        "recipients": ["a@x.example", "b@x.example"],
        "subject": "S",
        "body": "B",
    }
    return mail_enqueue(**{**fields, **changes})


def test_one_row_per_recipient_and_the_same_e_mail_again_adds_nothing():
    assert len(enqueue()) == 2
    assert enqueue() == []
    assert len(enqueue(recipients=["a@x.example", "c@x.example"])) == 1
    assert len(enqueue(key="event:4")) == 2  # another occasion
    assert OutboxMail.objects.count() == 5


def test_a_message_delivered_twice_sends_the_e_mail_once():
    (mail_id,) = enqueue(recipients=["a@x.example"])
    send_mail_row.apply(args=(mail_id,))
    send_mail_row.apply(args=(mail_id,))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@x.example"]
    row = OutboxMail.objects.get(pk=mail_id)
    assert (row.status, row.attempts) == ("sent", 1) and row.sent_at is not None


def test_an_smtp_error_is_retried_and_after_the_last_attempt_the_row_is_failed(monkeypatch):
    (mail_id,) = enqueue(recipients=["a@x.example"])

    def refused(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP refused")

    monkeypatch.setattr(EmailMessage, "send", refused)
    for _ in range(MAX_ATTEMPTS - 1):
        with pytest.raises(MailNotSent):
            mail_send(mail_id=mail_id)
    assert mail_send(mail_id=mail_id) is False
    row = OutboxMail.objects.get(pk=mail_id)
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert "SMTP refused" in row.last_error


def test_the_send_task_retries_smtp_errors_with_backoff():
    assert MailNotSent in send_mail_row.autoretry_for
    assert send_mail_row.retry_backoff and send_mail_row.max_retries >= MAX_ATTEMPTS


def test_with_the_broker_down_the_rows_stay_pending_and_the_requeue_job_sends_them(
    django_capture_on_commit_callbacks,
):
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        ids = enqueue()
    assert set(OutboxMail.objects.values_list("queued_at", flat=True)) == {None}
    assert outbox_requeue() == 0  # too young: its own commit hook may still be sending it
    OutboxMail.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    with broker_unreachable():
        assert outbox_requeue() == 0
    assert outbox_requeue() == len(ids)
    assert None not in set(OutboxMail.objects.values_list("queued_at", flat=True))
    from config.celery import app

    app.control.purge()


def test_the_e_mail_tasks_run_on_the_email_queue(settings):
    assert settings.CELERY_TASK_ROUTES["outbox.tasks.send_mail_row"] == {"queue": "email"}
    assert settings.CELERY_BEAT_SCHEDULE["outbox-requeue"]["task"] == "outbox.tasks.requeue_mail"


def test_deliver_outbox_sends_what_is_pending_once():
    enqueue()
    assert deliver_outbox() == 2 and deliver_outbox() == 0


def test_no_module_of_the_product_sends_e_mail_but_the_outbox():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    words = ("send_mail(", "EmailMessage(", "send_messages(", "mail_managers(", "mail_admins(")
    apps = ("accounts", "config", "core", "vendors", "contracts", "kpis", "reports", "demo")
    offenders = [
        str(path.relative_to(root))
        for app in apps
        for path in (root / app).rglob("*.py")
        if any(word in path.read_text() for word in words)
    ]
    assert offenders == []
    assert "EmailMessage(" in (root / "outbox" / "services.py").read_text()
