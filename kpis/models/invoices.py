"""A vendor's invoice for a contract month, reconciled against the month's evaluation.

kpis.invoices.service writes these rows (nothing else does); kpis.invoices.reconcile holds the
arithmetic. Re-recording a month replaces its invoice: one invoice per contract and month.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contracts.models import money_field
from kpis.invoices.reconcile import LineKind, Match

__all__ = ["Invoice", "InvoiceLine"]


class Invoice(models.Model):
    """The invoiced total of a contract month beside the expected one, and how they compare."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered")
        UPLOADED = "uploaded", _("Uploaded")

    class Status(models.TextChoices):
        MATCHED = Match.MATCHED.value, _("Matched")
        OVER = Match.OVER.value, _("Over")
        UNDER = Match.UNDER.value, _("Under")

    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("contract"),
    )
    period = models.DateField(verbose_name=_("period"))  # the first day of the month
    currency = models.CharField(max_length=3, verbose_name=_("currency"))  # the contract's
    total = money_field(verbose_name=_("total"))
    source = models.CharField(
        max_length=10, choices=Source.choices, default=Source.ENTERED, verbose_name=_("source")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(verbose_name=_("recorded at"))
    # The evaluation compared against (its revision in force when the invoice was recorded).
    evaluation = models.ForeignKey(
        "kpis.Evaluation",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("evaluation"),
    )
    expected_total = money_field(verbose_name=_("expected total"))
    difference = money_field(verbose_name=_("difference"))  # total - expected_total
    tolerance = money_field(
        verbose_name=_("tolerance")
    )  # max(tolerance % of the expected total, 1.00)
    status = models.CharField(max_length=10, choices=Status.choices, verbose_name=_("status"))

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["contract", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "period"], name="invoice_contract_month"),
        ]
        indexes = [models.Index(fields=["status", "period"], name="invoice_status")]

    def __str__(self) -> str:
        return f"Invoice {self.contract_id} {self.period:%Y-%m} ({self.status})"


class InvoiceLine(models.Model):
    """One line of an invoice beside the expected line of the same kind and channel."""

    class Kind(models.TextChoices):
        USAGE = LineKind.USAGE.value, _("Usage")
        FIXED_FEE = LineKind.FIXED_FEE.value, _("Fixed fees")
        ONE_OFF_FEE = LineKind.ONE_OFF_FEE.value, _("One-off fees")
        CREDIT = LineKind.CREDIT.value, _("Service credits")

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=_("kind"))
    channel = models.CharField(
        max_length=20, blank=True, verbose_name=_("channel")
    )  # usage only; "" otherwise
    amount = money_field(
        null=True, blank=True, verbose_name=_("amount")
    )  # null: the invoice gave its total only
    expected = money_field(verbose_name=_("expected level"))
    difference = money_field(null=True, blank=True, verbose_name=_("difference"))

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel}: {self.amount}"
