"""Reports an auditor signs without opening the product: PDF/A-3 associated files (the figures'
CSV and every input and result as JSON), byte-identical re-renders, and report_verify
recomputing every figure from the PDF alone (docs/reports.md)."""

import base64
import hashlib
import io
import json
import re
from datetime import UTC as UTC_ZONE
from datetime import timedelta
from decimal import Decimal

import pikepdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from contracts.services.baseline import baseline_set
from kpis.evaluation.breaches import breach_waive
from kpis.models.evaluation import Breach
from reports.models import Report
from reports.services.rendering import report_render
from tests.support.reports import detached, pdf_text, plain_months, rendered, roi_contract
from tests.support.vendors import closed_event_with_proposals, vendor_make

pytestmark = pytest.mark.django_db

PARTS = {
    "fte": Decimal(32), "gross_salary": Decimal(3100), "employer_oncost_percent": Decimal(28),
    "facilities_per_fte": Decimal(450), "ict_per_fte": Decimal(250),
    "recruitment_training_per_fte": Decimal(180), "management_overhead": Decimal(9000),
    "depreciation": Decimal(3000), "absenteeism_percent": Decimal(8),
}  # fmt: skip


@pytest.fixture
def contract(vendor, manager_user):
    """The worked example over four months with a fully loaded baseline; February and March
    breach the service level, March's ASA breach is waived."""
    contract = roi_contract(vendor, years=1)
    baseline_set(contract=contract, data=PARTS)
    plain_months(contract, 4, {"2026-02": {"sl": "70"}, "2026-03": {"sl": "70", "asa": "35"}})
    asa = Breach.objects.get(contract=contract, period="2026-03-01", target__metric="asa_seconds")
    breach_waive(breach=asa, user=manager_user, reason="Carrier outage on 12 March")
    return contract


@pytest.fixture
def roi_report(contract, auditor_user) -> Report:
    return rendered(
        "roi", auditor_user, contract=contract.pk, **{"from": "2026-01", "to": "2026-04"}
    )


@pytest.fixture
def sla_report(contract, auditor_user) -> Report:
    return rendered("sla", auditor_user, contract=contract.pk, period="2026-03")


def verify(path) -> tuple[str, bool]:
    out = io.StringIO()
    try:
        call_command("report_verify", str(path), stdout=out)
    except CommandError as error:
        return out.getvalue() + str(error), False
    return out.getvalue(), True


@pytest.fixture
def comparison_report(auditor_user) -> Report:
    event, _ = closed_event_with_proposals(vendor_make("Alpha CX"), vendor_make("Beta BPO"))
    return rendered("comparison", auditor_user, event=event.pk)


@pytest.fixture
def scorecard_report(contract, auditor_user) -> Report:
    return rendered(
        "scorecard", auditor_user, vendor=contract.vendor_id, **{"from": "2026-01", "to": "2026-04"}
    )


@pytest.fixture(params=["roi", "sla", "comparison", "scorecard"])
def any_report(request) -> Report:
    return request.getfixturevalue(f"{request.param}_report")


def inputs_of(data: bytes, tmp_path) -> dict:
    return json.loads(detached(data, tmp_path, "_inputs.json"))


# PDF/A-3b structure -------------------------------------------------------------------------


def test_every_kind_is_a_pdfa_3b_with_its_csv_and_json_associated_once(any_report):
    data = any_report.file.read()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "B")
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and len(intent.DestOutputProfile.read_bytes()) > 0
        assert not pdf.is_encrypted
        associated = list(pdf.Root.AF)
        files = {str(f.UF): f for f in associated}
        sources = [n for n in files if n.startswith("source-")]
        # the SLA month attaches the KPI file it read, as received (/Source)
        assert bool(sources) == (any_report.kind == "sla"), sources
        assert all(str(files[n].AFRelationship) == "/Source" for n in sources)
        assert all(files[n].EF.F.Subtype == "/text/csv" for n in sources)
        for name in sources:
            del files[name]
        associated = [f for f in associated if str(f.UF) in files]
        assert len(files) == len(associated) == 2, "each file is associated exactly once"
        (csv_name,) = [n for n in files if n.endswith("_figures.csv")]
        (json_name,) = [n for n in files if n.endswith("_inputs.json")]
        assert files[csv_name].EF.F.Subtype == "/text/csv"
        assert files[json_name].EF.F.Subtype == "/application/json"
        assert {str(f.AFRelationship) for f in associated} == {"/Data"}
        assert set(pdf.attachments) == {*files, *sources}, "the embedded files are the associated"
        fonts = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
        ]
        assert fonts
        for font in fonts:
            if font.Subtype == "/Type0":
                continue  # its CIDFont descendant is checked as a font of its own
            assert font.Subtype != "/Type3", "a Type 3 font has no font file to embed"
            for descendant in [font]:
                descriptor = descendant.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                assert obj.get("/S") != "/JavaScript" and "/JS" not in obj
                action = obj.get("/A")
                if isinstance(action, pikepdf.Dictionary):
                    assert action.get("/S") not in ("/URI", "/Launch", "/GoToR", "/SubmitForm")
        assert "/JavaScript" not in pdf.Root.get("/Names", {})
        assert "/OpenAction" not in pdf.Root


