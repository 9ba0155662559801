"""The e-mail outbox: every e-mail the product sends is a row first, sent once by a worker."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMail(models.Model):
    """One e-mail to one recipient about one object; (kind, object, recipient, key) is unique,
    so a message delivered twice, a retried task or a re-run job never sends it twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not sent (gave up)")

    kind = models.CharField(
        max_length=40, verbose_name=_("kind")
    )  # e.g. award, event_change, breach, reminder
    object_ref = models.CharField(
        max_length=100, verbose_name=_("object")
    )  # "app.model:pk" the e-mail is about
    recipient = models.EmailField(max_length=254, verbose_name=_("recipient"))
    key = models.CharField(
        max_length=200, blank=True, verbose_name=_("key")
    )  # which occurrence (a history id, a date)
    subject = models.CharField(max_length=300, verbose_name=_("subject"))
    body = models.TextField(verbose_name=_("body"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, verbose_name=_("status")
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    queued_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("queued at")
    )  # last handed to the broker
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    # The claim (core.jobs): which process and task hold the row, and when it last beat.
    claimed_by = models.CharField(max_length=200, blank=True, verbose_name=_("claimed by"))
    task_id = models.CharField(max_length=64, blank=True, verbose_name=_("task ID"))
    heartbeat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last heartbeat"))

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_ref", "recipient", "key"], name="outbox_mail_once"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_mail_status")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_ref} to {self.recipient}"
