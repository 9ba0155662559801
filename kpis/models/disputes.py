"""A vendor's dispute of a breach and the manager's decision on it (DOMAIN.md "Disputes").

kpis.disputes.service writes these rows; nothing else does. Accepting waives the breach through
the waiver path (kpis.evaluation.breaches), so the month's totals follow as they do for waivers.
"""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kpis.models.evaluation import Breach

__all__ = ["Dispute", "evidence_path"]


def evidence_path(dispute: "Dispute", filename: str) -> str:
    """Where an evidence file is kept: a folder per contract, a random name (the suffix kept)."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"dispute-evidence/contract-{dispute.contract_id}/{secrets.token_hex(16)}{suffix}"


class Dispute(models.Model):
    """A breach contested by its vendor: statement and evidence, then accepted or rejected."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open: awaiting the manager's decision")
        ACCEPTED = "accepted", _("Accepted: the credit is waived")
        REJECTED = "rejected", _("Rejected: the credit stands")

    breach = models.OneToOneField(
        Breach, on_delete=models.PROTECT, related_name="dispute", verbose_name=_("breach")
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        related_name="disputes",
        verbose_name=_("contract"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    statement = models.TextField(_("statement"))
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=300)
    evidence_name = models.CharField(
        max_length=200, verbose_name=_("evidence file name")
    )  # as uploaded, made safe for a download
    evidence_type = models.CharField(
        max_length=100, verbose_name=_("evidence type")
    )  # the content type found in its bytes
    evidence_size = models.PositiveIntegerField(default=0, verbose_name=_("evidence size (bytes)"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(verbose_name=_("opened at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-opened_at", "pk"]
        indexes = [models.Index(fields=["status", "opened_at"], name="dispute_status")]

    def __str__(self) -> str:
        return f"Dispute of breach #{self.breach_id} ({self.status})"
