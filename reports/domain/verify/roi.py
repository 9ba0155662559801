"""Recompute an ROI report (docs/reports.md, kind "roi"): the baseline, each month, the totals,
savings %, ROI % and payback."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from contracts.domain.baseline import BaselineParts, baseline_breakdown
from kpis.roi.arithmetic import MonthFigures, compute_roi
from reports.domain.verify.common import Check, Difference, required


def _baseline(check: Check, inputs: Mapping[str, Any], results: Mapping[str, Any]) -> Decimal:
    stated = inputs["baseline"]
    if stated["source"] == "parts":
        raw = stated["parts"]
        parts = BaselineParts(
            **{k: required(v, f"inputs.baseline.parts.{k}") for k, v in raw.items()}
        )
        breakdown = baseline_breakdown(parts=parts)
        names = "inputs.baseline.parts (" + ", ".join(sorted(raw)) + ")"
    else:
        amount = required(stated["monthly_amount"], "inputs.baseline.monthly_amount")
        breakdown = baseline_breakdown(monthly_amount=amount)
        names = "inputs.baseline.monthly_amount"
    shown = results["baseline"]
    by_label = {line["label"]: line["amount"] for line in shown.get("lines", [])}
    for line in breakdown.lines:
        check.same(f"results.baseline.lines[{line.label}]", by_label.get(line.label),
                   line.amount, names)  # fmt: skip
    for key in ("paid_fte", "per_fte_cost"):
        check.same(f"results.baseline.{key}", shown.get(key), getattr(breakdown, key), names)
    check.same("results.baseline.monthly_amount", shown["monthly_amount"],
               breakdown.monthly_amount, names)  # fmt: skip
    return breakdown.monthly_amount


def verify_roi(document: Mapping[str, Any]) -> list[Difference]:
    """Recompute the baseline, each month, the totals, savings %, ROI % and payback."""
    check = Check()
    inputs, results = document["inputs"], document["results"]
    inhouse = _baseline(check, inputs, results)
    months = [
        MonthFigures(
            period=m["period"], inhouse=inhouse,
            charges=required(m["charges"], f"inputs.months[{m['period']}].charges"),
            credits=required(m["credits"], f"inputs.months[{m['period']}].credits"),
            retained=required(m["retained"], f"inputs.months[{m['period']}].retained"),
            # informative (already in `credits`); absent from reports made before earn-back
            earn_back=(required(m["earn_back"], f"inputs.months[{m['period']}].earn_back")
                       if "earn_back" in m else Decimal(0)),
        )
        for m in inputs["months"]
    ]  # fmt: skip
    fees = {k: required(v, f"inputs.one_off_fees.{k}") for k, v in inputs["one_off_fees"].items()}
    roi = compute_roi(months=months, one_off=sum(fees.values(), Decimal(0)))
    stated_months = {m["period"]: m for m in results["months"]}
    if len(stated_months) != len(roi.months):
        check.same("results.months (count)", len(stated_months), len(roi.months), "inputs.months")
    for row in roi.months:
        stated = stated_months.get(row.period, {})
        month_inputs = f"inputs.months[{row.period}].charges, .credits, .retained and the baseline"
        for key in ("inhouse", "charges", "credits", "retained", "outsourced_cost", "savings",
                    "cumulative_savings"):  # fmt: skip
            check.same(f"results.months[{row.period}].{key}", stated.get(key),
                       getattr(row, key), month_inputs)  # fmt: skip
    for key, value in vars(roi.totals).items():
        if key == "earn_back" and key not in results["totals"]:
            continue  # a report made before earn-back
        source = "inputs.one_off_fees" if key == "one_off" else f"the months' {key}"
        check.same(f"results.totals.{key}", results["totals"].get(key), value, source)
    check.same("results.savings_percent", results["savings_percent"], roi.savings_percent,
               "results.totals.savings and .inhouse")  # fmt: skip
    check.same("results.roi_percent", results["roi_percent"], roi.roi_percent,
               "results.totals.savings and inputs.one_off_fees")  # fmt: skip
    check.same("results.payback_period", results["payback_period"], roi.payback_period,
               "the cumulative savings and inputs.one_off_fees")  # fmt: skip
    return check.differences
