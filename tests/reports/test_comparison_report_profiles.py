"""The comparison report of a seasonal, banded event: monthly figures, staffing and shortfalls."""

import csv
import io
import subprocess

import pytest

from reports.models import Report
from reports.services.rendering import report_render, report_request
from tests.support.profiles import BANDS, EMAIL, HOURLY, PEAK, SCOPED, closed_seasonal, phone
from vendors.ranking import comparison_of, event_ranking, event_spec

pytestmark = pytest.mark.django_db


def test_the_report_prints_and_attaches_the_monthly_figures_and_staffing(make_user, tmp_path):
    event = closed_seasonal([phone({"months": PEAK, "bands": BANDS}, 120), EMAIL], HOURLY, SCOPED)
    report = report_request(
        kind="comparison", parameters={"event": event.pk}, user=make_user("auditor")
    )
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    data = report.file.read()
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    subprocess.run(["pdfdetach", "-saveall", "-o", str(tmp_path), str(path)], check=True)
    (found,) = tmp_path.glob("*.csv")
    rows = list(csv.DictReader(io.StringIO(found.read_text())))
    ranking = event_ranking(event=event)
    comparison = comparison_of(ranking=ranking, spec=event_spec(event))
    for figures, row in zip(comparison.rows, rows, strict=True):
        assert row["peak_month"] == figures.peak_month.month
        assert row["peak_month_cost"] == str(figures.peak_month.cost)
        assert row["low_month_cost"] == str(figures.low_month.cost)
    assert "Staffing by band and month" in text and "Erlang A" in text
    flat = " ".join(text.split())
    short = next(r for r in comparison.rows if r.shortfalls).shortfalls[0]
    assert " ".join(short.sentence.split()) in flat