def test_the_attached_json_is_the_one_whose_sha256_the_sign_off_prints(any_report, tmp_path):
    data = any_report.file.read()
    raw = detached(data, tmp_path, "_inputs.json")
    text = " ".join(pdf_text(data).split())
    assert hashlib.sha256(raw).hexdigest() in text.replace(" ", "")
    document = json.loads(raw)
    assert document["schema"] == "bposla-report-inputs/1"
    assert document["report"]["id"] == any_report.pk
    assert document["report"]["kind"] == any_report.kind
    assert document["data_revisions"] == json.loads(json.dumps(any_report.data_revisions))
    assert "Sign-off" in text and "Signature" in text


# Reproducible ------------------------------------------------------------------------------


def test_the_same_report_renders_to_the_same_bytes_at_another_hour(roi_report, clock):
    first = roi_report.file.read()
    clock.move_to(roi_report.created_at + timedelta(days=3, hours=5))
    Report.objects.filter(pk=roi_report.pk).update(status=Report.Status.QUEUED, file="")
    report_render(report_id=roi_report.pk)
    roi_report.refresh_from_db()
    again = roi_report.file.read()
    assert again == first
    with pikepdf.open(io.BytesIO(again)) as pdf:
        stamp = roi_report.created_at.astimezone(UTC_ZONE).strftime("%Y%m%d%H%M%S")
        assert str(pdf.docinfo["/CreationDate"]).startswith(f"D:{stamp}")
        assert (
            pdf.open_metadata()
            .get("xmp:CreateDate")
            .startswith(roi_report.created_at.astimezone(UTC_ZONE).strftime("%Y-%m-%dT%H:%M:%S"))
        )


# report_verify -----------------------------------------------------------------------------


