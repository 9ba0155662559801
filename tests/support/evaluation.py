"""Builders shared by the evaluation tests: contracts through the domain functions, KPI data
through the real ingestion path."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from contracts.services.baseline import baseline_set
from contracts.services.lifecycle import contract_activate, contract_create
from kpis.evaluation.service import contract_month_evaluate
from kpis.ingestion.service import kpi_upload_create, kpi_upload_ingest
from kpis.models import KpiUpload

D = Decimal
HEADER = "contract,period,channel,metric,value,volume\n"


def target(metric, channel, expected, minimum, allocation="0", critical=True) -> dict:
    return {"metric": metric, "channel": channel, "expected": D(expected), "minimum": D(minimum),
            "critical": critical, "allocation_percent": D(allocation)}  # fmt: skip


# The worked example's contract (DOMAIN.md): 10 EUR per phone contact, so 10,000 contacts are
# EUR 100,000 of charges; four critical targets allocated 30 + 25 + 40 + 35 = 130 %.
WORKED_TARGETS = [
    target("service_level", "phone", "80", "75", "30"),
    target("asa_seconds", "phone", "20", "30", "25"),
    target("abandonment_rate", "phone", "5", "8", "40"),
    target("aht_seconds", "phone", "300", "360", "35"),
    target("csat", "", "85", "80", critical=False),
]


def make_contract(
    vendor,
    *,
    reference: str = "EVAL-NL-01",
    start: date = date(2026, 1, 1),
    end: date = date(2027, 12, 31),
    pricing=None,
    targets=None,
    activate: bool = True,
    user=None,
    **fields,
):
    """A contract made by contract_create (validated like the API's), activated."""
    body = {
        "reference": reference,
        "vendor": vendor,
        "currency": "EUR",
        "start_date": start,
        "end_date": end,
        "pricing": pricing or [{"channel": "phone", "model": "per_contact", "rate": "10"}],
        "one_off_fees": {"setup": "0", "training": "0", "project_management": "0"},
        "monthly_fees": [],
        "minimum_monthly_charge": D(0),
        "at_risk_percent": D(12),
        **fields,
    }
    contract = contract_create(
        fields=body, targets=WORKED_TARGETS if targets is None else targets, user=user
    )
    if activate:
        contract = contract_activate(contract=contract)
    return contract


def set_baseline(contract, amount: str, kpis: dict | None = None):
    return baseline_set(contract=contract, data={"monthly_amount": D(amount), "kpis": kpis or {}})


def report(contract, period: str, rows: dict, user=None) -> KpiUpload:
    """Ingest KPI rows {(channel, metric): value or (value, volume)} for a month."""
    lines = []
    for (channel, metric), figure in rows.items():
        value, volume = figure if isinstance(figure, tuple) else (figure, "")
        lines.append(f"{contract.reference},{period},{channel},{metric},{value},{volume}")
    data = (HEADER + "\n".join(lines) + "\n").encode()
    upload = kpi_upload_create(
        file=ContentFile(data, name="kpis.csv"), name="kpis.csv", user=user,
        source=KpiUpload.Source.COMMAND, queue=False,
    )  # fmt: skip
    kpi_upload_ingest(upload_id=upload.pk)
    upload.refresh_from_db()
    assert upload.status == KpiUpload.Status.DONE, (upload.message, upload.errors)
    return upload


def month_rows(*, sl="82", asa="18", abandon="4", aht="290", csat="88", contacts="10000"):
    """A month of the worked example's phone KPIs; None leaves a metric unreported."""
    rows = {
        ("phone", "service_level"): (sl, "10000"),
        ("phone", "asa_seconds"): (asa, "9000"),
        ("phone", "abandonment_rate"): (abandon, "10000"),
        ("phone", "aht_seconds"): (aht, "9000"),
        ("", "csat"): (csat, "500"),
        ("phone", "contacts_handled"): contacts,
    }
    return {key: value for key, value in rows.items() if value is not None and value[0] is not None}


def evaluate(contract, *periods):
    for period in periods:
        year, month = map(int, period.split("-"))
        contract_month_evaluate(contract=contract, period=date(year, month, 1))


def breached_contract(vendor):
    """Jan-Mar: the service level in breach three times (chronic in March), April unreported."""
    contract = make_contract(vendor, one_off_fees={"setup": "50000", "training": "0",
                                                   "project_management": "0"})  # fmt: skip
    set_baseline(contract, "130000", {"service_level": "75"})
    for period in ("2026-01", "2026-02", "2026-03"):
        report(contract, period, month_rows(sl="70"))
    evaluate(contract, "2026-01", "2026-02", "2026-03", "2026-04")
    return contract
