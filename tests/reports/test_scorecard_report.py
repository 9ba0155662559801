"""The vendor scorecard (DOMAIN.md "Reports"): every contract's targets month by month,
credits, breach decisions, chronic flags, the trend and the track-record score, recomputed from
the PDF alone by report_verify; who may request it."""

import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kpis.evaluation.breaches import breach_acknowledge, breach_waive
from kpis.models.evaluation import Breach
from reports.models import Report
from reports.services.rendering import report_render, report_request
from tests.support.factories import VendorFactory
from tests.support.jobs import run_waiver_reevaluations
from tests.support.reports import attached_csv, pdf_pages, pdf_text, plain_months, roi_contract

pytestmark = pytest.mark.django_db

RANGE = {"from": "2026-01", "to": "2026-04"}


@pytest.fixture
def contract(vendor, manager_user):
    """Four months of the worked example (5 targets): February breaches the service level,
    March the service level and the ASA; the ASA breach is waived, February's acknowledged."""
    contract = roi_contract(vendor, years=1)
    plain_months(contract, 4, {"2026-02": {"sl": "70"}, "2026-03": {"sl": "70", "asa": "35"}})
    asa = Breach.objects.get(contract=contract, period="2026-03-01", target__metric="asa_seconds")
    breach_waive(breach=asa, user=manager_user, reason="Carrier outage on 12 March")
    february = Breach.objects.get(contract=contract, period="2026-02-01")
    breach_acknowledge(breach=february, user=manager_user, reason="Staffing gap, agreed")
    run_waiver_reevaluations()
    return contract


def rendered(user, **parameters) -> Report:
    report = report_request(kind="scorecard", parameters=parameters, user=user)
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    return report


@pytest.fixture
def scorecard(contract, auditor_user) -> Report:
    return rendered(auditor_user, vendor=contract.vendor_id, **RANGE)


def inputs_of(report: Report) -> dict:
    from reports.services.verification import report_inputs_from_pdf

    report.file.seek(0)
    return report_inputs_from_pdf(report.file.read())


def verify_json(document: dict, tmp_path) -> tuple[str, bool]:
    path = tmp_path / "altered.json"
    path.write_text(json.dumps(document))
    out = io.StringIO()
    try:
        call_command("report_verify", str(path), "--json", stdout=out)
    except CommandError as error:
        return out.getvalue() + str(error), False
    return out.getvalue(), True


def test_the_scorecard_prints_the_track_record_with_its_inputs(scorecard):
    text = " ".join(pdf_text(scorecard.file.read()).split())
    # 4 months x 5 targets = 20 judged; 3 breaches (Feb SL, Mar SL, Mar ASA), 17 met.
    assert "100 x (17 + 0.5 x 0) / 20 = 85.00" in text
    assert "17 / 0 / 3 / 0" in text  # met / warning / breach / missing
    assert scorecard.file.name.endswith(f"_SCORECARD_2026-01_2026-04_r{scorecard.pk}.pdf")


def test_the_scorecard_prints_credits_decisions_and_reasons(scorecard, manager_user):
    text = " ".join(pdf_text(scorecard.file.read()).split())
    # charges 100,000, 12 % at risk = 12,000; SL 30 % = 3,600 in Feb and Mar; ASA 25 % =
    # 3,000 waived. Deducted: 7,200; waived: 3,000.
    assert "Carrier outage on 12" in text and "Staffing gap, agreed" in text
    assert "Waived" in text and "Acknowledged" in text and manager_user.username in text
    assert "€7,200.00" in text and "€3,000.00" in text
    assert "12% = 12,000.00" in text
    assert "dispute" not in text.lower()


def test_the_attached_csv_has_one_row_per_judged_target_month(scorecard, tmp_path):
    rows = attached_csv(scorecard.file.read(), tmp_path)
    assert len(rows) == 20
    breaches = [(r["period"], r["metric"], r["credit"], r["waived"]) for r in rows
                if r["status"] == "breach"]  # fmt: skip
    assert breaches == [
        ("2026-02", "service_level", "3600.00", "no"),
        ("2026-03", "asa_seconds", "3000.00", "yes"),
        ("2026-03", "service_level", "3600.00", "no"),
    ]


def test_report_verify_says_match_and_names_an_altered_target_month(scorecard, tmp_path):
    path = tmp_path / "scorecard.pdf"
    path.write_bytes(scorecard.file.read())
    out = io.StringIO()
    call_command("report_verify", str(path), stdout=out)
    assert out.getvalue().strip() == "match"
    document = inputs_of(scorecard)
    (contract,) = document["inputs"]["contracts"]
    march = next(m for m in contract["months"] if m["period"] == "2026-03")
    sl = next(t for t in march["targets"] if t["metric"] == "service_level")
    sl["actual"] = "90"  # was 70: the breach becomes met
    output, ok = verify_json(document, tmp_path)
    assert not ok
    where = f"results.contracts[RPT-NL-01].months[2026-03].targets[{sl['id']}]"
    assert f"{where}.status: the report states breach, its inputs give met" in output
    assert "results.track_record.score" in output and "results.totals" in output


def test_report_verify_names_an_altered_credit(scorecard, tmp_path):
    document = inputs_of(scorecard)
    february = document["inputs"]["contracts"][0]["months"][1]
    february["charges"] = "110000.00"
    output, ok = verify_json(document, tmp_path)
    assert not ok
    assert "results.contracts[RPT-NL-01].months[2026-02].at_risk_amount" in output


def test_fewer_than_six_judged_target_months_is_no_track_record(contract, auditor_user):
    report = rendered(auditor_user, vendor=contract.vendor_id, **{"from": "2026-01",
                      "to": "2026-01"})  # fmt: skip
    text = " ".join(pdf_text(report.file.read()).split())
    assert "no track record" in text and "5 judged target-months, fewer than 6" in text
    assert inputs_of(report)["results"]["track_record"]["score"] is None


