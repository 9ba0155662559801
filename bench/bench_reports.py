"""Time a 36-month ROI report end to end: budget 3 s and 1 MB.

Run (PostgreSQL, a throwaway database `<name>_bench` is created and dropped):
  DJANGO_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/bposla \\
    .venv/bin/python bench/bench_reports.py [MONTHS, default 36]
Without DATABASE_URL it runs on SQLite. The baseline is a bare WeasyPrint render (no PDF/A,
no attachment) of the same HTML, measured in the same run, so the ratio says what reading the
evaluations, the template, the archival PDF/A-3b with its CSV and storing the row add on
whatever machine this runs.
"""

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402
import time_machine  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

MONTHS = int(sys.argv[1]) if len(sys.argv) > 1 else 36
BUDGET_SECONDS = 3.0
BUDGET_BYTES = 1024 * 1024
RUNS = 5


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one run (a loaded machine stretches wall time, not CPU)."""
    started, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - started, time.process_time() - cpu


def interleaved(runs: int, works: dict[str, Callable[[], object]]) -> dict[str, tuple]:
    """The best (wall, CPU) of each work, run in turn so that load changes hit them alike."""
    best: dict[str, tuple[float, float]] = {}
    for _ in range(runs):
        for name, work in works.items():
            wall, cpu = timed(work)
            old = best.get(name, (wall, cpu))
            best[name] = (min(old[0], wall), min(old[1], cpu))
    return best


def build_contract():
    """The worked example's contract, MONTHS months ingested and evaluated, a few breaches."""
    from tests.support.factories import UserFactory, VendorFactory
    from tests.support.reports import plain_months, roi_contract

    years = (MONTHS + 11) // 12
    contract = roi_contract(VendorFactory(name="Bench CX"), reference="BENCH-01", years=years)
    # KPI files may not report a month that has not happened yet: the data is ingested (and the
    # report rendered) on a day after the last month, whatever day the benchmark runs.
    breaches = {f"{2026 + m // 12}-{m % 12 + 1:02d}": {"sl": "70"} for m in range(2, MONTHS, 5)}
    labels = plain_months(contract, MONTHS, breaches)
    return contract, labels, UserFactory(username="bench-auditor", role="auditor")


def measure() -> None:
    """Fill the database, then time the report and the bare WeasyPrint render of its HTML."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from reports.kinds import kind_get
    from reports.models import Report
    from reports.pdf import PdfAttachment, PdfIdentity, html_to_pdf
    from reports.services.rendering import (
        _stable_ids,
        figures_csv,
        inputs_document,
        inputs_json,
        report_render,
    )

    base = str(settings.BASE_DIR)

    started = time.perf_counter()
    contract, labels, user = build_contract()
    print(f"  filled {MONTHS} evaluated months in {time.perf_counter() - started:.1f} s")
    parameters = {"contract": contract.pk, "reference": contract.reference,
                  "from": labels[0], "to": labels[-1]}  # fmt: skip
    report = Report.objects.create(kind="roi", parameters=parameters, created_by=user)
    content = kind_get("roi").build(parameters)
    inputs = inputs_json(inputs_document(report, content))
    html = _stable_ids(render_to_string(content.template, {
        **content.context, "report": report, "title": content.title,
        "revisions": content.revisions, "inputs_name": "inputs.json",
        "inputs_sha256": "0" * 64, "csv_name": "figures.csv"}))  # fmt: skip
    attachments = [
        PdfAttachment(name="figures.csv", content=figures_csv(content), mime_type="text/csv"),
        PdfAttachment(name="inputs.json", content=inputs, mime_type="application/json"),
    ]
    identity = PdfIdentity(created=report.created_at, identifier="0" * 32)
    rendered: list[int] = []

    def full() -> None:
        row = Report.objects.create(kind="roi", parameters=parameters, created_by=user)
        report_render(report_id=row.pk)
        rendered.append(row.pk)

    best = interleaved(RUNS, {
        "full": full,
        "build": lambda: kind_get("roi").build(parameters),
        "archival": lambda: html_to_pdf(
            html=html, base_url=base, attachments=attachments, identity=identity
        ),
        "bare": lambda: HTML(string=html, base_url=base).write_pdf(),
    })  # fmt: skip
    report = Report.objects.get(pk=rendered[-1])
    assert report.status == Report.Status.DONE, report.error
    (elapsed, elapsed_cpu), (bare, bare_cpu) = best["full"], best["bare"]
    verdict = "within" if elapsed <= BUDGET_SECONDS else "OVER"
    size_verdict = "within" if report.size <= BUDGET_BYTES else "OVER"
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"  bare WeasyPrint of the same HTML (baseline): {bare:.3f} s (CPU {bare_cpu:.3f} s)")
    for name, label in (
        ("build", "context builder alone (contract_roi, chart, revisions)"),
        ("archival", "html_to_pdf of the same HTML (PDF/A-3b + CSV + inputs JSON)"),
    ):
        wall, cpu = best[name]
        print(f"  {label}: {wall:.3f} s (CPU {cpu:.3f} s)")  # fmt: skip
    print(f"  ROI report, {MONTHS} months, whole rendering (report_render): {elapsed:.3f} s "
          f"(CPU {elapsed_cpu:.3f} s; budget {BUDGET_SECONDS} s, {verdict}); "
          f"x{elapsed / bare:.2f} the baseline (CPU x{elapsed_cpu / bare_cpu:.2f})")  # fmt: skip
    print(f"  PDF/A-3b size {report.size / 1024:.0f} KiB (budget 1024 KiB, {size_verdict}); "
          f"HTML {len(html) / 1024:.0f} KiB")  # fmt: skip


def main() -> None:
    """Create a throwaway database and media folder, measure, drop them."""
    setup_test_environment()
    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["NAME"] = f"{database['NAME']}_bench_reports"
    if connection.vendor == "sqlite":
        database["TEST"]["NAME"] = None  # in memory
    creation = connection.creation
    original = database["NAME"]
    test_name = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"ROI report through the database ({connection.vendor}, {test_name}):")
    try:
        after_the_term = datetime(2026 + (MONTHS + 11) // 12, 1, 15, 9, 0, tzinfo=UTC)
        with tempfile.TemporaryDirectory() as media, time_machine.travel(after_the_term, tick=True):
            settings.MEDIA_ROOT = media
            measure()
    finally:
        creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
