"""Stored PDF reports: one immutable row per rendering, with its checksum and inputs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """A report requested by a user, rendered in the background, never changed once done."""

    class Kind(models.TextChoices):
        ROI = "roi", _("ROI report")
        SLA = "sla", _("SLA performance report")
        COMPARISON = "comparison", _("Vendor comparison report")
        SCORECARD = "scorecard", _("Vendor scorecard")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    parameters = models.JSONField(default=dict, verbose_name=_("parameters"))
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.QUEUED, verbose_name=_("status")
    )
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True, verbose_name=_("file"))
    sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("SHA-256 checksum"))
    size = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("size (bytes)"))
    data_revisions = models.JSONField(default=dict, blank=True, verbose_name=_("data revisions"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reports",
        null=True,
        blank=True,
        help_text="Empty when rendered by the `report` command without --user",
        verbose_name=_("created by"),
    )
    # The requester's language when they asked (core.i18n): the PDF is written in it.
    language = models.CharField(max_length=10, blank=True, default="", verbose_name=_("language"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    queued_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("queued at")
    )  # last handed to the broker
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    # The claim (core.jobs): which process and task hold the row, and when it last beat.
    claimed_by = models.CharField(max_length=200, blank=True, verbose_name=_("claimed by"))
    task_id = models.CharField(max_length=64, blank=True, verbose_name=_("task ID"))
    heartbeat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last heartbeat"))

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
