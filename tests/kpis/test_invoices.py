"""Invoice reconciliation (DOMAIN.md "Invoice reconciliation"), worked by hand.

The worked example's contract with a EUR 1,500 platform fee: 10,000 phone contacts at EUR 10 =
EUR 100,000 of usage, + 1,500 fixed fees = EUR 101,500 expected in a month without credits;
tolerance max(0.5 % x 101,500 = 507.50, 1.00) = EUR 507.50.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kpis.invoices.reconcile import (
    Line,
    LineKind,
    Match,
    expected_from_pricing,
    reconcile,
    tolerance_of,
)
from kpis.invoices.service import invoice_record
from kpis.models import Invoice
from tests.support.evaluation import evaluate, make_contract, month_rows, report
from tests.support.factories import VendorFactory

pytestmark = pytest.mark.django_db

D = Decimal
APRIL = date(2026, 4, 1)
URL = "/api/v1/contracts/{}/invoices/"


@pytest.fixture
def contract(vendor):
    contract = make_contract(
        vendor, reference="INV-NL-01", monthly_fees=[{"name": "Platform", "amount": "1500"}],
        one_off_fees={"setup": "20000", "training": "0", "project_management": "0"},
    )  # fmt: skip
    report(contract, "2026-03", month_rows(sl="70"))  # service level breach: credit 3,600
    report(contract, "2026-04", month_rows())
    evaluate(contract, "2026-03", "2026-04")
    return contract


def lines(*rows) -> list[Line]:
    return [Line(kind=LineKind(kind), channel=channel, amount=D(amount))
            for kind, channel, amount in rows]  # fmt: skip


def test_an_extra_fee_and_usage_2_percent_high_are_over_by_exactly_their_sum(contract):
    recorded = invoice_record(
        contract=contract, period=APRIL, total=D("104000.00"),
        lines=lines(("usage", "phone", "102000.00"), ("fixed_fee", "", "1500.00"),
                    ("one_off_fee", "", "500.00"), ("credit", "", "0")),
    )  # fmt: skip

    invoice = recorded.invoice
    assert invoice.expected_total == D("101500.00")
    assert invoice.difference == D("2500.00")  # 2,000 (2 % of 100,000) + 500
    assert invoice.tolerance == D("507.50")
    assert invoice.status == Invoice.Status.OVER
    differing = {(x.kind, x.channel): x.difference for x in invoice.lines.all() if x.difference}
    assert differing == {("usage", "phone"): D("2000.00"), ("one_off_fee", ""): D("500.00")}


def test_an_invoice_within_the_tolerance_is_matched(contract):
    recorded = invoice_record(contract=contract, period=APRIL, total=D("101907.50"), lines=[])

    assert recorded.invoice.difference == D("407.50")
    assert recorded.invoice.status == Invoice.Status.MATCHED


def test_the_expected_invoice_deducts_the_months_credits(contract):
    recorded = invoice_record(contract=contract, period=date(2026, 3, 1), total=D("97846.00"),
                              lines=[])  # fmt: skip

    # charges 101,500 (usage and fees), at risk 12 % = 12,180, service level 30 % = 3,654
    assert recorded.invoice.expected_total == D("97846.00")
    assert recorded.invoice.status == Invoice.Status.MATCHED
    credit = recorded.invoice.lines.get(kind="credit")
    assert credit.expected == D("-3654.00")


def test_one_off_fees_fall_due_in_the_contracts_first_month(vendor):
    contract = make_contract(
        vendor, reference="INV-NL-02",
        one_off_fees={"setup": "20000", "training": "5000", "project_management": "0"},
    )  # fmt: skip
    report(contract, "2026-01", month_rows())
    evaluate(contract, "2026-01")

    recorded = invoice_record(contract=contract, period=date(2026, 1, 1), total=D("125000"),
                              lines=[])  # fmt: skip

    assert recorded.invoice.lines.get(kind="one_off_fee").expected == D("25000.00")
    assert recorded.invoice.expected_total == D("125000.00")


def test_a_month_not_evaluated_is_refused_naming_the_period(contract):
    with pytest.raises(ValidationError) as refused:
        invoice_record(contract=contract, period=date(2026, 5, 1), total=D("1"), lines=[])

    assert "period" in refused.value.message_dict


def test_the_tolerance_is_at_least_one_unit():
    assert tolerance_of(expected_total=D("100.00"), tolerance_percent=D("0.5")) == D("1.00")


def test_an_invoice_under_the_expected_total_is_under():
    result = reconcile(
        total=D("90.00"), lines=[], tolerance_percent=D("0.5"),
        expected=lines(("usage", "phone", "100.00")),
    )  # fmt: skip
    assert (result.status, result.difference) == (Match.UNDER, D("-10.00"))


def test_a_manager_records_an_invoice_through_the_api(api_as, manager_user, contract):
    body = {"period": "2026-04", "total": "104000.00", "lines": [
        {"kind": "usage", "channel": "phone", "amount": "102000.00"},
        {"kind": "fixed_fee", "amount": "1500.00"},
        {"kind": "one_off_fee", "amount": "500.00"},
    ]}  # fmt: skip

    response = api_as(manager_user).post(URL.format(contract.pk), body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["period"], data["status"], data["difference"]) == ("2026-04", "over", "2500.00")
    assert data["expected_total"] == "101500.00"
    usage = next(x for x in data["lines"] if x["kind"] == "usage")
    assert usage == {"kind": "usage", "channel": "phone", "amount": "102000.00",
                     "expected": "100000.00", "difference": "2000.00"}  # fmt: skip


def test_re_posting_a_month_replaces_its_invoice(api_as, manager_user, contract):
    client = api_as(manager_user)
    client.post(URL.format(contract.pk), {"period": "2026-04", "total": "1"}, format="json")

    response = client.post(
        URL.format(contract.pk), {"period": "2026-04", "total": "101500.00"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "matched"
    assert Invoice.objects.filter(contract=contract).count() == 1
    listed = client.get(URL.format(contract.pk)).json()
    assert listed["count"] == 1 and listed["results"][0]["total"] == "101500.00"


def test_a_vendor_records_invoices_for_its_own_contracts_only(api_as, make_user, contract):
    own = api_as(make_user("vendor", vendor=contract.vendor))
    other = api_as(make_user("vendor", vendor=VendorFactory()))
    body = {"period": "2026-04", "total": "101500.00"}

    assert own.post(URL.format(contract.pk), body, format="json").status_code == 201
    assert other.post(URL.format(contract.pk), body, format="json").status_code == 404
    assert other.get(URL.format(contract.pk)).status_code == 404


def test_an_auditor_reads_invoices_but_cannot_record_one(api_as, auditor_user, contract):
    client = api_as(auditor_user)

    assert client.get(URL.format(contract.pk)).status_code == 200
    body = {"period": "2026-04", "total": "101500.00"}
    assert client.post(URL.format(contract.pk), body, format="json").status_code == 403


def test_a_channel_on_a_fee_line_is_refused(api_as, manager_user, contract):
    body = {"period": "2026-04", "total": "1500",
            "lines": [{"kind": "fixed_fee", "channel": "phone", "amount": "1500"}]}  # fmt: skip

    response = api_as(manager_user).post(URL.format(contract.pk), body, format="json")

    assert response.status_code == 400
    assert "lines" in response.json()


def test_an_unevaluated_month_answers_400_naming_the_period(api_as, manager_user, contract):
    body = {"period": "2026-05", "total": "1"}

    response = api_as(manager_user).post(URL.format(contract.pk), body, format="json")

    assert response.status_code == 400
    assert "period" in response.json()


def test_the_expected_lines_from_a_months_pricing_top_up_the_minimum_and_take_one_off_fees_once():
    pricing = {
        "lines": [{"channel": "phone", "amount": "30000.004"},
                  {"channel": "chat", "amount": "10000"}, {"channel": "phone", "amount": "5000"}],
        "minimum_applied": True, "monthly_charge": "50000", "fixed_fees": "1500",
    }  # fmt: skip

    def expected(first_month: bool) -> list[tuple[str, str, Decimal]]:
        found = expected_from_pricing(pricing=pricing, one_off_fees=D("20000"),
                                      first_month=first_month, credit_net=D("-250.5"))  # fmt: skip
        return [(x.kind.value, x.channel, x.amount) for x in found]

    # usage per channel to the cent; the top-up = 50,000 - (35,000.00 + 10,000.00) = 5,000.00;
    # an earn-back larger than the month's credits makes the credit line positive
    assert expected(True) == [
        ("usage", "chat", D("10000.00")), ("usage", "phone", D("35000.00")),
        ("usage", "", D("5000.00")), ("fixed_fee", "", D("1500.00")),
        ("one_off_fee", "", D("20000.00")), ("credit", "", D("250.50")),
    ]  # fmt: skip
    assert ("one_off_fee", "", D("0.00")) in expected(False)
