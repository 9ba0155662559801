"""The vendor comparison report: figures, attached CSV, sealed until the deadline."""

import csv
import hashlib
import io
import subprocess

import pytest
from django.core.management import call_command

from core.money import cents, two_places
from reports.models import Report
from reports.services.rendering import report_render, report_request
from tests.support.vendors import closed_event_with_proposals, event_make, vendor_make
from vendors.ranking import event_ranking

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def attachment(data: bytes, tmp_path) -> list[dict[str, str]]:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    subprocess.run(["pdfdetach", "-saveall", "-o", str(tmp_path), str(path)], check=True)
    (found,) = tmp_path.glob("*.csv")
    return list(csv.DictReader(io.StringIO(found.read_text())))


@pytest.fixture
def closed_event():
    event, proposals = closed_event_with_proposals(vendor_make("Alpha CX"), vendor_make("Beta BPO"))
    return event


def test_the_comparison_report_shows_and_attaches_every_ranked_figure(
    closed_event, make_user, tmp_path
):
    auditor = make_user("auditor")
    report = report_request(kind="comparison", parameters={"event": closed_event.pk}, user=auditor)
    report_render(report_id=report.pk)
    report.refresh_from_db()
    data = report.file.read()
    assert report.status == Report.Status.DONE, report.error
    text = pdf_text(data)
    ranking = event_ranking(event=closed_event)
    rows = attachment(data, tmp_path)
    assert [r["vendor"] for r in rows] == [r.vendor_name for r in ranking.results]
    for ranked, row in zip(ranking.results, rows, strict=True):
        assert row["tco"] == str(cents(ranked.tco))
        assert row["total"] == str(two_places(ranked.total))
        # Printed with thousands separators: 10,582,798.50.
        assert f"{cents(ranked.tco):,}" in text and ranked.vendor_name in text
    assert "Erlang C" in text and "page 1 of" in text
    assert report.data_revisions["proposals"] == 2


def test_a_comparison_is_refused_while_bids_are_sealed(api_as, make_user):
    event = event_make(invited=[vendor_make()])
    response = api_as(make_user("auditor")).post(
        "/api/v1/reports/", {"kind": "comparison", "event": event.pk}, format="json"
    )
    assert response.status_code == 409
    assert not Report.objects.exists()


def test_a_report_request_through_the_api_answers_202_and_queues_the_row(
    api_as, make_user, closed_event, django_capture_on_commit_callbacks
):
    client = api_as(make_user("procurement"))
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            "/api/v1/reports/", {"kind": "comparison", "event": closed_event.pk}, format="json"
        )
    assert response.status_code == 202 and response.json()["status"] == "queued"
    assert response.json()["parameters"] == {"event": closed_event.pk}
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "comparison"},
        {"kind": "comparison", "event": 999999},
        {"kind": "roi", "contract": "NOPE", "from": "2026-01", "to": "2026-02"},
        {"kind": "sla", "contract": "1", "period": "March"},
        {"kind": "pie"},
    ],
)
def test_bad_report_requests_are_400s(api_as, make_user, body):
    response = api_as(make_user("auditor")).post("/api/v1/reports/", body, format="json")
    assert response.status_code == 400, response.content


def test_vendors_cannot_request_reports(api_as, make_user, closed_event, vendor):
    client = api_as(make_user("vendor", vendor=vendor))
    body = {"kind": "comparison", "event": closed_event.pk}
    assert client.post("/api/v1/reports/", body, format="json").status_code == 403


def test_the_report_command_writes_the_stored_bytes(closed_event, make_user, tmp_path):
    make_user("admin")
    target = tmp_path / "comparison.pdf"
    out = io.StringIO()
    call_command(
        "report", "comparison", "--event", str(closed_event.pk), "-o", str(target), stdout=out
    )
    report = Report.objects.get()
    assert hashlib.sha256(target.read_bytes()).hexdigest() == report.sha256
    assert report.sha256 in out.getvalue()