def test_report_verify_says_match_for_every_kind(any_report, tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(any_report.file.read())
    output, ok = verify(path)
    assert ok and output.strip() == "match", output


def test_report_verify_names_the_figure_and_the_input_when_an_roi_input_is_altered(
    roi_report, tmp_path
):
    document = inputs_of(roi_report.file.read(), tmp_path)
    document["inputs"]["months"][1]["charges"] = "100100.00"  # February, 100 more
    path = tmp_path / "altered.json"
    path.write_text(json.dumps(document))
    output = io.StringIO()
    with pytest.raises(CommandError, match="differ"):
        call_command("report_verify", str(path), "--json", stdout=output)
    lines = output.getvalue().splitlines()
    assert any(
        line.startswith("results.months[2026-02].outsourced_cost")
        and "inputs.months[2026-02]" in line
        for line in lines
    ), lines
    assert any(line.startswith("results.totals.charges") for line in lines), lines


def test_report_verify_names_the_baseline_part_when_the_fte_is_altered(roi_report, tmp_path):
    document = inputs_of(roi_report.file.read(), tmp_path)
    document["inputs"]["baseline"]["parts"]["fte"] = "33"
    path = tmp_path / "altered.json"
    path.write_text(json.dumps(document))
    output = io.StringIO()
    with pytest.raises(CommandError):
        call_command("report_verify", str(path), "--json", stdout=output)
    text = output.getvalue()
    assert "results.baseline.lines[Gross salaries]" in text and "inputs.baseline.parts" in text
    assert "the report states 99200.00, its inputs give 102300.00" in text


def test_report_verify_names_the_target_when_an_sla_value_is_altered(sla_report, tmp_path):
    document = inputs_of(sla_report.file.read(), tmp_path)
    (service_level,) = [t for t in document["inputs"]["targets"] if t["metric"] == "service_level"]
    service_level["actual"] = "95"  # was 70: a breach becomes met
    path = tmp_path / "altered.json"
    path.write_text(json.dumps(document))
    output = io.StringIO()
    with pytest.raises(CommandError):
        call_command("report_verify", str(path), "--json", stdout=output)
    text = output.getvalue()
    target = service_level["id"]
    assert f"results.targets[{target}].status: the report states breach, its inputs give met" in (
        text
    )
    assert f"inputs.targets[{target}] (service_level).actual" in text


def test_report_verify_recomputes_the_sla_months_charges_from_the_terms_and_usage(
    sla_report, tmp_path
):
    document = inputs_of(sla_report.file.read(), tmp_path)
    assert document["results"]["charges"] == "100000.00"
    assert document["inputs"]["terms"]["pricing"][0]["model"] == "per_contact"
    (phone,) = document["inputs"]["usage"]
    phone["contacts"] = "10100"  # 100 more contacts at EUR 10: charges 101,000.00
    path = tmp_path / "altered.json"
    path.write_text(json.dumps(document))
    output = io.StringIO()
    with pytest.raises(CommandError):
        call_command("report_verify", str(path), "--json", stdout=output)
    text = output.getvalue()
    assert "results.charges: the report states 100000.00, its inputs give 101000.00" in text
    assert "inputs.terms" in text and "inputs.usage" in text
    # the credits follow the recomputed charges: at risk 12 % of 101,000
    assert "results.at_risk_amount: the report states 12000.00, its inputs give 12120.00" in text


def test_report_verify_recomputes_each_tco_from_the_monthly_costs(comparison_report, tmp_path):
    document = inputs_of(comparison_report.file.read(), tmp_path)
    proposal = next(p for p in document["inputs"]["proposals"] if p["qualified"])
    assert len(proposal["monthly_costs"]) == document["inputs"]["event"]["term_months"]
    proposal["monthly_costs"][0] = str(Decimal(proposal["monthly_costs"][0]) + 1000)
    path = tmp_path / "altered.json"
    path.write_text(json.dumps(document))
    output = io.StringIO()
    with pytest.raises(CommandError):
        call_command("report_verify", str(path), "--json", stdout=output)
    text = output.getvalue()
    where = f"inputs.proposals[{proposal['proposal']}]"
    assert f"{where}.tco: the report states" in text
    assert f"{where}.one_off_fees and {where}.monthly_costs" in text
    assert f"results.proposals[{proposal['proposal']}].scores.cost" in text


def test_report_verify_names_the_score_when_a_comparison_input_is_altered(
    comparison_report, tmp_path
):
    document = inputs_of(comparison_report.file.read(), tmp_path)
    proposal = next(p for p in document["inputs"]["proposals"] if p["qualified"])
    proposal["expertise"]["industry_years"] = "0"
    proposal["expertise"]["channel_share"] = "0"
    path = tmp_path / "altered.json"
    path.write_text(json.dumps(document))
    output = io.StringIO()
    with pytest.raises(CommandError):
        call_command("report_verify", str(path), "--json", stdout=output)
    assert f"results.proposals[{proposal['proposal']}].scores.expertise" in output.getvalue()


def test_report_verify_refuses_a_pdf_without_the_inputs(tmp_path):
    path = tmp_path / "other.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(path)
    with pytest.raises(CommandError, match="_inputs.json"):
        call_command("report_verify", str(path), stdout=io.StringIO())


# What the pages print ----------------------------------------------------------------------


def test_no_report_prints_none_or_more_than_four_decimals(any_report):
    text = pdf_text(any_report.file.read())
    assert "None" not in text
    assert not re.search(r"\d\.\d{5,}", text), re.findall(r".{80}\d\.\d{5,}.{20}", text, re.S)


def test_the_sla_report_cites_each_kpi_values_source_file_and_rows(sla_report):
    text = " ".join(pdf_text(sla_report.file.read()).split())
    document = json.loads(json.dumps(sla_report.data_revisions))
    assert document["evaluation"]["revision"] >= 1
    from kpis.models import KpiRawRow, KpiUpload

    upload = KpiUpload.objects.get()
    assert upload.original_name in text
    assert upload.sha256[:40] in text.replace(" ", "")
    row = KpiRawRow.objects.get(upload=upload, period="2026-03-01", metric="service_level").row
    # the file listed once with its number, the value citing that number and the file's row
    assert f"[1] {upload.original_name} " in text, text
    assert text.count(upload.sha256[:16]) == 1
    assert f"Service level Phone 70% 1 [1] {row} " in text, text


def test_the_cover_names_the_contract_event_and_vendor_not_their_ids(any_report):
    first = " ".join(pdf_text(any_report.file.read(), first=1, last=1).split())
    parameters = first.split("Parameters", 1)[1].split("Scope", 1)[0]
    assert not re.search(r"(contract|event|vendor|reference) = ", parameters), parameters
    if any_report.kind in ("roi", "sla"):
        assert "Contract: RPT-NL-01" in parameters
    elif any_report.kind == "comparison":
        assert "Sourcing event: " in parameters and "#" not in parameters
    else:
        assert "Vendor: Vendor " in parameters
        assert "From: January 2026; To: April 2026" in parameters


def test_file_names_say_what_the_report_is(roi_report, sla_report, comparison_report):
    assert roi_report.file.name.endswith(f"RPT-NL-01_ROI_2026-01_2026-04_r{roi_report.pk}.pdf")
    assert sla_report.file.name.endswith(f"RPT-NL-01_SLA_2026-03_r{sla_report.pk}.pdf")
    assert re.search(
        rf"EVENT-\d+_COMPARISON_r{comparison_report.pk}\.pdf$", comparison_report.file.name
    )


def test_the_download_sends_the_name_and_the_sha256_digests(roi_report, auditor_user, api_as):
    response = api_as(auditor_user).get(f"/api/v1/reports/{roi_report.pk}/download/")
    body = b"".join(response.streaming_content)
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert response["Content-Digest"] == f"sha-256=:{digest}:"
    assert response["Digest"] == f"SHA-256={digest}"
    assert (
        f'filename="RPT-NL-01_ROI_2026-01_2026-04_r{roi_report.pk}.pdf"'
        in (response["Content-Disposition"])
    )


def test_an_roi_over_a_stated_monthly_baseline_recomputes_and_names_the_amount(
    vendor, auditor_user, tmp_path
):
    contract = roi_contract(vendor, reference="AMT-NL-01", years=1)  # 130,000 a month, stated
    plain_months(contract, 2, {"2026-02": {"sl": "70"}})
    period = {"from": "2026-01", "to": "2026-02"}
    report = rendered("roi", auditor_user, contract=contract.pk, **period)
    data = report.file.read()
    path = tmp_path / "amount.pdf"
    path.write_bytes(data)
    assert verify(path) == ("match\n", True)
    document = inputs_of(data, tmp_path)
    assert document["inputs"]["baseline"] == {"source": "amount", "monthly_amount": "130000.00"}
    document["inputs"]["baseline"]["monthly_amount"] = "131000"
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(document))
    output = io.StringIO()
    with pytest.raises(CommandError):
        call_command("report_verify", str(altered), "--json", stdout=output)
    assert "results.baseline.monthly_amount: the report states 130000.00, its inputs give " in (
        output.getvalue()
    )
    assert "inputs.baseline.monthly_amount" in output.getvalue()


