"""Recompute a vendor scorecard (docs/reports.md, kind "scorecard"): every contract month (its
chronic flags too), the credit totals, the monthly trend and the track-record score."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from core.months import add_months
from kpis.evaluation.rules import CHRONIC_WINDOW, MonthEvaluation, TargetStatus
from reports.domain.verify.common import Check, Difference, number
from reports.domain.verify.sla import History, month_check, status_of
from vendors.domain.track_record import track_record

_MONTH_RESULTS = ("at_risk_amount", "credit_waived", "credit_before_cap", "cap_adjustment",
                  "credit_total")  # fmt: skip


class _Lineages:
    """Each target lineage's statuses month by month, for its chronic windows: the months
    before the range as `history_before` states them, the months in the range as recomputed."""

    def __init__(self, contract: Mapping[str, Any], ref: str) -> None:
        self.ref = ref
        self.known = "history_before" in contract  # absent from reports made before it was
        self.statuses: dict[Any, dict[str, TargetStatus | None]] = {}
        for entry in contract.get("history_before") or []:
            where = f"inputs.contracts[{ref}].history_before[{entry['lineage']}]"
            self.statuses[entry["lineage"]] = {
                str(h["period"]): status_of(h["status"], f"{where}[{h['period']}]")
                for h in entry["months"]
            }

    def windows(self, month: Mapping[str, Any]) -> dict[int, History] | None:
        """The eleven months before `month` of each of its targets' lineages, oldest first."""
        if not self.known:
            return None
        period = str(month["period"])
        first = date(int(period[:4]), int(period[5:7]), 1)
        before = [f"{add_months(first, -k):%Y-%m}" for k in range(CHRONIC_WINDOW - 1, 0, -1)]
        found: dict[int, History] = {}
        for t in month["targets"]:
            if "lineage" not in t:
                continue
            known = self.statuses.get(t["lineage"], {})
            source = (f"inputs.contracts[{self.ref}].history_before[{t['lineage']}] and the "
                      f"recomputed statuses of lineage {t['lineage']} from {before[0]} to "
                      f"{before[-1]}")  # fmt: skip
            found[t["id"]] = ([known.get(p) for p in before], source)
        return found

    def record(self, month: Mapping[str, Any], evaluation: MonthEvaluation) -> None:
        """The month's recomputed statuses join their lineages' histories."""
        lineage = {t["id"]: t.get("lineage") for t in month["targets"]}
        for result in evaluation.targets:
            if lineage.get(result.target_id) is not None:
                line = self.statuses.setdefault(lineage[result.target_id], {})
                line[str(month["period"])] = result.status


def verify_scorecard(document: Mapping[str, Any]) -> list[Difference]:
    """Recompute every contract month (statuses, credits, cap, chronic flags), each contract's
    and the vendor's credit totals, the monthly trend and the track-record score."""
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
        lineages = _Lineages(contract, ref)
        for month in sorted(contract["months"], key=lambda m: str(m["period"])):
            if not month["evaluated"]:
                continue
            src = f"inputs.contracts[{ref}].months[{month['period']}]"
            out = f"results.contracts[{ref}].months[{month['period']}]"
            charges = number(month["charges"], f"{src}.charges")
            said = shown_months.get(month["period"]) or dict.fromkeys(_MONTH_RESULTS)
            said.setdefault("targets", [])
            evaluation = month_check(check, inputs=month, results=said, charges=charges, src=src,
                                     out=out, history=lineages.windows(month))  # fmt: skip
            lineages.record(month, evaluation)
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
