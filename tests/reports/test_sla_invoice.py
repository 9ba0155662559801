"""The SLA report's invoice check (docs/reports.md "sla": inputs.invoice, results.invoice), worked
by hand and recomputed by report_verify from the JSON that pdfdetach extracts.

The worked example's contract with a EUR 1,500 platform fee and a EUR 20,000 setup fee:
10,000 phone contacts at EUR 10 = EUR 100,000 of usage a month.
- January (the first month): expected 100,000 + 1,500 + 20,000 one-off = 121,500.00;
- February (service level in breach): at risk 12 % x 101,500 = 12,180, credit 30 % = 3,654;
  expected 100,000 + 1,500 - 3,654 = 97,846.00, tolerance 0.5 % x 97,846 = 489.23;
- March: no invoice recorded.
"""

from datetime import date
from decimal import Decimal

import pytest

from kpis.invoices.reconcile import Line, LineKind
from kpis.invoices.service import invoice_record
from reports.models import Report
from reports.services.rendering import report_render, report_request
from tests.support.evaluation import make_contract
from tests.support.reports import attached_inputs, pdf_text, plain_months, verify_json

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def contract(vendor):
    contract = make_contract(
        vendor, reference="INV-RPT-01", monthly_fees=[{"name": "Platform", "amount": "1500"}],
        one_off_fees={"setup": "20000", "training": "0", "project_management": "0"},
    )  # fmt: skip
    plain_months(contract, 3, {"2026-02": {"sl": "70"}})
    return contract


def lines(*rows) -> list[Line]:
    return [Line(kind=LineKind(kind), channel=channel, amount=D(amount))
            for kind, channel, amount in rows]  # fmt: skip


def rendered(contract, user, period: str) -> bytes:
    report = report_request(
        kind="sla", parameters={"contract": str(contract.pk), "period": period}, user=user
    )
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    return report.file.read()


def verified_lines(document: dict, tmp_path) -> tuple[list[str], bool]:
    """report_verify FILE.json --json: the differences (or "match") it printed, and whether it
    said match (its closing count of differences left out)."""
    ok, output = verify_json(document, tmp_path)
    lines = output.splitlines()
    return [x for x in lines if not x.endswith("differ from what the inputs give")], ok


@pytest.fixture
def february(contract):
    """February's invoice as expected: usage, the platform fee and the credit deducted."""
    invoice_record(
        contract=contract, period=date(2026, 2, 1), total=D("97846.00"),
        lines=lines(("usage", "phone", "100000.00"), ("fixed_fee", "", "1500.00"),
                    ("credit", "", "-3654.00")),
    )  # fmt: skip
    return contract


def test_a_matching_invoice_is_printed_with_its_expected_lines_and_verifies(
    february, auditor_user, tmp_path
):
    data = rendered(february, auditor_user, "2026-02")

    document = attached_inputs(data, tmp_path)
    invoice, result = document["inputs"]["invoice"], document["results"]["invoice"]
    assert invoice["total"] == "97846.00" and invoice["currency"] == "EUR"
    assert invoice["tolerance_percent"] == "0.50" and invoice["earn_back"] == "0.00"
    assert invoice["contract_start"] == "2026-01-01"
    assert {(x["kind"], x["channel"], x["amount"]) for x in invoice["lines"]} >= {
        ("usage", "phone", "100000.00"), ("fixed_fee", "", "1500.00"),
        ("credit", "", "-3654.00"),
    }  # fmt: skip
    assert [(x["kind"], x["channel"], x["amount"]) for x in result["expected_lines"]] == [
        ("usage", "phone", "100000.00"), ("fixed_fee", "", "1500.00"),
        ("one_off_fee", "", "0.00"), ("credit", "", "-3654.00"),
    ]  # fmt: skip
    assert (result["expected_total"], result["tolerance"], result["difference"]) == (
        "97846.00", "489.23", "0.00",
    )  # fmt: skip
    assert result["status"] == "matched" and result["differing_lines"] == []
    text = pdf_text(data)
    assert "The month's invoice" in text
    assert "Matched: Matched within the tolerance." in text
    assert "€97,846.00" in text and "-€3,654.00" in text and "= €489.23" in text
    output, ok = verified_lines(document, tmp_path)
    assert ok and output == ["match"], output


def test_an_invoice_over_the_tolerance_names_its_usage_line(contract, auditor_user, tmp_path):
    invoice_record(
        contract=contract, period=date(2026, 1, 1), total=D("123500.00"),
        lines=lines(("usage", "phone", "102000.00"), ("fixed_fee", "", "1500.00"),
                    ("one_off_fee", "", "20000.00")),
    )  # fmt: skip

    data = rendered(contract, auditor_user, "2026-01")

    result = attached_inputs(data, tmp_path)["results"]["invoice"]
    # the first month: the setup fee falls due; 0.5 % x 121,500 = 607.50 < 2,000 over
    assert result["expected_total"] == "121500.00" and result["tolerance"] == "607.50"
    assert (result["difference"], result["status"]) == ("2000.00", "over")
    assert result["differing_lines"] == [
        {"kind": "usage", "channel": "phone", "amount": "102000.00", "expected": "100000.00",
         "difference": "2000.00"},
    ]  # fmt: skip
    text = pdf_text(data)
    assert "Over: Lines that differ: Usage (Phone)." in text
    assert "€20,000.00" in text and "€2,000.00" in text and "= €607.50" in text
    output, ok = verified_lines(attached_inputs(data, tmp_path), tmp_path)
    assert ok and output == ["match"], output


def test_report_verify_names_the_figures_and_the_line_when_an_invoiced_amount_is_altered(
    february, auditor_user, tmp_path
):
    document = attached_inputs(rendered(february, auditor_user, "2026-02"), tmp_path)
    invoice = document["inputs"]["invoice"]
    (usage,) = [x for x in invoice["lines"] if x["kind"] == "usage"]
    usage["amount"] = "102000.00"  # 2,000 more usage invoiced, and the total with it
    invoice["total"] = "99846.00"

    output, ok = verified_lines(document, tmp_path)

    assert not ok
    assert any(
        x.startswith("results.invoice.difference: the report states 0.00, its inputs give 2000.00")
        and "inputs.invoice.total" in x
        for x in output
    ), output
    assert any(
        x.startswith("results.invoice.status: the report states matched, its inputs give over")
        for x in output
    ), output
    assert any(
        x.startswith("results.invoice.differing_lines[usage/phone]")
        and "its inputs give 2000.00" in x
        and "inputs.invoice.lines[usage/phone]" in x
        for x in output
    ), output


def test_an_invoiced_line_altered_alone_is_named_while_the_total_still_matches(
    february, auditor_user, tmp_path
):
    document = attached_inputs(rendered(february, auditor_user, "2026-02"), tmp_path)
    (fee,) = [x for x in document["inputs"]["invoice"]["lines"] if x["kind"] == "fixed_fee"]
    fee["amount"] = "1600.00"

    output, ok = verified_lines(document, tmp_path)

    assert not ok
    assert [x.split(":")[0] for x in output] == ["results.invoice.differing_lines[fixed_fee]"]
    assert "inputs.invoice.lines[fixed_fee]" in output[0]


def test_a_month_without_an_invoice_shows_the_empty_state_and_verifies(
    contract, auditor_user, tmp_path
):
    data = rendered(contract, auditor_user, "2026-03")

    document = attached_inputs(data, tmp_path)
    assert document["inputs"]["invoice"] is None and document["results"]["invoice"] is None
    assert "No invoice recorded for this month." in pdf_text(data)
    output, ok = verified_lines(document, tmp_path)
    assert ok and output == ["match"], output
