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
        "contracts.Contract", on_delete=models.PROTECT, related_name="invoices"
    )
    period = models.DateField()  # the first day of the month
    currency = models.CharField(max_length=3)  # the contract's
    total = money_field()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENTERED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    # The evaluation compared against (its revision in force when the invoice was recorded).
    evaluation = models.ForeignKey(
        "kpis.Evaluation", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    expected_total = money_field()
    difference = money_field()  # total - expected_total
    tolerance = money_field()  # max(tolerance % of the expected total, 1.00)
    status = models.CharField(max_length=10, choices=Status.choices)

    class Meta:
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

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    channel = models.CharField(max_length=20, blank=True)  # usage only; "" otherwise
    amount = money_field(null=True, blank=True)  # null: the invoice gave its total only
    expected = money_field()
    difference = money_field(null=True, blank=True)

    class Meta:
        ordering = ["invoice", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel}: {self.amount}"
