"""Builders shared by the report tests and bench/bench_reports.py (no tests here).

The contract is DOMAIN.md's worked example: 10 EUR per phone contact, 10,000 contacts a month
(charges EUR 100,000), 12 % at risk, targets allocated 30 % (service level), 25 % (ASA),
40 % (abandonment) and 35 % (AHT), a key measurement (CSAT); in-house baseline 130,000 a
month, retained management 2,500 a month, one-off fees 40,000 + 15,000 + 5,000.
"""

import csv
import io
import json
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile

from kpis.evaluation.service import add_months, contract_month_evaluate
from kpis.ingestion.service import kpi_upload_create, kpi_upload_ingest
from kpis.models import KpiUpload
from tests.support.evaluation import HEADER, make_contract, month_rows, set_baseline

D = Decimal
START = date(2026, 1, 1)


def roi_contract(vendor, *, reference: str = "RPT-NL-01", years: int = 3):
    """The worked example's contract over `years`, with its baseline and fees."""
    contract = make_contract(
        vendor, reference=reference, start=START, end=date(2026 + years - 1, 12, 31),
        retained_management_monthly=D("2500"),
        one_off_fees={"setup": "40000", "training": "15000", "project_management": "5000"},
    )  # fmt: skip
    set_baseline(contract, "130000")
    return contract


def report_months(contract, months: dict[str, dict]) -> KpiUpload:
    """Ingest {period: month_rows(...)} in one KPI file, through the real ingestion path."""
    lines = []
    for period, rows in months.items():
        for (channel, metric), figure in rows.items():
            value, volume = figure if isinstance(figure, tuple) else (figure, "")
            lines.append(f"{contract.reference},{period},{channel},{metric},{value},{volume}")
    upload = kpi_upload_create(
        file=ContentFile((HEADER + "\n".join(lines) + "\n").encode(), name="kpis.csv"),
        name="kpis.csv", user=None, source=KpiUpload.Source.COMMAND, queue=False,
    )  # fmt: skip
    kpi_upload_ingest(upload_id=upload.pk)
    upload.refresh_from_db()
    assert upload.status == KpiUpload.Status.DONE, (upload.message, upload.errors)
    return upload


def periods(count: int) -> list[str]:
    return [f"{add_months(START, i):%Y-%m}" for i in range(count)]


def evaluate_months(contract, labels: list[str]) -> None:
    for label in labels:
        year, month = map(int, label.split("-"))
        contract_month_evaluate(contract=contract, period=date(year, month, 1))


def plain_months(contract, count: int, breaches: dict[str, dict] | None = None) -> list[str]:
    """`count` months from the start: all met except the given {period: month_rows kwargs}."""
    labels = periods(count)
    report_months(contract, {p: month_rows(**(breaches or {}).get(p, {})) for p in labels})
    evaluate_months(contract, labels)
    return labels


def pdf_text(
    data: bytes, *, first: int | None = None, last: int | None = None, layout: bool = True
) -> str:
    """The PDF's text as poppler reads it: laid out as on the page, or (`layout=False`) in
    reading order, each table cell's text in one piece."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    mode = ["-layout"] if layout else []
    return subprocess.run(
        ["pdftotext", *mode, *pages, "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def pdf_pages(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    line = next(x for x in info.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def attached_csv(data: bytes, tmp_path: Path) -> list[dict[str, str]]:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    out = tmp_path / "attached"
    out.mkdir()
    subprocess.run(["pdfdetach", "-saveall", "-o", str(out), str(path)], check=True)
    (found,) = out.glob("*_figures.csv")  # not the KPI source file attached beside it
    return list(csv.DictReader(io.StringIO(found.read_text())))


def attached_inputs(data: bytes, tmp_path: Path) -> dict:
    """The attached inputs JSON, as poppler's pdfdetach (not our code) extracts it."""
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    out = tmp_path / "attached-json"
    out.mkdir(exist_ok=True)
    subprocess.run(["pdfdetach", "-saveall", "-o", str(out), str(path)], check=True)
    (found,) = out.glob("*_inputs.json")
    return json.loads(found.read_text(encoding="utf-8"))


def verify_json(document: dict, path: Path) -> tuple[bool, str]:
    """`manage.py report_verify FILE.json --json` on `document`, written to `path` (a file, or
    `inputs.json` in a folder): whether it said "match", and what it printed."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    target = path / "inputs.json" if path.is_dir() else path
    target.write_text(json.dumps(document), encoding="utf-8")
    out = io.StringIO()
    try:
        call_command("report_verify", str(target), "--json", stdout=out)
    except CommandError as error:
        return False, out.getvalue() + str(error)
    return True, out.getvalue()


def rendered(kind: str, user, **parameters):
    """Request a report of `kind` as `user` and render it through the task's function."""
    from reports.models import Report
    from reports.services.rendering import report_render, report_request

    report = report_request(kind=kind, parameters=parameters, user=user)
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    return report


def detached(data: bytes, tmp_path: Path, suffix: str) -> bytes:
    """The attached file whose name ends with `suffix`, as poppler's pdfdetach (not our code)
    extracts it."""
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    out = tmp_path / "detached"
    out.mkdir(exist_ok=True)
    subprocess.run(["pdfdetach", "-saveall", "-o", str(out), str(path)], check=True)
    (found,) = out.glob(f"*{suffix}")
    return found.read_bytes()
