"""Recompute an SLA report's invoice check (docs/reports.md, kind "sla": `inputs.invoice`,
`results.invoice`) with the product's own pure functions: the expected lines with
`kpis.invoices.reconcile.expected_from_pricing` (as `kpis.invoices.service.invoice_expected`),
the comparison with `reconcile`. No Django, no I/O.

The expected lines are recomputed from the document's own inputs: the month's pricing from
`inputs.terms` and `inputs.usage` (as the charges are; `inputs.pricing` when the document has no
terms or the month could not be priced), the one-off fees when `inputs.period` is the month of
`inputs.invoice.contract_start`, and the credit line -(results.credit_total +
inputs.invoice.earn_back): the credit total is itself recomputed by verify_sla, the earn-back
comes from earlier months this document does not carry.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from kpis.invoices.reconcile import (
    ComparedLine,
    Line,
    LineKind,
    expected_from_pricing,
    reconcile,
)
from reports.domain.verify.common import Check, number, required
from vendors.domain.pricing import PriceBreakdown

_ZERO = Decimal(0)
_PRICED = "inputs.terms and inputs.usage (the month's priced lines, minimum and monthly fees)"


def _key(kind: Any, channel: Any) -> str:
    return f"{kind}/{channel}" if channel else str(kind)


def _pricing(
    inputs: Mapping[str, Any], breakdown: PriceBreakdown | None
) -> tuple[Mapping[str, Any], str]:
    """The month's pricing in the shape an evaluation stores, and which inputs it comes from:
    the breakdown the SLA check recomputed from the terms and usage, else the stated one."""
    if breakdown is None:
        return inputs.get("pricing") or {}, "inputs.pricing"
    pricing = {
        "lines": [{"channel": x.channel.value, "amount": x.amount} for x in breakdown.lines],
        "minimum_applied": breakdown.minimum_applied,
        "monthly_charge": breakdown.quoted.monthly_charge,
        "fixed_fees": breakdown.quoted.fixed_fees,
    }
    return pricing, _PRICED


def _sources(line: Line, priced: str) -> str:
    """The inputs an expected line is computed from."""
    if line.kind is LineKind.USAGE:
        return priced if line.channel else f"{priced}: the minimum charge's top-up"
    return {
        LineKind.FIXED_FEE: priced,
        LineKind.ONE_OFF_FEE: "inputs.invoice.one_off_fees, .contract_start and inputs.period",
        LineKind.CREDIT: "results.credit_total and inputs.invoice.earn_back",
    }[line.kind]


def _invoiced(invoice: Mapping[str, Any]) -> list[Line]:
    lines = []
    for row in invoice["lines"]:
        where = f"inputs.invoice.lines[{_key(row['kind'], row.get('channel'))}]"
        amount = required(row["amount"], where)
        lines.append(Line(kind=LineKind(row["kind"]), channel=row.get("channel") or "",
                          amount=amount))  # fmt: skip
    return lines


def invoice_check(
    check: Check,
    *,
    inputs: Mapping[str, Any],
    results: Mapping[str, Any],
    breakdown: PriceBreakdown | None,
) -> None:
    """Recompute the expected lines and the reconciliation of `inputs.invoice`, naming each
    figure of `results.invoice` that differs (nothing to do when no invoice is recorded).

    `breakdown`: the month's pricing as the SLA check recomputed it (None when the document
    carries no terms or the month could not be priced: the stated pricing is used)."""
    invoice, stated = inputs.get("invoice"), results.get("invoice")
    if invoice is None:
        if stated is not None:
            check.same("results.invoice", "(present)", None, "inputs.invoice (no invoice)")
        return
    stated = stated or {}
    pricing, priced = _pricing(inputs, breakdown)
    credit_total = number(results.get("credit_total"), "results.credit_total") or _ZERO
    fees = invoice["one_off_fees"] or {}
    expected = expected_from_pricing(
        pricing=pricing,
        one_off_fees=sum((required(v, f"inputs.invoice.one_off_fees.{k}") for k, v in fees.items()),
                         _ZERO),
        first_month=str(inputs["period"])[:7] == str(invoice["contract_start"])[:7],
        credit_net=credit_total + required(invoice["earn_back"], "inputs.invoice.earn_back"),
    )  # fmt: skip
    tolerance_percent = required(invoice["tolerance_percent"], "inputs.invoice.tolerance_percent")
    result = reconcile(
        total=required(invoice["total"], "inputs.invoice.total"), lines=_invoiced(invoice),
        expected=expected, tolerance_percent=tolerance_percent,
    )  # fmt: skip
    _lines(check, stated, expected, priced)
    every_line = "the expected lines (results.invoice.expected_lines[])"
    for figure, value, sources in (
        ("expected_total", result.expected_total, every_line),
        ("tolerance", result.tolerance, f"inputs.invoice.tolerance_percent and {every_line}"),
        ("difference", result.difference, f"inputs.invoice.total and {every_line}"),
        ("status", result.status.value,
         f"inputs.invoice.total, {every_line} and results.invoice.tolerance"),
    ):  # fmt: skip
        check.same(f"results.invoice.{figure}", stated.get(figure), value, sources)
    _differing(check, stated, result.differing)


def _lines(
    check: Check, stated: Mapping[str, Any], expected: tuple[Line, ...], priced: str
) -> None:
    shown = {_key(x["kind"], x.get("channel")): x for x in stated.get("expected_lines") or ()}
    for line in expected:
        key = _key(line.kind.value, line.channel)
        stated_amount = shown.pop(key, {}).get("amount")
        check.same(f"results.invoice.expected_lines[{key}]", stated_amount, line.amount,
                   _sources(line, priced))  # fmt: skip
    for key, row in shown.items():
        check.same(f"results.invoice.expected_lines[{key}]", row.get("amount"), None, priced)


def _differing(
    check: Check, stated: Mapping[str, Any], differing: tuple[ComparedLine, ...]
) -> None:
    shown = {_key(x["kind"], x.get("channel")): x for x in stated.get("differing_lines") or ()}
    for line in differing:
        key = _key(line.kind.value, line.channel)
        check.same(
            f"results.invoice.differing_lines[{key}]", shown.pop(key, {}).get("difference"),
            line.difference,
            f"inputs.invoice.lines[{key}] and results.invoice.expected_lines[{key}]",
        )  # fmt: skip
    for key, row in shown.items():
        where = f"inputs.invoice.lines[{key}] and results.invoice.expected_lines[{key}]"
        check.same(f"results.invoice.differing_lines[{key}]", row.get("difference"), None, where)
