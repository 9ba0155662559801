"""A PDF report requested by a Romanian user reads in Romanian: translated headings, decimal
commas and grouped thousands with a dot, and none of the English headings (read with pdftotext).
"""

import re

import pytest

from reports.models import Report
from reports.services.rendering import report_render, report_request
from tests.support.reports import pdf_text, plain_months, roi_contract

pytestmark = pytest.mark.django_db

ENGLISH_HEADINGS = (
    "Service credit", "Service credits", "Breaches", "Targets", "Month", "Target", "Score",
    "Return on investment", "Baseline", "Invoice", "Expected", "Minimum", "Vendor", "Supplier",
    "Period", "Charges", "Savings", "One-off fees", "At risk", "Generated", "Page",
)  # fmt: skip
# "Contract" and "Total" are Romanian words too, so they are not on the list.
ENGLISH_AMOUNT = re.compile(r"\d,\d{3}\.\d{2}")
ROMANIAN_AMOUNT = re.compile(r"\d{1,3}(?:\.\d{3})+,\d{2}")


@pytest.fixture
def contract(vendor):
    contract = roi_contract(vendor, years=1)
    plain_months(contract, 3, {"2026-02": {"sl": "70"}})
    return contract


def romanian_text(kind: str, user, **parameters) -> str:
    """Request the report as the user, render it through the task's function, read it back."""
    report = report_request(kind=kind, parameters=parameters, user=user)
    assert report.language == "ro"
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    return pdf_text(report.file.read())


def english_headings_in(text: str) -> list[str]:
    return [w for w in ENGLISH_HEADINGS if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


@pytest.fixture
def romanian_manager(make_user):
    return make_user("manager", language="ro")


def test_the_sla_report_of_a_romanian_user_has_romanian_headings_and_decimal_commas(
    contract, romanian_manager
):
    text = romanian_text("sla", romanian_manager, contract=str(contract.pk), period="2026-02")
    assert "februarie 2026" in text.lower()
    assert "Credit" in text or "credit" in text  # "credit de serviciu" in the glossary
    assert ROMANIAN_AMOUNT.search(text), text[:2000]
    assert not ENGLISH_AMOUNT.search(text)
    assert english_headings_in(text.replace(contract.vendor.name, "")) == []


def test_the_roi_report_of_a_romanian_user_has_romanian_headings_and_decimal_commas(
    contract, romanian_manager
):
    text = romanian_text(
        "roi", romanian_manager, contract=str(contract.pk), **{"from": "2026-01", "to": "2026-03"}
    )
    assert "130.000,00" in text  # the in-house baseline a month
    assert "60.000,00" in text  # the one-off fees
    assert not ENGLISH_AMOUNT.search(text)
    assert english_headings_in(text.replace(contract.vendor.name, "")) == []


def test_the_page_furniture_and_the_months_of_a_romanian_report_are_romanian(
    contract, romanian_manager
):
    """The running header, the page counter (CSS content, which the pseudo-locale test cannot
    see) and the months of the title and scope are in Romanian."""
    text = romanian_text(
        "roi", romanian_manager, contract=str(contract.pk), **{"from": "2026-01", "to": "2026-03"}
    )
    flat = " ".join(text.split())
    assert "pagina 1 din " in flat and "Raportul nr. " in flat
    assert not re.search(r"\bpage \d+ of \d+\b", flat) and "Report #" not in flat
    assert "de la ianuarie 2026 la martie 2026" in flat  # the title
    assert "3 luni, de la ianuarie 2026 la martie 2026" in flat  # what the totals cover
