"""The SLA report's invoice section: the month's recorded invoice beside the expected one
(DOMAIN.md "Invoice reconciliation").

The expected lines come from `kpis.invoices.service.invoice_expected` (the invoices page's and
`invoice_record`'s reading) on the evaluation the report prints, and the comparison from
`kpis.invoices.reconcile.reconcile`; `report_verify` recomputes both from the attached JSON
(reports.domain.verify.invoice). A contract has at most one invoice per month: recording the
month again replaces it, so the one stored is the current one.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from contracts.models import Contract
from contracts.services.terms import month_start
from core.labels import label_of
from kpis.invoices.reconcile import Line, LineKind, Reconciliation, reconcile
from kpis.invoices.service import invoice_expected
from kpis.models import Evaluation, Invoice
from kpis.roi.service import one_off_fees


@dataclass(frozen=True)
class InvoiceSection:
    """The section's template context and its parts of the attached JSON (None: no invoice)."""

    context: dict[str, Any]
    inputs: dict[str, Any] | None
    results: dict[str, Any] | None
    revisions: dict[str, Any]  # the report's data revisions: the invoice's, when there is one


def _line(kind: Any, channel: str, amount: Decimal | None) -> dict[str, Any]:
    return {"kind": str(kind), "channel": channel, "amount": amount}


def _invoiced(invoice: Invoice) -> list[Line]:
    """The invoice's lines as stored; none when the invoice gave its total only."""
    return [
        Line(kind=LineKind(row.kind), channel=row.channel, amount=row.amount)
        for row in invoice.lines.all()
        if row.amount is not None
    ]


def _inputs(contract: Contract, invoice: Invoice, given: list[Line], earn_back: Any) -> dict:
    return {
        "id": invoice.pk,
        "source": invoice.source,
        "recorded_by": invoice.recorded_by.username if invoice.recorded_by else None,
        "recorded_at": invoice.recorded_at,
        "currency": invoice.currency,
        "total": invoice.total,
        "lines": [_line(x.kind, x.channel, x.amount) for x in given],
        "tolerance_percent": contract.invoice_tolerance_percent,
        # What the expected lines need beyond the month's pricing and credit total.
        "contract_start": month_start(contract.start_date),
        "one_off_fees": one_off_fees(contract),
        "earn_back": earn_back,
        "evaluation": (
            {"id": invoice.evaluation_id, "revision": invoice.evaluation.revision}
            if invoice.evaluation
            else None
        ),
    }


def _results(expected: tuple[Line, ...], result: Reconciliation) -> dict:
    return {
        "expected_lines": [_line(x.kind, x.channel, x.amount) for x in expected],
        "expected_total": result.expected_total,
        "tolerance": result.tolerance,
        "difference": result.difference,
        "status": result.status.value,
        "differing_lines": [
            {
                **_line(x.kind, x.channel, x.amount),
                "expected": x.expected,
                "difference": x.difference,
            }
            for x in result.differing
        ],  # fmt: skip
    }


def _named(result: Reconciliation) -> str:
    """The differing lines in words: "Usage (Phone), One-off fees"."""
    return ", ".join(
        f"{label_of(x.kind)} ({label_of(x.channel)})" if x.channel else label_of(x.kind)
        for x in result.differing
    )


def invoice_section(
    contract: Contract, period: date, evaluation: Mapping[str, Any]
) -> InvoiceSection:
    """The month's invoice compared with the expected invoice of the evaluation the report
    prints (`evaluation`: kpis.evaluation.selectors.evaluation_detail)."""
    invoice = (
        Invoice.objects.filter(contract=contract, period=month_start(period))
        .select_related("evaluation", "recorded_by")
        .prefetch_related("lines")
        .first()
    )
    if invoice is None:
        return InvoiceSection(context={"invoice": None}, inputs=None, results=None, revisions={})
    current = Evaluation.objects.get(pk=evaluation["id"])
    expected = invoice_expected(contract=contract, evaluation=current)
    given = _invoiced(invoice)
    result = reconcile(
        total=invoice.total, lines=given, expected=expected,
        tolerance_percent=contract.invoice_tolerance_percent,
    )  # fmt: skip
    inputs = _inputs(contract, invoice, given, current.earn_back)
    results = _results(expected, result)
    context = {
        "invoice": invoice, "inputs": inputs, "results": results, "compared": result.lines,
        "differing_text": _named(result),
        "recorded_against_other": inputs["evaluation"] is not None
        and inputs["evaluation"]["id"] != current.pk,
    }  # fmt: skip
    revisions = {"invoice": {"id": invoice.pk, "recorded_at": invoice.recorded_at.isoformat()}}
    return InvoiceSection(context=context, inputs=inputs, results=results, revisions=revisions)


def with_invoice(document: Mapping[str, Any], section: InvoiceSection) -> dict[str, Any]:
    """The SLA report's JSON parts with `inputs.invoice` and `results.invoice` added."""
    return {
        **document,
        "inputs": {**document["inputs"], "invoice": section.inputs},
        "results": {**document["results"], "invoice": section.results},
    }
