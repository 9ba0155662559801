"""Recompute an SLA report (docs/reports.md, kind "sla") and the contract months of a
scorecard: the charges from the terms and usage, each target's status and credit, the at-risk
amount, the cap and the total."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from core.catalogue import Direction
from core.channels import Channel
from core.money import cents
from kpis.evaluation.rules import MonthEvaluation, TargetInput, evaluate_month
from reports.domain.verify.common import Check, Difference, UnreadableInputs, number, required
from reports.domain.verify.invoice import invoice_check
from vendors.domain.pricing import ChannelUsage, PricingError, price_usage
from vendors.domain.terms import TermsError, price_list_from_terms


def _targets(rows: Any, where: str) -> list[TargetInput]:
    return [
        TargetInput(
            id=t["id"], metric=t["metric"], channel=t["channel"],
            direction=Direction(t["direction"]),
            expected=required(t["expected"], f"{where}[{t['id']}].expected"),
            minimum=required(t["minimum"], f"{where}[{t['id']}].minimum"),
            critical=bool(t["critical"]),
            allocation_percent=required(t["allocation_percent"],
                                    f"{where}[{t['id']}].allocation_percent"),
            actual=number(t["actual"], f"{where}[{t['id']}].actual"), waived=bool(t["waived"]),
        )
        for t in rows
    ]  # fmt: skip


def month_check(
    check: Check,
    *,
    inputs: Mapping[str, Any],
    results: Mapping[str, Any],
    charges: Decimal | None,
    src: str,
    out: str,
) -> MonthEvaluation:
    """Recompute one contract month (statuses, credits, cap) and compare with `results`.

    `src` and `out` name where the month's inputs and results sit in the document."""
    targets = _targets(inputs["targets"], f"{src}.targets")
    at_risk_percent = required(inputs["at_risk_percent"], f"{src}.at_risk_percent")
    stated = {t["id"]: t for t in results["targets"]}
    # A month that could not be priced: statuses only, no money (DOMAIN.md).
    evaluation = evaluate_month(charges=charges if charges is not None else Decimal(0),
                                at_risk_percent=at_risk_percent, targets=targets)  # fmt: skip
    for result in evaluation.targets:
        name = f"{src}.targets[{result.target_id}] ({result.metric})"
        shown = stated.get(result.target_id, {})
        check.same(
            f"{out}.targets[{result.target_id}].status",
            shown.get("status"),
            result.status.value,
            f"{name}.actual, .expected, .minimum, .direction",
        )
        if charges is not None:
            check.same(
                f"{out}.targets[{result.target_id}].credit",
                shown.get("credit"),
                result.credit,
                f"{name}.allocation_percent and the at-risk amount",
            )
    if charges is not None:
        money = f"{src}.charges and {src}.at_risk_percent"
        check.same(f"{out}.at_risk_amount", results["at_risk_amount"],
                   evaluation.at_risk_amount, money)  # fmt: skip
        for key in ("credit_waived", "credit_before_cap", "cap_adjustment", "credit_total"):
            check.same(
                f"{out}.{key}",
                results[key],
                getattr(evaluation, key),
                f"the targets' credits, {src}.targets[].waived and the at-risk amount",
            )
    return evaluation


def _usage(rows: Any) -> list[ChannelUsage]:
    def q(row: Mapping[str, Any], key: str) -> Decimal:
        return number(row.get(key), f"inputs.usage[{row['channel']}].{key}") or Decimal(0)

    return [
        ChannelUsage(
            channel=Channel(u["channel"]), contacts=q(u, "contacts"),
            handled_minutes=q(u, "handled_minutes"), production_hours=q(u, "production_hours"),
            fte=number(u.get("fte"), f"inputs.usage[{u['channel']}].fte"),
        )
        for u in rows
    ]  # fmt: skip


def _charges(check: Check, inputs: Mapping[str, Any], results: Mapping[str, Any]) -> Decimal:
    """The month's charges from the contract's terms and the month's usage (vendors.domain)."""
    terms = inputs["terms"]
    try:
        price_list = price_list_from_terms(
            currency=terms["currency"], pricing=terms["pricing"],
            one_off_fees=terms.get("one_off_fees"), monthly_fees=terms["monthly_fees"],
            minimum_monthly_charge=terms["minimum_monthly_charge"],
        )  # fmt: skip
        breakdown = price_usage(
            price_list=price_list, usage=_usage(inputs["usage"]),
            fte_hours=required(terms["fte_hours"], "inputs.terms.fte_hours"),
            month=int(str(inputs["period"])[5:7]),
        )  # fmt: skip
    except (TermsError, PricingError) as error:
        raise UnreadableInputs(f"inputs.terms and inputs.usage cannot be priced: {error}") from None
    charges = cents(breakdown.quoted.monthly_total)
    priced = "inputs.terms (pricing, monthly fees, minimum, FTE hours), inputs.usage and the month"
    stated = results.get("pricing") or {}
    for key in ("usage_charge", "monthly_charge", "fixed_fees", "monthly_total"):
        if key in stated:
            check.same(f"results.pricing.{key}", stated[key], getattr(breakdown.quoted, key),
                       priced)  # fmt: skip
    check.same("results.charges", results.get("charges", inputs["charges"]), charges, priced)
    return charges


def verify_sla(document: Mapping[str, Any]) -> list[Difference]:
    """Recompute the charges (when the terms are attached), each target's status and credit,
    the at-risk amount, the cap and the total."""
    check = Check()
    inputs, results = document["inputs"], document["results"]
    charges = number(inputs["charges"], "inputs.charges")
    if charges is not None and "terms" in inputs:
        charges = _charges(check, inputs, results)
    month_check(check, inputs=inputs, results=results, charges=charges, src="inputs", out="results")
    invoice_check(check, inputs=inputs, results=results)  # the month's invoice, when recorded
    return check.differences