def test_a_vendor_without_contracts_gets_an_empty_scorecard(auditor_user, tmp_path):
    other = VendorFactory(name="Quiet Support BV")
    report = rendered(auditor_user, vendor=other.pk, **RANGE)
    data = report.file.read()
    text = " ".join(pdf_text(data).split())
    assert "none: the vendor has no contract running in these months" in text
    assert "Quiet Support BV" in text
    path = tmp_path / "empty.pdf"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("report_verify", str(path), stdout=out)
    assert out.getvalue().strip() == "match"


def test_the_scorecard_prints_no_none_long_decimal_or_bare_id(scorecard):
    data = scorecard.file.read()
    text = pdf_text(data)
    assert "None" not in text
    assert not re.search(r"\d\.\d{5,}", text), re.findall(r"\S*\d\.\d{5,}\S*", text)
    assert not re.search(r"(vendor|contract|event) = \d", text)
    assert "Vendor: " not in text or "Vendor: 1" not in text
    assert pdf_pages(data) >= 3


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"vendor": "999999", **RANGE}, "vendor", "No vendor with this id"),
        ({"vendor": str(2**63), **RANGE}, "vendor", "less than or equal to"),
        ({"from": "2026-04", "to": "2026-01"}, "to", "ends before it starts"),
        ({"from": "2023-01", "to": "2026-01"}, "to", "at most 36 months"),
        ({"from": "2026-01", "to": "2027-03"}, "to", "after this month"),
        ({"from": "2026-13", "to": "2026-01"}, "from", "YYYY-MM"),
    ],
)
def test_a_bad_scorecard_request_is_a_clear_400(contract, auditor_user, api_as, body, field,
                                                message):  # fmt: skip
    body = {"kind": "scorecard", "vendor": contract.vendor_id, **body}
    response = api_as(auditor_user).post("/api/v1/reports/", body, format="json")
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()[field])


@pytest.mark.parametrize("role", ["auditor", "manager", "procurement"])
def test_buyer_roles_request_any_vendors_scorecard(contract, make_user, api_as, role):
    body = {"kind": "scorecard", "vendor": contract.vendor_id, **RANGE}
    response = api_as(make_user(role)).post("/api/v1/reports/", body, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["parameters"] == {"vendor": contract.vendor_id, **RANGE}


def test_a_vendor_requests_its_own_scorecard_only(contract, vendor_user, make_user, api_as):
    client = api_as(vendor_user)
    own = {"kind": "scorecard", "vendor": contract.vendor_id, **RANGE}
    assert client.post("/api/v1/reports/", own, format="json").status_code == 202
    other = VendorFactory()
    for vendor in (other.pk, 999999):  # another vendor or none: the same 404 (no oracle)
        body = {**own, "vendor": vendor}
        assert client.post("/api/v1/reports/", body, format="json").status_code == 404
    assert Report.objects.count() == 1


def test_a_vendor_lists_its_own_scorecards_never_anothers(contract, vendor_user, auditor_user,
                                                          api_as):  # fmt: skip
    own = rendered(auditor_user, vendor=contract.vendor_id, **RANGE)
    other = rendered(auditor_user, vendor=VendorFactory().pk, **RANGE)
    client = api_as(vendor_user)
    assert [r["id"] for r in client.get("/api/v1/reports/").json()["results"]] == [own.pk]
    assert client.get(f"/api/v1/reports/{own.pk}/download/").status_code == 200
    assert client.get(f"/api/v1/reports/{other.pk}/download/").status_code == 404


def test_the_report_centre_offers_the_scorecard_and_labels_its_parameters(
    contract, manager_user, client, django_capture_on_commit_callbacks
):
    client.force_login(manager_user)
    page = client.get("/reports/").content.decode()
    assert '<option value="scorecard"' in page and 'name="vendor"' in page
    with django_capture_on_commit_callbacks():
        response = client.post("/reports/", {"kind": "scorecard", "vendor": contract.vendor_id,
                                             **RANGE})  # fmt: skip
    assert response.status_code == 302
    listed = client.get("/reports/").content.decode()
    assert f"Vendor: {contract.vendor.name}" in listed
    assert f"vendor={contract.vendor_id}" not in listed


def test_a_vendor_is_offered_its_own_scorecard_only(contract, vendor_user, client):
    other = VendorFactory(name="Other Support SA")
    client.force_login(vendor_user)
    page = client.get("/reports/").content.decode()
    form = page.split('data-testid="report-form"')[1].split("</form>")[0]
    assert '<option value="scorecard"' in form and contract.vendor.name in form
    assert other.name not in form
    response = client.post("/reports/", {"kind": "scorecard", "vendor": other.pk, **RANGE})
    assert response.status_code == 400 and not Report.objects.exists()


def test_the_report_command_renders_a_scorecard_by_vendor_name(contract, make_user, tmp_path):
    make_user("admin")
    target = tmp_path / "scorecard.pdf"
    call_command("report", "scorecard", "--vendor", contract.vendor.name, "--from", "2026-01",
                 "--to", "2026-04", "-o", str(target), stdout=io.StringIO())  # fmt: skip
    report = Report.objects.get()
    assert report.parameters == {"vendor": contract.vendor_id, **RANGE}
    assert "85.00" in pdf_text(target.read_bytes())


def test_track_record_in_the_json_recomputes(scorecard):
    record = inputs_of(scorecard)["results"]["track_record"]
    assert Decimal(record.pop("score")) == Decimal(100) * 17 / 20
    assert record == {"judged": 20, "met": 17, "warning": 0, "breach": 3, "missing": 0,
                      "newcomer": False}  # fmt: skip
