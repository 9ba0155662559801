"""Context builder of the vendor scorecard (a vendor over a month range; DOMAIN.md "Reports").

The figures are kpis.evaluation.scorecard.vendor_scorecard's (the current evaluations, as the
SLA report and the dashboard read them); this lays them out with every input a reader needs to
recompute each target-month's status, each credit, the totals and the track-record score.
"""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core import formatting
from core.catalogue import METRICS
from core.charts import line_chart
from core.labels import label_of
from core.money import two_places
from kpis.evaluation.history import history_json, lineage_history
from kpis.evaluation.rules import ChronicRule
from kpis.evaluation.scorecard import Scorecard, ScorecardContract, vendor_scorecard
from reports.builders.sla import STATUS_LABELS
from reports.kinds import ReportContent
from vendors.domain.track_record import MIN_JUDGED
from vendors.models import Vendor

CSV_HEADER = [
    "contract", "period", "target", "metric", "channel", "critical", "direction", "expected",
    "minimum", "actual", "status", "allocation_percent", "credit", "waived", "chronic",
]  # fmt: skip

# The grid prints this many months side by side; a longer range continues below.
GRID_MONTHS = 12
# One letter per status in the grid, as the legend below it names them in the reader's language.
STATUS_SHORT = {
    "met": "✓",
    "warning": pgettext_lazy("scorecard grid letter of 'warning'", "W"),
    "breach": pgettext_lazy("scorecard grid letter of 'breach'", "B"),
    "missing": pgettext_lazy("scorecard grid letter of 'missing'", "M"),
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _csv_rows(score: Scorecard) -> list[list[str]]:
    rows = []
    for card in score.contracts:
        for row in card.rows:
            for c in row["cells"]:
                if c["status"] is None:
                    continue
                rows.append([_text(x) for x in (
                    card.contract.reference, c["period"], c["target"], row["metric"],
                    row["channel"], c["critical"], row["direction"], c["expected"], c["minimum"],
                    c["actual"], c["status"], c["allocation_percent"], c["credit"], c["waived"],
                    c["chronic"],
                )])  # fmt: skip
    return sorted(rows, key=lambda r: (r[0], r[1], r[3], r[4], r[2]))


def _month_targets(card: ScorecardContract, period: str) -> list[tuple[dict, dict]]:
    return [
        (row, c) for row in card.rows for c in row["cells"]
        if c["period"] == period and c["status"] is not None
    ]  # fmt: skip


def _history_before(card: ScorecardContract, first: date) -> list[dict[str, Any]]:
    """Each target lineage's chronic window before the range: its statuses in the eleven months
    before the first month, oldest first, as the evaluations of those months read them."""
    found = lineage_history([card.contract.pk], first).get(card.contract.pk, {})
    return [
        {"lineage": row["lineage"], "months": history_json(found.get(row["lineage"], {}), first)}
        for row in card.rows
    ]


def _contract_inputs(card: ScorecardContract, first: date) -> dict[str, Any]:
    c = card.contract
    return {
        "reference": c.reference, "currency": c.currency, "start_date": c.start_date,
        "end_date": c.end_date,
        "months": [
            {"period": m["period"], "evaluated": m["evaluated"], "charges": m["charges"],
             "at_risk_percent": m["at_risk_percent"],
             "targets": [
                 {"id": x["target"], "metric": row["metric"], "channel": row["channel"],
                  "direction": row["direction"], "expected": x["expected"],
                  "minimum": x["minimum"], "critical": x["critical"],
                  "allocation_percent": x["allocation_percent"], "actual": x["actual"],
                  "waived": x["waived"], "lineage": row["lineage"]}
                 for row, x in _month_targets(card, m["period"])
             ]}
            for m in card.months
        ],
        "history_before": _history_before(card, first),
        "breaches": [
            {k: b[k] for k in ("period", "target", "metric", "channel", "actual", "credit",
                               "status", "decided_by", "decided_at", "reason", "cleared",
                               "dispute")}
            for b in card.breaches
        ],
    }  # fmt: skip


def _contract_results(card: ScorecardContract) -> dict[str, Any]:
    return {
        "reference": card.contract.reference,
        "months": [
            {"period": m["period"], "at_risk_amount": m["at_risk_amount"],
             "credit_waived": m["credit_waived"], "credit_before_cap": m["credit_before_cap"],
             "cap_adjustment": m["cap_adjustment"], "credit_total": m["credit_total"],
             "targets": [{"id": x["target"], "status": x["status"], "credit": x["credit"],
                          "chronic": x["chronic"], "chronic_rules": x["chronic_rule_codes"],
                          "breaches_in_last_6": x["breaches_in_last_6"],
                          "below_expected_in_last_12": x["below_expected_in_last_12"]}
                         for _row, x in _month_targets(card, m["period"])]}
            for m in card.months if m["evaluated"]
        ],
        "totals": {"credit_total": card.credit_total, "credit_waived": card.credit_waived},
    }  # fmt: skip


def _inputs(score: Scorecard) -> dict[str, Any]:
    """The attached JSON's inputs and results (docs/reports.md, kind "scorecard")."""
    r = score.record
    first = datetime.strptime(score.period_from, "%Y-%m").date()
    return {
        "inputs": {
            "vendor": {"id": score.vendor.pk, "name": score.vendor.name},
            "from": score.period_from, "to": score.period_to,
            "contracts": [_contract_inputs(card, first) for card in score.contracts],
        },
        "results": {
            "contracts": [_contract_results(card) for card in score.contracts],
            "trend": [{k: t[k] for k in ("period", "judged", "met", "warning", "breach",
                                         "missing", "rate")}
                      for t in score.trend],
            "track_record": {"judged": r.judged, "met": r.met, "warning": r.warning,
                             "breach": r.breach, "missing": r.missing, "newcomer": r.newcomer,
                             "score": r.score},
            "totals": _totals(score),
        },
    }  # fmt: skip


def _totals(score: Scorecard) -> dict[str, dict[str, Decimal]]:
    """Credits over every contract, per currency (contracts may be priced in different ones)."""
    totals: dict[str, dict[str, Decimal]] = {}
    for card in score.contracts:
        line = totals.setdefault(
            card.contract.currency, {"credit_total": Decimal(0), "credit_waived": Decimal(0)}
        )
        line["credit_total"] += card.credit_total
        line["credit_waived"] += card.credit_waived
    return totals


def _revisions(score: Scorecard) -> dict[str, Any]:
    return {
        card.contract.reference: {
            m["period"]: {"id": m["id"], "revision": m["revision"]}
            for m in card.months if m["evaluated"]
        }
        for card in score.contracts
    }  # fmt: skip


def _grid(card: ScorecardContract) -> list[dict[str, Any]]:
    """The status grid in blocks of GRID_MONTHS months (one table each)."""
    blocks = []
    for start in range(0, len(card.periods), GRID_MONTHS):
        periods = card.periods[start : start + GRID_MONTHS]
        blocks.append({
            "periods": periods,
            "rows": [
                {"row": row, "cells": [
                    {**c, "short": str(STATUS_SHORT.get(c["status"] or "", ""))}
                    for c in row["cells"] if c["period"] in periods]}
                for row in card.rows
            ],
        })  # fmt: skip
    return blocks


def _details(card: ScorecardContract) -> list[dict[str, Any]]:
    """Each judged target-month with its levels, status and credit, month by month."""
    return [
        {"period": m["period"], "month": m, "targets": [
            {"row": row, "cell": x, "status_label": STATUS_LABELS.get(str(x["status"]))}
            for row, x in _month_targets(card, m["period"])]}
        for m in card.months
    ]  # fmt: skip


def _chart(score: Scorecard) -> str | None:
    if not any(t["rate"] is not None for t in score.trend):
        return None
    return line_chart(
        title=_("Performance by month (%)"),
        x_labels=[formatting.short_month(t["period"]) for t in score.trend],
        series=[(_("100 x (met + 0.5 x warning) / judged"),
                 [None if t["rate"] is None else two_places(t["rate"]) for t in score.trend])],
    )  # fmt: skip


def build_scorecard(parameters: Mapping[str, Any]) -> ReportContent:
    """The vendor's targets month by month, credits, chronic flags, trend and track record."""
    vendor = Vendor.objects.get(pk=parameters["vendor"])
    score = vendor_scorecard(
        vendor=vendor,
        period_from=datetime.strptime(parameters["from"], "%Y-%m").date(),
        period_to=datetime.strptime(parameters["to"], "%Y-%m").date(),
    )
    cards = [
        {"card": card, "grid": _grid(card), "details": _details(card),
         "evaluated": sum(1 for m in card.months if m["evaluated"])}
        for card in score.contracts
    ]  # fmt: skip
    stem = "".join(ch if ch.isalnum() else "-" for ch in vendor.name).strip("-")
    return ReportContent(
        title=_("Vendor scorecard: %(vendor)s, %(start)s to %(end)s")
        % {
            "vendor": vendor.name,
            "start": formatting.month(score.period_from),
            "end": formatting.month(score.period_to),
        },  # fmt: skip
        template="reports/scorecard.html",
        context={
            "vendor": vendor,
            "score": score,
            "record": score.record,
            "min_judged": MIN_JUDGED,
            "cards": cards,
            "chart": _chart(score),
            "chronic_rules": [label_of(r.value) for r in ChronicRule],
            "metrics": METRICS,
            "breach_count": sum(len(c.breaches) for c in score.contracts),
            "chronic_count": sum(len(c.chronic) for c in score.contracts),
            "totals": sorted(_totals(score).items()),
        },
        csv_header=CSV_HEADER,
        csv_rows=_csv_rows(score),
        revisions=_revisions(score),
        inputs=_inputs(score),
        file_stem=f"VENDOR-{stem}_SCORECARD_{score.period_from}_{score.period_to}",
    )
