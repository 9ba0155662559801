"""Recompute a vendor scorecard (docs/reports.md, kind "scorecard"): every contract month, the
credit totals, the monthly trend and the track-record score."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from reports.domain.verify.common import Check, Difference, number
from reports.domain.verify.sla import month_check
from vendors.domain.track_record import track_record

_MONTH_RESULTS = ("at_risk_amount", "credit_waived", "credit_before_cap", "cap_adjustment",
                  "credit_total")  # fmt: skip


def verify_scorecard(document: Mapping[str, Any]) -> list[Difference]:
    """Recompute every contract month (statuses, credits, cap), each contract's and the vendor's
    credit totals, the monthly trend and the track-record score."""
    check = Check()
    inputs, results = document["inputs"], document["results"]
    stated = {c["reference"]: c for c in results["contracts"]}
    statuses: dict[str, list[str]] = {}
    totals: dict[str, dict[str, Decimal]] = {}
    for contract in inputs["contracts"]:
        ref = contract["reference"]
        shown = stated.get(ref, {"months": [], "totals": {}})
        shown_months = {m["period"]: m for m in shown["months"]}
        total, waived = Decimal(0), Decimal(0)
        for month in contract["months"]:
            if not month["evaluated"]:
                continue
            src = f"inputs.contracts[{ref}].months[{month['period']}]"
            out = f"results.contracts[{ref}].months[{month['period']}]"
            charges = number(month["charges"], f"{src}.charges")
            said = shown_months.get(month["period"]) or dict.fromkeys(_MONTH_RESULTS)
            said.setdefault("targets", [])
            evaluation = month_check(check, inputs=month, results=said, charges=charges, src=src,
                                out=out)  # fmt: skip
            statuses.setdefault(month["period"], []).extend(
                t.status.value for t in evaluation.targets
            )
            if charges is not None:
                total += evaluation.credit_total
                waived += evaluation.credit_waived
        source = f"the months of inputs.contracts[{ref}]"
        check.same(f"results.contracts[{ref}].totals.credit_total",
                   shown["totals"].get("credit_total"), total, source)  # fmt: skip
        check.same(f"results.contracts[{ref}].totals.credit_waived",
                   shown["totals"].get("credit_waived"), waived, source)  # fmt: skip
        line = totals.setdefault(
            contract["currency"], {"credit_total": Decimal(0), "credit_waived": Decimal(0)}
        )
        line["credit_total"] += total
        line["credit_waived"] += waived
    for currency, line in totals.items():
        for key, value in line.items():
            check.same(f"results.totals[{currency}].{key}",
                       results["totals"].get(currency, {}).get(key), value,
                       f"the contracts in {currency}")  # fmt: skip
    trend = {t["period"]: t for t in results["trend"]}
    for period, found in sorted(statuses.items()):
        record = track_record(statuses=found)
        shown_month = trend.get(period, {})
        for key in ("judged", "met", "warning", "breach", "missing", "rate"):
            check.same(f"results.trend[{period}].{key}", shown_month.get(key),
                       getattr(record, key), f"the target-months of {period}")  # fmt: skip
    record = track_record(statuses=[s for found in statuses.values() for s in found])
    shown_record = results["track_record"]
    for key in ("judged", "met", "warning", "breach", "missing", "score"):
        check.same(f"results.track_record.{key}", shown_record.get(key), getattr(record, key),
                   "every recomputed target-month status")  # fmt: skip
    check.same("results.track_record.newcomer", str(shown_record.get("newcomer")),
               str(record.newcomer), "results.track_record.judged")  # fmt: skip
    return check.differences
