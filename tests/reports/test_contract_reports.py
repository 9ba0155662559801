"""The ROI and SLA performance reports: figures recomputed by hand, attached CSV, access."""

import hashlib
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from core import formatting
from kpis.evaluation.breaches import breach_waive
from kpis.models.evaluation import Breach, Evaluation
from reports.models import Report
from reports.services.rendering import report_render, report_request
from tests.support.evaluation import make_contract
from tests.support.factories import VendorFactory
from tests.support.jobs import run_waiver_reevaluations
from tests.support.reports import attached_csv, pdf_pages, pdf_text, plain_months, roi_contract

pytestmark = pytest.mark.django_db

D = Decimal


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def month_name(period: str) -> str:
    """How the report names a month in English ("2026-03" -> "March 2026")."""
    return formatting.month(period, language="en")


@pytest.fixture
def contract(vendor, manager_user):
    """Four months; February: service level in breach; March: service level and ASA in
    breach, the ASA credit then waived by a manager."""
    contract = roi_contract(vendor)
    plain_months(contract, 4, {"2026-02": {"sl": "70"}, "2026-03": {"sl": "70", "asa": "35"}})
    asa = Breach.objects.get(contract=contract, period="2026-03-01", target__metric="asa_seconds")
    breach_waive(breach=asa, user=manager_user, reason="Carrier outage on 12 March")
    run_waiver_reevaluations()
    return contract


def rendered(kind: str, user, **parameters) -> Report:
    report = report_request(kind=kind, parameters=parameters, user=user)
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    return report


def by_hand() -> dict:
    """DOMAIN.md "Evaluation" and "ROI" on the fixture's inputs, independently of the code."""
    charges, inhouse, retained, one_off = D(100000), D(130000), D(2500), D(60000)
    at_risk = charges * D("0.12")  # 12,000
    credits = {"2026-01": D(0), "2026-02": at_risk * D("0.30"), "2026-03": at_risk * D("0.30"),
               "2026-04": D(0)}  # March's ASA credit (25 %) is waived  # fmt: skip
    rows, cumulative = [], D(0)
    for period, credit in credits.items():
        outsourced = charges - credit + retained
        savings = inhouse - outsourced
        cumulative += savings
        rows.append({"period": period, "credits": credit, "outsourced": outsourced,
                     "savings": savings, "cumulative": cumulative})  # fmt: skip
    total = sum(r["savings"] for r in rows)
    payback = next(r["period"] for r in rows if r["cumulative"] >= one_off)
    return {
        "rows": rows, "savings": total, "credits": sum(credits.values()),
        "savings_percent": (total / (inhouse * 4) * 100).quantize(D("0.01")),
        "roi_percent": ((total - one_off) / one_off * 100).quantize(D("0.01")),
        "payback": payback,
    }  # fmt: skip


def test_the_roi_report_shows_the_figures_a_reader_can_recompute(
    contract, auditor_user, api_as, tmp_path
):
    report = rendered("roi", auditor_user, contract=contract.reference, **{"from": "2026-01",
                      "to": "2026-04"})  # fmt: skip
    data = report.file.read()
    text = pdf_text(data)
    expected = by_hand()
    assert expected["savings"] == D("117200") and expected["payback"] == "2026-03"
    for figure in (expected["savings"], expected["credits"]):
        assert money(figure) in text
    assert f"{expected['roi_percent']}%" in text and f"{expected['savings_percent']}%" in text
    assert "Payback month" in text and month_name(expected["payback"]) in text
    for row in expected["rows"]:
        line = next(
            x
            for x in text.splitlines()
            if x.strip().startswith(month_name(row["period"])) and "130,000" in x
        )
        for figure in (row["outsourced"], row["savings"], row["cumulative"]):
            assert money(figure) in line, line
    assert "Cumulative savings (EUR)" in text  # the ROI page's chart
    assert "130,000.00" in text and "40,000.00" in text  # baseline and the setup fee
    assert f"Report #{report.pk}" in text and auditor_user.username in text
    assert "page 1 of" in text
    evaluations = Evaluation.objects.filter(contract=contract, is_current=True)
    assert report.data_revisions["evaluations"] == {
        f"{e.period:%Y-%m}": {"id": e.pk, "revision": e.revision} for e in evaluations
    }
    assert report.data_revisions["evaluations"]["2026-03"]["revision"] == 2  # after the waiver
    api = api_as(auditor_user).get(f"/api/v1/contracts/{contract.pk}/roi/?from=2026-01&to=2026-04")
    assert attached_csv(data, tmp_path) == [
        {k: str(v) for k, v in month.items()} for month in api.json()["months"]
    ]


