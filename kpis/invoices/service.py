"""Recording a vendor's invoice for a contract month and reconciling it (kpis.invoices.reconcile).

`invoice_record` is the one path: the API, the page's form and the page's upload all call it.
The expected invoice is built from the month's current evaluation (its priced lines, minimum
and fees as stored) and the contract's one-off fees; re-recording a month replaces its invoice.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Contract
from contracts.services.terms import month_start
from kpis.invoices.reconcile import Line, Reconciliation, expected_from_pricing, reconcile
from kpis.models import Evaluation, Invoice, InvoiceLine
from kpis.roi.service import one_off_fees

_ZERO = Decimal(0)


@dataclass(frozen=True)
class Recorded:
    """The invoice now stored and whether it replaced an earlier one for the month."""

    invoice: Invoice
    replaced: bool


def invoice_expected(*, contract: Contract, evaluation: Evaluation) -> tuple[Line, ...]:
    """The expected invoice's lines for an evaluated, priced month (reconcile's module doc)."""
    return expected_from_pricing(
        pricing=evaluation.pricing or {},
        one_off_fees=sum(one_off_fees(contract).values(), _ZERO),
        first_month=evaluation.period == month_start(contract.start_date),
        credit_net=evaluation.credit_net or _ZERO,
    )


def month_evaluation(*, contract: Contract, period: date) -> Evaluation:
    """The month's current, priced evaluation; ValidationError naming `period` otherwise."""
    evaluation = Evaluation.objects.filter(
        contract=contract, period=period, is_current=True
    ).first()
    if evaluation is None:
        raise ValidationError({"period": [_(
            "%(period)s has not been evaluated yet: an invoice is compared with the month's "
            "evaluation, so record it once the month's KPI data are in."
        ) % {"period": f"{period:%Y-%m}"}]})  # fmt: skip
    if evaluation.credit_net is None:
        raise ValidationError({"period": [_(
            "%(period)s could not be priced (see the month's findings): there is no expected "
            "invoice to compare with."
        ) % {"period": f"{period:%Y-%m}"}]})  # fmt: skip
    return evaluation


@transaction.atomic
def invoice_record(
    *,
    contract: Contract,
    period: date,
    total: Decimal,
    lines: list[Line],
    source: str = Invoice.Source.ENTERED,
    user=None,
) -> Recorded:
    """Record (or replace) the month's invoice and reconcile it with the expected invoice."""
    period = month_start(period)
    evaluation = month_evaluation(contract=contract, period=period)
    result = reconcile(
        total=total,
        lines=lines,
        expected=invoice_expected(contract=contract, evaluation=evaluation),
        tolerance_percent=contract.invoice_tolerance_percent,
    )
    fields = {
        "currency": contract.currency, "total": result.total, "source": source,
        "recorded_by": user, "recorded_at": timezone.now(), "evaluation": evaluation,
        "expected_total": result.expected_total, "difference": result.difference,
        "tolerance": result.tolerance, "status": result.status.value,
    }  # fmt: skip
    invoice, created = Invoice.objects.select_for_update().update_or_create(
        contract=contract, period=period, defaults=fields
    )
    invoice.lines.all().delete()
    InvoiceLine.objects.bulk_create(_line_rows(invoice, result))
    return Recorded(invoice=invoice, replaced=not created)


def _line_rows(invoice: Invoice, result: Reconciliation) -> list[InvoiceLine]:
    return [
        InvoiceLine(invoice=invoice, kind=line.kind.value, channel=line.channel,
                    amount=line.amount, expected=line.expected, difference=line.difference)
        for line in result.lines
    ]  # fmt: skip


def invoice_differing_lines(invoice: Invoice) -> list[InvoiceLine]:
    """The lines of an invoice whose amount differs from the expected one."""
    return [line for line in invoice.lines.all() if line.difference]
