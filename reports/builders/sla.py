"""Context builder of the SLA performance report (a contract month; DOMAIN.md "Evaluation").

Reads the month's current evaluation through kpis.evaluation.selectors.evaluation_detail (the
API's and the month page's reading), the month's breaches with their decisions (a waived one
stays listed) and its chronic flags, and lays out every input and rule behind the credits.
"""

import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from contracts.services.terms import terms_for_month
from core import formatting
from core.catalogue import METRICS
from core.labels import label_of, metric_label
from kpis.evaluation.dispute_selectors import dispute_summary, month_disputes
from kpis.evaluation.history import history_json, lineage_history
from kpis.evaluation.rules import ChronicRule, TargetStatus, chronic_months
from kpis.evaluation.selectors import evaluation_detail
from kpis.models import KpiRawRow, KpiUpload, KpiValue
from kpis.models.evaluation import Breach, ChronicFlag
from reports.builders.sla_invoice import invoice_section, with_invoice
from reports.kinds import ReportContent, SourceFile

STATUS_LABELS = {
    "met": _("met"), "warning": _("warning (below expected)"),
    "breach": _("breach (below minimum)"), "missing": _("missing (not reported)"),
}  # fmt: skip

# What results.pricing states of the stored pricing (report_verify recomputes each of them).
_PRICING_RESULTS = (
    "usage_charge", "monthly_charge", "fixed_fees", "monthly_total", "lines",
    "minimum_monthly_charge", "minimum_applied", "monthly_fees", "band_usage",
)  # fmt: skip

_HOURS_MODELS = ("per_production_hour", "per_fte_month")

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
    return "; ".join(label_of(c) for c in codes)


def _breaches(contract: Contract, period) -> list[dict[str, Any]]:
    rows = Breach.objects.filter(contract=contract, period=period).select_related(
        "target", "decided_by"
    )
    disputes = {
        d.breach_id: dispute_summary(d) for d in month_disputes(contract=contract, period=period)
    }
    return [
        {"breach": b, "metric": metric_label(b.target.metric),
         "channel": b.target.channel or "all",
         "decided_by": b.decided_by.username if b.decided_by else "",
         "dispute": disputes.get(b.pk)}
        for b in rows.order_by("target__metric", "target__channel", "pk")
    ]  # fmt: skip