def test_the_sla_report_shows_targets_credits_the_cap_and_a_waived_credit(
    contract, manager_user, api_as, tmp_path
):
    report = rendered("sla", manager_user, contract=str(contract.pk), period="2026-03")
    data = report.file.read()
    text = pdf_text(data)
    # charges 10,000 x 10 = 100,000; at risk 12 % = 12,000; service level 30 % = 3,600;
    # ASA 25 % = 3,000, waived: still listed, not deducted.
    for figure in ("100,000.00", "12,000.00", "3,600.00", "3,000.00"):
        assert figure in text
    assert "Carrier outage on 12 March" in text and "Waived" in text
    assert manager_user.username in text
    credit_line = next(x for x in text.splitlines() if "Month's service credit" in x)
    assert "3,600.00" in credit_line
    for status in ("breach", "met"):
        assert status in text
    assert "in breach in 3 or more of the last 6 months" in text  # the chronic rules, in words
    api = (
        api_as(manager_user)
        .get(f"/api/v1/contracts/{contract.pk}/evaluations/?period=2026-03")
        .json()
    )
    rows = attached_csv(data, tmp_path)
    assert [r["metric"] for r in rows] == [t["metric"] for t in api["targets"]]
    for row, target in zip(rows, api["targets"], strict=True):
        assert D(row["credit"] or "0") == D(target["credit"] or "0")
        assert row["status"] == target["status"]
        assert D(row["expected"]) == D(target["expected"])
    asa = next(r for r in rows if r["metric"] == "asa_seconds")
    assert (asa["waived"], asa["breach_status"]) == ("yes", "waived")
    assert report.data_revisions["evaluation"]["revision"] == api["revision"]


def test_a_long_roi_table_repeats_its_header_on_every_page(vendor, auditor_user, clock):
    clock.move_to(datetime(2031, 1, 6, 10, 0, tzinfo=UTC))  # the 60 months have happened
    contract = roi_contract(vendor, reference="RPT-LONG-01", years=5)
    plain_months(contract, 60)  # 60 rows do not fit on one A4 page
    report = rendered("roi", auditor_user, contract=contract.pk, **{"from": "2026-01",
                      "to": "2030-12"})  # fmt: skip
    data = report.file.read()
    pages = [pdf_text(data, first=n, last=n) for n in range(1, pdf_pages(data) + 1)]
    row = re.compile(r"^\s*\w+ 20\d\d\s+130,000\.00", re.MULTILINE)  # a month's row
    table_pages = [p for p in pages if row.search(p)]
    assert len(table_pages) >= 2
    for page in table_pages:  # thead { display: table-header-group } repeats the header
        assert "Outsourced" in page and "Cumulative" in page and "In-house" in page
    assert "December 2030" in table_pages[-1]
    assert f"page {len(pages)} of {len(pages)}" in pages[-1]


def test_download_returns_the_stored_bytes_with_their_sha256(contract, auditor_user, api_as):
    report = rendered("sla", auditor_user, contract=contract.reference, period="2026-02")
    response = api_as(auditor_user).get(f"/api/v1/reports/{report.pk}/download/")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert hashlib.sha256(body).hexdigest() == report.sha256 == response["X-Content-SHA256"]


def test_an_auditor_requests_through_the_api_and_downloads(
    contract, auditor_user, api_as, django_capture_on_commit_callbacks
):
    client = api_as(auditor_user)
    body = {"kind": "roi", "contract": contract.reference, "from": "2026-01", "to": "2026-04"}
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/api/v1/reports/", body, format="json")
    assert response.status_code == 202, response.content
    assert len(callbacks) == 1
    report_render(report_id=response.json()["id"])
    download = client.get(f"/api/v1/reports/{response.json()['id']}/download/")
    stored = Report.objects.get(pk=response.json()["id"])
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == stored.sha256


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"kind": "sla", "period": "2025-12"}, "period", "The contract runs from 2026-01"),
        ({"kind": "roi", "from": "2025-11", "to": "2026-02"}, "from", "The contract runs from"),
        ({"kind": "roi", "from": "2026-01", "to": "2029-01"}, "to", "The contract runs from"),
        ({"kind": "sla", "period": "2026-07"}, "period", "has not been evaluated"),
        ({"kind": "roi", "from": "2026-04", "to": "2026-01"}, "to", "ends before it starts"),
    ],
)
def test_months_outside_the_contract_are_clear_400s(
    contract, auditor_user, api_as, body, field, message
):
    response = api_as(auditor_user).post(
        "/api/v1/reports/", {**body, "contract": contract.pk}, format="json"
    )
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


def test_an_unknown_contract_is_a_400(auditor_user, api_as):
    body = {"kind": "sla", "contract": "NOPE-01", "period": "2026-01"}
    response = api_as(auditor_user).post("/api/v1/reports/", body, format="json")
    assert response.status_code == 400 and "contract" in response.json()


def test_an_roi_report_needs_a_baseline(vendor, auditor_user, api_as):
    contract = make_contract(vendor, reference="NOBASE-02")
    body = {"kind": "roi", "contract": contract.pk, "from": "2026-01", "to": "2026-02"}
    assert api_as(auditor_user).post("/api/v1/reports/", body, format="json").status_code == 409


