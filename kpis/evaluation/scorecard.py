"""A vendor's scorecard over a month range (DOMAIN.md "Reports": vendor scorecard), as plain data.

Every contract of the vendor that runs in the range: each target's month (met, warning, breach,
missing) with the levels it was judged on, each month's charges and credits, the breaches with
the manager's decisions, the chronic flags; a monthly trend and the track-record score
(vendors.domain.track_record) over every target-month of the range. Read from the current
evaluations only, the same rows the SLA report and the dashboard show.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from contracts.models import Contract
from core.catalogue import METRICS
from core.labels import label_of, metric_label
from core.months import add_months
from kpis.evaluation.dispute_selectors import dispute_summary
from kpis.models.disputes import Dispute
from kpis.models.evaluation import Breach, Evaluation, TargetResult
from vendors.domain.track_record import TrackRecord, track_record
from vendors.models import Vendor

# The most months one scorecard covers (a longer range is refused when requested).
MAX_SCORECARD_MONTHS = 36


def scorecard_periods(period_from: date, period_to: date) -> list[date]:
    """The first days of the months from `period_from` to `period_to`, both included."""
    months, month = [], period_from.replace(day=1)
    while month <= period_to:
        months.append(month)
        month = add_months(month, 1)
    return months


@dataclass
class ScorecardContract:
    """One contract's months and target rows within the range."""

    contract: Contract
    periods: list[str]
    months: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    breaches: list[dict[str, Any]] = field(default_factory=list)
    chronic: list[dict[str, Any]] = field(default_factory=list)

    @property
    def statuses(self) -> list[str]:
        """Every judged target-month's status."""
        return [c["status"] for row in self.rows for c in row["cells"] if c["status"]]

    @property
    def credit_total(self) -> Decimal:
        return sum((m["credit_total"] or Decimal(0) for m in self.months), Decimal(0))

    @property
    def credit_waived(self) -> Decimal:
        return sum((m["credit_waived"] or Decimal(0) for m in self.months), Decimal(0))


@dataclass
class Scorecard:
    """The vendor's contracts, the monthly trend and the track record over the range."""

    vendor: Vendor
    period_from: str
    period_to: str
    contracts: list[ScorecardContract]
    trend: list[dict[str, Any]]
    record: TrackRecord


def breach_disputes(breaches: list[Breach]) -> dict[int, Any]:
    """The vendor's statement and the manager's answer per disputed breach id (DOMAIN.md
    "Disputes"), for the scorecard to print beside the decision; one query for all."""
    disputes = Dispute.objects.filter(breach__in=[b.pk for b in breaches]).select_related(
        "opened_by", "decided_by"
    )
    return {d.breach_id: dispute_summary(d) for d in disputes}


def _cell(label: str, r: TargetResult) -> dict[str, Any]:
    return {
        "period": label, "target": r.target_id, "status": r.status, "actual": r.actual,
        "expected": r.expected, "minimum": r.minimum, "critical": r.critical,
        "allocation_percent": r.allocation_percent, "credit": r.credit, "waived": r.waived,
        "chronic": r.chronic, "chronic_rules": [label_of(x) for x in r.chronic_rules],
        "chronic_rule_codes": list(r.chronic_rules),
        "breaches_in_last_6": r.breaches_in_last_6,
        "below_expected_in_last_12": r.below_expected_in_last_12,
    }  # fmt: skip


def _month(label: str, e: Evaluation | None) -> dict[str, Any]:
    if e is None:
        empty = ("charges", "at_risk_percent", "at_risk_amount", "credit_before_cap",
                 "cap_adjustment", "credit_waived", "credit_total", "revision", "id")  # fmt: skip
        return {"period": label, "evaluated": False, **dict.fromkeys(empty)}
    return {
        "period": label, "evaluated": True, "id": e.pk, "revision": e.revision,
        "charges": e.charges, "at_risk_percent": e.at_risk_percent,
        "at_risk_amount": e.at_risk_amount, "credit_before_cap": e.credit_before_cap,
        "cap_adjustment": e.cap_adjustment, "credit_waived": e.credit_waived,
        "credit_total": e.credit_total,
    }  # fmt: skip


