"""Context builder of the SLA performance report (a contract month; DOMAIN.md "Evaluation").

Reads the month's current evaluation through kpis.evaluation.selectors.evaluation_detail (the
API's and the month page's reading), the month's breaches with their decisions (a waived one
stays listed) and its chronic flags, and lays out every input and rule behind the credits.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from contracts.models import Contract
from kpis.evaluation.rules import ChronicRule
from kpis.evaluation.selectors import evaluation_detail
from kpis.models.evaluation import Breach, ChronicFlag
from reports.kinds import ReportContent

CSV_HEADER = [
    "target", "metric", "channel", "critical", "expected", "minimum", "actual", "status",
    "allocation_percent", "credit", "waived", "chronic", "breach_status",
]  # fmt: skip


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _csv_rows(targets: list[dict[str, Any]]) -> list[list[str]]:
    return [[_text(t[k]) for k in CSV_HEADER] for t in targets]


def _rules(codes: list[str]) -> str:
    return "; ".join(ChronicRule(c).label for c in codes)


def _breaches(contract: Contract, period) -> list[dict[str, Any]]:
    rows = Breach.objects.filter(contract=contract, period=period).select_related(
        "target", "decided_by"
    )
    return [
        {"breach": b, "metric": b.target.metric, "channel": b.target.channel or "all",
         "decided_by": b.decided_by.username if b.decided_by else ""}
        for b in rows.order_by("target__metric", "target__channel", "pk")
    ]  # fmt: skip


def _chronic(contract: Contract, period) -> list[dict[str, Any]]:
    flags = ChronicFlag.objects.filter(contract=contract, period=period).select_related("target")
    return [
        {"flag": f, "metric": f.target.metric, "channel": f.target.channel or "all",
         "rules": _rules(f.rules)}
        for f in flags.order_by("target__metric", "target__channel", "pk")
    ]  # fmt: skip


def _revisions(evaluation: dict[str, Any]) -> dict[str, Any]:
    """The evaluation revision used and the KPI value revisions it read."""
    return {
        "evaluation": {"id": evaluation["id"], "revision": evaluation["revision"]},
        "kpi_values": {
            f"{v.get('metric')}/{v.get('channel') or 'all'}": v.get("revision")
            for v in evaluation["kpi_values"]
        },
        "amendments": list(evaluation["amendments"]),
    }


def build_sla(parameters: Mapping[str, Any]) -> ReportContent:
    """The month's targets, credits, cap, breaches and chronic flags, with every input."""
    contract = Contract.objects.select_related("vendor").get(pk=parameters["contract"])
    period = datetime.strptime(parameters["period"], "%Y-%m").date()
    evaluation = evaluation_detail(contract=contract, period=period)
    if evaluation is None:
        raise ValueError(f"{parameters['period']} has not been evaluated for {contract.reference}.")
    targets = [
        {**t, "chronic_rules_text": _rules(t["chronic_rules"])} for t in evaluation["targets"]
    ]
    return ReportContent(
        title=f"SLA performance report: {contract.reference}, {parameters['period']}",
        template="reports/sla.html",
        context={
            "contract": contract,
            "evaluation": evaluation,
            "targets": targets,
            "critical_allocation": sum(t["allocation_percent"] for t in targets if t["critical"]),
            "breaches": _breaches(contract, period),
            "chronic_flags": _chronic(contract, period),
            "chronic_rules": [r.label for r in ChronicRule],
        },
        csv_header=CSV_HEADER,
        csv_rows=_csv_rows(targets),
        revisions=_revisions(evaluation),
    )