def _chronic(contract: Contract, period) -> list[dict[str, Any]]:
    flags = ChronicFlag.objects.filter(contract=contract, period=period).select_related("target")
    return [
        {"flag": f, "metric": metric_label(f.target.metric),
         "channel": f.target.channel or "all",
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


def _row_ranges(rows: list[int]) -> str:
    """[2, 3, 4, 9] -> "2-4, 9": the file's row numbers as a spreadsheet shows them."""
    runs: list[list[int]] = []
    for row in sorted(rows):
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def kpi_sources(contract: Contract, period, kpi_values: list[dict]) -> list[dict[str, Any]]:
    """Each KPI value the evaluation read, with the upload it came from and the file's rows."""
    ids = [v["id"] for v in kpi_values if v.get("id")]
    values = KpiValue.objects.filter(pk__in=ids).select_related("upload")
    by_id = {v.pk: v for v in values}
    rows: dict[tuple[int, str, str], list[int]] = {}
    uploads = {v.upload_id for v in values}
    raw = KpiRawRow.objects.filter(contract=contract, period=period, upload__in=uploads)
    for upload_id, channel, metric, row in raw.values_list("upload", "channel", "metric", "row"):
        rows.setdefault((upload_id, channel, metric), []).append(row)
    sources = []
    for v in kpi_values:
        stored = by_id.get(v.get("id"))
        upload = stored.upload if stored else None
        channel = v.get("channel") or ""
        found = rows.get((upload.pk, channel, v["metric"]), []) if upload else []
        sources.append({
            "metric": v["metric"], "metric_label": metric_label(v["metric"]),
            "channel": channel, "value": v.get("value"), "revision": v.get("revision"),
            "volume": stored.volume if stored else None,
            "file": upload.original_name if upload else "",
            "sha256": upload.sha256 if upload else "",
            "uploaded_at": upload.created_at if upload else None,
            "rows": _row_ranges(found), "row_count": len(found),
        })  # fmt: skip
    return sources


def source_files(
    sources: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The uploads the KPI values came from, each once and numbered in order of first use,
    and the values with the number of their file (`source_number`; None without a file)."""
    files: dict[str, dict[str, Any]] = {}
    rows = []
    for v in sources:
        number = None
        if v["file"]:
            found = files.setdefault(v["sha256"] or v["file"], {
                "number": len(files) + 1, "file": v["file"], "sha256": v["sha256"],
                "uploaded_at": v["uploaded_at"],
            })  # fmt: skip
            number = found["number"]
        rows.append({**v, "source_number": number})
    return list(files.values()), rows


SOURCE_MIME_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def source_attachments(files: list[dict[str, Any]]) -> list[SourceFile]:
    """The numbered source files as received, to attach to the PDF (PDF/A-3 /Source). A file
    is attached only when its bytes still give the SHA-256 recorded at upload; otherwise
    `files[n]["attached"]` stays False and the report says so."""
    uploads = {
        u.sha256: u
        for u in KpiUpload.objects.filter(sha256__in=[f["sha256"] for f in files if f["sha256"]])
    }
    attached = []
    for f in files:
        f["attached"] = None
        upload = uploads.get(f["sha256"])
        if upload is None or not upload.file:
            continue
        try:
            with upload.file.open("rb") as handle:
                content = handle.read()
        except OSError:
            continue
        if hashlib.sha256(content).hexdigest() != f["sha256"]:
            continue
        name = f"source-{f['number']}_{f['file']}"
        f["attached"] = name
        attached.append(SourceFile(
            name=name, content=content,
            mime_type=SOURCE_MIME_TYPES.get(PurePath(f["file"]).suffix.lower(),
                                            "application/octet-stream"),
            description=gettext("KPI file %(name)s as received (SHA-256 %(sha256)s)")
            % {"name": f["file"], "sha256": f["sha256"]},
        ))  # fmt: skip
    return attached


def _direction(metric: str) -> str:
    return METRICS[metric].direction.value


def _terms(contract: Contract, period) -> dict[str, Any]:
    """The terms in force that priced the month (amendments applied), as report_verify reads
    them with vendors.domain.terms and vendors.domain.pricing."""
    terms = terms_for_month(contract, period)
    return {
        "currency": terms.currency, "pricing": terms.pricing,
        "monthly_fees": terms.monthly_fees,
        "minimum_monthly_charge": terms.minimum_monthly_charge, "fte_hours": terms.fte_hours,
        "contracted_fte": terms.contracted_fte, "amendments": list(terms.amendments),
        "band_split": terms.band_split,
    }  # fmt: skip


def _histories(contract: Contract, period: date, targets: list[dict]) -> dict[int, list[dict]]:
    """Each target's chronic window before the month (its lineage's statuses in the eleven
    months before, oldest first), as the evaluation read them from the stored evaluations."""
    found = lineage_history([contract.pk], period).get(contract.pk, {})
    return {t["target"]: history_json(found.get(t["lineage"], {}), period) for t in targets}


def _chronic_months(targets: list[dict], histories: dict[int, list[dict]], period: str) -> None:
    """The months behind each chronic target's counts, for the PDF to name them."""
    for t in targets:
        history = histories.get(t["target"], [])
        breaches, below = chronic_months(
            periods=[h["period"] for h in history] + [period],
            statuses=[TargetStatus(h["status"]) if h["status"] else None for h in history]
            + [TargetStatus(t["status"])],
        )
        t["breach_months"] = ", ".join(formatting.short_month(m) for m in breaches)
        t["below_months"] = ", ".join(formatting.short_month(m) for m in below)


def _price_lines(pricing: dict[str, Any]) -> list[dict[str, Any]]:
    """Each priced line; a line scoped by bands with each band's share of the usage it bills
    (the hours share for hours and FTE, the volume share for contacts and minutes)."""
    rows = pricing.get("band_usage") or []
    bands = {(b["channel"], b["band"].strip().casefold()): b for b in rows}
    lines = []
    for line in pricing.get("lines") or []:
        key = "hours_share" if line["model"] in _HOURS_MODELS else "volume_share"
        shares = []
        for band in line.get("bands") or []:
            row = bands.get((line["channel"], band.strip().casefold()))
            if row:
                shares.append({"band": band, "share": row[key]})
        lines.append({**line, "band_shares": shares})
    return lines


def _pricing_results(pricing: dict[str, Any]) -> dict[str, Any]:
    """The stored pricing as the report states it: totals, every line, minimum, fees, bands."""
    return {k: pricing[k] for k in _PRICING_RESULTS if k in pricing}


def _inputs(
    contract: Contract,
    evaluation: dict[str, Any],
    sources: list[dict],
    terms: dict[str, Any],
    histories: dict[int, list[dict]],
) -> dict:
    """The attached JSON's inputs and results (docs/reports.md, kind "sla")."""
    e = evaluation
    pricing = e["pricing"] or {}
    return {
        "inputs": {
            "contract": {"reference": contract.reference, "vendor": contract.vendor.name,
                         "currency": e["currency"], "pool_percent": contract.pool_percent},
            "period": e["period"],
            "charges": e["charges"],
            "terms": terms,
            "at_risk_percent": e["at_risk_percent"],
            "pricing": e["pricing"],
            "usage": e["usage"],
            "targets": [
                {"id": t["target"], "metric": t["metric"], "channel": t["channel"],
                 "direction": _direction(t["metric"]), "expected": t["expected"],
                 "minimum": t["minimum"], "critical": t["critical"],
                 "allocation_percent": t["allocation_percent"], "actual": t["actual"],
                 "waived": t["waived"], "lineage": t["lineage"],
                 "history": histories.get(t["target"], [])}
                for t in e["targets"]
            ],
            "kpi_values": sources,
        },
        "results": {
            "charges": e["charges"],
            "pricing": _pricing_results(pricing),
            "at_risk_amount": e["at_risk_amount"],
            "targets": [
                {"id": t["target"], "status": t["status"], "credit": t["credit"],
                 "chronic": t["chronic"], "chronic_rules": t["chronic_rules"],
                 "breaches_in_last_6": t["breaches_in_last_6"],
                 "below_expected_in_last_12": t["below_expected_in_last_12"]}
                for t in e["targets"]
            ],
            "credit_waived": e["credit_waived"],
            "credit_before_cap": e["credit_before_cap"],
            "cap_adjustment": e["cap_adjustment"],
            "credit_total": e["credit_total"],
        },
    }  # fmt: skip


def build_sla(parameters: Mapping[str, Any]) -> ReportContent:
    """The month's targets, credits, cap, breaches and chronic flags, with every input."""
    contract = Contract.objects.select_related("vendor").get(pk=parameters["contract"])
    period = datetime.strptime(parameters["period"], "%Y-%m").date()
    evaluation = evaluation_detail(contract=contract, period=period)
    if evaluation is None:
        raise ValueError(f"{parameters['period']} has not been evaluated for {contract.reference}.")
    targets = [
        {**t, "chronic_rules_text": _rules(t["chronic_rules"]),
         "status_label": STATUS_LABELS.get(str(t["status"]), t["status"])}
        for t in evaluation["targets"]
    ]  # fmt: skip
    sources = kpi_sources(contract, period, evaluation["kpi_values"])
    files, kpi_rows = source_files(sources)
    attachments = source_attachments(files)  # sets each file's "attached" name
    histories = _histories(contract, period, evaluation["targets"])
    _chronic_months(targets, histories, parameters["period"])
    invoice = invoice_section(contract, period, evaluation)
    return ReportContent(
        title=gettext("SLA performance report: %(reference)s, %(period)s")
        % {"reference": contract.reference, "period": formatting.month(parameters["period"])},
        template="reports/sla.html",
        context={
            "contract": contract,
            "evaluation": evaluation,
            "targets": targets,
            "critical_allocation": sum(t["allocation_percent"] for t in targets if t["critical"]),
            "breaches": _breaches(contract, period),
            "chronic_flags": _chronic(contract, period),
            "chronic_rules": [label_of(r.value) for r in ChronicRule],
            "kpi_sources": kpi_rows,
            "source_files": files,
            "price_lines": _price_lines(evaluation["pricing"] or {}),
            "usage": [
                {k: v for k, v in u.items() if v is not None and v != ""}
                for u in evaluation["usage"]
            ],
            "invoice_section": invoice.context,
        },
        csv_header=CSV_HEADER,
        csv_rows=_csv_rows(targets),
        revisions={**_revisions(evaluation), **invoice.revisions},
        inputs=with_invoice(
            _inputs(contract, evaluation, sources, _terms(contract, period), histories), invoice
        ),
        file_stem=f"{contract.reference}_SLA_{parameters['period']}",
        sources=attachments,
    )