def _contract_card(contract: Contract, periods: list[date]) -> ScorecardContract:
    first, last = contract.start_date.replace(day=1), contract.end_date
    mine = [p for p in periods if first <= p <= last]
    labels = [f"{p:%Y-%m}" for p in mine]
    card = ScorecardContract(contract=contract, periods=labels)
    evaluations = {
        e.period: e
        for e in Evaluation.objects.filter(
            contract=contract, is_current=True, period__in=mine
        ).prefetch_related(
            Prefetch("results", queryset=TargetResult.objects.order_by("metric", "channel", "id"))
        )
    }
    rows: dict[int, dict[str, Any]] = {}
    for period, label in zip(mine, labels, strict=True):
        evaluation = evaluations.get(period)
        card.months.append(_month(label, evaluation))
        for r in evaluation.results.all() if evaluation else ():
            row = rows.setdefault(r.lineage_id, {
                "lineage": r.lineage_id, "metric": r.metric, "label": metric_label(r.metric),
                "unit": METRICS[r.metric].unit, "direction": METRICS[r.metric].direction.value,
                "channel": r.channel or None, "critical": r.critical, "cells": {},
            })  # fmt: skip
            row["cells"][label] = _cell(label, r)
            if r.chronic:
                card.chronic.append({"period": label, "row": row, **_cell(label, r)})
    for row in rows.values():
        row["cells"] = [row["cells"].get(p) or {"period": p, "status": None} for p in labels]
    card.rows = sorted(rows.values(), key=lambda r: (r["metric"], r["channel"] or ""))
    breaches = list(
        Breach.objects.filter(contract=contract, period__in=mine)
        .select_related("target", "decided_by")
        .order_by("period", "target__metric", "target__channel", "pk")
    )
    disputes = breach_disputes(breaches)
    card.breaches = [
        {"id": b.pk, "period": f"{b.period:%Y-%m}", "target": b.target_id,
         "metric": b.target.metric, "metric_label": metric_label(b.target.metric),
         "channel": b.target.channel or None, "actual": b.actual, "credit": b.credit,
         "status": b.status, "status_label": b.get_status_display(), "chronic": b.chronic,
         "cleared": b.cleared, "decided_by": b.decided_by.username if b.decided_by else None,
         "decided_at": b.decided_at, "reason": b.reason, "dispute": disputes.get(b.pk)}
        for b in breaches
    ]  # fmt: skip
    return card


def _trend(cards: list[ScorecardContract], periods: list[date]) -> list[dict[str, Any]]:
    """Per month, over every contract: the judged target-months and their rate."""
    trend = []
    for period in periods:
        label = f"{period:%Y-%m}"
        statuses = [
            c["status"] for card in cards for row in card.rows for c in row["cells"]
            if c["period"] == label and c["status"]
        ]  # fmt: skip
        record = track_record(statuses=statuses)
        trend.append({
            "period": label, "judged": record.judged, "met": record.met,
            "warning": record.warning, "breach": record.breach, "missing": record.missing,
            "rate": record.rate,
        })  # fmt: skip
    return trend


def vendor_scorecard(*, vendor: Vendor, period_from: date, period_to: date) -> Scorecard:
    """The vendor's scorecard over the months from `period_from` to `period_to`."""
    periods = scorecard_periods(period_from, period_to)[:MAX_SCORECARD_MONTHS]
    contracts = (
        Contract.objects.filter(vendor=vendor, start_date__lt=add_months(periods[-1], 1),
                                end_date__gte=periods[0])
        .exclude(status=Contract.Status.DRAFT)
        .order_by("reference")
    )  # fmt: skip
    cards = [_contract_card(c, periods) for c in contracts]
    statuses = [s for card in cards for s in card.statuses]
    return Scorecard(
        vendor=vendor, period_from=f"{periods[0]:%Y-%m}", period_to=f"{periods[-1]:%Y-%m}",
        contracts=cards, trend=_trend(cards, periods), record=track_record(statuses=statuses),
    )  # fmt: skip
