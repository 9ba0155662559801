"""Context builder of the ROI report (a contract over a month range; DOMAIN.md "ROI").

The figures are the ROI page's and the API's (kpis.roi.service.contract_roi), the chart is
the page's (roi_savings_line, drawn by core.charts); this module only lays them out with every
input a reader needs to recompute them, and records the evaluation revisions used.
"""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contracts.domain.baseline import BaselineParts
from contracts.models import Contract
from contracts.services.baseline import baseline_parts
from contracts.services.terms import terms_for_month
from core import formatting
from core.catalogue import METRICS
from core.charts import line_chart_of
from core.labels import metric_label
from kpis.roi.service import (
    ContractRoi,
    RoiUnavailable,
    contract_roi,
    roi_data,
    roi_savings_line,
)
from reports.kinds import ReportContent

CSV_HEADER = [
    "period", "inhouse", "charges", "credits", "retained", "outsourced_cost", "savings",
    "cumulative_savings", "earn_back",
]  # fmt: skip


def _month(value: str) -> date:
    return datetime.strptime(value, "%Y-%m").date()


def _revisions(contract: Contract, roi: ContractRoi) -> dict[str, Any]:
    """The stored inputs used: each month's evaluation (id, revision) and the baseline version."""
    baseline = contract.baseline.history.order_by("-history_id").values_list("history_id").first()
    latest = contract.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return {
        "evaluations": {
            e["period"]: {"id": e["id"], "revision": e["revision"]} for e in roi.evaluations
        },  # fmt: skip
        "baseline_history_id": baseline[0] if baseline else None,
        "contract_history_id": latest,
        "months_not_evaluated": list(roi.months_not_evaluated),
        "months_not_priced": list(roi.months_not_priced),
    }


def _retained_by_month(contract: Contract, roi: ContractRoi) -> list[dict[str, Any]]:
    """Runs of months with the same retained management cost (amendments change it)."""
    runs: list[dict[str, Any]] = []
    for month in roi.roi.months:
        terms = terms_for_month(contract, _month(month.period))
        amount = terms.retained_management_monthly
        if runs and runs[-1]["amount"] == amount:
            runs[-1]["to"] = month.period
        else:
            runs.append({"from": month.period, "to": month.period, "amount": amount,
                         "amendments": terms.amendments})  # fmt: skip
    return runs


def _baseline_inputs(parts: BaselineParts | None, roi: ContractRoi) -> dict[str, Any]:
    if parts is None:
        return {"source": "amount", "monthly_amount": roi.baseline.monthly_amount}
    return {"source": "parts", "parts": vars(parts)}


def _inputs(contract: Contract, roi: ContractRoi, parts: BaselineParts | None) -> dict[str, Any]:
    """The attached JSON's inputs and results (docs/reports.md, kind "roi")."""
    b = roi.baseline
    return {
        "inputs": {
            "contract": {"reference": contract.reference, "vendor": contract.vendor.name,
                         "currency": roi.currency},
            "from": roi.period_from,
            "to": roi.period_to,
            "baseline": _baseline_inputs(parts, roi),
            "one_off_fees": roi.one_off_fees,
            "months": [
                {"period": m.period, "charges": m.charges, "credits": m.credits,
                 "retained": m.retained, "earn_back": m.earn_back}
                for m in roi.roi.months
            ],
            "months_not_evaluated": list(roi.months_not_evaluated),
            "months_not_priced": list(roi.months_not_priced),
        },
        "results": {
            "baseline": {
                "lines": [{"label": line.label, "formula": line.formula, "amount": line.amount}
                          for line in b.lines],
                "paid_fte": b.paid_fte, "per_fte_cost": b.per_fte_cost,
                "monthly_amount": b.monthly_amount,
            },
            "months": [vars(m) for m in roi.roi.months],
            "totals": vars(roi.roi.totals),
            "savings_percent": roi.roi.savings_percent,
            "roi_percent": roi.roi.roi_percent,
            "payback_period": roi.roi.payback_period,
        },
    }  # fmt: skip


def baseline_rows(parts: BaselineParts | None, roi: ContractRoi) -> list[dict[str, Any]]:
    """Each baseline part with its formula and the same formula with the inputs written in."""
    if parts is None:
        return []
    amounts = {line.label: line.amount for line in roi.baseline.lines}
    fte, salary = parts.fte, parts.gross_salary

    def n(value: Any) -> str:
        return formatting.number(value, 2 if value % 1 else 0)  # in the report's language

    absent = parts.absenteeism_percent
    per_fte = roi.baseline.per_fte_cost
    worked = {
        "Gross salaries": f"{n(fte)} x {n(salary)}",
        "Employer on-cost": f"{n(fte)} x {n(salary)} x {n(parts.employer_oncost_percent)} %",
        "Facilities": f"{n(fte)} x {n(parts.facilities_per_fte)}",
        "ICT": f"{n(fte)} x {n(parts.ict_per_fte)}",
        "Recruitment and training": f"{n(fte)} x {n(parts.recruitment_training_per_fte)}",
        "Absence cover": f"{n(fte)} x {n(absent)} / (100 - {n(absent)}) x {n(per_fte)}",
        "Management overhead": n(parts.management_overhead),
        "Depreciation": n(parts.depreciation),
    }
    return [
        {"label": line.label, "formula": line.formula, "worked": worked.get(line.label, ""),
         "amount": amounts[line.label]}
        for line in roi.baseline.lines
    ]  # fmt: skip


CHANGE_LABELS = {"better": _("better"), "worse": _("worse"), "same": _("unchanged")}


def kpi_rows(roi: ContractRoi) -> list[dict[str, Any]]:
    """The KPI deltas with the metric's name, its unit and the change in words."""
    return [
        {"metric": metric_label(d.metric), "unit": METRICS[d.metric].unit, "baseline": d.baseline,
         "actual": d.actual, "delta": d.delta,
         "change": CHANGE_LABELS[d.change.value] if d.change else ""}
        for d in roi.kpi_deltas
    ]  # fmt: skip


def build_roi(parameters: Mapping[str, Any]) -> ReportContent:
    """The ROI of the contract over the months, with its chart, inputs and revisions."""
    contract = Contract.objects.select_related("vendor", "baseline").get(pk=parameters["contract"])
    try:
        roi = contract_roi(
            contract=contract,
            period_from=_month(parameters["from"]),
            period_to=_month(parameters["to"]),
        )
    except RoiUnavailable as error:
        raise ValueError(str(error)) from None
    data = roi_data(roi)
    parts = baseline_parts(contract.baseline)
    csv_rows = [[str(m[k]) for k in CSV_HEADER] for m in data["months"]]
    return ReportContent(
        title=gettext("ROI report: %(reference)s, %(from)s to %(to)s")
        % {
            "reference": contract.reference,
            "from": formatting.month(roi.period_from),
            "to": formatting.month(roi.period_to),
        },  # fmt: skip
        template="reports/roi.html",
        context={
            "contract": contract,
            "roi_report": roi,
            "roi": roi.roi,
            "chart": line_chart_of(roi_savings_line(roi)) if roi.roi.months else None,
            "retained_runs": _retained_by_month(contract, roi),
            "evaluations": roi.evaluations,
            "baseline_parts": parts,
            "baseline_rows": baseline_rows(parts, roi),
            "kpi_rows": kpi_rows(roi),
        },
        csv_header=CSV_HEADER,
        csv_rows=csv_rows,
        revisions=_revisions(contract, roi),
        inputs=_inputs(contract, roi, parts),
        file_stem=f"{contract.reference}_ROI_{roi.period_from}_{roi.period_to}",
    )