def test_the_comparison_charts_score_axis_covers_the_highest_total(comparison_report, tmp_path):
    data = comparison_report.file.read()
    first_page = pdf_text(data, first=1, last=1).split("Total score by vendor", 1)[1]
    # The axis's numbers: lines of whole numbers only (one per line, or in a row across).
    lines = re.findall(r"^\s*(\d+(?:\s+\d+)*)\s*$", first_page, flags=re.MULTILINE)
    axis = [int(x) for line in lines for x in line.split()]
    results = inputs_of(data, tmp_path)["results"]["proposals"]
    highest = max(Decimal(r["total"]) for r in results if r["total"] is not None)
    assert axis and max(axis) >= highest, (axis, highest)
    assert max(axis) == 100  # scores are 0-100: the axis is the whole scale


def test_the_sla_report_carries_the_kpi_file_it_read_as_received(sla_report, tmp_path):
    """The month's KPI file is attached once (/Source), byte for byte the upload whose SHA-256
    the report prints, as poppler extracts it."""
    from kpis.models import KpiUpload

    upload = KpiUpload.objects.get()
    data = sla_report.file.read()
    attached = detached(data, tmp_path, f"_{upload.original_name}")
    assert hashlib.sha256(attached).hexdigest() == upload.sha256
    with upload.file.open("rb") as handle:
        assert attached == handle.read()
    text = " ".join(pdf_text(data, layout=False).split())
    assert f"attached as source-1_{upload.original_name}" in text


def test_a_kpi_file_that_no_longer_matches_its_sha256_is_not_attached_and_the_report_says_so(
    contract, auditor_user
):
    from kpis.models import KpiUpload

    upload = KpiUpload.objects.get()
    with upload.file.open("wb") as handle:
        handle.write(b"changed after upload")
    report = rendered("sla", auditor_user, contract=contract.pk, period="2026-03")
    data = report.file.read()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert not [n for n in pdf.attachments if n.startswith("source-")]
    text = " ".join(pdf_text(data, layout=False).split())
    assert "not attached: the stored file is missing or no longer matches its SHA-256" in text
