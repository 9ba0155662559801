"""The report pipeline: request -> queued row -> worker renders once -> immutable PDF/A-3b."""

import csv
import hashlib
import io
import subprocess

import pytest

from reports import kinds
from reports.kinds import ReportContent, ReportKindSpec
from reports.models import Report
from reports.services.rendering import report_render, report_request
from tests.support.polling import wait_for


def figures_builder(parameters):
    return ReportContent(
        title="Savings check",
        template="reports/base_print.html",
        context={},
        csv_header=["period", "savings"],
        csv_rows=[["2026-01", "1234.56"], ["2026-02", "789.00"]],
        revisions={"kpi_upload": parameters.get("revision", parameters.get("from"))},
    )


def failing_builder(parameters):
    raise ValueError("contract 42 has no months in range")


@pytest.fixture
def roi_kind(monkeypatch):
    monkeypatch.setitem(kinds._KINDS, Report.Kind.ROI, ReportKindSpec(build=figures_builder))


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def attached_csv(data: bytes, tmp_path) -> list[list[str]]:
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdfdetach", "-saveall", "-o", str(tmp_path), str(pdf)], check=True)
    (attachment,) = [p for p in tmp_path.iterdir() if p.suffix == ".csv"]
    return list(csv.reader(io.StringIO(attachment.read_text())))


@pytest.mark.django_db
def test_a_rendered_report_stores_its_bytes_with_their_sha256(roi_kind, manager_user, tmp_path):
    report = Report.objects.create(
        kind=Report.Kind.ROI, parameters={"revision": 7}, created_by=manager_user
    )
    report_render(report_id=report.pk)
    report.refresh_from_db()
    data = report.file.read()
    assert report.status == Report.Status.DONE
    assert report.sha256 == hashlib.sha256(data).hexdigest() and report.size == len(data)
    assert data.startswith(b"%PDF-")
    assert f"Report #{report.pk}" in pdf_text(data)
    assert "page 1 of 2" in pdf_text(data)
    assert report.data_revisions == {"kpi_upload": 7}
    assert attached_csv(data, tmp_path) == [
        ["period", "savings"],
        ["2026-01", "1234.56"],
        ["2026-02", "789.00"],
    ]


@pytest.mark.django_db
def test_rendering_the_same_report_twice_does_not_change_it(roi_kind, manager_user):
    report = Report.objects.create(
        kind=Report.Kind.ROI, parameters={"revision": 1}, created_by=manager_user
    )
    report_render(report_id=report.pk)
    first = Report.objects.get(pk=report.pk)
    report_render(report_id=report.pk)
    again = Report.objects.get(pk=report.pk)
    assert (again.sha256, again.file.name, again.finished_at) == (
        first.sha256,
        first.file.name,
        first.finished_at,
    )


@pytest.mark.django_db
def test_a_builder_error_fails_the_report_with_its_message(monkeypatch, manager_user):
    monkeypatch.setitem(kinds._KINDS, Report.Kind.ROI, ReportKindSpec(build=failing_builder))
    report = Report.objects.create(kind=Report.Kind.ROI, parameters={}, created_by=manager_user)
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == "contract 42 has no months in range"
    assert not report.file


@pytest.mark.worker
def test_a_requested_report_is_rendered_by_the_real_worker(
    roi_kind, celery_worker, make_user, vendor
):
    from datetime import date

    from django.db import transaction

    from contracts.models import Baseline, Contract

    contract = Contract.objects.create(
        reference="RPT-01", vendor=vendor, currency="EUR",
        start_date=date(2026, 1, 1), end_date=date(2026, 12, 31),
    )  # fmt: skip
    Baseline.objects.create(contract=contract, monthly_amount=100000)
    user = make_user("auditor")
    with transaction.atomic():
        report = report_request(
            kind=Report.Kind.ROI,
            parameters={"contract": "RPT-01", "from": "2026-01", "to": "2026-03"},
            user=user,
        )
        assert report.status == Report.Status.QUEUED
    wait_for(lambda: Report.objects.get(pk=report.pk).finished)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    assert hashlib.sha256(report.file.read()).hexdigest() == report.sha256


@pytest.fixture
def done_report(roi_kind, manager_user):
    report = Report.objects.create(
        kind=Report.Kind.ROI, parameters={"revision": 2}, created_by=manager_user
    )
    report_render(report_id=report.pk)
    report.refresh_from_db()
    return report


def test_api_download_returns_exactly_the_stored_bytes(api_as, auditor_user, done_report):
    response = api_as(auditor_user).get(f"/api/v1/reports/{done_report.pk}/download/")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(body).hexdigest() == done_report.sha256
    listed = api_as(auditor_user).get("/api/v1/reports/").json()["results"][0]
    assert listed["sha256"] == done_report.sha256
    assert listed["download_url"] == f"/api/v1/reports/{done_report.pk}/download/"


def test_vendors_do_not_see_reports_of_no_contract_of_theirs(
    api_as, client, vendor_user, done_report
):
    assert api_as(vendor_user).get("/api/v1/reports/").json()["results"] == []
    assert api_as(vendor_user).get(f"/api/v1/reports/{done_report.pk}/download/").status_code == 404
    client.force_login(vendor_user)
    assert client.get(f"/reports/{done_report.pk}/download/").status_code == 404
    assert done_report.sha256 not in client.get("/reports/").content.decode()


def test_report_centre_lists_reports_with_sha256_and_download(client, auditor_user, done_report):
    client.force_login(auditor_user)
    page = client.get("/reports/?kind=roi").content.decode()
    assert done_report.sha256 in page and f"/reports/{done_report.pk}/download/" in page
    downloaded = b"".join(client.get(f"/reports/{done_report.pk}/download/").streaming_content)
    assert hashlib.sha256(downloaded).hexdigest() == done_report.sha256


def test_report_centre_shows_an_empty_state(client, auditor_user):
    client.force_login(auditor_user)
    assert "No reports match" in client.get("/reports/").content.decode()


def test_unfinished_reports_poll_their_row_until_done(client, auditor_user):
    report = Report.objects.create(kind=Report.Kind.ROI, created_by=auditor_user)
    client.force_login(auditor_user)
    row = client.get(f"/reports/{report.pk}/row/").content.decode()
    assert 'hx-trigger="every 2s"' in row and "Queued" in row