@pytest.fixture
def other_vendor_user(make_user):
    return make_user("vendor", vendor=VendorFactory())


def test_a_vendor_gets_a_404_for_another_vendors_contract(contract, other_vendor_user, api_as):
    client = api_as(other_vendor_user)
    for body in (
        {"kind": "sla", "contract": contract.pk, "period": "2026-03"},
        {"kind": "sla", "contract": contract.reference, "period": "2026-03"},
        {"kind": "sla", "contract": "NOPE-01", "period": "2026-03"},  # no oracle either
    ):
        assert client.post("/api/v1/reports/", body, format="json").status_code == 404
    assert not Report.objects.exists()


def test_a_vendor_sees_only_its_own_contracts_sla_reports(
    contract, vendor_user, other_vendor_user, auditor_user, api_as, client
):
    sla = rendered("sla", auditor_user, contract=contract.pk, period="2026-03")
    months = {"from": "2026-01", "to": "2026-02"}
    roi = rendered("roi", auditor_user, contract=contract.pk, **months)
    own = api_as(vendor_user)
    assert [r["id"] for r in own.get("/api/v1/reports/").json()["results"]] == [sla.pk]
    assert own.get(f"/api/v1/reports/{sla.pk}/download/").status_code == 200
    assert own.get(f"/api/v1/reports/{roi.pk}/download/").status_code == 404
    other = api_as(other_vendor_user)
    assert other.get("/api/v1/reports/").json()["results"] == []
    assert other.get(f"/api/v1/reports/{sla.pk}/").status_code == 404
    assert other.get(f"/api/v1/reports/{sla.pk}/download/").status_code == 404
    client.force_login(other_vendor_user)
    assert client.get(f"/reports/{sla.pk}/download/").status_code == 404
    assert str(sla.sha256) not in client.get("/reports/").content.decode()


def test_a_vendor_may_request_its_own_sla_report_but_never_an_roi(contract, vendor_user, api_as):
    client = api_as(vendor_user)
    sla = {"kind": "sla", "contract": contract.pk, "period": "2026-03"}
    assert client.post("/api/v1/reports/", sla, format="json").status_code == 202
    roi = {"kind": "roi", "contract": contract.pk, "from": "2026-01", "to": "2026-02"}
    assert client.post("/api/v1/reports/", roi, format="json").status_code == 404


def test_users_without_a_role_cannot_list_or_request_reports(contract, api_as):
    from accounts.models import User

    nobody = User.objects.create_user(username="nobody", password="x" * 16)
    client = api_as(nobody)
    assert client.get("/api/v1/reports/").status_code == 403
    body = {"kind": "sla", "contract": contract.pk, "period": "2026-03"}
    assert client.post("/api/v1/reports/", body, format="json").status_code == 403


def test_the_report_centre_form_queues_a_report_that_the_list_polls(
    contract, manager_user, client, django_capture_on_commit_callbacks
):
    client.force_login(manager_user)
    page = client.get("/reports/").content.decode()
    assert 'data-testid="report-form"' in page and '<option value="comparison"' in page
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/reports/", {"kind": "roi", "contract": contract.pk})
    assert response.status_code == 302 and len(callbacks) == 1
    report = Report.objects.get()
    assert report.parameters["from"] == "2026-01" and report.parameters["to"] == "2026-04"
    listed = client.get("/reports/?reference=rpt-nl-01").content.decode()
    assert f"/reports/{report.pk}/row/" in listed and 'hx-trigger="every 2s"' in listed
    assert f"/reports/{report.pk}/" not in client.get("/reports/?reference=OTHER").content.decode()


def test_the_report_centre_form_shows_why_a_request_is_refused(contract, manager_user, client):
    client.force_login(manager_user)
    response = client.post("/reports/", {"kind": "sla", "contract": contract.pk,
                                         "period": "2025-06"})  # fmt: skip
    assert response.status_code == 400
    assert "The contract runs from 2026-01" in response.content.decode()
    assert not Report.objects.exists()


def test_a_vendor_is_offered_only_the_sla_report_of_its_contracts(contract, vendor_user, client):
    client.force_login(vendor_user)
    page = client.get("/reports/").content.decode()
    form = page.split('data-testid="report-form"')[1].split("</form>")[0]
    offered = [k for k in ("roi", "sla", "comparison") if f'<option value="{k}"' in form]
    assert offered == ["sla"] and 'name="event"' not in form
    assert contract.reference in page


def test_the_report_command_renders_an_sla_report_like_the_api(contract, make_user, tmp_path):
    from django.core.management import call_command

    make_user("admin")
    target = tmp_path / "sla.pdf"
    call_command("report", "sla", "--contract", contract.reference, "--period", "2026-03",
                 "-o", str(target))  # fmt: skip
    report = Report.objects.get()
    assert hashlib.sha256(target.read_bytes()).hexdigest() == report.sha256
    assert "3,600.00" in pdf_text(target.read_bytes())
