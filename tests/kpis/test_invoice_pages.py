"""The contract's Invoices page (form and upload), and the managers' panel of invoices that do
not match. Same contract as tests/kpis/test_invoices.py: EUR 101,500 expected in April 2026."""

import codecs
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from kpis.models import Invoice
from tests.support.evaluation import evaluate, make_contract, month_rows, report
from tests.support.factories import VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(vendor):
    contract = make_contract(
        vendor, reference="INV-NL-09", monthly_fees=[{"name": "Platform", "amount": "1500"}]
    )
    report(contract, "2026-04", month_rows())
    evaluate(contract, "2026-04")
    return contract


@pytest.fixture
def browse(make_user):
    def make(role, **kwargs):
        client = Client()
        client.force_login(make_user(role, **kwargs))
        return client

    return make


def url(contract) -> str:
    return f"/contracts/{contract.pk}/invoices/"


def test_a_manager_records_an_invoice_with_lines_and_sees_the_lines_that_differ(browse, contract):
    client = browse("manager")
    form = {
        "action": "record", "period": "2026-04", "total": "104000,00",
        "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0",
        "lines-0-kind": "usage", "lines-0-channel": "phone", "lines-0-amount": "102000",
        "lines-1-kind": "fixed_fee", "lines-1-amount": "1500",
        "lines-2-kind": "one_off_fee", "lines-2-amount": "500",
    }  # fmt: skip

    response = client.post(url(contract), form, HTTP_ACCEPT_LANGUAGE="nl")

    assert response.status_code == 302, response.content.decode()[:3000]
    invoice = Invoice.objects.get(contract=contract)
    assert (invoice.status, invoice.difference) == ("over", 2500)
    page = client.get(url(contract)).content.decode()
    assert 'data-testid="invoice-2026-04"' in page
    assert "Lines that differ: Usage (phone), One-off fees." in page


def test_a_dutch_csv_with_decimal_commas_is_read_and_compared(browse, contract):
    text = "kind;channel;amount\nusage;phone;100.000,00\nfixed_fee;;1.500,00\n\n"
    data = codecs.BOM_UTF8 + text.encode()
    upload = SimpleUploadedFile("factuur.csv", data, content_type="text/csv")

    response = browse("vendor", vendor=contract.vendor).post(
        url(contract), {"action": "upload", "period": "2026-04", "total": "", "file": upload}
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    invoice = Invoice.objects.get(contract=contract)
    assert invoice.total == 101500
    assert invoice.status == "matched"
    assert invoice.source == "uploaded"
    assert invoice.lines.get(kind="usage", channel="phone").amount == 100000


def test_an_xlsx_of_lines_is_read(browse, contract):
    book = Workbook()
    sheet = book.active
    for row in (("Kind", "Channel", "Amount"), ("usage", "phone", 100000), ("fixed fee", "", 1500)):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("invoice.xlsx", buffer.getvalue())

    response = browse("manager").post(
        url(contract), {"action": "upload", "period": "2026-04", "file": upload}
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Invoice.objects.get(contract=contract).status == "matched"


def test_a_file_with_a_wrong_row_lists_every_problem_and_stores_nothing(browse, contract):
    text = "kind;channel;amount\nusage;phone;12,3,4\nrent;;100\n"
    upload = SimpleUploadedFile("bad.csv", text.encode(), content_type="text/csv")

    response = browse("manager").post(
        url(contract), {"action": "upload", "period": "2026-04", "file": upload}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="invoice-file-problems"' in page
    assert "12,3,4" in page and "rent" in page
    assert not Invoice.objects.exists()


def test_another_vendor_cannot_see_or_record_invoices(browse, contract):
    client = browse("vendor", vendor=VendorFactory())

    assert client.get(url(contract)).status_code == 404
    assert client.post(url(contract), {"action": "record"}).status_code == 404


def test_an_auditor_reads_the_page_without_the_forms(browse, contract):
    page = browse("auditor").get(url(contract)).content.decode()

    assert 'data-testid="no-invoices"' in page
    assert 'data-testid="invoice-form"' not in page


def test_the_manager_home_lists_invoices_that_do_not_match(browse, contract):
    client = browse("manager")
    assert "Every recorded invoice matches the expected one." in client.get("/").content.decode()
    client.post(
        url(contract),
        {"action": "record", "period": "2026-04", "total": "90000", "lines-TOTAL_FORMS": "0",
         "lines-INITIAL_FORMS": "0"},
    )  # fmt: skip

    home = client.get("/").content.decode()

    assert 'data-testid="invoices-not-matching"' in home
    assert "INV-NL-09" in home
